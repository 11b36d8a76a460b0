"""The SQLite connections: the one each request uses, kept in a pool per file
(transactions: lib/store/transactions.py)."""
import logging
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

from flask import current_app, g

from lib.base.errors import ApiError
from lib.store import checkpoints

log = logging.getLogger(__name__)
SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
BUSY_TIMEOUT_SECONDS = 10
# Connections kept open between requests, per database file; more are closed.
MAX_IDLE = 8
# What a failing database raises, for the few callers that must go on without it.
DatabaseError = sqlite3.Error


def file_id(path):
    """The identity of the file at path, or None when there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino)


def connect(path):
    # isolation_level=None: no implicit transactions; writes use transaction().
    # check_same_thread=False: a pooled connection serves one request at a
    # time, but not always in the thread that opened it.
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                         check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    # In WAL mode, NORMAL loses nothing when the process dies; only a power cut
    # can take back the commits since the last checkpoint (see lib/store/checkpoints.py).
    db.execute("PRAGMA synchronous = NORMAL")
    # A statement that fires triggers (every write: sql/schema.sql) keeps a
    # journal to undo just itself; past 64 KiB SQLite writes it to a temporary
    # file, which took demo-data from 3.5 to 10 s in the kernel. In memory it
    # costs what the statement changes: a page or two for a request.
    db.execute("PRAGMA temp_store = MEMORY")
    return db


class Pool:
    """Connections to one database file kept open between requests, whatever
    thread serves them: a new SQLite connection starts with an empty page
    cache and must open the WAL again, which measured 490 us against 70 us for
    a page of words on the large demo database (see README, Performance).
    A server that starts a thread per request (the development server) reuses
    them too, and no more than MAX_IDLE stay open.

    Requests never checkpoint: after a write, a timer thread does (see
    lib/store/checkpoints.py)."""

    def __init__(self, path):
        self.path = path
        self.file_id = file_id(path)
        self.idle = []  # the most recently used last
        self.lock = threading.Lock()
        self.changes_seen = {}  # connection: its total_changes when last checked in
        self.checkpoint_timer = None

    def checkout(self):
        # A file moved over ours (a backup restored while we run) or removed:
        # our connections would write into a deleted file, and new ones would
        # read the old file's WAL into the new one. Refuse until the server is
        # restarted (under gunicorn --preload, self.file_id is the one the
        # server started with, in every worker it ever starts).
        if file_id(self.path) != self.file_id:
            log.error("%s was replaced or removed while the server ran: stop the server, delete "
                      "%s-wal and %s-shm (they are the old file's), and start it again",
                      self.path, self.path, self.path)
            raise ApiError(503, "Database unavailable: its file was replaced; restart the server")
        with self.lock:
            if self.idle:
                return self.idle.pop()
        db = connect(self.path)
        db.execute("PRAGMA wal_autocheckpoint = 0")
        return db

    def checkin(self, db):
        if db.in_transaction:
            db.execute("ROLLBACK")
        if db.total_changes != self.changes_seen.get(db, 0):
            self.changes_seen[db] = db.total_changes
            self.schedule_checkpoint()
        with self.lock:
            if len(self.idle) < MAX_IDLE:
                self.idle.append(db)
                return
        self.changes_seen.pop(db, None)
        db.close()

    def schedule_checkpoint(self):
        with self.lock:
            if self.checkpoint_timer is not None:
                return  # one is due already: no new Timer (16 us) on every write
            timer = self.checkpoint_timer = threading.Timer(checkpoints.DELAY_SECONDS,
                                                            self.checkpoint)
        timer.daemon = True
        timer.start()

    def checkpoint(self):
        """Runs in the timer thread: see lib/store/checkpoints.py copy_wal."""
        with self.lock:
            self.checkpoint_timer = None
        if file_id(self.path) != self.file_id:
            return  # replaced or removed: checkout refuses it already
        try:
            with closing(connect(self.path)) as db:
                checkpoints.copy_wal(db)
        except sqlite3.Error:
            log.exception("checkpoint of %s failed", self.path)

    def close(self):
        with self.lock:
            idle, self.idle = self.idle, []
            timer, self.checkpoint_timer = self.checkpoint_timer, None
        if timer is not None:
            timer.cancel()
        for db in idle:
            db.close()
        self.changes_seen.clear()


def get_db():
    """The connection for this request, on flask.g, from the app's pool."""
    if "db" not in g:
        g.db = current_app.extensions["db_pool"].checkout()
    return g.db


def close_db(exception=None):
    """Ends the request's use of its connection; a transaction never outlives it."""
    db = g.pop("db", None)
    if db is not None:
        current_app.extensions["db_pool"].checkin(db)


def streamed(make_chunks):
    """A generator of make_chunks(connection)'s chunks, for an answer streamed
    after its request has ended: on a connection of its own from the pool,
    which goes back when the stream ends or the server closes it (the client
    went away), not held by the request (whose teardown comes first)."""
    pool = current_app.extensions["db_pool"]

    def stream():
        db = pool.checkout()
        try:
            yield from make_chunks(db)
        finally:
            pool.checkin(db)

    return stream()


def placeholders(values):
    """"?, ?, ?": one parameter for each value, for an IN (...) list."""
    return ", ".join("?" * len(values))


def current_revision():
    """The value every change of a row changes; None when it cannot be read
    (the route then runs, and fails in its own way: a 503 for the health check)."""
    try:
        return get_db().execute("SELECT value FROM revision").fetchone()[0]
    except sqlite3.Error:
        return None


def check_health():
    """A 503 unless the database opens and answers a read of the counters."""
    try:
        get_db().execute("SELECT count(*) FROM review_stats").fetchone()
    except sqlite3.Error:
        raise ApiError(503, "Database unavailable") from None
    return {"status": "ok"}


def run_script(db, name):
    """Runs sql/<name> statement by statement, inside the caller's transaction
    (sqlite3's executescript would commit it first)."""
    statement = ""
    for line in (SQL_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def init_app(app):
    app.extensions["db_pool"] = Pool(app.config["DATABASE"])
    app.teardown_appcontext(close_db)
