"""Words stored as rows: new words, the words of a list added to a group,
and the seed."""
import json
from pathlib import Path

from lib.base.jsonio import compact_json
from lib.inventory.word_files import WordEntry, read_word_list
from lib.store.copies import link_word

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
SEED_GROUPS = {"Core Verbs": "core_verbs.json", "Core Adjectives": "core_adjectives.json"}


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


def find_word(db, entry, other_than=None):
    """The id of the word stored with the same kanji, romaji and english, or None."""
    row = db.execute(
        "SELECT id FROM words WHERE kanji = ? AND romaji = ? AND english = ? AND id IS NOT ?",
        (entry.kanji, entry.romaji, entry.english, other_than)).fetchone()
    return row[0] if row else None


def find_or_create_word(db, entry):
    return find_word(db, entry) or insert_word(db, entry)


def parts_json(entry):
    return compact_json([part.model_dump() for part in entry.parts])


def insert_word(db, entry):
    """Stores a new word with its (zero) review counters; every new word comes here."""
    word_id = db.execute(
        "INSERT INTO words (kanji, romaji, english, parts) VALUES (?, ?, ?, ?)",
        (entry.kanji, entry.romaji, entry.english, parts_json(entry))).lastrowid
    db.execute("INSERT INTO word_reviews (word_id) VALUES (?)", (word_id,))
    return word_id


def load_seed(db):
    """Loads the seed files inside the caller's transaction; returns counts."""
    for group_name, file_name in SEED_GROUPS.items():
        entries = [WordEntry.model_validate(item.model_dump())
                   for _, item in read_word_list(SEED_DIR / file_name)]
        add_words(db, group_name, entries)
    activities = json.loads((SEED_DIR / "study_activities.json").read_text(encoding="utf-8"))
    db.executemany(
        "INSERT INTO study_activities (name, url, preview_url, description)"
        " VALUES (:name, :url, :preview_url, :description)", activities)
    return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("groups", "words", "study_activities")}
