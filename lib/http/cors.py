"""CORS: which web pages may call the API. The frontend's origins and
LANG_PORTAL_CORS_ORIGINS are fixed at start; the origins of the study
activities are read from the database on each request that needs them (one
read of a tiny table), so an activity added or removed through the API
counts at once in every worker. The last read (at first, the one made when
the app is made) is used only while the database cannot be read, so that an
activity can read the 503."""
from contextlib import closing
from urllib.parse import urlsplit

from flask import request

from lib.base.errors import ApiError
from lib.base.urls import browser_origin
from lib.inventory.activities import activity_origins
from lib.store.db import DatabaseError, connect, get_db

PREFLIGHT_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
# What a page may read besides the simple headers: a new resource's Location,
# when to try again after a 503, and the tag to send as If-None-Match.
EXPOSED_HEADERS = "ETag, Location, Retry-After"


def origin_setting(value):
    """An origin of LANG_PORTAL_CORS_ORIGINS in the form a browser sends it
    ('https://Portal.example.org:443/' -> 'https://portal.example.org'). One
    that is not an http(s) origin is a ValueError: 'null', say, which any
    sandboxed page sends, would let every site in; so is one no browser
    opens ('http://[v1.evil.example]')."""
    parts = urlsplit(value)
    origin = browser_origin(value)
    if origin is None or parts.path not in ("", "/") or parts.query or parts.fragment or "@" in value:
        raise ValueError(f"LANG_PORTAL_CORS_ORIGINS must list origins such as "
                         f"https://portal.example.org, not {value!r}")
    return origin


def init_app(app, fixed_origins, read_now=True):
    """read_now: read the activities' origins at once (False for a command,
    which may run without a database)."""
    fixed = {origin.lower() for origin in fixed_origins}
    last_read = set()  # the activities' origins, as last read
    if read_now:
        with closing(connect(app.config["DATABASE"])) as db:
            last_read = activity_origins(db)

    def allowed(origin):
        nonlocal last_read
        if origin.lower() in fixed:
            return True
        try:
            last_read = activity_origins(get_db())
        except (ApiError, DatabaseError):
            pass
        return origin.lower() in last_read

    @app.after_request
    def grant(response):
        # Vary even without an Origin: a cache must not hand an answer
        # made without the grant to a page of an allowed origin.
        # No answer has another Vary: add() is a fraction of vary.add's time.
        response.headers.add("Vary", "Origin")
        origin = request.headers.get("Origin")
        if not origin or not allowed(origin):
            return response
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response.headers["Access-Control-Allow-Methods"] = PREFLIGHT_METHODS
            wanted = request.headers.get("Access-Control-Request-Headers")
            if wanted:
                response.headers["Access-Control-Allow-Headers"] = wanted
        return response
