"""The OpenAPI 3.1 document, built from the routes as registered (lib/http/route.py)
and the pydantic models they name, so it cannot drift from the code. It
describes the server as configured: built once per app, it asks for the
admin token only when LANG_PORTAL_ADMIN_TOKEN is set."""
import re
import typing

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from lib.base.fields import SQLITE_MAX_INT
from lib.http.openapi_responses import conditional_parameters, responses_json
from lib.http.response_models import Error, InvalidRequest

PATH_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


DESCRIPTION = (
    "Vocabulary, study activities and the learning record of a Japanese study portal. "
    "Every error is `{\"error\": \"...\"}`; a method that a path does not list is a 405 "
    "with an `Allow` header. Every successful GET answers with an ETag to send back as If-None-Match.")
TOKEN = {"type": "http", "scheme": "bearer",
         "description": "LANG_PORTAL_ADMIN_TOKEN, which this server sets: every change to the "
                        "inventory needs it"}
NO_TOKEN = (" This server sets no LANG_PORTAL_ADMIN_TOKEN: every route is open (an "
            "`Authorization` header is ignored).")


def build_document(app):
    token_set = bool(app.config.get("ADMIN_TOKEN"))
    operations = list(api_operations(app))
    models = {Error, InvalidRequest} | {model for op in operations for model in models_of(op)}
    schema_keys = [(model, "validation" if is_request_model(model, operations) else "serialization")
                   for model in sorted(models, key=lambda m: m.__name__)]
    refs, definitions = models_json_schema(schema_keys, ref_template="#/components/schemas/{model}")
    refs = {model: schema for (model, _), schema in refs.items()}
    errors = {"Error": refs[Error], "InvalidRequest": refs[InvalidRequest]}
    paths = {}
    for op in operations:
        paths.setdefault(op["path"], {})[op["method"]] = operation_json(op, refs, errors, token_set)
    components = {"schemas": without_defaults(definitions.get("$defs", {}))}
    if token_set:
        components["securitySchemes"] = {"adminToken": TOKEN}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Lang Portal API", "version": "1.0.0",
                 "description": DESCRIPTION + ("" if token_set else NO_TOKEN)},
        # Relative: the origin the document was fetched from, on any host or port.
        "servers": [{"url": "/", "description": "this server"}],
        "paths": paths,
        "components": components,
    }


def without_defaults(schemas):
    """The schemas without a property's `default`: openapi-typescript makes a
    property with one required. A response model's default marks a field some
    answers leave out (not required); a request field's default is said in
    its description."""
    for schema in schemas.values():
        for field in schema.get("properties", {}).values():
            field.pop("default", None)
    return schemas


def api_operations(app):
    """One dict per (path, method) of every route made with lib.http.route.route."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        api = getattr(view, "api", None)
        if api is None:
            continue
        alias = rule.rule == api["alias"]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield {**api, "rule": rule.rule, "path": PATH_ARGUMENT.sub(r"{\2}", rule.rule),
                   "method": method.lower(), "alias": alias,
                   "response": api["alias_response"] if alias else api["response"],
                   "operation_id": rule.endpoint.split(".")[-1] + ("_frontend_path" if alias else ""),
                   "tag": rule.endpoint.split(".")[0].replace("_", " "),
                   "summary": (view.__doc__ or "").strip().splitlines()[0]}


def models_of(op):
    found = [op["body"], op["response"], *typing.get_args(op["response"])]
    return {model for model in found if isinstance(model, type) and issubclass(model, BaseModel)}


def is_request_model(model, operations):
    return any(model is op["body"] for op in operations)


def operation_json(op, refs, errors, token_set):
    operation = {"operationId": op["operation_id"], "summary": op["summary"],
                 "tags": ["frontend paths" if op["alias"] else op["tag"]],
                 "parameters": (path_parameters(op["rule"]) + query_parameters(op["query"])
                                + conditional_parameters(op)),
                 "responses": responses_json(op, refs, errors, token_set),
                 "security": [{"adminToken": []}] if op["admin"] and token_set else []}
    if op["alias"]:
        operation["deprecated"] = True
        operation["description"] = "The path the portal's frontend uses; prefer the /api path."
    if op["body"] is not None:
        # Required even when no field is: the content type must be JSON.
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": refs[op["body"]]}}}
    return operation


def path_parameters(rule):
    return [{"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": SQLITE_MAX_INT}
             if converter == "id" else {"type": "string"}}
            for converter, name in PATH_ARGUMENT.findall(rule)]


def query_parameters(model):
    if model is None:
        return []
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    return [{"name": name, "in": "query", "required": name in required,
             "schema": {key: value for key, value in field.items() if key != "title"}}
            for name, field in schema["properties"].items()]
