"""The OpenAPI 3.1 document, built from the routes as registered (lib/http/route.py)
and the pydantic models they name, so it cannot drift from the code."""
import re
import typing

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from lib.base.fields import SQLITE_MAX_INT
from lib.http.response_models import Error
from lib.http.route import BODY_METHODS

ERRORS = {
    400: "Invalid query string or body, or a rule that a field's description states; "
         "`details` names each field",
    401: "The admin token is needed (LANG_PORTAL_ADMIN_TOKEN is set) and was not sent",
    403: "The admin token sent is wrong",
    404: "No such resource (the error names it)",
    409: "Conflicts with what is stored: the error says what (e.g. the id of the word, "
         "group or activity that already has this name, or a review_id recorded with "
         "other content)",
    413: "Body over 1 MiB",
    415: "Not sent as application/json, or sent compressed (Content-Encoding, Transfer-Encoding)",
    500: "Unexpected failure; the details are in the server log",
    503: ("The database does not answer, cannot be written (a full disk, a read-only file), its "
          "file was replaced while the server ran, or another write held it for 1 s (Retry-After)"),
}
PATH_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def build_document(app):
    operations = list(api_operations(app))
    models = {Error} | {model for op in operations for model in models_of(op)}
    schema_keys = [(model, "validation" if is_request_model(model, operations) else "serialization")
                   for model in sorted(models, key=lambda m: m.__name__)]
    refs, definitions = models_json_schema(schema_keys, ref_template="#/components/schemas/{model}")
    refs = {model: schema for (model, _), schema in refs.items()}
    paths = {}
    for op in operations:
        paths.setdefault(op["path"], {})[op["method"]] = operation_json(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Lang Portal API", "version": "1.0.0",
                 "description": "Vocabulary, study activities and the learning record "
                                "of a Japanese study portal. Every error is "
                                "`{\"error\": \"...\"}`."},
        "paths": paths,
        "components": {"schemas": definitions.get("$defs", {}),
                       "securitySchemes": {"adminToken": {
                           "type": "http", "scheme": "bearer",
                           "description": "LANG_PORTAL_ADMIN_TOKEN. Needed for changes to the "
                                          "inventory only when the server sets it."}}},
    }


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


def schema_of(annotation, refs):
    """JSON schema of a model, list[Model] or Optional[Model]."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        return {"type": "array", "items": schema_of(args[0], refs)}
    if origin is typing.Union:
        return {"anyOf": [schema_of(arg, refs) if arg is not type(None) else {"type": "null"}
                          for arg in args]}
    return refs[annotation]


def operation_json(op, refs):
    operation = {"operationId": op["operation_id"], "summary": op["summary"],
                 "tags": ["frontend paths" if op["alias"] else op["tag"]],
                 "parameters": path_parameters(op["rule"]) + query_parameters(op["query"]),
                 "responses": responses_json(op, refs)}
    if op["alias"]:
        operation["deprecated"] = True
        operation["description"] = "The path the portal's frontend uses; prefer the /api path."
    if op["admin"]:
        operation["security"] = [{"adminToken": []}]
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


def responses_json(op, refs):
    statuses = {op["status"], *op["statuses"], 500, 503}
    if op["query"] is not None or op["body"] is not None:
        statuses.add(400)
    if "<" in op["rule"] or op["body"] is not None:
        statuses.add(404)
    if op["method"].upper() in BODY_METHODS:
        statuses |= {413, 415}
    if op["admin"]:
        statuses |= {401, 403}
    responses = {}
    for status in sorted(statuses):
        if status >= 400:
            responses[str(status)] = {"description": ERRORS[status], "content": {
                "application/json": {"schema": refs[Error]}}}
            continue
        if status == 204:
            responses["204"] = {"description": "Done; no content"}
            continue
        responses[str(status)] = {"description": "Created" if status == 201 else "Success",
                                  "content": {"application/json": {
                                      "schema": schema_of(op["response"], refs)}}}
        if op["method"] == "get":
            responses[str(status)]["headers"] = {"ETag": {
                "description": "send it back as If-None-Match: a 304 answers while it holds",
                "schema": {"type": "string"}}}
        if status == 201:
            responses["201"]["headers"] = {"Location": {"description": "the new resource's path",
                                                        "schema": {"type": "string"}}}
    if op["method"] == "get":
        responses["304"] = {"description": "Not Modified: the If-None-Match tag is still "
                                           "current; no body"}
    return responses
