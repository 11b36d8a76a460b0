"""The Lang Portal API benchmark: the API on a small and a large database,
each figure beside a bare Flask app measured in the same run.

    python bench/run.py                 # full sizes (~20 min on 2 cores)
    python bench/run.py --quick --duration 2 --variant-duration 1

Every GET route and sort key comes from the API's OpenAPI document, so routes
added later are measured without a change here. Each route is measured for
--duration seconds, each of the hundreds of sort variants (sort key x order x
first/last page) and each 304 for --variant-duration seconds.

Beside the API, bench/floor_app.py serves the API's own data layer for the
hardest goals (a group's whole word list, a new session, a review batch)
without its HTTP layer: how far the API could go with its SQL as it is.

Needs gunicorn next to the python it runs with, and `wrk` (Debian: apt install wrk).
Databases, logs, Lua scripts, results.md and results.json (every figure) go to
--out (default bench/results/).
Progress goes to stderr, the Markdown table to stdout and <out>/results.md.
Exits 1 when the sessions stored differ from the 201s received.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from databases import FULL_SIZES, QUICK_SIZES, build_databases
from harness import (
    BENCH_DIR,
    GUNICORN,
    PROJECT_DIR,
    http_json,
    log,
    lua_script,
    parse_wrk,
    run_wrk,
    serve,
    wrk_command,
)
from report import report

# The GET routes come from the API's own OpenAPI document (discover_gets): every
# GET operation, its path ids filled with real ids (report.IDS), and for a list every
# sort_by value x both orders x {page 1, last page}. The frontend's alias paths
# run the same handlers as their /api twins: each is measured once, page 1 in
# its default order.
POST_SESSION = "POST /api/study-sessions"
POST_REVIEW = "POST /api/study-sessions/{review_session}/review (10 reviews)"
GROUP_WORDS = "GET /api/groups/{group_id}/words/raw"
NEW_SESSION_BODY = {"group_id": 1, "study_activity_id": 1}


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
    session (report.IDS says which)."""
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
        if operation is None or "application/json" not in operation["responses"]["200"]["content"]:
            continue  # a file (an export, a deck): bench/review_log.py measures them
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

    results.update(measure_posts(base, out, args, ids))
    return results, ids


def measure_posts(base, out, args, ids):
    """A new session, then batches of 10 answers in one session; sets
    ids["review_session"]."""
    log(f"  {POST_SESSION}")
    script = lua_script(out, "post_session", "POST", NEW_SESSION_BODY)
    results = {POST_SESSION: {**run_wrk(base + "/api/study-sessions", args.duration,
                                        args.connections, script), "kind": "post_session"}}
    ids["review_session"] = http_json(base, "POST", "/api/study-sessions", NEW_SESSION_BODY)["id"]
    log(f"  {POST_REVIEW.format(**ids)}")
    script = lua_script(out, "post_review", "POST", review_body(base))
    results[POST_REVIEW] = {**run_wrk(
        base + f"/api/study-sessions/{ids['review_session']}/review", args.duration,
        args.connections, script), "kind": "post_review"}
    return results


def measure_floor(db_path, out, args, log_path, large_ids):
    """bench/floor_app.py, the data layer alone, on its own fresh copy of the
    large database: the goals the API finds hardest, with the same requests."""
    path = GROUP_WORDS.removeprefix("GET ").format(**large_ids)
    with serve("the data layer alone", "bench.floor_app:app", log_path, args.workers, db_path,
               ready_path=path) as base:
        log(f"  GET {path}")
        results = {GROUP_WORDS: {**run_wrk(base + path, args.duration, args.connections),
                                 "kind": "get"}}
        results.update(measure_posts(base, out, args, {}))
    return results


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
    logs = {name: out / "logs" / f"{stamp}-{name}.log"
            for name in ("bare", "small", "large", "floor")}

    small_db, large_db, floor_db, built = build_databases(out, sizes, args.rebuild)
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
    floor = measure_floor(floor_db, out, args, logs["floor"], large_ids)
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
    text, missed = report(run, bare, small, large, mixed, floor, check, log_counts)
    (out / "results.md").write_text(text)
    raw = {"run": run, "bare": bare, "small": small, "large": large, "mixed": mixed,
           "floor": floor, "exactness": check, "logs": log_counts}
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
