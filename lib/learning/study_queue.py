"""What to study now: the queue (due words, then new ones), its counts, and the
forecast of due words per day. Every query reads word_reviews through its
due index (or a group's words), never the history."""
from datetime import datetime, time, timedelta, timezone
from itertools import pairwise

from lib.base.timeutil import format_utc, parse_utc
from lib.queries.groups import find_group
from lib.queries.words import WORD_SELECT, word_json
from lib.scheduler.outcomes import next_due_json
from lib.scheduler.scheduling import schedule_json
from lib.store.db import placeholders

# Lowest retrievability first. FSRS's retrievability falls as (whole days since
# the last review) / stability grows, so ordering by that ratio is the same
# order, without computing the power for every due word. Times are whole
# seconds: the 1e-6 day (0.09 s) only keeps julianday's rounding from making
# an exact day 0.99999.
OVERDUE_ORDER = """CAST(julianday(:at) - julianday(r.last_reviewed) + 1e-6 AS INTEGER) / r.stability
                   DESC, r.due, r.word_id"""


def scope(group_id):
    """(JOIN, WHERE) limiting word_reviews r to a group's words, or to all."""
    if group_id is None:
        return "", "1 = 1"
    return "JOIN word_groups wg ON wg.word_id = r.word_id", "wg.group_id = :group_id"


def day_bounds(moment):
    day = moment.date()
    return day.isoformat(), (day + timedelta(days=1)).isoformat()


def new_allowance_left(db, new_per_day, at):
    """New words the queue may still introduce on at's UTC day: the daily
    allowance less the words whose first review was that day."""
    start, end = day_bounds(at)
    introduced = db.execute(
        "SELECT count(*) FROM word_reviews WHERE first_review >= ? AND first_review < ?",
        (start, end)).fetchone()[0]
    return max(0, new_per_day - introduced)


def due_count(db, at, group_id=None):
    join, where = scope(group_id)
    return db.execute(f"SELECT count(*) FROM word_reviews r {join} WHERE {where} AND r.due <= :at",
                      {"at": format_utc(at), "group_id": group_id}).fetchone()[0]


def new_words_count(db, group_id=None):
    join, where = scope(group_id)
    return db.execute(f"SELECT count(*) FROM word_reviews r {join} WHERE {where} AND r.due IS NULL",
                      {"group_id": group_id}).fetchone()[0]


def next_due_at(db, at, group_id=None):
    join, where = scope(group_id)
    return db.execute(f"SELECT min(r.due) FROM word_reviews r {join} WHERE {where} AND r.due > :at",
                      {"at": format_utc(at), "group_id": group_id}).fetchone()[0]


def queue(db, scheduler, new_per_day, at, limit, group_id=None):
    """The study queue at `at` (an aware UTC datetime), as the API answers it;
    a 404 for a group that does not exist."""
    if group_id is not None:
        find_group(db, group_id)
    join, where = scope(group_id)
    params = {"at": format_utc(at), "group_id": group_id, "limit": limit}
    # The order from word_reviews alone, then the words of the page.
    due_ids = [row[0] for row in db.execute(
        f"""SELECT r.word_id FROM word_reviews r {join} WHERE {where} AND r.due <= :at
            ORDER BY {OVERDUE_ORDER} LIMIT :limit""", params)]
    found = {row["id"]: row for row in db.execute(
        f"{WORD_SELECT} WHERE w.id IN ({placeholders(due_ids)})", due_ids)}
    due_rows = [found[word_id] for word_id in due_ids]
    new_available = min(new_allowance_left(db, new_per_day, at), new_words_count(db, group_id))
    new_rows = []
    room = min(limit - len(due_rows), new_available)
    if room > 0:
        new_rows = db.execute(
            f"""{WORD_SELECT} {join} WHERE {where} AND r.due IS NULL
                ORDER BY r.word_id LIMIT :limit""", {**params, "limit": room}).fetchall()
    words = [queue_word_json(row, scheduler, at, "due") for row in due_rows]
    words += [queue_word_json(row, scheduler, at, "new") for row in new_rows]
    return {"words": words, "due_count": due_count(db, at, group_id), "new_count": new_available,
            "next_due_at": next_due_at(db, at, group_id)}


def queue_word_json(row, scheduler, at, reason):
    return {**word_json(row), "schedule": schedule_json(row, scheduler, at), "reason": reason,
            "next_due": next_due_json(row, scheduler, at)}


def forecast(db, today, days):
    """Words due on each UTC day from today, for `days` days; today's count
    includes every word overdue. One index range count a day: cheaper than
    grouping every due word by its day."""
    bounds = [(today + timedelta(days=offset)).isoformat() for offset in range(days + 1)]
    answer = []
    for index, (day, next_day) in enumerate(pairwise(bounds)):
        since = "" if index == 0 else day
        due = db.execute("SELECT count(*) FROM word_reviews WHERE due >= ? AND due < ?",
                         (since, next_day)).fetchone()[0]
        answer.append({"date": day, "due": due})
    return answer


# When answers change with the clock alone (lib/http/conditional.py puts it in
# their ETags). py-fsrs counts whole days since the last review, so a card's
# retrievability steps once a day, at the hour of its last review.

def next_midnight(now):
    return datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=timezone.utc)


def from_unix(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc)


NEXT_STEP = """unixepoch(last_reviewed)
    + ((unixepoch(:now) - unixepoch(last_reviewed)) / 86400 + 1) * 86400"""


def next_queue_change(db, now):
    """The next moment a word falls due, a due word's retrievability steps
    (which may reorder the queue), or the day (and its allowance of new
    words) turns; for every scope. The middle one reads every due word
    (lib/http/conditional.py keeps the answer while it lies ahead)."""
    params = {"now": format_utc(now)}
    moments = [next_midnight(now)]
    next_due = db.execute("SELECT min(due) FROM word_reviews WHERE due > :now", params).fetchone()[0]
    if next_due:
        moments.append(parse_utc(next_due))
    step = db.execute(f"SELECT min({NEXT_STEP}) FROM word_reviews WHERE due <= :now",
                      params).fetchone()[0]
    if step:
        moments.append(from_unix(step))
    return min(moments)


def next_schedule_change(db, now, word_id):
    """A word's page: its retrievability steps once a day."""
    step = db.execute(f"SELECT {NEXT_STEP} FROM word_reviews WHERE word_id = :word_id",
                      {"now": format_utc(now), "word_id": word_id}).fetchone()
    return from_unix(step[0]) if step and step[0] else "never"


def next_day(db, now):
    """The forecast counts from today."""
    return next_midnight(now)
