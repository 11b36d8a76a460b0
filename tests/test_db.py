"""The connections (lib/db.py): a database file replaced under a running
server, and the development server's thread-per-request."""
import os
import resource
import sqlite3
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from test_server import PROJECT_DIR, free_port, request

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
