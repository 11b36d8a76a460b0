from flask import Blueprint

from lib.http.request_models import ActivityCreate, ActivityUpdate
from lib.http.requests import request_origin
from lib.http.response_models import Activity, Launch, SessionPage
from lib.http.route import route
from lib.inventory import activities
from lib.queries.activities import activity_json, all_activities, find_activity, launch
from lib.queries.sessions import SessionListQuery, activity_session_page
from lib.store.db import get_db
from lib.store.pagination import page_json
from lib.store.transactions import transaction

bp = Blueprint("study_activities", __name__)


@route(bp, "/api/study-activities", list[Activity])
def list_activities():
    """Every study activity (a JSON array)."""
    return all_activities(get_db(), request_origin())


@route(bp, "/api/study-activities/<id:activity_id>", Activity)
def get_activity(activity_id):
    """A study activity."""
    return activity_json(find_activity(get_db(), activity_id), request_origin())


@route(bp, "/api/study-activities/<id:activity_id>/sessions", SessionPage, query=SessionListQuery)
def list_activity_sessions(activity_id, query):
    """The study sessions done with an activity, newest first."""
    sessions, total = activity_session_page(get_db(), find_activity(get_db(), activity_id), query)
    return page_json(sessions, total, query)


@route(bp, "/api/study-activities/<id:activity_id>/launch", Launch)
def launch_activity(activity_id):
    """What the launch page needs: the activity and the groups to pick from."""
    return launch(get_db(), activity_id, request_origin())


@route(bp, "/api/study-activities", Activity, methods=["POST"], body=ActivityCreate, status=201,
       statuses=(409,), admin=True)
def create_activity(body):
    """Adds a study activity; its launch_url's origin may call the API at once."""
    db = get_db()
    with transaction(db):
        activity_id = activities.create_activity(db, body)
    return (activity_json(find_activity(db, activity_id), request_origin()), 201,
            {"Location": f"/api/study-activities/{activity_id}"})


@route(bp, "/api/study-activities/<id:activity_id>", Activity, methods=["PATCH"],
       body=ActivityUpdate, statuses=(409,), admin=True)
def update_activity(activity_id, body):
    """Changes an activity's fields; unknown fields are refused."""
    db = get_db()
    with transaction(db):
        activities.update_activity(db, activity_id, body.changes())
    return activity_json(find_activity(db, activity_id), request_origin())


@route(bp, "/api/study-activities/<id:activity_id>", None, methods=["DELETE"], status=204,
       statuses=(409,), admin=True)
def delete_activity(activity_id):
    """Deletes an activity no study session refers to."""
    db = get_db()
    with transaction(db):
        activities.delete_activity(db, activity_id)
    return "", 204
