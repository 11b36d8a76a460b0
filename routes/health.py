import sqlite3

from flask import Blueprint

from lib.api import route
from lib.db import get_db
from lib.errors import ApiError
from lib.responses import Health

bp = Blueprint("health", __name__)


@route(bp, "/api/health", Health)
def health():
    """200 when the database answers, 503 when it does not."""
    try:
        get_db().execute("SELECT count(*) FROM review_stats").fetchone()
    except sqlite3.Error:
        raise ApiError(503, "Database unavailable") from None
    return {"status": "ok"}
