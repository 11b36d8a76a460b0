"""Recording reviews and the figures they feed (issue 4):
POST /api/study-sessions/<id>/review (and /study_sessions/<id>/review),
POST /api/study-sessions/<id>/words/<word_id>/review, and every view of the counts."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from helpers import count_rows, create_session, post_reviews

ITEM_KEYS = {"rating", "id", "word_id", "is_correct", "reviewed_at", "review_id", "duplicate",
             "reviewed_at_adjusted"}
UUID_A = "3f1c2b6e-8d4a-4c1e-9b7f-0a1b2c3d4e5f"
UUID_B = "7a9e0c11-2b3d-4e5f-8a6b-1c2d3e4f5a6b"
UUID_C = "c0ffee00-1234-4abc-8def-0123456789ab"


def utc_text(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def ago(**delta):
    return utc_text(datetime.now(timezone.utc) - timedelta(**delta))


def review(word_id, is_correct, **extra):
    return {"word_id": word_id, "is_correct": is_correct, **extra}


def post_batch(client, session_id, reviews, path="/api/study-sessions/{}/review"):
    return client.post(path.format(session_id), json={"reviews": reviews})


def all_words(client, **params):
    query = "".join(f"&{key}={value}" for key, value in params.items())
    words, page = [], 1
    while True:
        body = client.get(f"/api/words?per_page=100&page={page}{query}").get_json()
        words += body["items"]
        if page >= body["total_pages"]:
            return words
        page += 1


def word_counts(client):
    return {word["id"]: (word["correct_count"], word["wrong_count"]) for word in all_words(client)}


def stats(client):
    response = client.get("/api/dashboard/stats")
    assert response.status_code == 200
    return response.get_json()


def snapshot(client, session_id):
    return {
        "words": all_words(client),
        "stats": stats(client),
        "session": client.get(f"/api/study-sessions/{session_id}").get_json(),
        "sessions": client.get("/api/study-sessions?per_page=100").get_json(),
        "recent": client.get("/api/dashboard/recent-session").get_json(),
    }


@pytest.fixture
def session(client):
    """A session that started an hour ago, with two reviews already."""
    created = create_session(client, created_at=ago(hours=1))
    post_reviews(client, created["id"], [(1, True), (2, False)])
    return created


# --- recording a batch -----------------------------------------------------

def test_batch_answers_201_with_items_and_updated_totals(client, db, session):
    response = post_batch(client, session["id"],
                          [review(1, True), review(2, False), review(3, True)])

    assert response.status_code == 201
    body = response.get_json()
    assert body["recorded"] == 3
    assert body["duplicates"] == 0
    assert [set(item) for item in body["items"]] == [ITEM_KEYS] * 3
    assert [(i["word_id"], i["is_correct"], i["review_id"], i["duplicate"]) for i in body["items"]] == [
        (1, True, None, False), (2, False, None, False), (3, True, None, False)]
    assert body["words"] == [
        {"word_id": 1, "correct_count": 2, "wrong_count": 0},
        {"word_id": 2, "correct_count": 0, "wrong_count": 2},
        {"word_id": 3, "correct_count": 1, "wrong_count": 0},
    ]
    for item in body["items"]:
        row = db.execute("SELECT * FROM word_review_items WHERE id = ?", (item["id"],)).fetchone()
        assert (row["word_id"], row["study_session_id"], bool(row["correct"]), row["created_at"]) == (
            item["word_id"], session["id"], item["is_correct"], item["reviewed_at"])
    assert count_rows(db, "word_review_items") == 5


def test_batch_totals_count_a_word_repeated_in_the_batch(client, session):
    body = post_batch(client, session["id"],
                      [review(5, True), review(5, False), review(5, True)]).get_json()

    assert body["words"] == [{"word_id": 5, "correct_count": 2, "wrong_count": 1}]
    assert client.get("/api/words/5").get_json()["word"]["correct_count"] == 2
    assert client.get("/api/words/5").get_json()["word"]["wrong_count"] == 1


def test_batch_updates_the_session(client, session):
    post_batch(client, session["id"], [review(1, True), review(4, False)])

    stored = client.get(f"/api/study-sessions/{session['id']}").get_json()["session"]
    assert stored["review_items_count"] == 4
    assert stored["correct_count"] == 2
    assert stored["wrong_count"] == 2


def test_legacy_path_records_the_batch(client, db, session):
    response = post_batch(client, session["id"], [review(7, True), review(8, False)],
                          path="/study_sessions/{}/review")

    assert response.status_code == 201
    body = response.get_json()
    assert body["recorded"] == 2
    assert body["words"] == [{"word_id": 7, "correct_count": 1, "wrong_count": 0},
                             {"word_id": 8, "correct_count": 0, "wrong_count": 1}]
    assert count_rows(db, "word_review_items") == 4


def test_batch_of_500_is_accepted(client, db, session):
    reviews = [review(1 + n % 60, n % 3 != 0) for n in range(500)]  # group 1's words

    response = post_batch(client, session["id"], reviews)

    assert response.status_code == 201
    assert response.get_json()["recorded"] == 500
    assert count_rows(db, "word_review_items") == 502


def test_single_answer_form(client, db, session):
    response = client.post(f"/api/study-sessions/{session['id']}/words/9/review",
                           json={"correct": False})

    assert response.status_code == 201
    body = response.get_json()
    assert body["recorded"] == 1
    assert body["duplicates"] == 0
    [item] = body["items"]
    assert set(item) == ITEM_KEYS
    assert (item["word_id"], item["is_correct"], item["duplicate"]) == (9, False, False)
    assert body["words"] == [{"word_id": 9, "correct_count": 0, "wrong_count": 1}]
    row = db.execute("SELECT study_session_id, correct FROM word_review_items WHERE id = ?",
                     (item["id"],)).fetchone()
    assert tuple(row) == (session["id"], 0)


def test_single_answer_form_adds_to_earlier_answers(client, session):
    client.post(f"/api/study-sessions/{session['id']}/words/1/review", json={"correct": True})
    body = client.post(f"/api/study-sessions/{session['id']}/words/1/review",
                       json={"correct": False}).get_json()

    assert body["words"] == [{"word_id": 1, "correct_count": 2, "wrong_count": 1}]


def test_reviewed_at_is_stored_in_utc(client, db):
    created = create_session(client, created_at=ago(days=2))
    moment = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
    tokyo = moment.astimezone(timezone(timedelta(hours=9))).isoformat()

    body = post_batch(client, created["id"], [review(1, True, reviewed_at=tokyo)]).get_json()

    assert body["items"][0]["reviewed_at"] == utc_text(moment)
    stored = db.execute("SELECT created_at FROM word_review_items").fetchone()[0]
    assert stored == utc_text(moment)
    session = client.get(f"/api/study-sessions/{created['id']}").get_json()["session"]
    assert session["end_time"] == utc_text(moment)


def test_reviewed_at_without_offset_is_taken_as_utc(client):
    created = create_session(client, created_at=ago(days=2))
    moment = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)

    body = post_batch(client, created["id"],
                      [review(1, True, reviewed_at=moment.strftime("%Y-%m-%dT%H:%M:%S"))]).get_json()

    assert body["items"][0]["reviewed_at"] == utc_text(moment)


def test_reviewed_at_defaults_to_now(client, session):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    body = post_batch(client, session["id"], [review(1, True)]).get_json()
    after = datetime.now(timezone.utc)

    assert before <= parse_utc(body["items"][0]["reviewed_at"]) <= after


def test_single_answer_reviewed_at_is_stored(client):
    created = create_session(client, created_at=ago(days=2))
    moment = ago(days=1)

    response = client.post(f"/api/study-sessions/{created['id']}/words/1/review",
                           json={"correct": True, "reviewed_at": moment})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["items"][0]["reviewed_at"] == moment


def test_reviewed_at_before_the_session_started_is_a_400(client, db, session):
    before_start = utc_text(parse_utc(session["created_at"]) - timedelta(seconds=61))
    counts = word_counts(client)

    response = post_batch(client, session["id"],
                          [review(3, True), review(4, True, reviewed_at=before_start)])

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Invalid request: reviews.1.reviewed_at: ")
    assert "before the session" in response.get_json()["error"]
    assert [d["field"] for d in response.get_json()["details"]] == ["reviews.1.reviewed_at"]
    assert count_rows(db, "word_review_items") == 2
    assert word_counts(client) == counts


@pytest.mark.parametrize("behind", [1, 2, 60])
def test_a_client_clock_a_little_behind_is_taken_as_the_session_start(client, db, session, behind):
    start = session["created_at"]
    stamped = utc_text(parse_utc(start) - timedelta(seconds=behind))

    response = post_batch(client, session["id"], [review(3, True, reviewed_at=stamped),
                                                  review(4, True, reviewed_at=start)])

    assert response.status_code == 201, response.get_json()
    items = response.get_json()["items"]
    assert [(item["reviewed_at"], item["reviewed_at_adjusted"]) for item in items] == [
        (start, True), (start, False)]
    assert db.execute("SELECT created_at FROM word_review_items WHERE word_id = 3").fetchone()[0] == start


def test_session_started_within_the_clock_skew_takes_answers_at_once(client, db):
    # created_at may be up to a minute ahead of the server's clock (clock skew);
    # an answer sent right away, without reviewed_at, must still be recorded.
    ahead = utc_text(datetime.now(timezone.utc) + timedelta(seconds=30))
    created = create_session(client, created_at=ahead)

    response = post_batch(client, created["id"], [review(3, True)])

    assert response.status_code == 201, response.get_json()
    assert count_rows(db, "word_review_items") == 1


def test_reviewed_at_at_the_session_start_is_accepted(client, session):
    response = post_batch(client, session["id"], [review(3, True, reviewed_at=session["created_at"])])

    assert response.status_code == 201


def test_single_answer_before_the_session_started_is_a_400(client, db, session):
    before_start = utc_text(parse_utc(session["created_at"]) - timedelta(days=1))

    response = client.post(f"/api/study-sessions/{session['id']}/words/3/review",
                           json={"correct": True, "reviewed_at": before_start})

    # Named as this request has it, not as the batch it is recorded as.
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Invalid request: reviewed_at: ")
    assert "before the session" in response.get_json()["error"]
    assert [d["field"] for d in response.get_json()["details"]] == ["reviewed_at"]
    assert count_rows(db, "word_review_items") == 2


@pytest.mark.parametrize("path", ["/api/study-sessions/{}/review", "/study_sessions/{}/review"])
def test_reviewed_at_in_the_future_is_a_400(client, db, session, path):
    future = utc_text(datetime.now(timezone.utc) + timedelta(hours=1))

    response = post_batch(client, session["id"], [review(3, True, reviewed_at=future)], path=path)

    assert response.status_code == 400
    assert "reviewed_at" in response.get_json()["error"]
    assert count_rows(db, "word_review_items") == 2


def test_single_answer_in_the_future_is_a_400(client, db, session):
    future = utc_text(datetime.now(timezone.utc) + timedelta(days=1))

    response = client.post(f"/api/study-sessions/{session['id']}/words/3/review",
                           json={"correct": True, "reviewed_at": future})

    assert response.status_code == 400
    assert "reviewed_at" in response.get_json()["error"]
    assert count_rows(db, "word_review_items") == 2


# --- bad batches store nothing ---------------------------------------------

GOOD = [review(3, True), review(4, False)]


def without(item, key):
    return {k: v for k, v in item.items() if k != key}


@pytest.mark.slow
@pytest.mark.parametrize("body, field", [
    pytest.param({"reviews": GOOD + [review(5, "yes")]}, "is_correct", id="is_correct-yes"),
    pytest.param({"reviews": GOOD + [review(5, "true")]}, "is_correct", id="is_correct-string-true"),
    pytest.param({"reviews": GOOD + [review(5, 1)]}, "is_correct", id="is_correct-1"),
    pytest.param({"reviews": GOOD + [review(5, 0)]}, "is_correct", id="is_correct-0"),
    pytest.param({"reviews": GOOD + [review(5, None)]}, "is_correct", id="is_correct-null"),
    pytest.param({"reviews": GOOD + [without(review(5, True), "is_correct")]}, "is_correct",
                 id="is_correct-missing"),
    pytest.param({"reviews": GOOD + [without(review(5, True), "word_id")]}, "word_id",
                 id="word_id-missing"),
    pytest.param({"reviews": GOOD + [review(True, True)]}, "word_id", id="word_id-true"),
    pytest.param({"reviews": GOOD + [review("3", True)]}, "word_id", id="word_id-string"),
    pytest.param({"reviews": GOOD + [review(3.5, True)]}, "word_id", id="word_id-fraction"),
    pytest.param({"reviews": GOOD + [review(0, True)]}, "word_id", id="word_id-zero"),
    pytest.param({"reviews": GOOD + [review(None, True)]}, "word_id", id="word_id-null"),
    pytest.param({"reviews": GOOD + [review(2**63, True)]}, "word_id", id="word_id-too-big"),
    pytest.param({"reviews": GOOD + [review(5, True, reviewed_at="garbage")]}, "reviewed_at",
                 id="reviewed_at-garbage"),
    pytest.param({"reviews": GOOD + [review(5, True, reviewed_at=1700000000)]}, "reviewed_at",
                 id="reviewed_at-number"),
    pytest.param({"reviews": GOOD + [review(5, True, reviewed_at="9999-12-31T23:59:59-01:00")]},
                 "reviewed_at", id="reviewed_at-beyond-year-9999"),
    pytest.param({"reviews": GOOD + [review(5, True, reviewed_at="2026-11-22")]}, "reviewed_at",
                 id="reviewed_at-date-only"),
    pytest.param({"reviews": GOOD + [review(5, True, review_id="not-a-uuid")]}, "review_id",
                 id="review_id-not-a-uuid"),
    pytest.param({"reviews": GOOD + ["word 5 right"]}, "reviews", id="item-not-an-object"),
    pytest.param({"reviews": []}, "reviews", id="empty-list"),
    pytest.param({"reviews": [review(1 + n % 120, True) for n in range(501)]}, "reviews",
                 id="501-items"),
    pytest.param({"reviews": review(3, True)}, "reviews", id="reviews-an-object"),
    pytest.param({"reviews": "3:true"}, "reviews", id="reviews-a-string"),
    pytest.param({"reviews": None}, "reviews", id="reviews-null"),
    pytest.param({}, "reviews", id="reviews-missing"),
    pytest.param({"reviews": GOOD, "word_id": 3, "correct": True}, "reviews",
                 id="batch-and-answer-at-once"),
    pytest.param(GOOD, "body", id="body-a-list"),
    pytest.param({"reviews": [review(3, True, review_id=UUID_A), review(4, False, review_id=UUID_A)]},
                 "review_id", id="repeated-review_id"),
])
def test_bad_batch_is_a_400_and_changes_nothing(client, db, session, body, field):
    before = snapshot(client, session["id"])

    response = client.post(f"/api/study-sessions/{session['id']}/review", json=body)

    assert response.status_code == 400
    assert field in response.get_json()["error"]
    assert count_rows(db, "word_review_items") == 2
    assert snapshot(client, session["id"]) == before


@pytest.mark.parametrize("data", ["{bad", "", "null"])
def test_batch_body_not_a_json_object_is_a_400(client, db, session, data):
    before = snapshot(client, session["id"])

    response = client.post(f"/api/study-sessions/{session['id']}/review", data=data,
                           content_type="application/json")

    assert response.status_code == 400
    assert "body" in response.get_json()["error"]
    assert snapshot(client, session["id"]) == before


def test_batch_over_one_mib_is_a_json_413(client, db, session):
    before = snapshot(client, session["id"])
    body = {"reviews": GOOD, "padding": "x" * (1024 * 1024)}

    response = client.post(f"/api/study-sessions/{session['id']}/review", json=body)

    assert response.status_code == 413
    assert response.is_json and response.get_json()["error"]
    assert snapshot(client, session["id"]) == before


@pytest.mark.parametrize("path", ["/api/study-sessions/{}/review", "/study_sessions/{}/review"])
def test_unknown_word_anywhere_in_the_batch_is_a_404_naming_it(client, db, session, path):
    before = snapshot(client, session["id"])

    response = post_batch(client, session["id"], GOOD + [review(999999, True)], path=path)

    assert response.status_code == 404
    assert "999999" in response.get_json()["error"]
    assert count_rows(db, "word_review_items") == 2
    assert snapshot(client, session["id"]) == before


def test_every_unknown_word_is_named(client, session):
    response = post_batch(client, session["id"],
                          [review(888888, True), review(3, True), review(999999, False)])

    assert response.status_code == 404
    error = response.get_json()["error"]
    assert "888888" in error and "999999" in error
    assert "3," not in error


@pytest.mark.parametrize("path", ["/api/study-sessions/{}/review", "/study_sessions/{}/review"])
def test_unknown_session_is_a_404(client, db, session, path):
    before = snapshot(client, session["id"])

    response = post_batch(client, 999, GOOD, path=path)

    assert response.status_code == 404
    assert response.get_json() == {"error": "Study session with id 999 not found"}
    assert count_rows(db, "word_review_items") == 2
    assert snapshot(client, session["id"]) == before


@pytest.mark.parametrize("kwargs", [
    pytest.param({"data": json.dumps({"reviews": GOOD}), "content_type": "text/plain"}, id="text-plain"),
    pytest.param({"data": {"reviews": "3"}}, id="form-post"),
    pytest.param({"data": json.dumps({"reviews": GOOD})}, id="no-content-type"),
])
def test_batch_not_sent_as_json_is_a_415(client, db, session, kwargs):
    before = snapshot(client, session["id"])

    response = client.post(f"/api/study-sessions/{session['id']}/review", **kwargs)

    assert response.status_code == 415
    assert "error" in response.get_json()
    assert snapshot(client, session["id"]) == before


@pytest.mark.parametrize("path, body, status", [
    pytest.param("/api/study-sessions/{s}/words/3/review", {"correct": "yes"}, 400, id="correct-yes"),
    pytest.param("/api/study-sessions/{s}/words/3/review", {"correct": 1}, 400, id="correct-1"),
    pytest.param("/api/study-sessions/{s}/words/3/review", {"correct": None}, 400, id="correct-null"),
    pytest.param("/api/study-sessions/{s}/words/3/review", {}, 400, id="correct-missing"),
    pytest.param("/api/study-sessions/{s}/words/3/review", {"is_correct": True}, 400,
                 id="is_correct-instead-of-correct"),
    pytest.param("/api/study-sessions/{s}/words/999999/review", {"correct": True}, 404,
                 id="unknown-word"),
    pytest.param("/api/study-sessions/999/words/3/review", {"correct": True}, 404,
                 id="unknown-session"),
    pytest.param("/api/study-sessions/{s}/words/0/review", {"correct": True}, 404, id="word-id-0"),
    pytest.param("/api/study-sessions/{s}/words/abc/review", {"correct": True}, 404, id="word-id-abc"),
])
def test_bad_single_answer_changes_nothing(client, db, session, path, body, status):
    before = snapshot(client, session["id"])

    response = client.post(path.format(s=session["id"]), json=body)

    assert response.status_code == status
    assert "error" in response.get_json()
    assert snapshot(client, session["id"]) == before


def test_single_answer_not_sent_as_json_is_a_415(client, session):
    before = snapshot(client, session["id"])

    response = client.post(f"/api/study-sessions/{session['id']}/words/3/review",
                           data={"correct": "true"})

    assert response.status_code == 415
    assert snapshot(client, session["id"]) == before


# --- retries ---------------------------------------------------------------

def test_retry_with_the_same_review_id_is_not_counted_again(client, db, session):
    first = post_batch(client, session["id"], [review(3, True, review_id=UUID_A)])
    assert first.status_code == 201
    before = snapshot(client, session["id"])

    retry = post_batch(client, session["id"], [review(3, True, review_id=UUID_A)])

    assert retry.status_code == 200
    body = retry.get_json()
    assert body["recorded"] == 0
    assert body["duplicates"] == 1
    [item] = body["items"]
    assert item["duplicate"] is True
    assert item["review_id"] == UUID_A
    assert item["id"] == first.get_json()["items"][0]["id"]
    assert item["reviewed_at"] == first.get_json()["items"][0]["reviewed_at"]
    assert body["words"] == [{"word_id": 3, "correct_count": 1, "wrong_count": 0}]
    assert count_rows(db, "word_review_items") == 3
    assert snapshot(client, session["id"]) == before


def test_retry_with_the_same_reviewed_at_is_a_duplicate(client, session):
    moment = ago(minutes=5)
    post_batch(client, session["id"], [review(3, False, review_id=UUID_A, reviewed_at=moment)])

    retry = post_batch(client, session["id"], [review(3, False, review_id=UUID_A, reviewed_at=moment)])

    assert retry.status_code == 200
    assert retry.get_json()["duplicates"] == 1


def test_retry_mixed_with_new_reviews_counts_only_the_new(client, db, session):
    post_batch(client, session["id"], [review(3, True, review_id=UUID_A)])

    response = post_batch(client, session["id"], [review(3, True, review_id=UUID_A),
                                                  review(3, False, review_id=UUID_B),
                                                  review(4, True)])

    assert response.status_code == 201
    body = response.get_json()
    assert body["recorded"] == 2
    assert body["duplicates"] == 1
    assert [item["duplicate"] for item in body["items"]] == [True, False, False]
    assert body["words"] == [{"word_id": 3, "correct_count": 1, "wrong_count": 1},
                             {"word_id": 4, "correct_count": 1, "wrong_count": 0}]
    assert count_rows(db, "word_review_items") == 5


def test_retry_of_a_single_answer_is_not_counted_again(client, db, session):
    path = f"/api/study-sessions/{session['id']}/words/3/review"
    assert client.post(path, json={"correct": True, "review_id": UUID_A}).status_code == 201

    retry = client.post(path, json={"correct": True, "review_id": UUID_A})

    assert retry.status_code == 200
    assert retry.get_json()["items"][0]["duplicate"] is True
    assert client.get("/api/words/3").get_json()["word"]["correct_count"] == 1
    assert count_rows(db, "word_review_items") == 3


def test_retry_through_the_legacy_path_is_a_duplicate(client, session):
    post_batch(client, session["id"], [review(3, True, review_id=UUID_A)])

    retry = post_batch(client, session["id"], [review(3, True, review_id=UUID_A)],
                       path="/study_sessions/{}/review")

    assert retry.status_code == 200
    assert retry.get_json()["duplicates"] == 1


@pytest.mark.parametrize("conflicting", [
    pytest.param(lambda own, other: (own, review(3, False, review_id=UUID_A)), id="other-is_correct"),
    pytest.param(lambda own, other: (own, review(4, True, review_id=UUID_A)), id="other-word"),
    pytest.param(lambda own, other: (other, review(3, True, review_id=UUID_A)), id="other-session"),
    pytest.param(lambda own, other: (own, review(3, True, review_id=UUID_A, reviewed_at=ago(minutes=1))),
                 id="other-reviewed_at"),
])
def test_same_review_id_with_other_content_is_a_409(client, db, session, conflicting):
    other = create_session(client, 1, 1, created_at=ago(hours=1))
    post_batch(client, session["id"], [review(3, True, review_id=UUID_A, reviewed_at=ago(minutes=30))])
    target, item = conflicting(session["id"], other["id"])
    before = snapshot(client, session["id"])
    other_before = snapshot(client, other["id"])

    # The new review before the conflicting one must not be stored either.
    response = post_batch(client, target, [review(5, True, review_id=UUID_C), item])

    assert response.status_code == 409
    assert UUID_A in response.get_json()["error"]
    assert count_rows(db, "word_review_items") == 3
    assert db.execute("SELECT count(*) FROM word_review_items WHERE review_id = ?",
                      (UUID_C,)).fetchone()[0] == 0
    assert snapshot(client, session["id"]) == before
    assert snapshot(client, other["id"]) == other_before


def test_single_answer_with_a_conflicting_review_id_is_a_409(client, db, session):
    post_batch(client, session["id"], [review(3, True, review_id=UUID_A)])

    response = client.post(f"/api/study-sessions/{session['id']}/words/3/review",
                           json={"correct": False, "review_id": UUID_A})

    assert response.status_code == 409
    assert count_rows(db, "word_review_items") == 3


def test_review_id_is_case_insensitive_for_retries(client, db, session):
    post_batch(client, session["id"], [review(3, True, review_id=UUID_A)])

    retry = post_batch(client, session["id"], [review(3, True, review_id=UUID_A.upper())])

    assert retry.status_code == 200
    assert retry.get_json()["duplicates"] == 1
    assert count_rows(db, "word_review_items") == 3


# Word 44 is one of Core Verbs, the session's group.

@pytest.mark.parametrize("path", ["/api/study-sessions/{}/review", "/study_sessions/{}/review"])
def test_retry_of_a_word_since_taken_out_of_the_group_is_a_duplicate(client, db, session, path):
    batch = [review(44, True, review_id=UUID_A), review(3, False, review_id=UUID_B)]
    first = post_batch(client, session["id"], batch)
    assert first.status_code == 201
    assert client.delete("/api/groups/1/words/44").status_code == 204
    before = snapshot(client, session["id"])

    retry = post_batch(client, session["id"], batch, path=path)

    assert retry.status_code == 200, retry.get_json()
    body = retry.get_json()
    assert (body["recorded"], body["duplicates"]) == (0, 2)
    assert [(item["id"], item["duplicate"]) for item in body["items"]] == [
        (item["id"], True) for item in first.get_json()["items"]]
    assert body["words"] == [{"word_id": 3, "correct_count": 0, "wrong_count": 1},
                             {"word_id": 44, "correct_count": 1, "wrong_count": 0}]
    assert count_rows(db, "word_review_items") == 4
    assert snapshot(client, session["id"]) == before


def test_single_answer_retry_of_a_word_since_taken_out_of_the_group_is_a_duplicate(client, db,
                                                                                  session):
    path = f"/api/study-sessions/{session['id']}/words/44/review"
    assert client.post(path, json={"correct": True, "review_id": UUID_A}).status_code == 201
    assert client.delete("/api/groups/1/words/44").status_code == 204
    before = snapshot(client, session["id"])

    retry = client.post(path, json={"correct": True, "review_id": UUID_A})

    assert retry.status_code == 200, retry.get_json()
    assert (retry.get_json()["recorded"], retry.get_json()["duplicates"]) == (0, 1)
    assert retry.get_json()["items"][0]["duplicate"] is True
    assert count_rows(db, "word_review_items") == 3
    assert snapshot(client, session["id"]) == before


def test_a_retry_and_a_new_answer_for_a_word_since_taken_out_of_the_group_store_the_new_one(
        client, db, session):
    post_batch(client, session["id"], [review(44, True, review_id=UUID_A)])
    client.delete("/api/groups/1/words/44")

    response = post_batch(client, session["id"], [review(44, True, review_id=UUID_A),
                                                  review(3, True, review_id=UUID_B)])

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["recorded"], body["duplicates"]) == (1, 1)
    assert [item["duplicate"] for item in body["items"]] == [True, False]
    assert count_rows(db, "word_review_items") == 4


def test_a_new_answer_for_a_word_taken_out_of_the_group_is_still_a_400(client, db, session):
    post_batch(client, session["id"], [review(44, True, review_id=UUID_A)])
    client.delete("/api/groups/1/words/44")
    before = snapshot(client, session["id"])

    # A retry, a new answer to another word, and a new answer to word 44: nothing is stored.
    batch = post_batch(client, session["id"], [review(44, True, review_id=UUID_A),
                                               review(3, True), review(44, False, review_id=UUID_B)])
    single = client.post(f"/api/study-sessions/{session['id']}/words/44/review",
                         json={"correct": False, "review_id": UUID_B})

    assert batch.status_code == 400
    assert batch.get_json()["details"] == [
        {"field": "reviews", "message": "words not in the session's group: 44"}]
    assert single.status_code == 400
    assert single.get_json()["details"] == [
        {"field": "word_id", "message": "word 44 is not in the session's group"}]
    assert count_rows(db, "word_review_items") == 3
    assert snapshot(client, session["id"]) == before


def test_retry_of_an_answer_to_a_deleted_word_is_a_404(client, db, session):
    # Deleting a word deletes its answers: there is nothing left to be a duplicate of.
    post_batch(client, session["id"], [review(44, True, review_id=UUID_A)])
    assert client.delete("/api/words/44").status_code == 204
    before = snapshot(client, session["id"])

    batch = post_batch(client, session["id"], [review(44, True, review_id=UUID_A),
                                               review(3, True, review_id=UUID_B)])
    single = client.post(f"/api/study-sessions/{session['id']}/words/44/review",
                         json={"correct": True, "review_id": UUID_A})

    assert batch.status_code == 404
    assert batch.get_json() == {"error": "Word ids not found: 44"}
    assert single.status_code == 404
    assert single.get_json() == {"error": "Word with id 44 not found"}
    assert count_rows(db, "word_review_items") == 2
    assert snapshot(client, session["id"]) == before


# --- every view agrees -----------------------------------------------------

def page_items(client, url, key="items"):
    items, page = [], 1
    while True:
        sep = "&" if "?" in url else "?"
        body = client.get(f"{url}{sep}per_page=100&page={page}").get_json()
        items += body[key]
        if page >= body["total_pages"]:
            return items
        page += 1


@pytest.fixture
def known_history(client):
    """Four sessions in two groups; the earliest has no reviews."""
    empty = create_session(client, 2, 1, created_at=ago(hours=5))
    s1 = create_session(client, 1, 1, created_at=ago(hours=4))
    s2 = create_session(client, 2, 1, created_at=ago(hours=3))
    s3 = create_session(client, 1, 1, created_at=ago(hours=2))

    def at(minutes_ago):
        return ago(minutes=minutes_ago)

    post_batch(client, s1["id"], [review(1, True, reviewed_at=at(230)), review(1, True, reviewed_at=at(229)),
                                  review(1, False, reviewed_at=at(228)), review(2, False, reviewed_at=at(227)),
                                  review(3, True, reviewed_at=at(200))])
    post_batch(client, s2["id"], [review(61, True, reviewed_at=at(170)) for _ in range(5)]
               + [review(62, False, reviewed_at=at(165)), review(62, True, reviewed_at=at(150))])
    post_batch(client, s3["id"], [review(1, True, reviewed_at=at(110)), review(1, True, reviewed_at=at(105)),
                                  review(1, True, reviewed_at=at(100)), review(3, False, reviewed_at=at(95))])
    client.post(f"/api/study-sessions/{s3['id']}/words/4/review", json={"correct": True})
    post_batch(client, s3["id"], [review(2, True), review(2, True), review(2, True), review(2, True)])
    return [empty, s1, s2, s3]


def test_every_view_agrees_with_the_review_items(client, db, known_history):
    per_word = {row["word_id"]: (row["correct"], row["wrong"]) for row in db.execute(
        """SELECT word_id, sum(correct) AS correct, count(*) - sum(correct) AS wrong
           FROM word_review_items GROUP BY word_id""")}
    all_ids = [row[0] for row in db.execute("SELECT id FROM words ORDER BY id")]
    expected = {word_id: per_word.get(word_id, (0, 0)) for word_id in all_ids}
    assert per_word  # the fixture stored reviews

    # The words index, every page.
    assert word_counts(client) == expected

    # The words index sorted by correct_count, both ways (ties by id).
    for order in ("desc", "asc"):
        listed = [w["id"] for w in all_words(client, sort_by="correct_count", order=order)]
        assert listed == sorted(all_ids, key=lambda i: (expected[i][0], i), reverse=order == "desc")
    listed = [w["id"] for w in all_words(client, sort_by="wrong_count", order="desc")]
    assert listed == sorted(all_ids, key=lambda i: (expected[i][1], i), reverse=True)

    # Each reviewed word's page.
    for word_id, (correct, wrong) in per_word.items():
        word = client.get(f"/api/words/{word_id}").get_json()["word"]
        assert (word["correct_count"], word["wrong_count"]) == (correct, wrong)

    # Each group's words.
    for group_id in (1, 2):
        words = page_items(client, f"/api/groups/{group_id}/words")
        members = [row[0] for row in db.execute(
            "SELECT word_id FROM word_groups WHERE group_id = ?", (group_id,))]
        assert {w["id"]: (w["correct_count"], w["wrong_count"]) for w in words} == {
            word_id: expected[word_id] for word_id in members}

    # Each session: its words (counts within it) and its own totals.
    sessions = {row["id"]: dict(row) for row in db.execute("SELECT * FROM study_sessions")}
    for session_id, session in sessions.items():
        in_session = {row["word_id"]: (row["correct"], row["wrong"]) for row in db.execute(
            """SELECT word_id, sum(correct) AS correct, count(*) - sum(correct) AS wrong
               FROM word_review_items WHERE study_session_id = ? GROUP BY word_id""", (session_id,))}
        last = db.execute("SELECT max(created_at) FROM word_review_items WHERE study_session_id = ?",
                          (session_id,)).fetchone()[0]
        body = client.get(f"/api/study-sessions/{session_id}?per_page=100").get_json()
        assert {w["id"]: (w["correct_count"], w["wrong_count"]) for w in body["words"]} == in_session
        assert body["total"] == len(in_session)
        shown = body["session"]
        assert shown["review_items_count"] == sum(c + w for c, w in in_session.values())
        assert (shown["correct_count"], shown["wrong_count"]) == (
            sum(c for c, _ in in_session.values()), sum(w for _, w in in_session.values()))
        assert shown["end_time"] == (last or session["created_at"])
        assert shown["start_time"] == session["created_at"]

    # The session lists (all, and each group's).
    def check_list(listed, where):
        assert {s["id"] for s in listed} == where
        for shown in listed:
            count, last = db.execute(
                "SELECT count(*), max(created_at) FROM word_review_items WHERE study_session_id = ?",
                (shown["id"],)).fetchone()
            assert shown["review_items_count"] == count
            assert shown["end_time"] == (last or sessions[shown["id"]]["created_at"])

    check_list(page_items(client, "/api/study-sessions"), set(sessions))
    for group_id in (1, 2):
        check_list(page_items(client, f"/api/groups/{group_id}/study-sessions"),
                   {i for i, s in sessions.items() if s["group_id"] == group_id})
    empty = known_history[0]
    assert client.get(f"/api/study-sessions/{empty['id']}").get_json()["session"]["end_time"] == \
        empty["created_at"]

    # The most recent session.
    latest_id = db.execute("SELECT id FROM study_sessions ORDER BY created_at DESC, id DESC").fetchone()[0]
    correct, wrong = db.execute(
        """SELECT coalesce(sum(correct), 0), count(*) - coalesce(sum(correct), 0)
           FROM word_review_items WHERE study_session_id = ?""", (latest_id,)).fetchone()
    recent = client.get("/api/dashboard/recent-session").get_json()
    assert recent["id"] == latest_id
    assert (recent["correct_count"], recent["wrong_count"]) == (correct, wrong)

    # The dashboard figures.
    all_correct, all_reviews = db.execute(
        "SELECT sum(correct), count(*) FROM word_review_items").fetchone()
    figures = stats(client)
    assert figures["total_vocabulary"] == len(all_ids)
    assert figures["total_words_studied"] == len(per_word)
    assert figures["mastered_words"] == sum(
        1 for c, w in per_word.values() if c + w >= 5 and c / (c + w) >= 0.8)
    assert figures["success_rate"] == pytest.approx(all_correct / all_reviews)
    assert figures["total_sessions"] == count_rows(db, "study_sessions")


def test_known_history_gives_the_expected_figures(client, known_history):
    """The same history, checked against figures worked out by hand."""
    figures = stats(client)

    # Words 1 (5 of 6), 2 (4 of 5), 3 (1 of 2), 4 (1 of 1), 61 (5 of 5), 62 (1 of 2).
    assert figures["total_words_studied"] == 6
    assert figures["mastered_words"] == 3  # words 1, 2 and 61
    assert figures["success_rate"] == pytest.approx(17 / 21)
    assert figures["total_sessions"] == 4
    assert figures["active_groups"] == 2
    assert client.get("/api/words/1").get_json()["word"]["correct_count"] == 5
    assert client.get("/api/words/1").get_json()["word"]["wrong_count"] == 1
    recent = client.get("/api/dashboard/recent-session").get_json()
    assert recent["id"] == known_history[3]["id"]
    assert (recent["correct_count"], recent["wrong_count"]) == (8, 1)


# --- dashboard stats definitions -------------------------------------------

@pytest.mark.parametrize("correct, wrong, mastered", [
    pytest.param(4, 0, 0, id="4-reviews-all-correct"),
    pytest.param(5, 0, 1, id="5-reviews-all-correct"),
    pytest.param(4, 1, 1, id="5-reviews-4-correct"),
    pytest.param(3, 2, 0, id="5-reviews-3-correct"),
    pytest.param(8, 2, 1, id="10-reviews-8-correct"),
    pytest.param(7, 3, 0, id="10-reviews-7-correct"),
    pytest.param(0, 5, 0, id="5-reviews-none-correct"),
])
def test_mastered_words_needs_5_reviews_and_80_percent(client, correct, wrong, mastered):
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True)] * correct + [(1, False)] * wrong)

    figures = stats(client)
    assert figures["mastered_words"] == mastered
    assert figures["total_words_studied"] == 1


def test_mastery_counts_reviews_across_sessions(client):
    first = create_session(client)
    second = create_session(client, 1, 1)
    post_reviews(client, first["id"], [(1, True)] * 3)
    assert stats(client)["mastered_words"] == 0

    post_reviews(client, second["id"], [(1, True), (1, False)])

    assert stats(client)["mastered_words"] == 1


def test_mastery_is_lost_when_the_rate_drops_below_80_percent(client):
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True)] * 5)
    assert stats(client)["mastered_words"] == 1

    post_reviews(client, session["id"], [(1, False), (1, False)])  # 5 of 7

    assert stats(client)["mastered_words"] == 0


def test_mastered_words_counts_each_word(client):
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True)] * 5 + [(2, True)] * 5 + [(3, True)] * 4)

    assert stats(client)["mastered_words"] == 2


def test_success_rate_is_0_with_no_reviews(client):
    create_session(client)

    figures = stats(client)
    assert figures["success_rate"] == 0
    assert figures["total_words_studied"] == 0
    assert figures["mastered_words"] == 0


def test_success_rate_is_correct_over_all_reviews(client):
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True), (2, True), (3, True), (1, False)])

    assert stats(client)["success_rate"] == pytest.approx(0.75)


def test_total_words_studied_counts_distinct_words(client):
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True), (1, False), (2, True)])

    assert stats(client)["total_words_studied"] == 2


def test_total_vocabulary_is_every_word(client):
    assert stats(client)["total_vocabulary"] == 120


@pytest.mark.parametrize("sessions, active", [
    pytest.param([], 0, id="none"),
    pytest.param([(1, 0)], 1, id="one-group-today"),
    pytest.param([(1, 0), (1, 3)], 1, id="one-group-twice"),
    pytest.param([(1, 0), (2, 29)], 2, id="two-groups-within-30-days"),
    pytest.param([(1, 0), (2, 40)], 1, id="other-group-40-days-ago"),
    pytest.param([(2, 40)], 0, id="only-40-days-ago"),
])
def test_active_groups_have_a_session_in_the_last_30_days(client, sessions, active):
    for group_id, days_ago in sessions:
        create_session(client, group_id, 1, created_at=ago(days=days_ago))

    assert stats(client)["active_groups"] == active


def day_at(days_ago):
    """A moment on the UTC day `days_ago` before today: noon, or now for today."""
    now = datetime.now(timezone.utc)
    if days_ago == 0:
        return utc_text(now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return utc_text(midnight - timedelta(days=days_ago) + timedelta(hours=12))


def start_of_today():
    now = datetime.now(timezone.utc)
    return utc_text(min(now.replace(hour=0, minute=0, second=1, microsecond=0), now))


@pytest.mark.parametrize("days, streak", [
    pytest.param([], 0, id="no-sessions"),
    pytest.param([0], 1, id="today-only"),
    pytest.param([0, 0], 1, id="twice-today"),
    pytest.param([0, 1, 2], 3, id="today-and-the-two-days-before"),
    pytest.param([1, 2], 2, id="yesterday-and-the-day-before-not-today"),
    pytest.param([1], 1, id="yesterday-only"),
    pytest.param([0, 2], 1, id="gap-yesterday"),
    pytest.param([0, 1, 2, 4, 5], 3, id="gap-further-back"),
    pytest.param([2, 3], 0, id="ended-two-days-ago"),
    pytest.param([7], 0, id="a-week-ago"),
])
def test_current_streak_counts_consecutive_utc_days(client, days, streak):
    for days_ago in days:
        create_session(client, created_at=day_at(days_ago))

    assert stats(client)["current_streak"] == streak


def test_streak_counts_a_session_just_after_midnight_utc(client):
    create_session(client, created_at=start_of_today())
    create_session(client, created_at=day_at(1))

    assert stats(client)["current_streak"] == 2


def test_streak_uses_utc_days_for_offset_timestamps(client):
    # Today 05:00 at +09:00 is yesterday 20:00 in UTC: with a session two days
    # ago, that makes two UTC days in a row (by the local date it would be a gap).
    today = datetime.now(timezone.utc).date()
    create_session(client, created_at=f"{today.isoformat()}T05:00:00+09:00")
    create_session(client, created_at=day_at(2))

    assert stats(client)["current_streak"] == 2


# --- reset -----------------------------------------------------------------

def test_reset_zeroes_every_figure(client, db, known_history):
    response = client.post("/api/study-sessions/reset", content_type="application/json")

    assert response.status_code == 200
    assert count_rows(db, "word_review_items") == 0
    assert all(counts == (0, 0) for counts in word_counts(client).values())
    figures = stats(client)
    assert {key: figures[key] for key in ("total_words_studied", "mastered_words", "success_rate",
                                          "total_sessions", "active_groups", "current_streak")} == {
        "total_words_studied": 0, "mastered_words": 0, "success_rate": 0,
        "total_sessions": 0, "active_groups": 0, "current_streak": 0}
    assert client.get("/api/dashboard/recent-session").get_json() is None
    assert client.get(f"/api/study-sessions/{known_history[1]['id']}").status_code == 404
    assert db.execute("SELECT count(*) FROM word_reviews WHERE last_reviewed IS NOT NULL").fetchone()[0] == 0


def test_reviews_after_a_reset_start_from_zero(client, known_history):
    client.post("/api/study-sessions/reset", content_type="application/json")
    session = create_session(client)

    body = post_reviews(client, session["id"], [(1, True)])

    assert body["words"] == [{"word_id": 1, "correct_count": 1, "wrong_count": 0}]
    assert stats(client)["total_words_studied"] == 1
    assert stats(client)["success_rate"] == 1


@pytest.mark.parametrize("path", ["/api/study-sessions/{}/review", "/study_sessions/{}/review"])
def test_a_word_outside_the_session_group_is_a_400_naming_it_and_stores_nothing(client, db, session,
                                                                                path):
    before = snapshot(client, session["id"])

    # Words 61 and 62 are Core Adjectives; the session studies Core Verbs.
    response = post_batch(client, session["id"], [review(3, True), review(62, True), review(61, False)],
                          path=path)

    assert response.status_code == 400
    assert "group" in response.get_json()["error"]
    assert "61, 62" in response.get_json()["error"]
    assert count_rows(db, "word_review_items") == 2
    assert snapshot(client, session["id"]) == before


def test_single_answer_for_a_word_outside_the_group_is_a_400(client, db, session):
    response = client.post(f"/api/study-sessions/{session['id']}/words/61/review", json={"correct": True})

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "Invalid request: word_id: word 61 is not in the session's group",
        "details": [{"field": "word_id", "message": "word 61 is not in the session's group"}]}
    assert count_rows(db, "word_review_items") == 2


def test_single_answer_for_an_unknown_word_is_a_404_naming_it(client, db, session):
    response = client.post(f"/api/study-sessions/{session['id']}/words/999999/review",
                           json={"correct": True})

    assert response.status_code == 404
    assert response.get_json() == {"error": "Word with id 999999 not found"}
    assert count_rows(db, "word_review_items") == 2
