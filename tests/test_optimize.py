"""flask --app app optimize: FSRS's parameters fitted to the history, stored,
used by every scheduler (the API's, the commands', the tests' replay), shown
by GET /api/scheduler, and dropped by a reset of the history."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from servers import PROJECT_DIR, request

from app import create_app
from helpers import assert_cards_consistent, create_session, post_reviews, read_cards, replayed_cards
from lib.commands import migrations
from lib.scheduler import parameters, scheduling
from lib.store import db as database

RELEASE_3 = Path(__file__).resolve().parent / "data" / "release-3.db"


def fits(db):
    return [dict(row) for row in db.execute("SELECT * FROM scheduler_parameters ORDER BY id")]


def snapshot(db):
    return (fits(db), read_cards(db), db.execute("SELECT value FROM revision").fetchone()[0])


def add_history(runner):
    result = runner.invoke(args=["demo-data", "--words", "60", "--groups", "2", "--sessions",
                                 "300", "--reviews", "3000", "--seed", "3"])
    assert result.exit_code == 0, result.output


def optimize(runner, *options):
    return runner.invoke(args=["optimize", *options])


def test_too_little_history_is_refused_and_changes_nothing(runner, client, db):
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True), (2, False), (1, True)])
    before = snapshot(db)

    result = optimize(runner)

    assert result.exit_code == 1
    # The progress bar's label, then the error in one line.
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("Error: Too little history to fit FSRS: it needs")
    assert "needs at least 64 answers given a day or more after the same word's previous " \
           "answer; the history has 0 (of 3 answers). Nothing was changed." in message
    assert snapshot(db) == before


def test_a_fit_is_stored_and_every_card_rescheduled_with_it(runner, client, db):
    add_history(runner)
    defaults_replay = replayed_cards(db)

    result = optimize(runner)

    assert result.exit_code == 0, result.output
    assert "Parameters (FSRS-6, 21):" in result.output
    assert "defaults" in result.output and "fitted" in result.output
    [fit] = fits(db)
    fitted = json.loads(fit["parameters"])
    assert len(fitted) == 21 and fitted != list(DEFAULT_PARAMETERS)
    assert fit["review_count"] == 3000
    assert 0 < fit["scored_count"] < 3000
    # Fitted to the history, they predict it better than the defaults.
    assert fit["log_loss_fitted"] < fit["log_loss_default"]
    assert fit["rmse_fitted"] < fit["rmse_default"]
    # Every card is a replay with the fitted parameters (the fixture checks
    # it again after the test), no longer the defaults' replay.
    db.execute("BEGIN")
    try:
        scheduling.rebuild_cards(db, scheduling.make_scheduler(0.9, fitted))
        rebuilt = read_cards(db)
    finally:
        db.execute("ROLLBACK")
    assert read_cards(db) == rebuilt != defaults_replay


def test_the_api_schedules_new_answers_with_the_fit(runner, client, app, db):
    add_history(runner)
    client.get("/api/words/1")  # this worker makes its scheduler before the fit
    assert optimize(runner).exit_code == 0
    session = create_session(client)
    post_reviews(client, session["id"], [(1, True), (2, False)])
    # The fixture's replay uses the stored fit: the cards the API wrote match it.
    with app.test_request_context():
        assert list(parameters.get_scheduler().parameters) == json.loads(
            fits(db)[0]["parameters"])


def test_dry_run_prints_and_stores_nothing(runner, db):
    add_history(runner)
    before = snapshot(db)

    result = optimize(runner, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Parameters (FSRS-6, 21):" in result.output
    assert "Dry run: nothing stored, no card rescheduled." in result.output
    assert snapshot(db) == before
    # The same fit and scores as a real run (which scores the fit in the
    # replay that reschedules).
    stored = optimize(runner)
    assert stored.exit_code == 0, stored.output
    assert len(printed_fit(result.output)) == 4
    assert printed_fit(result.output) == printed_fit(stored.output)


def printed_fit(output):
    return [line for line in output.splitlines()
            if line.startswith(("Parameters", "Predicted", "  defaults", "  fitted"))]


def test_get_scheduler_before_and_after_a_fit(runner, client, db):
    before = client.get("/api/scheduler")
    assert before.status_code == 200
    assert before.get_json() == {"source": "defaults", "parameters": list(DEFAULT_PARAMETERS),
                                 "desired_retention": 0.9, "new_per_day": 20, "fit": None}
    add_history(runner)
    assert optimize(runner).exit_code == 0
    [fit] = fits(db)

    after = client.get("/api/scheduler", headers={"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 200
    assert after.get_json() == {
        "source": "fitted", "parameters": json.loads(fit["parameters"]),
        "desired_retention": 0.9, "new_per_day": 20,
        "fit": {"fitted_at": fit["fitted_at"], "review_count": 3000,
                "scored_count": fit["scored_count"],
                "log_loss": {"default": fit["log_loss_default"], "fitted": fit["log_loss_fitted"]},
                "rmse": {"default": fit["rmse_default"], "fitted": fit["rmse_fitted"]}}}


def etag_version(client):
    """The part of an ETag made from the release, settings and parameters."""
    return client.get("/api/health").headers["ETag"].split("-")[0]


@pytest.mark.parametrize("app_config", [{"DESIRED_RETENTION": 0.85, "NEW_PER_DAY": 7}])
def test_a_fit_changes_the_etags_version_and_a_reset_returns_to_the_defaults(runner, client, db):
    defaults_version = etag_version(client)
    add_history(runner)
    assert etag_version(client) == defaults_version
    assert optimize(runner).exit_code == 0
    fitted_version = etag_version(client)
    assert fitted_version != defaults_version
    assert client.get("/api/scheduler").get_json()["desired_retention"] == 0.85

    response = client.post("/api/study-sessions/reset", json={})

    assert response.status_code == 200
    assert fits(db) == []
    assert client.get("/api/scheduler").get_json() == {
        "source": "defaults", "parameters": list(DEFAULT_PARAMETERS),
        "desired_retention": 0.85, "new_per_day": 7, "fit": None}
    assert etag_version(client) == defaults_version


def test_a_fit_survives_upgrades(tmp_path):
    path = str(tmp_path / "release-3.db")
    shutil.copyfile(RELEASE_3, path)
    assert migrations.open_database(path) == {"upgraded": (5, migrations.LATEST)}
    app = create_app({"TESTING": True, "DATABASE": path})
    result = app.test_cli_runner().invoke(args=["optimize"])
    assert result.exit_code == 0, result.output
    app.extensions["db_pool"].close()
    connection = database.connect(path)
    try:
        stored = fits(connection)
        cards = read_cards(connection)
    finally:
        connection.close()
    assert len(stored) == 1

    assert migrations.open_database(path) is None

    connection = database.connect(path)
    try:
        assert fits(connection) == stored
        assert read_cards(connection) == cards == replayed_cards(connection)
    finally:
        connection.close()
    client = create_app({"TESTING": True, "DATABASE": path}).test_client()
    assert client.get("/api/scheduler").get_json()["source"] == "fitted"


def test_sqlite_refuses_parameters_that_are_not_21(db_path, app):
    connection = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                """INSERT INTO scheduler_parameters (parameters, fitted_at, review_count,
                   scored_count, log_loss_default, log_loss_fitted, rmse_default, rmse_fitted)
                   VALUES ('[1, 2]', '2026-12-04T00:00:00Z', 0, 0, 0, 0, 0, 0)""")
    finally:
        connection.close()


def flask_command(db_path, *args):
    return subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", *args],
                          cwd=PROJECT_DIR, env={**os.environ, "LANG_PORTAL_DB": str(db_path)},
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_every_gunicorn_worker_schedules_with_a_fit_made_by_another_process(serve, tmp_path):
    db_path = tmp_path / "served.db"
    server = serve(workers=2, db_path=db_path)
    assert flask_command(db_path, "demo-data", "--words", "60", "--groups", "2", "--sessions",
                         "300", "--reviews", "3000").returncode == 0
    for _ in range(8):  # each worker makes its scheduler, with the defaults
        assert request(server.url, "/api/words/1")[0] == 200
    result = flask_command(db_path, "optimize")
    assert result.returncode == 0, result.stderr

    for word_id in range(1, 9):  # answers through both workers
        status, session = request(server.url, "/api/study-sessions",
                                  {"group_id": 1, "study_activity_id": 1})
        assert status == 201
        assert request(server.url, f"/api/study-sessions/{session['id']}/review", {
            "reviews": [{"word_id": word_id, "is_correct": word_id % 2 == 0}]})[0] == 201
        assert request(server.url, "/api/scheduler")[1]["source"] == "fitted"
    server.stop()

    # Their cards equal a replay with the stored fit.
    assert_cards_consistent(str(db_path))
