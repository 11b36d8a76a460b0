"""GET /api/words, /words, /api/words/<id>, /words/<id>."""
import pytest

from helpers import create_session, post_reviews

WORD_FIELDS = {"id", "kanji", "romaji", "english", "correct_count", "wrong_count"}
API_ENVELOPE = {"items", "total", "page", "per_page", "total_pages"}
FRONTEND_ENVELOPE = {"words", "current_page", "total_pages", "total_words"}
SORT_KEYS = ["kanji", "romaji", "english", "correct_count", "wrong_count"]
BAD_QUERIES = [
    "page=0", "page=-1", "page=abc", "page=1.5", "page=",
    "per_page=0", "per_page=-1", "per_page=abc", "per_page=101",
    "sort_by=bogus", "sort_by=id;DROP TABLE words", "order=up", "order=sideways",
]


@pytest.fixture
def reviewed(client):
    """Words 1-4 reviewed so that their counts differ: {word_id: (correct, wrong)}."""
    session = create_session(client, group_id=1, activity_id=1)
    post_reviews(client, session["id"], [(1, True), (1, True), (1, True),
                                         (2, True), (2, False), (2, False),
                                         (3, False),
                                         (4, True)])
    return {1: (3, 0), 2: (1, 2), 3: (0, 1), 4: (1, 0)}


def all_words(client, **params):
    """Every word from /api/words, page by page (100 a page)."""
    words, page = [], 1
    while True:
        body = client.get("/api/words", query_string={"per_page": 100, "page": page, **params}).get_json()
        words += body["items"]
        if page >= body["total_pages"]:
            return words
        page += 1


def test_api_words_envelope_has_the_api_fields(client):
    body = client.get("/api/words").get_json()
    assert set(body) == API_ENVELOPE
    assert body["total"] == 120
    assert body["page"] == 1
    assert body["per_page"] == 50
    assert body["total_pages"] == 3
    assert len(body["items"]) == 50


def test_frontend_words_envelope_has_the_frontend_fields(client):
    body = client.get("/words").get_json()
    assert FRONTEND_ENVELOPE <= set(body)
    assert "items" not in body
    assert body["current_page"] == 1
    assert body["total_pages"] == 3
    assert body["total_words"] == 120
    assert len(body["words"]) == 50


@pytest.mark.parametrize("path, key", [("/api/words", "items"), ("/words", "words")])
def test_every_word_in_a_list_carries_the_contract_fields(client, path, key):
    words = client.get(path).get_json()[key]
    for word in words:
        assert WORD_FIELDS <= set(word)
        assert isinstance(word["id"], int)
        assert word["kanji"] and word["romaji"] and word["english"]
        assert word["correct_count"] == 0 and word["wrong_count"] == 0


def test_both_paths_return_the_same_words(client):
    api = client.get("/api/words?page=2&sort_by=english&order=desc").get_json()["items"]
    frontend = client.get("/words?page=2&sort_by=english&order=desc").get_json()["words"]
    assert api == frontend


def test_default_order_is_kanji_ascending(client):
    kanji = [word["kanji"] for word in all_words(client)]
    assert kanji == sorted(kanji)


def test_per_page_one_gives_one_word_a_page(client):
    body = client.get("/api/words?per_page=1&page=7").get_json()
    assert len(body["items"]) == 1
    assert body["total_pages"] == 120
    assert body["page"] == 7
    assert body["per_page"] == 1


def test_per_page_100_is_allowed(client):
    body = client.get("/api/words?per_page=100").get_json()
    assert len(body["items"]) == 100
    assert body["total_pages"] == 2


def test_last_page_holds_the_rest(client):
    body = client.get("/api/words?page=3").get_json()
    assert len(body["items"]) == 20
    assert body["page"] == 3


@pytest.mark.parametrize("path, key, page_key", [("/api/words", "items", "page"),
                                                 ("/words", "words", "current_page")])
def test_page_past_the_end_is_empty_with_right_totals(client, path, key, page_key):
    response = client.get(f"{path}?page=4")
    assert response.status_code == 200
    body = response.get_json()
    assert body[key] == []
    assert body[page_key] == 4
    assert body["total_pages"] == 3


def test_pages_cover_every_word_once(client):
    words = all_words(client, sort_by="correct_count")
    ids = [word["id"] for word in words]
    assert len(ids) == 120
    assert len(set(ids)) == 120


@pytest.mark.parametrize("path", ["/api/words", "/words"])
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_query_string_is_a_400_with_a_json_error(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/json"
    assert isinstance(response.get_json()["error"], str)
    assert response.get_json()["error"]


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort_by", SORT_KEYS)
def test_every_sort_key_sorts_the_whole_list(client, reviewed, sort_by, order):
    values = [word[sort_by] for word in all_words(client, sort_by=sort_by, order=order)]
    assert len(values) == 120
    assert len(set(values)) > 1
    assert values == sorted(values, reverse=order == "desc")


@pytest.mark.parametrize("sort_by", SORT_KEYS)
def test_frontend_path_accepts_every_sort_key(client, reviewed, sort_by):
    words = client.get(f"/words?sort_by={sort_by}&order=desc").get_json()["words"]
    values = [word[sort_by] for word in words]
    assert values == sorted(values, reverse=True)


def test_sorting_by_correct_count_puts_the_best_known_word_first(client, reviewed):
    words = client.get("/api/words?sort_by=correct_count&order=desc").get_json()["items"]
    assert words[0]["id"] == 1
    assert (words[0]["correct_count"], words[0]["wrong_count"]) == (3, 0)


def test_sorting_by_wrong_count_puts_the_most_missed_word_first(client, reviewed):
    words = client.get("/words?sort_by=wrong_count&order=desc").get_json()["words"]
    assert words[0]["id"] == 2
    assert (words[0]["correct_count"], words[0]["wrong_count"]) == (1, 2)


def test_list_shows_review_counts(client, reviewed):
    by_id = {word["id"]: word for word in all_words(client)}
    for word_id, (correct, wrong) in reviewed.items():
        assert (by_id[word_id]["correct_count"], by_id[word_id]["wrong_count"]) == (correct, wrong)
    assert by_id[5]["correct_count"] == 0 and by_id[5]["wrong_count"] == 0


@pytest.mark.parametrize("path", ["/api/words/1", "/words/1"])
def test_word_page_has_the_word_and_its_groups(client, path):
    response = client.get(path)
    assert response.status_code == 200
    word = response.get_json()["word"]
    assert WORD_FIELDS | {"groups"} <= set(word)
    assert word["id"] == 1
    assert (word["kanji"], word["romaji"], word["english"]) == ("食べる", "taberu", "to eat")
    assert [(group["id"], group["name"]) for group in word["groups"]] == [(1, "Core Verbs")]


def test_word_page_matches_the_word_in_the_list(client):
    listed = client.get("/api/words?per_page=1&sort_by=english").get_json()["items"][0]
    word = client.get(f"/api/words/{listed['id']}").get_json()["word"]
    for field in WORD_FIELDS:
        assert word[field] == listed[field]


def test_word_page_shows_review_counts(client, reviewed):
    word = client.get("/words/2").get_json()["word"]
    assert (word["correct_count"], word["wrong_count"]) == (1, 2)


def test_an_adjective_belongs_to_core_adjectives(client):
    adjective_id = client.get("/api/groups/2/words/raw").get_json()[0]["id"]
    word = client.get(f"/api/words/{adjective_id}").get_json()["word"]
    assert [group["name"] for group in word["groups"]] == ["Core Adjectives"]


@pytest.mark.parametrize("path", ["/api/words/999999", "/words/999999", "/api/words/121"])
def test_unknown_word_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/json"
    error = response.get_json()["error"]
    assert error.endswith("not found")
    assert path.rsplit("/", 1)[1] in error


@pytest.mark.parametrize("query", ["page=1000000", "page=99999999999999999999",
                                   "per_page=99999999999999999999"])
def test_huge_page_numbers_are_answered_never_a_500(client, query):
    response = client.get(f"/api/words?{query}")
    assert response.content_type == "application/json"
    if response.status_code == 200:
        assert response.get_json()["items"] == []
        assert response.get_json()["total"] == 120
    else:
        assert response.status_code == 400
        assert response.get_json()["error"]


def test_order_is_read_case_insensitively(client):
    descending = client.get("/api/words?sort_by=romaji&order=DESC&per_page=100").get_json()["items"]
    romaji = [word["romaji"] for word in descending]
    assert romaji == sorted(romaji, reverse=True)


@pytest.mark.parametrize("path", ["/api/words/1", "/words/1"])
def test_word_page_has_its_schedule(client, reviewed, path):
    schedule = client.get(path).get_json()["word"]["schedule"]
    assert set(schedule) == {"state", "due", "stability", "difficulty", "retrievability",
                             "last_review", "reps", "lapses"}
    assert schedule["reps"] == 3
    assert client.get(path.replace("/1", "/5")).get_json()["word"]["schedule"]["state"] == "new"


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("path", ["/api/words", "/api/groups/1/words"])
def test_sorting_by_due_puts_new_words_as_due_last(client, reviewed, path, order):
    """A new word sorts as due at the end of time: last in asc, first in desc."""
    words = [word for page in (1, 2) for word in client.get(path, query_string={
        "sort_by": "due", "order": order, "per_page": 100, "page": page}).get_json()["items"]]
    keys = [(word["due"] or "9999", word["id"]) for word in words]
    assert keys == sorted(keys, reverse=order == "desc")
    reviewed_first = [word["id"] for word in words if word["due"]]
    assert sorted(reviewed_first) == [1, 2, 3, 4]
    assert (words[0]["due"] is None) == (order == "desc")


def test_frontend_paths_accept_sort_by_due(client, reviewed):
    assert client.get("/words?sort_by=due").status_code == 200
    assert client.get("/groups/1/words?sort_by=due&order=desc").status_code == 200
