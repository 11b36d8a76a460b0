"""Rules for every request, before and after its route: only trusted Host
names, OPTIONS answered as 204, no body where none belongs, and headers that
keep browsers from framing or sniffing the answers."""
from functools import lru_cache
from urllib.parse import urlsplit

from flask import request

from lib.base.errors import ApiError

DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1")
REDIRECTS = (301, 302, 303, 307, 308)
PROTECTIONS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
# An answer's own policy (an activity's page: lib/http/static.py) says this too.
NO_FRAMING = "frame-ancestors 'none'"


@lru_cache(maxsize=256)  # urlsplit, on every request, for the few names clients use
def host_name(host):
    """'localhost:5000' -> 'localhost', '[::1]:5000' -> '::1'; None when malformed."""
    try:
        parts = urlsplit(f"//{host}")
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    return parts.hostname


def host_setting(value):
    """A name of LANG_PORTAL_HOSTS, on any port: 'Portal.lan:8443' -> 'portal.lan'."""
    name = host_name(value)
    if not name:
        raise ValueError(f"LANG_PORTAL_HOSTS must list host names such as portal.lan, not {value!r}")
    return name.lower()


def requested_hosts():
    """The names a request is addressed to: its Host header, and the name in
    a target of absolute form (GET http://name/path), which RFC 9112 puts
    before the header: gunicorn reads only the header, werkzeug only the
    target. Each must be trusted."""
    environ = request.environ
    if "HTTP_HOST" not in environ and environ.get("SERVER_PROTOCOL") == "HTTP/1.1":
        raise ApiError(400, "An HTTP/1.1 request needs a Host header")
    names = [request.host]
    target = environ.get("RAW_URI", "/")
    if not target.startswith("/") and urlsplit(target).scheme:
        names.append(urlsplit(target).netloc)
    return names


def request_origin():
    """'http://localhost:5000': the scheme, and the name and port of the Host
    header (trusted by check_host before any route runs), as URLs that the
    API answers absolute start. Rebuilt from its parts, so that nothing else
    a Host header may carry ('localhost/x') gets into them."""
    parts = urlsplit(f"//{request.host}")
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{request.scheme}://{name}" + (f":{parts.port}" if parts.port else "")


def init_app(app):
    trusted = set(DEFAULT_HOSTS) | {name.lower() for name in app.config["HOSTS"]}

    @app.before_request
    def check_host():
        # DNS rebinding: a page on any site can point its own name at
        # 127.0.0.1 and then call us as same-origin, past CORS. Flask's
        # TRUSTED_HOSTS would do this, but cannot match an IPv6 literal
        # such as [::1] (it cuts the name at the first colon).
        if any(host_name(name) not in trusted for name in requested_hosts()):
            raise ApiError(400, "Host not allowed: set LANG_PORTAL_HOSTS to serve this name")

    @app.after_request
    def finish(response):
        # A 204 (OPTIONS, DELETE) and a redirect (/api/docs to /api/docs/)
        # carry nothing: Flask would call the first HTML, werkzeug writes an
        # HTML page into the second.
        if request.method == "OPTIONS" and response.status_code == 200:
            response.status_code = 204
            if response.allow:  # in a set's order, which differs between processes
                response.headers["Allow"] = ", ".join(sorted(response.allow))
        if response.status_code == 204 or response.status_code in REDIRECTS:
            response.set_data(b"")
            response.headers.pop("Content-Type", None)
        # No framing: a page that framed /api/docs could lead a click onto
        # "Try it out" of a reset. No sniffing: every answer is what it says.
        response.headers.extend(PROTECTIONS)
        response.headers.setdefault("Content-Security-Policy", NO_FRAMING)
        return response
