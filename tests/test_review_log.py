"""GET /api/reviews: every stored answer, filtered, paged by a cursor."""
import base64
import sqlite3

import pytest

from helpers import create_session, traced


def answer(client, session_id, word_id, correct=True, **fields):
    response = client.post(f"/api/study-sessions/{session_id}/review", json={"reviews": [
        {"word_id": word_id, "is_correct": correct, **fields}]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["items"][0]


def every_page(client, url):
    """(every item, the number of pages), following next_url."""
    items, pages = [], 0
    while url:
        page = client.get(url).get_json()
        items += page["items"]
        pages += 1
        url = page["next_url"]
    return items, pages


@pytest.fixture
def history(client):
    """Two sessions of group 1 and one of group 2, answers a minute apart."""
    first = create_session(client, 1, created_at="2026-01-01T10:00:00Z")
    second = create_session(client, 2, created_at="2026-01-02T10:00:00Z")
    third = create_session(client, 1, created_at="2026-01-03T10:00:00Z")
    for session, words, day in ((first, (1, 2, 3), "01"), (second, (61, 62), "02"),
                                (third, (1, 4), "03")):
        for minute, word in enumerate(words):
            answer(client, session["id"], word, correct=minute % 2 == 0,
                   reviewed_at=f"2026-01-{day}T10:0{minute}:00Z")
    return {"sessions": [first["id"], second["id"], third["id"]]}


def test_an_answer_in_the_log_has_every_field(client, history):
    items = client.get("/api/reviews").get_json()["items"]
    assert len(items) == 7
    assert items[0] == {"id": items[0]["id"], "review_id": None,
                        "session_id": history["sessions"][2], "group_id": 1, "word_id": 4,
                        "kanji": client.get("/api/words/4").get_json()["word"]["kanji"],
                        "is_correct": False, "rating": 1, "reviewed_at": "2026-01-03T10:01:00Z",
                        "reviewed_at_adjusted": False}


def test_newest_first_by_default_oldest_first_asked(client, history):
    newest = client.get("/api/reviews").get_json()["items"]
    oldest = client.get("/api/reviews?order=ASC").get_json()["items"]
    times = [item["reviewed_at"] for item in newest]
    assert times == sorted(times, reverse=True)
    assert oldest == newest[::-1]


def test_the_log_keeps_the_client_id_the_rating_and_the_moved_time(client):
    session = create_session(client, created_at="2026-01-05T10:00:00Z")
    client_id = "0b6a3f52-36c8-4bd4-9d7c-6f1a1e2c3d4e"
    # 30 s before the session's start: taken as its start (clock skew).
    answer(client, session["id"], 5, rating=4, review_id=client_id,
           reviewed_at="2026-01-05T09:59:30Z")
    item = client.get("/api/reviews").get_json()["items"][0]
    assert (item["review_id"], item["rating"], item["reviewed_at_adjusted"],
            item["reviewed_at"]) == (client_id, 4, True, "2026-01-05T10:00:00Z")


@pytest.mark.parametrize("query, expected", [
    ("word_id=1", 2), ("session_id={second}", 2), ("group_id=1", 5), ("group_id=2", 2),
    ("group_id=1&word_id=1", 2), ("word_id=61&group_id=1", 0),
    ("since=2026-01-02T10:01:00Z", 3), ("until=2026-01-02T10:01:00Z", 4),
    ("since=2026-01-02T00:00:00Z&until=2026-01-03T00:00:00Z", 2),
    ("since=2026-01-02T11:00:00%2B01:00&until=2026-01-02T10:01:00Z", 1),
    ("group_id=1&since=2026-01-03T00:00:00Z&order=asc", 2), ("word_id=999", 0),
])
def test_filters(client, history, query, expected):
    url = "/api/reviews?" + query.format(second=history["sessions"][1])
    items = client.get(url).get_json()["items"]
    assert len(items) == expected
    order = "asc" if "order=asc" in query else "desc"
    everything = client.get(f"/api/reviews?order={order}").get_json()["items"]
    assert [item for item in everything if item in items] == items  # the same order


def test_paging_by_cursor_gives_every_answer_once(client, history):
    everything = client.get("/api/reviews").get_json()["items"]
    for order, expected in (("desc", everything), ("asc", everything[::-1])):
        items, pages = every_page(client, f"/api/reviews?limit=2&order={order}")
        assert items == expected
        assert pages == 4  # 2 + 2 + 2 + 1: the last page says there is no next
    page = client.get("/api/reviews?limit=7").get_json()
    assert (len(page["items"]), page["next"], page["next_url"]) == (7, None, None)


def test_next_url_keeps_the_filters(client, history):
    page = client.get("/api/reviews?group_id=1&limit=2&order=asc").get_json()
    assert page["next_url"].startswith("/api/reviews?group_id=1&limit=2&order=asc&cursor=")
    items, _ = every_page(client, "/api/reviews?group_id=1&limit=2")
    assert {item["group_id"] for item in items} == {1} and len(items) == 5


def test_answers_stored_between_pages_neither_skip_nor_repeat_others(client, history):
    before = client.get("/api/reviews?order=asc").get_json()["items"]
    for order in ("desc", "asc"):
        seen, url = [], f"/api/reviews?limit=2&order={order}"
        session = create_session(client)
        while url:
            page = client.get(url).get_json()
            seen += page["items"]
            url = page["next_url"]
            if len(seen) <= 6:
                # New answers now, and one stamped in the past, between two
                # pages (oldest first, the new ones come at the end: a
                # client reading on would never be done).
                answer(client, session["id"], 5)
                answer(client, session["id"], 6)
                late = create_session(client, created_at="2026-01-02T09:00:00Z")
                answer(client, late["id"], 7, reviewed_at="2026-01-02T10:00:30Z")
        ids = [item["id"] for item in seen]
        assert len(ids) == len(set(ids))
        assert {item["id"] for item in before} <= set(ids)
        times = [(item["reviewed_at"], item["id"]) for item in seen]
        assert times == sorted(times, reverse=order == "desc")


@pytest.mark.parametrize("cursor", [
    "x", "!!!!", "WyIyMDI2LTAxLTAxVDEwOjAwOjAwWiIsMV0=",  # padded
    base64.urlsafe_b64encode(b'["2026-01-01T10:00:00Z", 1]').decode().rstrip("="),  # spaced
    base64.urlsafe_b64encode(b'["2026-01-01T10:00:00Z",0]').decode().rstrip("="),
    base64.urlsafe_b64encode(b'["2026-01-01T10:00:00Z",1.0]').decode().rstrip("="),
    base64.urlsafe_b64encode(b'["2026-01-01 10:00:00",1]').decode().rstrip("="),
    base64.urlsafe_b64encode(b'["2026-01-01T10:00:00Z",true]').decode().rstrip("="),
    base64.urlsafe_b64encode(b'["2026-01-01T10:00:00Z",1,2]').decode().rstrip("="),
    base64.urlsafe_b64encode(b'{"t":1}').decode().rstrip("="),
    base64.urlsafe_b64encode(b'\xff\xfe').decode().rstrip("="),
    "WyIyMDI2LTAxLTAxVDEwOjAwOjAwWiIsOTIyMzM3MjAzNjg1NDc3NTgwOF0",  # id over SQLite's
    "",
])
def test_a_cursor_the_api_did_not_give_is_a_400(client, history, cursor):
    response = client.get(f"/api/reviews?cursor={cursor}")
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == "cursor"


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=1e3", "order=up",
                                   "word_id=0", "group_id=x", "since=yesterday",
                                   "until=1700000000", "session_id=%D9%A1"])
def test_bad_filters_are_a_400(client, query):
    response = client.get(f"/api/reviews?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_the_log_has_an_etag_that_changes_with_an_answer(client, history):
    first = client.get("/api/reviews?limit=2")
    again = client.get("/api/reviews?limit=2", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    answer(client, history["sessions"][0], 3)
    changed = client.get("/api/reviews?limit=2", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.get_json()["items"][0]["word_id"] == 3


def test_a_word_and_a_session_link_to_their_answers(client, history):
    word = client.get("/api/words/1").get_json()["word"]
    assert word["reviews_url"] == "/api/reviews?word_id=1"
    assert {item["word_id"] for item in client.get(word["reviews_url"]).get_json()["items"]} == {1}
    session_id = history["sessions"][1]
    page = client.get(f"/api/study-sessions/{session_id}").get_json()
    assert page["reviews_url"] == f"/api/reviews?session_id={session_id}"
    items = client.get(page["reviews_url"]).get_json()["items"]
    assert [item["word_id"] for item in items] == [62, 61]


def test_a_deleted_word_leaves_the_log(client, history):
    assert client.delete("/api/words/1").status_code == 204
    items = client.get("/api/reviews").get_json()["items"]
    assert len(items) == 5 and 1 not in {item["word_id"] for item in items}


def plans(app, db_path, urls, client):
    statements = traced(app, client, urls)
    explain = sqlite3.connect(db_path)
    found = {}
    for sql in statements:
        if "word_review_items" in sql:
            found[sql] = [row[3] for row in explain.execute("EXPLAIN QUERY PLAN " + sql)]
    explain.close()
    return found


@pytest.mark.parametrize("filters, index", [
    ("", "word_review_items_time"), ("word_id=1", "word_review_items_word_time"),
    ("session_id=1", "word_review_items_session_time"),
    ("group_id=1", "word_review_items_group_time"),
    ("group_id=1&word_id=1&session_id=1", "word_review_items_session_time"),
    ("word_id=1&group_id=1", "word_review_items_word_time"),
    ("since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z", "word_review_items_time"),
])
def test_every_page_is_one_index_range_without_sorting(app, db_path, client, history, filters,
                                                       index):
    first = client.get(f"/api/reviews?limit=1&{filters}").get_json()
    urls = [f"/api/reviews?limit=1&{filters}&order={order}" for order in ("asc", "desc")]
    urls.append(first["next_url"] or urls[0])
    found = plans(app, db_path, urls, client)
    assert found
    for sql, steps in found.items():
        assert any(f"USING INDEX {index}" in step for step in steps), (sql, steps)
        assert not any("TEMP B-TREE" in step for step in steps), (sql, steps)
