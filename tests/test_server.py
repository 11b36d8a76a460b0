"""The app served for real by gunicorn with several worker processes: many
writers, killed workers, backups and restores, upgrades, and every worker
seeing every write."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from servers import PROJECT_DIR, request
from test_migrations import RELEASE_1

from helpers import assert_cards_consistent, assert_counters_consistent, document_gets
from lib.base.timeutil import format_utc, utc_now
from lib.commands import migrations
from lib.store import db as database


def test_workers_starting_together_on_a_new_file_seed_it_once(serve, tmp_path):
    server = serve(workers=4, preload=False)
    status, groups = request(server.url, "/api/groups")
    assert status == 200
    assert sorted((g["name"], g["words_count"]) for g in groups["items"]) == [
        ("Core Adjectives", 60), ("Core Verbs", 60)]
    assert request(server.url, "/api/dashboard/stats")[1]["total_vocabulary"] == 120
    assert [a["title"] for a in request(server.url, "/api/study-activities")[1]] == ["Typing Tutor", "Flashcards"]
    assert "Traceback" not in server.stop()


def test_many_writers_at_once_lose_nothing(serve, tmp_path):
    server = serve(workers=4)
    word_ids = [word["id"] for word in request(server.url, "/api/groups/1/words/raw")[1]][:5]

    def learner(number):
        statuses = []
        for round_ in range(25):
            # Each learner's sessions are in the past, at other times than the
            # others', so the words' reviews arrive out of time order.
            started = utc_now() - timedelta(hours=(number * 7 + round_ * 11) % 97 + 1)
            status, session = request(server.url, "/api/study-sessions",
                                      {"group_id": 1, "study_activity_id": 1,
                                       "created_at": format_utc(started)})
            statuses.append(status)
            reviews = [{"word_id": word_id, "is_correct": (number + index) % 3 != 0,
                        "reviewed_at": format_utc(started + timedelta(minutes=index))}
                       for index, word_id in enumerate(word_ids)]
            statuses.append(request(server.url, f"/api/study-sessions/{session['id']}/review",
                                    {"reviews": reviews})[0])
        return statuses

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = [status for result in pool.map(learner, range(16)) for status in result]
    errors = server.stop()

    assert statuses == [201] * (16 * 25 * 2)
    assert "database is locked" not in errors
    connection = database.connect(str(tmp_path / "served.db"))
    assert connection.execute("SELECT count(*) FROM study_sessions").fetchone()[0] == 400
    assert connection.execute("SELECT count(*) FROM word_review_items").fetchone()[0] == 2000
    expected_correct = sum((number + index) % 3 != 0 for number in range(16) for index in range(5)) * 25
    assert connection.execute("SELECT correct_count FROM review_stats").fetchone()[0] == expected_correct
    assert connection.execute("SELECT count(*) FROM word_reviews WHERE reps > 0").fetchone()[0] == 5
    connection.close()
    assert_counters_consistent(str(tmp_path / "served.db"))
    assert_cards_consistent(str(tmp_path / "served.db"))


def test_an_acknowledged_write_survives_kill_9(serve, tmp_path):
    server = serve(workers=2)
    status, session = request(server.url, "/api/study-sessions", {"group_id": 2, "study_activity_id": 1})
    assert status == 201
    server.stop(signal.SIGKILL)

    restarted = serve(workers=2)
    status, answer = request(restarted.url, f"/api/study-sessions/{session['id']}")
    assert status == 200
    assert answer["session"] == session


@pytest.mark.slow
def test_backup_while_the_server_writes_is_consistent(serve, tmp_path):
    server = serve(workers=2)
    stop = threading.Event()

    def keep_writing():
        while not stop.is_set():
            assert request(server.url, "/api/study-sessions",
                           {"group_id": 1, "study_activity_id": 1})[0] == 201

    writers = [threading.Thread(target=keep_writing) for _ in range(4)]
    for writer in writers:
        writer.start()
    try:
        time.sleep(0.5)
        result = subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "--app", "app", "backup",
             str(tmp_path / "copy.db")],
            cwd=PROJECT_DIR, env={**os.environ, "LANG_PORTAL_DB": str(tmp_path / "served.db")},
            capture_output=True, text=True, timeout=60)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert result.returncode == 0, result.stderr
    assert_counters_consistent(str(tmp_path / "copy.db"))
    copy = database.connect(str(tmp_path / "copy.db"))
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM study_sessions").fetchone()[0] > 0
    copy.close()


def worker_pids(server):
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    return set(children.read_text().split())


def test_workers_started_after_the_file_was_replaced_refuse_it_too(serve, tmp_path):
    # A backup moved over the database while the server runs. A worker that
    # gunicorn starts afterwards (after a crash, a timeout or --max-requests)
    # must not take the new file for its own: the old WAL beside it would be
    # read into it.
    path = tmp_path / "served.db"
    server = serve(workers=2, db_path=path)
    for _ in range(10):
        assert request(server.url, "/api/study-sessions", {"group_id": 1, "study_activity_id": 1})[0] == 201
    restored = tmp_path / "restored.db"
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(restored)) as target:
        source.backup(target)
        target.execute("UPDATE groups SET name = name || ' (restored)'")
        target.commit()
    os.replace(restored, path)
    old_workers = worker_pids(server)
    for pid in old_workers:
        os.kill(int(pid), signal.SIGKILL)
    deadline = time.monotonic() + 30
    while len(worker_pids(server) - old_workers) < 2:
        assert time.monotonic() < deadline, "gunicorn started no new workers"
        time.sleep(0.05)

    answers = [request(server.url, "/api/groups/1")[0] for _ in range(10)]
    answers += [request(server.url, "/api/study-sessions", {"group_id": 1, "study_activity_id": 1})[0]
                for _ in range(10)]

    assert set(answers) == {503}
    # The new workers have read nothing; the activity can read their 503 all the same.
    activity = urllib.request.Request(server.url + "/api/groups/1",
                                      headers={"Origin": "http://localhost:8080"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(activity, timeout=30)
    assert refused.value.code == 503
    assert refused.value.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"
    server.stop()
    # What the log says to do: the WAL and shm beside the file are the old file's.
    for stale in ("served.db-wal", "served.db-shm"):
        (tmp_path / stale).unlink(missing_ok=True)
    restarted = serve(workers=2, db_path=path)
    assert request(restarted.url, "/api/groups/1")[1]["name"] == "Core Verbs (restored)"
    assert request(restarted.url, "/api/study-sessions")[1]["total"] == 10
    restarted.stop()
    with closing(sqlite3.connect(path)) as served:
        assert served.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def headers_of(base_url, path, method="GET", headers=None, body=None):
    """(status, response headers) of one request on a new connection."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base_url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_a_new_activity_s_origin_is_allowed_at_once_by_every_worker(serve):
    server = serve(workers=3)
    origin = "http://localhost:8099"
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}

    def grants():
        """The grant of a preflight and of a GET, 30 times each, spread over the workers."""
        answers = set()
        for _ in range(30):
            status, headers = headers_of(server.url, "/api/study-sessions", "OPTIONS", preflight)
            answers.add((status, headers.get("Access-Control-Allow-Origin")))
            status, headers = headers_of(server.url, "/api/words", headers={"Origin": origin})
            answers.add((status, headers.get("Access-Control-Allow-Origin")))
        return answers

    assert grants() == {(204, None), (200, None)}
    status, activity = request(server.url, "/api/study-activities",
                               {"title": "Kana Drill", "launch_url": f"{origin}/drill"})
    assert status == 201
    assert grants() == {(204, origin), (200, origin)}
    assert headers_of(server.url, f"/api/study-activities/{activity['id']}", "DELETE")[0] == 204
    assert grants() == {(204, None), (200, None)}
    assert "Traceback" not in server.stop()


def test_workers_starting_together_on_an_old_database_upgrade_it_once(serve, tmp_path):
    old = tmp_path / "old.db"
    shutil.copyfile(RELEASE_1, old)
    sessions_before = database.connect(str(old)).execute("SELECT count(*) FROM study_sessions").fetchone()[0]

    server = serve(workers=4, db_path=old, preload=False)

    status, sessions = request(server.url, "/api/study-sessions?per_page=1")
    assert status == 200 and sessions["total"] == sessions_before
    assert request(server.url, "/api/study-sessions", {"group_id": 1, "study_activity_id": 1})[0] == 201
    assert "Traceback" not in server.stop()
    connection = database.connect(str(old))
    assert connection.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    connection.close()
    assert_counters_consistent(str(old))


def test_a_worker_starts_while_a_long_write_holds_the_lock(serve, tmp_path):
    path = tmp_path / "served.db"
    serve(workers=1, db_path=path).stop()  # create and seed it
    writer = database.connect(str(path))
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE groups SET name = name")
    try:
        # Starting takes no write lock on a current database, so the workers boot
        # (with it they waited 10 s and gunicorn gave up) and serve reads.
        server = serve(workers=2, db_path=path, preload=False)
        assert request(server.url, "/api/groups/1")[0] == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def etag_of(base_url, path, if_none_match=None):
    """(status, ETag) of a GET, sent with If-None-Match when given."""
    headers = {"If-None-Match": if_none_match} if if_none_match else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(base_url + path, headers=headers),
                                    timeout=30) as response:
            return response.status, response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("ETag")


def test_every_write_changes_every_etag_in_every_worker(serve):
    server = serve(workers=4)
    session = request(server.url, "/api/study-sessions", {"group_id": 1, "study_activity_id": 1})[1]
    document = request(server.url, "/api/openapi.json")[1]
    ids = {"group_id": 1, "activity_id": 1, "word_id": 1, "session_id": session["id"]}
    paths = [path for path, _ in document_gets(document, ids)]
    writes = [
        ("/api/study-sessions", {"group_id": 2, "study_activity_id": 1}),
        ("/study_sessions", {"group_id": 1, "study_activity_id": 1}),
        (f"/api/study-sessions/{session['id']}/review",
         {"reviews": [{"word_id": 1, "is_correct": True}]}),
        (f"/study_sessions/{session['id']}/review", {"reviews": [{"word_id": 2, "is_correct": False}]}),
        (f"/api/study-sessions/{session['id']}/words/3/review", {"correct": True}),
        ("/api/study-sessions/reset", {}),
    ]
    tags = {path: etag_of(server.url, path)[1] for path in paths}
    for write, body in writes:
        assert request(server.url, write, body)[0] in (200, 201), write
        # Each worker answers some of these: every one must see the write.
        for path in paths:
            for _ in range(4):
                status, tag = etag_of(server.url, path, if_none_match=tags[path])
                assert status != 304 and tag != tags[path], (write, path)
            if status == 200:
                tags[path] = tag
                for _ in range(4):
                    assert etag_of(server.url, path, if_none_match=tag)[0] == 304, (write, path)
    assert "Traceback" not in server.stop()
