"""Copies kept so that lists sort through an index, and the functions that
keep them current: each write that changes an original calls one of these
inside its transaction. sql/recount.sql rebuilds every copy, and the tests
check after every test that they agree.

- study_sessions.group_name and activity_name: the names of the session's
  group and activity, for session lists sorted by name. A rename calls rename().
- word_groups.kanji, romaji, english, correct_count, wrong_count, due: the
  word's fields, review totals and card's due time, for a group's words in any
  order. Linking a word to a group calls link_word(); changing a word's text
  calls copy_word(); recording reviews, resetting them and rebuilding the
  cards call copy_reviews()."""
from lib.store.db import placeholders

# kind -> (table, the sessions' column pointing to it, the sessions' copy of its name)
NAMED = {
    "group": ("groups", "group_id", "group_name"),
    "activity": ("study_activities", "study_activity_id", "activity_name"),
}


def rename(db, kind, item_id, name):
    """Renames the group or activity item_id, and the copy of its name in each
    of its sessions, inside the caller's transaction. False when there is no
    such item."""
    table, foreign_key, copy = NAMED[kind]
    if not db.execute(f"UPDATE {table} SET name = ? WHERE id = ?", (name, item_id)).rowcount:
        return False
    db.execute(f"UPDATE study_sessions SET {copy} = ? WHERE {foreign_key} = ?", (name, item_id))
    return True


# The columns each link of a word to a group (word_groups) copies, so that a
# group's words sort by them through an index: a sortable word field is
# declared here once, with its index in sql/schema.sql.
WORD_TEXT = ("kanji", "romaji", "english")  # from words
WORD_TOTALS = ("correct_count", "wrong_count", "due")  # from word_reviews


def set_copies(columns, source):
    return ", ".join(f"{column} = {source}.{column}" for column in columns)


def link_word(db, word_id, group_id):
    """Puts a word (with its word_reviews row) in a group, with the copies;
    returns 1 when it was not there yet, else 0."""
    copies = ", ".join(WORD_TEXT + WORD_TOTALS)
    originals = ", ".join([f"w.{c}" for c in WORD_TEXT] + [f"r.{c}" for c in WORD_TOTALS])
    return db.execute(
        f"""INSERT OR IGNORE INTO word_groups (word_id, group_id, {copies})
            SELECT w.id, ?, {originals}
            FROM words w JOIN word_reviews r ON r.word_id = w.id WHERE w.id = ?""",
        (group_id, word_id)).rowcount


def copy_word(db, word_id):
    """Copies a word's text and review totals again into each of its groups."""
    db.execute(
        f"""UPDATE word_groups SET {set_copies(WORD_TEXT, "w")}, {set_copies(WORD_TOTALS, "r")}
            FROM words w JOIN word_reviews r ON r.word_id = w.id
            WHERE w.id = ? AND word_groups.word_id = w.id""", (word_id,))


def copy_reviews(db, word_ids=None):
    """Copies the review totals and the card's due time of these words (of
    every word when None) again into each of their groups."""
    where, params = only_words(word_ids)
    db.execute(f"""UPDATE word_groups SET {set_copies(WORD_TOTALS, "r")}
                   FROM word_reviews r WHERE r.word_id = word_groups.word_id {where}""", params)


def only_words(word_ids):
    """(SQL, parameters) limiting an UPDATE of word_groups to these words (all of them when None)."""
    if word_ids is None:
        return "", []
    return f"AND word_groups.word_id IN ({placeholders(word_ids)})", list(word_ids)
