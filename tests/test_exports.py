"""The review log as a file (CSV for the FSRS optimizer, NDJSON), through the
API and export-reviews; a group as an Anki deck, through the API and
export-deck; and Anki's plain-text export read back by import-words."""
import csv
import io
import json
import sqlite3
import urllib.request
import zipfile
from calendar import timegm
from time import strptime

import genanki
import pytest
from servers import request

from app import create_app
from helpers import create_session
from lib.inventory.deck import DECK_ID_BASE, MODEL_ID


def answer(client, session_id, word_id, correct=True, **fields):
    response = client.post(f"/api/study-sessions/{session_id}/review", json={"reviews": [
        {"word_id": word_id, "is_correct": correct, **fields}]})
    assert response.status_code == 201, response.get_json()


@pytest.fixture
def history(client):
    one = create_session(client, 1, created_at="2026-01-01T10:00:00Z")
    two = create_session(client, 2, created_at="2026-01-02T10:00:00Z")
    answer(client, one["id"], 1, reviewed_at="2026-01-01T10:00:00Z")
    answer(client, one["id"], 2, correct=False, reviewed_at="2026-01-01T10:00:01Z")
    answer(client, one["id"], 1, rating=4, reviewed_at="2026-01-01T10:05:00Z")
    answer(client, two["id"], 61, rating=2, reviewed_at="2026-01-02T10:00:00Z")
    return one, two


def whole_log(client, query=""):
    items, url = [], f"/api/reviews?order=asc&limit=2&{query}"
    while url:
        page = client.get(url).get_json()
        items, url = items + page["items"], page["next_url"]
    return items


def milliseconds(text):
    return timegm(strptime(text, "%Y-%m-%dT%H:%M:%SZ")) * 1000


def test_the_csv_has_the_fsrs_optimizer_columns_and_units(client, history):
    response = client.get("/api/reviews/export?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="reviews.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [{"card_id": str(item["word_id"]),
                     "review_time": str(milliseconds(item["reviewed_at"])),
                     "review_rating": str(item["rating"])} for item in whole_log(client)]
    assert [row["review_rating"] for row in rows] == ["3", "1", "4", "2"]
    assert rows[0]["review_time"] == "1767261600000"  # 2026-01-01T10:00:00Z


def test_the_ndjson_carries_every_field_of_the_log(client, history):
    response = client.get("/api/reviews/export?format=NDJSON")
    assert response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).splitlines()
    assert [json.loads(line) for line in lines] == whole_log(client)


@pytest.mark.parametrize("query", ["group_id=2", "word_id=1", "since=2026-01-01T10:00:01Z",
                                   "until=2026-01-01T10:05:00Z&order=desc", "session_id=999"])
def test_the_exports_take_the_filters_of_the_log(client, history, query):
    lines = client.get(f"/api/reviews/export?format=ndjson&{query}").get_data(as_text=True)
    expected = whole_log(client, query.replace("order=desc", ""))
    if "order=desc" in query:
        expected.reverse()
    assert [json.loads(line) for line in lines.splitlines()] == expected
    rows = client.get(f"/api/reviews/export?format=csv&{query}").get_data(as_text=True)
    assert len(rows.splitlines()) == len(expected) + 1


@pytest.mark.parametrize("query", ["", "format=xml", "format=csv&group_id=0",
                                   "format=csv&since=soon", "format=csv&order=sideways"])
def test_a_bad_export_query_is_a_json_400(client, query):
    response = client.get(f"/api/reviews/export?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]


def checkpoint_blocked(db_path):
    """Whether a reader still holds a snapshot: a TRUNCATE checkpoint then
    cannot finish (its first column is 1)."""
    connection = sqlite3.connect(db_path, timeout=0)
    try:
        return connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 1
    finally:
        connection.close()


def test_the_export_reads_one_snapshot_and_then_lets_its_connection_go(app, client, history,
                                                                       db_path):
    response = client.get("/api/reviews/export?format=ndjson", buffered=False)
    chunks = iter(response.response)
    first = next(chunks)
    # Mid-stream: its read transaction is open; an answer stored now (by
    # another app: this thread's app context is the stream's) is not in it.
    assert checkpoint_blocked(db_path)
    other = create_app({"TESTING": True, "DATABASE": db_path})
    answer(other.test_client(), history[1]["id"], 62)
    other.extensions["db_pool"].close()
    rest = b"".join(chunks)
    response.close()
    assert len((first + rest).splitlines()) == 4
    assert not checkpoint_blocked(db_path)
    pool = app.extensions["db_pool"]
    assert pool.idle and not any(connection.in_transaction for connection in pool.idle)


def test_a_client_that_goes_midway_lets_the_connection_go(app, client, history, db_path,
                                                          monkeypatch):
    monkeypatch.setattr("lib.learning.exports.CHUNK_ROWS", 1)
    response = client.get("/api/reviews/export?format=csv", buffered=False)
    next(iter(response.response))
    assert checkpoint_blocked(db_path)
    response.close()
    assert not checkpoint_blocked(db_path)


def test_an_export_has_an_etag(client, history):
    first = client.get("/api/reviews/export?format=csv")
    again = client.get("/api/reviews/export?format=csv",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_export_reviews_writes_the_file_its_suffix_names(runner, client, history, tmp_path):
    for suffix in ("csv", "ndjson"):
        path = tmp_path / f"log.{suffix}"
        result = runner.invoke(args=["export-reviews", str(path), "--group-id", "1"])
        assert result.exit_code == 0, result.output
        assert "Exported 3 answers" in result.output
        expected = client.get(f"/api/reviews/export?format={suffix}&group_id=1").data
        assert path.read_bytes() == expected
    result = runner.invoke(args=["export-reviews", str(tmp_path / "all.csv"), "--order", "desc"])
    assert result.exit_code == 0
    assert (tmp_path / "all.csv").read_bytes() == \
        client.get("/api/reviews/export?format=csv&order=desc").data
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


@pytest.mark.parametrize("args, message", [
    (["log.txt"], "must end in .csv or .ndjson"),
    (["nowhere/log.csv"], "the folder does not exist"),
    (["log.csv", "--word-id", "x"], "--word-id"),
    (["log.csv", "--since", "monday"], "--since"),
])
def test_export_reviews_refuses_in_one_line(runner, history, tmp_path, args, message):
    result = runner.invoke(args=["export-reviews", str(tmp_path / args[0]), *args[1:]])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / args[0]).exists()


def open_package(data, tmp_path):
    """The notes (guid, fields), the deck names and the note types of an .apkg."""
    package = zipfile.ZipFile(io.BytesIO(data))
    assert set(package.namelist()) == {"collection.anki2", "media"}
    path = tmp_path / "collection.anki2"
    path.write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(path)
    try:
        notes = [(guid, fields.split("\x1f"), model) for guid, fields, model in connection.execute(
            "SELECT guid, flds, mid FROM notes ORDER BY id")]
        decks, models = connection.execute("SELECT decks, models FROM col").fetchone()
        cards = connection.execute("SELECT DISTINCT did FROM cards").fetchall()
    finally:
        connection.close()
    return notes, json.loads(decks), json.loads(models), cards


def test_a_group_as_an_anki_deck(client, tmp_path):
    response = client.get("/api/groups/1/deck.apkg")
    assert response.status_code == 200
    assert response.mimetype == "application/apkg"
    assert response.headers["Content-Disposition"] == 'attachment; filename="Core Verbs.apkg"'
    notes, decks, models, cards = open_package(response.data, tmp_path)
    words = client.get("/api/groups/1/words/raw").get_json()
    assert [(guid, model) for guid, _, model in notes] == [
        (genanki.guid_for("lang-portal", word["id"]), MODEL_ID) for word in words]
    first = words[0]
    assert notes[0][1][:3] == [first["kanji"], first["english"], first["romaji"]]
    assert notes[0][1][3] == "".join(f"<ruby>{part['kanji']}<rt>{''.join(part['romaji'])}</rt>"
                                     "</ruby>" for part in first["parts"])
    assert decks[str(DECK_ID_BASE + 1)]["name"] == "Core Verbs"
    assert cards == [(DECK_ID_BASE + 1,)]
    model = models[str(MODEL_ID)]
    assert [field["name"] for field in model["flds"]] == ["Kanji", "English", "Romaji", "Readings"]
    assert "{{Kanji}}" in model["tmpls"][0]["qfmt"] and "{{English}}" in model["tmpls"][0]["afmt"]


def test_a_deck_exported_again_after_an_edit_keeps_each_note_guid(client, tmp_path):
    before, *_ = open_package(client.get("/api/groups/1/deck.apkg").data, tmp_path)
    assert client.patch("/api/words/1", json={"english": "to eat (a meal)"}).status_code == 200
    after, *_ = open_package(client.get("/api/groups/1/deck.apkg").data, tmp_path)
    assert [guid for guid, *_ in after] == [guid for guid, *_ in before]
    assert after[0][1][1] == "to eat (a meal)"


def test_text_is_escaped_as_html_in_the_deck(client, tmp_path):
    created = client.post("/api/words", json={"kanji": "犬", "english": "dog <b>& co", "romaji": "inu",
                                              "group_ids": [2]})
    assert created.status_code == 201
    notes, *_ = open_package(client.get("/api/groups/2/deck.apkg").data, tmp_path)
    assert notes[-1][1][1] == "dog &lt;b&gt;&amp; co"


def test_a_missing_group_has_no_deck(client):
    response = client.get("/api/groups/999/deck.apkg")
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_export_deck_writes_the_package(runner, client, tmp_path):
    path = tmp_path / "verbs.apkg"
    result = runner.invoke(args=["export-deck", "1", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Exported 60 words of 'Core Verbs' to {path}.\n"
    notes, decks, *_ = open_package(path.read_bytes(), tmp_path)
    assert len(notes) == 60 and decks[str(DECK_ID_BASE + 1)]["name"] == "Core Verbs"
    for args, message in ((["999", str(tmp_path / "x.apkg")], "No group 999"),
                          (["1", str(tmp_path / "x.zip")], "must end in .apkg")):
        result = runner.invoke(args=["export-deck", *args])
        assert result.exit_code == 1 and message in result.output


# Anki's File > Export > "Notes in Plain Text", as Anki 26.9 writes it: with
# the note type, deck and GUID included, and without (HTML left out).
ANKI_FULL = ("#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n"
             "#tags column:8\n"
             "iywAT}L@/1\tLang Portal word\tCore Verbs\t勉強\tstudy\tbenkyou\t勉benkyou\t\n"
             "O/Zl23<dF2\tLang Portal word\tCore Verbs\t会う\t\"to meet, \"\"see\"\"\"\tau\t会au\t\n"
             "ird6/e<}sX\tBasic\tDefault\t学校\tschool\t\t\tvocab\n")
ANKI_PLAIN = ("#separator:tab\n#html:false\n勉強\tstudy\tbenkyou\t\n"
              "会う\t\"to meet, \"\"see\"\"\"\tau\t\n学校\tschool\t\t\n")


@pytest.mark.parametrize("content", [ANKI_FULL, ANKI_PLAIN,
                                     "#separator:Comma\n#html:false\n#columns:Kanji,English,Tags\n"
                                     "勉強,study,x\n会う,\"to meet, \"\"see\"\"\",\n学校,school,\n"])
def test_an_anki_plain_text_export_imports(runner, client, tmp_path, content):
    path = tmp_path / "Core Verbs.txt"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["import-words", "From Anki", str(path)])
    assert result.exit_code == 0, result.output
    group = next(group for group in client.get("/api/groups").get_json()["items"]
                 if group["name"] == "From Anki")
    words = client.get(f"/api/groups/{group['id']}/words/raw").get_json()
    assert [(word["kanji"], word["english"], word["romaji"]) for word in words] == [
        ("勉強", "study", "benkyou"), ("会う", 'to meet, "see"', "au"), ("学校", "school", "gakkou")]


@pytest.mark.parametrize("content, message", [
    ("#separator:tab\n#html:true\n勉強\t<b>study</b>\n", "HTML"),
    ("#separator:tab\n#html:false\n勉強\n", "row 3: a note needs at least two fields"),
    ("#separator:nothing\n勉強\tstudy\n", "#separator:nothing"),
    ("#separator:tab\n#guid column:x\n勉強\tstudy\n", "#guid column:x"),
])
def test_an_anki_file_it_cannot_read_is_refused_in_one_line(runner, tmp_path, content, message):
    path = tmp_path / "deck.txt"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["import-words", "From Anki", str(path)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_under_gunicorn_the_export_streams_and_lets_its_connection_go(serve, tmp_path):
    db_path = tmp_path / "served.db"
    server = serve(workers=1, db_path=db_path)
    status, session = request(server.url, "/api/study-sessions",
                              {"group_id": 1, "study_activity_id": 1})
    assert status == 201
    status, _ = request(server.url, f"/api/study-sessions/{session['id']}/review",
                        {"reviews": [{"word_id": word, "is_correct": True} for word in (1, 2, 3)]})
    assert status == 201
    with urllib.request.urlopen(server.url + "/api/reviews/export?format=csv",
                                timeout=30) as response:
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert len(response.read().splitlines()) == 4
    # The one sync worker has sent the stream and ended its read transaction.
    assert not checkpoint_blocked(str(db_path))
    assert request(server.url, "/api/reviews?limit=1")[0] == 200
