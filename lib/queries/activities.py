"""A study activity: its SELECTs and JSON shape."""
from lib.base.errors import not_found
from lib.queries.groups import all_groups


def activity_json(row):
    return {
        "id": row["id"],
        "title": row["name"],
        "launch_url": row["url"],
        "preview_url": row["preview_url"],
        "description": row["description"],
    }

def find_activity(db, activity_id):
    row = db.execute("SELECT * FROM study_activities WHERE id = ?", (activity_id,)).fetchone()
    if row is None:
        raise not_found("Study activity", activity_id)
    return row


def all_activities(db):
    return [activity_json(row) for row in db.execute("SELECT * FROM study_activities ORDER BY id")]


def launch(db, activity_id):
    """What the launch page needs: the activity and the groups to pick from."""
    return {"activity": activity_json(find_activity(db, activity_id)), "groups": all_groups(db)}
