from flask import Blueprint

from lib.http.response_models import Health
from lib.http.route import route
from lib.store.db import check_health

bp = Blueprint("health", __name__)


@route(bp, "/api/health", Health)
def health():
    """200 when the database answers, 503 when it does not."""
    return check_health()
