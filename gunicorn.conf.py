"""gunicorn reads this file from the folder it is started in (the project folder).

It sets no option: the command line in the README holds them all. It only
makes the errors that gunicorn answers itself JSON, like the app's.
"""
import json
import re
from http import HTTPStatus

from gunicorn import util


def write_json_error(sock, status, reason, message):
    """Stands in for gunicorn.util.write_error, which writes an HTML page.

    gunicorn answers a request its HTTP parser refuses (a request line or
    header over its limits, a malformed request line or header, a bad HTTP
    version) before the app runs. The sync, gthread and gevent workers write
    that answer, and a 500 for a response the app could not send, with this
    one function (Worker.handle_error); gevent_pywsgi and tornado parse
    requests with their own servers. `message` is gunicorn's words and then,
    after a colon or a quote, the client's bytes ("Invalid Request Line
    'Invalid HTTP request line: ...'"): the body says the status's phrase and
    those words only, so it echoes nothing.
    """
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = reason
    words = re.match(r"[^:'\"]*", str(message)).group().strip()
    error = f"{phrase}: {words}" if words and words != str(message) else phrase
    body = json.dumps({"error": error}, separators=(",", ":")).encode() + b"\n"
    head = (f"HTTP/1.1 {status} {phrase}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


# The master reads this file before it forks the workers, so they all have it.
util.write_error = write_json_error
