"""Real servers for the tests: gunicorn and `python app.py` as the README
runs them, and requests sent to them over loopback."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(base_url, path, body=None):
    """(status, JSON answer) of a GET, or of a POST when body is given."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base_url + path, data=data,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_until_up(process, url, output):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, output()
        try:
            if request(url, "/api/health")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


class Server:
    """gunicorn as the README runs it: with --preload, the app is made once,
    before the workers start; without it, each worker makes its own."""

    def __init__(self, db_path, workers, preload, options=(), port=None):
        self.port = port or free_port()  # a port given: the same server started again
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(GUNICORN), *(["--preload"] if preload else []), "-w", str(workers),
             "-b", f"127.0.0.1:{self.port}", *options, "app:create_app()"],
            cwd=PROJECT_DIR, env={**os.environ, "LANG_PORTAL_DB": str(db_path)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        self.wait_until_up()

    def wait_until_up(self):
        wait_until_up(self.process, self.url, lambda: self.process.stderr.read().decode())

    def stop(self, sig=signal.SIGTERM):
        os.killpg(self.process.pid, sig)
        _, errors = self.process.communicate(timeout=30)
        return errors.decode()


class DevServer:
    """`python app.py` as the README runs it, on a free port."""

    def __init__(self, db_path, log_path):
        self.port = free_port()
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "app.py"], cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "PORT": str(self.port), "LANG_PORTAL_DB": str(db_path)})
        wait_until_up(self.process, f"http://127.0.0.1:{self.port}", log_path.read_text)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def raw_answer(port, data):
    """(status, lowercased headers, body) of the answer to bytes sent as they are."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        # A server may answer before it has read everything (a 413) and close.
        with suppress(OSError):
            client.sendall(data)
            client.shutdown(socket.SHUT_WR)  # the client has said everything
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body
