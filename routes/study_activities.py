from flask import Blueprint

from lib.api import route
from lib.db import get_db
from lib.errors import not_found
from lib.pagination import page_json
from lib.resources import SessionListQuery, activity_json, group_json, session_page
from lib.schemas import Activity, Launch, SessionPage

bp = Blueprint("study_activities", __name__)


def find_activity(activity_id):
    row = get_db().execute("SELECT * FROM study_activities WHERE id = ?", (activity_id,)).fetchone()
    if row is None:
        raise not_found("Study activity", activity_id)
    return row


@route(bp, "/api/study-activities", list[Activity])
def list_activities():
    """Every study activity (a JSON array)."""
    rows = get_db().execute("SELECT * FROM study_activities ORDER BY id")
    return [activity_json(row) for row in rows]


@route(bp, "/api/study-activities/<id:activity_id>", Activity)
def get_activity(activity_id):
    """A study activity."""
    return activity_json(find_activity(activity_id))


@route(bp, "/api/study-activities/<id:activity_id>/sessions", SessionPage, query=SessionListQuery)
def list_activity_sessions(activity_id, query):
    """The study sessions done with an activity, newest first."""
    activity = find_activity(activity_id)
    sessions = session_page(get_db(), "study_activity_id", activity_id, query,
                            activity["sessions_count"])
    return page_json(sessions, activity["sessions_count"], query)


@route(bp, "/api/study-activities/<id:activity_id>/launch", Launch)
def launch_activity(activity_id):
    """What the launch page needs: the activity and the groups to pick from."""
    activity = find_activity(activity_id)
    groups = get_db().execute("SELECT * FROM groups ORDER BY name")
    return {"activity": activity_json(activity), "groups": [group_json(row) for row in groups]}
