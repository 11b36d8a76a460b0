"""Conditional GET. Every GET answer of an API route carries an ETag made
from the release, settings and FSRS parameters that made it, the revision
(the tables' triggers, sql/schema.sql: every change of a row changes it) and,
for an answer that also changes with the clock, the moment it next does. A request
whose If-None-Match holds the current tag is answered 304 Not Modified before
its route runs: one read of one row instead of the page's queries. Each URL
has tags of its own, so an id or query the route would refuse never gets a
304; nor does If-None-Match: *, until the route has found an answer.

A route whose answer changes with time alone declares it where it is
registered: route(..., clock=function), where function(db, now, **path_ids)
returns the moment (a datetime, or any text that changes when it does) at
which the answer next changes by the clock alone. Given the data, that moment
is fixed until it passes, so each worker keeps it while the revision stays and
the moment lies ahead (clock_moment): a clock may read several rows, but runs
again only when the data changes or its moment comes."""
import zlib
from datetime import datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from flask import current_app, g, request

from lib.base.timeutil import format_utc, utc_now
from lib.scheduler.parameters import app_scheduler_state
from lib.store.db import current_revision, get_db

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCES = ("app.py", "lib/**/*.py", "routes/*.py", "sql/*.sql", "sql/migrations/*.sql")
# The libraries whose work is in answers made on request: the queue's
# retrievability, the readings of GET /api/readings.
ANSWERING_LIBRARIES = ("fsrs", "fugashi", "ipadic")


@lru_cache(maxsize=1)
def release_checksum():
    """A checksum of this release's code and the libraries that answer with it."""
    checksum = zlib.crc32(" ".join(version(name) for name in ANSWERING_LIBRARIES).encode())
    for path in sorted(path for pattern in SOURCES for path in PROJECT_DIR.glob(pattern)):
        checksum = zlib.crc32(path.read_bytes(), checksum)
    return checksum


def answers_version(config, parameters_checksum):
    """What decides the answers besides the data and the clock: the release,
    the scheduling settings and parameters, and the CORS origins. It starts
    every tag, so that after an upgrade, a restart with another
    LANG_PORTAL_NEW_PER_DAY or a new fit of FSRS's parameters, no client is
    told that an answer made otherwise is current; nor may a page of an
    origin since removed revalidate the answer (and grant) it has kept."""
    settings = repr((config["DESIRED_RETENTION"], config["NEW_PER_DAY"],
                     sorted(config["CORS_ORIGINS"]), parameters_checksum)).encode()
    return format(zlib.crc32(settings, release_checksum()), "x")


def current_answers_version(revision):
    """answers_version with the parameters in use at revision, made again
    only when they change (lib/scheduler/parameters.py)."""
    g.scheduler_state = app_scheduler_state(revision)
    checksum = g.scheduler_state["checksum"]
    kept = current_app.extensions.get("answers_version")
    if kept is None or kept[0] != checksum:
        kept = current_app.extensions["answers_version"] = (
            checksum, answers_version(current_app.config, checksum))
    return kept[1]


def api_of_request():
    """What lib.http.route.route recorded of this request's route, when it is a GET
    (or HEAD) of one of ours; None otherwise (the docs, OPTIONS, no route)."""
    if request.method not in ("GET", "HEAD") or request.url_rule is None:
        return None
    return getattr(current_app.view_functions.get(request.endpoint), "api", None)


def current_etag(api):
    """The tag of the answer, or None when the database cannot be read."""
    revision = current_revision()
    if revision is None:
        return None
    # With the URL's checksum, a tag given for one answer never matches
    # another URL's (a missing id's, a bad query's), which must get its error;
    # the host's too, since activities are answered with URLs on it.
    tag = (current_answers_version(revision) + "-"
           + format(revision & 0xFFFF_FFFF_FFFF_FFFF, "x") + "-"
           + format(zlib.crc32((request.host + request.full_path).encode()), "x"))
    if api["clock"] is not None:
        moment = clock_moment(api["clock"], revision)
        tag += "-" + (format_utc(moment) if isinstance(moment, datetime) else str(moment))
    return tag


def clock_moment(clock, revision):
    """clock's moment for this request's route and path ids, kept per worker
    (and app) while the revision stays the same and the moment lies ahead."""
    kept = current_app.extensions.get("clock_moments")
    if kept is None or kept["revision"] != revision or len(kept["moments"]) > 1000:
        kept = current_app.extensions["clock_moments"] = {"revision": revision, "moments": {}}
    key = (request.endpoint, *request.view_args.values())
    now = utc_now()
    moment = kept["moments"].get(key)
    if moment is None or (isinstance(moment, datetime) and moment <= now):
        moment = kept["moments"][key] = clock(get_db(), now, **request.view_args)
    return moment


def remembered(make, *key):
    """make()'s answer, made again only when this request's tag (the revision
    and the route's clock) differs from the last time in this worker, or for
    another key (the query values the answer depends on). For answers that
    cost several queries and are asked for again and again between two
    changes: the study queue and the dashboard's. Kept per app, whose
    settings the answers may depend on."""
    tag = g.get("etag")
    if tag is None:
        return make()
    kept = current_app.extensions.setdefault("remembered", {}).setdefault(request.endpoint, {})
    if any(old[0] != tag for old in kept) or len(kept) > 100:
        kept.clear()
    wanted = (tag, *key)
    if wanted not in kept:
        kept[wanted] = make()
    return kept[wanted]


def is_file(response):
    """A file that a route declares as its answer (an export)."""
    api = api_of_request()
    return bool(api and api["content"] and response.mimetype in api["content"])


def mark(response):
    response.set_etag(g.etag, weak=True)
    # Cached copies may be used only after asking us (a 304 is cheap).
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app):

    @app.before_request
    def answer_not_modified():
        api = api_of_request()
        if api is None:
            return None
        # Read before the route's queries: a write landing in between makes
        # the tag older than the answer, never newer, so a client may ask
        # once more but is never told an old answer is current.
        g.etag = current_etag(api)
        if g.etag and g.etag in request.if_none_match.as_set(include_weak=True):
            return mark(app.response_class(status=304))
        return None

    @app.after_request
    def tag_answer(response):
        if g.get("etag") and response.status_code == 200 and (response.is_json
                                                                or is_file(response)):
            if request.if_none_match.star_tag:
                # "*": any answer the client has, once the route found one.
                # The same response, with the headers set before this (CORS).
                response.status_code = 304
                response.set_data(b"")
            mark(response)
        return response
