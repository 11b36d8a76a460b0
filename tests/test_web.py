"""Rules every request passes (lib/http/requests.py, lib/http/route.py): trusted Host names,
OPTIONS, doubled slashes, and integers written only with ASCII digits."""
import pytest
from servers import raw_answer

from app import create_app
from helpers import count_rows, create_session

RESET = "/api/study-sessions/reset"


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:5000", "127.0.0.1.nip.io",
                                  "localhost.attacker.example", "", "localhost:99999", "[::1"])
def test_an_untrusted_host_is_a_json_400_before_any_route_runs(client, db, host):
    # DNS rebinding: a page whose own name points at 127.0.0.1 is same-origin.
    session = create_session(client)

    response = client.post(RESET, json={}, headers={"Host": host, "Origin": f"http://{host}"})

    assert response.status_code == 400
    assert response.is_json and "Host" in response.get_json()["error"]
    assert count_rows(db, "study_sessions") == 1
    assert client.get(f"/api/study-sessions/{session['id']}", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "LocalHost:80", "127.0.0.1:5000",
                                  "[::1]:5000", "[::1]"])
def test_the_default_hosts_are_trusted_on_any_port(client, host):
    assert client.get("/api/groups/1", headers={"Host": host}).status_code == 200


# (request head, status): a request is addressed to the name in its target
# when that is in absolute form (RFC 9112), and otherwise to its Host header.
ADDRESSED = [
    (b"GET /api/groups/1 HTTP/1.1\r\n", 400),  # HTTP/1.1 without a Host
    (b"GET /api/groups/1 HTTP/1.0\r\n", 200),  # HTTP/1.0 needs none
    (b"GET http://attacker.example/api/groups/1 HTTP/1.1\r\nHost: localhost\r\n", 400),
    (b"GET http://localhost:5000/api/groups/1 HTTP/1.1\r\nHost: localhost\r\n", 200),
]
# werkzeug replaces the Host header with the target's name; gunicorn passes
# both, and both must then be trusted.
BOTH_NAMES = b"GET http://localhost/api/groups/1 HTTP/1.1\r\nHost: attacker.example\r\n"


def answer_to(port, head):
    status, headers, body = raw_answer(port, head + b"Connection: close\r\n\r\n")
    assert headers["content-type"] == "application/json", head
    assert status == 200 or b"Host" in body, head
    return status


@pytest.mark.parametrize("server", ["gunicorn", "python app.py"])
def test_a_request_is_refused_unless_the_names_it_is_addressed_to_are_trusted(
        request, serve, server):
    port = serve(workers=1).port if server == "gunicorn" else request.getfixturevalue("dev_server")
    assert [answer_to(port, head) for head, _ in ADDRESSED] == [status for _, status in ADDRESSED]
    assert answer_to(port, BOTH_NAMES) == (400 if server == "gunicorn" else 200)


def test_lang_portal_hosts_adds_names(db_path, app, monkeypatch):
    monkeypatch.setenv("LANG_PORTAL_HOSTS", "portal.lan, study.example")
    client = create_app({"TESTING": True, "DATABASE": db_path}).test_client()

    assert client.get("/api/groups/1", headers={"Host": "portal.lan:5000"}).status_code == 200
    assert client.get("/api/groups/1", headers={"Host": "study.example"}).status_code == 200
    assert client.get("/api/groups/1", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/api/groups/1", headers={"Host": "other.lan"}).status_code == 400


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", ["/api//study-sessions", "/study_sessions//1/review", "/api/words//1",
                                  "/groups//1/words"])
def test_a_doubled_slash_is_an_unknown_route_not_a_redirect(client, db, method, path):
    response = client.open(path, method=method, json={"group_id": 1, "study_activity_id": 1})

    assert response.status_code == 404
    assert response.is_json
    assert "Location" not in response.headers
    assert count_rows(db, "study_sessions") == 0


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/words", 200), ("GET", "/api/docs/", 200), ("GET", "/api/docs", 308),
    ("GET", "/api/nope", 404), ("POST", "/api/study-sessions", 415), ("OPTIONS", "/api/words", 204),
])
def test_no_answer_may_be_framed_or_sniffed(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_options_is_a_204_without_a_body(client):
    response = client.options("/api/words/1")

    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PATCH"


def test_a_delete_is_a_204_without_a_body_or_a_type(client):
    response = client.delete("/api/words/5")

    assert response.status_code == 204
    assert response.data == b""
    assert "Content-Type" not in response.headers


def test_a_redirect_has_no_html_page(client):
    response = client.get("/api/docs")

    assert response.status_code == 308
    assert response.headers["Location"].endswith("/api/docs/")
    assert response.data == b""
    assert "Content-Type" not in response.headers


def test_a_preflight_from_an_allowed_origin_gets_cors_headers(client):
    response = client.options("/api/study-sessions", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_a_preflight_from_another_origin_gets_no_grant(client):
    response = client.options("/api/study-sessions", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})

    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("value", ["1_0", " 1 ", "%201%20", "+1", "%D9%A1", "1.0", "0x1", "%EF%BC%91"])
@pytest.mark.parametrize("param", ["page", "per_page"])
def test_a_query_integer_is_ascii_digits_only(client, param, value):
    response = client.get(f"/api/words?{param}={value}")

    assert response.status_code == 400
    assert param in response.get_json()["error"]


@pytest.mark.parametrize("path", ["/api/words/%D9%A1", "/words/%D9%A1", "/api/groups/%EF%BC%91",
                                  "/api/study-activities/%E0%A5%A7"])
def test_a_path_id_in_other_digits_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_a_review_posted_to_a_non_ascii_session_id_stores_nothing(client, db):
    create_session(client)

    response = client.post("/api/study-sessions/%D9%A1/review",
                           json={"reviews": [{"word_id": 1, "is_correct": True}]})

    assert response.status_code == 404
    assert count_rows(db, "word_review_items") == 0
