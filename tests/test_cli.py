"""flask --app app init-db | import-words | demo-data | backup, through the test CLI runner."""
import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from servers import PROJECT_DIR, free_port, request, wait_until_up

import lib.store.transactions
from helpers import count_rows, create_session
from lib.commands import migrations

DOG = {"kanji": "犬", "romaji": "inu", "english": "dog",
       "parts": [{"kanji": "犬", "romaji": ["i", "nu"]}]}
CAT = {"kanji": "猫", "romaji": "neko", "english": "cat",
       "parts": [{"kanji": "猫", "romaji": ["ne", "ko"]}]}
BIRD = {"kanji": "小鳥", "romaji": "kotori", "english": "small bird",
        "parts": [{"kanji": "小", "romaji": ["ko"]}, {"kanji": "鳥", "romaji": ["to", "ri"]}]}
# A word the seed already has (in Core Verbs).
TO_EAT = {"kanji": "食べる", "romaji": "taberu", "english": "to eat",
          "parts": [{"kanji": "食", "romaji": ["ta"]}, {"kanji": "べ", "romaji": ["be"]},
                    {"kanji": "る", "romaji": ["ru"]}]}


def without(entry, field):
    return {key: value for key, value in entry.items() if key != field}


def write_file(tmp_path, content, name="words.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def import_words(runner, group, path):
    return runner.invoke(args=["import-words", group, path])


def groups_by_name(client):
    return {group["name"]: group for group in client.get("/api/groups?per_page=100").get_json()["items"]}


def stored_counts(db):
    return {table: count_rows(db, table) for table in ("words", "groups", "word_groups", "word_reviews")}


# --- init-db -------------------------------------------------------------------

def test_init_db_says_what_it_built(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert re.search(r"\b\d+ tables\b", result.output)
    assert re.search(r"\b2 groups\b", result.output)
    assert re.search(r"\b120 words\b", result.output)
    assert re.search(r"\b2 (study )?activit", result.output)


def test_init_db_wipes_sessions_made_before(runner, client, db):
    create_session(client, 1, 1, created_at="2025-01-01T10:00:00Z")
    assert count_rows(db, "study_sessions") == 1
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert count_rows(db, "study_sessions") == 0
    assert client.get("/api/dashboard/recent-session").get_json() is None
    assert client.get("/api/groups/1/study-sessions").get_json()["total"] == 0


def test_init_db_restores_the_seed(runner, client, db):
    db.execute("DELETE FROM word_groups WHERE group_id = 1")
    db.execute("UPDATE groups SET words_count = 0 WHERE id = 1")
    db.commit()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert sorted((g["name"], g["words_count"]) for g in groups_by_name(client).values()) == [
        ("Core Adjectives", 60), ("Core Verbs", 60)]
    assert client.get("/api/words").get_json()["total"] == 120
    assert count_rows(db, "study_activities") == 2


# --- import-words: good files ----------------------------------------------------

def test_import_into_a_new_group(runner, client, tmp_path):
    result = import_words(runner, "Animals", write_file(tmp_path, [DOG, CAT, BIRD]))
    assert result.exit_code == 0, result.output
    animals = groups_by_name(client)["Animals"]
    assert animals["words_count"] == 3
    words = client.get(f"/api/groups/{animals['id']}/words").get_json()["items"]
    assert sorted((w["kanji"], w["romaji"], w["english"]) for w in words) == sorted(
        (e["kanji"], e["romaji"], e["english"]) for e in (DOG, CAT, BIRD))
    raw = client.get(f"/api/groups/{animals['id']}/words/raw").get_json()
    assert {w["kanji"]: w["parts"] for w in raw}["小鳥"] == BIRD["parts"]
    assert client.get("/api/words").get_json()["total"] == 123


def test_import_into_an_existing_group(runner, client, tmp_path):
    result = import_words(runner, "Core Verbs", write_file(tmp_path, [DOG, CAT]))
    assert result.exit_code == 0, result.output
    groups = groups_by_name(client)
    assert groups["Core Verbs"]["words_count"] == 62
    assert groups["Core Adjectives"]["words_count"] == 60
    assert len(groups) == 2
    listed = client.get("/api/groups/1/words?per_page=100").get_json()
    assert listed["total"] == 62
    assert {"犬", "猫"} <= {word["kanji"] for word in listed["items"]}


def test_import_of_a_word_the_group_already_has_counts_it_once(runner, client, db, tmp_path):
    result = import_words(runner, "Core Verbs", write_file(tmp_path, [TO_EAT, DOG]))
    assert result.exit_code == 0, result.output
    assert groups_by_name(client)["Core Verbs"]["words_count"] == 61
    assert count_rows(db, "words") == 121


def test_import_of_a_known_word_into_another_group_reuses_it(runner, client, db, tmp_path):
    result = import_words(runner, "Favourites", write_file(tmp_path, [TO_EAT]))
    assert result.exit_code == 0, result.output
    assert count_rows(db, "words") == 120
    assert groups_by_name(client)["Favourites"]["words_count"] == 1
    word = client.get("/api/words/1").get_json()["word"]
    assert sorted(group["name"] for group in word["groups"]) == ["Core Verbs", "Favourites"]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(runner, client, db, tmp_path):
    path = write_file(tmp_path, [DOG, CAT, BIRD])
    assert import_words(runner, "Animals", path).exit_code == 0
    after_first = stored_counts(db)
    second = import_words(runner, "Animals", path)
    assert second.exit_code == 0, second.output
    assert stored_counts(db) == after_first
    assert groups_by_name(client)["Animals"]["words_count"] == 3


def test_a_word_twice_in_the_file_is_counted_as_repeated_not_as_already_there(
        runner, client, db, tmp_path):
    """"Already there" is a word the group had before the import."""
    path = write_file(tmp_path, [DOG, CAT, DOG, without(CAT, "parts"), TO_EAT])
    result = import_words(runner, "Core Verbs", path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Imported 5 words into 'Core Verbs': 2 added, 1 already there, 2 repeated in the file; "
        "the group has 62 words.")
    assert groups_by_name(client)["Core Verbs"]["words_count"] == 62
    assert count_rows(db, "words") == 122


def test_an_import_without_repeats_says_nothing_of_them(runner, tmp_path):
    result = import_words(runner, "Animals", write_file(tmp_path, [DOG, CAT]))
    assert result.output.strip() == (
        "Imported 2 words into 'Animals': 2 added, 0 already there; the group has 2 words.")


# --- import-words: malformed files -------------------------------------------------

MALFORMED = {
    "not JSON": ("[{\"kanji\": ", ["JSON"]),
    "not a list": (DOG, ["array"]),
    "entry missing a field": ([DOG, without(CAT, "english")], ["entry 2", "english"]),
    "kanji that cannot be read, with no romaji": ([{"kanji": "dog", "english": "dog"}],
                                                   ["entry 1", "kanji"]),
    "parts do not spell the kanji": ([DOG, dict(CAT, kanji="猫猫")], ["entry 2", "kanji"]),
    "parts do not spell the romaji": ([dict(DOG, romaji="inu-san")], ["entry 1", "romaji"]),
    "romaji is a number": ([dict(DOG, romaji=5)], ["entry 1", "romaji"]),
    "english is a list": ([CAT, BIRD, dict(DOG, english=["dog"])], ["entry 3", "english"]),
    "part romaji is a string": ([dict(DOG, parts=[{"kanji": "犬", "romaji": "inu"}])],
                                ["entry 1", "romaji"]),
    "empty english": ([dict(DOG, english="")], ["entry 1", "english"]),
    "entry is not an object": ([DOG, "猫"], ["entry 2"]),
}


@pytest.mark.parametrize("content, words_in_message", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("group", ["Animals", "Core Verbs"])
def test_malformed_file_is_refused_and_stores_nothing(runner, client, db, tmp_path, content,
                                                      words_in_message, group):
    before = stored_counts(db)
    result = import_words(runner, group, write_file(tmp_path, content))
    assert result.exit_code != 0
    for word in words_in_message:
        assert word.lower() in result.output.lower(), result.output
    assert stored_counts(db) == before
    groups = groups_by_name(client)
    assert "Animals" not in groups
    assert groups["Core Verbs"]["words_count"] == 60


def test_a_good_entry_before_a_bad_one_is_not_stored_either(runner, db, tmp_path):
    before = stored_counts(db)
    result = import_words(runner, "Animals", write_file(tmp_path, [DOG, CAT, without(BIRD, "english")]))
    assert result.exit_code != 0
    assert "entry 3" in result.output
    assert stored_counts(db) == before
    assert db.execute("SELECT count(*) FROM words WHERE kanji IN ('犬', '猫')").fetchone()[0] == 0


@pytest.mark.parametrize("name, content", [
    ("empty.json", "[]"), ("header.csv", "kanji,english\n"), ("blank.tsv", "kanji\tenglish\n\t\n\n"),
    ("anki.txt", "#separator:tab\nkanji\tenglish\n"),
])
@pytest.mark.parametrize("group", ["Animals", "Core Verbs"])
def test_a_file_without_words_is_refused_and_makes_no_group(runner, client, db, tmp_path, name,
                                                            content, group):
    before = stored_counts(db)
    path = write_file(tmp_path, content, name)
    result = import_words(runner, group, path)
    assert result.exit_code == 1
    assert result.output == f"Error: No words in {path}; nothing was imported.\n"
    assert stored_counts(db) == before
    assert "Animals" not in groups_by_name(client)


def test_missing_file_is_refused(runner, db, tmp_path):
    before = stored_counts(db)
    result = import_words(runner, "Animals", str(tmp_path / "nowhere.json"))
    assert result.exit_code != 0
    assert "nowhere.json" in result.output
    assert stored_counts(db) == before


# --- demo-data -----------------------------------------------------------------

def test_demo_data_adds_history_whose_counters_agree_with_a_recount(runner, client, db):
    result = runner.invoke(args=["demo-data", "--words", "300", "--groups", "3",
                                 "--sessions", "200", "--reviews", "3000"])
    assert result.exit_code == 0, result.output
    assert count_rows(db, "words") == 120 + 300
    assert count_rows(db, "groups") == 2 + 3
    assert count_rows(db, "study_sessions") == 200
    assert count_rows(db, "word_review_items") == 3000
    stats = client.get("/api/dashboard/stats").get_json()
    assert stats["total_sessions"] == 200
    assert stats["current_streak"] >= 1
    # Reviews fall inside their session: after its start, never in the future.
    assert db.execute("""SELECT count(*) FROM word_review_items i
                         JOIN study_sessions s ON s.id = i.study_session_id
                         WHERE i.created_at < s.created_at""").fetchone()[0] == 0
    # It ends by rescheduling: every reviewed word has its card.
    assert db.execute("SELECT sum(reps) FROM word_reviews").fetchone()[0] == 3000
    assert "every card rescheduled" in result.output
    # ...and the app fixture checks every counter against a recount from history,
    # and every card against a replay.


@pytest.mark.parametrize("option", ["--words=-1", "--groups=0", "--sessions=0", "--reviews=x"])
def test_demo_data_refuses_bad_sizes(runner, db, option):
    result = runner.invoke(args=["demo-data", option])
    assert result.exit_code != 0
    assert count_rows(db, "words") == 120


@pytest.mark.parametrize("option, value", [
    ("--words", "100001"), ("--words", "99999999999999999999"), ("--groups", "1001"),
    ("--sessions", "1000001"), ("--reviews", "10000001")])
def test_demo_data_refuses_absurd_sizes(runner, db, option, value):
    # Small sizes for the others: without the bound, the command would run.
    sizes = {"--words": "1", "--groups": "1", "--sessions": "1", "--reviews": "0", option: value}
    result = runner.invoke(args=["demo-data", *[item for pair in sizes.items() for item in pair]])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': {value} is not in the range" in result.output
    assert count_rows(db, "words") == 120


# --- backup --------------------------------------------------------------------

def test_backup_is_a_valid_database_with_the_same_rows(runner, client, db, tmp_path):
    session = create_session(client, 1, 1)
    client.post(f"/api/study-sessions/{session['id']}/review",
                json={"reviews": [{"word_id": 1, "is_correct": True}]})
    target = tmp_path / "copy.db"

    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.output

    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for table in ("words", "groups", "word_groups", "study_sessions", "word_review_items",
                  "word_reviews", "review_stats"):
        assert copy.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == \
            [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1")], table
    copy.close()


def test_backup_refuses_to_overwrite_a_file(runner, tmp_path):
    target = tmp_path / "existing.db"
    target.write_bytes(b"precious")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "exists" in result.output
    assert target.read_bytes() == b"precious"


# --- import-words: readings filled in, CSV and TSV ---------------------------------

def test_json_entries_without_romaji_and_parts_get_them_from_the_kanji(runner, client, tmp_path):
    path = write_file(tmp_path, [{"kanji": "勉強", "english": "study"}, without(DOG, "parts")])
    result = import_words(runner, "Study", path)
    assert result.exit_code == 0, result.output
    words = client.get(f"/api/groups/{groups_by_name(client)['Study']['id']}/words/raw").get_json()
    assert {(word["kanji"], word["romaji"]) for word in words} == {("勉強", "benkyou"), ("犬", "inu")}
    assert [word["parts"] for word in words if word["kanji"] == "犬"] == [
        [{"kanji": "犬", "romaji": ["i", "nu"]}]]


@pytest.mark.parametrize("name, content", [
    ("words.csv", "\ufeffkanji,english\n勉強,study\n学校,\"school, the building\"\n"),
    ("words.tsv", "english\tkanji\tromaji\nstudy\t勉強\t\nschool, the building\t学校\tgakkou\n"),
    ("anki.txt", "#separator:tab\n#html:false\nkanji\tenglish\n勉強\tstudy\n"
                 "学校\tschool, the building\n"),
    ("sheet", "kanji,english,romaji\n勉強,study,benkyou\n\n学校,\"school, the building\",\n"),
])
def test_csv_and_tsv_files_with_a_header_row_are_imported(runner, client, tmp_path, name, content):
    result = import_words(runner, "School", write_file(tmp_path, content, name))
    assert result.exit_code == 0, result.output
    group = groups_by_name(client)["School"]
    words = client.get(f"/api/groups/{group['id']}/words/raw").get_json()
    assert [(word["kanji"], word["romaji"], word["english"]) for word in words] == [
        ("勉強", "benkyou", "study"), ("学校", "gakkou", "school, the building")]


MALFORMED_TABLES = {
    "no header": ("勉強,study\n", ["row 1", "header"]),
    "an unknown column": ("kanji,english,notes\n勉強,study,x\n", ["row 1", "notes"]),
    "a row too short": ("kanji,english\n勉強,study\n学校\n", ["row 3", "columns"]),
    "blank english": ("kanji,english\n勉強,study\n学校, \n", ["row 3", "english"]),
    "a kanji it cannot read": ("kanji,english\n勉強,study\nABC,abc\n", ["row 3", "kanji"]),
}


@pytest.mark.parametrize("content, words_in_message",
                         MALFORMED_TABLES.values(), ids=MALFORMED_TABLES.keys())
def test_a_malformed_table_is_refused_naming_the_row_and_stores_nothing(
        runner, db, tmp_path, content, words_in_message):
    before = stored_counts(db)
    result = import_words(runner, "School", write_file(tmp_path, content, "words.csv"))
    assert result.exit_code != 0
    for word in words_in_message:
        assert word.lower() in result.output.lower(), result.output
    assert "Nothing was imported" in result.output
    assert stored_counts(db) == before


@pytest.mark.parametrize("content, message", [
    ("kanji,english\n勉強,study\n学校," + "a" * 131_073 + "\n",
     "row 3: a cell is longer than 131072 characters (is a quote left open?)"),
    ("kanji,english\n勉強,study\n学校,\"school\n" + "x,y\n" * 40_000,
     "row 3: a cell is longer than 131072 characters (is a quote left open?)"),
    ("kanji," + "e" * 131_073 + "\n勉強,study\n",
     "row 1: a cell is longer than 131072 characters (is a quote left open?)"),
])
def test_a_cell_too_long_for_the_csv_reader_is_a_one_line_error_naming_its_row(
        runner, db, tmp_path, content, message):
    before = stored_counts(db)
    path = write_file(tmp_path, content, "words.csv")
    result = import_words(runner, "School", path)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {message}. Nothing was imported.\n"
    assert stored_counts(db) == before


def test_a_row_is_named_by_the_line_it_starts_on(runner, db, tmp_path):
    # Lines 2-3 and 4-5 each hold one row: a newline ending a quoted cell is trimmed.
    path = write_file(tmp_path, 'kanji,english\n勉強,"study\n"\nABC,"abc\n"\n', "words.csv")
    result = import_words(runner, "School", path)
    assert result.exit_code == 1
    assert "row 4, field kanji: cannot be read" in result.output


# --- rough edges: each a one-line error, nothing stored ------------------------

@pytest.mark.parametrize("group", ["", "   ", "\t"])
def test_a_blank_group_name_is_refused(runner, db, tmp_path, group):
    before = stored_counts(db)
    result = import_words(runner, group, write_file(tmp_path, [DOG]))
    assert result.exit_code == 2
    assert "the group name must not be blank" in result.output
    assert "Traceback" not in result.output
    assert stored_counts(db) == before


def test_a_group_name_is_trimmed(runner, client, tmp_path):
    assert import_words(runner, "  Animals ", write_file(tmp_path, [DOG])).exit_code == 0
    assert "Animals" in groups_by_name(client)


def test_a_file_with_a_byte_order_mark_is_read(runner, client, tmp_path):
    path = tmp_path / "bom.json"
    path.write_text(json.dumps([DOG], ensure_ascii=False), encoding="utf-8-sig")
    result = import_words(runner, "Animals", str(path))
    assert result.exit_code == 0, result.output
    assert groups_by_name(client)["Animals"]["words_count"] == 1


def test_demo_data_with_fewer_words_than_groups_is_refused(runner, db):
    result = runner.invoke(args=["demo-data", "--words", "5", "--groups", "20"])
    assert result.exit_code == 2
    assert "--words" in result.output
    assert "Traceback" not in result.output
    assert count_rows(db, "words") == 120


@pytest.mark.parametrize("target, named", [
    ("", "''"), ("  ", "'  '"), (":memory:", ":memory:"), ("{tmp}/new/", "{tmp}/new/")])
def test_backup_to_a_name_that_is_no_file_is_refused(runner, tmp_path, monkeypatch, target, named):
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    result = runner.invoke(args=["backup", target.format(tmp=tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {named.format(tmp=tmp_path)} ")
    assert "give a file name" in result.output
    assert sorted(tmp_path.iterdir()) == before


def test_backup_into_a_missing_folder_is_refused(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "no" / "such" / "x.db")])
    assert result.exit_code == 1
    assert "folder does not exist" in result.output
    assert not (tmp_path / "no").exists()


# --- the real `flask` command: only init-db creates a database ------------------

def flask_command(tmp_path, database, *args):
    return subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", *args],
                          cwd=PROJECT_DIR, env={**os.environ, "LANG_PORTAL_DB": str(database)},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("args", [["backup", "{tmp}/b.db"], ["import-words", "Animals", "{tmp}/w.json"],
                                  ["demo-data", "--words", "5", "--groups", "1"]])
def test_a_command_on_a_missing_database_fails_and_creates_nothing(tmp_path, args):
    write_file(tmp_path, [DOG], name="w.json")
    typo = tmp_path / "typo.db"

    result = flask_command(tmp_path, typo, *[arg.format(tmp=tmp_path) for arg in args])

    assert result.returncode == 1
    assert f"No database at {typo}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not typo.exists()
    assert not (tmp_path / "b.db").exists()


COMMANDS = [["init-db"], ["import-words", "Animals", "{tmp}/w.json"], ["backup", "{tmp}/b.db"],
            ["reschedule"], ["demo-data", "--words", "5", "--groups", "1"]]


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_command_on_a_file_that_is_no_database_fails_naming_it_and_changes_nothing(tmp_path, args):
    write_file(tmp_path, [DOG], name="w.json")
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n")

    result = flask_command(tmp_path, notes, *[arg.format(tmp=tmp_path) for arg in args])

    assert result.returncode == 1
    assert result.stderr == f"Error: LANG_PORTAL_DB: {notes} is not an SQLite database. Nothing was changed.\n"
    assert notes.read_text() == "my notes, not a database\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.db", "w.json"]


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_command_on_another_application_s_database_fails_naming_it_and_changes_nothing(tmp_path, args):
    write_file(tmp_path, [DOG], name="w.json")
    notes = tmp_path / "notes.db"
    with closing(sqlite3.connect(notes)) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    content = notes.read_bytes()

    result = flask_command(tmp_path, notes, *[arg.format(tmp=tmp_path) for arg in args])

    assert result.returncode == 1
    assert result.stderr == (f"Error: LANG_PORTAL_DB: {notes} is another application's database: "
                             "it has tables, but not the Lang Portal's. Nothing was changed.\n")
    assert notes.read_bytes() == content
    assert not (tmp_path / "b.db").exists()


@pytest.mark.slow
def test_a_backup_of_an_empty_database_fails_in_one_line(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = flask_command(tmp_path, empty, "backup", str(tmp_path / "b.db"))
    assert result.returncode == 1
    assert f"No database at {empty}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "b.db").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
@pytest.mark.parametrize("args", [args for args in COMMANDS if args[0] != "backup"],
                         ids=lambda args: args[0])
def test_a_command_on_a_read_only_database_fails_naming_it_and_changes_nothing(runner, db_path, tmp_path,
                                                                              args):
    write_file(tmp_path, [DOG], name="w.json")
    content = Path(db_path).read_bytes()
    Path(db_path).chmod(0o444)
    try:
        result = runner.invoke(args=[arg.format(tmp=tmp_path) for arg in args])
    finally:
        Path(db_path).chmod(0o644)
    assert result.exit_code == 1
    assert result.output == (f"Error: LANG_PORTAL_DB: {db_path} cannot be written: the file is "
                             "read-only. Nothing was changed.\n")
    assert Path(db_path).read_bytes() == content


def test_a_command_on_a_database_newer_than_the_code_fails_in_one_line(runner, db, db_path, tmp_path):
    db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    try:
        result = import_words(runner, "Animals", write_file(tmp_path, [DOG]))
    finally:
        db.execute(f"PRAGMA user_version = {migrations.LATEST}")
    assert result.exit_code == 1
    assert result.output == (f"Error: LANG_PORTAL_DB: {db_path} has schema version {migrations.LATEST + 1}, "
                             f"newer than this release's {migrations.LATEST}: upgrade the code first. "
                             "Nothing was changed.\n")
    assert "Animals" not in {row[0] for row in db.execute("SELECT name FROM groups")}


@pytest.mark.slow
@pytest.mark.parametrize("args", [["routes"], ["--help"]])
def test_flask_s_own_commands_create_no_database(tmp_path, args):
    missing = tmp_path / "missing.db"
    result = flask_command(tmp_path, missing, *args)
    assert result.returncode == 0, result.stderr
    assert not missing.exists()


@pytest.mark.slow
def test_flask_run_creates_and_seeds_a_missing_database_as_the_server_does(tmp_path):
    """`flask run` serves, like `python app.py`: its first start makes the database."""
    port = free_port()
    database = tmp_path / "new.db"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", "run", "--port", str(port)],
        cwd=PROJECT_DIR, env={**os.environ, "LANG_PORTAL_DB": str(database)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(server, f"http://127.0.0.1:{port}", lambda: server.stderr.read().decode())
        status, groups = request(f"http://127.0.0.1:{port}", "/api/groups")
        assert (status, groups["total"]) == (200, 2)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_init_db_creates_a_missing_database(tmp_path):
    result = flask_command(tmp_path, tmp_path / "new.db", "init-db")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new.db").exists()


@pytest.mark.slow
def test_backup_does_not_wait_for_a_long_writer(db_path, app, tmp_path):
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO groups (name) VALUES ('written meanwhile')")
    try:
        result = flask_command(tmp_path, db_path, "backup", str(tmp_path / "copy.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT count(*) FROM groups").fetchone()[0] == 2
    copy.close()


# --- a write that cannot take the lock ------------------------------------------

@pytest.mark.parametrize("args", [["init-db"], ["import-words", "Animals", "{tmp}/w.json"],
                                  ["demo-data", "--words", "5", "--groups", "1", "--sessions", "2",
                                   "--reviews", "5"],
                                  ["reschedule"]], ids=lambda args: args[0])
def test_a_command_that_waits_too_long_for_the_write_lock_is_a_one_line_error(
        runner, db, db_path, tmp_path, monkeypatch, args):
    write_file(tmp_path, [DOG], name="w.json")
    monkeypatch.setattr(lib.store.transactions, "COMMAND_WRITE_WAIT_SECONDS", 0.2)
    before = stored_counts(db)
    # Another process's long write (demo-data, say), as a connection.
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE groups SET name = name")
    try:
        result = runner.invoke(args=[arg.format(tmp=tmp_path) for arg in args])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: The database is busy with another write (another command, or the server); "
        "nothing was changed. Try again when it is done."]
    assert stored_counts(db) == before
