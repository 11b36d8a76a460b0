"""The app as a whole: JSON errors, CORS, first-start seeding, the seed data."""
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from flask import url_for
from servers import PROJECT_DIR

from app import create_app, port_setting
from helpers import count_rows, create_session

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
FRONTEND_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:4173"]
ACTIVITY_ORIGIN = "http://localhost:8080"
REFUSED_ORIGIN = "http://evil.example"


def assert_json_error(response, status):
    assert response.status_code == status
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) >= {"error"}
    assert isinstance(body["error"], str) and body["error"]
    assert b"<html" not in response.data.lower()
    assert b"<!doctype" not in response.data.lower()


def table_counts(path):
    connection = sqlite3.connect(path)
    try:
        return {table: count_rows(connection, table)
                for table in ("groups", "words", "word_groups", "study_activities", "study_sessions")}
    finally:
        connection.close()


# --- JSON errors -------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/nope", "/api", "/api/nope", "/api/words/abc", "/api/groups/1/nothing",
    "/api/study-activities/1/nothing", "/static/app.js", "/api/words/1/",
])
def test_unknown_route_is_a_json_404(client, path):
    response = client.get(path)
    assert_json_error(response, 404)
    assert set(response.get_json()) == {"error"}


@pytest.mark.parametrize("path, item_id", [
    ("/api/words/424242", 424242), ("/words/424242", 424242),
    ("/api/groups/424242", 424242), ("/groups/424242", 424242),
    ("/api/groups/424242/words", 424242), ("/groups/424242/words", 424242),
    ("/api/groups/424242/words/raw", 424242),
    ("/api/groups/424242/study-sessions", 424242), ("/groups/424242/study_sessions", 424242),
    ("/api/study-activities/424242", 424242), ("/api/study-activities/424242/sessions", 424242),
    ("/api/study-activities/424242/launch", 424242),
])
def test_unknown_id_is_a_json_404_that_names_the_id(client, path, item_id):
    response = client.get(path)
    assert_json_error(response, 404)
    error = response.get_json()["error"]
    assert error.endswith("not found")
    assert str(item_id) in error


@pytest.mark.parametrize("path", [
    "/api/words/0", "/api/words/-1", "/api/words/12345678901234567890",
    "/words/0", "/words/-1", "/api/groups/0", "/api/groups/-1/words",
    "/api/groups/99999999999999999999/words/raw", "/api/study-activities/0",
    "/api/words/9223372036854775808",
])
def test_ids_out_of_range_are_a_json_404_never_a_500(client, path):
    assert_json_error(client.get(path), 404)


def test_largest_sqlite_id_is_looked_up_and_not_found(client):
    response = client.get("/api/words/9223372036854775807")
    assert_json_error(response, 404)
    assert response.get_json()["error"].endswith("not found")


@pytest.mark.parametrize("method, path", [
    ("delete", "/api/words"), ("put", "/api/words"), ("put", "/words/1"),
    ("put", "/api/groups/1"), ("delete", "/groups/1/words"),
    ("put", "/api/study-activities"), ("post", "/api/dashboard/stats"),
    ("put", "/dashboard/recent-session"),
])
def test_wrong_method_is_a_json_405_with_allow(client, method, path):
    response = getattr(client, method)(path, json={})
    assert_json_error(response, 405)
    allowed = [value.strip() for value in response.headers["Allow"].split(",")]
    assert "GET" in allowed
    assert method.upper() not in allowed
    assert allowed == sorted(allowed)  # the same in every server process


# --- CORS ----------------------------------------------------------------------

@pytest.mark.parametrize("origin", FRONTEND_ORIGINS + [ACTIVITY_ORIGIN])
@pytest.mark.parametrize("path", ["/api/words", "/groups", "/api/study-activities",
                                  "/dashboard/stats"])
def test_allowed_origins_get_a_cors_grant(client, origin, path):
    response = client.get(path, headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_a_page_may_read_the_headers_it_needs_and_caches_keep_answers_apart(client):
    granted = client.get("/api/words", headers={"Origin": ACTIVITY_ORIGIN})
    exposed = {name.strip() for name in granted.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"ETag", "Location", "Retry-After"}
    # Also without an Origin: a cache must not give this answer to an allowed page.
    assert "Origin" in client.get("/api/words").headers["Vary"]


@pytest.mark.parametrize("origin", [REFUSED_ORIGIN, "http://localhost:5174", "https://localhost:5173",
                                    "http://localhost:8080.evil.example", "null"])
def test_other_origins_get_no_cors_grant(client, origin):
    response = client.get("/api/words", headers={"Origin": origin})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("path, status", [("/nope", 404), ("/api/words/999", 404),
                                          ("/api/words?page=0", 400)])
def test_error_responses_carry_the_cors_grant(client, path, status):
    response = client.get(path, headers={"Origin": "http://localhost:5173"})
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"


def test_method_not_allowed_carries_the_cors_grant(client):
    response = client.delete("/api/words", headers={"Origin": ACTIVITY_ORIGIN})
    assert response.status_code == 405
    assert response.headers["Access-Control-Allow-Origin"] == ACTIVITY_ORIGIN


def test_refused_origin_gets_no_grant_on_errors_either(client):
    response = client.get("/api/words/999", headers={"Origin": REFUSED_ORIGIN})
    assert response.status_code == 404
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight_for_creating_a_session_is_granted(client):
    response = client.options("/api/study-sessions", headers={
        "Origin": "http://localhost:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    methods = {m.strip().upper() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert "POST" in methods
    headers = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert "content-type" in headers


def test_preflight_from_a_refused_origin_is_not_granted(client):
    response = client.options("/api/study-sessions", headers={
        "Origin": REFUSED_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert "Access-Control-Allow-Origin" not in response.headers


def test_extra_origin_from_the_config_is_allowed(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "cors.db"),
                      "CORS_ORIGINS": ["https://school.example"]})
    client = app.test_client()
    granted = client.get("/api/words", headers={"Origin": "https://school.example"})
    assert granted.headers["Access-Control-Allow-Origin"] == "https://school.example"
    assert client.get("/api/words", headers={"Origin": "http://localhost:5173"}) \
        .headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "Access-Control-Allow-Origin" not in client.get(
        "/api/words", headers={"Origin": REFUSED_ORIGIN}).headers


def test_extra_origins_from_the_environment_are_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG_PORTAL_CORS_ORIGINS", "https://school.example, http://kiosk.local:3000")
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "cors.db")})
    client = app.test_client()
    for origin in ("https://school.example", "http://kiosk.local:3000"):
        response = client.get("/api/groups", headers={"Origin": origin})
        assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Origin" not in client.get(
        "/api/groups", headers={"Origin": REFUSED_ORIGIN}).headers


@pytest.mark.parametrize("variable, value", [
    ("LANG_PORTAL_CORS_ORIGINS", "null"), ("LANG_PORTAL_CORS_ORIGINS", "localhost:3000"),
    ("LANG_PORTAL_CORS_ORIGINS", "https://portal.example/app"), ("LANG_PORTAL_CORS_ORIGINS", "ftp://x"),
    ("LANG_PORTAL_CORS_ORIGINS", "http://user@portal.example"), ("LANG_PORTAL_CORS_ORIGINS", "*"),
    # Origins no browser sends: hosts it refuses to open.
    ("LANG_PORTAL_CORS_ORIGINS", "http://[v1.evil.example]:8443"),
    ("LANG_PORTAL_CORS_ORIGINS", "http://evil.example%3a9014"),
    ("LANG_PORTAL_CORS_ORIGINS", "http://256.256.256.256"),
    ("LANG_PORTAL_HOSTS", "portal.lan:99999"), ("LANG_PORTAL_HOSTS", "[::1"),
    ("LANG_PORTAL_ADMIN_TOKEN", " padded "), ("LANG_PORTAL_ADMIN_TOKEN", "t\u00f6k\u00e9n"),
    ("LANG_PORTAL_ADMIN_TOKEN", "two words"),
])
def test_a_bad_access_setting_stops_the_start_with_a_message_naming_it(monkeypatch, tmp_path,
                                                                       variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=f"^{variable} must") as raised:
        create_app({"TESTING": True, "DATABASE": str(tmp_path / "settings.db")})
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "settings.db").exists()


@pytest.mark.parametrize("value", ["99999", "65536", "0", "-1", "abc", "", "50.5", "\u0665\u0660\u0660\u0660",
                                   "1" * 5000])
def test_a_bad_port_is_a_message_naming_it(value):
    with pytest.raises(ValueError, match="^PORT must be a whole number from 1 to 65535, not "):
        port_setting(value)


@pytest.mark.parametrize("value, port", [("5000", 5000), (" 8080 ", 8080), ("1", 1), ("65535", 65535)])
def test_a_good_port_is_taken(value, port):
    assert port_setting(value) == port


@pytest.mark.slow
def test_python_app_py_with_a_bad_port_stops_at_once_and_makes_no_database(tmp_path):
    database = tmp_path / "dev.db"
    result = subprocess.run([sys.executable, "app.py"], cwd=PROJECT_DIR, capture_output=True, text=True,
                            env={**os.environ, "PORT": "99999", "LANG_PORTAL_DB": str(database)},
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "ValueError: PORT must be a whole number from 1 to 65535, not '99999'")
    assert not database.exists()


def test_origins_and_hosts_are_taken_in_the_form_browsers_send_them(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG_PORTAL_CORS_ORIGINS", "https://Portal.Example.org:443/")
    monkeypatch.setenv("LANG_PORTAL_HOSTS", "API.example:8443")
    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "cors.db")}).test_client()
    response = client.get("/api/groups", headers={"Origin": "https://portal.example.org",
                                                  "Host": "api.example:8443"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://portal.example.org"
    assert client.get("/api/groups", headers={"Host": "api.example"}).status_code == 200


@pytest.mark.parametrize("setting, origin, not_the_origin", [
    ("http://faß.de:9009", "http://xn--fa-hia.de:9009", "http://fass.de:9009"),
    ("http://ς.gr", "http://xn--3xa.gr", "http://xn--4xa.gr"),
    ("http://[0:0:0:0:0:0:0:1]:9006", "http://[::1]:9006", "http://[0:0:0:0:0:0:0:1]:9006"),
    ("http://0x7f.1:9007/", "http://127.0.0.1:9007", "http://0x7f.1:9007"),
])
def test_a_cors_origin_setting_grants_the_origin_browsers_send(tmp_path, monkeypatch, setting,
                                                               origin, not_the_origin):
    monkeypatch.setenv("LANG_PORTAL_CORS_ORIGINS", setting)
    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "cors.db")}).test_client()
    granted = client.get("/api/groups", headers={"Origin": origin})
    assert granted.headers["Access-Control-Allow-Origin"] == origin
    refused = client.get("/api/groups", headers={"Origin": not_the_origin})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_the_origin_of_an_activity_added_to_the_database_is_allowed_after_a_restart(tmp_path):
    path = str(tmp_path / "cors.db")
    create_app({"TESTING": True, "DATABASE": path})
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("""INSERT INTO study_activities (name, url, description)
                              VALUES ('Kana Quiz', 'https://kana.example:9000/play', 'Quiz.')""")
    connection.close()
    client = create_app({"TESTING": True, "DATABASE": path}).test_client()
    response = client.get("/api/words", headers={"Origin": "https://kana.example:9000"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://kana.example:9000"


# --- first start -----------------------------------------------------------------

def test_first_start_on_a_missing_file_seeds_it(tmp_path):
    path = tmp_path / "new.db"
    assert not path.exists()
    client = create_app({"TESTING": True, "DATABASE": str(path)}).test_client()
    assert path.exists()
    groups = client.get("/api/groups").get_json()["items"]
    assert sorted((group["name"], group["words_count"]) for group in groups) == [
        ("Core Adjectives", 60), ("Core Verbs", 60)]
    assert client.get("/api/words").get_json()["total"] == 120
    activities = client.get("/api/study-activities").get_json()
    assert [activity["title"] for activity in activities] == ["Typing Tutor", "Flashcards"]
    assert table_counts(str(path)) == {"groups": 2, "words": 120, "word_groups": 120,
                                       "study_activities": 2, "study_sessions": 0}


def test_second_start_on_the_same_file_does_not_seed_again(tmp_path):
    path = str(tmp_path / "again.db")
    first = create_app({"TESTING": True, "DATABASE": path}).test_client()
    create_session(first, 1, 1, created_at="2025-01-01T10:00:00Z")
    before = table_counts(path)
    second = create_app({"TESTING": True, "DATABASE": path}).test_client()
    assert table_counts(path) == before
    assert before["study_sessions"] == 1
    assert second.get("/api/words").get_json()["total"] == 120
    assert second.get("/api/dashboard/stats").get_json()["total_sessions"] == 1


# --- a database file the server cannot use ---------------------------------------------

@pytest.mark.parametrize("value, problem", [
    ("", "not empty"), ("  ", "not empty"), (":memory:", "not ':memory:'"),
    ("{tmp}", "not of a folder: '{tmp}'"), ("{tmp}/", "not of a folder: '{tmp}/'"),
    ("{tmp}/no/such/words.db", "a file in a folder that exists, not '{tmp}/no/such/words.db'"),
], ids=["empty", "blank", "memory", "folder", "folder/", "no folder"])
def test_a_bad_database_path_stops_the_start_with_a_message_naming_it(monkeypatch, tmp_path, value,
                                                                     problem):
    monkeypatch.setenv("LANG_PORTAL_DB", value.format(tmp=tmp_path))
    with pytest.raises(ValueError, match="^LANG_PORTAL_DB must ") as raised:
        create_app()
    assert problem.format(tmp=tmp_path) in str(raised.value)
    assert "\n" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_another_application_s_database_stops_the_start_naming_it_and_stays_as_it_was(
        monkeypatch, tmp_path):
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as notes:
        notes.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    content = path.read_bytes()
    monkeypatch.setenv("LANG_PORTAL_DB", str(path))
    with pytest.raises(RuntimeError, match=f"^LANG_PORTAL_DB: {path} is another application's"):
        create_app()
    assert path.read_bytes() == content


@pytest.mark.parametrize("content", [b"not a database\n", bytes(range(256)) * 40],
                         ids=["text", "random bytes"])
def test_a_file_that_is_no_database_stops_the_start_naming_it_and_stays_as_it_was(
        monkeypatch, tmp_path, content):
    path = tmp_path / "words.db"
    path.write_bytes(content)
    monkeypatch.setenv("LANG_PORTAL_DB", str(path))
    with pytest.raises(RuntimeError, match=f"^LANG_PORTAL_DB: {path} is not an SQLite database$"):
        create_app()
    assert path.read_bytes() == content
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_database_that_cannot_be_written_stops_the_start_naming_it(tmp_path, read_only):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "words.db"
    create_app({"TESTING": True, "DATABASE": str(path)}).extensions["db_pool"].close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    content = path.read_bytes()
    (path if read_only == "file" else folder).chmod(0o555)
    try:
        with pytest.raises(RuntimeError, match=f"^LANG_PORTAL_DB: {path} cannot be written: "):
            create_app({"TESTING": True, "DATABASE": str(path)})
    finally:
        path.chmod(0o644)
        folder.chmod(0o755)
    assert path.read_bytes() == content


# --- the seed data -----------------------------------------------------------------

@pytest.mark.parametrize("file_name", ["core_verbs.json", "core_adjectives.json"])
def test_seed_words_are_spelled_by_their_parts(file_name):
    words = json.loads((SEED_DIR / file_name).read_text(encoding="utf-8"))
    assert len(words) >= 50
    for word in words:
        assert "".join(part["kanji"] for part in word["parts"]) == word["kanji"], word
        assert "".join("".join(part["romaji"]) for part in word["parts"]) == word["romaji"], word
        assert word["english"].strip()


@pytest.mark.parametrize("file_name", ["core_verbs.json", "core_adjectives.json"])
def test_seed_word_lists_have_no_duplicates(file_name):
    words = json.loads((SEED_DIR / file_name).read_text(encoding="utf-8"))
    assert len({word["kanji"] for word in words}) == len(words)


def test_seed_verbs_are_verbs_and_adjectives_are_adjectives():
    verbs = json.loads((SEED_DIR / "core_verbs.json").read_text(encoding="utf-8"))
    adjectives = json.loads((SEED_DIR / "core_adjectives.json").read_text(encoding="utf-8"))
    assert all(word["english"].startswith("to ") for word in verbs)
    assert not any(word["english"].startswith("to ") for word in adjectives)


def test_seed_activities_include_the_typing_tutor():
    activities = json.loads((SEED_DIR / "study_activities.json").read_text(encoding="utf-8"))
    tutor = next(activity for activity in activities if activity["name"] == "Typing Tutor")
    assert tutor["url"] == "http://localhost:8080"
    assert tutor["preview_url"]
    assert tutor["description"] and "\n" not in tutor["description"]


def test_every_seeded_group_has_at_least_50_words(client):
    for group in client.get("/api/groups").get_json()["items"]:
        assert group["words_count"] >= 50


def test_urls_are_built_on_first_use_as_werkzeug_builds_them(app):
    """The routes' URL builders are compiled lazily (lib/http/route.py LazyRule)."""
    with app.test_request_context():
        assert url_for("words.get_word", word_id=3) == "/api/words/3"
        assert url_for("words.get_word", word_id=3, extra="a b") == "/api/words/3?extra=a+b"
        assert url_for("groups.list_groups", _external=True) == "http://localhost/api/groups"
