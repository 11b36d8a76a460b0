"""Word lists (the seed format) and the seed data."""
import json
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from lib.copies import link_word

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
SEED_GROUPS = {"Core Verbs": "core_verbs.json", "Core Adjectives": "core_adjectives.json"}

Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class WordPart(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    kanji: Text
    romaji: list[Text] = Field(min_length=1)


class WordEntry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    kanji: Text
    romaji: Text
    english: Text
    parts: list[WordPart] = Field(min_length=1)

    @model_validator(mode="after")
    def parts_make_the_word(self):
        if "".join(part.kanji for part in self.parts) != self.kanji:
            raise ValueError("parts do not spell the kanji")
        if "".join("".join(part.romaji) for part in self.parts) != self.romaji:
            raise ValueError("parts' romaji do not spell the romaji")
        return self


WORD_LIST = TypeAdapter(list[WordEntry])


class WordListError(ValueError):
    pass


def group_name(name):
    """A group's name, trimmed; blank is refused."""
    name = name.strip()
    if not name:
        raise WordListError("the group name is blank")
    return name


def read_word_list(path):
    """The validated entries of a word list file; WordListError names the
    first bad entry (counted from 1) and field."""
    try:
        # utf-8-sig: a byte-order mark, as some editors write, is not part of the JSON.
        text = Path(path).read_text(encoding="utf-8-sig")
        return WORD_LIST.validate_json(text)
    except (OSError, UnicodeDecodeError) as error:
        raise WordListError(f"cannot read {path}: {error}") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        location = list(first["loc"])
        if not location:
            where = "the file" if first["type"] != "json_invalid" else "the file (not valid JSON)"
            raise WordListError(f"{where}: {first['msg']}") from None
        entry, field = location[0] + 1, ".".join(str(part) for part in location[1:])
        message = first["msg"].removeprefix("Value error, ")
        where = f"entry {entry}, field {field}" if field else f"entry {entry}"
        raise WordListError(f"{where}: {message}") from None


def add_words(db, group_name, entries):
    """Adds entries to the group (created if missing), inside the caller's
    transaction. A word already stored with the same kanji, romaji and english
    is reused. Returns (group_id, words linked to the group anew)."""
    db.execute("INSERT OR IGNORE INTO groups (name) VALUES (?)", (group_name,))
    group_id = db.execute("SELECT id FROM groups WHERE name = ?", (group_name,)).fetchone()[0]
    linked = 0
    for entry in entries:
        word_id = find_or_create_word(db, entry)
        linked += link_word(db, word_id, group_id)
    db.execute("UPDATE groups SET words_count = words_count + ? WHERE id = ?", (linked, group_id))
    return group_id, linked


def find_or_create_word(db, entry):
    row = db.execute(
        "SELECT id FROM words WHERE kanji = ? AND romaji = ? AND english = ?",
        (entry.kanji, entry.romaji, entry.english)).fetchone()
    if row:
        return row[0]
    parts = json.dumps([part.model_dump() for part in entry.parts], ensure_ascii=False)
    word_id = db.execute(
        "INSERT INTO words (kanji, romaji, english, parts) VALUES (?, ?, ?, ?)",
        (entry.kanji, entry.romaji, entry.english, parts)).lastrowid
    db.execute("INSERT INTO word_reviews (word_id) VALUES (?)", (word_id,))
    return word_id


def load_seed(db):
    """Loads the seed files inside the caller's transaction; returns counts."""
    for group_name, file_name in SEED_GROUPS.items():
        add_words(db, group_name, read_word_list(SEED_DIR / file_name))
    activities = json.loads((SEED_DIR / "study_activities.json").read_text(encoding="utf-8"))
    db.executemany(
        "INSERT INTO study_activities (name, url, preview_url, description)"
        " VALUES (:name, :url, :preview_url, :description)", activities)
    return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("groups", "words", "study_activities")}
