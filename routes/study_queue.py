from flask import Blueprint, current_app

from lib import study_queue
from lib.api import route
from lib.conditional import remembered
from lib.db import get_db
from lib.errors import not_found
from lib.responses import StudyQueue
from lib.scheduling import get_scheduler
from lib.schemas import QueueQuery
from lib.timeutil import utc_now

bp = Blueprint("study_queue", __name__)


@route(bp, "/api/study-queue", StudyQueue, query=QueueQuery, statuses=(404,),
       clock=study_queue.next_queue_change)
def get_queue(query):
    """The words to study now: due words (lowest retrievability first), then new ones."""
    db = get_db()
    if query.group_id is not None and db.execute(
            "SELECT 1 FROM groups WHERE id = ?", (query.group_id,)).fetchone() is None:
        raise not_found("Group", query.group_id)
    def make(at):
        return study_queue.queue(db, get_scheduler(), current_app.config["NEW_PER_DAY"], at,
                                 query.limit, query.group_id)

    if query.at is not None:
        return make(query.at)
    # Ranking every due word costs a few ms on a large history; an activity
    # polls the queue far more often than it changes.
    return remembered(lambda: make(utc_now()), query.limit, query.group_id)
