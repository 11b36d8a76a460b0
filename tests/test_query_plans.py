"""No request reads all of history: every query on study_sessions and
word_review_items goes through an index (EXPLAIN QUERY PLAN)."""
import re
import sqlite3

from helpers import create_session, post_reviews
from lib.db import get_db

HISTORY_TABLES = re.compile(r"^SCAN (study_sessions|word_review_items|s|i)\b")
GET_ROUTES = [
    "/words", "/words?sort_by=correct_count&order=desc", "/words/1", "/groups", "/groups/1",
    "/groups/1/words", "/groups/1/study_sessions", "/groups/1/study_sessions?sort_by=endTime",
    "/groups/1/study_sessions?sort_by=reviewItemsCount", "/api/groups/1/words/raw",
    "/api/study-sessions", "/api/study-sessions/1", "/api/study-activities",
    "/api/study-activities/1", "/api/study-activities/1/sessions",
    "/api/study-activities/1/launch", "/dashboard/recent-session", "/dashboard/stats",
    "/words?sort_by=due", "/words?sort_by=due&order=desc", "/groups/1/words?sort_by=due",
    "/api/study-queue", "/api/study-queue?group_id=1", "/api/study-queue?at=2026-01-02T12:00:00Z",
    "/api/dashboard/forecast", "/api/dashboard/forecast?days=365",
]


def full_scans(db_path, statements):
    explain = sqlite3.connect(db_path)
    found = []
    for sql in statements:
        for row in explain.execute("EXPLAIN QUERY PLAN " + sql):
            step = row[3]
            # An index walked in order and cut short by LIMIT reads one page, not history.
            ordered_page = "USING INDEX" in step and "LIMIT" in sql
            if HISTORY_TABLES.match(step) and not ordered_page:
                found.append((step, " ".join(sql.split())))
    explain.close()
    return found


def test_no_get_route_scans_the_history(app, client, db_path):
    for day in ("2026-01-01", "2026-01-02"):
        session = create_session(client, created_at=f"{day}T10:00:00Z")
        post_reviews(client, session["id"], [(1, True), (2, False)])
    statements = []
    with app.app_context():
        get_db().set_trace_callback(statements.append)  # the connection requests use
    try:
        for path in GET_ROUTES:
            assert client.get(path).status_code == 200, path
    finally:
        with app.app_context():
            get_db().set_trace_callback(None)
    assert len(statements) > len(GET_ROUTES)
    assert full_scans(db_path, statements) == []
