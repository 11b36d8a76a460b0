"""GET /api/groups (/groups), /api/groups/<id> (/groups/<id>), their words,
raw words and study sessions."""
import re

import pytest

from helpers import create_session, post_reviews

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
API_ENVELOPE = {"items", "total", "page", "per_page", "total_pages"}
GROUP_FIELDS = {"id", "name", "group_name", "words_count", "word_count"}
WORD_FIELDS = {"id", "kanji", "romaji", "english", "correct_count", "wrong_count"}
SESSION_FIELDS = {"id", "group_id", "group_name", "activity_id", "activity_name",
                  "start_time", "end_time", "review_items_count"}
BAD_QUERIES = ["page=0", "page=-1", "page=abc", "page=1.5", "per_page=0", "per_page=101",
               "sort_by=bogus", "order=up"]
WORD_SORT_KEYS = ["kanji", "romaji", "english", "correct_count", "wrong_count"]
# sort key -> the session field it orders by
SESSION_SORT_KEYS = {
    # The group page's table sends its column keys, id among them; the API
    # client's default is created_at.
    "id": "id", "created_at": "created_at", "createdAt": "created_at",
    "startTime": "start_time", "start_time": "start_time",
    "endTime": "end_time", "end_time": "end_time",
    "activityName": "activity_name", "activity_name": "activity_name",
    "groupName": "group_name", "group_name": "group_name",
    "reviewItemsCount": "review_items_count", "review_items_count": "review_items_count",
}


def assert_json_error(response, status):
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert isinstance(response.get_json()["error"], str) and response.get_json()["error"]


def assert_not_found(response):
    assert_json_error(response, 404)
    assert response.get_json()["error"].endswith("not found")


@pytest.fixture
def small_group(db):
    """A third group, "Animals", holding words 1-3 (so the word counts differ)."""
    group_id = db.execute("INSERT INTO groups (name, words_count) VALUES ('Animals', 3)").lastrowid
    db.execute("""INSERT INTO word_groups (word_id, group_id, kanji, romaji, english)
                  SELECT id, ?, kanji, romaji, english FROM words WHERE id <= 3""", (group_id,))
    db.commit()
    return group_id


@pytest.fixture
def empty_group(db):
    group_id = db.execute("INSERT INTO groups (name) VALUES ('Empty')").lastrowid
    db.commit()
    return group_id


@pytest.fixture
def second_activity(db):
    activity_id = db.execute(
        """INSERT INTO study_activities (name, url, preview_url, description)
           VALUES ('Kana Match', 'http://localhost:8081', '/kana-match.png', 'Flip cards.')""").lastrowid
    db.commit()
    return activity_id


@pytest.fixture
def varied_sessions(client, second_activity):
    """Sessions of group 1 whose start, end, activity and review count all differ;
    one session of group 2. Returns the group 1 sessions as created."""
    sessions = [
        create_session(client, 1, 1, created_at="2025-03-01T09:00:00Z"),
        create_session(client, 1, second_activity, created_at="2025-01-15T12:00:00Z"),
        create_session(client, 1, 1, created_at="2025-02-10T08:30:00Z"),
        create_session(client, 1, second_activity, created_at="2025-04-20T18:45:00Z"),
    ]
    post_reviews(client, sessions[1]["id"], [(1, True), (2, False), (3, True)])
    post_reviews(client, sessions[2]["id"], [(4, True)])
    create_session(client, 2, 1, created_at="2025-05-01T10:00:00Z")
    return sessions


# --- /api/groups and /groups -------------------------------------------------

def test_api_groups_envelope_and_seeded_groups(client):
    body = client.get("/api/groups").get_json()
    assert set(body) == API_ENVELOPE
    assert (body["total"], body["page"], body["per_page"], body["total_pages"]) == (2, 1, 10, 1)
    assert [(group["name"], group["words_count"]) for group in body["items"]] == [
        ("Core Adjectives", 60), ("Core Verbs", 60)]


def test_frontend_groups_envelope(client):
    body = client.get("/groups").get_json()
    assert {"groups", "current_page", "total_pages"} <= set(body)
    assert "items" not in body
    assert (body["current_page"], body["total_pages"]) == (1, 1)
    assert len(body["groups"]) == 2


@pytest.mark.parametrize("path, key", [("/api/groups", "items"), ("/groups", "groups")])
def test_every_group_carries_the_contract_fields(client, path, key):
    for group in client.get(path).get_json()[key]:
        assert GROUP_FIELDS <= set(group)
        assert group["group_name"] == group["name"]
        assert group["word_count"] == group["words_count"] == 60


def test_groups_per_page_one(client):
    body = client.get("/api/groups?per_page=1&page=2").get_json()
    assert [group["name"] for group in body["items"]] == ["Core Verbs"]
    assert (body["total"], body["page"], body["per_page"], body["total_pages"]) == (2, 2, 1, 2)


def test_groups_per_page_100_is_allowed(client):
    body = client.get("/api/groups?per_page=100").get_json()
    assert len(body["items"]) == 2
    assert body["per_page"] == 100


@pytest.mark.parametrize("path, key, page_key", [("/api/groups", "items", "page"),
                                                 ("/groups", "groups", "current_page")])
def test_groups_page_past_the_end_is_empty(client, path, key, page_key):
    response = client.get(f"{path}?page=5")
    assert response.status_code == 200
    body = response.get_json()
    assert body[key] == []
    assert (body[page_key], body["total_pages"]) == (5, 1)


@pytest.mark.parametrize("path", ["/api/groups", "/groups"])
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_groups_bad_query_is_a_400(client, path, query):
    assert_json_error(client.get(f"{path}?{query}"), 400)


@pytest.mark.parametrize("path, key", [("/api/groups", "items"), ("/groups", "groups")])
@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort_by, field", [("name", "name"), ("words_count", "words_count"),
                                            ("word_count", "word_count")])
def test_every_group_sort_key_sorts(client, small_group, path, key, order, sort_by, field):
    groups = client.get(f"{path}?sort_by={sort_by}&order={order}").get_json()[key]
    values = [group[field] for group in groups]
    assert len(values) == 3
    assert values == sorted(values, reverse=order == "desc")


def test_smallest_group_first_when_sorted_by_word_count(client, small_group):
    groups = client.get("/groups?sort_by=word_count&order=asc").get_json()["groups"]
    assert (groups[0]["group_name"], groups[0]["word_count"]) == ("Animals", 3)


# --- /api/groups/<id> and /groups/<id> --------------------------------------

@pytest.mark.parametrize("path", ["/api/groups/1", "/groups/1"])
def test_group_page(client, path):
    group = client.get(path).get_json()
    assert GROUP_FIELDS <= set(group)
    assert (group["id"], group["group_name"], group["word_count"]) == (1, "Core Verbs", 60)


def test_group_page_of_a_small_group(client, small_group):
    group = client.get(f"/groups/{small_group}").get_json()
    assert (group["id"], group["name"], group["words_count"]) == (small_group, "Animals", 3)


@pytest.mark.parametrize("path", [
    "/api/groups/999", "/groups/999",
    "/api/groups/999/words", "/groups/999/words",
    "/api/groups/999/words/raw", "/groups/999/words/raw",
    "/api/groups/999/study-sessions", "/groups/999/study_sessions",
])
def test_unknown_group_is_a_404(client, path):
    response = client.get(path)
    assert_not_found(response)
    assert "999" in response.get_json()["error"]


# --- /api/groups/<id>/words and /groups/<id>/words --------------------------

def test_api_group_words_envelope(client):
    body = client.get("/api/groups/1/words").get_json()
    assert set(body) == API_ENVELOPE
    assert (body["total"], body["page"], body["per_page"], body["total_pages"]) == (60, 1, 50, 2)
    assert len(body["items"]) == 50
    for word in body["items"]:
        assert WORD_FIELDS <= set(word)


def test_frontend_group_words_envelope(client):
    body = client.get("/groups/1/words").get_json()
    assert {"words", "current_page", "total_pages"} <= set(body)
    assert (body["current_page"], body["total_pages"]) == (1, 2)
    assert len(body["words"]) == 50


def test_group_words_second_page_holds_the_rest(client):
    body = client.get("/groups/1/words?page=2").get_json()
    assert len(body["words"]) == 10
    assert body["current_page"] == 2


@pytest.mark.parametrize("path, key", [("/api/groups/2/words", "items"), ("/groups/2/words", "words")])
def test_group_words_page_past_the_end_is_empty(client, path, key):
    response = client.get(f"{path}?page=3")
    assert response.status_code == 200
    body = response.get_json()
    assert body[key] == []
    assert body["total_pages"] == 2


def test_group_words_are_exactly_the_group_members(client, small_group, db):
    words = client.get(f"/api/groups/{small_group}/words").get_json()
    assert sorted(word["id"] for word in words["items"]) == [1, 2, 3]
    assert words["total"] == 3
    member_ids = {row[0] for row in db.execute("SELECT word_id FROM word_groups WHERE group_id = 2")}
    listed = client.get("/api/groups/2/words?per_page=100").get_json()["items"]
    assert {word["id"] for word in listed} == member_ids


def test_empty_group_has_no_words(client, empty_group):
    body = client.get(f"/api/groups/{empty_group}/words").get_json()
    assert body["items"] == []
    assert (body["total"], body["total_pages"]) == (0, 0)


def test_group_words_default_order_is_kanji(client):
    kanji = [word["kanji"] for word in client.get("/api/groups/1/words?per_page=100").get_json()["items"]]
    assert kanji == sorted(kanji)


@pytest.mark.slow
@pytest.mark.parametrize("path, key", [("/api/groups/1/words", "items"), ("/groups/1/words", "words")])
@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort_by", WORD_SORT_KEYS)
def test_every_group_word_sort_key_sorts(client, path, key, sort_by, order):
    session = create_session(client, 1, 1)
    post_reviews(client, session["id"], [(1, True), (1, True), (2, False), (2, False), (2, False),
                                         (3, True), (3, False)])
    words = client.get(f"{path}?per_page=100&sort_by={sort_by}&order={order}").get_json()[key]
    values = [word[sort_by] for word in words]
    assert len(values) == 60
    assert len(set(values)) > 1
    assert values == sorted(values, reverse=order == "desc")


@pytest.mark.parametrize("path", ["/api/groups/1/words", "/groups/1/words"])
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_group_words_bad_query_is_a_400(client, path, query):
    assert_json_error(client.get(f"{path}?{query}"), 400)


# --- /api/groups/<id>/words/raw and /groups/<id>/words/raw ------------------

def test_raw_words_are_every_word_of_the_group_with_parts(client):
    response = client.get("/api/groups/1/words/raw")
    assert response.status_code == 200
    words = response.get_json()
    assert isinstance(words, list)
    assert len(words) == 60
    assert [word["id"] for word in words] == sorted(word["id"] for word in words)
    listed = client.get("/api/groups/1/words?per_page=100").get_json()["items"]
    assert {word["id"] for word in words} == {word["id"] for word in listed}
    for word in words:
        assert WORD_FIELDS | {"parts"} <= set(word)
        assert "".join(part["kanji"] for part in word["parts"]) == word["kanji"]
        assert "".join("".join(part["romaji"]) for part in word["parts"]) == word["romaji"]


def test_raw_words_of_an_empty_group_is_an_empty_array(client, empty_group):
    assert client.get(f"/api/groups/{empty_group}/words/raw").get_json() == []


def test_raw_words_of_a_small_group(client, small_group):
    words = client.get(f"/api/groups/{small_group}/words/raw").get_json()
    assert [word["id"] for word in words] == [1, 2, 3]
    assert words[0]["parts"] == [{"kanji": "食", "romaji": ["ta"]}, {"kanji": "べ", "romaji": ["be"]},
                                 {"kanji": "る", "romaji": ["ru"]}]


def test_raw_words_at_the_frontend_path_come_with_the_group_s_id_and_name(client):
    body = client.get("/groups/2/words/raw").get_json()

    assert list(body) == ["group_id", "group_name", "words"]
    assert (body["group_id"], body["group_name"]) == (2, "Core Adjectives")
    assert body["words"] == client.get("/api/groups/2/words/raw").get_json()
    assert len(body["words"]) == 60


def test_raw_words_of_an_empty_group_at_the_frontend_path(client, empty_group):
    body = client.get(f"/groups/{empty_group}/words/raw").get_json()
    assert (body["group_id"], body["words"]) == (empty_group, [])


# --- /api/groups/<id>/study-sessions and /groups/<id>/study_sessions ---------

@pytest.mark.parametrize("path, key", [("/api/groups/1/study-sessions", "items"),
                                       ("/groups/1/study_sessions", "study_sessions")])
def test_group_sessions_empty_at_first(client, path, key):
    body = client.get(path).get_json()
    assert body[key] == []
    assert body["total_pages"] == 0


def test_api_group_sessions_envelope(client, varied_sessions):
    body = client.get("/api/groups/1/study-sessions").get_json()
    assert set(body) == API_ENVELOPE
    assert (body["total"], body["page"], body["per_page"], body["total_pages"]) == (4, 1, 10, 1)


def test_frontend_group_sessions_envelope(client, varied_sessions):
    body = client.get("/groups/1/study_sessions").get_json()
    assert {"study_sessions", "current_page", "total_pages"} <= set(body)
    assert "items" not in body
    assert (body["current_page"], body["total_pages"]) == (1, 1)
    assert len(body["study_sessions"]) == 4


@pytest.mark.parametrize("path, key", [("/api/groups/1/study-sessions", "items"),
                                       ("/groups/1/study_sessions", "study_sessions")])
def test_group_sessions_carry_every_session_field(client, varied_sessions, second_activity, path, key):
    sessions = client.get(path).get_json()[key]
    for session in sessions:
        assert SESSION_FIELDS <= set(session)
        assert session["group_id"] == 1
        assert session["group_name"] == "Core Verbs"
        assert TIMESTAMP.match(session["start_time"])
        assert TIMESTAMP.match(session["end_time"])
    by_id = {session["id"]: session for session in sessions}
    kana_match = by_id[varied_sessions[1]["id"]]
    assert (kana_match["activity_id"], kana_match["activity_name"]) == (second_activity, "Kana Match")
    assert kana_match["start_time"] == "2025-01-15T12:00:00Z"
    assert kana_match["review_items_count"] == 3
    assert kana_match["end_time"] > kana_match["start_time"]
    unreviewed = by_id[varied_sessions[0]["id"]]
    assert (unreviewed["activity_id"], unreviewed["activity_name"]) == (1, "Typing Tutor")
    assert unreviewed["end_time"] == unreviewed["start_time"] == "2025-03-01T09:00:00Z"
    assert unreviewed["review_items_count"] == 0


@pytest.mark.parametrize("path, key", [("/api/groups/1/study-sessions", "items"),
                                       ("/groups/1/study_sessions", "study_sessions")])
def test_group_sessions_are_newest_first_and_only_the_groups(client, varied_sessions, path, key):
    sessions = client.get(path).get_json()[key]
    expected = sorted(varied_sessions, key=lambda s: s["start_time"], reverse=True)
    assert [session["id"] for session in sessions] == [session["id"] for session in expected]


def test_group_sessions_ties_put_the_later_id_first(client):
    first = create_session(client, 1, 1, created_at="2025-06-01T10:00:00Z")
    second = create_session(client, 1, 1, created_at="2025-06-01T10:00:00Z")
    older = create_session(client, 1, 1, created_at="2025-05-01T10:00:00Z")
    ids = [s["id"] for s in client.get("/groups/1/study_sessions").get_json()["study_sessions"]]
    assert ids == [second["id"], first["id"], older["id"]]


def test_group_sessions_paginate_by_ten(client):
    created = [create_session(client, 2, 1, created_at=f"2025-01-{day:02d}T10:00:00Z")
               for day in range(1, 12)]
    first = client.get("/api/groups/2/study-sessions").get_json()
    assert (first["total"], first["per_page"], first["total_pages"]) == (11, 10, 2)
    assert len(first["items"]) == 10
    second = client.get("/groups/2/study_sessions?page=2").get_json()
    assert [session["id"] for session in second["study_sessions"]] == [created[0]["id"]]
    past = client.get("/api/groups/2/study-sessions?page=3").get_json()
    assert past["items"] == []
    assert (past["total"], past["total_pages"]) == (11, 2)


def test_group_sessions_per_page_one(client, varied_sessions):
    body = client.get("/api/groups/1/study-sessions?per_page=1&page=4").get_json()
    assert [session["start_time"] for session in body["items"]] == ["2025-01-15T12:00:00Z"]
    assert (body["total"], body["total_pages"]) == (4, 4)


@pytest.mark.slow
@pytest.mark.parametrize("path, key", [("/api/groups/1/study-sessions", "items"),
                                       ("/groups/1/study_sessions", "study_sessions")])
@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort_by", SESSION_SORT_KEYS)
def test_every_group_session_sort_key_sorts(client, varied_sessions, path, key, sort_by, order):
    sessions = client.get(f"{path}?sort_by={sort_by}&order={order}").get_json()[key]
    field = SESSION_SORT_KEYS[sort_by]
    values = [session[field] for session in sessions]
    assert len(values) == 4
    assert values == sorted(values, reverse=order == "desc")


@pytest.mark.slow
@pytest.mark.parametrize("path, key, count", [
    ("/api/study-sessions", "items", 5), ("/api/study-activities/1/sessions", "items", 3),
    ("/api/groups/1/study-sessions", "items", 4), ("/groups/1/study_sessions", "study_sessions", 4)])
@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort_by", SESSION_SORT_KEYS)
def test_every_session_list_takes_every_session_sort_key(client, varied_sessions, path, key, count,
                                                         sort_by, order):
    response = client.get(f"{path}?sort_by={sort_by}&order={order}")
    assert response.status_code == 200
    sessions = response.get_json()[key]
    values = [(session[SESSION_SORT_KEYS[sort_by]], session["id"]) for session in sessions]
    assert len(values) == count
    assert values == sorted(values, reverse=order == "desc")


@pytest.mark.parametrize("sort_by, order, first_start", [
    ("startTime", "asc", "2025-01-15T12:00:00Z"),
    ("start_time", "desc", "2025-04-20T18:45:00Z"),
    ("reviewItemsCount", "desc", "2025-01-15T12:00:00Z"),
    ("endTime", "asc", "2025-03-01T09:00:00Z"),
])
def test_group_session_sort_changes_which_session_is_first(client, varied_sessions, sort_by, order,
                                                           first_start):
    sessions = client.get(f"/groups/1/study_sessions?sort_by={sort_by}&order={order}").get_json()
    assert sessions["study_sessions"][0]["start_time"] == first_start


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_group_sessions_sorted_by_activity_name(client, varied_sessions, order):
    sessions = client.get(f"/groups/1/study_sessions?sort_by=activityName&order={order}").get_json()
    names = [session["activity_name"] for session in sessions["study_sessions"]]
    expected = ["Kana Match"] * 2 + ["Typing Tutor"] * 2
    assert names == (expected if order == "asc" else expected[::-1])


@pytest.mark.parametrize("path", ["/api/groups/1/study-sessions", "/groups/1/study_sessions"])
@pytest.mark.parametrize("query", BAD_QUERIES + ["sort_by=kanji"])
def test_group_sessions_bad_query_is_a_400(client, path, query):
    assert_json_error(client.get(f"{path}?{query}"), 400)
