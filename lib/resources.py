"""Each resource's SELECT, its sort whitelist and its JSON shape, written once
and used by every route that shows it."""
from lib.errors import not_found
from lib.jsonio import raw_json
from lib.pagination import fetch_page, list_query
from lib.scheduling import get_scheduler, schedule_json
from lib.timeutil import utc_now

# A word in a list: its review totals and due time. parts is compact JSON
# text (lib/jsonio.py compact_json), put into the answer as it is (raw_json),
# never parsed into Python and written again. Every SELECT of a word starts
# with these columns in this order (word_json reads them by position).
WORD_LIST_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, r.correct_count, r.wrong_count, r.due
    FROM words w JOIN word_reviews r ON r.word_id = w.id
"""
# A word with its whole FSRS card (lib/scheduling.py, CARD_COLUMNS and last_reviewed).
WORD_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, r.correct_count, r.wrong_count, r.due,
           r.state, r.step, r.stability, r.difficulty, r.last_reviewed, r.reps, r.lapses,
           r.first_review
    FROM words w JOIN word_reviews r ON r.word_id = w.id
"""
# A new word (due NULL) sorts as due at the end of time: last in asc, first in
# desc. The expression is the one indexed (word_reviews_due_order).
DUE_ORDER = "coalesce(r.due, '9999-12-31T23:59:59Z')"
WORD_SORT = {
    "kanji": ("w.kanji", "w.id"),
    "romaji": ("w.romaji", "w.id"),
    "english": ("w.english", "w.id"),
    "correct_count": ("r.correct_count", "r.word_id"),
    "wrong_count": ("r.wrong_count", "r.word_id"),
    "due": (DUE_ORDER, "r.word_id"),
}
WordListQuery = list_query("WordListQuery", WORD_SORT, "kanji", per_page=50)
# A group's words, sorted by the copies its links keep (lib/copies.py).
GROUP_WORD_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, wg.correct_count, wg.wrong_count, wg.due
    FROM word_groups wg JOIN words w ON w.id = wg.word_id
"""
GROUP_WORD_SORT = {key: (f"wg.{key}", "wg.word_id") for key in WORD_SORT}
GROUP_WORD_SORT["due"] = (DUE_ORDER.replace("r.", "wg."), "wg.word_id")


def all_group_words(db, group_id):
    """Every word of a group, by id: what a study activity quizzes."""
    rows = db.execute(f"{GROUP_WORD_SELECT} WHERE wg.group_id = ? ORDER BY wg.word_id",
                      (group_id,))
    return [word_json(row) for row in rows]


def word_json(row):
    """A word from a row that starts with WORD_LIST_SELECT's columns; `due`
    when the row has it (a session's words have not). By position: looking
    each column up by name took as long as the page's SQL."""
    word_id, kanji, romaji, english, parts, correct_count, wrong_count = row[:7]
    word = {
        "id": word_id,
        "kanji": kanji,
        "romaji": romaji,
        "english": english,
        "parts": raw_json(parts),
        "correct_count": correct_count,
        "wrong_count": wrong_count,
    }
    if len(row) > 7:
        word["due"] = row[7]
    return word


SESSION_WORD_SORT = {"word_id": ("i.word_id",)}
SessionWordsQuery = list_query("SessionWordsQuery", SESSION_WORD_SORT, "word_id", per_page=50)


def session_words(db, session_id, query):
    """(a page of the words reviewed in the session, each with its counts in
    it; how many words it reviewed)."""
    total = db.execute(
        "SELECT count(DISTINCT word_id) FROM word_review_items WHERE study_session_id = ?",
        (session_id,)).fetchone()[0]
    rows = fetch_page(
        db, """SELECT w.id, w.kanji, w.romaji, w.english, w.parts,
                      sum(i.correct) AS correct_count, count(*) - sum(i.correct) AS wrong_count
               FROM word_review_items i JOIN words w ON w.id = i.word_id
               WHERE i.study_session_id = :session_id GROUP BY i.word_id""",
        {"session_id": session_id}, SESSION_WORD_SORT[query.sort_by], query, total)
    return [word_json(row) for row in rows], total


def word_detail(db, word_id):
    """A word with its review totals, its FSRS schedule now and the groups it
    belongs to, or None."""
    row = db.execute(f"{WORD_SELECT} WHERE w.id = ?", (word_id,)).fetchone()
    if row is None:
        return None
    groups = db.execute(
        """SELECT g.id, g.name, g.words_count FROM groups g
           JOIN word_groups wg ON wg.group_id = g.id
           WHERE wg.word_id = ? ORDER BY g.name""", (word_id,))
    return {**word_json(row), "groups": [group_json(group) for group in groups],
            "schedule": schedule_json(row, get_scheduler(), utc_now())}


GROUP_SORT = {
    "name": ("g.name", "g.id"),
    "words_count": ("g.words_count", "g.id"),
    "word_count": ("g.words_count", "g.id"),
}
GroupListQuery = list_query("GroupListQuery", GROUP_SORT, "name")


def group_json(row):
    return {
        "id": row["id"],
        "name": row["name"],
        "group_name": row["name"],
        "words_count": row["words_count"],
        "word_count": row["words_count"],
    }


def activity_json(row):
    return {
        "id": row["id"],
        "title": row["name"],
        "launch_url": row["url"],
        "preview_url": row["preview_url"],
        "description": row["description"],
    }


SESSION_COLUMNS = """id, group_id, group_name, study_activity_id, activity_name, created_at,
    last_activity_at, review_items_count, correct_count, wrong_count"""
SESSION_SELECT = f"SELECT {SESSION_COLUMNS} FROM study_sessions s"


def find_session(db, session_id):
    row = db.execute(f"{SESSION_SELECT} WHERE s.id = ?", (session_id,)).fetchone()
    if row is None:
        raise not_found("Study session", session_id)
    return row


# The frontend's group page sends the camelCase keys, and its table's column
# keys (id, created_at).
SESSION_SORT = {
    "id": ("s.id",),
    "start_time": ("s.created_at", "s.id"),
    "created_at": ("s.created_at", "s.id"),
    "end_time": ("s.last_activity_at", "s.id"),
    "activity_name": ("s.activity_name", "s.id"),
    "group_name": ("s.group_name", "s.id"),
    "review_items_count": ("s.review_items_count", "s.id"),
}
SESSION_SORT.update({
    "startTime": SESSION_SORT["start_time"],
    "createdAt": SESSION_SORT["start_time"],
    "endTime": SESSION_SORT["end_time"],
    "activityName": SESSION_SORT["activity_name"],
    "groupName": SESSION_SORT["group_name"],
    "reviewItemsCount": SESSION_SORT["review_items_count"],
})
SessionListQuery = list_query("SessionListQuery", SESSION_SORT, "start_time", "desc")


def session_json(row):
    """A study session, the same wherever it appears; id/session_id and
    activity_id/study_activity_id are both there because callers use both."""
    return {
        "id": row["id"],
        "session_id": row["id"],
        "group_id": row["group_id"],
        "group_name": row["group_name"],
        "activity_id": row["study_activity_id"],
        "study_activity_id": row["study_activity_id"],
        "activity_name": row["activity_name"],
        "start_time": row["created_at"],
        "created_at": row["created_at"],
        "end_time": row["last_activity_at"],
        "review_items_count": row["review_items_count"],
        "correct_count": row["correct_count"],
        "wrong_count": row["wrong_count"],
    }


def session_page(db, column, value, query, total):
    """One page of the sessions whose `column` (whitelisted: None, group_id or
    study_activity_id) is value; total is how many there are. Every sort key
    has its index (sql/schema.sql). Within one group every session has the
    group's name, so that key orders by id alone there (an activity's too)."""
    columns = SESSION_SORT[query.sort_by]
    if column is None:
        where, params = "", {}
    else:
        same_name = SAME_WITHIN[column]  # also the whitelist of column
        where, params = f"WHERE s.{column} = :value", {"value": value}
        columns = tuple(c for c in columns if c != same_name)
    rows = fetch_page(db, f"{SESSION_SELECT} {where}", params, columns, query, total)
    return [session_json(row) for row in rows]


SAME_WITHIN = {"group_id": "s.group_name", "study_activity_id": "s.activity_name"}
