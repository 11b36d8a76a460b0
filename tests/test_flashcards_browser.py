"""Flashcards in a real browser: Debian's Chromium driven by Playwright,
against gunicorn started by each test on a fresh database. The page is opened
as the portal's frontend opens it: new URL(launch_url) from the launch page's
answer, then group_id and session_id set on it."""
import json
import os
import sqlite3
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from servers import PROJECT_DIR, request

from lib.base.timeutil import parse_utc, utc_now

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SCREENSHOT = PROJECT_DIR / "docs" / "flashcards.png"
FLASHCARDS_ID = 2  # seeded after the Typing Tutor
REVIEW_PATH = "**/api/study-sessions/*/words/*/review"
# The frontend's launch page (lang-portal/frontend-react, StudyActivityLaunch.tsx):
# new URL(launch_url), then searchParams.set for the group and the session.
FRONTEND_LAUNCH = """([launchUrl, selectedGroup, sessionId]) => {
    const launchUrl_ = new URL(launchUrl);
    launchUrl_.searchParams.set('group_id', selectedGroup);
    launchUrl_.searchParams.set('session_id', sessionId.toString());
    return launchUrl_.toString();
}"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    """Chromium from Debian's package. Missing, the tests skip, except under
    CI (CI=true), where they must run: there they fail."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is missing: pip install -r requirements-dev.txt"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A page of its own browser context (its own localStorage), with the
    console's errors and the answers it posted."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.errors = []
        self.posted = {}  # review_id -> (path, body) of each answer posted
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(
            message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", self.note_answer)

    def note_answer(self, sent):
        if sent.method == "POST" and sent.url.endswith("/review"):
            body = sent.post_data_json
            self.posted[body["review_id"]] = (sent.url.split("/", 3)[3], body)

    def outbox(self):
        return json.loads(self.page.evaluate("localStorage.getItem('flashcards.outbox') || '[]'"))

    def wait_saved(self, timeout=20_000):
        self.page.wait_for_function(
            "() => JSON.parse(localStorage.getItem('flashcards.outbox') || '[]').length === 0",
            timeout=timeout)

    def card(self):
        """The kanji on the card, once one is shown and not yet revealed."""
        self.page.wait_for_selector("#study:not([hidden]) #card:not(.revealed)")
        return self.page.inner_text("#front")

    def answer(self, rating, reveal_key="Space"):
        """Reveals the card with reveal_key and rates it with key 1-4;
        returns (kanji, moments just before and after the rating)."""
        kanji = self.card()
        self.page.keyboard.press(reveal_key)
        self.page.wait_for_selector("#card.revealed")
        before = utc_now()
        self.page.keyboard.press(str(rating))
        after = utc_now() + timedelta(seconds=1)
        return kanji, before, after


@pytest.fixture
def tab(browser):
    pages = []

    def open_tab(**options):
        pages.append(Page(browser, **{"viewport": {"width": 800, "height": 700}, **options}))
        return pages[-1]

    yield open_tab
    for page in pages:
        page.context.close()


def call(server, method, path, body=None):
    """(status, JSON answer) of any method."""
    data = None if body is None else json.dumps(body).encode()
    sent = urllib.request.Request(server.url + path, data=data, method=method,
                                  headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(sent, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def launch_like_the_frontend(page, server, group_id):
    """What the frontend's launch page does: the activity's launch_url, a
    session made with POST /study_sessions, the URL built by new URL()."""
    status, launch = request(server.url, f"/api/study-activities/{FLASHCARDS_ID}/launch")
    assert status == 200
    assert launch["activity"]["launch_url"] == f"{server.url}/activities/flashcards/"
    status, session = request(server.url, "/study_sessions",
                              {"group_id": group_id, "study_activity_id": FLASHCARDS_ID})
    assert status == 201
    url = page.page.evaluate(FRONTEND_LAUNCH, [launch["activity"]["launch_url"], str(group_id),
                                               session["session_id"]])
    return session["session_id"], page.page.goto(url)


def words_by_kanji(server, group_id):
    status, words = request(server.url, f"/api/groups/{group_id}/words/raw")
    assert status == 200
    return {word["kanji"]: word for word in words}


def stored_once(server, page, review_id):
    """The stored answer, through the API: its retry is a duplicate (200)."""
    path, body = page.posted[review_id]
    status, answer = request(server.url, "/" + path, body)
    assert (status, answer["recorded"], answer["duplicates"]) == (200, 0, 1), answer
    return answer["items"][0]


def session_of(server, session_id):
    status, answer = request(server.url, f"/api/study-sessions/{session_id}")
    assert status == 200
    return answer["session"]


def test_launched_as_the_frontend_does_ten_cards_are_answered_by_keyboard(serve, tab):
    server = serve(workers=2)
    page = tab()
    words = words_by_kanji(server, 1)
    session_id, response = launch_like_the_frontend(page, server, 1)
    assert response.headers["content-security-policy"] == PAGE_POLICY
    assert page.page.get_attribute("#front", "lang") == "ja"

    ratings = [3, 1, 2, 4, 3, 3, 1, 4, 2, 3]
    given = []
    for index, rating in enumerate(ratings):
        kanji = page.card()
        labels = page.page.locator(".rate .interval").all_text_contents()
        if index == 0:  # a new word: FSRS's first learning steps, and easy's first interval
            assert labels == ["1m", "6m", "10m", "8d"]
        kanji, before, after = page.answer(rating, "Space" if index % 2 else "Enter")
        assert page.page.inner_text("#count-done") == str(index + 1)
        given.append((words[kanji]["id"], rating, before, after))
    page.wait_saved()

    assert len(page.posted) == 10
    for (word_id, rating, before, after), review_id in zip(given, page.posted, strict=True):
        item = stored_once(server, page, review_id)
        assert (item["word_id"], item["rating"], item["is_correct"]) == (word_id, rating, rating > 1)
        assert before - timedelta(seconds=1) <= parse_utc(item["reviewed_at"]) <= after
    session = session_of(server, session_id)
    assert (session["review_items_count"], session["correct_count"]) == (10, 8)
    assert session["activity_name"] == "Flashcards"
    # The frontend's session page, and the queue: the words rated 2-4 are due
    # in minutes or days, no longer now.
    status, detail = request(server.url, f"/api/study-sessions/{session_id}?per_page=50")
    counts = {word["id"]: (word["correct_count"], word["wrong_count"]) for word in detail["words"]}
    assert counts == {word_id: (int(rating > 1), int(rating == 1))
                      for word_id, rating, _, _ in given}
    status, queue = request(server.url, "/api/study-queue?group_id=1&limit=100")
    remembered = {word_id for word_id, rating, _, _ in given if rating > 1}
    assert remembered.isdisjoint(word["id"] for word in queue["words"])
    assert page.errors == []


def test_the_server_stopped_mid_session_loses_and_doubles_nothing(serve, tab):
    server = serve(workers=2)
    page = tab()
    # Opened without session_id: it starts its session and puts it in the URL.
    page.page.goto(f"{server.url}/activities/flashcards/?group_id=1")
    page.page.wait_for_url("**session_id=*")
    session_id = int(page.page.url.rsplit("session_id=", 1)[1])
    assert session_of(server, session_id)["activity_id"] == FLASHCARDS_ID
    for rating in (3, 3, 3):
        page.answer(rating)
    page.wait_saved()

    server.stop()
    for rating in (1, 2, 4):  # the learner goes on
        page.answer(rating)
    page.page.wait_for_function("() => document.getElementById('status').textContent"
                                ".includes('not saved yet')")
    assert len(page.outbox()) == 3
    assert page.page.inner_text("#count-done") == "6"

    serve(workers=2, port=server.port)
    page.wait_saved()
    assert session_of(server, session_id)["review_items_count"] == 6
    assert len(page.posted) == 6
    for review_id in page.posted:
        stored_once(server, page, review_id)
    page.page.wait_for_function("() => document.getElementById('status').textContent"
                                " === 'All answers saved'")


def test_a_lost_answer_and_a_busy_database_are_retried_and_stored_once(serve, tab, tmp_path):
    server = serve(workers=2)
    page = tab()
    session_id, _ = launch_like_the_frontend(page, server, 1)

    # The server stores the answer, but its answer never reaches the page.
    def store_then_lose(route):
        route.fetch()
        route.abort()
        page.page.unroute(REVIEW_PATH)

    page.page.route(REVIEW_PATH, store_then_lose)
    page.answer(3)
    page.wait_saved()

    # A long write holds the database: the server answers 503 with Retry-After.
    holder = sqlite3.connect(tmp_path / "served.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        page.answer(4)
        page.page.wait_for_function("() => document.getElementById('status').textContent"
                                    ".includes('Trying again in 1 s')")
        assert len(page.outbox()) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page.wait_saved()

    assert session_of(server, session_id)["review_items_count"] == 2
    for review_id in page.posted:
        stored_once(server, page, review_id)

    # An answer that retrying cannot store (its word left the group): shown, then dropped.
    word = words_by_kanji(server, 1)[page.card()]
    assert call(server, "DELETE", f"/api/groups/1/words/{word['id']}")[0] == 204
    page.answer(3)
    page.page.wait_for_selector(".error")
    assert f"word {word['id']} is not in the session's group" in page.page.inner_text("#errors")
    page.wait_saved()
    assert session_of(server, session_id)["review_items_count"] == 2


def test_a_reload_sends_the_answers_still_pending_and_goes_on(serve, tab):
    server = serve(workers=2)
    page = tab()
    session_id, _ = launch_like_the_frontend(page, server, 2)
    page.page.route(REVIEW_PATH, lambda route: route.abort())
    answered = [page.answer(rating)[0] for rating in (3, 2, 4)]
    page.page.wait_for_function("() => document.getElementById('status').textContent"
                                ".includes('not saved yet')")
    assert [answer["rating"] for answer in page.outbox()] == [3, 2, 4]
    assert session_of(server, session_id)["review_items_count"] == 0

    page.page.unroute(REVIEW_PATH)
    page.page.reload()
    page.wait_saved()
    assert page.card() not in answered
    assert page.page.inner_text("#count-done") == "3"
    assert session_of(server, session_id)["review_items_count"] == 3
    for review_id in page.posted:
        stored_once(server, page, review_id)


def test_an_empty_queue_shows_the_summary(serve, tab):
    server = serve(workers=2)
    status, group = call(server, "POST", "/api/groups", {"name": "Two words"})
    for word_id in (1, 2):
        assert call(server, "PUT", f"/api/groups/{group['id']}/words/{word_id}")[0] == 201
    page = tab()
    session_id, _ = launch_like_the_frontend(page, server, group["id"])
    page.card()
    assert page.page.inner_text("#count-new") == "2"
    page.answer(1)  # again: due in a minute
    page.answer(4)  # easy: due in days
    page.page.wait_for_selector("#summary:not([hidden])")

    figures = {name: page.page.inner_text(f"#sum-{name}")
               for name in ("answers", "again", "time", "next", "tomorrow")}
    assert (figures["answers"], figures["again"]) == ("2", "1")
    assert figures["time"].endswith(" s")
    assert "(in 1m)" in figures["next"] or "(in <1m)" in figures["next"]
    status, forecast = request(server.url, "/api/dashboard/forecast?days=2")
    assert figures["tomorrow"] == f"{forecast[1]['due']} words"
    assert page.page.evaluate("document.activeElement.id") == "summary"
    assert session_of(server, session_id)["review_items_count"] == 2
    assert page.errors == []


def fits(page, width):
    return page.evaluate(f"document.documentElement.scrollWidth <= {width}")


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_at_320_px_wide_nothing_scrolls_sideways_and_every_target_is_44_px(serve, tab, tmp_path):
    server = serve(workers=2)
    page = tab(viewport={"width": 320, "height": 640}, has_touch=True)
    # Without group_id: a group is picked first, with the keyboard.
    page.page.goto(f"{server.url}/activities/flashcards/")
    page.page.wait_for_selector("#picker:not([hidden]) button")
    assert fits(page.page, 320)
    # By name: Core Adjectives (2) has the focus, Tab moves to Core Verbs (1).
    page.page.keyboard.press("Tab")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**group_id=1&session_id=*")
    page.card()

    before = {selector: box(page.page, selector) for selector in ("#card", ".actions")}
    page.page.tap("#card")  # a tap reveals
    page.page.wait_for_selector("#card.revealed")
    assert {selector: box(page.page, selector) for selector in before} == before  # no jump
    assert fits(page.page, 320)
    for button in page.page.locator("button:visible").all():
        size = button.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, button.inner_text()
    assert page.page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.page.get_attribute("#announce", "aria-live") == "polite"
    page.page.screenshot(path=tmp_path / "flashcards.png")
    if not SCREENSHOT.exists():  # for the README: made once, then kept
        page.page.screenshot(path=SCREENSHOT)
    assert page.errors == []

    dark = tab(viewport={"width": 320, "height": 640}, color_scheme="dark")
    dark.page.goto(page.page.url)
    dark.card()
    colours = [tab_.page.evaluate("getComputedStyle(document.body).backgroundColor")
               for tab_ in (page, dark)]
    assert colours[0] != colours[1]
