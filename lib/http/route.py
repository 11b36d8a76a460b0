"""route(): registers a handler at its /api path and the frontend's alias,
validates its query string and JSON body first, and records what the OpenAPI
document says of it."""
import hmac
import re
from functools import wraps

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Rule

from lib.base.errors import ApiError
from lib.base.fields import SQLITE_MAX_INT, requires_a_body


def at_most(limit):
    """A regex of the numbers from 1 to limit in ASCII digits (leading zeros
    allowed). A number out of range must fail the regex itself: when it fails
    only in to_python, werkzeug answers 405 for a path whose other methods
    exist, instead of 404."""
    digits = str(limit)
    choices = [f"[0-9]{{1,{len(digits) - 1}}}"]
    for index, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - index - 1
            choices.append(digits[:index] + f"[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    choices.append(digits)
    return "(?!0+(?![0-9]))(?:" + "|".join(choices) + ")"


class LazyRule(Rule):
    """A rule whose URL builders are compiled when a URL is first built
    (url_for), not when the rule is added: werkzeug compiles two for every
    rule, which took 94% of create_app's time, and the API builds few URLs."""

    def _compile_builder(self, append_unknown=True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown)
            return compiled(rule, *args, **kwargs)

        return build


class IdConverter(IntegerConverter):
    """<id:name>: a positive integer in ASCII digits that fits SQLite; anything
    else is a 404 (werkzeug's own would read '\u0661', Arabic-Indic one, as 1)."""

    regex = at_most(SQLITE_MAX_INT)

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=SQLITE_MAX_INT)


# The methods that send a body; each must send it as JSON.
BODY_METHODS = ("POST", "PATCH", "PUT")


def body_as_sent():
    """The request's body. One cut short (its client gave up before sending
    it all) or malformed (a bad chunk of a chunked body) is a 400: gunicorn
    hands on what came of it, and the servers raise errors of their own
    (werkzeug's ClientDisconnected, gunicorn's InvalidChunkSize, ...), each
    the client's doing. So is a chunked body over the limit, which werkzeug
    stops reading at the limit and hands on as it is."""
    sized = request.content_length is not None
    cut_short = ApiError(400, "The body is shorter than its Content-Length" if sized
                         else "The chunked body is malformed or cut short")
    try:
        data = request.get_data()
        too_long = (not sized and len(data) >= request.max_content_length
                    and request.environ["wsgi.input"].read(1))
    except RequestEntityTooLarge:
        raise
    except Exception:
        raise cut_short from None
    if too_long:
        raise RequestEntityTooLarge()
    if sized and len(data) < request.content_length:
        raise cut_short
    return data


# Transfer codings the servers undo themselves ("": no Transfer-Encoding);
# gunicorn hands on gzip, deflate and compress as they came.
PLAIN_TRANSFER = {"", "chunked", "identity"}


def require_json():
    """A body as JSON, not compressed (a compressed one would be read as garbage)."""
    if request.mimetype != "application/json":
        raise ApiError(415, "Content-Type must be application/json")
    if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        raise ApiError(415, "Content-Encoding is not supported: send the body uncompressed")
    codings = {coding.strip().lower()
               for coding in request.headers.get("Transfer-Encoding", "").split(",")}
    if codings - PLAIN_TRANSFER:
        raise ApiError(415, "Transfer-Encoding other than chunked is not supported: "
                            "send the body uncompressed")


def admin_token_setting(value):
    """LANG_PORTAL_ADMIN_TOKEN: printable ASCII without spaces, as a header
    can carry it (a header is read as Latin-1, and its value is trimmed)."""
    if value and not re.fullmatch(r"[!-~]+", value):
        raise ValueError("LANG_PORTAL_ADMIN_TOKEN must be printable ASCII without spaces, e.g. "
                         "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return value or None


def require_admin():
    """With LANG_PORTAL_ADMIN_TOKEN set, `Authorization: Bearer <token>`."""
    token = current_app.config.get("ADMIN_TOKEN")
    if not token:
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        error = ApiError(401, "This change needs the admin token: Authorization: Bearer <token>")
        error.headers = {"WWW-Authenticate": 'Bearer realm="inventory"'}
        raise error
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(403, "The admin token is wrong")


def route(blueprint, rule, response, alias=None, alias_response=None, methods=("GET",),
          query=None, body=None, status=200, statuses=(), admin=False, clock=None,
          content=None):
    """query: a pydantic model of the query string, passed as `query`;
    body: a pydantic model of the JSON body, passed as `body`;
    admin: a change to the inventory, which needs the admin token when one is set.
    Every POST, PATCH and PUT must be sent as application/json, with or
    without a body model, so that a cross-site form post is refused.
    For the OpenAPI document: response, the model of a success (alias_response
    where the alias answers in another shape), its status, and any statuses
    beyond those lib/http/openapi.py infers.
    clock: for a GET whose answer changes with time alone, function(db, now)
    returning the moment it next does (lib/http/conditional.py puts it in the ETag).
    content: for a success that is a file, not JSON: {media type: its JSON schema}."""

    def decorate(view):
        @wraps(view)
        def handler(**kwargs):
            if admin:
                require_admin()
            if request.method in BODY_METHODS:
                require_json()
            if query is not None:
                kwargs["query"] = query.model_validate(request.args.to_dict())
            if body is not None:
                data = body_as_sent() or (b"" if requires_a_body(body) else b"{}")
                kwargs["body"] = body.model_validate_json(data)
            return view(**kwargs)

        handler.api = {"query": query, "body": body, "response": response, "status": status,
                       "alias": alias, "alias_response": alias_response or response,
                       "statuses": statuses, "admin": admin, "clock": clock,
                       "content": content}
        for path in filter(None, (rule, alias)):
            blueprint.add_url_rule(path, view_func=handler, methods=list(methods))
        return handler

    return decorate
