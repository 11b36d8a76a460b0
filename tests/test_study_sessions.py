"""POST /api/study-sessions (and the frontend's POST /study_sessions), and
POST /api/study-sessions/reset (issue 3)."""
import gzip
import json
from datetime import datetime, timedelta, timezone

import pytest

from helpers import count_rows, create_session, post_reviews

VALID = {"group_id": 1, "study_activity_id": 1}
MISSING = object()


def utc_text(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def sessions_count(db, group_id):
    return db.execute("SELECT sessions_count FROM groups WHERE id = ?", (group_id,)).fetchone()[0]


def activity_sessions_count(db, activity_id):
    return db.execute("SELECT sessions_count FROM study_activities WHERE id = ?",
                      (activity_id,)).fetchone()[0]


# --- success ---------------------------------------------------------------

def test_create_session_answers_201_with_every_field(client):
    response = client.post("/api/study-sessions",
                           json={**VALID, "created_at": "2026-01-30T10:00:00Z"})

    assert response.status_code == 201
    body = response.get_json()
    assert body == {
        "id": body["id"],
        "session_id": body["id"],
        "group_id": 1,
        "group_name": "Core Verbs",
        "activity_id": 1,
        "study_activity_id": 1,
        "activity_name": "Typing Tutor",
        "start_time": "2026-01-30T10:00:00Z",
        "created_at": "2026-01-30T10:00:00Z",
        "end_time": "2026-01-30T10:00:00Z",
        "review_items_count": 0,
        "correct_count": 0,
        "wrong_count": 0,
    }
    assert isinstance(body["id"], int) and body["id"] >= 1


def test_create_session_sets_location_header(client):
    response = client.post("/api/study-sessions", json=VALID)

    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/study-sessions/{response.get_json()['id']}"


def test_create_session_stores_the_row(client, db):
    session = create_session(client, 2, 1, created_at="2026-01-30T10:00:00Z")

    row = db.execute("SELECT * FROM study_sessions WHERE id = ?", (session["id"],)).fetchone()
    assert row is not None
    assert row["group_id"] == 2
    assert row["study_activity_id"] == 1
    assert row["created_at"] == "2026-01-30T10:00:00Z"
    assert row["last_activity_at"] == "2026-01-30T10:00:00Z"
    assert row["review_items_count"] == 0
    assert count_rows(db, "study_sessions") == 1


def test_create_session_counts_the_session_in_its_group_and_activity(client, db):
    create_session(client, 2, 1)

    assert sessions_count(db, 2) == 1
    assert sessions_count(db, 1) == 0
    assert activity_sessions_count(db, 1) == 1


def test_get_returns_the_created_session(client):
    created = create_session(client)

    response = client.get(f"/api/study-sessions/{created['id']}")

    assert response.status_code == 200
    assert response.get_json()["session"] == created
    assert response.get_json()["words"] == []


def test_created_at_with_an_offset_is_converted_to_utc(client, db):
    session = create_session(client, created_at="2026-01-30T10:00:00+09:00")

    assert session["created_at"] == "2026-01-30T01:00:00Z"
    assert session["start_time"] == "2026-01-30T01:00:00Z"
    stored = db.execute("SELECT created_at FROM study_sessions WHERE id = ?",
                        (session["id"],)).fetchone()[0]
    assert stored == "2026-01-30T01:00:00Z"


def test_created_at_with_a_negative_offset_is_converted_to_utc(client):
    session = create_session(client, created_at="2026-01-30T22:30:00-05:00")

    assert session["created_at"] == "2026-01-31T03:30:00Z"


def test_created_at_without_an_offset_is_taken_as_utc(client):
    session = create_session(client, created_at="2026-01-30T10:00:00")

    assert session["created_at"] == "2026-01-30T10:00:00Z"


def test_created_at_absent_is_now(client):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    session = create_session(client)
    after = datetime.now(timezone.utc)

    assert before <= parse_utc(session["created_at"]) <= after
    assert session["end_time"] == session["created_at"]


def test_legacy_path_answers_the_same_with_session_id(client, db):
    response = client.post("/study_sessions", json={**VALID, "created_at": "2026-01-30T10:00:00Z"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["session_id"] == body["id"]
    assert response.headers["Location"] == f"/api/study-sessions/{body['session_id']}"
    assert client.get(f"/api/study-sessions/{body['session_id']}").get_json()["session"] == body
    assert body["group_name"] == "Core Verbs"
    assert body["start_time"] == "2026-01-30T10:00:00Z"
    assert count_rows(db, "study_sessions") == 1


def test_unknown_extra_fields_are_ignored(client, db):
    response = client.post("/api/study-sessions",
                           json={**VALID, "colour": "blue", "id": 777, "review_items_count": 9})

    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] != 777
    assert body["review_items_count"] == 0
    assert "colour" not in body
    assert count_rows(db, "study_sessions") == 1


def test_sessions_get_distinct_ids(client):
    first = create_session(client)
    second = create_session(client, 2, 1)

    assert first["id"] != second["id"]
    assert second["group_name"] == "Core Adjectives"


def test_a_whole_number_written_with_a_fraction_is_an_integer(client):
    # JSON Schema's "integer" includes 2.0, so the document promises it.
    response = client.post("/api/study-sessions", json={"group_id": 2.0, "study_activity_id": 1.0})

    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["group_id"], response.get_json()["activity_id"]) == (2, 1)


# --- bad bodies ------------------------------------------------------------

BAD_IDS = [
    pytest.param(MISSING, id="missing"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param(1.5, id="fraction"),
    pytest.param(2.0 ** 70, id="whole-float-too-large"),
    pytest.param("1", id="string-1"),
    pytest.param("abc", id="string-abc"),
    pytest.param(None, id="null"),
    pytest.param([], id="list"),
    pytest.param([1], id="list-of-1"),
    pytest.param({}, id="object"),
    pytest.param(0, id="zero"),
    pytest.param(-1, id="negative"),
    pytest.param(2**63, id="2**63"),
    pytest.param(10**30, id="10**30"),
]


@pytest.mark.parametrize("field", ["group_id", "study_activity_id"])
@pytest.mark.parametrize("value", BAD_IDS)
def test_bad_id_is_a_400_naming_the_field_and_stores_nothing(client, db, field, value):
    body = dict(VALID)
    if value is MISSING:
        del body[field]
    else:
        body[field] = value

    response = client.post("/api/study-sessions", json=body)

    assert response.status_code == 400
    assert field in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0
    assert sessions_count(db, 1) == 0


def far_future():
    return utc_text(datetime.now(timezone.utc) + timedelta(days=2))


@pytest.mark.parametrize("value", [
    pytest.param(1700000000, id="number"),
    pytest.param("1700000000", id="unix-time-string"),
    pytest.param("garbage", id="garbage"),
    pytest.param("", id="empty-string"),
    pytest.param("2026-02-30T10:00:00Z", id="no-such-day"),
    pytest.param("2026-01-30T25:00:00Z", id="no-such-hour"),
    pytest.param("2026-11-22", id="date-only"),
    pytest.param("2999-01-01T00:00:00Z", id="far-future"),
    pytest.param("9999-12-31T23:59:59-01:00", id="beyond-year-9999-in-utc"),
    pytest.param(True, id="true"),
    pytest.param(["2026-01-30T10:00:00Z"], id="list"),
    pytest.param({"date": "2026-01-30"}, id="object"),
])
def test_bad_created_at_is_a_400_naming_the_field_and_stores_nothing(client, db, value):
    response = client.post("/api/study-sessions", json={**VALID, "created_at": value})

    assert response.status_code == 400
    assert "created_at" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0
    assert sessions_count(db, 1) == 0


def test_created_at_two_days_ahead_is_a_400(client, db):
    response = client.post("/api/study-sessions", json={**VALID, "created_at": far_future()})

    assert response.status_code == 400
    assert "created_at" in response.get_json()["error"]
    assert "future" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0


@pytest.mark.parametrize("data", [
    pytest.param("{bad", id="not-json"),
    pytest.param("", id="empty-body"),
    pytest.param("[1, 1]", id="json-array"),
    pytest.param('"group_id"', id="json-string"),
    pytest.param("null", id="json-null"),
    pytest.param("42", id="json-number"),
    pytest.param('{"group_id": 1, "study_activity_id": 1', id="truncated-object"),
])
def test_body_that_is_not_a_json_object_is_a_400(client, db, data):
    response = client.post("/api/study-sessions", data=data, content_type="application/json")

    assert response.status_code == 400
    assert response.is_json
    assert "body" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0
    assert sessions_count(db, 1) == 0


@pytest.mark.parametrize("path", ["/api/study-sessions", "/study_sessions"])
@pytest.mark.parametrize("kwargs", [
    pytest.param({"data": json.dumps(VALID), "content_type": "text/plain"}, id="text-plain"),
    pytest.param({"data": {"group_id": "1", "study_activity_id": "1"}}, id="form-post"),
    pytest.param({"data": json.dumps(VALID),
                  "content_type": "application/x-www-form-urlencoded"}, id="form-urlencoded"),
    pytest.param({"data": json.dumps(VALID), "content_type": "multipart/form-data"}, id="multipart"),
    pytest.param({"data": json.dumps(VALID)}, id="no-content-type"),
])
def test_body_not_sent_as_json_is_a_415(client, db, path, kwargs):
    response = client.post(path, **kwargs)

    assert response.status_code == 415
    assert "Content-Type" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0
    assert sessions_count(db, 1) == 0


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate, gzip"])
def test_a_compressed_body_is_a_415(client, db, encoding):
    response = client.post("/api/study-sessions", data=gzip.compress(json.dumps(VALID).encode()),
                           content_type="application/json", headers={"Content-Encoding": encoding})

    assert response.status_code == 415
    assert "Content-Encoding" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0


def test_a_body_marked_identity_is_read_as_it_is(client):
    response = client.post("/api/study-sessions", json=VALID, headers={"Content-Encoding": "identity"})

    assert response.status_code == 201


def test_json_with_a_charset_is_accepted(client):
    response = client.post("/api/study-sessions", data=json.dumps(VALID),
                           content_type="application/json; charset=utf-8")

    assert response.status_code == 201


def test_body_over_one_mib_is_a_json_413(client, db):
    padding = "x" * (1024 * 1024)
    response = client.post("/api/study-sessions", data=json.dumps({**VALID, "padding": padding}),
                           content_type="application/json")

    assert response.status_code == 413
    assert response.is_json
    assert response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 0


# --- unknown group or activity ---------------------------------------------

def test_unknown_group_is_a_404_and_stores_nothing(client, db):
    response = client.post("/api/study-sessions", json={"group_id": 999, "study_activity_id": 1})

    assert response.status_code == 404
    assert response.get_json() == {"error": "Group with id 999 not found"}
    assert count_rows(db, "study_sessions") == 0
    assert activity_sessions_count(db, 1) == 0


def test_unknown_activity_is_a_404_and_stores_nothing(client, db):
    response = client.post("/api/study-sessions", json={"group_id": 1, "study_activity_id": 999})

    assert response.status_code == 404
    assert response.get_json() == {"error": "Study activity with id 999 not found"}
    assert count_rows(db, "study_sessions") == 0
    # The group's count, bumped before the activity was found missing, is rolled back.
    assert sessions_count(db, 1) == 0
    assert sessions_count(db, 2) == 0


def test_largest_sqlite_integer_is_a_404_not_a_500(client, db):
    response = client.post("/api/study-sessions",
                           json={"group_id": 2**63 - 1, "study_activity_id": 1})

    assert response.status_code == 404
    assert response.get_json() == {"error": f"Group with id {2**63 - 1} not found"}
    assert count_rows(db, "study_sessions") == 0


# --- a real database failure -----------------------------------------------

@pytest.mark.parametrize("path", ["/api/study-sessions", "/study_sessions"])
def test_database_error_is_a_generic_500_and_rolls_back(client, db, path):
    create_session(client)
    db.execute("CREATE TRIGGER fail BEFORE INSERT ON study_sessions "
               "BEGIN SELECT RAISE(ABORT, 'boom'); END")
    db.commit()

    response = client.post(path, json=VALID)

    assert response.status_code == 500
    assert response.get_json() == {"error": "Internal server error"}
    text = response.get_data(as_text=True)
    assert "boom" not in text
    assert "INSERT" not in text
    assert "Traceback" not in text
    assert count_rows(db, "study_sessions") == 1
    assert sessions_count(db, 1) == 1
    assert activity_sessions_count(db, 1) == 1


# --- reset -----------------------------------------------------------------

@pytest.fixture
def history(client):
    """Two sessions in two groups with some reviews."""
    first = create_session(client, 1, 1)
    second = create_session(client, 2, 1)
    post_reviews(client, first["id"], [(1, True), (2, False), (1, True)])
    post_reviews(client, second["id"], [(61, True), (62, True)])
    return [first, second]


def all_words(client):
    words = []
    for page in (1, 2):
        response = client.get(f"/api/words?per_page=100&page={page}")
        assert response.status_code == 200
        words += response.get_json()["items"]
    return words


def test_reset_deletes_sessions_and_reviews_and_zeroes_counters(client, db, history):
    assert count_rows(db, "word_review_items") == 5

    response = client.post("/api/study-sessions/reset", content_type="application/json")

    assert response.status_code == 200
    assert response.is_json
    assert response.get_json()["message"]
    assert count_rows(db, "study_sessions") == 0
    assert count_rows(db, "word_review_items") == 0
    words = all_words(client)
    assert len(words) == 120
    assert all(word["correct_count"] == 0 and word["wrong_count"] == 0 for word in words)
    stats = client.get("/api/dashboard/stats").get_json()
    assert stats["total_sessions"] == 0
    assert stats["total_words_studied"] == 0
    assert stats["mastered_words"] == 0
    assert stats["success_rate"] == 0
    assert stats["active_groups"] == 0
    assert stats["current_streak"] == 0
    assert stats["total_vocabulary"] == 120
    assert client.get("/api/dashboard/recent-session").get_json() is None
    assert client.get("/api/study-sessions").get_json()["items"] == []
    assert sessions_count(db, 1) == 0 and sessions_count(db, 2) == 0
    assert activity_sessions_count(db, 1) == 0


def test_reset_keeps_words_groups_and_activities(client, db, history):
    client.post("/api/study-sessions/reset", content_type="application/json")

    assert count_rows(db, "words") == 120
    assert count_rows(db, "groups") == 2
    assert count_rows(db, "study_activities") == 2  # the Typing Tutor and Flashcards
    assert count_rows(db, "word_groups") == 120


def test_sessions_can_be_created_after_a_reset(client, history):
    client.post("/api/study-sessions/reset", content_type="application/json")

    session = create_session(client)
    post_reviews(client, session["id"], [(1, True)])

    assert client.get("/api/words/1").get_json()["word"]["correct_count"] == 1
    assert client.get("/api/dashboard/stats").get_json()["total_sessions"] == 1


def test_reset_with_nothing_stored_is_fine(client, db):
    response = client.post("/api/study-sessions/reset", content_type="application/json")

    assert response.status_code == 200
    assert count_rows(db, "study_sessions") == 0


@pytest.mark.parametrize("kwargs", [
    pytest.param({"data": {"confirm": "yes"}}, id="form-post"),
    pytest.param({"data": "", "content_type": "application/x-www-form-urlencoded"}, id="form-urlencoded-empty"),
    pytest.param({"data": "x", "content_type": "text/plain"}, id="text-plain"),
    pytest.param({}, id="no-content-type"),
])
def test_reset_not_sent_as_json_is_a_415_and_deletes_nothing(client, db, history, kwargs):
    response = client.post("/api/study-sessions/reset", **kwargs)

    assert response.status_code == 415
    assert "error" in response.get_json()
    assert count_rows(db, "study_sessions") == 2
    assert count_rows(db, "word_review_items") == 5
    assert client.get("/api/words/1").get_json()["word"]["correct_count"] == 2
    assert client.get("/api/dashboard/stats").get_json()["total_sessions"] == 2


def test_get_on_reset_is_a_405(client, db, history):
    response = client.get("/api/study-sessions/reset")

    assert response.status_code == 405
    assert "POST" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 2
