"""A study activity: its SELECTs and JSON shape."""
from lib.base.errors import not_found
from lib.queries.groups import all_groups

# The portal's own activities (activities/ in the project) are served by the
# API under this path, and stored by their path alone.
OWN_ACTIVITIES = "/activities/"


def absolute(url, origin):
    """A URL of the portal's own activities, on the origin the request came
    to ('http://localhost:5000'), so that it opens on whatever name and port
    serve the API, and `new URL(launch_url)` works. Any other URL as stored:
    an activity's own server, or a path of the frontend's (the Typing
    Tutor's preview is an image of the frontend's own)."""
    if url and url.startswith(OWN_ACTIVITIES):
        return origin + url
    return url


def activity_json(row, origin):
    return {
        "id": row["id"],
        "title": row["name"],
        "launch_url": absolute(row["url"], origin),
        "preview_url": absolute(row["preview_url"], origin),
        "description": row["description"],
    }


def find_activity(db, activity_id):
    row = db.execute("SELECT * FROM study_activities WHERE id = ?", (activity_id,)).fetchone()
    if row is None:
        raise not_found("Study activity", activity_id)
    return row


def all_activities(db, origin):
    return [activity_json(row, origin)
            for row in db.execute("SELECT * FROM study_activities ORDER BY id")]


def launch(db, activity_id, origin):
    """What the launch page needs: the activity and the groups to pick from."""
    return {"activity": activity_json(find_activity(db, activity_id), origin),
            "groups": all_groups(db)}
