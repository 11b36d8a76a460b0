"""route(): registers a handler at its /api path and the frontend's alias,
validates its query string and JSON body first, and records what the OpenAPI
document says of it."""
from functools import wraps

from flask import request
from werkzeug.routing import IntegerConverter

from lib.errors import ApiError
from lib.schemas import SQLITE_MAX_INT


class IdConverter(IntegerConverter):
    """<id:name>: a positive integer in ASCII digits that fits SQLite; anything
    else is a 404 (werkzeug's own would read '\u0661', Arabic-Indic one, as 1)."""

    regex = "[0-9]+"

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=SQLITE_MAX_INT)


def require_json():
    if request.mimetype != "application/json":
        raise ApiError(415, "Content-Type must be application/json")


def route(blueprint, rule, response, alias=None, alias_response=None, methods=("GET",),
          query=None, body=None, status=200, statuses=(), clock=None):
    """query: a pydantic model of the query string, passed as `query`;
    body: a pydantic model of the JSON body, passed as `body`.
    Every POST must be sent as application/json, with or without a body model,
    so that a cross-site form post is refused.
    For the OpenAPI document: response, the model of a success (alias_response
    where the alias answers in another shape), its status, and any statuses
    beyond those lib/openapi.py infers.
    clock: for a GET whose answer changes with time alone, function(db, now)
    returning the moment it next does (lib/conditional.py puts it in the ETag)."""

    def decorate(view):
        @wraps(view)
        def handler(**kwargs):
            if request.method == "POST":
                require_json()
            if query is not None:
                kwargs["query"] = query.model_validate(request.args.to_dict())
            if body is not None:
                kwargs["body"] = body.model_validate_json(request.get_data())
            return view(**kwargs)

        handler.api = {"query": query, "body": body, "response": response, "status": status,
                       "alias": alias, "alias_response": alias_response or response,
                       "statuses": statuses, "clock": clock}
        for path in filter(None, (rule, alias)):
            blueprint.add_url_rule(path, view_func=handler, methods=list(methods))
        return handler

    return decorate
