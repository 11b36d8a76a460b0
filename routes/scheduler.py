from flask import Blueprint, current_app

from lib.http.learning_models import SchedulerSettings
from lib.http.route import route
from lib.scheduler.parameters import scheduler_json
from lib.store.db import get_db

bp = Blueprint("scheduler", __name__)


@route(bp, "/api/scheduler", SchedulerSettings)
def scheduler():
    """FSRS as it schedules: the parameters in use (the defaults, or fitted to
    the history by flask --app app optimize), the settings, and the fit's evaluation."""
    config = current_app.config
    return scheduler_json(get_db(), config["DESIRED_RETENTION"], config["NEW_PER_DAY"])
