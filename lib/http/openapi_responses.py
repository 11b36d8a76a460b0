"""The responses and headers of each operation in the OpenAPI document
(lib/http/openapi.py), as the server sends them in its configuration."""
import typing

from lib.http.route import BODY_METHODS

ERRORS = {
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
BAD_HOST = ("a Host the server does not serve (LANG_PORTAL_HOSTS), or an HTTP/1.1 request "
            "without a Host header")
INVALID = ("Invalid query string or body, or a rule that a field's description states: "
           "`details` names each field. Without `details`: a body shorter than its "
           "Content-Length, or " + BAD_HOST)
ETAG = {"description": "weak; send it back as If-None-Match: a 304 answers while it holds",
        "schema": {"type": "string"}}
IF_NONE_MATCH = {
    "name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
    "description": "ETags this URL answered before (or `*`): while one is still current, the "
                   "answer is a 304 with no body, made without reading the page's data"}
HEADERS = {
    401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "seconds to wait, when another write held the database",
                          "schema": {"type": "integer", "minimum": 0}}},
}


def conditional_parameters(op):
    """Every GET of a route is a conditional GET (lib/http/conditional.py)."""
    return [IF_NONE_MATCH] if op["method"] == "get" else []


def responses_json(op, refs, errors, token_set):
    """refs: {model: its JSON schema}; errors: those of Error and InvalidRequest by name."""
    statuses = {op["status"], *op["statuses"], 400, 500, 503}
    if "<" in op["rule"] or op["body"] is not None:
        statuses.add(404)
    if op["method"].upper() in BODY_METHODS:
        statuses |= {413, 415}
    if op["admin"] and token_set:
        statuses |= {401, 403}
    responses = {}
    for status in sorted(statuses):
        if status >= 400:
            responses[str(status)] = error_json(status, op, errors)
        elif status == 204:
            responses["204"] = {"description": "Done; no content"}
        else:
            responses[str(status)] = success_json(
                status, op, None if op["content"] else schema_of(op["response"], refs))
    if op["method"] == "get":
        responses["304"] = {"description": "Not Modified: the If-None-Match tag is still "
                                           "current; no body", "headers": {"ETag": ETAG}}
    return dict(sorted(responses.items()))


def error_json(status, op, errors):
    validated = op["query"] is not None or op["body"] is not None
    if status == 400:
        description = INVALID if validated else "Bad request: " + BAD_HOST
        model = "InvalidRequest" if validated else "Error"
    else:
        description, model = ERRORS[status], "Error"
    answer = {"description": description,
              "content": {"application/json": {"schema": errors[model]}}}
    if status in HEADERS:
        answer["headers"] = HEADERS[status]
    return answer


def success_json(status, op, schema):
    # A file (an export) says its media types; anything else is JSON.
    content = ({media: {"schema": file_schema} for media, file_schema in op["content"].items()}
               if op["content"] else {"application/json": {"schema": schema}})
    answer = {"description": "Created" if status == 201 else "Success", "content": content}
    if op["method"] == "get":
        answer["headers"] = {"ETag": ETAG}
    if status == 201:
        answer["headers"] = {"Location": {"description": "the new resource's path",
                                          "schema": {"type": "string"}}}
    return answer


def schema_of(annotation, refs):
    """JSON schema of a model, list[Model] or Optional[Model]."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        return {"type": "array", "items": schema_of(args[0], refs)}
    if origin is typing.Union:
        return {"anyOf": [schema_of(arg, refs) if arg is not type(None) else {"type": "null"}
                          for arg in args]}
    return refs[annotation]
