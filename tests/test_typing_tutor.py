"""The Typing Tutor's traffic, replayed byte for byte against a real gunicorn
(issue 23): the frontend's launch page makes the session from its origin,
then the tutor, from http://localhost:8080, reads the group's words and
posts each answer, every POST after its CORS preflight as Chromium sends it.
Read from typing-tutor/public of ExamProCo/free-genai-bootcamp-2025:
index.html (the words) and src/player_data.js (the answers)."""
import http.client
import json
from datetime import datetime, timezone

import pytest

from helpers import assert_cards_consistent, assert_counters_consistent

pytestmark = pytest.mark.slow

FRONTEND = "http://localhost:5173"
TUTOR = "http://localhost:8080"
CHROMIUM = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
# (word's place in the group, correct): as the tutor plays them. A word
# that reached the ground is asked again at once; a word hit twice in a row
# leaves learning for review, and then a miss is a lapse.
ANSWERS = [(0, True), (1, False), (1, True), (2, True), (3, False), (2, True), (4, False),
           (4, False), (5, True), (5, True), (5, False)]
# Each word's (state, reps, lapses) after those answers (FSRS: good on a new
# card -> learning; good again -> review; again in review -> relearning).
CARDS = {0: ("learning", 1, 0), 1: ("learning", 2, 0), 2: ("review", 2, 0),
         3: ("learning", 1, 0), 4: ("learning", 2, 0), 5: ("relearning", 3, 1)}


def browser_fetch(port, host, origin, method, path, body=None, headers=()):
    """One request as Chromium's fetch() sends it from a page of `origin`:
    (status, lowercased headers, parsed JSON or None)."""
    sent = {"Host": f"{host}:{port}", "Connection": "keep-alive", "Accept": "*/*",
            "Origin": origin, "Referer": f"{origin}/", "User-Agent": CHROMIUM,
            "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty",
            "Accept-Encoding": "gzip, deflate, br, zstd", "Accept-Language": "en-US,en;q=0.9",
            **dict(headers)}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    answer = json.loads(data) if data else None
    return response.status, {name.lower(): value for name, value in response.getheaders()}, answer


def assert_browser_reads(origin, headers):
    """The CORS check a browser makes before handing an answer to the page."""
    assert headers.get("access-control-allow-origin") == origin, headers


def chromium_post_json(port, host, origin, path, body):
    """fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body}):
    Content-Type application/json is not a simple header, so Chromium sends
    an OPTIONS preflight first and posts only if the preflight allows it."""
    status, headers, _ = browser_fetch(port, host, origin, "OPTIONS", path, headers={
        "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert 200 <= status < 300
    assert_browser_reads(origin, headers)
    allowed_methods = {m.strip() for m in headers["access-control-allow-methods"].split(",")}
    allowed_headers = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
    assert "POST" in allowed_methods and "content-type" in allowed_headers
    payload = json.dumps(body, separators=(",", ":")).encode()
    status, headers, answer = browser_fetch(port, host, origin, "POST", path, payload, headers={
        "Content-Type": "application/json", "Content-Length": str(len(payload))})
    assert_browser_reads(origin, headers)
    return status, answer


def frontend_launch_page(port, group_id, activity_id):
    """StudyActivityLaunch.tsx: reads the launch data, creates the session
    (createStudySession in services/api.ts, to http://localhost:5000) and
    opens launch_url?group_id=..&session_id=.."""
    status, headers, launch = browser_fetch(port, "localhost", FRONTEND, "GET",
                                            f"/api/study-activities/{activity_id}/launch")
    assert status == 200
    assert_browser_reads(FRONTEND, headers)
    status, created = chromium_post_json(port, "localhost", FRONTEND, "/study_sessions",
                                         {"group_id": group_id, "study_activity_id": activity_id})
    assert status == 201
    assert launch["activity"]["launch_url"] == TUTOR
    return created["session_id"]


def typing_tutor_loads_words(port, group_id):
    """index.html fetchWords(): a plain GET, so no preflight."""
    status, headers, data = browser_fetch(port, "127.0.0.1", TUTOR, "GET",
                                          f"/groups/{group_id}/words/raw")
    assert status == 200
    assert_browser_reads(TUTOR, headers)
    return data


def typing_tutor_sends_review(port, session_id, word_id, correct):
    """player_data.js send_review(): one answer a request, no id, no time."""
    return chromium_post_json(port, "127.0.0.1", TUTOR, f"/study_sessions/{session_id}/review",
                              {"word_id": word_id, "correct": correct})


def api_get(port, path):
    status, _, answer = browser_fetch(port, "localhost", FRONTEND, "GET", path)
    assert status == 200, answer
    return answer


def test_typing_tutor_answers_are_stored_exactly(serve, tmp_path):
    db_path = tmp_path / "served.db"
    server = serve(workers=2, db_path=db_path)
    before = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    session_id = frontend_launch_page(server.port, group_id=1, activity_id=1)
    data = typing_tutor_loads_words(server.port, group_id=1)
    assert data["group_name"] == "Core Verbs"
    words = data["words"]
    for word in words:  # what the game reads of each word
        assert {"id", "kanji", "romaji", "english", "parts"} <= set(word)
        assert all({"kanji", "romaji"} <= set(part) for part in word["parts"])
    for place, correct in ANSWERS:
        status, answer = typing_tutor_sends_review(server.port, session_id, words[place]["id"], correct)
        assert status == 201, answer
        assert answer["items"][0]["is_correct"] is correct
        assert answer["items"][0]["rating"] == (3 if correct else 1)

    right = sum(correct for _, correct in ANSWERS)
    wrong = len(ANSWERS) - right
    detail = api_get(server.port, f"/api/study-sessions/{session_id}")
    session = detail["session"]
    assert (session["review_items_count"], session["correct_count"], session["wrong_count"]) == (
        len(ANSWERS), right, wrong)
    assert session["activity_name"] == "Typing Tutor" and session["group_id"] == 1
    assert session["end_time"] >= session["start_time"] >= before
    in_session = {word["id"]: (word["correct_count"], word["wrong_count"]) for word in detail["words"]}
    expected = {words[place]["id"]: (sum(c for p, c in ANSWERS if p == place),
                                     sum(not c for p, c in ANSWERS if p == place))
                for place in CARDS}
    assert in_session == expected

    for place, (state, reps, lapses) in CARDS.items():
        word = api_get(server.port, f"/api/words/{words[place]['id']}")["word"]
        assert (word["correct_count"], word["wrong_count"]) == expected[word["id"]]
        schedule = word["schedule"]
        assert (schedule["state"], schedule["reps"], schedule["lapses"]) == (state, reps, lapses)
        assert schedule["due"] > schedule["last_review"] >= before

    stats = api_get(server.port, "/dashboard/stats")
    assert (stats["total_words_studied"], stats["total_sessions"], stats["active_groups"]) == (
        len(CARDS), 1, 1)
    assert stats["success_rate"] == pytest.approx(right / len(ANSWERS))
    assert (stats["mastered_words"], stats["current_streak"]) == (0, 1)
    recent = api_get(server.port, "/dashboard/recent-session")
    assert (recent["id"], recent["group_id"], recent["activity_name"]) == (session_id, 1, "Typing Tutor")
    assert (recent["correct_count"], recent["wrong_count"]) == (right, wrong)

    # Nothing is due yet (the soonest is a miss, a minute after it); the new
    # words come in id order, past the six studied, up to what is left of
    # today's allowance of 20.
    queue = api_get(server.port, "/api/study-queue?group_id=1&limit=100")
    studied = {words[place]["id"] for place in CARDS}
    assert queue["due_count"] == 0
    assert queue["new_count"] == 20 - len(CARDS)
    assert [word["id"] for word in queue["words"]] == [
        word["id"] for word in words if word["id"] not in studied][:20 - len(CARDS)]
    assert {word["reason"] for word in queue["words"]} == {"new"}
    assert queue["next_due_at"] == min(
        api_get(server.port, f"/api/words/{word_id}")["word"]["due"] for word_id in studied)

    server.stop()
    assert_counters_consistent(db_path)
    assert_cards_consistent(db_path, 0.9)


def test_typing_tutor_of_another_origin_is_refused_by_the_browser(serve):
    """Served on another port than the activity's launch_url, the tutor gets
    no grant: its browser would hand it neither the words nor a preflight."""
    server = serve(workers=1)
    elsewhere = "http://localhost:8081"

    _, headers, _ = browser_fetch(server.port, "127.0.0.1", elsewhere, "GET", "/groups/1/words/raw")
    _, preflight, _ = browser_fetch(server.port, "127.0.0.1", elsewhere, "OPTIONS",
                                    "/study_sessions/1/review", headers={
                                        "Access-Control-Request-Method": "POST",
                                        "Access-Control-Request-Headers": "content-type"})

    assert "access-control-allow-origin" not in headers
    assert "access-control-allow-origin" not in preflight
