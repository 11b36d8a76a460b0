"""Validation and writes of words and groups, shared by the API and the CLI.
Each write runs inside the caller's transaction and keeps every counter
current (groups.words_count, the session totals, word_reviews, review_stats)."""
import json

from pydantic import ValidationError

from lib.base.errors import ApiError, conflict, invalid, not_found
from lib.inventory.readings import Unreadable, read_word
from lib.inventory.word_files import WordEntry, WordListError, first_error
from lib.inventory.word_rows import add_words, find_word, insert_word, parts_json
from lib.queries.groups import find_group
from lib.store import copies
from lib.store.counters import is_mastered, recount_sessions


def complete_word(kanji, english, romaji=None, parts=None):
    """A WordEntry, with what is left out read from the kanji: both romaji and
    parts; parts alone give the romaji; romaji alone takes the reading's parts
    when it is the reading, else one part for the whole word. The parts are
    checked against the word as import-words checks them (ValidationError);
    Unreadable when the kanji must be read and cannot be."""
    if parts is not None:
        parts = [part if isinstance(part, dict) else part.model_dump() for part in parts]
        if romaji is None:
            romaji = "".join("".join(part["romaji"]) for part in parts)
    elif romaji is None:
        romaji, parts = read_word(kanji)
    else:
        try:
            read_romaji, read_parts = read_word(kanji)
        except Unreadable:
            read_romaji = None
        parts = read_parts if read_romaji == romaji else [{"kanji": kanji, "romaji": [romaji]}]
    return WordEntry.model_validate(
        {"kanji": kanji, "romaji": romaji, "english": english, "parts": parts})


def checked_word(**fields):
    """complete_word for the API: a 400 naming the field (parts, for parts
    that do not spell the word)."""
    try:
        return complete_word(**fields)
    except Unreadable as error:
        raise invalid("kanji", f"cannot be read ({error}); send romaji too") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "parts"
        raise invalid(field, first["msg"].removeprefix("Value error, ")) from None


def complete_entries(inputs):
    """The WordEntry of each (where, WordInput) of a word list; WordListError
    names the first entry or row that cannot be completed."""
    entries = []
    for where, item in inputs:
        try:
            entries.append(complete_word(item.kanji, item.english, item.romaji, item.parts))
        except Unreadable as error:
            raise WordListError(f"{where}, field kanji: cannot be read ({error}); "
                                "give its romaji") from None
        except ValidationError as error:
            raise WordListError(f"{where}, {first_error(error)}") from None
    return entries


def import_words(db, group_name, entries):
    """import-words: adds the entries to the group (made when missing).
    Returns (group_id, words added to the group, words it had before, entries
    repeating a word earlier in the file)."""
    words = {}  # a word is its kanji, romaji and english, as find_word reads it
    for entry in entries:
        words.setdefault((entry.kanji, entry.romaji, entry.english), entry)
    words = list(words.values())
    group_id, added = add_words(db, group_name, words)
    return group_id, added, len(words) - added, len(entries) - len(words)


# --- words -----------------------------------------------------------------------

def refuse_duplicate(db, entry, other_than=None):
    existing = find_word(db, entry, other_than)
    if existing:
        raise conflict(f'The word {entry.kanji} ({entry.romaji}, "{entry.english}") '
                       f"is already stored as word {existing}")


def existing_groups(db, group_ids):
    """404 naming every group id that does not exist."""
    wanted = sorted(set(group_ids))
    found = {row[0] for row in db.execute(
        "SELECT id FROM groups WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),))}
    missing = [str(group_id) for group_id in wanted if group_id not in found]
    if missing:
        raise ApiError(404, f"Group ids not found: {', '.join(missing)}")
    return wanted


def create_word(db, entry, group_ids=()):
    """Stores a new word (409 when the same word is stored) in the groups."""
    group_ids = existing_groups(db, group_ids)
    refuse_duplicate(db, entry)
    word_id = insert_word(db, entry)
    for group_id in group_ids:
        add_to_group(db, group_id, word_id)
    return word_id


def find_word_row(db, word_id):
    row = db.execute("SELECT * FROM words WHERE id = ?", (word_id,)).fetchone()
    if row is None:
        raise not_found("Word", word_id)
    return row


def update_word(db, word_id, changes):
    """Applies a PATCH (the fields it names). A new kanji without romaji and
    parts has them read anew; the parts are checked against the result."""
    old = find_word_row(db, word_id)
    kanji = changes.get("kanji", old["kanji"])
    romaji, parts = changes.get("romaji"), changes.get("parts")
    if kanji == old["kanji"]:
        if romaji is None:
            romaji = old["romaji"]  # new parts must spell the romaji kept
        if parts is None and romaji == old["romaji"]:
            parts = json.loads(old["parts"])
    entry = checked_word(kanji=kanji, english=changes.get("english", old["english"]),
                         romaji=romaji, parts=parts)
    refuse_duplicate(db, entry, other_than=word_id)
    db.execute("UPDATE words SET kanji = ?, romaji = ?, english = ?, parts = ? WHERE id = ?",
               (entry.kanji, entry.romaji, entry.english, parts_json(entry), word_id))
    copies.copy_word(db, word_id)


def delete_word(db, word_id):
    """Deletes the word; ON DELETE CASCADE takes its memberships, reviews and
    review counters (and any other row that refers to it). Every counter they
    fed is adjusted: its groups' words_count, the totals of each session that
    reviewed it (recounted from the reviews left), and the dashboard's."""
    counts = db.execute("SELECT correct_count, wrong_count FROM word_reviews WHERE word_id = ?",
                        (word_id,)).fetchone()
    if counts is None:
        raise not_found("Word", word_id)
    sessions = [row[0] for row in db.execute(
        "SELECT DISTINCT study_session_id FROM word_review_items WHERE word_id = ?", (word_id,))]
    db.execute("""UPDATE groups SET words_count = words_count - 1
                  WHERE id IN (SELECT group_id FROM word_groups WHERE word_id = ?)""", (word_id,))
    db.execute("DELETE FROM words WHERE id = ?", (word_id,))
    recount_sessions(db, sessions)
    correct, wrong = counts
    db.execute(
        """UPDATE review_stats SET studied_words = studied_words - ?,
               mastered_words = mastered_words - ?,
               correct_count = correct_count - ?, wrong_count = wrong_count - ?""",
        (correct + wrong > 0, is_mastered(correct, wrong), correct, wrong))


# --- groups ----------------------------------------------------------------------

def refuse_taken_name(db, name, other_than=None):
    row = db.execute("SELECT id FROM groups WHERE name = ? AND id IS NOT ?",
                     (name, other_than)).fetchone()
    if row:
        raise conflict(f'The name "{name}" is taken by group {row[0]}')


def create_group(db, name):
    refuse_taken_name(db, name)
    return db.execute("INSERT INTO groups (name) VALUES (?)", (name,)).lastrowid


def rename_group(db, group_id, name):
    find_group(db, group_id)
    refuse_taken_name(db, name, other_than=group_id)
    copies.rename(db, "group", group_id, name)


def delete_group(db, group_id):
    """Deletes a group that no session refers to (409 otherwise); its words stay."""
    group = find_group(db, group_id)
    if group["sessions_count"]:
        raise conflict(f"Group {group_id} has {group['sessions_count']} study sessions; "
                       "it can be deleted only without any (see POST /api/study-sessions/reset)")
    db.execute("DELETE FROM groups WHERE id = ?", (group_id,))


def add_to_group(db, group_id, word_id):
    """True when the word was added, False when it was there already."""
    find_group(db, group_id)
    find_word_row(db, word_id)
    added = copies.link_word(db, word_id, group_id)
    db.execute("UPDATE groups SET words_count = words_count + ? WHERE id = ?", (added, group_id))
    return bool(added)


def remove_from_group(db, group_id, word_id):
    find_group(db, group_id)
    find_word_row(db, word_id)
    if not db.execute("DELETE FROM word_groups WHERE word_id = ? AND group_id = ?",
                      (word_id, group_id)).rowcount:
        raise ApiError(404, f"Word {word_id} is not in group {group_id}")
    db.execute("UPDATE groups SET words_count = words_count - 1 WHERE id = ?", (group_id,))
