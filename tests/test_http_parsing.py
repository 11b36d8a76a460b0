"""What real servers answer to requests their HTTP parsers, or werkzeug's
reading of the body, would otherwise get wrong: bodies cut short or
streamed over the limit, and requests refused before Flask runs."""
import json

import pytest
from servers import raw_answer, request


def assert_a_body_cut_short_stores_nothing(port):
    status, _, answer = raw_answer(port, (
        b"POST /api/groups HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n"
        b'Connection: close\r\n\r\n{"name": "partial"}'))  # the client gives up

    assert status == 400
    assert json.loads(answer) == {"error": "The body is shorter than its Content-Length"}
    names = [group["name"] for group in
             request(f"http://127.0.0.1:{port}", "/api/groups?per_page=100")[1]["items"]]
    assert "partial" not in names


def test_a_body_cut_short_stores_nothing(serve):
    assert_a_body_cut_short_stores_nothing(serve(workers=1).port)


def test_a_body_cut_short_stores_nothing_under_the_dev_server(dev_server):
    assert_a_body_cut_short_stores_nothing(dev_server)


def post_chunked(server, path, body):
    """raw_answer to a POST whose body is sent chunked, in pieces of 64 KiB."""
    pieces = [body[start:start + 65536] for start in range(0, len(body), 65536)]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"
    return raw_answer(server.port, f"POST {path} HTTP/1.1\r\nHost: localhost\r\n".encode()
                      + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                      b"Connection: close\r\n\r\n" + chunked)


def test_a_chunked_body_over_the_limit_is_a_413_and_stores_nothing(serve):
    """werkzeug stops reading a chunked body at 1 MiB and hands on what came:
    a cut JSON text, or a whole one when the rest was only spaces."""
    server = serve(workers=1)
    over = [json.dumps({"name": "padded", "pad": "x" * 2**21}).encode(),
            json.dumps({"name": "spaced"}).encode() + b" " * 2**21]
    for body in over:
        status, _, answer = post_chunked(server, "/api/groups", body)
        assert status == 413, answer
        assert json.loads(answer) == {"error": "The body is larger than 1 MiB"}
    assert post_chunked(server, "/api/groups", b'{"name": "chunked"}')[0] == 201
    names = [group["name"] for group in request(server.url, "/api/groups?per_page=100")[1]["items"]]
    assert "chunked" in names and "padded" not in names and "spaced" not in names


CHUNKED_POST = (b"POST /api/groups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
MALFORMED_CHUNKS = {
    "a chunk size that is no number": b"zz\r\n",
    "a chunk longer than its size": b'5\r\n{"name": "long"}\r\n0\r\n\r\n',
    "a chunk cut short": b'20\r\n{"name": "short"}',
}


def assert_malformed_chunks_store_nothing(port):
    for case, chunks in MALFORMED_CHUNKS.items():
        status, _, answer = raw_answer(port, CHUNKED_POST + chunks)
        assert (status, json.loads(answer)) == (
            400, {"error": "The chunked body is malformed or cut short"}), case
    names = [group["name"] for group in
             request(f"http://127.0.0.1:{port}", "/api/groups?per_page=100")[1]["items"]]
    assert names == ["Core Adjectives", "Core Verbs"]


def test_a_malformed_chunked_body_is_a_400_and_stores_nothing(serve):
    server = serve(workers=1)
    assert_malformed_chunks_store_nothing(server.port)
    assert "Traceback" not in server.stop()


def test_a_malformed_chunked_body_is_a_400_under_the_dev_server(dev_server):
    assert_malformed_chunks_store_nothing(dev_server)


@pytest.mark.parametrize("coding", ["gzip, chunked", "deflate, chunked", "Compress, chunked"])
def test_a_body_with_a_compressing_transfer_coding_is_a_415(serve, coding):
    """gunicorn undoes chunked but hands on gzip, deflate and compress as they
    came: a plain body so labelled was stored, and the reset ran."""
    server = serve(workers=1)
    session = request(server.url, "/api/study-sessions", {"group_id": 1, "study_activity_id": 1})[1]
    for path, body in [("/api/groups", b'{"name": "labelled"}'), ("/api/study-sessions/reset", b"{}")]:
        status, _, answer = raw_answer(server.port, (
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Transfer-Encoding: {coding}\r\nConnection: close\r\n\r\n").encode()
            + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        assert status == 415, answer
        assert "Transfer-Encoding" in json.loads(answer)["error"]
    assert request(server.url, f"/api/study-sessions/{session['id']}")[0] == 200
    names = [group["name"] for group in request(server.url, "/api/groups?per_page=100")[1]["items"]]
    assert "labelled" not in names
    assert post_chunked(server, "/api/groups", b'{"name": "plain"}')[0] == 201


def assert_json_error(answer, expected_status, case):
    status, headers, body = answer
    assert status == expected_status, (case, answer)
    assert headers["content-type"] == "application/json", (case, answer)
    assert int(headers["content-length"]) == len(body), (case, answer)
    assert isinstance(json.loads(body)["error"], str), (case, answer)


MANY_HEADERS = b"".join(b"X-%d: 1\r\n" % n for n in range(120))

# Requests that the HTTP server's own parser refuses, before Flask runs,
# and the status gunicorn gives each (its limits: a request line of 4094
# bytes, 100 header fields, 8190 bytes a field).
REFUSED_BY_GUNICORN = {
    "overlong request line": (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
    "overlong header": (b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n", 431),
    "too many headers": (b"GET / HTTP/1.1\r\nHost: localhost\r\n" + MANY_HEADERS + b"\r\n", 431),
    "malformed request line": (b"GARBAGE\r\n\r\n", 400),
    "bad HTTP version": (b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n", 400),
    "invalid header name": (b"GET / HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n", 400),
    "quotes, backslash, not UTF-8": (b'GET /"\\\xff" HTTP/1.1\r\nHost: localhost\r\n\r\n', 400),
    "raw UTF-8": ("GET /api/readings?text=今日 HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(), 400),
}


def test_gunicorn_s_errors_say_what_was_wrong_and_echo_nothing(serve):
    server = serve(workers=1)
    status, _, body = raw_answer(server.port, REFUSED_BY_GUNICORN["raw UTF-8"][0])
    assert json.loads(body) == {"error": "Bad Request: Invalid Request Line"}
    status, _, body = raw_answer(server.port, REFUSED_BY_GUNICORN["overlong header"][0])
    assert json.loads(body) == {"error": "Request Header Fields Too Large: Error parsing headers"}


@pytest.mark.parametrize("worker_class", ["sync", "gthread"])
def test_requests_the_http_parser_refuses_get_json_errors(serve, worker_class):
    server = serve(workers=2, options=["-k", worker_class])
    for case, (data, status) in REFUSED_BY_GUNICORN.items():
        assert_json_error(raw_answer(server.port, data), status, case)
    assert "Traceback" not in server.stop()


# http.server's limits: 65536 bytes for the request line and for a header
# line, 100 header fields. 65537 bytes of request line, and no more, so that
# the server has read everything sent when it closes the connection.
REFUSED_BY_THE_DEV_SERVER = {
    "overlong request line": (b"GET /" + b"a" * (65537 - 5), 414),
    "malformed request line": (b"GARBAGE\r\n\r\n", 400),
    "bad HTTP version": (b"GET / HTTP/1.x\r\nHost: localhost\r\n\r\n", 400),
    "HTTP/2 on this port": (b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505),
    "too many headers": (b"GET / HTTP/1.1\r\nHost: localhost\r\n" + MANY_HEADERS + b"\r\n", 431),
    "quotes, backslash, not UTF-8": (b'GET /"\\\xff" HTTP/1.1 x\r\n\r\n', 400),
}


def test_requests_the_dev_server_refuses_get_json_errors(dev_server):
    for case, (data, status) in REFUSED_BY_THE_DEV_SERVER.items():
        assert_json_error(raw_answer(dev_server, data), status, case)
    # The answer to a HEAD has the headers of the JSON error but no body.
    status, headers, body = raw_answer(
        dev_server, b"HEAD / HTTP/1.1\r\nHost: localhost\r\n" + MANY_HEADERS + b"\r\n")
    assert (status, headers["content-type"], body) == (431, "application/json", b"")


def test_the_dev_server_reads_utf_8_in_the_request_line_as_gunicorn_does(dev_server):
    """curl sends ?text=今日 as raw UTF-8, where a browser writes %E4%BB%8A..."""
    def get(target):
        return raw_answer(dev_server, b"GET " + target.encode() + b" HTTP/1.1\r\n"
                          b"Host: localhost\r\nConnection: close\r\n\r\n")

    status, _, body = get("/api/readings?text=今日")
    assert (status, json.loads(body)["romaji"]) == (200, "kyou")
    status, _, body = get("/api/readings?text=%E4%BB%8A%E6%97%A5")
    assert (status, json.loads(body)["text"]) == (200, "今日")
    status, _, body = get("/api/今日")
    assert (status, json.loads(body)) == (404, {"error": "No such route: /api/今日"})
