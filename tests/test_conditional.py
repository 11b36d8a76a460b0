"""Conditional GET: ETags, 304 Not Modified, and every write changing them
(lib/conditional.py). The multi-worker version is in test_server.py."""
import json
from datetime import datetime, timezone

import pytest

from helpers import create_session, document_gets, post_reviews, sorted_variants
from lib.db import get_db
from routes.dashboard import next_stats_change

ORIGIN = "http://localhost:5173"


@pytest.fixture
def urls(app, client):
    """Every GET of the OpenAPI document (each sort key in both orders), on
    data where each has something to show."""
    session = create_session(client, created_at="2026-01-01T10:00:00Z")
    post_reviews(client, session["id"], [(1, True), (2, False)])
    document = client.get("/api/openapi.json").get_json()
    ids = {"group_id": 1, "activity_id": 1, "word_id": 1, "session_id": session["id"]}
    return [path + variant for path, operation in document_gets(document, ids)
            for variant in sorted_variants(operation)]


def etags(client, urls):
    """{url: its ETag}; None for an answer that is gone (after a reset, a 404)."""
    return {url: client.get(url).headers.get("ETag") for url in urls}


def test_every_get_answer_carries_a_weak_etag_and_no_cache(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.headers["ETag"].startswith('W/"'), url
        assert response.headers["Cache-Control"] == "no-cache", url


def test_the_current_etag_answers_304_with_no_body(client, urls):
    for url in urls:
        tag = client.get(url).headers["ETag"]
        response = client.get(url, headers={"If-None-Match": tag, "Origin": ORIGIN})
        assert response.status_code == 304, url
        assert response.data == b""
        assert response.headers["ETag"] == tag
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert "Origin" in response.headers["Vary"]


def test_a_304_runs_none_of_the_pages_queries(app, client):
    tag = client.get("/api/words").headers["ETag"]
    statements = []
    with app.app_context():
        get_db().set_trace_callback(statements.append)
    try:
        assert client.get("/api/words", headers={"If-None-Match": tag}).status_code == 304
    finally:
        with app.app_context():
            get_db().set_trace_callback(None)
    assert statements == ["SELECT value FROM revision"]


@pytest.mark.parametrize("header", ['W/"0"', '"nothing"', ""])
def test_another_tag_gets_the_full_answer(client, header):
    response = client.get("/api/groups", headers={"If-None-Match": header})
    assert response.status_code == 200
    assert response.get_json()["items"]


def test_a_list_of_tags_holding_the_current_one_answers_304(client):
    tag = client.get("/api/groups").headers["ETag"]
    response = client.get("/api/groups", headers={"If-None-Match": f'W/"old", {tag}'})
    assert response.status_code == 304


def test_head_is_conditional_too(client):
    tag = client.head("/words").headers["ETag"]
    assert client.head("/words", headers={"If-None-Match": tag}).status_code == 304


@pytest.mark.parametrize("path", ["/api/words/999999", "/api/words?page=0", "/api/nothing"])
def test_errors_carry_no_etag(client, path):
    response = client.get(path)
    assert response.status_code >= 400
    assert "ETag" not in response.headers


def test_the_docs_page_and_writes_carry_no_etag(client):
    assert "ETag" not in client.get("/api/docs/").headers
    assert "ETag" not in client.post("/api/study-sessions", json={"group_id": 1,
                                                                  "study_activity_id": 1}).headers


def write_every_route(client):
    """One call of each write route (yields its name after it)."""
    session = create_session(client)
    yield "POST /api/study-sessions"
    client.post("/study_sessions", json={"group_id": 2, "study_activity_id": 1})
    yield "POST /study_sessions"
    post_reviews(client, session["id"], [(3, True)])
    yield "POST /api/study-sessions/{session_id}/review"
    assert client.post(f"/study_sessions/{session['id']}/review",
                       json={"reviews": [{"word_id": 4, "is_correct": False}]}).status_code == 201
    yield "POST /study_sessions/{session_id}/review"
    assert client.post(f"/api/study-sessions/{session['id']}/words/5/review",
                       json={"correct": True}).status_code == 201
    yield "POST /api/study-sessions/{session_id}/words/{word_id}/review"
    assert client.post("/api/study-sessions/reset", json={}).status_code == 200
    yield "POST /api/study-sessions/reset"


def write_operations(document):
    return {f"{method.upper()} {path}" for path, operations in document["paths"].items()
            for method in operations if method != "get"}


def test_every_write_route_changes_every_etag(client, urls):
    document = client.get("/api/openapi.json").get_json()
    before = etags(client, urls)
    assert None not in before.values()
    written = []
    for name in write_every_route(client):
        after = etags(client, urls)
        assert all(after[url] != before[url] for url in urls), name
        written.append(name)
        before = after
    # A new write route must be added to write_every_route.
    assert set(written) == write_operations(document)


def test_a_write_from_the_command_line_changes_the_etag(client, runner, tmp_path):
    tag = client.get("/api/groups").headers["ETag"]
    word_list = tmp_path / "words.json"
    word_list.write_text(json.dumps([{"kanji": "猫", "romaji": "neko", "english": "cat",
                                      "parts": [{"kanji": "猫", "romaji": ["ne", "ko"]}]}]))
    assert runner.invoke(args=["import-words", "Animals", str(word_list)]).exit_code == 0
    assert client.get("/api/groups", headers={"If-None-Match": tag}).status_code == 200


def test_a_failed_write_leaves_the_etag(client):
    tag = client.get("/api/groups").headers["ETag"]
    assert client.post("/api/study-sessions", json={"group_id": 999,
                                                    "study_activity_id": 1}).status_code == 404
    assert client.get("/api/groups", headers={"If-None-Match": tag}).status_code == 304


def utc(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def test_the_stats_change_with_the_clock_at_utc_midnight(app):
    with app.app_context():
        assert next_stats_change(get_db(), utc("2026-03-10T15:00:00Z")) == utc("2026-03-11T00:00:00Z")


def test_the_stats_change_when_the_oldest_session_leaves_the_30_day_window(app, client):
    create_session(client, created_at="2026-02-08T12:00:00Z")
    create_session(client, created_at="2026-02-20T12:00:00Z")
    with app.app_context():
        db = get_db()
        # The first session leaves the window 30 days after it started.
        assert next_stats_change(db, utc("2026-03-10T11:00:00Z")) == utc("2026-03-10T12:00:01Z")
        assert next_stats_change(db, utc("2026-03-10T12:00:00Z")) == utc("2026-03-10T12:00:01Z")
        # Once it has left, the next one counts, and before that, midnight.
        assert next_stats_change(db, utc("2026-03-10T12:00:01Z")) == utc("2026-03-11T00:00:00Z")
        assert next_stats_change(db, utc("2026-03-22T06:00:00Z")) == utc("2026-03-22T12:00:01Z")


def test_the_stats_tag_holds_the_clock_and_the_others_do_not(client):
    assert "-" in client.get("/api/dashboard/stats").headers["ETag"]
    assert "-" not in client.get("/api/dashboard/recent-session").headers["ETag"]
