"""Answers are written by orjson (lib/base/jsonio.py) in exactly the bytes Flask's
own provider writes: compact, UTF-8 as is, keys in order, a final newline."""
import json

from flask.json.provider import DefaultJSONProvider

from helpers import create_session, document_gets, post_reviews, sorted_variants
from lib.base.jsonio import json_float


def flask_bytes(app, answer):
    provider = DefaultJSONProvider(app)
    provider.sort_keys, provider.ensure_ascii = False, False
    return (provider.dumps(answer, separators=(",", ":")) + "\n").encode()


def test_every_answer_is_byte_for_byte_what_flask_writes(app, client, runner):
    assert runner.invoke(args=["demo-data", "--words", "200", "--groups", "3", "--sessions", "40",
                               "--reviews", "400"]).exit_code == 0
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True), (2, False), (3, True)])
    document = client.get("/api/openapi.json").get_json()
    ids = {"group_id": 3, "activity_id": 1, "word_id": 150, "session_id": session["id"]}
    responses = [client.get(path + variant) for path, operation in document_gets(document, ids)
                 for variant in sorted_variants(operation)]
    responses += [client.get("/api/words/999999"), client.get("/api/words?page=0"),
                  client.post("/api/study-sessions", json={"group_id": 1, "study_activity_id": 1}),
                  client.post(f"/api/study-sessions/{session['id']}/review",
                              json={"reviews": [{"word_id": 4, "is_correct": True}]})]
    for response in responses:
        if response.mimetype != "application/json":
            continue  # a file: an export, a deck
        assert response.data == flask_bytes(app, json.loads(response.data)), response.request.path


def test_a_tiny_success_rate_is_written_as_python_writes_it(app):
    with app.test_request_context():
        assert app.json.response({"rate": json_float(1e-05)}).data == b'{"rate":1e-05}\n'
