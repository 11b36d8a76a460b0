from flask import Blueprint, current_app

from lib import study_queue
from lib.api import route
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
    new_per_day = current_app.config["NEW_PER_DAY"]
    if query.at is not None:
        return study_queue.queue(db, get_scheduler(), new_per_day, query.at, query.limit,
                                 query.group_id)
    return study_queue.current_queue(db, get_scheduler(), new_per_day, utc_now(), query.limit,
                                     query.group_id)
