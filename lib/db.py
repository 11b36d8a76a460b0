"""The SQLite database: the connection each request uses, transactions, schema and seed."""
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, g

from lib.vocabulary import load_seed

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
BUSY_TIMEOUT_SECONDS = 10


def connect(path):
    # isolation_level=None: no implicit transactions; writes use transaction().
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    # In WAL mode, NORMAL loses nothing when the process dies; only a power cut
    # can take the last commits back.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


_thread = threading.local()


def get_db():
    """The connection for this request, on flask.g.

    It is the worker thread's own connection, kept open from one request to
    the next: a new SQLite connection starts with an empty page cache and
    must open the WAL again, which measured 490 us against 70 us for a page of
    words on the large demo database (see README, Performance)."""
    if "db" not in g:
        g.db = thread_connection(current_app.config["DATABASE"])
    return g.db


def thread_connection(path):
    current = getattr(_thread, "connection", None)
    if current is None or _thread.path != path:
        if current is not None:
            current.close()
        _thread.connection, _thread.path = connect(path), path
    return _thread.connection


def close_db(exception=None):
    """Ends the request's use of the connection; a transaction never outlives it."""
    db = g.pop("db", None)
    if db is not None and db.in_transaction:
        db.execute("ROLLBACK")


@contextmanager
def transaction(db):
    """All or nothing. BEGIN IMMEDIATE takes the write lock at the start, so
    concurrent writers queue on the busy timeout instead of failing midway."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def run_script(db, name):
    """Runs sql/<name> statement by statement, inside the caller's transaction
    (sqlite3's executescript would commit it first)."""
    statement = ""
    for line in (SQL_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def has_schema(db):
    return db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'words'"
    ).fetchone() is not None


def drop_all(db):
    # Newest first: a table goes before the tables its foreign keys point to.
    tables = [row["name"] for row in db.execute(
        """SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           ORDER BY rowid DESC""")]
    for table in tables:
        db.execute(f'DROP TABLE "{table}"')


def open_database(path, rebuild=False):
    """Creates the schema and seed data when they are missing (or, with rebuild,
    always). Safe when several server workers start at once on a new file:
    the first takes the write lock and seeds, the others wait and find it done.
    Returns what it made ({"tables": 8, "groups": 2, ...}) when it did, else None."""
    db = connect(path)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        with transaction(db):
            if has_schema(db) and not rebuild:
                return None
            drop_all(db)
            run_script(db, "schema.sql")
            tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            return {"tables": tables, **load_seed(db)}
    finally:
        db.close()


def init_app(app):
    app.teardown_appcontext(close_db)
