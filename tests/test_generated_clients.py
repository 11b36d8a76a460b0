"""The OpenAPI document as its users take it: linted by redocly, turned into
a Python client (openapi-python-client) that runs a short session against a
real gunicorn, and into TypeScript types (openapi-typescript) that the
server's real answers must type-check against. The node tools come from
.ci/node (`npm ci --prefix .ci/node`, as .ci/run does); no network is
needed while the tests run."""
import importlib
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from servers import PROJECT_DIR, request

from app import create_app

pytestmark = pytest.mark.slow
NODE_BIN = PROJECT_DIR / ".ci" / "node" / "node_modules" / ".bin"
TOKEN = "client-admin-token"
# No update notice or telemetry: nothing but loopback while the tests run.
NODE_ENV = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
            "NO_COLOR": "1"}


def node_tool(name):
    path = NODE_BIN / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: .ci/run installs it (npm ci --prefix .ci/node)")
        pytest.skip(f"{name} is not installed: npm ci --prefix .ci/node")
    return str(path)


def run(command, **options):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert result.returncode == 0, f"{command[0]}:\n{result.stdout}\n{result.stderr}"
    return result


def document_of(tmp_path, token):
    """The document of an app of that configuration, as a file."""
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / f"{bool(token)}.db"),
                      "ADMIN_TOKEN": token})
    document = app.test_client().get("/api/openapi.json").get_json()
    app.extensions["db_pool"].close()
    path = tmp_path / f"openapi-{'token' if token else 'open'}.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize("token", [None, TOKEN], ids=["without a token", "with a token"])
def test_redocly_finds_no_error_in_the_document(tmp_path, token):
    redocly = node_tool("redocly")
    result = subprocess.run([redocly, "lint", "--format=json", str(document_of(tmp_path, token))],
                            capture_output=True, text=True, timeout=300, env=NODE_ENV)
    problems = json.loads(result.stdout[result.stdout.index("{"):])["problems"]
    errors = [(p["ruleId"], p["message"], p["location"][0]["pointer"])
              for p in problems if p["severity"] == "error"]
    assert errors == []


def generate_python_client(tmp_path, document):
    """openapi-python-client's package for document, imported."""
    config = tmp_path / "client.json"
    config.write_text(json.dumps({"package_name_override": "lang_portal_client",
                                  "post_hooks": []}))
    run([str(Path(sys.executable).parent / "openapi-python-client"), "generate",
         "--path", str(document), "--config", str(config), "--meta", "none",
         "--output-path", str(tmp_path / "lang_portal_client")])
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module("lang_portal_client")
    finally:
        sys.path.remove(str(tmp_path))


def test_a_generated_python_client_runs_a_session(serve, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG_PORTAL_ADMIN_TOKEN", TOKEN)
    server = serve(workers=2)
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(request(server.url, "/api/openapi.json")[1]))
    generate_python_client(tmp_path, document)
    from lang_portal_client import AuthenticatedClient, Client
    from lang_portal_client.api.groups import create_group, get_group, list_group_words
    from lang_portal_client.api.study_queue import get_queue
    from lang_portal_client.api.study_sessions import create_session, get_session, review_words
    from lang_portal_client.api.words import list_words
    from lang_portal_client.models import (
        BatchReview,
        Error,
        GroupCreate,
        InvalidRequest,
        ReviewBatch,
        StudySessionCreate,
    )

    learner = Client(base_url=server.url, raise_on_unexpected_status=True)
    admin = AuthenticatedClient(base_url=server.url, token=TOKEN, raise_on_unexpected_status=True)

    words = list_group_words.sync(client=learner, group_id=1, per_page=3).items
    assert len(words) == 3 and words[0].due is None  # new words: due is there, and null
    session = create_session.sync(client=learner, body=StudySessionCreate(group_id=1,
                                                                           study_activity_id=1))
    assert isinstance(session.start_time, datetime)
    answers = [BatchReview(word_id=words[0].id, is_correct=True, review_id=uuid.uuid4()),
               BatchReview(word_id=words[1].id, is_correct=False)]
    result = review_words.sync(client=learner, session_id=session.id,
                               body=ReviewBatch(reviews=answers))
    assert result.recorded == 2 and isinstance(result.items[0].reviewed_at, datetime)

    detail = get_session.sync(client=learner, session_id=session.id)
    assert detail.session.review_items_count == 2
    assert sorted((word.id, word.correct_count) for word in detail.words) == \
        sorted([(words[0].id, 1), (words[1].id, 0)])
    queue = get_queue.sync(client=learner, group_id=1)
    assert isinstance(queue.next_due_at, datetime)  # the word answered wrong, soon
    assert {word.reason for word in queue.words} == {"new"}

    refused = create_group.sync_detailed(client=Client(base_url=server.url),
                                         body=GroupCreate(name="Animals"))
    assert refused.status_code == 401 and isinstance(refused.parsed, Error)
    created = create_group.sync(client=admin, body=GroupCreate(name="Animals"))
    assert created.name == "Animals" and created.words_count == 0

    first = get_group.sync_detailed(client=learner, group_id=created.id)
    assert first.status_code == 200
    again = get_group.sync_detailed(client=learner, group_id=created.id,
                                    if_none_match=first.headers["ETag"])
    assert again.status_code == 304 and again.content == b""

    invalid = list_words.sync_detailed(client=learner, per_page=1000)
    assert invalid.status_code == 400 and isinstance(invalid.parsed, InvalidRequest)
    assert invalid.parsed.details[0].field == "per_page"


def typed(name, schema, answer):
    """A TypeScript constant of the schema's type holding a real answer: tsc
    refuses a field the type lacks, lacks one it requires, or a wrong type."""
    return f"export const {name}: components[\"schemas\"][\"{schema}\"] = {json.dumps(answer)};\n"


def test_real_answers_type_check_against_generated_typescript_types(client, tmp_path):
    openapi_typescript, tsc = node_tool("openapi-typescript"), node_tool("tsc")
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(client.get("/api/openapi.json").get_json()))
    run([openapi_typescript, str(document), "-o", str(tmp_path / "api.d.ts")], env=NODE_ENV)

    session = client.post("/api/study-sessions", json={"group_id": 1, "study_activity_id": 1})
    client.post(f"/api/study-sessions/{session.get_json()['id']}/review",
                json={"reviews": [{"word_id": 1, "is_correct": True}]})
    answers = [
        ("words", "WordPage", client.get("/api/words?per_page=2")),
        ("session", "SessionDetail", client.get(f"/api/study-sessions/{session.get_json()['id']}")),
        ("queue", "StudyQueue", client.get("/api/study-queue?limit=2")),
        ("word", "WordAnswer", client.get("/api/words/1")),
        ("missing", "Error", client.get("/api/words/999999")),
        ("invalid", "InvalidRequest", client.get("/api/words?page=0")),
        ("request", "StudySessionCreate", None),
    ]
    source = 'import type { components, paths } from "./api";\n'
    for name, schema, response in answers:
        source += typed(name, schema, response.get_json() if response else
                        {"group_id": 1, "study_activity_id": 1})
    source += ('export const conditional: paths["/api/words/{word_id}"]["get"]["parameters"]'
               '["header"] = {"If-None-Match": \'W/"tag"\'};\n')
    (tmp_path / "answers.ts").write_text(source)
    run([tsc, "--strict", "--noEmit", "--skipLibCheck", str(tmp_path / "answers.ts")],
        cwd=tmp_path)
