import shutil
import sqlite3
from pathlib import Path

import pytest
from servers import DevServer, Server

from app import create_app
from conformance import check_responses
from helpers import assert_invariants, opened


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory):
    """A database made by the app's first start, once; each test gets a copy
    (creating and seeding one took longer than most tests)."""
    path = tmp_path_factory.mktemp("first_start") / "seeded.db"
    create_app({"TESTING": True, "DATABASE": str(path)}).extensions["db_pool"].close()
    assert not Path(f"{path}-wal").exists(), "the template must be whole in its main file"
    assert_invariants(path)
    return path


def revision(connection):
    """The value every change of a row changes (the tables' triggers)."""
    return connection.execute("SELECT value FROM revision").fetchone()[0]


@pytest.fixture(scope="session")
def seeded_revision(seeded_database):
    with opened(str(seeded_database)) as connection:
        return revision(connection)


@pytest.fixture
def db_path(tmp_path, seeded_database):
    path = tmp_path / "lang_portal.db"
    shutil.copyfile(seeded_database, path)
    return str(path)


@pytest.fixture
def app_config():
    """Settings for the test's app; parametrize it to change them."""
    return {}


@pytest.fixture
def app(db_path, app_config, seeded_revision):
    app = create_app({"TESTING": True, "DATABASE": db_path, **app_config})
    violations = check_responses(app)
    yield app
    app.extensions["db_pool"].close()
    assert violations == [], "responses that the OpenAPI document does not describe"
    # Whatever a test wrote, the invariants must still hold; a test that
    # changed no row left the seeded database, which was checked once.
    with opened(db_path) as connection:
        if revision(connection) != seeded_revision:
            assert_invariants(connection, app.config["DESIRED_RETENTION"])


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


@pytest.fixture
def serve(tmp_path):
    """start(...) runs gunicorn (tests/servers.py) until the test ends."""
    servers = []

    def start(workers=4, db_path=tmp_path / "served.db", preload=True, options=(), port=None):
        servers.append(Server(db_path, workers, preload, options, port))
        return servers[-1]

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.stop()


@pytest.fixture
def dev_server(tmp_path):
    """The port of `python app.py`, running until the test ends."""
    server = DevServer(tmp_path / "dev.db", tmp_path / "dev_server.log")
    yield server.port
    server.stop()


PROCESS_FIXTURES = {"serve", "dev_server"}


def pytest_collection_modifyitems(items):
    """A test that starts a server is slow, whether or not it says so."""
    for item in items:
        if PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def fast_loop(config):
    return config.getoption("markexpr") == "not slow"


def pytest_xdist_auto_num_workers(config):
    """The workers of `-n auto` (pytest.ini): the fast loop runs on every core
    (pytest-xdist's own count); any other run, one test at a time in this
    process, as the slow tests need: they start servers and browsers, and
    wait for them on a machine that runs nothing else of ours."""
    return None if fast_loop(config) else 0


def pytest_ignore_collect(collection_path, config):
    """tests/test_fuzz.py makes its cases while it is collected (about 6 s),
    and the fast loop (-m "not slow") runs none of them."""
    if collection_path.name == "test_fuzz.py" and fast_loop(config):
        return True
    return None
