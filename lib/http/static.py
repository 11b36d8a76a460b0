"""The files of the portal's own study activities (activities/ in the
project), served as they are at /activities/<name>/...: no build step, no
other origin. Not part of the API, so not in its OpenAPI document."""
import os
from pathlib import Path

from flask import redirect, request, send_file
from werkzeug.security import safe_join

from lib.base.errors import ApiError

ACTIVITIES_DIR = Path(__file__).resolve().parents[2] / "activities"
# Only these kinds of file are sent, each with its type (Flask adds the
# charset to text types). With nosniff, a browser runs a module script only
# when it is labelled as JavaScript.
CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
# The page may run only its own scripts and styles (no inline script, no
# style attribute), show only its own images, and call only its own origin,
# the API. Nothing may frame it.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def send_activity_file(path):
    """The file at path under activities/, a folder's index.html for a path
    ending in '/' (a folder named without it is redirected there, keeping the
    query string). Anything else, a path that leaves the folder included, is
    a 404 as JSON."""
    if path == "" or path.endswith("/"):
        path += "index.html"
    full = safe_join(str(ACTIVITIES_DIR), path)
    if full is not None and os.path.isdir(full):
        query = request.query_string.decode("latin-1")
        return redirect(f"/activities/{path}/" + (f"?{query}" if query else ""), 308)
    content_type = CONTENT_TYPES.get(os.path.splitext(path)[1])
    if full is None or content_type is None or not os.path.isfile(full):
        raise ApiError(404, f"No such file: /activities/{path}")
    response = send_file(full, mimetype=content_type, conditional=True)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response
