"""The dashboard's reads: recent-session and stats, at both paths. The review
arithmetic (studied, mastered, streak) is tested with the review routes."""
import re

import pytest

from helpers import create_session

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RECENT_PATHS = ["/api/dashboard/recent-session", "/dashboard/recent-session"]
STATS_PATHS = ["/api/dashboard/stats", "/dashboard/stats"]
FRESH_STATS = {
    "total_vocabulary": 120,
    "total_words_studied": 0,
    "mastered_words": 0,
    "success_rate": 0,
    "total_sessions": 0,
    "active_groups": 0,
    "current_streak": 0,
    "due_now": 0,
    "new_available_today": 20,
}


@pytest.mark.parametrize("path", RECENT_PATHS)
def test_recent_session_is_null_without_sessions(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.get_data(as_text=True).strip() == "null"


@pytest.mark.parametrize("path", RECENT_PATHS)
def test_recent_session_is_the_latest_started(client, path):
    newest = create_session(client, 2, 1, created_at="2025-03-01T10:00:00Z")
    create_session(client, 1, 1, created_at="2025-01-01T10:00:00Z")
    session = client.get(path).get_json()
    assert session["id"] == newest["id"]
    assert session["group_id"] == 2
    assert session["group_name"] == "Core Adjectives"
    assert session["activity_id"] == 1
    assert session["activity_name"] == "Typing Tutor"
    assert session["created_at"] == session["start_time"] == "2025-03-01T10:00:00Z"
    assert session["end_time"] == "2025-03-01T10:00:00Z"
    assert (session["review_items_count"], session["correct_count"], session["wrong_count"]) == (0, 0, 0)


def test_recent_session_has_every_field_the_frontend_reads(client):
    create_session(client, 1, 1)
    session = client.get("/dashboard/recent-session").get_json()
    assert {"id", "group_id", "activity_name", "created_at", "correct_count", "wrong_count",
            "group_name", "activity_id", "start_time", "end_time", "review_items_count"} <= set(session)
    for field in ("created_at", "start_time", "end_time"):
        assert TIMESTAMP.match(session[field])


def test_recent_session_tie_goes_to_the_later_id(client):
    create_session(client, 1, 1, created_at="2025-01-01T10:00:00Z")
    later = create_session(client, 2, 1, created_at="2025-01-01T10:00:00Z")
    assert client.get("/api/dashboard/recent-session").get_json()["id"] == later["id"]


def test_both_recent_session_paths_agree(client):
    create_session(client, 1, 1)
    assert client.get(RECENT_PATHS[0]).get_json() == client.get(RECENT_PATHS[1]).get_json()


@pytest.mark.parametrize("path", STATS_PATHS)
def test_stats_on_a_fresh_database(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json() == FRESH_STATS


@pytest.mark.parametrize("path", STATS_PATHS)
def test_stats_with_sessions_keep_their_shape(client, path):
    create_session(client, 1, 1, created_at="2025-01-01T10:00:00Z")
    create_session(client, 2, 1, created_at="2025-01-02T10:00:00Z")
    stats = client.get(path).get_json()
    assert set(stats) == set(FRESH_STATS)
    assert stats["total_vocabulary"] == 120
    assert stats["total_sessions"] == 2
    for field in FRESH_STATS:
        assert isinstance(stats[field], (int, float)) and not isinstance(stats[field], bool)
    assert 0 <= stats["success_rate"] <= 1
