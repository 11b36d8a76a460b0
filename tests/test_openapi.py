import atexit
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app import create_app
from lib.http.request_models import StudySessionCreate


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_every_api_route_is_in_the_document(app, client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for rule in app.url_map.iter_rules():
        # The docs, and the portal's own activities' files: not the API.
        if rule.endpoint in ("static",) or rule.rule.startswith(("/api/docs", "/api/openapi",
                                                                 "/activities/")):
            continue
        path = rule.rule.replace("<id:", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], f"{method} {path}"


def test_frontend_paths_are_marked_deprecated(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert paths["/words"]["get"]["deprecated"] is True
    assert paths["/study_sessions"]["post"]["deprecated"] is True
    assert "deprecated" not in paths["/api/words"]["get"]


def test_request_bodies_come_from_the_pydantic_models(client):
    document = client.get("/api/openapi.json").get_json()
    body = document["paths"]["/api/study-sessions"]["post"]["requestBody"]
    schema_name = body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert document["components"]["schemas"][schema_name]["required"] == \
        StudySessionCreate.model_json_schema()["required"]


def test_every_get_takes_if_none_match_and_lists_the_304(client):
    document = client.get("/api/openapi.json").get_json()
    for path, operations in document["paths"].items():
        if "get" in operations:
            get = operations["get"]
            assert "If-None-Match" in [p["name"] for p in get["parameters"] if p["in"] == "header"]
            assert "ETag" in get["responses"]["304"]["headers"], path
            assert "ETag" in get["responses"]["200"]["headers"], path
    tag = client.get("/api/groups/1").headers["ETag"]
    assert client.get("/api/groups/1", headers={"If-None-Match": tag}).status_code == 304


def test_every_operation_lists_the_400_of_an_untrusted_host(client):
    document = client.get("/api/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "Host" in operation["responses"]["400"]["description"], f"{method} {path}"
    # The conformance check sees it answered as the document says.
    assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/words", headers={"Host": "evil.example"}).status_code == 400


def test_servers_is_the_origin_the_document_came_from(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["servers"] == [{"url": "/", "description": "this server"}]


def test_answer_timestamps_are_date_times_and_no_schema_has_a_default(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert schemas["Session"]["properties"]["start_time"]["format"] == "date-time"
    assert schemas["ReviewItem"]["properties"]["reviewed_at"]["format"] == "date-time"
    assert "due" in schemas["Word"]["required"] and "due" not in schemas["SessionWord"]["properties"]
    assert schemas["InvalidRequest"]["required"] == ["error"]
    assert "details" not in schemas["Error"]["properties"]
    for name, schema in schemas.items():
        for field, property_schema in schema.get("properties", {}).items():
            assert "default" not in property_schema, f"{name}.{field}"


def test_the_document_is_made_per_configuration_and_carries_no_etag(app, client, db_path):
    open_document = client.get("/api/openapi.json")
    locked = create_app({"TESTING": True, "DATABASE": db_path, "ADMIN_TOKEN": "t"})
    locked_document = locked.test_client().get("/api/openapi.json")
    locked.extensions["db_pool"].close()
    assert open_document.get_json() != locked_document.get_json()
    assert "ETag" not in open_document.headers and "ETag" not in locked_document.headers


def test_the_docs_page_and_every_asset_it_loads_are_served(client):
    page = client.get("/api/docs", follow_redirects=True)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/api/openapi.json" in html
    assets = re.findall(r'(?:href|src)="(/api/docs/[^"]+)"', html)
    assert {"/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js"} <= set(assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.data) > 0, asset
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html)  # nothing from the internet


@pytest.mark.parametrize("path", ["/api/docs/../app.py", "/api/docs/nothing.js"])
def test_an_unknown_docs_file_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]


# schemathesis needs the apps when the tests are collected: one app of each
# configuration, each on its own temporary database, for the whole fuzzing run.
FUZZ_DIR = tempfile.mkdtemp(prefix="lang-portal-fuzz-")
atexit.register(shutil.rmtree, FUZZ_DIR, ignore_errors=True)
FUZZ_TOKEN = "fuzz-admin-token"


def fuzzed_schema(name, token):
    app = create_app({"TESTING": True, "DATABASE": str(Path(FUZZ_DIR) / f"{name}.db"),
                      "ADMIN_TOKEN": token})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


# Without an admin token the document asks for none; with one, the fuzzer
# sends it, and checks that a write without it, or with another, is refused.
open_schema = fuzzed_schema("open", None)
locked_schema = fuzzed_schema("locked", FUZZ_TOKEN)


# Fields with a rule JSON Schema cannot state, each described in the document:
# a time not in the future (our clock: created_at, reviewed_at, the queue's at),
# or not before its session started;
# reviews of words in the session's group, each review_id once (and the path's
# word_id of a single answer in that group); kanji the dictionary can read;
# parts that spell the word (and whose romaji, joined, make a romaji of at
# most 500 characters); a URL's port; a review log cursor the API gave.
RULES_BEYOND_SCHEMA = {"created_at", "reviewed_at", "at", "reviews", "word_id", "text", "kanji",
                       "parts", "romaji", "launch_url", "cursor"}


@schemathesis.check
def schema_valid_data_is_accepted(ctx, response, case):
    """Schemathesis' positive_data_acceptance, but for a 400 that names only
    fields whose refusal the document describes in words."""
    if response.status_code == 400:
        fields = {detail["field"].split(".")[-1] for detail in response.json().get("details", [])}
        if fields and fields <= RULES_BEYOND_SCHEMA:
            return None
    return positive_data_acceptance(ctx, response, case)


FUZZ_SETTINGS = settings(max_examples=30, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow, HealthCheck.filter_too_much])


def call_and_validate(case, headers=None):
    # Every check schemathesis has (`--checks all`, the authentication checks
    # included), with positive data acceptance as above.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance],
                           additional_checks=[schema_valid_data_is_accepted])


@pytest.mark.slow
@open_schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_every_operation_without_a_token(case):
    call_and_validate(case)


@pytest.mark.slow
@locked_schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_every_operation_with_a_token(case):
    call_and_validate(case, {"Authorization": f"Bearer {FUZZ_TOKEN}"})
