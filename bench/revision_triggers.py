"""What the revision triggers (sql/schema.sql: every row changed changes the
revision) cost the largest write, `flask demo-data`: run on a fresh database
with the triggers and on one whose triggers were dropped by hand, in turn.
Prints each run's wall, user and system seconds (the CPU times are the
figures to compare on a shared machine).

    .venv/bin/python bench/revision_triggers.py [--reviews 300000] [--rounds 2]
"""
import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def fresh_database(folder, triggers):
    path = Path(folder) / f"{'with' if triggers else 'without'}-triggers.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "LANG_PORTAL_DB": str(path)}
    subprocess.run([*FLASK, "init-db"], cwd=PROJECT_DIR, env=env, check=True, capture_output=True)
    if not triggers:
        with closing(sqlite3.connect(path)) as db, db:
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")\
                    .fetchall():
                db.execute(f'DROP TRIGGER "{name}"')
    return env


def timed_demo_data(env, reviews):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*FLASK, "demo-data", "--words", "10000", "--sessions", "20000",
                    "--reviews", str(reviews)], cwd=PROJECT_DIR, env=env, check=True,
                   capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (time.perf_counter() - start, after.ru_utime - before.ru_utime,
            after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for triggers in (True, False):
                env = fresh_database(folder, triggers)
                wall, user, system = timed_demo_data(env, args.reviews)
                label = "with triggers   " if triggers else "without triggers"
                print(f"demo-data, {args.reviews} answers, {label}: {wall:5.1f} s wall, "
                      f"{user:5.1f} s user, {system:4.1f} s system", flush=True)


if __name__ == "__main__":
    main()
