"""Small helpers the test modules share."""
import re
import sqlite3
from contextlib import contextmanager
from urllib.parse import urlencode

from lib.scheduler import parameters, scheduling
from lib.store import db as database
from lib.store.db import get_db


def count_rows(connection, table):
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def create_session(client, group_id=1, activity_id=1, **fields):
    response = client.post("/api/study-sessions",
                           json={"group_id": group_id, "study_activity_id": activity_id, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post_reviews(client, session_id, reviews):
    """reviews: [(word_id, is_correct), ...]"""
    response = client.post(f"/api/study-sessions/{session_id}/review",
                           json={"reviews": [{"word_id": word_id, "is_correct": correct}
                                             for word_id, correct in reviews]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


COUNTERS = {
    "groups": "SELECT id, words_count, sessions_count FROM groups ORDER BY id",
    "study_activities": "SELECT id, sessions_count FROM study_activities ORDER BY id",
    "study_sessions": """SELECT id, review_items_count, correct_count, wrong_count, last_activity_at
                         FROM study_sessions ORDER BY id""",
    "word_reviews": "SELECT word_id, correct_count, wrong_count, last_reviewed FROM word_reviews ORDER BY word_id",
    "review_stats": "SELECT * FROM review_stats",
}

# Copies kept for sorting (lib/store/copies.py), rebuilt by recount.sql too.
COPIES = {
    "session_names": "SELECT id, group_name, activity_name FROM study_sessions ORDER BY id",
    "word_groups": """SELECT word_id, group_id, kanji, romaji, english, correct_count, wrong_count
                      FROM word_groups ORDER BY word_id, group_id""",
    "review_groups": "SELECT id, group_id FROM word_review_items ORDER BY id",
}


def read_counters(connection, queries=COUNTERS):
    return {name: [tuple(row) for row in connection.execute(sql)] for name, sql in queries.items()}


def recounted(connection):
    """The counters as sql/recount.sql rebuilds them from the base tables (rolled back)."""
    connection.execute("BEGIN")
    try:
        database.run_script(connection, "recount.sql")
        return read_counters(connection, {**COUNTERS, **COPIES})
    finally:
        connection.execute("ROLLBACK")


@contextmanager
def opened(database_file):
    """A connection to database_file (a path), or database_file itself when it
    is one already: a check that runs several invariants opens one."""
    if isinstance(database_file, sqlite3.Connection):
        yield database_file
        return
    connection = database.connect(database_file)
    try:
        yield connection
    finally:
        connection.close()


def assert_counters_consistent(database_file):
    with opened(database_file) as connection:
        assert read_counters(connection, {**COUNTERS, **COPIES}) == recounted(connection)


def assert_parts_compact(database_file):
    """Every word's parts is stored as compact JSON, which the answers put in
    as it is (lib/base/jsonio.py compact_json)."""
    with opened(database_file) as connection:
        assert connection.execute(
            "SELECT id, parts FROM words WHERE parts <> json(parts)").fetchall() == []


def assert_invariants(database_file, retention=0.9):
    with opened(database_file) as connection:
        # Every counter must agree with the history.
        assert_counters_consistent(connection)
        # And every word's card must equal a replay of its reviews.
        assert_cards_consistent(connection, retention)
        # And the stored parts are compact JSON, which answers carry as they are.
        assert_parts_compact(connection)


CARDS = f"SELECT word_id, last_reviewed, {scheduling.CARD_COLUMNS} FROM word_reviews ORDER BY word_id"


def read_cards(connection):
    return [tuple(row) for row in connection.execute(CARDS)]


def replayed_cards(connection, retention=0.9):
    """Every card as a replay of the history rebuilds it with the parameters
    in use, the stored fit's or the defaults (rolled back)."""
    connection.execute("BEGIN")
    try:
        scheduling.rebuild_cards(connection, parameters.stored_scheduler(connection, retention))
        return read_cards(connection)
    finally:
        connection.execute("ROLLBACK")


def assert_cards_consistent(database_file, retention=0.9):
    """Every word's stored FSRS card equals a replay of its reviews in time order."""
    with opened(database_file) as connection:
        assert read_cards(connection) == replayed_cards(connection, retention)


def document_gets(document, ids):
    """(path, operation) for every GET of the OpenAPI document, its path ids
    filled from ids ({parameter name: value}) and its required query
    parameters from their examples: new routes join by themselves."""
    for template, operations in document["paths"].items():
        if "get" in operations:
            operation = operations["get"]
            names = re.findall(r"{(\w+)}", template)
            path = template.format(**{name: ids[name] for name in names})
            required = [(parameter["name"], parameter["schema"]["examples"][0])
                        for parameter in operation["parameters"]
                        if parameter["in"] == "query" and parameter["required"]]
            yield path + (f"?{urlencode(required)}" if required else ""), operation


def sort_keys(operation):
    """The sort_by values a list operation takes ([] for one that takes none)."""
    for parameter in operation["parameters"]:
        if parameter["name"] == "sort_by":
            schema = parameter["schema"]
            return schema["enum"] if "enum" in schema else [schema["const"]]
    return []


def sorted_variants(operation):
    """The query strings of every sort key in both orders, or [""] for a
    route that does not sort."""
    return [f"?sort_by={key}&order={order}" for key in sort_keys(operation)
            for order in ("asc", "desc")] or [""]


def traced(app, client, urls):
    """The SQL statements the requests for urls ran, each answering 200."""
    statements = []
    with app.app_context():
        get_db().set_trace_callback(statements.append)  # the connection requests use
    try:
        for url in urls:
            assert client.get(url).status_code == 200, url
    finally:
        with app.app_context():
            get_db().set_trace_callback(None)
    return statements
