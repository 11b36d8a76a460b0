
"""The connections (lib/store/db.py): a database file replaced under a running
server, the development server's thread-per-request, and checkpoints."""
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from servers import PROJECT_DIR, free_port, request

import lib.store.checkpoints
import lib.store.db
import lib.store.transactions
from app import create_app
from helpers import create_session


def test_a_file_moved_over_the_database_is_a_503_and_nothing_is_written_to_either(client, db_path,
                                                                                   tmp_path):
    create_session(client)  # the pool now holds a connection to the file
    restored = tmp_path / "restored.db"
    source = sqlite3.connect(db_path)
    target = sqlite3.connect(restored)
    source.backup(target)
    target.close()
    source.close()
    os.replace(restored, db_path)  # "mv backup.db words.db" while the server runs

    response = client.post("/api/study-sessions", json={"group_id": 1, "study_activity_id": 1})

    assert response.status_code == 503
    assert "restart" in response.get_json()["error"]
    assert client.get("/api/health").status_code == 503
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT count(*) FROM study_sessions").fetchone()[0] == 1
    connection.close()


def test_a_study_activity_can_read_the_503_of_a_replaced_file(client, db_path, tmp_path):
    # The first request with the seed activity's origin finds the file replaced.
    activity = {"Origin": "http://localhost:8080"}
    shutil.copyfile(db_path, tmp_path / "restored.db")
    os.replace(tmp_path / "restored.db", db_path)

    response = client.post("/api/study-sessions/1/review", headers=activity,
                           json={"reviews": [{"word_id": 1, "is_correct": True}]})

    assert response.status_code == 503
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"


def test_a_full_disk_is_a_503_that_stores_nothing(app, client):
    session = create_session(client)
    # The disk is full: the database may grow no more (on the connection the
    # next request gets, the one used last).
    pool = app.extensions["db_pool"]
    connection = pool.checkout()
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    pool.checkin(connection)

    response = client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": 1 + index % 60, "is_correct": True} for index in range(500)]})

    assert response.status_code == 503
    assert response.get_json() == {"error": "Database unavailable: its disk is full; nothing was stored"}
    assert client.get(f"/api/study-sessions/{session['id']}").get_json()["session"]["review_items_count"] == 0


def hold_write_lock(db_path):
    """Another process's long write (a command such as demo-data), as a connection."""
    writer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE groups SET name = name")
    return writer


def test_a_write_waits_for_another_writer_to_finish(client, db_path):
    writer = hold_write_lock(db_path)
    threading.Timer(0.3, writer.execute, ["COMMIT"]).start()
    started = time.monotonic()

    response = client.post("/api/study-sessions", json={"group_id": 1, "study_activity_id": 1})

    assert response.status_code == 201
    assert time.monotonic() - started >= 0.25
    writer.close()


def test_a_write_that_waits_too_long_is_a_503_that_stores_nothing(client, db_path, monkeypatch):
    monkeypatch.setattr(lib.store.transactions, "REQUEST_WRITE_WAIT_SECONDS", 0.5)
    writer = hold_write_lock(db_path)
    try:
        response = client.post("/api/study-sessions", json={"group_id": 1, "study_activity_id": 1})
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json() == {"error": "Database busy: another write holds it; try again"}
    assert client.get("/api/study-sessions").get_json()["total"] == 0
    # The connection is not left in a transaction, nor without its busy timeout.
    assert create_session(client)["id"] == 1


@pytest.mark.slow
def test_while_a_long_write_holds_the_lock_writes_answer_503_at_once(client, db_path, monkeypatch):
    # Under sync workers, each write waiting the full wait holds up a worker
    # that the reads need; after one has waited in vain, the others do not.
    monkeypatch.setattr(lib.store.transactions, "REQUEST_WRITE_WAIT_SECONDS", 5)
    new_session = {"group_id": 1, "study_activity_id": 1}
    writer = hold_write_lock(db_path)
    try:
        started = time.monotonic()
        assert client.post("/api/study-sessions", json=new_session).status_code == 503
        waited = time.monotonic() - started
        started = time.monotonic()
        assert client.post("/api/study-sessions", json=new_session).status_code == 503
        assert time.monotonic() - started < waited / 2
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    # Once the lock is free, writes get it, and wait for it as before.
    assert client.post("/api/study-sessions", json=new_session).status_code == 201
    writer = hold_write_lock(db_path)
    threading.Timer(0.3, writer.execute, ["COMMIT"]).start()
    assert client.post("/api/study-sessions", json=new_session).status_code == 201
    writer.close()


def test_an_upgrade_waits_for_a_long_write_of_another_process(tmp_path, monkeypatch):
    # Workers started without --preload: one upgrades, the others wait for it,
    # however long it takes (they used to give up after 10 s and gunicorn exited).
    # A database of release 3 (schema version 5): steps such as ADD COLUMN
    # cannot run twice, so a current database told it is older would not do.
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "data" / "release-3.db", path)
    monkeypatch.setattr(lib.store.db, "BUSY_TIMEOUT_SECONDS", 0.1)
    monkeypatch.setattr(lib.store.transactions, "REQUEST_WRITE_WAIT_SECONDS", 0.1)
    writer = hold_write_lock(path)
    threading.Timer(0.5, writer.execute, ["COMMIT"]).start()

    app = create_app({"TESTING": True, "DATABASE": str(path)})

    assert app.test_client().get("/api/groups/1").status_code == 200
    app.extensions["db_pool"].close()
    writer.close()


@pytest.mark.slow
def test_the_development_server_does_not_run_out_of_file_descriptors(tmp_path):
    # `python app.py` serves each client connection in a new thread; under a
    # low limit of open files, connections left to the garbage collector ran out.
    port = free_port()
    env = {**os.environ, "LANG_PORTAL_DB": str(tmp_path / "dev.db"), "PORT": str(port)}
    server = subprocess.Popen(
        [sys.executable, "app.py"], cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=5)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.1)

        def fetch(number):
            return request(base, "/api/words?page=1" if number % 2 else "/dashboard/stats")[0]

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(fetch, range(1000)))
        assert statuses == [200] * 1000
        open_files = len(os.listdir(f"/proc/{server.pid}/fd"))
        assert open_files < 40
    finally:
        server.terminate()
        server.wait(timeout=30)


def sessions_in_the_file_alone(db_path, tmp_path):
    """The sessions a copy of the database file holds without its WAL: what a
    power cut would leave."""
    copy = tmp_path / "file-alone.db"
    shutil.copyfile(db_path, copy)
    connection = sqlite3.connect(copy)
    try:
        return connection.execute("SELECT count(*) FROM study_sessions").fetchone()[0]
    finally:
        connection.close()


def test_a_write_reaches_the_database_file_soon_after(client, db_path, tmp_path):
    create_session(client)

    deadline = time.monotonic() + 10
    while sessions_in_the_file_alone(db_path, tmp_path) == 0:
        assert time.monotonic() < deadline, "the WAL was not copied into the database file"
        time.sleep(0.05)


@pytest.mark.slow
def test_the_wal_starts_again_while_writers_keep_writing(client, db_path, monkeypatch):
    monkeypatch.setattr(lib.store.checkpoints, "WAL_RESET_FRAMES", 200)
    monkeypatch.setattr(lib.store.checkpoints, "DELAY_SECONDS", 0.02)
    wal = db_path + "-wal"
    largest_wal = 0

    def write(number):
        nonlocal largest_wal
        create_session(client)
        largest_wal = max(largest_wal, os.path.getsize(wal))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(800)))

    # Without its restarts, the WAL of these 800 sessions reached 70 MB; with
    # them 4-5 MB, and up to 9.4 MB on a loaded machine, where the checkpoint
    # thread gets less of the processor (a bound of 8 MB failed there).
    assert client.get("/api/study-sessions").get_json()["total"] == 800
    assert largest_wal < 24 * 1024 * 1024
