import re

import pytest
from openapi_spec_validator import validate

from app import create_app
from lib.http.review_bodies import StudySessionCreate


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
