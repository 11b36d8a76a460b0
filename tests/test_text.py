"""Text as the inventory keeps it (lib/base/text.py): trimmed, never blank or
hidden, composed (NFC); and the document's patterns say exactly that."""
import json
import re
import unicodedata
from typing import Annotated

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from helpers import count_rows
from lib.base.text import BREAK_CHARACTER, HIDDEN_CHARACTER, Name, PartText

# Every character of the Basic Multilingual Plane (the patterns' range).
CHARACTERS = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]


def shows_nothing(char):
    """Control and format characters that are not spaces: what HIDDEN must list."""
    return unicodedata.category(char) in ("Cc", "Cf") and not char.isspace()


def breaks_a_line(char):
    """Spaces that are control characters or line and paragraph separators
    (tab, newline, U+001C-U+001F, U+0085, U+2028, U+2029): what BREAKS must
    list, trimmed at a text's ends but refused inside it."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") and char.isspace()


def refused_inside(char):
    return shows_nothing(char) or breaks_a_line(char)


def ecma_regex(pattern):
    """The pattern in Python's engine, read as JSON Schema reads it (ECMA-262):
    there $ is the end of the text, in Python also a final newline's place."""
    assert pattern.endswith("$")
    return re.compile(pattern[:-1] + r"\Z")


def accepts(adapter, text):
    try:
        adapter.validate_python(text)
    except ValidationError:
        return False
    return True


def test_the_hidden_characters_are_unicode_s_controls_and_format_characters():
    assert [hex(ord(char)) for char in CHARACTERS
            if bool(HIDDEN_CHARACTER.match(char)) != shows_nothing(char)] == []


def test_the_line_breaking_characters_are_the_control_and_separator_spaces():
    assert "".join(char for char in CHARACTERS if BREAK_CHARACTER.match(char)) == \
        "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
    assert [hex(ord(char)) for char in CHARACTERS
            if bool(BREAK_CHARACTER.match(char)) != breaks_a_line(char)] == []


# The fields of visible text (lib/base/text.py visible_text): names, titles
# and a word's own texts.
VISIBLE_TEXT_FIELDS = [("GroupCreate", "name"), ("GroupUpdate", "name"), ("ActivityCreate", "title"),
                       ("ActivityUpdate", "title"), ("WordCreate", "english"),
                       ("WordUpdate", "english"), ("WordCreate", "kanji"), ("WordUpdate", "kanji"),
                       ("WordUpdate", "romaji")]


def test_every_visible_text_field_has_the_same_pattern(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    patterns = {schemas[schema]["properties"][field]["pattern"] for schema, field in VISIBLE_TEXT_FIELDS}
    assert len(patterns) == 1


def test_the_visible_text_pattern_admits_exactly_the_text_the_server_keeps(client):
    """For every character, alone, inside a word and around it: the document's
    pattern in Python's regex engine and in Rust's (pydantic's), and the
    server's own rule, all say what a person would: kept unless it shows
    nothing or breaks the line inside the text (at its ends it is trimmed).
    One field's pattern stands for all (the test above)."""
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    pattern = schemas["GroupCreate"]["properties"]["name"]["pattern"]
    python_regex = ecma_regex(pattern)
    rust_regex = TypeAdapter(Annotated[str, Field(pattern=pattern)])
    server = TypeAdapter(Name)
    for sample, keeps in ((lambda char: char, lambda char: not shows_nothing(char) and char.strip()),
                          (lambda char: f" a{char}b ", lambda char: not refused_inside(char)),
                          (lambda char: f"{char}ab{char}", lambda char: not shows_nothing(char))):
        expected = {char: bool(keeps(char)) for char in CHARACTERS}
        for judge in (lambda text: bool(python_regex.search(text)),
                      lambda text: accepts(rust_regex, text), lambda text: accepts(server, text)):
            assert [hex(ord(char)) for char in CHARACTERS
                    if judge(sample(char)) != expected[char]] == []


def test_a_part_pattern_admits_any_text_without_hidden_or_line_breaking_characters(client):
    document = client.get("/api/openapi.json").get_json()
    pattern = document["components"]["schemas"]["WordPartIn"]["properties"]["kanji"]["pattern"]
    python_regex, server = ecma_regex(pattern), TypeAdapter(PartText)
    for char in CHARACTERS:
        expected = not refused_inside(char)
        assert bool(python_regex.search(f"a{char}")) == expected, hex(ord(char))
        assert accepts(server, f"a{char}") == expected, hex(ord(char))


# --- through the API ----------------------------------------------------------------

WORDS_TABLES = ("words", "word_groups", "word_reviews", "groups", "study_activities")


def stored(db):
    return {table: count_rows(db, table) for table in WORDS_TABLES}


@pytest.mark.parametrize("body, field", [
    ({"kanji": "\u200b", "english": "x", "romaji": "x"}, "kanji"),
    ({"kanji": "食\u200bべる", "english": "to eat", "romaji": "taberu"}, "kanji"),
    ({"kanji": "食べる", "english": "\x00", "romaji": "taberu"}, "english"),
    ({"kanji": "食べる", "english": "to\u202eeat", "romaji": "taberu"}, "english"),
    ({"kanji": "食べる", "english": " \t ", "romaji": "taberu"}, "english"),
    ({"kanji": "犬", "english": "dog", "parts": [{"kanji": "犬", "romaji": ["i\u00adnu"]}]},
     "parts.0.romaji.0"),
])
def test_a_word_with_hidden_or_no_text_is_refused(client, db, body, field):
    before = stored(db)
    response = client.post("/api/words", json=body)
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == field
    assert stored(db) == before


BREAKS = ["\t", "\n", "\v", "\f", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029"]


def refused_at(response, field, char, position):
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["details"][0]["field"] == field
    assert response.get_json()["error"] == (
        f"Invalid request: {field}: must not contain control or invisible characters "
        f"(U+{ord(char):04X} at position {position})")
    return True


@pytest.mark.parametrize("char", BREAKS)
def test_a_line_break_or_tab_inside_a_word_is_refused_by_post_and_patch(client, db, char):
    before = stored(db)
    assert refused_at(client.post("/api/words", json={
        "kanji": f"食{char}べる", "english": "to eat", "romaji": "taberu"}), "kanji", char, 2)
    assert refused_at(client.post("/api/words", json={
        "kanji": "食べ物", "english": f" to{char}eat", "romaji": "tabemono"}), "english", char, 4)
    assert refused_at(client.patch("/api/words/1", json={"english": f"to eat{char}now"}),
                      "english", char, 7)
    assert refused_at(client.patch("/api/words/1", json={"romaji": f"tabe{char}ru"}),
                      "romaji", char, 5)
    assert refused_at(client.post("/api/words", json={
        "kanji": "犬", "english": "dog", "parts": [{"kanji": "犬", "romaji": [f"i{char}nu"]}]}),
        "parts.0.romaji.0", char, 2)
    assert stored(db) == before


@pytest.mark.parametrize("char", BREAKS)
def test_a_line_break_or_tab_inside_a_name_or_title_is_refused_by_post_and_patch(client, db, char):
    before = stored(db)
    assert refused_at(client.post("/api/groups", json={"name": f"Core{char}Verbs 2"}),
                      "name", char, 5)
    assert refused_at(client.patch("/api/groups/1", json={"name": f"Core{char}Verbs 2"}),
                      "name", char, 5)
    assert refused_at(client.post("/api/study-activities", json={
        "title": f"Kana{char}Drill", "launch_url": "http://localhost:8099"}), "title", char, 5)
    assert refused_at(client.patch("/api/study-activities/1", json={"title": f"Kana{char}Drill"}),
                      "title", char, 5)
    assert stored(db) == before


def test_a_word_with_a_line_break_inside_is_not_a_new_copy_of_the_word(client, db):
    """食\nべる was stored beside 食べる: the 409 check compares the text as sent."""
    before = stored(db)
    response = client.post("/api/words", json={"kanji": "食\nべる", "english": "to eat",
                                                "romaji": "taberu"})
    assert response.status_code == 400
    assert stored(db) == before


def test_a_word_is_stored_trimmed_and_composed(client):
    response = client.post("/api/words", json={
        "kanji": " \u30ab\u3099ラス ", "english": " glass\n", "romaji": "garasu"})
    assert response.status_code == 201, response.get_json()
    word = response.get_json()["word"]
    assert (word["kanji"], word["english"]) == ("ガラス", "glass")
    # Read from the composed kanji, as the reading it is.
    assert word["parts"] == [{"kanji": "ガ", "romaji": ["ga"]}, {"kanji": "ラ", "romaji": ["ra"]},
                             {"kanji": "ス", "romaji": ["su"]}]


def test_a_reading_is_of_the_composed_text(client):
    response = client.get("/api/readings", query_string={"text": " \u30ab\u3099ラス"})
    assert response.status_code == 200
    assert (response.get_json()["text"], response.get_json()["romaji"]) == ("ガラス", "garasu")


@pytest.mark.parametrize("kanji, english", [(" 食べる ", "to eat"), ("食べる", "to eat "),
                                            ("食べる", "to eat\u3000")])
def test_a_word_that_differs_only_by_spaces_is_a_conflict(client, db, kanji, english):
    before = stored(db)
    response = client.post("/api/words", json={"kanji": kanji, "english": english})
    assert response.status_code == 409
    assert response.get_json()["error"] == \
        'The word 食べる (taberu, "to eat") is already stored as word 1'
    assert stored(db) == before


def test_a_decomposed_word_is_the_same_word(client, db):
    assert client.post("/api/words", json={"kanji": "ガム", "english": "gum"}).status_code == 201
    before = stored(db)
    response = client.post("/api/words", json={"kanji": "\u30ab\u3099ム", "english": "gum"})
    assert response.status_code == 409
    assert stored(db) == before


def test_a_patch_is_kept_as_a_new_word_is(client):
    response = client.patch("/api/words/1", json={"english": "  to eat at a cafe\u0301 "})
    assert response.get_json()["word"]["english"] == "to eat at a caf\u00e9"
    assert client.patch("/api/words/1", json={"english": "\ufeff"}).status_code == 400


@pytest.mark.parametrize("path, field", [("/api/groups", "name"), ("/api/study-activities", "title")])
def test_a_name_that_shows_nothing_is_refused_and_a_decomposed_one_is_taken(client, db, path, field):
    body = {"launch_url": "http://localhost:8081"} if field == "title" else {}
    before = stored(db)
    for hidden in ("\u200b", "a\x00b", "\u2060\u2060"):
        response = client.post(path, json={**body, field: hidden})
        assert response.status_code == 400
        assert "control or invisible" in response.get_json()["error"]
    assert stored(db) == before
    assert client.post(path, json={**body, field: "Caf\u00e9"}).status_code == 201
    response = client.post(path, json={**body, field: "Cafe\u0301"})
    assert response.status_code == 409
    assert response.get_json()["error"].startswith('The ' + ("name" if field == "name" else "title")
                                                   + ' "Café" is taken by')


def test_import_words_keeps_text_as_the_api_does(runner, client, db, tmp_path):
    path = tmp_path / "words.json"
    path.write_text(json.dumps([{"kanji": " \u30ab\u3099ム", "english": "gum ", "romaji": "gamu"}]),
                    encoding="utf-8")
    result = runner.invoke(args=["import-words", "Cafe\u0301", str(path)])
    assert result.exit_code == 0, result.output
    group = next(group for group in client.get("/api/groups").get_json()["items"]
                 if group["name"] == "Café")
    words = client.get(f"/api/groups/{group['id']}/words/raw").get_json()
    assert [(word["kanji"], word["english"]) for word in words] == [("ガム", "gum")]

    before = stored(db)
    path.write_text(json.dumps([{"kanji": "犬", "english": "d\u200bog", "romaji": "inu"}]),
                    encoding="utf-8")
    result = runner.invoke(args=["import-words", "Animals", str(path)])
    assert result.exit_code != 0
    assert "entry 1, field english: must not contain control or invisible characters" \
        in result.output
    assert stored(db) == before


def test_import_words_refuses_a_line_break_inside_a_cell_naming_the_row(runner, db, tmp_path):
    """A quoted CSV cell may hold a newline: it became a word whose English
    held it."""
    before = stored(db)
    path = tmp_path / "words.csv"
    path.write_text('kanji,english\n猫,cat\n犬,"dog\nhound"\n', encoding="utf-8")
    result = runner.invoke(args=["import-words", "Animals", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {path}: row 3, field english: must not contain control or invisible "
        "characters (U+000A at position 4). Nothing was imported.")
    assert stored(db) == before


@pytest.mark.parametrize("char", ["\t", "\n", "\u2028"])
def test_import_words_refuses_a_line_break_inside_a_group_name_or_a_json_word(runner, db,
                                                                              tmp_path, char):
    before = stored(db)
    path = tmp_path / "words.json"
    path.write_text(json.dumps([{"kanji": "猫", "english": "cat"}]), encoding="utf-8")
    result = runner.invoke(args=["import-words", f"My{char}Animals", str(path)])
    assert result.exit_code == 2
    assert "must not contain control or invisible characters" in result.output
    path.write_text(json.dumps([{"kanji": "猫", "english": f"house{char}cat"}]), encoding="utf-8")
    result = runner.invoke(args=["import-words", "Animals", str(path)])
    assert result.exit_code == 1
    assert f"entry 1, field english: must not contain control or invisible characters " \
        f"(U+{ord(char):04X} at position 6)" in result.output
    assert stored(db) == before


def test_import_words_trims_a_tab_or_line_break_around_a_cell(runner, client, tmp_path):
    path = tmp_path / "words.json"
    path.write_text(json.dumps([{"kanji": "\t猫\n", "english": "cat\r\n"}]), encoding="utf-8")
    result = runner.invoke(args=["import-words", "\tAnimals\n", str(path)])
    assert result.exit_code == 0, result.output
    group = next(group for group in client.get("/api/groups").get_json()["items"]
                 if group["name"] == "Animals")
    words = client.get(f"/api/groups/{group['id']}/words/raw").get_json()
    assert [(word["kanji"], word["english"]) for word in words] == [("猫", "cat")]
