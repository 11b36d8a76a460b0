"""POST /api/words, PATCH and DELETE /api/words/<id>, GET /api/readings."""
import pytest

from helpers import count_rows, create_session, post_reviews

STUDY = {"kanji": "勉強", "english": "study"}
STUDY_PARTS = [{"kanji": "勉", "romaji": ["be", "n"]}, {"kanji": "強", "romaji": ["kyo", "u"]}]
STORED_TABLES = ("words", "word_groups", "word_reviews", "word_review_items", "study_sessions")


def stored(db):
    """Every table a word write touches, and every counter."""
    return ({table: count_rows(db, table) for table in STORED_TABLES},
            [tuple(row) for row in db.execute("SELECT * FROM groups ORDER BY id")],
            tuple(db.execute("SELECT * FROM review_stats").fetchone()))


def create_word(client, **fields):
    response = client.post("/api/words", json={**STUDY, **fields})
    assert response.status_code == 201, response.get_json()
    return response


# --- POST /api/words ---------------------------------------------------------------

def test_a_word_sent_with_kanji_and_english_gets_its_reading(client):
    response = create_word(client)
    word = response.get_json()["word"]
    assert response.headers["Location"] == f"/api/words/{word['id']}"
    assert (word["kanji"], word["romaji"], word["english"]) == ("勉強", "benkyou", "study")
    assert word["parts"] == STUDY_PARTS
    assert (word["correct_count"], word["wrong_count"], word["groups"]) == (0, 0, [])
    assert client.get(response.headers["Location"]).get_json()["word"] == word
    assert client.get("/api/dashboard/stats").get_json()["total_vocabulary"] == 121


def test_a_new_word_gets_a_new_id_after_the_highest_ever_given(client):
    first = create_word(client).get_json()["word"]["id"]
    assert client.delete(f"/api/words/{first}").status_code == 204
    assert create_word(client).get_json()["word"]["id"] == first + 1


def test_a_word_is_added_to_the_groups_named(client):
    word = create_word(client, group_ids=[2, 1, 2]).get_json()["word"]
    assert sorted(group["id"] for group in word["groups"]) == [1, 2]
    assert client.get("/api/groups/1").get_json()["words_count"] == 61
    assert client.get("/api/groups/2").get_json()["words_count"] == 61


def test_romaji_and_parts_given_are_kept_when_they_spell_the_word(client):
    parts = [{"kanji": "勉強", "romaji": ["benkyou"]}]
    word = create_word(client, romaji="benkyou", parts=parts).get_json()["word"]
    assert word["parts"] == parts


def test_romaji_alone_takes_the_reading_s_parts_or_one_part(client):
    assert create_word(client, romaji="benkyou").get_json()["word"]["parts"] == STUDY_PARTS
    other = create_word(client, kanji="日本", english="Japan", romaji="nihon")  # read nippon
    assert other.get_json()["word"]["parts"] == [{"kanji": "日本", "romaji": ["nihon"]}]


def test_parts_alone_give_the_romaji(client):
    word = create_word(client, parts=STUDY_PARTS).get_json()["word"]
    assert word["romaji"] == "benkyou"


REFUSED_WORDS = {
    "no english": ({"kanji": "勉強"}, 400, "english"),
    "blank kanji": ({"kanji": "", "english": "x"}, 400, "kanji"),
    "kanji that cannot be read": ({"kanji": "abc", "english": "x"}, 400, "kanji"),
    "parts that do not spell the kanji": (
        {**STUDY, "romaji": "benkyou", "parts": [{"kanji": "勉", "romaji": ["benkyou"]}]},
        400, "kanji"),
    "parts that do not spell the romaji": ({**STUDY, "romaji": "benkyo", "parts": STUDY_PARTS},
                                           400, "romaji"),
    "a number for english": ({"kanji": "勉強", "english": 5}, 400, "english"),
    "an unknown group": ({**STUDY, "group_ids": [1, 7, 9]}, 404, "Group ids not found: 7, 9"),
    "a group id that is not an id": ({**STUDY, "group_ids": ["1"]}, 400, "group_ids"),
}


@pytest.mark.parametrize("body, status, named", REFUSED_WORDS.values(), ids=REFUSED_WORDS.keys())
def test_a_refused_word_stores_nothing(client, db, body, status, named):
    before = stored(db)
    response = client.post("/api/words", json=body)
    assert response.status_code == status
    assert named in response.get_json()["error"]
    assert stored(db) == before


def test_the_same_word_again_is_a_conflict_naming_it(client, db):
    first = create_word(client, group_ids=[1]).get_json()["word"]["id"]
    before = stored(db)
    response = client.post("/api/words", json={**STUDY, "group_ids": [2]})
    assert response.status_code == 409
    assert f"word {first}" in response.get_json()["error"]
    assert stored(db) == before
    # Another meaning is another word.
    create_word(client, english="studying")


def test_a_word_must_be_sent_as_json(client, db):
    before = stored(db)
    response = client.post("/api/words", data="kanji=勉強&english=study")
    assert response.status_code == 415
    assert stored(db) == before


# --- PATCH /api/words/<id> ---------------------------------------------------------

def test_patch_changes_english_only(client):
    response = client.patch("/api/words/1", json={"english": "to eat (a meal)"})
    assert response.status_code == 200
    word = response.get_json()["word"]
    assert (word["kanji"], word["romaji"], word["english"]) == ("食べる", "taberu", "to eat (a meal)")
    assert client.get("/api/words/1").get_json()["word"] == word


def test_patch_of_the_kanji_reads_romaji_and_parts_anew(client):
    word = client.patch("/api/words/1", json={"kanji": "勉強"}).get_json()["word"]
    assert (word["romaji"], word["parts"]) == ("benkyou", STUDY_PARTS)


def test_patch_of_the_romaji_keeps_checking_the_parts(client, db):
    before = stored(db)
    response = client.patch("/api/words/1", json={
        "romaji": "tabero", "parts": [{"kanji": "食べる", "romaji": ["taberu"]}]})
    assert response.status_code == 400
    assert stored(db) == before
    word = client.patch("/api/words/1", json={"romaji": "tabero"}).get_json()["word"]
    assert word["parts"] == [{"kanji": "食べる", "romaji": ["tabero"]}]


def test_patch_of_the_parts_alone_keeps_the_romaji(client, db):
    """Parts that spell the stored romaji another way are taken; parts that
    spell another romaji are refused, not taken as a new romaji."""
    split_anew = [{"kanji": "食べ", "romaji": ["ta", "be"]}, {"kanji": "る", "romaji": ["ru"]}]
    word = client.patch("/api/words/1", json={"parts": split_anew}).get_json()["word"]
    assert (word["romaji"], word["parts"]) == ("taberu", split_anew)
    before = stored(db)
    response = client.patch("/api/words/1", json={
        "parts": [{"kanji": "食べる", "romaji": ["tabero"]}]})
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == "parts"
    assert stored(db) == before
    assert client.get("/api/words/1").get_json()["word"] == word


@pytest.mark.parametrize("body", [{"englsh": "typo"}, {"english": None}, {"kanji": ""},
                                  {"english": 1}, []])
def test_a_refused_patch_changes_nothing(client, db, body):
    before = client.get("/api/words/1").get_json()
    response = client.patch("/api/words/1", json=body)
    assert response.status_code == 400
    assert client.get("/api/words/1").get_json() == before


def test_patch_into_a_copy_of_another_word_is_a_conflict(client):
    response = client.patch("/api/words/2", json={"kanji": "食べる", "english": "to eat"})
    assert response.status_code == 409
    assert "word 1" in response.get_json()["error"]


def test_patch_of_a_missing_word_is_a_404(client):
    assert client.patch("/api/words/999", json={"english": "x"}).status_code == 404


def test_patch_is_idempotent(client):
    first = client.patch("/api/words/3", json={"english": "to see"}).get_json()
    assert client.patch("/api/words/3", json={"english": "to see"}).get_json() == first


# --- DELETE /api/words/<id> --------------------------------------------------------

def test_delete_of_a_reviewed_word_adjusts_every_counter(client, db):
    session = create_session(client, group_id=1)["id"]
    other = create_session(client, group_id=1)["id"]
    # Word 1 mastered (5 of 5), word 2 once in each session.
    post_reviews(client, session, [(1, True)] * 5 + [(2, False)])
    post_reviews(client, other, [(2, True), (3, True)])
    client.put("/api/groups/2/words/1", json={})
    client.put("/api/groups/2/words/2", json={})

    response = client.delete("/api/words/1")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert client.get("/api/words/1").status_code == 404
    assert client.get("/api/groups/1").get_json()["words_count"] == 59
    assert client.get("/api/groups/2").get_json()["words_count"] == 61
    assert client.get(f"/api/study-sessions/{session}").get_json()["session"][
        "review_items_count"] == 1
    stats = client.get("/api/dashboard/stats").get_json()
    assert (stats["total_vocabulary"], stats["total_words_studied"], stats["mastered_words"]) == \
        (119, 2, 0)
    assert stats["success_rate"] == 2 / 3
    assert db.execute("SELECT count(*) FROM word_review_items WHERE word_id = 1").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM word_reviews WHERE word_id = 1").fetchone()[0] == 0
    # The conftest recount check then proves every counter agrees with the history.


def test_delete_of_a_missing_word_is_a_404_and_stores_nothing(client, db):
    before = stored(db)
    assert client.delete("/api/words/999").status_code == 404
    assert stored(db) == before


def test_the_last_review_of_a_session_going_takes_its_end_time_back(client):
    session = create_session(client, group_id=1, created_at="2026-01-01T10:00:00Z")["id"]
    client.post(f"/api/study-sessions/{session}/review", json={"reviews": [
        {"word_id": 2, "is_correct": True, "reviewed_at": "2026-01-01T10:01:00Z"},
        {"word_id": 1, "is_correct": True, "reviewed_at": "2026-01-01T10:05:00Z"}]})
    client.delete("/api/words/1")
    assert client.get(f"/api/study-sessions/{session}").get_json()["session"]["end_time"] == \
        "2026-01-01T10:01:00Z"


# --- GET /api/readings -------------------------------------------------------------

def test_readings_shows_what_a_new_word_would_get(client, db):
    before = stored(db)
    response = client.get("/api/readings", query_string={"text": "勉強"})
    assert response.status_code == 200
    assert response.get_json() == {"text": "勉強", "romaji": "benkyou", "parts": STUDY_PARTS}
    assert stored(db) == before


@pytest.mark.parametrize("query", [{}, {"text": ""}, {"text": "  "}, {"text": "犬" * 101},
                                   {"text": "hello"}])
def test_readings_refuses_text_it_cannot_read(client, query):
    response = client.get("/api/readings", query_string=query)
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == "text"
