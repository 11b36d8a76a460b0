"""Each resource's SELECT, its sort whitelist and its JSON shape, written once
and used by every route that shows it."""
import json

from lib.pagination import limit_offset, list_query, order_by
from lib.scheduling import get_scheduler, schedule_json
from lib.timeutil import utc_now

# With the word's FSRS card (lib/scheduling.py, CARD_COLUMNS and last_reviewed).
WORD_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, r.correct_count, r.wrong_count,
           r.state, r.step, r.stability, r.difficulty, r.due, r.last_reviewed, r.reps,
           r.lapses, r.first_review
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


def word_json(row):
    """A word; `due` when the row has its card (WORD_SELECT)."""
    word = {
        "id": row["id"],
        "kanji": row["kanji"],
        "romaji": row["romaji"],
        "english": row["english"],
        "parts": json.loads(row["parts"]),
        "correct_count": row["correct_count"],
        "wrong_count": row["wrong_count"],
    }
    if "due" in row.keys():
        word["due"] = row["due"]
    return word


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


SESSION_SELECT = """
    SELECT s.id, s.group_id, g.name AS group_name, s.study_activity_id,
           a.name AS activity_name, s.created_at, s.last_activity_at,
           s.review_items_count, s.correct_count, s.wrong_count
    FROM study_sessions s
    JOIN groups g ON g.id = s.group_id
    JOIN study_activities a ON a.id = s.study_activity_id
"""
# The frontend's group page sends the camelCase keys, and its table's column
# keys (id, created_at).
SESSION_SORT = {
    "id": ("s.id",),
    "start_time": ("s.created_at", "s.id"),
    "created_at": ("s.created_at", "s.id"),
    "end_time": ("s.last_activity_at", "s.id"),
    "activity_name": ("a.name", "s.id"),
    "group_name": ("g.name", "s.id"),
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


def session_page(db, where, params, query):
    """One page of sessions matching `where` (SQL with named parameters)."""
    rows = db.execute(
        f"{SESSION_SELECT} WHERE {where} {order_by(query, SESSION_SORT)} LIMIT :limit OFFSET :offset",
        {**params, **limit_offset(query)})
    return [session_json(row) for row in rows]
