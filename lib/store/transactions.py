"""Transactions: all or nothing, each holding SQLite's write lock from its start."""
import sqlite3
import threading
import time
from contextlib import contextmanager

from flask import has_request_context

from lib.base.errors import ApiError
from lib.store import db as database

# How long a write waits for the write lock (begin_immediate). A request's
# write waits briefly: under sync workers, one that waits holds up a worker
# the reads need. A command or an upgrade waits for whatever holds it.
REQUEST_WRITE_WAIT_SECONDS = 1
REQUEST_WRITE_WAIT_WHILE_HELD_SECONDS = 0.05
COMMAND_WRITE_WAIT_SECONDS = 600


@contextmanager
def transaction(db):
    """All or nothing. BEGIN IMMEDIATE takes the write lock at the start, so
    concurrent writers wait for it there instead of failing midway.
    The revision, which every GET's ETag is made from (lib/http/conditional.py),
    is changed by the tables' triggers (sql/schema.sql) with every row whose
    values change: not here, where an UPDATE that sets the values a row holds
    (a retry) would count as a change too."""
    begin_immediate(db)
    try:
        yield db
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


# Set when a request's write waited REQUEST_WRITE_WAIT_SECONDS in vain: a long
# write of another process (a command) holds the lock. Until a write gets it
# again, requests' writes wait only REQUEST_WRITE_WAIT_WHILE_HELD_SECONDS and
# answer 503 at once, instead of each holding up a worker for the full wait
# while the reads queue behind them.
lock_held_long = threading.Event()


def write_wait():
    """How long a write waits for the lock: in a request briefly, and only
    REQUEST_WRITE_WAIT_WHILE_HELD_SECONDS while lock_held_long; in a command
    or an upgrade at start, as long as another command may take."""
    if not has_request_context():
        return COMMAND_WRITE_WAIT_SECONDS
    if lock_held_long.is_set():
        return REQUEST_WRITE_WAIT_WHILE_HELD_SECONDS
    return REQUEST_WRITE_WAIT_SECONDS


def begin_immediate(db):
    """BEGIN IMMEDIATE, waiting up to write_wait() for another writer. SQLite's
    own busy handler sleeps 1, 2, 5, 10 ... up to 100 ms between tries, so a
    writer often slept on after the lock was free: with two gunicorn workers
    on the large demo database, trying again every millisecond at most took
    POST /api/study-sessions from 640-775 to 860-950 req/s (p99 16-20 ms to
    13-16 ms). A 503 with Retry-After when the lock stays taken."""
    db.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + write_wait()
        pause = 0.0001
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                lock_held_long.clear()
                return
            except sqlite3.OperationalError as error:
                if db.in_transaction or "locked" not in str(error):
                    raise
            if time.monotonic() >= deadline:
                if has_request_context():
                    lock_held_long.set()
                error = ApiError(503, "Database busy: another write holds it; try again")
                error.headers["Retry-After"] = "1"
                raise error
            time.sleep(pause)
            pause = min(pause * 2, 0.001)
    finally:
        db.execute(f"PRAGMA busy_timeout = {database.BUSY_TIMEOUT_SECONDS * 1000}")
