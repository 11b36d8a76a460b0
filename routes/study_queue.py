from flask import Blueprint, current_app

from lib.base.timeutil import utc_now
from lib.http.conditional import remembered
from lib.http.learning_models import StudyQueue
from lib.http.request_models import QueueQuery
from lib.http.route import route
from lib.learning import study_queue
from lib.scheduler.parameters import get_scheduler
from lib.store.db import get_db

bp = Blueprint("study_queue", __name__)


@route(bp, "/api/study-queue", StudyQueue, query=QueueQuery, statuses=(404,),
       clock=study_queue.next_queue_change)
def get_queue(query):
    """The words to study now: due words (lowest retrievability first), then new ones."""
    def make(at):
        return study_queue.queue(get_db(), get_scheduler(), current_app.config["NEW_PER_DAY"],
                                 at, query.limit, query.group_id)

    if query.at is not None:
        return make(query.at)
    # Ranking every due word costs a few ms on a large history; an activity
    # polls the queue far more often than it changes.
    return remembered(lambda: make(utc_now()), query.limit, query.group_id)
