from datetime import timedelta
from typing import Optional

from flask import Blueprint, current_app, jsonify

from lib import study_queue
from lib.api import route
from lib.conditional import remembered
from lib.counters import sessions_count
from lib.db import get_db
from lib.jsonio import json_float
from lib.resources import SESSION_SELECT, session_json
from lib.responses import ForecastDay, Session, Stats
from lib.schemas import ForecastQuery
from lib.timeutil import format_utc, parse_utc, utc_now

bp = Blueprint("dashboard", __name__)

ACTIVE_GROUP_DAYS = 30


@route(bp, "/api/dashboard/recent-session", Optional[Session], alias="/dashboard/recent-session")
def recent_session():
    """The latest study session, or null when there is none."""
    row = get_db().execute(
        f"{SESSION_SELECT} ORDER BY s.created_at DESC, s.id DESC LIMIT 1").fetchone()
    return jsonify(session_json(row) if row else None)


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


@route(bp, "/api/dashboard/stats", Stats, alias="/dashboard/stats", clock=next_stats_change)
def stats():
    """The portal's figures; the README defines each."""
    return remembered(lambda: figures(get_db(), utc_now()))


def figures(db, now):
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
        "new_available_today": min(new_words, study_queue.new_allowance_left(
            db, current_app.config["NEW_PER_DAY"], now)),
    }


@route(bp, "/api/dashboard/forecast", list[ForecastDay], query=ForecastQuery,
       clock=study_queue.next_day)
def forecast(query):
    """Words due on each UTC day from today (today also counts every overdue word)."""
    return jsonify(remembered(
        lambda: study_queue.forecast(get_db(), utc_now().date(), query.days), query.days))


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
