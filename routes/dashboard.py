from typing import Optional

from flask import Blueprint, current_app, jsonify

from lib.base.timeutil import utc_now
from lib.http.conditional import remembered
from lib.http.learning_models import ForecastDay, Stats
from lib.http.request_models import ForecastQuery
from lib.http.response_models import Session
from lib.http.route import route
from lib.learning import dashboard, study_queue
from lib.queries import sessions
from lib.store.db import get_db

bp = Blueprint("dashboard", __name__)


@route(bp, "/api/dashboard/recent-session", Optional[Session], alias="/dashboard/recent-session")
def recent_session():
    """The latest study session, or null when there is none."""
    return jsonify(sessions.recent_session(get_db()))


@route(bp, "/api/dashboard/stats", Stats, alias="/dashboard/stats",
       clock=dashboard.next_stats_change)
def stats():
    """The portal's figures; the README defines each."""
    new_per_day = current_app.config["NEW_PER_DAY"]
    return remembered(lambda: dashboard.figures(get_db(), utc_now(), new_per_day))


@route(bp, "/api/dashboard/forecast", list[ForecastDay], query=ForecastQuery,
       clock=study_queue.next_day)
def forecast(query):
    """Words due on each UTC day from today (today also counts every overdue word)."""
    return jsonify(remembered(
        lambda: study_queue.forecast(get_db(), utc_now().date(), query.days), query.days))
