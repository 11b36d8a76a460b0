"""The request handler of `python app.py`, werkzeug's development server."""
import json
import re

from werkzeug.serving import WSGIRequestHandler

NOT_ASCII = re.compile(r"[^\x00-\x7f]")


class DevRequestHandler(WSGIRequestHandler):
    """Reads raw UTF-8 in a request line once (a browser writes it as %XX;
    gunicorn refuses it), and answers the requests that http.server's parser refuses before the app
    runs (a request line or header line over 65536 bytes, over 100 headers,
    a malformed request line) with a JSON error instead of an HTML page."""

    def make_environ(self):
        # http.server reads the request line as Latin-1, and werkzeug takes
        # that text for Unicode and encodes it as UTF-8 again, so a raw UTF-8
        # byte (curl sends ?text=今日 so) became two characters. Written as
        # %XX, each byte is decoded once, as a browser's would be.
        self.path = NOT_ASCII.sub(lambda byte: f"%{ord(byte.group()):02X}", self.path)
        return super().make_environ()

    def send_error(self, code, message=None, explain=None):
        # message and explain may quote the client's bytes: they go to the log
        # only, and the answer says the status's phrase, always valid JSON.
        phrase = self.responses.get(code, ("Error",))[0]
        if self.request_version == "HTTP/0.9":
            # A request line without a valid HTTP version is taken for HTTP/0.9,
            # whose answer is the body alone; no client speaks it any more, and
            # the status line is what carries the code.
            self.request_version = ""
        self.log_error("code %d, message %s", code, message or phrase)
        self.send_response(code, phrase)
        self.send_header("Connection", "close")  # and so close_connection
        body = b""
        # As the base class does: no body for 1xx, 204, 205 and 304, nor to a HEAD.
        if code >= 200 and code not in (204, 205, 304):
            body = json.dumps({"error": phrase}, separators=(",", ":")).encode() + b"\n"
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
