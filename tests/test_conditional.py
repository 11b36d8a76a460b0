"""Conditional GET: ETags, 304 Not Modified, and every write changing them
(lib/http/conditional.py). The multi-worker version is in test_server.py."""
import json
import re
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest

from app import create_app
from helpers import create_session, document_gets, post_reviews, sorted_variants
from lib.http import conditional
from lib.learning.dashboard import next_stats_change
from lib.learning.study_queue import next_queue_change, next_schedule_change
from lib.store.db import get_db

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


@pytest.mark.slow
def test_every_get_answer_carries_a_weak_etag_and_no_cache(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.headers["ETag"].startswith('W/"'), url
        assert response.headers["Cache-Control"] == "no-cache", url


@pytest.mark.slow
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


@pytest.mark.parametrize("path", ["/api/groups/999999", "/api/words?per_page=0",
                                  "/api/dashboard/forecast?days=0"])
def test_no_tag_makes_an_error_a_304(client, path):
    another_answers_tag = client.get("/api/groups/2").headers["ETag"]

    for header in (another_answers_tag, "*"):
        response = client.get(path, headers={"If-None-Match": header})
        assert response.status_code in (400, 404)
        assert "error" in response.get_json()


def test_star_answers_304_once_the_route_found_an_answer(client):
    response = client.get("/api/groups/2", headers={"If-None-Match": "*",
                                                    "Origin": "http://localhost:5173"})

    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"


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
    yield from write_the_inventory(client)
    assert client.post("/api/study-sessions/reset", json={}).status_code == 200
    yield "POST /api/study-sessions/reset"


def write_the_inventory(client):
    def write(method, path, body=None, status=200):
        response = client.open(path, method=method, json=body)
        assert response.status_code == status, (method, path, response.get_json())
        return response.get_json()

    word = write("POST", "/api/words", {"kanji": "犬", "english": "dog"}, 201)["word"]["id"]
    yield "POST /api/words"
    write("PATCH", f"/api/words/{word}", {"english": "a dog"})
    yield "PATCH /api/words/{word_id}"
    group = write("POST", "/api/groups", {"name": "Animals"}, 201)["id"]
    yield "POST /api/groups"
    write("PATCH", f"/api/groups/{group}", {"name": "Pets"})
    yield "PATCH /api/groups/{group_id}"
    write("PUT", f"/api/groups/{group}/words/{word}", {}, 201)
    yield "PUT /api/groups/{group_id}/words/{word_id}"
    write("DELETE", f"/api/groups/{group}/words/{word}", status=204)
    yield "DELETE /api/groups/{group_id}/words/{word_id}"
    write("DELETE", f"/api/groups/{group}", status=204)
    yield "DELETE /api/groups/{group_id}"
    write("DELETE", f"/api/words/{word}", status=204)
    yield "DELETE /api/words/{word_id}"
    activity = write("POST", "/api/study-activities",
                     {"title": "Kana Drill", "launch_url": "http://localhost:8099/drill"}, 201)["id"]
    yield "POST /api/study-activities"
    write("PATCH", f"/api/study-activities/{activity}", {"description": "kana"})
    yield "PATCH /api/study-activities/{activity_id}"
    write("DELETE", f"/api/study-activities/{activity}", status=204)
    yield "DELETE /api/study-activities/{activity_id}"


def write_operations(document):
    return {f"{method.upper()} {path}" for path, operations in document["paths"].items()
            for method in operations if method != "get"}


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_write_that_changes_nothing_leaves_every_etag(client, urls):
    retry = {"reviews": [{"word_id": 3, "is_correct": True,
                          "review_id": "6f1c2b1e-8a55-4c39-9d0e-1d2a3b4c5d6e"}]}
    session = create_session(client)
    assert client.post(f"/api/study-sessions/{session['id']}/review", json=retry).status_code == 201
    before = etags(client, urls)

    again = client.post(f"/api/study-sessions/{session['id']}/review", json=retry)

    assert again.status_code == 200 and again.get_json()["recorded"] == 0
    assert etags(client, urls) == before


# Writes whose second call stores nothing: each runs UPDATEs that set the
# values the rows hold already.
RETRIES = {
    "PUT a word in a group it is in": ("PUT", "/api/groups/1/words/20", {}),
    "PATCH a word with its values": ("PATCH", "/api/words/1", {
        "kanji": "食べる", "romaji": "taberu", "english": "to eat (a meal)",
        "parts": [{"kanji": "食", "romaji": ["ta"]}, {"kanji": "べる", "romaji": ["be", "ru"]}]}),
    "PATCH a group with its name": ("PATCH", "/api/groups/2", {"name": "Adjectives"}),
    "PATCH an activity with its values": ("PATCH", "/api/study-activities/1", {
        "title": "Tutor", "launch_url": "http://localhost:8080/play", "preview_url": None,
        "description": "Type the words."}),
    "reset an empty history": ("POST", "/api/study-sessions/reset", {}),
}


# Every tag is made from the same revision: a few answers stand for all of
# them here (the sweep of every URL is test_a_write_that_changes_nothing_...).
SOME_URLS = ["/api/words", "/api/groups/1", "/api/study-activities", "/api/dashboard/stats",
             "/groups/2/words", "/api/study-queue"]


def stored_values(response):
    """The answer but for what the moment of the request sets: a word's
    schedule and next_due (retrievability, and due times counted from now)."""
    answer = response.get_json()
    for field in ("schedule", "next_due"):
        answer.get("word", {}).pop(field, None)
    return answer


@pytest.mark.parametrize("retry", RETRIES)
def test_a_retry_that_changes_no_value_leaves_every_etag(client, retry):
    urls = SOME_URLS
    method, path, body = RETRIES[retry]
    first = client.open(path, method=method, json=body)
    assert first.status_code in (200, 201), first.get_json()
    before = etags(client, urls)

    again = client.open(path, method=method, json=body)

    assert again.status_code == 200, again.get_json()
    assert stored_values(again) == stored_values(first)
    assert etags(client, urls) == before


def test_a_change_made_outside_the_server_changes_every_etag(client, db_path):
    """Through sqlite3 by hand, say: the revision follows the rows, not the code."""
    urls = SOME_URLS
    before = etags(client, urls)
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("UPDATE study_activities SET description = 'By hand.' WHERE id = 1")
    after = etags(client, urls)
    assert all(after[url] != before[url] for url in urls)


def test_the_revision_follows_every_column_of_every_table(db):
    """A table or column the triggers miss would leave old tags valid after it changed."""
    tables = [row[0] for row in db.execute(
        """SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name <> 'revision'""")]
    assert "words" in tables
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        triggers = dict(db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)))
        bump = "UPDATE revision SET value = random();"
        for event, name in (("INSERT", "inserted"), ("DELETE", "deleted")):
            assert f"AFTER {event} ON {table}\nBEGIN {bump} END" in triggers[f"{table}_{name}"]
        update = triggers[f"{table}_updated"]
        assert f"AFTER UPDATE ON {table}\n" in update and update.endswith(f"BEGIN {bump} END")
        assert re.findall(r"\bOLD\.(\w+)", update) == columns, table
        assert re.findall(r"\bNEW\.(\w+)", update) == columns, table


@pytest.mark.slow
def test_a_restart_with_other_settings_changes_every_etag(client, urls, db_path):
    # A page of an origin no longer allowed must not revalidate the answer it kept.
    before = etags(client, urls)
    for setting in ({"NEW_PER_DAY": 3}, {"DESIRED_RETENTION": 0.8},
                    {"CORS_ORIGINS": ["http://localhost:5174"]}):
        restarted = create_app({"TESTING": True, "DATABASE": db_path, **setting})
        after = etags(restarted.test_client(), urls)
        restarted.extensions["db_pool"].close()
        assert all(after[url] != before[url] for url in urls), setting


def test_a_new_release_changes_every_etag(tmp_path, monkeypatch, db_path):
    """Its answers may differ (a new field, another order) with the same data."""
    release = tmp_path / "release"
    for pattern in conditional.SOURCES:
        for source in conditional.PROJECT_DIR.glob(pattern):
            copy = release / source.relative_to(conditional.PROJECT_DIR)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(source.read_bytes())
    monkeypatch.setattr(conditional, "PROJECT_DIR", release)

    def tag_of_this_release():
        conditional.release_checksum.cache_clear()
        app = create_app({"TESTING": True, "DATABASE": db_path})
        tag = app.test_client().get("/api/groups").headers["ETag"]
        app.extensions["db_pool"].close()
        return tag

    first = tag_of_this_release()
    assert tag_of_this_release() == first
    with open(release / "lib" / "queries" / "words.py", "a") as source:
        source.write("# the next release\n")
    assert tag_of_this_release() != first
    conditional.release_checksum.cache_clear()


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
    # version-revision-url, then the clock's moment when the answer has one
    assert client.get("/api/dashboard/stats").headers["ETag"].count("-") > 2
    assert client.get("/api/dashboard/recent-session").headers["ETag"].count("-") == 2


def review_at(client, word_id, reviewed_at, correct):
    session = create_session(client, created_at=reviewed_at)
    response = client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": word_id, "is_correct": correct, "reviewed_at": reviewed_at}]})
    assert response.status_code == 201, response.get_json()


@pytest.mark.slow
def test_the_queue_changes_when_a_word_falls_due(client):
    # Rated again, a new card is due a minute later: here, 5 s from now (a
    # margin for the requests before it, on a busy machine too).
    reviewed_at = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=55)
    review_at(client, 1, reviewed_at.strftime("%Y-%m-%dT%H:%M:%SZ"), False)
    before = client.get("/api/study-queue")
    assert [word["id"] for word in before.get_json()["words"] if word["reason"] == "due"] == []
    stats_tag = client.get("/api/dashboard/stats").headers["ETag"]

    due = reviewed_at + timedelta(minutes=1)
    time.sleep(max(0, (due - datetime.now(timezone.utc)).total_seconds()) + 1.1)

    after = client.get("/api/study-queue", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert [word["id"] for word in after.get_json()["words"] if word["reason"] == "due"] == [1]
    stats = client.get("/api/dashboard/stats", headers={"If-None-Match": stats_tag})
    assert stats.status_code == 200 and stats.get_json()["due_now"] == 1


def test_the_queue_changes_when_a_due_word_s_retrievability_steps(app, client):
    review_at(client, 1, "2026-03-01T08:00:00Z", False)  # due 08:01
    review_at(client, 2, "2026-03-01T09:30:00Z", False)  # due 09:31
    with app.app_context():
        db = get_db()
        # Before anything is due: when the first word falls due.
        assert next_queue_change(db, utc("2026-03-01T08:00:30Z")) == utc("2026-03-01T08:01:00Z")
        # Word 1 due, word 2 not yet: word 2 falls due first.
        assert next_queue_change(db, utc("2026-03-01T09:00:00Z")) == utc("2026-03-01T09:31:00Z")
        # Both due: word 1's retrievability steps a day after its review.
        assert next_queue_change(db, utc("2026-03-01T23:00:00Z")) == utc("2026-03-02T00:00:00Z")
        assert next_queue_change(db, utc("2026-03-02T07:00:00Z")) == utc("2026-03-02T08:00:00Z")
        assert next_queue_change(db, utc("2026-03-02T08:30:00Z")) == utc("2026-03-02T09:30:00Z")


def test_a_word_page_changes_when_its_retrievability_steps(app, client):
    review_at(client, 1, "2026-03-01T08:00:00Z", True)
    with app.app_context():
        db = get_db()
        assert next_schedule_change(db, utc("2026-03-01T09:00:00Z"), 1) == utc("2026-03-02T08:00:00Z")
        assert next_schedule_change(db, utc("2026-03-05T08:00:00Z"), 1) == utc("2026-03-06T08:00:00Z")
        assert next_schedule_change(db, utc("2026-03-05T08:00:00Z"), 2) == "never"  # new


def test_the_forecast_changes_at_utc_midnight(client):
    assert client.get("/api/dashboard/forecast").headers["ETag"].endswith(
        (datetime.now(timezone.utc).date() + timedelta(days=1)).strftime('%Y-%m-%dT00:00:00Z"'))


def test_the_dashboard_answers_are_made_again_after_a_write(client):
    before = client.get("/api/dashboard/stats").get_json()
    assert client.get("/api/dashboard/stats").get_json() == before

    create_session(client)

    assert client.get("/api/dashboard/stats").get_json()["total_sessions"] == \
        before["total_sessions"] + 1


def test_a_remembered_forecast_follows_its_days(client):
    assert len(client.get("/api/dashboard/forecast?days=3").get_json()) == 3
    assert len(client.get("/api/dashboard/forecast?days=5").get_json()) == 5
    assert len(client.get("/api/dashboard/forecast?days=3").get_json()) == 3
