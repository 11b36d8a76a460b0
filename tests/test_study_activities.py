"""GET /api/study-activities, /<id>, /<id>/sessions, /<id>/launch."""
import re
from urllib.parse import urlsplit

import pytest

from helpers import create_session, post_reviews

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ACTIVITY_FIELDS = {"id", "title", "launch_url", "preview_url", "description"}
SESSION_FIELDS = {"id", "group_id", "group_name", "activity_id", "activity_name",
                  "start_time", "end_time", "review_items_count"}
API_ENVELOPE = {"items", "total", "page", "per_page", "total_pages"}
TYPING_TUTOR = {
    "id": 1,
    "title": "Typing Tutor",
    "launch_url": "http://localhost:8080",
    "preview_url": "/assets/study_activities/typing-tutor.png",
    "description": "Type the romaji for each word of the group, and see at once whether you were right.",
}
# The portal's own activity, served by the API (tests/test_flashcards.py).
FLASHCARDS = {
    "id": 2,
    "title": "Flashcards",
    "launch_url": "http://localhost/activities/flashcards/",
    "preview_url": "http://localhost/activities/flashcards/preview.svg",
    "description": "See a word's kanji, recall its reading and meaning, then rate how well you "
                   "knew it: the words due for review come first, scheduled by FSRS.",
}


def assert_absolute_url(url):
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https")
    assert parts.netloc


def assert_not_found(response):
    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert response.get_json()["error"].endswith("not found")


@pytest.fixture
def kana_match(db):
    activity_id = db.execute(
        """INSERT INTO study_activities (name, url, preview_url, description)
           VALUES ('Kana Match', 'https://cards.example.org/play', '/kana-match.png', 'Flip cards.')"""
    ).lastrowid
    db.commit()
    return activity_id


# --- the list ----------------------------------------------------------------

def test_activity_list_is_an_array_with_the_seeded_typing_tutor_and_flashcards(client):
    response = client.get("/api/study-activities")
    assert response.status_code == 200
    activities = response.get_json()
    assert isinstance(activities, list)
    assert activities == [TYPING_TUTOR, FLASHCARDS]


def test_every_listed_activity_has_the_full_fields_and_an_absolute_launch_url(client, kana_match):
    activities = client.get("/api/study-activities").get_json()
    assert [activity["id"] for activity in activities] == [1, 2, kana_match]
    for activity in activities:
        assert set(activity) == ACTIVITY_FIELDS
        assert_absolute_url(activity["launch_url"])
    assert activities[2]["title"] == "Kana Match"
    assert activities[2]["launch_url"] == "https://cards.example.org/play"
    assert activities[2]["description"] == "Flip cards."


# --- one activity --------------------------------------------------------------

def test_activity_page(client):
    response = client.get("/api/study-activities/1")
    assert response.status_code == 200
    assert response.get_json() == TYPING_TUTOR


def test_activity_page_matches_the_list(client, kana_match):
    listed = {activity["id"]: activity for activity in client.get("/api/study-activities").get_json()}
    assert client.get(f"/api/study-activities/{kana_match}").get_json() == listed[kana_match]


@pytest.mark.parametrize("path", [
    "/api/study-activities/999",
    "/api/study-activities/999/sessions",
    "/api/study-activities/999/launch",
])
def test_unknown_activity_is_a_404(client, path):
    response = client.get(path)
    assert_not_found(response)
    assert "999" in response.get_json()["error"]


# --- its sessions --------------------------------------------------------------

def test_activity_sessions_empty_at_first(client):
    body = client.get("/api/study-activities/1/sessions").get_json()
    assert set(body) == API_ENVELOPE
    assert body["items"] == []
    assert (body["total"], body["page"], body["per_page"], body["total_pages"]) == (0, 1, 10, 0)


def test_activity_sessions_are_its_own_newest_first(client, kana_match):
    older = create_session(client, 1, 1, created_at="2025-01-01T10:00:00Z")
    newer = create_session(client, 2, 1, created_at="2025-02-01T10:00:00Z")
    create_session(client, 1, kana_match, created_at="2025-03-01T10:00:00Z")
    body = client.get("/api/study-activities/1/sessions").get_json()
    assert [session["id"] for session in body["items"]] == [newer["id"], older["id"]]
    assert (body["total"], body["total_pages"]) == (2, 1)
    other = client.get(f"/api/study-activities/{kana_match}/sessions").get_json()
    assert [session["activity_name"] for session in other["items"]] == ["Kana Match"]


def test_activity_sessions_ties_put_the_later_id_first(client):
    first = create_session(client, 1, 1, created_at="2025-01-01T10:00:00Z")
    second = create_session(client, 2, 1, created_at="2025-01-01T10:00:00Z")
    ids = [session["id"] for session in client.get("/api/study-activities/1/sessions").get_json()["items"]]
    assert ids == [second["id"], first["id"]]


def test_activity_sessions_carry_every_session_field(client):
    session = create_session(client, 2, 1, created_at="2025-01-01T10:00:00Z")
    post_reviews(client, session["id"], [(61, True), (62, False)])
    listed = client.get("/api/study-activities/1/sessions").get_json()["items"][0]
    assert SESSION_FIELDS <= set(listed)
    assert listed["id"] == session["id"]
    assert (listed["group_id"], listed["group_name"]) == (2, "Core Adjectives")
    assert (listed["activity_id"], listed["activity_name"]) == (1, "Typing Tutor")
    assert listed["start_time"] == "2025-01-01T10:00:00Z"
    assert TIMESTAMP.match(listed["end_time"])
    assert listed["end_time"] > listed["start_time"]
    assert listed["review_items_count"] == 2


def test_activity_sessions_paginate(client):
    created = [create_session(client, 1, 1, created_at=f"2025-01-{day:02d}T10:00:00Z")
               for day in range(1, 4)]
    body = client.get("/api/study-activities/1/sessions?per_page=2&page=2").get_json()
    assert [session["id"] for session in body["items"]] == [created[0]["id"]]
    assert (body["total"], body["page"], body["per_page"], body["total_pages"]) == (3, 2, 2, 2)
    past = client.get("/api/study-activities/1/sessions?per_page=2&page=3").get_json()
    assert past["items"] == []
    assert (past["total"], past["total_pages"]) == (3, 2)


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "page=1.5", "per_page=0",
                                   "per_page=101", "sort_by=bogus", "order=up"])
def test_activity_sessions_bad_query_is_a_400(client, query):
    response = client.get(f"/api/study-activities/1/sessions?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/json"
    assert response.get_json()["error"]


# --- launch --------------------------------------------------------------------

def test_launch_has_the_activity_and_every_group(client):
    response = client.get("/api/study-activities/1/launch")
    assert response.status_code == 200
    body = response.get_json()
    assert body["activity"] == TYPING_TUTOR
    assert_absolute_url(body["activity"]["launch_url"])
    assert sorted((group["id"], group["name"]) for group in body["groups"]) == [
        (1, "Core Verbs"), (2, "Core Adjectives")]


def test_launch_of_another_activity(client, kana_match):
    body = client.get(f"/api/study-activities/{kana_match}/launch").get_json()
    assert {"id", "title", "launch_url", "preview_url"} <= set(body["activity"])
    assert (body["activity"]["id"], body["activity"]["title"]) == (kana_match, "Kana Match")
    assert len(body["groups"]) == 2
