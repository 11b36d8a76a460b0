"""Writes of study activities, and the origins their URLs allow for CORS."""
from lib.base.errors import conflict
from lib.base.urls import browser_origin
from lib.queries.activities import find_activity
from lib.store import copies


def refuse_taken_title(db, title, other_than=None):
    row = db.execute("SELECT id FROM study_activities WHERE name = ? AND id IS NOT ?",
                     (title, other_than)).fetchone()
    if row:
        raise conflict(f'The title "{title}" is taken by study activity {row[0]}')


def create_activity(db, body):
    refuse_taken_title(db, body.title)
    return db.execute(
        """INSERT INTO study_activities (name, url, preview_url, description)
           VALUES (?, ?, ?, ?)""",
        (body.title, body.launch_url, body.preview_url, body.description)).lastrowid


# API field -> column
COLUMNS = {"title": "name", "launch_url": "url", "preview_url": "preview_url",
           "description": "description"}


def update_activity(db, activity_id, changes):
    find_activity(db, activity_id)
    if "title" in changes:
        refuse_taken_title(db, changes["title"], other_than=activity_id)
    for field, value in changes.items():
        if field == "title":
            copies.rename(db, "activity", activity_id, value)
            continue
        # The column name comes from the COLUMNS whitelist, never from the client.
        db.execute(f"UPDATE study_activities SET {COLUMNS[field]} = ? WHERE id = ?",
                   (value, activity_id))


def delete_activity(db, activity_id):
    """Deletes an activity no session refers to (409 otherwise)."""
    activity = find_activity(db, activity_id)
    if activity["sessions_count"]:
        raise conflict(f"Study activity {activity_id} has {activity['sessions_count']} study "
                       "sessions; it can be deleted only without any")
    db.execute("DELETE FROM study_activities WHERE id = ?", (activity_id,))


def activity_origins(db):
    """The origin of every activity's URL: activities call the API from there.
    A URL no browser opens (stored before the check, or by hand) grants nothing."""
    origins = {browser_origin(row[0]) for row in db.execute("SELECT url FROM study_activities")}
    return origins - {None}
