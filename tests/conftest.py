import sqlite3

import pytest

from app import create_app
from lib import db as database

COUNTERS = {
    "groups": "SELECT id, words_count, sessions_count FROM groups ORDER BY id",
    "study_activities": "SELECT id, sessions_count FROM study_activities ORDER BY id",
    "study_sessions": """SELECT id, review_items_count, correct_count, wrong_count, last_activity_at
                         FROM study_sessions ORDER BY id""",
    "word_reviews": "SELECT word_id, correct_count, wrong_count, last_reviewed FROM word_reviews ORDER BY word_id",
    "review_stats": "SELECT * FROM review_stats",
}


def read_counters(connection):
    return {name: [tuple(row) for row in connection.execute(sql)] for name, sql in COUNTERS.items()}


def recounted(connection):
    """The counters as sql/recount.sql rebuilds them from the base tables (rolled back)."""
    connection.execute("BEGIN")
    try:
        database.run_script(connection, "recount.sql")
        return read_counters(connection)
    finally:
        connection.execute("ROLLBACK")


def assert_counters_consistent(path):
    connection = database.connect(path)
    try:
        assert read_counters(connection) == recounted(connection)
    finally:
        connection.close()


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "lang_portal.db")


@pytest.fixture
def app(db_path):
    app = create_app({"TESTING": True, "DATABASE": db_path})
    yield app
    # Whatever a test wrote, every counter must still agree with the history.
    assert_counters_consistent(db_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(db_path, app):
    """A direct connection to the test database, to check what was stored."""
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()
