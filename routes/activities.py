"""The portal's own study activities: static files, not the API."""
from flask import Blueprint

from lib.http.static import send_activity_file

bp = Blueprint("activities", __name__)


@bp.get("/activities/")
@bp.get("/activities/<path:path>")
def activity_file(path=""):
    """A file of one of the portal's own study activities, such as /activities/flashcards/."""
    return send_activity_file(path)
