"""Writes of study activities, and the origins their URLs allow for CORS."""
import socket
from contextlib import suppress
from urllib.parse import unquote, urlsplit

from lib.base.errors import conflict
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


DEFAULT_PORTS = {"http": 80, "https": 443}


def browser_host(host):
    """A name as browsers write it: percent-decoded, international names in
    their xn-- form, and an IPv4 address in full (127.1 -> 127.0.0.1, as
    inet_aton reads it: 0x7f.1 and 0177.1 too). A host no browser could open
    is left as it is: its origin matches nothing sent."""
    host = unquote(host).lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return host
    last_label = host.rstrip(".").rpartition(".")[2]
    if last_label.isdigit() or last_label.startswith("0x"):
        with suppress(OSError):
            return socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
    return host


def origin_of(url):
    """The Origin a browser sends from a page at url: 'http://user@Localhost:80/x'
    -> 'http://localhost', 'http://例え.jp:8080/' -> 'http://xn--r8jz45g.jp:8080'."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname
    try:
        port = parts.port
    except ValueError:
        host = None
    if not host:
        return None  # a URL stored by hand, not checked on its way in
    if ":" in host:
        host = f"[{host}]"
    else:
        host = browser_host(host)
    if port in (None, DEFAULT_PORTS.get(scheme)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def activity_origins(db):
    """The origin of every activity's URL: activities call the API from there."""
    origins = {origin_of(row[0]) for row in db.execute("SELECT url FROM study_activities")}
    return origins - {None}
