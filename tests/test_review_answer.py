"""One answer a request, {"word_id", "correct"}, on the session's review
route besides the batch, as a study activity such as the Typing Tutor
sends it, from its own origin (issue 23)."""
import pytest

from helpers import count_rows, create_session

PATHS = ["/study_sessions/{}/review", "/api/study-sessions/{}/review"]
UUID = "5d3c1b2a-7e6f-4a8b-9c0d-1e2f3a4b5c6d"
SHAPES = 'must be a batch {"reviews": [...]} or one answer {"word_id": n, "correct": true|false}'
TUTOR_ORIGIN = "http://localhost:8080"


@pytest.fixture
def session(client):
    return create_session(client, group_id=1)


def what_is_stored(client, session_id):
    """Everything an answer changes, as the API shows it."""
    return {"session": client.get(f"/api/study-sessions/{session_id}").get_json(),
            "words": client.get("/api/groups/1/words/raw").get_json(),
            "stats": client.get("/api/dashboard/stats").get_json()}


# --- one answer ----------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("field", ["correct", "is_correct"])
def test_one_answer_is_stored_and_answered_with_what_was_stored(client, db, session, path, field):
    response = client.post(path.format(session["id"]), json={"word_id": 5, field: False})

    assert response.status_code == 201
    body = response.get_json()
    assert (body["recorded"], body["duplicates"]) == (1, 0)
    [item] = body["items"]
    assert (item["word_id"], item["is_correct"], item["rating"], item["duplicate"]) == (5, False, 1, False)
    assert body["words"] == [{"word_id": 5, "correct_count": 0, "wrong_count": 1}]
    row = db.execute("SELECT word_id, study_session_id, correct, rating FROM word_review_items").fetchone()
    assert tuple(row) == (5, session["id"], 0, 1)


def test_correct_is_rated_good_and_wrong_again(client, session):
    path = f"/study_sessions/{session['id']}/review"
    right = client.post(path, json={"word_id": 1, "correct": True}).get_json()
    wrong = client.post(path, json={"word_id": 2, "correct": False}).get_json()

    assert right["items"][0]["rating"] == 3
    assert wrong["items"][0]["rating"] == 1
    assert client.get("/api/words/1").get_json()["word"]["schedule"]["reps"] == 1
    assert client.get("/api/words/2").get_json()["word"]["schedule"]["reps"] == 1


def test_one_answer_takes_what_a_batch_item_takes(client, session):
    moment = session["created_at"]
    response = client.post(f"/study_sessions/{session['id']}/review", json={
        "word_id": 3, "correct": True, "rating": 4, "reviewed_at": moment, "review_id": UUID})

    assert response.status_code == 201
    [item] = response.get_json()["items"]
    assert (item["rating"], item["reviewed_at"], item["review_id"]) == (4, moment, UUID)


def test_a_retried_answer_with_its_review_id_is_stored_once(client, db, session):
    path = f"/study_sessions/{session['id']}/review"
    answer = {"word_id": 4, "correct": True, "review_id": UUID}
    first = client.post(path, json=answer)

    again = client.post(path, json=answer)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["items"][0]["duplicate"] is True
    assert again.get_json()["items"][0]["id"] == first.get_json()["items"][0]["id"]
    assert count_rows(db, "word_review_items") == 1
    conflict = client.post(path, json={**answer, "correct": False})
    assert conflict.status_code == 409
    assert count_rows(db, "word_review_items") == 1


def test_the_same_word_answered_twice_without_review_id_counts_twice(client, session):
    path = f"/study_sessions/{session['id']}/review"
    client.post(path, json={"word_id": 6, "correct": False})
    body = client.post(path, json={"word_id": 6, "correct": True}).get_json()

    assert body["words"] == [{"word_id": 6, "correct_count": 1, "wrong_count": 1}]


@pytest.mark.parametrize("answer, status, error", [
    pytest.param({"word_id": 61, "correct": True}, 400,
                 "Invalid request: word_id: word 61 is not in the session's group", id="outside-group"),
    pytest.param({"word_id": 9999, "correct": True}, 404, "Word with id 9999 not found",
                 id="unknown-word"),
    pytest.param({"word_id": 3, "correct": "yes"}, 400,
                 "Invalid request: correct: Input should be a valid boolean", id="correct-yes"),
    pytest.param({"word_id": 3, "is_correct": 1}, 400,
                 "Invalid request: is_correct: Input should be a valid boolean", id="is_correct-1"),
    pytest.param({"word_id": 3}, 400, "Invalid request: correct: Field required", id="no-answer"),
    pytest.param({"word_id": 3, "correct": True, "is_correct": True}, 400,
                 "Invalid request: body: send correct or is_correct, not both", id="both-names"),
    pytest.param({"word_id": "3", "correct": True}, 400,
                 "Invalid request: word_id: Input should be a valid integer", id="word_id-string"),
    pytest.param({"word_id": 3, "correct": True, "rating": 1}, 400,
                 "Invalid request: body: rating 1 contradicts the answer: a correct answer is "
                 "rated 2-4, a wrong one 1", id="rating-contradicts"),
    pytest.param({"word_id": 3, "correct": True, "reviewed_at": "2000-01-01T00:00:00Z"}, 400,
                 "Invalid request: reviewed_at: is before the session started", id="before-session"),
    pytest.param({"word_id": 3, "correct": True, "review_id": "x"}, 400,
                 "Invalid request: review_id: ", id="bad-review_id"),
])
@pytest.mark.parametrize("path", PATHS)
def test_a_refused_answer_stores_nothing_and_names_its_field(client, db, session, path, answer,
                                                               status, error):
    before = what_is_stored(client, session["id"])

    response = client.post(path.format(session["id"]), json=answer)

    assert response.status_code == status
    assert response.get_json()["error"].startswith(error)
    assert count_rows(db, "word_review_items") == 0
    assert what_is_stored(client, session["id"]) == before


@pytest.mark.parametrize("body", [
    pytest.param({}, id="empty-object"),
    pytest.param([{"word_id": 3, "correct": True}], id="array"),
    pytest.param({"correct": True}, id="no-word_id"),
    pytest.param({"reviews": [{"word_id": 3, "is_correct": True}], "word_id": 3, "correct": True},
                 id="both-shapes"),
    pytest.param("3 true", id="string"),
])
def test_a_body_of_neither_shape_is_a_400_naming_both(client, db, session, body):
    response = client.post(f"/study_sessions/{session['id']}/review", json=body)

    assert response.status_code == 400
    assert response.get_json() == {"error": f"Invalid request: body: {SHAPES}",
                                   "details": [{"field": "body", "message": SHAPES}]}
    assert count_rows(db, "word_review_items") == 0


def test_a_batch_still_names_its_items_fields(client, session):
    response = client.post(f"/study_sessions/{session['id']}/review",
                           json={"reviews": [{"word_id": 3, "is_correct": "yes"}]})

    assert response.get_json()["details"] == [
        {"field": "reviews.0.is_correct", "message": "Input should be a valid boolean"}]


def test_the_document_offers_one_of_the_two_bodies(client):
    document = client.get("/api/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    for path in ("/api/study-sessions/{session_id}/review", "/study_sessions/{session_id}/review"):
        body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": "#/components/schemas/ReviewBody"}
    assert schemas["ReviewBody"]["oneOf"] == [{"$ref": "#/components/schemas/ReviewBatch"},
                                              {"$ref": "#/components/schemas/SessionAnswer"}]
    answer = schemas["SessionAnswer"]
    assert {"word_id", "correct", "is_correct", "rating", "reviewed_at", "review_id"} == set(answer["properties"])
    assert answer["required"] == ["word_id"]
    assert answer["oneOf"] == [{"required": ["correct"]}, {"required": ["is_correct"]}]


# --- CORS, as Chromium asks -------------------------------------------------

def preflight(client, origin, path="/study_sessions/1/review"):
    return client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "content-type"})


def test_the_tutor_s_preflight_for_an_answer_is_granted(client, session):
    response = preflight(client, TUTOR_ORIGIN, f"/study_sessions/{session['id']}/review")

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == TUTOR_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"].split(", ")
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"


@pytest.mark.parametrize("origin", ["http://localhost:8081", "http://127.0.0.1:8080",
                                    "https://localhost:8080", "http://evil.example"])
def test_a_preflight_from_another_origin_is_not_granted(client, origin):
    response = preflight(client, origin)

    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers
