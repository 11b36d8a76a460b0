"""Text as the inventory keeps it: words, their parts, names and titles.

Surrounding spaces are dropped, text that shows nothing is refused, and what
is kept is in Unicode's composed form (NFC), so that a word typed twice, once
with a zero-width space or a decomposed ガ, is the same word to the 409 checks.
Each rule is stated once, as a regex the OpenAPI document carries, and the
server applies the same rule with a readable message."""
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

# What str.strip() drops.
SPACES = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Characters that show nothing and are not spaces: the control characters
# (Cc) and format characters (Cf: zero-width, soft hyphen, bidi marks, BOM) of
# the Basic Multilingual Plane. tests/test_text.py checks the list against
# unicodedata.
HIDDEN = (r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
          r"\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
          r"\ufeff\ufff9-\ufffb")
# Anchored, and each step's characters apart from the next's, so that every
# regex engine reads it alike and in linear time.
VISIBLE_PATTERN = f"^[{SPACES}]*[^{SPACES}{HIDDEN}][^{HIDDEN}]*$"
NOTHING_HIDDEN_PATTERN = f"^[^{HIDDEN}]+$"
HIDDEN_CHARACTER = re.compile(f"[{HIDDEN}]")


def refuse_hidden(value):
    found = HIDDEN_CHARACTER.search(value) if isinstance(value, str) else None
    if found:
        raise ValueError(f"must not contain control or invisible characters "
                         f"(U+{ord(found.group()):04X} at position {found.start() + 1})")
    return value


def trimmed(max_length):
    """A BeforeValidator: the length checked as sent (as the JSON schema
    states it), hidden characters refused, the text trimmed, blank refused."""
    def trim(value):
        if isinstance(value, str):
            if len(value) > max_length:
                raise ValueError(f"must be at most {max_length} characters")
            value = refuse_hidden(value).strip()
            if not value:
                raise ValueError("must not be blank")
        return value
    return BeforeValidator(trim)


def nfc(text):
    return unicodedata.normalize("NFC", text)


def visible_text(max_length, **field):
    """Names, titles, a word's kanji, romaji and english."""
    # Field before the validators: the other way round pydantic leaves the
    # pattern out of the JSON schema.
    return Annotated[str, Field(min_length=1, max_length=max_length, pattern=VISIBLE_PATTERN,
                                **field), trimmed(max_length), AfterValidator(nfc)]


Name = visible_text(200, examples=["Animals"])
WordText = visible_text(500)
# A part's kanji and each of its romaji, kept as sent (its spaces are part of
# what the parts spell), but not hidden characters.
PartText = Annotated[str, Field(min_length=1, max_length=500, pattern=NOTHING_HIDDEN_PATTERN),
                     BeforeValidator(refuse_hidden), AfterValidator(nfc)]
