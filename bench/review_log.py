"""The review log and its exports on a large database (flask --app app
demo-data: 1,000,000 answers), with figures printed, never checked:

- GET /api/reviews, the first page and the page at the millionth answer,
  under gunicorn with wrk, each beside the bare app (bench/bare_app.py);
- flask --app app export-reviews of the whole history (CSV and NDJSON):
  wall time and peak memory (/usr/bin/time's maxrss) against a flask
  command that only starts the app;
- flask --app app export-deck of the largest group.

    python bench/review_log.py DATABASE [--duration 10] [--workers 2]

The database is only read. Needs gunicorn next to this python, and wrk.
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import PROJECT_DIR, log, run_wrk, serve

sys.path.insert(0, str(PROJECT_DIR))
from lib.queries.reviews import encode_cursor  # noqa: E402

FLASK = Path(sys.executable).parent / "flask"


def deep_cursor(db_path, answers_before):
    """The cursor after which the newest-first log reaches its answers_before-th answer."""
    connection = sqlite3.connect(db_path)
    try:
        total = connection.execute("SELECT count(*) FROM word_review_items").fetchone()[0]
        offset = min(answers_before, total - 50)
        at, review_id = connection.execute(
            """SELECT created_at, id FROM word_review_items INDEXED BY word_review_items_time
               ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?""", (offset - 1,)).fetchone()
        largest = connection.execute(
            "SELECT id, words_count FROM groups ORDER BY words_count DESC LIMIT 1").fetchone()
    finally:
        connection.close()
    return encode_cursor(at, review_id), offset, total, largest


def command_figures(args, db_path):
    """(wall seconds, peak RSS in MB) of a flask command in its own process,
    as /usr/bin/time reads it (getrusage's maxrss)."""
    env = {**os.environ, "LANG_PORTAL_DB": str(db_path)}
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", str(FLASK), "--app", "app", *args],
                            cwd=PROJECT_DIR, env=env, check=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    return wall, int(result.stderr.strip().splitlines()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    db_path = Path(args.database).resolve()
    cursor, offset, total, (group_id, group_words) = deep_cursor(db_path, 1_000_000)
    pages = {"first page": "/api/reviews",
             f"page after answer {offset:,} of {total:,}": f"/api/reviews?cursor={cursor}"}
    out = Path(tempfile.mkdtemp(prefix="review-log-bench-"))
    figures = {}
    with serve("the bare app", "bare_app:app", out / "bare.log", args.workers,
               ready_path="/") as base:
        figures["bare app"] = run_wrk(base + "/", args.duration, args.connections)
    with serve("the API", "app:create_app()", out / "api.log", args.workers,
               db_path=db_path) as base:
        for label, path in pages.items():
            log(f"  GET {path}")
            figures[label] = run_wrk(base + path, args.duration, args.connections)
    with serve("the bare app", "bare_app:app", out / "bare.log", args.workers,
               ready_path="/") as base:
        figures["bare app (again)"] = run_wrk(base + "/", args.duration, args.connections)
    bare = (figures["bare app"]["rps"] + figures["bare app (again)"]["rps"]) / 2
    print(f"GET /api/reviews under gunicorn -w {args.workers}, wrk -c{args.connections} "
          f"-d{args.duration}s; load average {os.getloadavg()[0]:.1f}")
    print("| what | req/s | p50 ms | p99 ms | of the bare app |\n|---|---:|---:|---:|---:|")
    for label, result in figures.items():
        print(f"| {label} | {result['rps']:,.0f} | {result['p50']} | {result['p99']} | "
              f"{result['rps'] / bare:.2f} |")

    target = out / "export"
    start_only = command_figures(["routes"], db_path)
    print(f"\nA flask command that only starts (flask routes): {start_only[0]:.1f} s, "
          f"peak {start_only[1]:.0f} MB")
    print("| command | wall s | peak MB | MB over a bare start |\n|---|---:|---:|---:|")
    for suffix in ("csv", "ndjson"):
        wall, peak = command_figures(["export-reviews", f"{target}.{suffix}"], db_path)
        size = Path(f"{target}.{suffix}").stat().st_size / 1e6
        print(f"| export-reviews .{suffix} ({total:,} answers, {size:.0f} MB) | {wall:.1f} | "
              f"{peak:.0f} | {peak - start_only[1]:.0f} |")
    wall, peak = command_figures(["export-deck", str(group_id), f"{target}.apkg"], db_path)
    print(f"| export-deck {group_id} ({group_words:,} words) | {wall:.1f} | {peak:.0f} | "
          f"{peak - start_only[1]:.0f} |")


if __name__ == "__main__":
    main()
