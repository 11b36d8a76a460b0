"""Opening a database: an older one is upgraded in place, keeping its history;
a current one is only read, so start-up never waits for a writer.

tests/data/release-1.db was made by release 1 (commit a6a94df, schema without
a version): init-db, then `demo-data --words 60 --groups 3 --sessions 300
--reviews 4000 --seed 7`, then one session with three reviews through the API.
tests/data/release-2.db was made by release 2 (commit 2d036b9, schema version
4) the same way, with one of the reviews rated and a review_id on another,
then one word added through the API; tests/data/release-3.db by release 3
(commit 0da6606, schema version 5) the same way."""
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app import create_app
from helpers import (
    assert_cards_consistent,
    assert_counters_consistent,
    assert_parts_compact,
    create_session,
    read_counters,
)
from lib.commands import migrations

DATA = Path(__file__).resolve().parent / "data"
RELEASE_1 = DATA / "release-1.db"
HISTORY_TABLES = ("words", "groups", "word_groups", "study_activities", "study_sessions",
                  "word_review_items")


def rows(path, table):
    """The table's rows; a word's parts as their JSON value (version 6 stores
    the same value in compact text)."""
    connection = sqlite3.connect(path)
    try:
        found = connection.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        connection.close()
    if table == "words":
        return [(*row[:4], json.loads(row[4]), *row[5:]) for row in found]
    return found


def kept_rows(path, table, before):
    """The table's rows after an upgrade, less the one that version 7 adds
    (the Flashcards activity, checked here), each less the columns added
    after the old ones (version 9's, on word_review_items)."""
    after = [row[:len(before[0])] for row in rows(path, table)] if before else rows(path, table)
    if table != "study_activities":
        return after
    assert [row[1:4] for row in after[len(before):]] == [
        ("Flashcards", "/activities/flashcards/", "/activities/flashcards/preview.svg")]
    return after[:len(before)]


def version(path):
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def old_db(tmp_path):
    path = tmp_path / "release-1.db"
    shutil.copyfile(RELEASE_1, path)
    return str(path)


def test_a_release_1_database_is_upgraded_in_place_keeping_its_history(old_db):
    before = {table: rows(old_db, table) for table in HISTORY_TABLES}
    connection = sqlite3.connect(old_db)
    counters = read_counters(connection)
    connection.close()
    assert version(old_db) == 0

    app = create_app({"TESTING": True, "DATABASE": old_db})

    assert version(old_db) == migrations.LATEST
    for table in HISTORY_TABLES:
        # Columns added by the upgrade come after the old ones.
        width = len(before[table][0])
        after = kept_rows(old_db, table, before[table])
        assert [row[:width] for row in after] == before[table], table
    connection = sqlite3.connect(old_db)
    counters["study_activities"].append((2, 0))  # Flashcards, added by version 7
    assert read_counters(connection) == counters
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()
    assert_counters_consistent(old_db)
    assert_parts_compact(old_db)

    client = app.test_client()
    last = max(row[0] for row in before["study_sessions"])
    assert client.get(f"/api/study-sessions/{last}").get_json()["session"]["review_items_count"] == 3
    assert create_session(client)["id"] == last + 1


@pytest.mark.parametrize("release, schema", [("release-2.db", 4), ("release-3.db", 5)])
def test_a_later_release_database_is_upgraded_in_place_keeping_its_history_and_cards(
        tmp_path, release, schema):
    old_db = str(tmp_path / release)
    shutil.copyfile(DATA / release, old_db)
    tables = (*HISTORY_TABLES, "word_reviews", "review_stats")
    before = {table: rows(old_db, table) for table in tables}
    assert version(old_db) == schema

    assert migrations.open_database(old_db) == {"upgraded": (schema, migrations.LATEST)}

    assert {table: kept_rows(old_db, table, before[table]) for table in tables} == before
    assert_counters_consistent(old_db)
    assert_cards_consistent(old_db)
    assert_parts_compact(old_db)
    client = create_app({"TESTING": True, "DATABASE": old_db}).test_client()
    session = create_session(client)
    assert client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": 1, "is_correct": False}]}).status_code == 201
    assert_cards_consistent(old_db)
    last_word = before["words"][-1]
    assert client.get(f"/api/words/{last_word[0]}").get_json()["word"]["parts"] == last_word[4]


def schema_shape(path):
    """Every table's columns and every index's columns, by name, and every trigger."""
    connection = sqlite3.connect(path)
    try:
        shape = {"triggers": dict(connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))}
        for (table,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
            columns = sorted(connection.execute(f"PRAGMA table_info({table})").fetchall())
            indexes = {
                name: (unique, connection.execute(f"PRAGMA index_xinfo({name})").fetchall())
                for _, name, unique, *_ in connection.execute(f"PRAGMA index_list({table})")}
            shape[table] = (columns, indexes)
        return shape
    finally:
        connection.close()


@pytest.mark.parametrize("release", ["release-1.db", "release-2.db", "release-3.db"])
def test_an_upgraded_database_has_the_schema_of_a_new_one(tmp_path, release, db_path, app):
    old_db = str(tmp_path / release)
    shutil.copyfile(DATA / release, old_db)

    migrations.open_database(old_db)

    assert schema_shape(old_db) == schema_shape(db_path)


def test_an_upgraded_release_3_database_changes_its_etags_only_when_a_value_changes(tmp_path):
    """Version 10: the revision follows the rows (triggers), so a retry that
    stores nothing leaves every tag."""
    old_db = str(tmp_path / "release-3.db")
    shutil.copyfile(DATA / "release-3.db", old_db)
    before = {table: rows(old_db, table) for table in HISTORY_TABLES}
    client = create_app({"TESTING": True, "DATABASE": old_db}).test_client()
    assert {table: kept_rows(old_db, table, before[table]) for table in HISTORY_TABLES} == before
    word = client.get("/api/words/1").get_json()["word"]
    same = {field: word[field] for field in ("kanji", "romaji", "english", "parts")}
    tag = client.get("/api/words").headers["ETag"]

    assert client.patch("/api/words/1", json=same).status_code == 200
    assert client.put("/api/groups/1/words/1", json={}).status_code in (200, 201)
    tag = client.get("/api/words").headers["ETag"]
    assert client.put("/api/groups/1/words/1", json={}).status_code == 200
    assert client.patch("/api/words/1", json=same).status_code == 200
    assert client.get("/api/words", headers={"If-None-Match": tag}).status_code == 304

    assert client.patch("/api/words/1", json={"english": "something else"}).status_code == 200
    assert client.get("/api/words", headers={"If-None-Match": tag}).status_code == 200


def test_the_upgrade_rates_old_reviews_and_computes_every_card(old_db):
    migrations.open_database(old_db)

    connection = sqlite3.connect(old_db)
    assert connection.execute(
        """SELECT count(*) FROM word_review_items
           WHERE rating IS NOT CASE WHEN correct THEN 3 ELSE 1 END""").fetchone()[0] == 0
    studied, scheduled, reps, reviews = connection.execute(
        """SELECT count(*) FILTER (WHERE correct_count + wrong_count > 0),
                  count(*) FILTER (WHERE state <> 'new' AND due IS NOT NULL),
                  sum(reps), sum(correct_count + wrong_count) FROM word_reviews""").fetchone()
    connection.close()
    assert studied > 0 and scheduled == studied and reps == reviews
    assert_cards_consistent(old_db)

    # The upgraded database takes reviews as a new one does.
    client = create_app({"TESTING": True, "DATABASE": old_db}).test_client()
    session = create_session(client)
    assert client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": 1, "is_correct": True, "rating": 4}]}).status_code == 201
    assert client.get("/api/words/1").get_json()["word"]["schedule"]["reps"] >= 1
    assert client.get("/api/study-queue").status_code == 200
    assert_cards_consistent(old_db)


def test_an_upgrade_runs_once(old_db):
    assert migrations.open_database(old_db) == {"upgraded": (0, migrations.LATEST)}
    assert migrations.open_database(old_db) is None


def test_a_current_database_opens_while_a_writer_holds_the_lock(db_path, app):
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE groups SET name = name")
    try:
        # With the busy timeout (10 s) a start that wanted the lock would fail.
        started = create_app({"TESTING": True, "DATABASE": db_path})
        assert started.test_client().get("/api/groups/1").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_database_newer_than_the_code_is_refused(db_path, app):
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    connection.close()

    with pytest.raises(RuntimeError, match="newer"):
        create_app({"TESTING": True, "DATABASE": db_path})

    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {migrations.LATEST}")
    connection.close()


@pytest.mark.parametrize("rebuild", [False, True], ids=["reset", "init-db"])
def test_session_ids_are_never_given_twice(client, runner, rebuild):
    first = create_session(client)["id"]
    second = create_session(client)["id"]
    if rebuild:
        assert runner.invoke(args=["init-db"]).exit_code == 0
    else:
        assert client.post("/api/study-sessions/reset", json={}).status_code == 200

    # A tab still holding the old session cannot write into a new one.
    assert client.post(f"/api/study-sessions/{second}/review",
                       json={"reviews": [{"word_id": 1, "is_correct": True}]}).status_code == 404
    assert create_session(client)["id"] == second + 1 > first


def test_the_upgrade_to_9_gives_the_review_log_every_answer_with_its_group(tmp_path):
    old_db = str(tmp_path / "release-3.db")
    shutil.copyfile(DATA / "release-3.db", old_db)
    connection = sqlite3.connect(old_db)
    answers = connection.execute(
        """SELECT i.id, s.group_id, i.created_at > s.created_at FROM word_review_items i
           JOIN study_sessions s ON s.id = i.study_session_id ORDER BY i.id""").fetchall()
    connection.close()
    assert answers

    client = create_app({"TESTING": True, "DATABASE": old_db}).test_client()

    items, url = [], "/api/reviews?order=asc&limit=1000"
    while url:
        page = client.get(url).get_json()
        items, url = items + page["items"], page["next_url"]
    assert sorted((item["id"], item["group_id"]) for item in items) == \
        [(answer_id, group_id) for answer_id, group_id, _ in answers]
    # An answer stamped after its session's start was not moved; one stamped
    # at the start may have been, which the old schema did not record.
    adjusted = {item["id"]: item["reviewed_at_adjusted"] for item in items}
    assert adjusted == {answer_id: (False if after else None) for answer_id, _, after in answers}
    assert client.get(f"/api/reviews?group_id={answers[0][1]}").get_json()["items"]
