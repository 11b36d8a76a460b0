"""No request reads all of history, and no list sorts its rows: every query
on study_sessions and word_review_items goes through an index, and every
page of every list (each route and sort key of the OpenAPI document, both
orders, first and last page) is read in index order (EXPLAIN QUERY PLAN)."""
import re
import sqlite3

import pytest

from helpers import create_session, document_gets, post_reviews, sorted_variants, traced

HISTORY_TABLES = re.compile(r"^SCAN (study_sessions|word_review_items|s|i)\b")
# The study queue ranks the due words by their retrievability now: an order
# that changes with the clock, which no index can hold. It reads only the due
# words (an index range), and keeps the top ones.
RANKED_NOW = "/ r.stability DESC"
# Beyond the sort keys: the study queue's other scopes and moments.
MORE_URLS = ["/api/study-queue?group_id=1", "/api/study-queue?at=2026-01-02T12:00:00Z",
             "/api/dashboard/forecast?days=365"]


def plan_problems(db_path, statements):
    explain = sqlite3.connect(db_path)
    found = []
    for sql in set(statements):
        for row in explain.execute("EXPLAIN QUERY PLAN " + sql):
            step = row[3]
            # An index (or the table, in id order) walked in order and cut
            # short by LIMIT reads one page, not history.
            ordered_page = "LIMIT" in sql and ("USING INDEX" in step or " WHERE " not in sql)
            if HISTORY_TABLES.match(step) and not ordered_page:
                found.append((step, " ".join(sql.split())))
            if ("TEMP B-TREE FOR ORDER BY" in step and "LIMIT" in sql
                    and RANKED_NOW not in " ".join(sql.split())):
                found.append((step, " ".join(sql.split())))
    explain.close()
    return found


@pytest.fixture
def history(client, db):
    """Two groups and two activities with sessions and reviews."""
    db.execute("""INSERT INTO study_activities (name, url, preview_url, description)
                  VALUES ('Kana Match', 'http://localhost:8081', NULL, '')""")
    db.commit()
    for day, group, activity in (("2026-01-01", 1, 1), ("2026-01-02", 2, 2), ("2026-01-03", 1, 2)):
        session = create_session(client, group, activity, created_at=f"{day}T10:00:00Z")
        word = 1 if group == 1 else 61
        post_reviews(client, session["id"], [(word, True), (word + 1, False)])
    return session


def every_page_url(client, session_id):
    """Each GET of the document at each sort key, both orders, per_page=1 so
    that the last page is deep, and that page."""
    document = client.get("/api/openapi.json").get_json()
    ids = {"group_id": 1, "activity_id": 1, "word_id": 1, "session_id": session_id}
    urls = []
    for path, operation in document_gets(document, ids):
        for variant in sorted_variants(operation):
            if not variant:
                urls.append(path)
                continue
            first = f"{path}{variant}&per_page=1"
            answer = client.get(first).get_json()
            urls += [first, f"{first}&page={max(answer['total_pages'], 1)}"]
    return urls


def test_no_get_route_scans_the_history_or_sorts_a_list(app, client, db_path, history):
    urls = every_page_url(client, history["id"]) + MORE_URLS
    statements = traced(app, client, urls)
    assert len(statements) > len(urls)
    problems = plan_problems(db_path, statements)
    assert not problems, "\n".join(f"{step}: {sql}" for step, sql in sorted(problems))
