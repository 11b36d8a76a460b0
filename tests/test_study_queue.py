"""GET /api/study-queue (due words, then new ones, with counts, `at` and the
new-words allowance), the forecast, and the stats' scheduling figures."""
from datetime import timedelta

import pytest
from fsrs import Scheduler

from helpers import create_session
from lib.base.timeutil import format_utc, utc_now
from lib.scheduler.scheduling import progress_from_row

NOW = utc_now()
WORD_FIELDS = {"id", "kanji", "romaji", "english", "parts", "correct_count", "wrong_count", "due",
               "schedule", "reason", "next_due"}


def ago(days=0, minutes=0):
    return NOW - timedelta(days=days, minutes=minutes)


def answer_all(client, group_id, answers, started):
    """answers: [(word_id, correct, moment), ...] in one session of the group."""
    session = create_session(client, group_id, created_at=format_utc(started))
    response = client.post(f"/api/study-sessions/{session['id']}/review", json={"reviews": [
        {"word_id": word_id, "is_correct": correct, "reviewed_at": format_utc(moment)}
        for word_id, correct, moment in answers]})
    assert response.status_code == 201, response.get_json()


def queue(client, **params):
    response = client.get("/api/study-queue", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def group_word_ids(client, group_id):
    return [word["id"] for word in client.get(f"/api/groups/{group_id}/words/raw").get_json()]


def test_a_fresh_database_offers_the_first_new_words(client):
    answer = queue(client)
    assert [word["id"] for word in answer["words"]] == list(range(1, 21))
    assert {word["reason"] for word in answer["words"]} == {"new"}
    assert set(answer["words"][0]) == WORD_FIELDS
    assert answer["words"][0]["schedule"]["state"] == "new"
    assert (answer["due_count"], answer["new_count"], answer["next_due_at"]) == (0, 20, None)


def test_a_groups_new_words_come_in_the_groups_order(client):
    answer = queue(client, group_id=2, limit=100)
    assert [word["id"] for word in answer["words"]] == group_word_ids(client, 2)[:20]


def test_due_words_come_first_lowest_retrievability_first(client):
    # Word 3 is the most overdue (reviewed longest ago, failed), then 1, then 2.
    answer_all(client, 1, [(1, True, ago(days=6)), (2, True, ago(days=3)),
                           (3, False, ago(days=9))], started=ago(days=10))
    answer = queue(client, group_id=1)
    due = [word for word in answer["words"] if word["reason"] == "due"]
    assert [word["id"] for word in due] == [3, 1, 2]
    retrievabilities = [word["schedule"]["retrievability"] for word in due]
    assert retrievabilities == sorted(retrievabilities)
    assert [word["reason"] for word in answer["words"]] == ["due"] * 3 + ["new"] * 17
    assert [word["id"] for word in answer["words"][3:]] == list(range(4, 21))
    assert answer["due_count"] == 3


def test_retrievability_in_the_queue_is_the_schedulers_at_that_moment(client, db):
    answer_all(client, 1, [(1, True, ago(days=4))], started=ago(days=5))
    word = queue(client)["words"][0]
    row = db.execute("SELECT * FROM word_reviews WHERE word_id = 1").fetchone()
    card = progress_from_row(1, row).card
    expected = Scheduler(enable_fuzzing=False).get_card_retrievability(card, NOW)
    assert word["schedule"]["retrievability"] == pytest.approx(expected)


def test_a_word_not_yet_due_is_left_out_and_gives_next_due_at(client, db):
    answer_all(client, 1, [(1, True, ago(minutes=5)), (1, True, ago(minutes=3)),
                           (1, True, ago(minutes=1))], started=ago(minutes=10))
    due = db.execute("SELECT due FROM word_reviews WHERE word_id = 1").fetchone()[0]
    answer = queue(client)
    assert 1 not in [word["id"] for word in answer["words"]]
    assert (answer["due_count"], answer["next_due_at"]) == (0, due)


def test_at_evaluates_the_queue_at_a_past_moment(client, db):
    answer_all(client, 1, [(1, True, ago(days=20))], started=ago(days=21))
    due = db.execute("SELECT due FROM word_reviews WHERE word_id = 1").fetchone()[0]
    before_due = queue(client, at=format_utc(ago(days=20)))
    assert (before_due["due_count"], before_due["next_due_at"]) == (0, due)
    at_due = queue(client, at=due)
    assert at_due["due_count"] == 1 and at_due["words"][0]["id"] == 1
    assert at_due["next_due_at"] is None


def test_at_in_the_future_is_a_400(client):
    response = client.get("/api/study-queue", query_string={"at": format_utc(NOW + timedelta(hours=1))})
    assert response.status_code == 400
    assert "at" in response.get_json()["error"]
    skewed = format_utc(NOW + timedelta(seconds=30))  # within the clock-skew allowance
    assert client.get("/api/study-queue", query_string={"at": skewed}).status_code == 200


@pytest.mark.parametrize("app_config", [{"NEW_PER_DAY": 3}])
def test_the_new_word_allowance_counts_words_first_reviewed_today(client, app_config):
    assert queue(client)["new_count"] == 3
    assert len(queue(client)["words"]) == 3
    # A word first reviewed on an earlier day does not count; one today does.
    answer_all(client, 1, [(1, True, ago(days=3))], started=ago(days=4))
    answer_all(client, 1, [(2, True, NOW - timedelta(seconds=1))], started=NOW - timedelta(seconds=2))
    answer = queue(client, limit=100)
    assert answer["new_count"] == 2
    assert [w["id"] for w in answer["words"] if w["reason"] == "new"] == [3, 4]
    assert client.get("/api/dashboard/stats").get_json()["new_available_today"] == 2


@pytest.mark.parametrize("app_config", [{"NEW_PER_DAY": 0}])
def test_no_new_words_with_an_allowance_of_0(client, app_config):
    answer = queue(client)
    assert (answer["words"], answer["new_count"]) == ([], 0)


def test_new_count_is_what_the_scope_has_left(client):
    assert queue(client, group_id=1)["new_count"] == 20
    words = group_word_ids(client, 1)
    answer_all(client, 1, [(word_id, True, ago(days=2)) for word_id in words[:55]],
               started=ago(days=3))
    assert queue(client, group_id=1)["new_count"] == 5
    assert queue(client, group_id=2)["new_count"] == 20


def test_limit_counts_due_and_new_words_together(client):
    answer_all(client, 1, [(1, True, ago(days=5)), (2, True, ago(days=5))], started=ago(days=6))
    answer = queue(client, limit=3)
    assert [(w["id"], w["reason"]) for w in answer["words"]] == [(1, "due"), (2, "due"), (3, "new")]
    assert len(queue(client, limit=1)["words"]) == 1
    assert len(queue(client, limit=100)["words"]) == 22


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": "1.5"},
                                    {"limit": "\u0663"}, {"group_id": 0}, {"group_id": "x"},
                                    {"at": "yesterday"}, {"at": "1700000000"}])
def test_bad_parameters_are_a_400(client, params):
    assert client.get("/api/study-queue", query_string=params).status_code == 400


def test_an_unknown_group_is_a_404(client):
    response = client.get("/api/study-queue", query_string={"group_id": 999})
    assert response.status_code == 404
    assert response.get_json() == {"error": "Group with id 999 not found"}


def test_the_forecast_counts_due_words_per_day_from_today(client, db):
    answer_all(client, 1, [(1, True, ago(days=10)), (2, False, ago(days=10)),
                           (3, True, ago(minutes=3)), (3, True, ago(minutes=2)),
                           (3, True, ago(minutes=1))], started=ago(days=11))
    forecast = client.get("/api/dashboard/forecast").get_json()
    assert len(forecast) == 14
    today = NOW.date()
    assert [day["date"] for day in forecast] == [
        (today + timedelta(days=offset)).isoformat() for offset in range(14)]
    dues = [row[0] for row in db.execute("SELECT due FROM word_reviews WHERE due IS NOT NULL")]
    expected = [sum(due[:10] <= day["date"] if index == 0 else due[:10] == day["date"]
                    for due in dues) for index, day in enumerate(forecast)]
    assert [day["due"] for day in forecast] == expected
    assert forecast[0]["due"] >= 2  # words 1 and 2 are overdue


@pytest.mark.parametrize("days, status, length", [(1, 200, 1), (365, 200, 365), (0, 400, 0),
                                                  (366, 400, 0), ("two", 400, 0)])
def test_forecast_days(client, days, status, length):
    response = client.get("/api/dashboard/forecast", query_string={"days": days})
    assert response.status_code == status
    if status == 200:
        assert len(response.get_json()) == length


def test_stats_count_due_and_new_words(client):
    stats = client.get("/api/dashboard/stats").get_json()
    assert (stats["due_now"], stats["new_available_today"]) == (0, 20)
    answer_all(client, 1, [(1, True, ago(days=5)), (2, True, ago(days=5))], started=ago(days=6))
    stats = client.get("/dashboard/stats").get_json()
    assert (stats["due_now"], stats["new_available_today"]) == (2, 20)
    assert stats["due_now"] == queue(client)["due_count"]
