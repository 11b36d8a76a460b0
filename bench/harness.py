"""Serving an app under gunicorn and loading it with wrk, for bench/run.py."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def log(message):
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ servers

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(base, method, path, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


@contextmanager
def serve(name, app, log_path, workers, db_path=None, ready_path="/api/health", port=None):
    """Runs gunicorn on a loopback port (a free one unless given) until the
    block ends; yields its base URL."""
    port = port or free_port()
    command = [str(GUNICORN), "--preload", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    cwd, env = PROJECT_DIR, dict(os.environ)
    if db_path is None:
        command += ["--chdir", str(BENCH_DIR)]
    else:
        env["LANG_PORTAL_DB"] = str(db_path)
    log(f"Serving {name} on 127.0.0.1:{port} (log: {log_path})")
    with open(log_path, "ab") as log_file:
        # Its own session: a Ctrl-C reaches only us, and we stop it in order.
        server = subprocess.Popen(command + [app], cwd=cwd, env=env, stdout=log_file,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(server, base + ready_path, log_path)
        yield base
    finally:
        stop(server)


def wait_until_ready(server, url, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited ({server.returncode}); see {log_path}:\n"
                               + tail(log_path))
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} in {timeout} s; see {log_path}")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def tail(path, lines=20):
    return "".join(Path(path).read_text(errors="replace").splitlines(keepends=True)[-lines:])


# ---------------------------------------------------------------------- wrk

def lua_script(out, name, method, body):
    """A wrk script sending `body` as JSON with `method`."""
    path = out / f"{name}.lua"
    path.write_text(f'wrk.method = "{method}"\n'
                    f"wrk.body = [==[{json.dumps(body)}]==]\n"
                    'wrk.headers["Content-Type"] = "application/json"\n')
    return path


def wrk_command(url, duration, connections, script=None, headers=()):
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s",
               "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    return command + [url]


def run_wrk(url, duration, connections, script=None, headers=(), warm_up=True):
    """A 1-second warm-up (unless warm_up is False), then the measured run;
    returns parse_wrk's figures."""
    if warm_up:
        subprocess.run(wrk_command(url, 1, connections, script, headers), capture_output=True,
                       check=True)
    result = subprocess.run(wrk_command(url, duration, connections, script, headers),
                            capture_output=True, text=True, check=True)
    return parse_wrk(result.stdout)


TIME_UNITS_MS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}


def parse_wrk(output):
    """Requests/sec, p50 and p99 (ms), non-2xx count, socket errors and the
    request count from wrk's --latency output."""
    def latency(percent):
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        return float(match.group(1)) * TIME_UNITS_MS[match.group(2)] if match else None

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    requests = re.search(r"^\s*(\d+) requests in ", output, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    if not rps or not requests:
        raise ValueError(f"unexpected wrk output:\n{output}")
    return {
        "rps": float(rps.group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        "socket_detail": sockets.group(0) if sockets else "",
        "requests": int(requests.group(1)),
    }
