"""Checks every response the app sends in a test against the OpenAPI document."""
import copy
import json
from functools import lru_cache

from flask import current_app, request
from jsonschema_rs import Draft202012Validator

from lib.http.openapi import PATH_ARGUMENT, build_document


@lru_cache(maxsize=None)
def document_and_validator(routes, admin_token):
    """The document of apps with these routes and this admin setting (built
    once: building it takes longer than most tests), and its validators."""
    document = build_document(current_app)
    components = exact(document["components"])

    @lru_cache(maxsize=None)
    def validator(path, method, status):
        responses = document["paths"][path][method]["responses"]
        if status not in responses or "content" not in responses[status]:
            return None
        schema = responses[status]["content"]["application/json"]["schema"]
        return Draft202012Validator({**schema, "components": components})

    return document, validator


def check_responses(app):
    """Registers an after_request hook on app; returns the list it fills with
    every response that the document does not describe."""
    routes = tuple(sorted((rule.rule, rule.endpoint, tuple(sorted(rule.methods)))
                          for rule in app.url_map.iter_rules()))
    with app.app_context():
        document, validator = document_and_validator(routes, bool(app.config.get("ADMIN_TOKEN")))
    violations = []

    @app.after_request
    def check(response):
        rule = request.url_rule
        method = request.method.lower()
        path = rule and PATH_ARGUMENT.sub(r"{\2}", rule.rule)
        if path not in document["paths"] or method not in document["paths"][path]:
            return response  # no such route, HEAD, OPTIONS or the docs themselves
        where = f"{request.method} {request.full_path} -> {response.status_code}"
        if response.status_code in (204, 304):
            status = str(response.status_code)
            if status not in document["paths"][path][method]["responses"] or response.get_data():
                violations.append(f"{where}: a {status} the document does not describe, or with a body")
            return response
        if response.mimetype != "application/json":
            # A file (an export): its media type must be one the document names.
            described = document["paths"][path][method]["responses"].get(
                str(response.status_code), {}).get("content", {})
            if response.mimetype not in described:
                violations.append(f"{where}: content type {response.mimetype}")
            return response
        errors = schema_errors(validator, path, method, str(response.status_code),
                               response.get_data())
        violations.extend(f"{where}: {error}" for error in errors)
        return response

    return violations


@lru_cache(maxsize=4096)
def schema_errors(validator, path, method, status, body):
    """The errors of an answer against its schema, kept by its bytes: most
    tests read the same answers of the seeded database again."""
    schema = validator(path, method, status)
    if schema is None:
        return ("status not in the document",)
    return tuple(error.message for error in schema.iter_errors(json.loads(body)))


def exact(components):
    """The components with no property beyond those declared: an answer that
    carries a field its model does not name is a violation here, though the
    document leaves clients free to meet new fields."""
    components = copy.deepcopy(components)
    for schema in components["schemas"].values():
        if "properties" in schema:
            schema.setdefault("additionalProperties", False)
    return components
