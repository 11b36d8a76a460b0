"""The OpenAPI document and an interactive reference page, served with no
internet: Swagger UI's scripts come from the swagger-ui-bundle package."""
from flask import Blueprint, abort, current_app, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from lib.openapi import build_document

bp = Blueprint("docs", __name__)

SWAGGER_ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                  "favicon-32x32.png", "favicon-16x16.png"}
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lang Portal API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui"});
  </script>
</body>
</html>
"""


@bp.get("/api/openapi.json")
def openapi_document():
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build_document(current_app)
    return current_app.extensions["openapi"]


@bp.get("/api/docs")
def docs_page():
    return DOCS_PAGE


@bp.get("/api/docs/<name>")
def docs_asset(name):
    if name not in SWAGGER_ASSETS:
        abort(404)
    return send_from_directory(swagger_ui_path, name)
