"""Each word's FSRS card: computed by py-fsrs from the word's reviews in time
order, whatever order they arrive in; ratings; reset; settings; reschedule.
(After every test, conftest.py also checks every card against a replay.)"""
import uuid
from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from app import create_app
from helpers import assert_cards_consistent, create_session, read_cards
from lib.base.timeutil import format_utc, utc_now

START = utc_now() - timedelta(days=30)
NEW_SCHEDULE = {"state": "new", "due": None, "stability": None, "difficulty": None,
                "retrievability": None, "last_review": None, "reps": 0, "lapses": 0}


def at(days=0, minutes=0):
    return START + timedelta(days=days, minutes=minutes)


@pytest.fixture
def session(client):
    return create_session(client, created_at=format_utc(START))


def answer(client, session_id, word_id, correct, moment, rating=None, review_id=None):
    review = {"word_id": word_id, "is_correct": correct, "reviewed_at": format_utc(moment)}
    if rating is not None:
        review["rating"] = rating
    if review_id is not None:
        review["review_id"] = review_id
    return client.post(f"/api/study-sessions/{session_id}/review", json={"reviews": [review]})


def schedule(client, word_id):
    return client.get(f"/api/words/{word_id}").get_json()["word"]["schedule"]


def fsrs_replay(reviews, retention=0.9):
    """The card py-fsrs itself makes of [(rating, moment), ...] in that order."""
    scheduler = Scheduler(desired_retention=retention, enable_fuzzing=False)
    card = Card(card_id=1, due=reviews[0][1])
    for rating, moment in reviews:
        card, _ = scheduler.review_card(card, Rating(rating), moment)
    return card


def assert_schedule_is(found, card, reps, lapses=0):
    assert found["state"] == card.state.name.lower()
    assert found["due"] == format_utc(card.due)
    assert found["last_review"] == format_utc(card.last_review)
    assert found["stability"] == card.stability
    assert found["difficulty"] == card.difficulty
    assert (found["reps"], found["lapses"]) == (reps, lapses)
    assert 0 < found["retrievability"] <= 1


def test_a_word_never_reviewed_is_new(client):
    assert schedule(client, 1) == NEW_SCHEDULE


def test_one_correct_answer_schedules_the_word_as_fsrs_does(client, session):
    assert answer(client, session["id"], 1, True, at()).status_code == 201
    assert_schedule_is(schedule(client, 1), fsrs_replay([(Rating.Good, at())]), reps=1)
    assert schedule(client, 2) == NEW_SCHEDULE


def test_ratings_default_from_the_answer_and_are_echoed(client, session, db):
    body = client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": 1, "is_correct": True, "reviewed_at": format_utc(at())},
        {"word_id": 2, "is_correct": False, "reviewed_at": format_utc(at())},
        {"word_id": 3, "is_correct": True, "rating": 4, "reviewed_at": format_utc(at())},
        {"word_id": 4, "is_correct": True, "rating": 2, "reviewed_at": format_utc(at())},
    ]}).get_json()
    assert [item["rating"] for item in body["items"]] == [3, 1, 4, 2]
    assert [row[0] for row in db.execute(
        "SELECT rating FROM word_review_items ORDER BY id")] == [3, 1, 4, 2]
    for word_id, rating in [(1, 3), (2, 1), (3, 4), (4, 2)]:
        assert_schedule_is(schedule(client, word_id), fsrs_replay([(rating, at())]), reps=1)


@pytest.mark.parametrize("correct, rating", [(True, 1), (False, 2), (False, 3), (False, 4)])
def test_a_rating_that_contradicts_the_answer_is_a_400_and_stores_nothing(
        client, session, db, correct, rating):
    response = client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": 1, "is_correct": True},
        {"word_id": 2, "is_correct": correct, "rating": rating}]})
    assert response.status_code == 400
    assert "contradicts" in response.get_json()["error"]
    single = client.post(f"/api/study-sessions/{session['id']}/words/2/review",
                         json={"correct": correct, "rating": rating})
    assert single.status_code == 400
    assert db.execute("SELECT count(*) FROM word_review_items").fetchone()[0] == 0
    assert schedule(client, 1) == NEW_SCHEDULE


@pytest.mark.parametrize("rating", [0, 5, "3", True, 2.5, None])
def test_a_rating_outside_1_to_4_is_a_400(client, session, rating):
    review = {"word_id": 1, "is_correct": True, "rating": rating}
    response = client.post(f"/api/study-sessions/{session['id']}/review",
                           json={"reviews": [review]})
    # null is the same as no rating
    assert response.status_code == (201 if rating is None else 400)


def test_the_single_answer_route_takes_a_rating(client, session):
    response = client.post(f"/api/study-sessions/{session['id']}/words/5/review",
                           json={"correct": True, "rating": 4, "reviewed_at": format_utc(at())})
    assert response.status_code == 201
    assert response.get_json()["items"][0]["rating"] == 4
    assert_schedule_is(schedule(client, 5), fsrs_replay([(Rating.Easy, at())]), reps=1)


def test_learning_then_review_then_a_lapse(client, session):
    history = [(Rating.Good, at()), (Rating.Good, at(minutes=1)), (Rating.Good, at(minutes=11)),
               (Rating.Again, at(days=5))]
    for rating, moment in history:
        answer(client, session["id"], 1, rating > 1, moment)
    found = schedule(client, 1)
    assert found["state"] == "relearning"
    assert_schedule_is(found, fsrs_replay(history), reps=4, lapses=1)


def test_a_review_stamped_before_the_last_one_replays_the_history(client, session):
    history = [(Rating.Good, at(days=1)), (Rating.Again, at(days=3)), (Rating.Good, at(days=7))]
    # Sent out of order: day 7, day 1 (a late activity), then a batch with day 3.
    for index in (2, 0, 1):
        rating, moment = history[index]
        assert answer(client, session["id"], 1, rating > 1, moment).status_code == 201
    # Again while still learning is no lapse.
    assert_schedule_is(schedule(client, 1), fsrs_replay(history), reps=3, lapses=0)


def test_reviews_at_the_same_time_replay_in_arrival_order(client, session):
    answer(client, session["id"], 1, True, at(days=2), rating=4)
    answer(client, session["id"], 1, False, at(days=2))
    answer(client, session["id"], 1, True, at(days=1))  # earlier: replays all three
    history = [(Rating.Good, at(days=1)), (Rating.Easy, at(days=2)), (Rating.Again, at(days=2))]
    assert_schedule_is(schedule(client, 1), fsrs_replay(history), reps=3, lapses=1)


def test_a_batch_with_past_times_in_any_order(client, session):
    moments = [at(days=4), at(days=1), at(days=2, minutes=5), at(days=2)]
    response = client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": 7, "is_correct": index != 1, "reviewed_at": format_utc(moment)}
        for index, moment in enumerate(moments)]})
    assert response.status_code == 201
    history = sorted((Rating.Good if index != 1 else Rating.Again, moment)
                     for index, moment in enumerate(moments))
    history = sorted(history, key=lambda review: review[1])
    assert_schedule_is(schedule(client, 7), fsrs_replay(history), reps=4)


def test_a_retried_review_changes_nothing(client, session, db):
    review_id = str(uuid.uuid4())
    assert answer(client, session["id"], 1, True, at(), 4, review_id).status_code == 201
    answer(client, session["id"], 1, True, at(days=2))
    before = read_cards(db)
    retry = answer(client, session["id"], 1, True, at(), 4, review_id)
    assert retry.status_code == 200
    assert retry.get_json()["items"][0] == {**retry.get_json()["items"][0], "duplicate": True,
                                            "rating": 4}
    assert read_cards(db) == before
    # The same review_id with another rating is other content.
    assert answer(client, session["id"], 1, True, at(), 3, review_id).status_code == 409
    assert read_cards(db) == before


def test_reset_puts_every_card_back_to_new(client, session, db):
    answer(client, session["id"], 1, True, at())
    answer(client, session["id"], 2, False, at(days=1))
    assert client.post("/api/study-sessions/reset", json={}).status_code == 200
    assert schedule(client, 1) == schedule(client, 2) == NEW_SCHEDULE
    assert db.execute("SELECT count(*) FROM word_reviews WHERE state <> 'new' OR due IS NOT NULL "
                      "OR reps OR lapses OR first_review IS NOT NULL").fetchone()[0] == 0


def test_retrievability_is_the_schedulers(client, session):
    answer(client, session["id"], 1, True, at())
    card = fsrs_replay([(Rating.Good, at())])
    expected = Scheduler(enable_fuzzing=False).get_card_retrievability(card, utc_now())
    assert schedule(client, 1)["retrievability"] == pytest.approx(expected)


@pytest.mark.parametrize("app_config", [{"DESIRED_RETENTION": 0.8}])
def test_the_desired_retention_setting_schedules_longer_intervals(client, session, app_config):
    history = [(Rating.Good, at()), (Rating.Good, at(minutes=1)), (Rating.Good, at(minutes=11))]
    for _, moment in history:
        answer(client, session["id"], 1, True, moment)
    found = schedule(client, 1)
    assert_schedule_is(found, fsrs_replay(history, retention=0.8), reps=3)
    assert found["due"] > format_utc(fsrs_replay(history, retention=0.9).due)


@pytest.mark.parametrize("variable, value", [
    ("LANG_PORTAL_DESIRED_RETENTION", "0.5"), ("LANG_PORTAL_DESIRED_RETENTION", "1"),
    ("LANG_PORTAL_DESIRED_RETENTION", "high"), ("LANG_PORTAL_DESIRED_RETENTION", "nan"),
    ("LANG_PORTAL_DESIRED_RETENTION", "０.９"), ("LANG_PORTAL_DESIRED_RETENTION", "0.8_5"),
    ("LANG_PORTAL_DESIRED_RETENTION", "9e-1"), ("LANG_PORTAL_DESIRED_RETENTION", ""),
    ("LANG_PORTAL_NEW_PER_DAY", "-1"), ("LANG_PORTAL_NEW_PER_DAY", "2.5"),
    ("LANG_PORTAL_NEW_PER_DAY", "ten"), ("LANG_PORTAL_NEW_PER_DAY", ""),
])
def test_a_bad_setting_stops_the_start_with_a_message_naming_it(monkeypatch, db_path, variable,
                                                                 value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=f"^{variable} must be") as raised:
        create_app({"TESTING": True, "DATABASE": db_path})
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("retention", ["0.85", " 0.85 ", ".85", "0.850"])
def test_settings_are_read_from_the_environment(monkeypatch, db_path, retention):
    monkeypatch.setenv("LANG_PORTAL_DESIRED_RETENTION", retention)
    monkeypatch.setenv("LANG_PORTAL_NEW_PER_DAY", "0")
    app = create_app({"TESTING": True, "DATABASE": db_path})
    assert (app.config["DESIRED_RETENTION"], app.config["NEW_PER_DAY"]) == (0.85, 0)
    app.extensions["db_pool"].close()


def test_reschedule_rebuilds_every_card_with_the_settings(client, session, runner, db, db_path):
    # Word 1 reaches review, where intervals depend on the desired retention.
    for minutes, word_id, correct in [(0, 1, True), (0, 2, False), (1, 1, True), (11, 1, True)]:
        answer(client, session["id"], word_id, correct, at(minutes=minutes))
    at_default = read_cards(db)
    stricter = create_app({"TESTING": True, "DATABASE": db_path, "DESIRED_RETENTION": 0.95})
    result = stricter.test_cli_runner().invoke(args=["reschedule"])
    assert result.exit_code == 0, result.output
    assert "Rescheduled 2 cards from 4 reviews (desired retention 0.95)" in result.output
    assert_cards_consistent(db_path, 0.95)
    assert read_cards(db) != at_default
    stricter.extensions["db_pool"].close()

    result = runner.invoke(args=["reschedule"])  # back to this app's 0.9
    assert result.exit_code == 0, result.output
    assert read_cards(db) == at_default


def test_reschedule_needs_a_database(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "gone.db")})
    app.extensions["db_pool"].close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"gone.db{suffix}").unlink(missing_ok=True)
    result = app.test_cli_runner().invoke(args=["reschedule"])
    assert result.exit_code == 1
    assert "No database" in result.output
