"""Flashcards in Chromium against gunicorn on a large database: the time from
navigation to the first card shown, and from a rating key to the next card.
Not a test: it prints figures.

Every 50th answer empties the page's batch: the page then waits for its
answers to be stored and asks the API for the queue again, so those answers
are counted apart ("at a batch's end"), with the queue's own fetch time from
the browser's Resource Timing.

    .venv/bin/python bench/flashcards.py --db large.db [--loads 10] [--answers 120]

--db names a database made with `flask --app app init-db` then `demo-data`
(the README's large demo database); it is copied first, and the copy is
served (2 sync workers) and deleted at the end. Needs /usr/bin/chromium and
the playwright package (requirements-dev.txt).
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import http_json, log, serve  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOWN = "#study:not([hidden]) #card:not(.revealed)"


def busiest_group(base):
    """The group with the most words due now."""
    groups = http_json(base, "GET", "/api/groups?per_page=100&sort_by=words_count&order=desc")
    return max(groups["items"], key=lambda group: http_json(
        base, "GET", f"/api/study-queue?group_id={group['id']}&limit=1")["due_count"])


def flashcards_url(base, group_id):
    activities = http_json(base, "GET", "/api/study-activities")
    activity = next(a for a in activities if a["title"] == "Flashcards")
    session = http_json(base, "POST", "/study_sessions",
                        {"group_id": group_id, "study_activity_id": activity["id"]})
    return f"{activity['launch_url']}?group_id={group_id}&session_id={session['session_id']}"


# In the page: a rating key given (as an event), then each frame until the
# next card is on screen; ms from the key to that frame.
KEY_TO_NEXT_CARD = """async (key) => {
    const front = document.getElementById("front").textContent;
    const started = performance.now();
    dispatchEvent(new KeyboardEvent("keydown", { key }));
    const shown = () => !document.getElementById("study").hidden
        && !document.getElementById("card").classList.contains("revealed")
        && document.getElementById("front").textContent !== front;
    while (!shown()) await new Promise((resolve) => requestAnimationFrame(resolve));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - started;
}"""
# What the first load waited for: each request's start and end (ms from navigation).
REQUESTS = """() => performance.getEntriesByType("resource").map((entry) =>
    `${new URL(entry.name).pathname.replace("/activities/flashcards/", "")} `
    + `${entry.startTime.toFixed(0)}-${entry.responseEnd.toFixed(0)}`)"""


def time_loads(browser, base, group_id, loads):
    """ms from page.goto to the first card shown, each in a new context; and
    the requests of the last load."""
    times = []
    for _ in range(loads):
        context = browser.new_context()
        page = context.new_page()
        url = flashcards_url(base, group_id)
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(SHOWN)
        times.append((time.perf_counter() - started) * 1000)
        requests = page.evaluate(REQUESTS)
        context.close()
    return times, requests


def time_answers(browser, base, group_id, answers):
    """ms from a rating key to the next card shown: [(ms, at a batch's end)];
    and the queue fetches' durations (ms) as the browser measured them."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(flashcards_url(base, group_id))
    times = []
    for index in range(answers):
        page.wait_for_selector(SHOWN)
        page.keyboard.press("Space")
        page.wait_for_selector("#card.revealed")
        fetches = queue_fetches(page)
        if index % 2:  # as Playwright sees it: a key pressed, the card found
            started = time.perf_counter()
            page.keyboard.press("3")
            page.wait_for_selector(SHOWN)
            ms, where = (time.perf_counter() - started) * 1000, "playwright"
        else:
            ms, where = page.evaluate(KEY_TO_NEXT_CARD, "3"), "page"
        times.append((ms, where, queue_fetches(page) > fetches))
    durations = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes('/api/study-queue'))
        .map((entry) => entry.duration)""")
    context.close()
    return times, durations


def queue_fetches(page):
    return page.evaluate("""() => performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes('/api/study-queue')).length""")


def summary(label, values):
    values = sorted(values)
    if not values:
        return f"{label}: none"
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return (f"{label}: n={len(values)}, median {statistics.median(values):.1f} ms, "
            f"p90 {p90:.1f} ms, max {values[-1]:.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--answers", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=None, help="default: a free one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "flashcards.db"
        log(f"Copying {args.db}")
        shutil.copyfile(args.db, db_path)
        with serve("the API", "app:create_app()", Path(folder) / "gunicorn.log", args.workers,
                   db_path, port=args.port) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            group = busiest_group(base)
            log(f"Group {group['id']} ({group['name']}): {group['words_count']} words")
            loads, requests = time_loads(browser, base, group["id"], args.loads)
            answers, fetches = time_answers(browser, base, group["id"], args.answers)
            browser.close()
    print(summary("navigation to the first card", loads))
    print("  the last load's requests (ms from navigation):", ", ".join(requests))
    for where, label in (("page", "in the page, key event to the frame that shows it"),
                         ("playwright", "as Playwright sees it, key press to card found")):
        print(summary(f"rating key to the next card, {label}",
                      [ms for ms, how, refetched in answers if how == where and not refetched]))
    print(summary("rating key to the next card at a batch's end (answers stored, queue asked)",
                  [ms for ms, how, refetched in answers if refetched]))
    print(summary("GET /api/study-queue (limit 50) in the browser", fetches))


if __name__ == "__main__":
    main()
