"""Text as the inventory keeps it: words, their parts, names and titles.

Surrounding spaces are dropped, text that shows nothing is refused, a tab or
line break inside it is refused, and what is kept is in Unicode's composed
form (NFC), so that a word typed twice, once with a zero-width space, a
newline or a decomposed ガ, is the same word to the 409 checks.
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
# The spaces that are control characters (tab, newline, U+001C-U+001F, U+0085)
# or line and paragraph separators: trimmed at a text's ends (a pasted word
# often ends in a newline), but inside it they are controls too, which would
# make "食\nべる" another word than 食べる. tests/test_text.py checks the list.
BREAKS = r"\t-\r\x1c-\x1f\x85\u2028\u2029"
# Anchored, and each step's characters apart from the next's (but for the
# spaces that may end the text or stand inside it, which only ever look one
# visible character ahead), so that every regex engine reads it alike and in
# linear time.
VISIBLE_PATTERN = (f"^[{SPACES}]*[^{SPACES}{HIDDEN}]"
                   f"([^{HIDDEN}{BREAKS}]*[^{SPACES}{HIDDEN}])?[{SPACES}]*$")
NOTHING_HIDDEN_PATTERN = f"^[^{HIDDEN}{BREAKS}]+$"
HIDDEN_CHARACTER = re.compile(f"[{HIDDEN}]")
BREAK_CHARACTER = re.compile(f"[{BREAKS}]")
REFUSED_CHARACTER = re.compile(f"[{HIDDEN}{BREAKS}]")


def refuse(pattern, text, start=0, end=None):
    """ValueError naming the first character of text[start:end] that pattern
    finds, by its position in text."""
    found = pattern.search(text, start, len(text) if end is None else end)
    if found:
        raise ValueError(f"must not contain control or invisible characters "
                         f"(U+{ord(found.group()):04X} at position {found.start() + 1})")


def refuse_hidden(value):
    """A part's text: no hidden or line-breaking character anywhere."""
    if isinstance(value, str):
        refuse(REFUSED_CHARACTER, value)
    return value


def trimmed(max_length):
    """A BeforeValidator: the length checked as sent (as the JSON schema
    states it), hidden characters refused anywhere and line-breaking ones
    inside the text, the text trimmed, blank refused."""
    def trim(value):
        if isinstance(value, str):
            if len(value) > max_length:
                raise ValueError(f"must be at most {max_length} characters")
            refuse(HIDDEN_CHARACTER, value)
            kept = value.strip()
            if not kept:
                raise ValueError("must not be blank")
            start = len(value) - len(value.lstrip())
            refuse(BREAK_CHARACTER, value, start, start + len(kept))
            value = kept
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
# what the parts spell), but not hidden or line-breaking characters.
PartText = Annotated[str, Field(min_length=1, max_length=500, pattern=NOTHING_HIDDEN_PATTERN),
                     BeforeValidator(refuse_hidden), AfterValidator(nfc)]
