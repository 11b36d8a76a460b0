"""A study session: its SELECTs, sort whitelist and JSON shape."""
from lib.base.errors import not_found
from lib.queries.words import session_words
from lib.store.counters import sessions_count
from lib.store.pagination import fetch_page, list_query

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

def recent_session(db):
    """The latest session as JSON, or None."""
    row = db.execute(f"{SESSION_SELECT} ORDER BY s.created_at DESC, s.id DESC LIMIT 1").fetchone()
    return session_json(row) if row else None


def all_sessions_page(db, query):
    """(one page of every session, newest first by default; how many there are)."""
    total = sessions_count(db)
    return session_page(db, None, None, query, total), total


def group_session_page(db, group, query):
    """(one page of a group's sessions; how many it has); group is its row."""
    total = group["sessions_count"]
    return session_page(db, "group_id", group["id"], query, total), total


def activity_session_page(db, activity, query):
    """(one page of the sessions done with an activity; how many); activity is its row."""
    total = activity["sessions_count"]
    return session_page(db, "study_activity_id", activity["id"], query, total), total


def session_detail(db, session_id, query):
    """(the session as JSON, a page of the words reviewed in it, how many)."""
    session = session_json(find_session(db, session_id))
    words, total = session_words(db, session_id, query)
    return session, words, total
