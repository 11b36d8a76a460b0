"""LANG_PORTAL_ADMIN_TOKEN: every inventory write needs it when it is set;
reads and the learner's routes stay open."""
import pytest

from app import create_app
from conformance import check_responses
from helpers import count_rows, post_reviews

TOKEN = "s3cret-token"
# Every inventory write: (method, path, body).
WRITES = [
    ("post", "/api/words", {"kanji": "勉強", "english": "study"}),
    ("patch", "/api/words/1", {"english": "to eat"}),
    ("delete", "/api/words/1", None),
    ("post", "/api/groups", {"name": "Animals"}),
    ("patch", "/api/groups/1", {"name": "Verbs"}),
    ("delete", "/api/groups/1", None),
    ("put", "/api/groups/2/words/1", {}),
    ("delete", "/api/groups/1/words/1", None),
    ("post", "/api/study-activities", {"title": "Cards", "launch_url": "http://localhost:8081"}),
    ("patch", "/api/study-activities/1", {"description": "x"}),
    ("delete", "/api/study-activities/1", None),
]


@pytest.fixture
def locked(monkeypatch, db_path, app):
    """A client of an app whose inventory needs TOKEN (on the test database)."""
    monkeypatch.setenv("LANG_PORTAL_ADMIN_TOKEN", TOKEN)
    locked_app = create_app({"TESTING": True, "DATABASE": db_path})
    violations = check_responses(locked_app)
    yield locked_app.test_client()
    locked_app.extensions["db_pool"].close()
    assert violations == []


def stored(db):
    return {table: [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid")]
            for table in ("words", "groups", "word_groups", "study_activities")}


def send(client, method, path, body, headers=None):
    return getattr(client, method)(path, json=body, headers=headers or {})


@pytest.mark.parametrize("method, path, body", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_without_the_token_every_write_is_a_401_and_stores_nothing(locked, db, method, path, body):
    before = stored(db)
    response = send(locked, method, path, body)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]
    assert stored(db) == before


@pytest.mark.parametrize("method, path, body", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_with_a_wrong_token_every_write_is_a_403(locked, db, method, path, body):
    before = stored(db)
    for header in (f"Bearer {TOKEN}x", "Bearer s3cret", f"Basic {TOKEN}"):
        response = send(locked, method, path, body, {"Authorization": header})
        assert response.status_code in (401, 403), header
    assert send(locked, method, path, body,
                {"Authorization": "Bearer wrong"}).status_code == 403
    assert stored(db) == before


def test_with_the_token_writes_go_through(locked):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = locked.post("/api/groups", json={"name": "Animals"}, headers=headers)
    assert response.status_code == 201
    assert locked.put(f"/api/groups/{response.get_json()['id']}/words/1", json={},
                      headers=headers).status_code == 201


def test_reads_and_the_learner_s_routes_stay_open(locked, db):
    for path in ("/api/words", "/words/1", "/groups", "/api/study-activities",
                 "/dashboard/stats", "/api/readings?text=犬"):
        assert locked.get(path).status_code == 200, path
    session = locked.post("/study_sessions", json={"group_id": 1, "study_activity_id": 1})
    assert session.status_code == 201
    post_reviews(locked, session.get_json()["id"], [(1, True)])
    assert locked.post("/api/study-sessions/reset", json={}).status_code == 200
    assert count_rows(db, "study_sessions") == 0


def test_without_a_token_set_the_inventory_is_open(client):
    assert client.post("/api/groups", json={"name": "Animals"}).status_code == 201


def test_with_a_token_the_document_asks_for_it_on_writes_only(locked):
    document = locked.get("/api/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["adminToken"]["scheme"] == "bearer"
    create = document["paths"]["/api/words"]["post"]
    assert create["security"] == [{"adminToken": []}]
    assert {"401", "403", "409", "413", "415"} <= set(create["responses"])
    assert document["paths"]["/api/words"]["get"]["security"] == []
    assert document["paths"]["/api/study-sessions"]["post"]["security"] == []
    assert {"413", "415"} <= set(document["paths"]["/api/words/{word_id}"]["patch"]["responses"])


def test_without_a_token_the_document_asks_for_none(client):
    """A client generated from it must not demand a token that does not exist."""
    document = client.get("/api/openapi.json").get_json()
    assert "securitySchemes" not in document["components"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [], f"{method} {path}"
            assert not {"401", "403"} & set(operation["responses"]), f"{method} {path}"
    assert "LANG_PORTAL_ADMIN_TOKEN" in document["info"]["description"]
