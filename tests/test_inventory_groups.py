"""POST /api/groups, PATCH and DELETE /api/groups/<id>, and PUT and DELETE
/api/groups/<id>/words/<word_id>."""
import pytest

from helpers import count_rows, create_session


def stored(db):
    return ([tuple(row) for row in db.execute("SELECT * FROM groups ORDER BY id")],
            [tuple(row) for row in db.execute("SELECT * FROM word_groups ORDER BY rowid")],
            count_rows(db, "words"))


def create_group(client, name="Animals"):
    response = client.post("/api/groups", json={"name": name})
    assert response.status_code == 201, response.get_json()
    return response


def test_a_new_group_is_empty_and_named_as_sent_trimmed(client):
    response = create_group(client, "  Animals ")
    group = response.get_json()
    assert response.headers["Location"] == f"/api/groups/{group['id']}"
    assert (group["name"], group["group_name"], group["words_count"]) == ("Animals", "Animals", 0)
    assert client.get(response.headers["Location"]).get_json() == group


@pytest.mark.parametrize("body, status", [
    ({"name": ""}, 400), ({"name": "   "}, 400), ({}, 400), ({"name": 5}, 400),
    ({"name": "x" * 201}, 400), ({"name": "Core Verbs"}, 409), ({"name": " Core Verbs "}, 409),
])
def test_a_refused_group_stores_nothing(client, db, body, status):
    before = stored(db)
    response = client.post("/api/groups", json=body)
    assert response.status_code == status
    if status == 409:
        assert "group 1" in response.get_json()["error"]
    assert stored(db) == before


def test_rename_keeps_words_and_sessions(client):
    create_session(client, group_id=1)
    response = client.patch("/api/groups/1", json={"name": "Verbs"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "Verbs"
    assert client.get("/api/groups/1").get_json()["words_count"] == 60
    assert client.get("/api/study-sessions").get_json()["items"][0]["group_name"] == "Verbs"
    # To its own name again: nothing to refuse.
    assert client.patch("/api/groups/1", json={"name": "Verbs"}).status_code == 200


@pytest.mark.parametrize("group_id, body, status", [
    (1, {"name": "Core Adjectives"}, 409), (1, {"name": ""}, 400), (1, {"nam": "x"}, 400),
    (1, {"name": None}, 400), (99, {"name": "x"}, 404),
])
def test_a_refused_rename_changes_nothing(client, db, group_id, body, status):
    before = stored(db)
    assert client.patch(f"/api/groups/{group_id}", json=body).status_code == status
    assert stored(db) == before


def test_delete_of_a_group_keeps_its_words(client, db):
    group_id = create_group(client).get_json()["id"]
    client.put(f"/api/groups/{group_id}/words/1", json={})
    assert client.delete(f"/api/groups/{group_id}").status_code == 204
    assert client.get(f"/api/groups/{group_id}").status_code == 404
    assert client.get("/api/words/1").get_json()["word"]["groups"][0]["id"] == 1
    assert count_rows(db, "words") == 120


def test_delete_of_a_group_with_sessions_is_a_conflict(client, db):
    create_session(client, group_id=2)
    before = stored(db)
    response = client.delete("/api/groups/2")
    assert response.status_code == 409
    assert "1 study sessions" in response.get_json()["error"]
    assert stored(db) == before
    # After a reset of the history it can go.
    client.post("/api/study-sessions/reset", json={})
    assert client.delete("/api/groups/2").status_code == 204


def test_delete_of_a_missing_group_is_a_404(client):
    assert client.delete("/api/groups/99").status_code == 404


def test_put_adds_a_word_once(client):
    group_id = create_group(client).get_json()["id"]
    first = client.put(f"/api/groups/{group_id}/words/5", json={})
    assert first.status_code == 201
    assert first.get_json()["words_count"] == 1
    again = client.put(f"/api/groups/{group_id}/words/5", json={})
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    words = client.get(f"/api/groups/{group_id}/words").get_json()["items"]
    assert [word["id"] for word in words] == [5]


@pytest.mark.parametrize("path, status", [
    ("/api/groups/99/words/1", 404), ("/api/groups/1/words/999", 404),
])
def test_put_into_or_of_something_missing_is_a_404(client, db, path, status):
    before = stored(db)
    assert client.put(path, json={}).status_code == status
    assert stored(db) == before


def test_put_must_be_sent_as_json(client, db):
    before = stored(db)
    assert client.put("/api/groups/2/words/1").status_code == 415
    assert stored(db) == before


def test_delete_takes_a_word_out_of_a_group(client, db):
    response = client.delete("/api/groups/1/words/1")
    assert response.status_code == 204
    assert client.get("/api/groups/1").get_json()["words_count"] == 59
    assert client.get("/api/words/1").get_json()["word"]["groups"] == []
    before = stored(db)
    again = client.delete("/api/groups/1/words/1")
    assert again.status_code == 404
    assert "not in group 1" in again.get_json()["error"]
    assert stored(db) == before
