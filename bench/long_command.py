"""Reads and writes while a long command holds the write lock. gunicorn (sync
workers, as the README runs it) serves a fresh database; 2 clients create
sessions in a loop (waiting the Retry-After of a 503), 3 read in a loop
(health, a page of words, the dashboard's stats), and `flask demo-data`
writes for several seconds in one transaction. Prints the reads' latency
while the command ran, and the writes' answers.

    .venv/bin/python bench/long_command.py [--workers 2] [--reviews 200000]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PROJECT_DIR, http_json, serve  # noqa: E402

READS = ("/api/health", "/api/words", "/api/dashboard/stats")
NEW_SESSION = {"group_id": 1, "study_activity_id": 1}


def status_of(base, method, path, body=None):
    try:
        http_json(base, method, path, body, timeout=60)
        return 201 if method == "POST" else 200
    except urllib.error.HTTPError as error:
        return error.code


def load(base, stop, reads, writes):
    def writer():
        while not stop.is_set():
            status = status_of(base, "POST", "/api/study-sessions", NEW_SESSION)
            writes[status] = writes.get(status, 0) + 1
            if status == 503:
                time.sleep(1)  # its Retry-After

    def reader():
        while not stop.is_set():
            for path in READS:
                started = time.monotonic()
                status_of(base, "GET", path)
                reads.append((started, time.monotonic() - started))

    threads = [threading.Thread(target=writer) for _ in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    return threads


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reviews", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "words.db"
        with serve("the API", "app:create_app()", Path(folder) / "server.log", args.workers,
                   db_path) as base:
            stop, reads, writes = threading.Event(), [], {}
            threads = load(base, stop, reads, writes)
            time.sleep(2)
            started = time.monotonic()
            command = subprocess.run(
                [str(Path(sys.executable).parent / "flask"), "--app", "app", "demo-data",
                 "--words", "2000", "--groups", "5", "--sessions", "10000",
                 "--reviews", str(args.reviews)],
                cwd=PROJECT_DIR, env={**os.environ, "LANG_PORTAL_DB": str(db_path)},
                capture_output=True, text=True, check=True)
            ended = time.monotonic()
            time.sleep(2)
            stop.set()
            for thread in threads:
                thread.join()
    during = sorted(took for at, took in reads if started <= at <= ended)
    print(f"demo-data held the write lock for about {ended - started:.1f} s "
          f"({command.stdout.strip().splitlines()[-1] if command.stdout.strip() else 'done'})")
    print(f"reads while it ran: {len(during)}, median {statistics.median(during) * 1000:.1f} ms, "
          f"p99 {during[int(len(during) * 0.99)] * 1000:.0f} ms, max {during[-1] * 1000:.0f} ms")
    print("writes, all the run: " + ", ".join(f"{count} answered {status}"
                                              for status, count in sorted(writes.items())))


if __name__ == "__main__":
    main()
