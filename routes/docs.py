"""The OpenAPI document, and an interactive reference page that works with no
internet: Swagger UI's files come from the flask-swagger-ui package."""
from flask import Blueprint, current_app
from flask_swagger_ui import get_swaggerui_blueprint

from lib.http.openapi import build_document

bp = Blueprint("docs", __name__)
bp.register_blueprint(get_swaggerui_blueprint(
    "/api/docs", "/api/openapi.json", config={"app_name": "Lang Portal API"}))


@bp.get("/api/openapi.json")
def openapi_document():
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build_document(current_app)
    return current_app.extensions["openapi"]
