from flask import Blueprint

from lib import activities
from lib.api import route
from lib.db import get_db, transaction
from lib.pagination import page_json
from lib.resources import SessionListQuery, activity_json, group_json, session_page
from lib.responses import Activity, Launch, SessionPage
from lib.schemas import ActivityCreate, ActivityUpdate

bp = Blueprint("study_activities", __name__)


def find_activity(activity_id):
    return activities.find_activity_row(get_db(), activity_id)


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


@route(bp, "/api/study-activities", Activity, methods=["POST"], body=ActivityCreate, status=201,
       statuses=(409,), admin=True)
def create_activity(body):
    """Adds a study activity; its launch_url's origin may call the API at once."""
    db = get_db()
    with transaction(db):
        activity_id = activities.create_activity(db, body)
    return (activity_json(find_activity(activity_id)), 201,
            {"Location": f"/api/study-activities/{activity_id}"})


@route(bp, "/api/study-activities/<id:activity_id>", Activity, methods=["PATCH"],
       body=ActivityUpdate, statuses=(409,), admin=True)
def update_activity(activity_id, body):
    """Changes an activity's fields; unknown fields are refused."""
    db = get_db()
    with transaction(db):
        activities.update_activity(db, activity_id, body.changes())
    return activity_json(find_activity(activity_id))


@route(bp, "/api/study-activities/<id:activity_id>", None, methods=["DELETE"], status=204,
       statuses=(409,), admin=True)
def delete_activity(activity_id):
    """Deletes an activity no study session refers to."""
    db = get_db()
    with transaction(db):
        activities.delete_activity(db, activity_id)
    return "", 204
