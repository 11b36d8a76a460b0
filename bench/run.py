"""The Lang Portal API benchmark: the API on a small and a large database,
each figure beside a bare Flask app measured in the same run.

    python bench/run.py                 # full sizes (~20 min on 2 cores)
    python bench/run.py --quick --duration 2 --variant-duration 1

Every GET route and sort key comes from the API's OpenAPI document, so routes
added later are measured without a change here. Each route is measured for
--duration seconds, each of the hundreds of sort variants (sort key x order x
first/last page) and each 304 for --variant-duration seconds.

Needs gunicorn next to the python it runs with, and `wrk` (Debian: apt install wrk).
Databases, logs, Lua scripts, results.md and results.json (every figure) go to
--out (default bench/results/).
Progress goes to stderr, the Markdown table to stdout and <out>/results.md.
Exits 1 when the sessions stored differ from the 201s received.
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"

FULL_SIZES = {"words": 10_000, "groups": 20, "sessions": 50_000, "reviews": 1_000_000}
QUICK_SIZES = {"words": 1_000, "groups": 20, "sessions": 5_000, "reviews": 100_000}
# What the large database is made from: when one of these changes, it is rebuilt.
DATA_SOURCES = ["sql/*.sql", "seed/*.json", "lib/demo.py", "lib/vocabulary.py"]

# The GET routes come from the API's own OpenAPI document (discover_gets): every
# GET operation, its path ids filled with real ids (IDS), and for a list every
# sort_by value x both orders x {page 1, last page}. The frontend's alias paths
# run the same handlers as their /api twins: each is measured once, page 1 in
# its default order.
IDS = {"group_id": "largest group", "activity_id": "activity 1", "word_id": "word 1",
       "session_id": "the newest session"}
POST_SESSION = "POST /api/study-sessions"
POST_REVIEW = "POST /api/study-sessions/{review_session}/review (10 reviews)"
NEW_SESSION_BODY = {"group_id": 1, "study_activity_id": 1}

# Targets, each on the large database.
GET_VS_BARE = 0.5
NOT_MODIFIED_VS_BARE = 0.8
POST_SESSION_VS_BARE = 0.45
POST_SESSION_P99_MS = 10
POST_REVIEW_VS_BARE = 0.2
LARGE_VS_SMALL = 0.8
MIXED_VS_BARE = 0.1


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- databases

def flask_command(db_path, *args, **kwargs):
    env = {**os.environ, "LANG_PORTAL_DB": str(db_path)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args],
                   cwd=PROJECT_DIR, env=env, check=True, **kwargs)


def remove_database(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def data_fingerprint():
    digest = hashlib.sha256()
    for pattern in DATA_SOURCES:
        for path in sorted(PROJECT_DIR.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def checkpoint(path):
    """Folds the WAL into the main file, so that copying the file copies it all."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def build_databases(out, sizes, rebuild=False):
    """Fresh working copies: small.db (the seed) and large.db (seed + demo data,
    copied from a pristine build that is reused while its marker matches)."""
    small = out / "small.db"
    remove_database(small)
    log(f"Building the small database {small}")
    flask_command(small, "init-db", stdout=subprocess.DEVNULL)

    name = "large-quick" if sizes == QUICK_SIZES else "large"
    pristine, marker = out / f"{name}.pristine.db", out / f"{name}.pristine.json"
    wanted = {**sizes, "data": data_fingerprint()}
    built = json.loads(marker.read_text()) if marker.exists() and pristine.exists() else {}
    if rebuild or {key: built.get(key) for key in wanted} != wanted:
        log(f"Building the large database {pristine} ({sizes['words']} words, "
            f"{sizes['sessions']} sessions, {sizes['reviews']} reviews)")
        started = time.monotonic()
        marker.unlink(missing_ok=True)
        building = out / f"{name}.building.db"
        remove_database(building)
        flask_command(building, "init-db", stdout=subprocess.DEVNULL)
        flask_command(building, "demo-data", *(f"--{key}={value}" for key, value in sizes.items()),
                      stdout=sys.stderr)
        checkpoint(building)
        remove_database(pristine)
        building.replace(pristine)
        remove_database(building)
        built = {**wanted, "built": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        marker.write_text(json.dumps(built, indent=2) + "\n")
        log(f"  built in {time.monotonic() - started:.0f} s")
    else:
        log(f"Reusing the large database {pristine} (built {built.get('built')})")
    large = out / "large.db"
    remove_database(large)
    shutil.copyfile(pristine, large)
    return small, large, built.get("built")


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
def serve(name, app, log_path, workers, db_path=None, ready_path="/api/health"):
    """Runs gunicorn on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    command = [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
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


# ----------------------------------------------------------------- measures

def newest_session(base):
    return http_json(base, "GET", "/api/study-sessions?page=1&per_page=1")["items"][0]["id"]


def review_body(base):
    """10 reviews, alternately right and wrong, of 10 words of group 1."""
    words = http_json(base, "GET", "/api/groups/1/words/raw")[:10]
    return {"reviews": [{"word_id": word["id"], "is_correct": index % 2 == 0}
                        for index, word in enumerate(words)]}


def real_ids(base):
    """The ids that fill the document's paths: the largest group, the newest
    session (IDS says which)."""
    groups = http_json(base, "GET", "/api/groups?sort_by=words_count&order=desc&per_page=1")
    return {"group_id": groups["items"][0]["id"], "activity_id": 1, "word_id": 1,
            "session_id": newest_session(base)}


def sort_keys(operation):
    for parameter in operation["parameters"]:
        if parameter["name"] == "sort_by":
            schema = parameter["schema"]
            return schema["enum"] if "enum" in schema else [schema["const"]]
    return []


def required_query(operation):
    """The query string of an operation's required parameters, from their examples."""
    required = [(parameter["name"], parameter["schema"]["examples"][0])
                for parameter in operation["parameters"]
                if parameter["in"] == "query" and parameter["required"]]
    return f"?{urllib.parse.urlencode(required)}" if required else ""


def discover_gets(base, ids):
    """From the API's OpenAPI document: (routes, variants), each a list of
    (label, path). routes: every GET that does not sort, and each alias path
    once (page 1, its default order). variants: every /api list at every
    sort_by value x both orders x {page 1, last page}. A label names the
    route's template, so the same label on both databases is the same work."""
    document = http_json(base, "GET", "/api/openapi.json")
    routes, variants = [], []
    for template, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        path = template.format(**{name: ids[name] for name in re.findall(r"{(\w+)}", template)})
        keys = sort_keys(operation)
        if operation.get("deprecated") or not keys:
            query = "?page=1" if keys else required_query(operation)
            routes.append((f"GET {template}{query}", path + query))
            continue
        for key in keys:
            for order in ("asc", "desc"):
                query = f"?sort_by={key}&order={order}"
                last = max(1, http_json(base, "GET", path + query)["total_pages"])
                variants.append((f"GET {template}{query}&page=1", f"{path}{query}&page=1"))
                variants.append((f"GET {template}{query}&page=last", f"{path}{query}&page={last}"))
    return routes, variants


def first_of_each_route(variants):
    """A 304 runs none of the route's queries: one sort variant a route will do."""
    seen, first = set(), []
    for label, path in variants:
        route = label.split("?")[0]
        if route not in seen:
            seen.add(route)
            first.append((label, path))
    return first


def not_modified_header(base, path):
    """If-None-Match with the path's current ETag, checked to answer 304."""
    with urllib.request.urlopen(base + path, timeout=30) as response:
        tag = response.headers["ETag"]
    request = urllib.request.Request(base + path, headers={"If-None-Match": tag})
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return f"If-None-Match: {tag}"
    raise RuntimeError(f"{path}: no 304 for its own ETag")


def measure_routes(base, out, args, large):
    """Every GET route and sort variant, the 304s (large database only), then
    the two POSTs; returns ({label: figures}, ids)."""
    if not large:  # The seed has no sessions: make one, with a few reviews.
        session = http_json(base, "POST", "/api/study-sessions", NEW_SESSION_BODY)["id"]
        body = review_body(base)
        http_json(base, "POST", f"/api/study-sessions/{session}/review",
                  {"reviews": body["reviews"][:5]})
    ids = real_ids(base)
    routes, variants = discover_gets(base, ids)
    results = {}
    for label, path in routes:
        log(f"  GET {path}")
        results[label] = {**run_wrk(base + path, args.duration, args.connections), "kind": "get"}
    log(f"  {len(variants)} sort variants, {args.variant_duration} s each")
    for label, path in variants:
        results[label] = {**run_wrk(base + path, args.variant_duration, args.connections,
                                    warm_up=False), "kind": "variant"}
    if large:  # Before the POSTs, which change every ETag.
        for label, path in routes + first_of_each_route(variants):
            if " /api/" not in label:
                continue
            log(f"  GET {path} with If-None-Match")
            header = not_modified_header(base, path)
            results[label + " (304)"] = {
                **run_wrk(base + path, args.variant_duration, args.connections,
                          headers=[header]), "kind": "not_modified"}

    log(f"  {POST_SESSION}")
    script = lua_script(out, "post_session", "POST", NEW_SESSION_BODY)
    results[POST_SESSION] = {**run_wrk(base + "/api/study-sessions", args.duration,
                                       args.connections, script), "kind": "post_session"}

    ids["review_session"] = http_json(base, "POST", "/api/study-sessions", NEW_SESSION_BODY)["id"]
    log(f"  {POST_REVIEW.format(**ids)}")
    script = lua_script(out, "post_review", "POST", review_body(base))
    results[POST_REVIEW] = {**run_wrk(
        base + f"/api/study-sessions/{ids['review_session']}/review", args.duration,
        args.connections, script), "kind": "post_review"}
    return results, ids


def mixed_run(base, out, args):
    """POST /api/study-sessions and GET /dashboard/stats loaded at the same time,
    each with half the connections."""
    connections = max(1, args.connections // 2)
    script = lua_script(out, "post_session", "POST", NEW_SESSION_BODY)
    commands = {
        "mixed: POST /api/study-sessions": (base + "/api/study-sessions", script),
        "mixed: GET /dashboard/stats": (base + "/dashboard/stats", None),
    }
    log(f"  mixed run: {', '.join(commands)}, {connections} connections each")
    results = {}
    for duration in (1, args.duration):  # warm-up, then the measured run
        running = {label: subprocess.Popen(wrk_command(url, duration, connections, script),
                                           stdout=subprocess.PIPE, text=True)
                   for label, (url, script) in commands.items()}
        try:
            outputs = {label: process.communicate()[0] for label, process in running.items()}
        finally:
            for process in running.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()
        results = {label: parse_wrk(output) for label, output in outputs.items()}
    return results


def count_sessions(base):
    """total_sessions, once it has stopped moving: requests a load run left
    queued in the server may still be committing after the load tool ends."""
    count = None
    while True:
        latest = http_json(base, "GET", "/api/dashboard/stats")["total_sessions"]
        if latest == count:
            return count
        count = latest
        time.sleep(0.5)


def count_session_rows(db_path):
    """The rows themselves, read straight from the file (read-only)."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM study_sessions").fetchone()[0]
    finally:
        connection.close()


def exactness_check(base, db_path, threads=8, per_thread=100):
    """Creates sessions from several threads over keep-alive connections and
    checks that the sessions stored equal the 201s received."""
    log(f"  exactness check: {threads} threads x {per_thread} POST /api/study-sessions")
    before, rows_before = count_sessions(base), count_session_rows(db_path)
    statuses, errors, lock = {}, [], threading.Lock()
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps(NEW_SESSION_BODY)

    def client():
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            for _ in range(per_thread):
                try:
                    connection.request("POST", "/api/study-sessions", body,
                                       {"Content-Type": "application/json"})
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as error:
                    connection.close()  # the next request opens a new one
                    with lock:
                        errors.append(repr(error))
                    continue
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            connection.close()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stored = count_sessions(base) - before
    rows = count_session_rows(db_path) - rows_before
    received = statuses.get(201, 0)
    return {
        "stored": stored,
        "rows": rows,
        "received": received,
        "non_2xx": sum(count for status, count in statuses.items() if not 200 <= status < 300),
        "statuses": statuses,
        "errors": errors,
        "ok": stored == received == rows,
    }


def count_in_logs(paths, text):
    return sum(Path(path).read_text(errors="replace").count(text) for path in paths
               if Path(path).exists())


# ------------------------------------------------------------------- report

def fmt(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def row_verdict(kind, large, vs_bare, vs_small):
    """PASS, or MISS with the targets missed."""
    missed = []
    floor = {"get": GET_VS_BARE, "variant": GET_VS_BARE, "not_modified": NOT_MODIFIED_VS_BARE,
             "post_session": POST_SESSION_VS_BARE, "post_review": POST_REVIEW_VS_BARE,
             "mixed": MIXED_VS_BARE}[kind]
    if vs_bare < floor:
        missed.append(f"large/bare < {floor}")
    if kind == "post_session" and (large["p99"] is None or large["p99"] >= POST_SESSION_P99_MS):
        missed.append(f"p99 >= {POST_SESSION_P99_MS} ms")
    if vs_small is not None and vs_small < LARGE_VS_SMALL:
        missed.append(f"large/small < {LARGE_VS_SMALL}")
    if large["non_2xx"]:
        missed.append("non-2xx")
    if large["socket_errors"]:
        missed.append("socket errors")
    return "PASS" if not missed else "MISS: " + ", ".join(missed)


HEADER = ["route", "small req/s", "large req/s", "large/bare", "large/small",
          "p50 ms", "p99 ms (large)", "non-2xx (large)", "targets"]


def table_row(label, kind, bare, small, large):
    vs_bare = large["rps"] / bare["rps"]
    vs_small = large["rps"] / small["rps"] if small else None
    non_2xx = fmt(large["non_2xx"])
    if large["socket_errors"]:
        non_2xx += f" (+{large['socket_errors']} socket errors)"
    cells = [label, fmt(small["rps"], 0) if small else "-", fmt(large["rps"], 0),
             fmt(vs_bare, 2), fmt(vs_small, 2), fmt(large["p50"], 2), fmt(large["p99"], 2),
             non_2xx, row_verdict(kind, large, vs_bare, vs_small)]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def table(rows):
    return ["| " + " | ".join(HEADER) + " |", "|---|" + "---:|" * (len(HEADER) - 2) + "---|",
            *rows]


def variant_summary(bare, small, large):
    """One line per list route: its sort variants' worst ratios and verdicts."""
    routes = {}
    for label, figures in large.items():
        if figures["kind"] == "variant":
            routes.setdefault(label.split("?")[0], []).append(label)
    lines = ["| route | variants | lowest large/bare | lowest large/small | slowest p99 ms | PASS |",
             "|---|---:|---:|---:|---:|---:|"]
    for route, labels in routes.items():
        vs_bare = [large[label]["rps"] / bare["rps"] for label in labels]
        vs_small = [large[label]["rps"] / small[label]["rps"] for label in labels if label in small]
        passed = sum(row_verdict("variant", large[label], large[label]["rps"] / bare["rps"],
                                 large[label]["rps"] / small[label]["rps"] if label in small
                                 else None) == "PASS" for label in labels)
        worst = min(labels, key=lambda label: large[label]["rps"])
        lines.append(f"| {route} | {len(labels)} | {min(vs_bare):.2f} | "
                     f"{min(vs_small) if vs_small else 0:.2f} | "
                     f"{max(large[label]['p99'] or 0 for label in labels):.2f} | "
                     f"{passed} of {len(labels)} (slowest: `{worst.split('?')[1]}`) |")
    return lines


def report(run, bare, small, large, mixed, check, logs):
    """The Markdown report; returns (text, count of rows that missed a target)."""
    first, last = run["bare_runs"]
    ids = run["large_ids"]
    lines = [
        "# Lang Portal API benchmark",
        "",
        f"{run['date']} · {run['duration']} s per route, {run['variant_duration']} s per sort "
        f"variant and per 304 · {run['connections']} connections · gunicorn {run['workers']} "
        f"workers · nproc {run['nproc']} · code {run['code']}",
        "",
        f"Load average (1, 5, 15 min) at start: {run['load'][0]}, at end: {run['load'][1]}.",
        "",
        f"**Bare Flask app** (constant JSON, same gunicorn settings, measured first and last "
        f"in this run; the ratios use the mean): {fmt(bare['rps'], 0)} req/s, "
        f"p50 {fmt(bare['p50'], 2)} ms, p99 {fmt(bare['p99'], 2)} ms, "
        f"non-2xx {bare['non_2xx']} (first: {fmt(first['rps'], 0)} req/s, p50 "
        f"{fmt(first['p50'], 2)} ms, p99 {fmt(first['p99'], 2)} ms; last: "
        f"{fmt(last['rps'], 0)} req/s, p50 {fmt(last['p50'], 2)} ms, "
        f"p99 {fmt(last['p99'], 2)} ms).",
        "",
        f"Small database: the seed. Large database: the seed + {run['sizes']['words']:,} words "
        f"in {run['sizes']['groups']} groups, {run['sizes']['sessions']:,} sessions, "
        f"{run['sizes']['reviews']:,} reviews (built {run['built']}). "
        f"Routes and sort keys come from the API's OpenAPI document. Path ids: "
        + ", ".join(f"{{{name}}} = {IDS[name]} (large #{ids[name]}, small "
                    f"#{run['small_ids'][name]})" for name in IDS) + ". "
        "The frontend's alias paths run the same handlers as their /api twins and are "
        "measured once each, page 1 in their default order; every /api list is measured at "
        "every sort key, both orders, page 1 and its last page.",
        "",
        "**Routes**",
        "",
    ]
    rows = {}
    for label, figures in large.items():
        small_figures = small.get(label) if figures["kind"] != "not_modified" else None
        rows[label] = table_row(label, figures["kind"], bare, small_figures, figures)
    by_kind = {kind: [row for label, row in rows.items() if large[label]["kind"] == kind]
               for kind in ("get", "variant", "not_modified", "post_session", "post_review")}
    lines += table(by_kind["get"] + by_kind["post_session"] + by_kind["post_review"])
    lines += ["", "**Sort variants**, summary (every row is below):", ""]
    lines += variant_summary(bare, small, large)
    lines += ["", "**Conditional GET**: the same request with a current If-None-Match "
                  "(304 Not Modified), large database:", ""]
    lines += table(by_kind["not_modified"])
    lines += ["", f"**Mixed run** on the large database ({max(1, run['connections'] // 2)} "
                  "connections each, at the same time):", ""]
    mixed_rows = [table_row(label, "mixed", bare, None, {**figures, "kind": "mixed"})
                  for label, figures in mixed.items()]
    lines += table(mixed_rows)

    verdict = "OK" if check["ok"] else "MISMATCH"
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(check["statuses"].items()))
    all_rows = list(rows.values()) + mixed_rows
    missed = sum("MISS" in row for row in all_rows)
    lines += [
        "",
        f"**Exactness check** (8 threads x 100 POST /api/study-sessions, keep-alive): "
        f"sessions stored: {check['stored']}, 201s received: {check['received']} -> {verdict} "
        f"(rows in study_sessions: +{check['rows']}; statuses {statuses}; "
        f"non-2xx: {check['non_2xx']}; connection errors: {len(check['errors'])})",
        "",
        f"**Server logs**: 'database is locked': {logs['locked']} · tracebacks: "
        f"{logs['tracebacks']} · worker timeouts: {logs['timeouts']} (in {run['out']}/logs/)",
        "",
        f"Targets: {len(all_rows) - missed} of {len(all_rows)} rows PASS.",
        "",
        "**Every sort variant**",
        "",
    ]
    lines += table(by_kind["variant"])
    return "\n".join(lines) + "\n", missed


def code_version():
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PROJECT_DIR, capture_output=True, text=True).stdout.strip()
        return commit + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --------------------------------------------------------------------- main

def measure_bare(log_path, args):
    with serve("the bare app", "bare_app:app", log_path, args.workers, ready_path="/") as base:
        log("  GET /")
        return run_wrk(base + "/", args.duration, args.connections)


def mean_figures(first, last):
    """The bare app is measured first and last; the ratios use the mean, which
    evens out some of a shared machine's drift."""
    return {key: (first[key] + last[key]) / 2 if isinstance(first[key], float) else
            first[key] + last[key] for key in ("rps", "p50", "p99", "non_2xx", "socket_errors")}


def load_average():
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5,
                        help="seconds per route (and per POST, mixed run, bare app)")
    parser.add_argument("--variant-duration", type=int, default=2,
                        help="seconds per sort variant and per 304 (there are hundreds)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--quick", action="store_true",
                        help="a smaller large database: 1,000 words, 5,000 sessions, 100,000 reviews")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results",
                        help="folder for databases, logs and results.md")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the large database")
    args = parser.parse_args()
    if min(args.duration, args.variant_duration, args.connections, args.workers) < 1:
        parser.error("--duration, --variant-duration, --connections and --workers must be "
                     "at least 1")
    return args


def main():
    args = parse_args()
    if not GUNICORN.exists():
        sys.exit(f"gunicorn not found at {GUNICORN}: install the requirements in this Python's venv")
    if not shutil.which("wrk"):
        sys.exit("wrk not found: install it (Debian/Ubuntu: apt install wrk)")
    out = args.out.resolve()
    (out / "logs").mkdir(parents=True, exist_ok=True)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    logs = {name: out / "logs" / f"{stamp}-{name}.log" for name in ("bare", "small", "large")}

    small_db, large_db, built = build_databases(out, sizes, args.rebuild)
    load_before = load_average()
    bare_first = measure_bare(logs["bare"], args)
    with serve("the API on the small database", "app:create_app()", logs["small"],
               args.workers, small_db) as base:
        small, small_ids = measure_routes(base, out, args, large=False)
    with serve("the API on the large database", "app:create_app()", logs["large"],
               args.workers, large_db) as base:
        large, large_ids = measure_routes(base, out, args, large=True)
        mixed = mixed_run(base, out, args)
        check = exactness_check(base, large_db)
    bare_last = measure_bare(logs["bare"], args)
    bare = mean_figures(bare_first, bare_last)

    run = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "duration": args.duration, "variant_duration": args.variant_duration,
        "connections": args.connections, "workers": args.workers,
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "code": code_version(), "sizes": sizes, "built": built, "out": out,
        "small_ids": small_ids, "large_ids": large_ids, "bare_runs": (bare_first, bare_last),
        "load": (load_before, load_average()),
    }
    log_counts = {"locked": count_in_logs(logs.values(), "database is locked"),
                  "tracebacks": count_in_logs(logs.values(), "Traceback"),
                  "timeouts": count_in_logs(logs.values(), "WORKER TIMEOUT")}
    text, missed = report(run, bare, small, large, mixed, check, log_counts)
    (out / "results.md").write_text(text)
    raw = {"run": run, "bare": bare, "small": small, "large": large, "mixed": mixed,
           "exactness": check, "logs": log_counts}
    (out / "results.json").write_text(json.dumps(raw, indent=2, default=str) + "\n")
    print(text, end="")
    log(f"Written to {out / 'results.md'}")
    if check["errors"]:
        log(f"Exactness check connection errors (first 5): {check['errors'][:5]}")
    if not check["ok"]:
        sys.exit(1)


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # so that the servers are stopped on the way out


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        main()
    except subprocess.CalledProcessError as error:
        sys.exit(f"Failed: {' '.join(map(str, error.cmd))} exited with {error.returncode}")
    except KeyboardInterrupt:
        sys.exit("Interrupted; the servers were stopped.")
