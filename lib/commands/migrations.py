"""The schema version and opening a database: create a new one (schema and
seed), or upgrade an older one in place.

A database's version is its PRAGMA user_version. Release 1 had none (0);
each file sql/migrations/NNN_name.sql upgrades version NNN-1 to NNN, and
sql/schema.sql is the schema at the latest version, for new databases."""
import os
import sqlite3
from pathlib import Path

from lib.inventory.word_rows import load_seed
from lib.scheduler import parameters, scheduling
from lib.store.db import SQL_DIR, connect, run_script
from lib.store.transactions import transaction

STEPS = sorted(SQL_DIR.glob("migrations/[0-9][0-9][0-9]_*.sql"))
LATEST = int(STEPS[-1].name[:3]) if STEPS else 0


def compute_cards(db):
    """Step 2: every word's FSRS card from its history, with the settings of
    the environment (flask --app app reschedule rebuilds them later)."""
    settings = scheduling.settings_from_env()
    scheduling.rebuild_cards(db, parameters.stored_scheduler(db, settings["DESIRED_RETENTION"]))


# Python that fills in what a step added: {version: function(db)}. It is
# today's code, written for today's schema, so it runs after the last SQL
# step, in the same transaction, for each step the upgrade crossed.
AFTER_STEP = {2: compute_cards}


class DatabaseMissing(Exception):
    pass


class DatabaseUnusable(RuntimeError):
    """The file cannot be used as the database; it was left as it was."""


def database_setting(path):
    """LANG_PORTAL_DB: the path of the database file, in a folder that exists
    (the file itself need not: the server's first start creates it). SQLite
    would take '' and ':memory:' as a temporary database, a new one on each
    connection, and say only 'unable to open database file' for a folder."""
    if not path.strip():
        raise ValueError("LANG_PORTAL_DB must be the path of the database file, not empty")
    if path == ":memory:":
        raise ValueError("LANG_PORTAL_DB must be the path of the database file, not ':memory:' "
                         "(SQLite's database in memory, a new one on each connection)")
    if os.path.isdir(path) or path.endswith(("/", os.sep)):
        raise ValueError(f"LANG_PORTAL_DB must be the path of the database file, not of a "
                         f"folder: {path!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"LANG_PORTAL_DB must be a file in a folder that exists, not {path!r} "
                         f"(there is no folder {folder})")
    return path


def check_writable(path):
    """SQLite opens a file it cannot write read-only, without a word: the
    server would start, then fail every write."""
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise DatabaseUnusable(f"LANG_PORTAL_DB: {path} cannot be written: the file is read-only")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.access(folder, os.W_OK):
        raise DatabaseUnusable(f"LANG_PORTAL_DB: {path} cannot be written: its folder {folder} is "
                               "read-only (SQLite writes its -wal and -shm files there)")


def connect_checked(path):
    """connect(path), once a read of its schema worked: DatabaseUnusable
    naming the file when it is no SQLite database (a text file, say), cannot
    be read, or is another application's (tables, but none of ours: the
    first start would add ours to it). Nothing is written to it."""
    db = None
    try:
        db = connect(path)
        foreign = not has_schema(db) and db.execute("SELECT 1 FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        if db is not None:
            db.close()
        if error.sqlite_errorname == "SQLITE_NOTADB":
            raise DatabaseUnusable(f"LANG_PORTAL_DB: {path} is not an SQLite database") from None
        raise DatabaseUnusable(f"LANG_PORTAL_DB: {path} cannot be read: {error}") from None
    if foreign:
        db.close()
        raise DatabaseUnusable(f"LANG_PORTAL_DB: {path} is another application's database: it "
                               "has tables, but not the Lang Portal's")
    return db


def schema_version(db):
    return db.execute("PRAGMA user_version").fetchone()[0]


def has_schema(db):
    return db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'words'"
    ).fetchone() is not None


def is_current(db):
    return has_schema(db) and schema_version(db) == LATEST


def open_database(path, create=True, rebuild=False):
    """Makes the database at path ready: creates schema and seed when it has
    none (only with create; a missing file is DatabaseMissing otherwise),
    upgrades an older schema, or with rebuild starts it afresh.

    A database already current is only read, so a worker starting while a
    long write runs does not wait for it. Otherwise the write lock is taken,
    and the check made again under it: when several workers start at once,
    the first creates or upgrades, the others wait and find it done.
    Returns what it did, e.g. {"created": {"groups": 2, ...}}, or None."""
    if not create and not Path(path).exists():
        raise DatabaseMissing(f"No database at {path}")
    check_writable(path)
    db = connect_checked(path)
    try:
        if is_current(db) and not rebuild:
            return None
        db.execute("PRAGMA journal_mode = WAL")
        # A table rebuild must not cascade deletes; checked before commit instead.
        db.execute("PRAGMA foreign_keys = OFF")
        with transaction(db):
            if rebuild:
                return {"rebuilt": rebuild_schema(db)}
            if not has_schema(db):
                return {"created": create_schema(db)}
            if schema_version(db) > LATEST:
                raise DatabaseUnusable(f"LANG_PORTAL_DB: {path} has schema version "
                                       f"{schema_version(db)}, newer than this release's {LATEST}: "
                                       "upgrade the code first")
            if schema_version(db) < LATEST:
                return {"upgraded": upgrade(db)}
            return None
    finally:
        db.close()


def create_schema(db):
    run_script(db, "schema.sql")
    db.execute(f"PRAGMA user_version = {LATEST}")
    tables = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()[0]
    return {"tables": tables, **load_seed(db)}


def upgrade(db):
    """Runs every step above the database's version; returns (from, to)."""
    start = schema_version(db)
    for path in STEPS:
        version = int(path.name[:3])
        if version > start:
            run_script(db, path.relative_to(SQL_DIR))
            db.execute(f"PRAGMA user_version = {version}")
    for version, fill_in in sorted(AFTER_STEP.items()):
        if version > start:
            fill_in(db)
    check_foreign_keys(db)
    return (start, LATEST)


def check_foreign_keys(db):
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the upgrade would break {len(broken)} references, e.g. {tuple(broken[0])}")


def rebuild_schema(db):
    """Drops everything and creates schema and seed, keeping the id sequences,
    so that no id given before the rebuild is ever given again."""
    sequences = saved_sequences(db)
    drop_all(db)
    made = create_schema(db)
    for name, seq in sequences:
        if not db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?",
                          (seq, name)).rowcount:
            db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))
    return made


def saved_sequences(db):
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        return []
    return db.execute("SELECT name, seq FROM sqlite_sequence").fetchall()


def drop_all(db):
    # Newest first: a table goes before the tables its foreign keys point to.
    tables = [row["name"] for row in db.execute(
        """SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           ORDER BY rowid DESC""")]
    for table in tables:
        db.execute(f'DROP TABLE "{table}"')
