"""The dashboard's figures, each read from the counters the writes keep."""
from datetime import timedelta

from lib.base.jsonio import json_float
from lib.base.timeutil import format_utc, parse_utc
from lib.learning import study_queue
from lib.store.counters import sessions_count

ACTIVE_GROUP_DAYS = 30


def next_stats_change(db, now):
    """When the figures next change with time alone: at the next UTC midnight
    (the streak, the new words of the day), when the oldest session inside the
    30-day window leaves it (active groups), or when the next word falls due
    (due now), whichever comes first."""
    moments = [study_queue.next_midnight(now)]
    oldest = db.execute("SELECT min(created_at) FROM study_sessions WHERE created_at >= ?",
                        (active_since(now),)).fetchone()[0]
    if oldest is not None:
        moments.append(parse_utc(oldest) + timedelta(days=ACTIVE_GROUP_DAYS, seconds=1))
    next_due = study_queue.next_due_at(db, now)
    if next_due is not None:
        moments.append(parse_utc(next_due))
    return min(moments)


def active_since(now):
    return format_utc(now - timedelta(days=ACTIVE_GROUP_DAYS))


def figures(db, now, new_per_day):
    reviews = db.execute("SELECT * FROM review_stats").fetchone()
    all_reviews = reviews["correct_count"] + reviews["wrong_count"]
    new_words = study_queue.new_words_count(db)
    return {
        "total_vocabulary": db.execute("SELECT count(*) FROM words").fetchone()[0],
        "total_words_studied": reviews["studied_words"],
        "mastered_words": reviews["mastered_words"],
        "success_rate": json_float(reviews["correct_count"] / all_reviews) if all_reviews else 0,
        "total_sessions": sessions_count(db),
        "active_groups": db.execute(
            """SELECT count(*) FROM groups g WHERE EXISTS (
                   SELECT 1 FROM study_sessions s
                   WHERE s.group_id = g.id AND s.created_at >= ?)""",
            (active_since(now),)).fetchone()[0],
        "current_streak": current_streak(db, now.date()),
        "due_now": study_queue.due_count(db, now),
        "new_available_today": min(new_words, study_queue.new_allowance_left(db, new_per_day, now)),
    }


def current_streak(db, today):
    """Consecutive UTC days with a session, ending today or yesterday."""
    for last_day in (today, today - timedelta(days=1)):
        if has_session_on(db, last_day):
            break
    else:
        return 0
    # Walk back one day at a time, each step one index lookup.
    return db.execute(
        """WITH RECURSIVE streak(day) AS (
               VALUES (?)
               UNION ALL
               SELECT date(day, '-1 day') FROM streak WHERE EXISTS (
                   SELECT 1 FROM study_sessions
                   WHERE created_at >= date(day, '-1 day') AND created_at < day)
           )
           SELECT count(*) FROM streak""", (last_day.isoformat(),)).fetchone()[0]


def has_session_on(db, day):
    return db.execute(
        "SELECT 1 FROM study_sessions WHERE created_at >= ? AND created_at < ? LIMIT 1",
        (day.isoformat(), (day + timedelta(days=1)).isoformat())).fetchone() is not None
