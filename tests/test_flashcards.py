"""Flashcards, the portal's own study activity, as the API sees it: the due
time each rating would set (next_due), the activity seeded with a launch_url
answered absolute on each request's origin, and its static files served with
their content types and a strict Content-Security-Policy. The page itself is
tested in a browser: tests/test_flashcards_browser.py."""
import re
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from helpers import create_session
from lib.base.timeutil import format_utc, parse_utc, utc_now
from lib.commands import migrations
from lib.http.static import ACTIVITIES_DIR

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
DATA = Path(__file__).resolve().parent / "data"


def queue_at(client, moment, group_id=1):
    response = client.get("/api/study-queue", query_string={"group_id": group_id, "limit": 100,
                                                             "at": format_utc(moment)})
    assert response.status_code == 200, response.get_json()
    return {word["id"]: word for word in response.get_json()["words"]}


def answer(client, session_id, word_id, rating, moment):
    response = client.post(f"/api/study-sessions/{session_id}/words/{word_id}/review", json={
        "correct": rating > 1, "rating": rating, "reviewed_at": format_utc(moment)})
    assert response.status_code == 201, response.get_json()


def due_of(client, word_id):
    return client.get(f"/api/words/{word_id}").get_json()["word"]["due"]


# --- next_due: what each rating would set -----------------------------------------

def test_each_rating_sets_the_due_time_the_queue_said_for_new_and_reviewed_words(client):
    start = utc_now() - timedelta(days=20)
    session = create_session(client, 1, 2, created_at=format_utc(start))
    # Round 1: words 1-4 are new, each given another rating; round 2, days
    # later, the same words (then in learning or review) each rated otherwise.
    for round_number, moment in enumerate([start + timedelta(minutes=5),
                                           start + timedelta(days=9, hours=3)]):
        queue = queue_at(client, moment)
        names = list(RATINGS)[round_number:] + list(RATINGS)[:round_number]
        for word_id, name in zip([1, 2, 3, 4], names, strict=True):
            next_due = queue[word_id]["next_due"]
            assert next_due["rated_at"] == format_utc(moment)
            answer(client, session["id"], word_id, RATINGS[name], moment)
            assert due_of(client, word_id) == next_due[name], (round_number, word_id, name)


def test_the_labels_of_a_new_word_are_fsrs_first_steps(client):
    moment = utc_now() - timedelta(hours=1)
    next_due = queue_at(client, moment)[1]["next_due"]
    intervals = {name: parse_utc(next_due[name]) - moment for name in RATINGS}
    assert intervals["again"] < intervals["hard"] < intervals["good"] < intervals["easy"]
    assert intervals["again"] == timedelta(minutes=1)
    assert intervals["good"] == timedelta(minutes=10)
    assert intervals["easy"] >= timedelta(days=1)


def test_a_words_page_gives_next_due_now_as_the_queue_does_at_that_moment(client):
    create_session(client, 1, 2, created_at=format_utc(utc_now() - timedelta(days=3)))
    answer(client, 1, 5, 3, utc_now() - timedelta(days=2))
    word = client.get("/api/words/5").get_json()["word"]
    rated_at = parse_utc(word["next_due"]["rated_at"])
    assert abs(rated_at - utc_now()) < timedelta(seconds=5)
    assert word["next_due"] == queue_at(client, rated_at)[5]["next_due"]


def test_next_due_is_described_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    next_due = schemas["NextDue"]
    assert set(next_due["required"]) == {"rated_at", *RATINGS}
    assert all(field.get("description") for field in next_due["properties"].values())
    assert "rating" in next_due["description"]
    for model in ("QueueWord", "WordDetail"):
        assert schemas[model]["properties"]["next_due"] == {"$ref": "#/components/schemas/NextDue"}


# --- the activity: seeded, stored relative, answered absolute ---------------------

def flashcards_row(db):
    return db.execute("SELECT * FROM study_activities WHERE name = 'Flashcards'").fetchone()


def test_flashcards_is_seeded_with_its_path_and_answered_on_each_hosts_origin(client, db):
    row = flashcards_row(db)
    assert (row["url"], row["preview_url"]) == ("/activities/flashcards/",
                                                "/activities/flashcards/preview.svg")
    for host in ("localhost:5000", "127.0.0.1:5001", "[::1]:8080"):
        origin = f"http://{host}"
        paths = [f"/api/study-activities/{row['id']}", "/api/study-activities",
                 f"/api/study-activities/{row['id']}/launch"]
        answers = [client.get(path, headers={"Host": host}).get_json() for path in paths]
        shown = [answers[0], *[a for a in answers[1] if a["id"] == row["id"]], answers[2]["activity"]]
        for activity in shown:
            assert activity["launch_url"] == f"{origin}/activities/flashcards/"
            assert activity["preview_url"] == f"{origin}/activities/flashcards/preview.svg"


def test_an_answer_for_another_host_has_another_tag(client):
    first = client.get("/api/study-activities", headers={"Host": "localhost:5000"})
    second = client.get("/api/study-activities", headers={"Host": "localhost:5001",
                                                          "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.get_json()[1]["launch_url"] == "http://localhost:5001/activities/flashcards/"


def test_other_urls_are_answered_as_stored(client):
    typing_tutor = client.get("/api/study-activities/1", headers={"Host": "localhost:5001"}).get_json()
    assert typing_tutor["launch_url"] == "http://localhost:8080"
    # The frontend's own image, which it loads from its own origin.
    assert typing_tutor["preview_url"] == "/assets/study_activities/typing-tutor.png"


def test_the_api_takes_only_absolute_launch_urls_from_clients(client, db):
    before = db.execute("SELECT * FROM study_activities").fetchall()
    for url in ("/activities/flashcards/", "//evil.example/x", "activities/x"):
        response = client.post("/api/study-activities", json={"title": "Copy", "launch_url": url})
        assert response.status_code == 400, url
        response = client.patch("/api/study-activities/2", json={"launch_url": url})
        assert response.status_code == 400, url
    assert db.execute("SELECT * FROM study_activities").fetchall() == before


def test_renaming_flashcards_keeps_its_relative_url(client, db):
    response = client.patch("/api/study-activities/2", json={"title": "Cards"})
    assert response.status_code == 200
    assert response.get_json()["launch_url"] == "http://localhost/activities/flashcards/"
    assert flashcards_row(db) is None
    assert db.execute("SELECT url FROM study_activities WHERE id = 2").fetchone()[0] == (
        "/activities/flashcards/")


def test_the_database_refuses_other_relative_urls(db):
    for url in ("//evil.example/", "/api/words", "ftp://x/", "activities/x"):
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE study_activities SET url = ? WHERE id = 2", (url,))


def test_a_relative_launch_url_grants_no_cors_origin(client):
    # Flashcards calls the API from the API's own origin: no grant needed.
    for origin in ("http://localhost", "null", "http://localhost:5000"):
        response = client.get("/api/groups", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in response.headers, origin
    granted = client.get("/api/groups", headers={"Origin": "http://localhost:8080"})
    assert granted.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"


def test_a_session_of_flashcards_is_started_as_the_frontend_does(client):
    response = client.post("/study_sessions", json={"group_id": 1, "study_activity_id": 2})
    assert response.status_code == 201
    assert response.get_json()["activity_name"] == "Flashcards"


# --- the upgrade --------------------------------------------------------------------

def upgraded(tmp_path, change=None):
    """release-3.db, changed by change(connection) first, upgraded."""
    path = str(tmp_path / "release-3.db")
    shutil.copyfile(DATA / "release-3.db", path)
    if change:
        connection = sqlite3.connect(path)
        change(connection)
        connection.commit()
        connection.close()
    migrations.open_database(path)
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    return connection


def test_the_upgrade_adds_flashcards_after_every_id_ever_given(tmp_path):
    def add_and_delete_one(connection):
        connection.execute("INSERT INTO study_activities (name, url) VALUES ('Gone', 'http://x:1')")
        connection.execute("DELETE FROM study_activities WHERE name = 'Gone'")

    connection = upgraded(tmp_path, add_and_delete_one)
    rows = [tuple(row) for row in connection.execute(
        "SELECT id, name, url, preview_url FROM study_activities ORDER BY id")]
    assert rows == [(1, "Typing Tutor", "http://localhost:8080",
                     "/assets/study_activities/typing-tutor.png"),
                    (3, "Flashcards", "/activities/flashcards/",
                     "/activities/flashcards/preview.svg")]
    connection.execute("INSERT INTO study_activities (name, url) VALUES ('Next', 'http://y:1')")
    assert connection.execute("SELECT max(id) FROM study_activities").fetchone()[0] == 4
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


def test_the_upgrade_leaves_a_users_own_flashcards_activity_alone(tmp_path):
    def make_flashcards(connection):
        connection.execute("""INSERT INTO study_activities (name, url, preview_url, description)
                              VALUES ('Flashcards', 'http://cards.lan:9000/', NULL, 'mine')""")

    connection = upgraded(tmp_path, make_flashcards)
    rows = [tuple(row) for row in connection.execute(
        "SELECT name, url, preview_url, description FROM study_activities ORDER BY id")]
    assert rows[1:] == [("Flashcards", "http://cards.lan:9000/", None, "mine")]
    connection.close()


# --- the static files -------------------------------------------------------------

def test_the_page_is_served_with_its_policy_and_the_usual_protections(client):
    response = client.get("/activities/flashcards/?group_id=1&session_id=2")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == PAGE_POLICY
    assert response.headers.getlist("Content-Security-Policy") == [PAGE_POLICY]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert b'<script type="module" src="app.js">' in response.data


@pytest.mark.parametrize("name, mimetype", [
    ("app.js", "text/javascript"), ("flashcards.css", "text/css"),
    ("preview.svg", "image/svg+xml"), ("index.html", "text/html")])
def test_each_file_has_its_type(client, name, mimetype):
    response = client.get(f"/activities/flashcards/{name}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data == (ACTIVITIES_DIR / "flashcards" / name).read_bytes()


def test_an_api_answer_keeps_its_own_policy(client):
    assert client.get("/api/groups").headers.getlist("Content-Security-Policy") == [
        "frame-ancestors 'none'"]


def test_a_file_is_revalidated_with_its_etag(client):
    first = client.get("/activities/flashcards/app.js")
    again = client.get("/activities/flashcards/app.js",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "no-cache" in first.headers["Cache-Control"]


def test_the_folder_without_its_slash_is_redirected_with_its_query(client):
    response = client.get("/activities/flashcards?group_id=1&session_id=2")
    assert response.status_code == 308
    assert response.headers["Location"] == "/activities/flashcards/?group_id=1&session_id=2"


@pytest.mark.parametrize("path", [
    "/activities/flashcards/missing.js",
    "/activities/flashcards/../../app.py",
    "/activities/flashcards/%2e%2e/%2e%2e/app.py",
    "/activities/..%2fapp.py",
    "/activities/flashcards/..%2f..%2fsql/schema.sql",
    "/activities/%2fetc/passwd",
    "/activities/flashcards/app.js%00.png",
    "/activities/",
    "/activities/flashcards/index.html/",
])
def test_anything_but_an_activitys_file_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert response.is_json
    assert "error" in response.get_json()


def test_the_page_answers_only_to_the_apis_own_host_names(client):
    response = client.get("/activities/flashcards/", headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert response.is_json


def files_of(suffix):
    return sorted((ACTIVITIES_DIR / "flashcards").glob(f"*{suffix}"))


def test_the_page_has_no_inline_script_or_style_for_its_policy_to_block():
    html = (ACTIVITIES_DIR / "flashcards" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="module" src="app.js">']
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handler
    for path in [*files_of(".html"), *files_of(".js")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=|\.style\b", text), path.name
        assert not re.search(r"https?://", text), path.name  # nothing from another origin
        assert "innerHTML" not in text, path.name


def test_every_module_the_page_imports_is_served(client):
    for path in files_of(".js"):
        for name in re.findall(r'from "\./([a-z]+\.js)"', path.read_text(encoding="utf-8")):
            assert client.get(f"/activities/flashcards/{name}").status_code == 200, name
