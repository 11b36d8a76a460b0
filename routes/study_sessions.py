from collections import defaultdict

from flask import Blueprint

from lib import scheduling
from lib.api import route
from lib.counters import is_mastered
from lib.copies import copy_review_totals
from lib.db import get_db, transaction
from lib.errors import ApiError, invalid, not_found
from lib.pagination import fetch_page, list_query, page_fields, page_json
from lib.resources import (
    SESSION_RETURNING,
    SESSION_SELECT,
    SessionListQuery,
    session_json,
    session_page,
    word_json,
)
from lib.schemas import (
    BatchReview,
    Message,
    NoFields,
    ReviewBatch,
    ReviewResult,
    Session,
    SessionDetail,
    SessionPage,
    SingleReview,
    StudySessionCreate,
    check_rating,
)
from lib.timeutil import CLOCK_SKEW, format_utc, utc_now

bp = Blueprint("study_sessions", __name__)

SESSION_WORD_SORT = {"word_id": ("i.word_id",)}
SessionWordsQuery = list_query("SessionWordsQuery", SESSION_WORD_SORT, "word_id", per_page=50)


def find_session(db, session_id):
    row = db.execute(f"{SESSION_SELECT} WHERE s.id = ?", (session_id,)).fetchone()
    if row is None:
        raise not_found("Study session", session_id)
    return row


@route(bp, "/api/study-sessions", SessionPage, query=SessionListQuery)
def list_sessions(query):
    """Every study session, newest first."""
    db = get_db()
    total = db.execute("SELECT coalesce(sum(sessions_count), 0) FROM groups").fetchone()[0]
    return page_json(session_page(db, None, None, query, total), total, query)


@route(bp, "/api/study-sessions/<id:session_id>", SessionDetail, query=SessionWordsQuery)
def get_session(session_id, query):
    """A study session and the words reviewed in it, with the counts within it."""
    db = get_db()
    session = find_session(db, session_id)
    total = db.execute(
        "SELECT count(DISTINCT word_id) FROM word_review_items WHERE study_session_id = ?",
        (session_id,)).fetchone()[0]
    rows = fetch_page(
        db, """SELECT w.id, w.kanji, w.romaji, w.english, json(w.parts) AS parts,
                      sum(i.correct) AS correct_count, count(*) - sum(i.correct) AS wrong_count
               FROM word_review_items i JOIN words w ON w.id = i.word_id
               WHERE i.study_session_id = :session_id GROUP BY i.word_id""",
        {"session_id": session_id}, SESSION_WORD_SORT[query.sort_by], query, total)
    return {"session": session_json(session), "words": [word_json(row) for row in rows],
            **page_fields(total, query)}


@route(bp, "/api/study-sessions", Session, alias="/study_sessions", methods=["POST"],
       body=StudySessionCreate, status=201)
def create_session(body):
    """Starts a study session of a group with an activity."""
    db = get_db()
    created_at = format_utc(body.created_at or utc_now())
    with transaction(db):
        # Counting the session in its group and activity also proves they
        # exist, and gives their names, which the session keeps a copy of.
        group = db.execute(
            "UPDATE groups SET sessions_count = sessions_count + 1 WHERE id = ? RETURNING name",
            (body.group_id,)).fetchone()
        if group is None:
            raise not_found("Group", body.group_id)
        activity = db.execute(
            """UPDATE study_activities SET sessions_count = sessions_count + 1 WHERE id = ?
               RETURNING name""", (body.study_activity_id,)).fetchone()
        if activity is None:
            raise not_found("Study activity", body.study_activity_id)
        row = db.execute(
            f"""INSERT INTO study_sessions (group_id, group_name, study_activity_id, activity_name,
                                            created_at, last_activity_at)
                VALUES (?, ?, ?, ?, ?, ?) {SESSION_RETURNING}""",
            (body.group_id, group["name"], body.study_activity_id, activity["name"], created_at,
             created_at)).fetchone()
    return session_json(row), 201, {"Location": f"/api/study-sessions/{row['id']}"}


@route(bp, "/api/study-sessions/reset", Message, methods=["POST"], body=NoFields)
def reset_history(body):
    """Deletes every study session and review, zeroes every review counter and
    puts every word's card back to new."""
    db = get_db()
    with transaction(db):
        db.execute("DELETE FROM word_review_items")
        db.execute("DELETE FROM study_sessions")
        db.execute("UPDATE word_reviews SET correct_count = 0, wrong_count = 0, last_reviewed = NULL")
        scheduling.reset_cards(db)
        db.execute("""UPDATE word_groups SET correct_count = 0, wrong_count = 0
                      WHERE correct_count > 0 OR wrong_count > 0""")
        db.execute("UPDATE groups SET sessions_count = 0")
        db.execute("UPDATE study_activities SET sessions_count = 0")
        db.execute("""UPDATE review_stats SET studied_words = 0, mastered_words = 0,
                      correct_count = 0, wrong_count = 0""")
    return {"message": "Study history has been reset"}


@route(bp, "/api/study-sessions/<id:session_id>/review", ReviewResult,
       alias="/study_sessions/<id:session_id>/review", methods=["POST"], body=ReviewBatch,
       status=201, statuses=(200, 409))
def review_words(session_id, body):
    """Records a batch of answers (1 to 500), all or nothing."""
    return record_reviews(session_id, body.reviews)


@route(bp, "/api/study-sessions/<id:session_id>/words/<id:word_id>/review", ReviewResult,
       methods=["POST"], body=SingleReview, status=201, statuses=(200, 409))
def review_word(session_id, word_id, body):
    """Records one answer, for activities that post as they go."""
    review = BatchReview.model_construct(word_id=word_id, is_correct=body.correct,
                                         rating=body.rating, reviewed_at=body.reviewed_at,
                                         review_id=body.review_id)
    return record_reviews(session_id, [review])


def record_reviews(session_id, reviews):
    db = get_db()
    now = format_utc(utc_now())
    with transaction(db):
        session = db.execute("SELECT created_at, group_id FROM study_sessions WHERE id = ?",
                             (session_id,)).fetchone()
        if session is None:
            raise not_found("Study session", session_id)
        # A session may start a little ahead of our clock (CLOCK_SKEW).
        default_time = max(now, session["created_at"])
        word_ids = sorted({review.word_id for review in reviews})
        check_words(db, word_ids, session["group_id"])
        items, new_items = [], []
        for index, review in enumerate(reviews):
            reviewed_at, adjusted = review_time(review, session["created_at"], default_time, index)
            item = {"id": None, "word_id": review.word_id, "is_correct": review.is_correct,
                    "rating": check_rating(review.is_correct, review.rating),
                    "reviewed_at": reviewed_at,
                    "review_id": str(review.review_id) if review.review_id else None}
            stored = find_retry(db, session_id, item, review.reviewed_at is not None,
                                review.rating is not None)
            if stored:
                items.append({**stored, "duplicate": True, "reviewed_at_adjusted": adjusted})
                continue
            item["id"] = db.execute(
                """INSERT INTO word_review_items
                   (word_id, study_session_id, correct, rating, created_at, review_id)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (item["word_id"], session_id, item["is_correct"], item["rating"],
                 item["reviewed_at"], item["review_id"])).lastrowid
            new_items.append(item)
            items.append({**item, "duplicate": False, "reviewed_at_adjusted": adjusted})
        # Before the counters: a word's last review as counted so far decides
        # whether its card goes on or replays its history.
        cards = scheduling.cards_after_reviews(db, scheduling.get_scheduler(), new_items)
        update_counters(db, session_id, new_items)
        scheduling.store_cards(db, cards)
        totals = db.execute(
            f"""SELECT word_id, correct_count, wrong_count FROM word_reviews
                WHERE word_id IN ({placeholders(word_ids)}) ORDER BY word_id""", word_ids).fetchall()
    return ({"recorded": len(new_items), "duplicates": len(items) - len(new_items),
             "items": items, "words": [dict(row) for row in totals]},
            201 if new_items else 200)


def review_time(review, session_start, default_time, index):
    """(reviewed_at as stored, whether it was moved). A client clock a little
    behind ours stamps answers just before the session's start (which our
    clock set): within CLOCK_SKEW they are taken as the start."""
    if review.reviewed_at is None:
        return default_time, False
    reviewed_at = format_utc(review.reviewed_at)
    if reviewed_at >= session_start:
        return reviewed_at, False
    if format_utc(review.reviewed_at + CLOCK_SKEW) >= session_start:
        return session_start, True
    raise invalid(f"reviews.{index}.reviewed_at",
                  f"is before the session started ({session_start}) by more than "
                  f"{CLOCK_SKEW.seconds} s")


def placeholders(values):
    return ", ".join("?" * len(values))


def check_words(db, word_ids, group_id):
    """Every word must exist (404) and be in the session's group (400)."""
    found = {row[0]: row[1] for row in db.execute(
        f"""SELECT w.id, wg.group_id FROM words w
            LEFT JOIN word_groups wg ON wg.word_id = w.id AND wg.group_id = ?
            WHERE w.id IN ({placeholders(word_ids)})""", [group_id, *word_ids])}
    missing = [word_id for word_id in word_ids if word_id not in found]
    if missing:
        raise ApiError(404, f"Word ids not found: {', '.join(map(str, missing))}")
    outside = [word_id for word_id in word_ids if found[word_id] is None]
    if outside:
        raise invalid("reviews", "words not in the session's group: "
                      f"{', '.join(map(str, outside))}")


def find_retry(db, session_id, item, reviewed_at_given, rating_given):
    """The stored item when this review_id was recorded before with the same
    content (a safe retry); a 409 when it was recorded with other content.
    A retry that omits reviewed_at or rating matches whatever was stored."""
    if item["review_id"] is None:
        return None
    row = db.execute(
        """SELECT id, word_id, study_session_id, correct, rating, created_at FROM word_review_items
           WHERE review_id = ?""", (item["review_id"],)).fetchone()
    if row is None:
        return None
    same = (row["study_session_id"] == session_id and row["word_id"] == item["word_id"]
            and bool(row["correct"]) == item["is_correct"]
            and (not reviewed_at_given or row["created_at"] == item["reviewed_at"])
            and (not rating_given or row["rating"] == item["rating"]))
    if not same:
        raise ApiError(409, f"review_id {item['review_id']} was already recorded with other content")
    return {"id": row["id"], "word_id": row["word_id"], "is_correct": bool(row["correct"]),
            "rating": row["rating"] or check_rating(bool(row["correct"]), None),
            "reviewed_at": row["created_at"], "review_id": item["review_id"]}


def update_counters(db, session_id, new_items):
    """Adds the new items to every counter, inside the caller's transaction."""
    if not new_items:
        return
    per_word = defaultdict(lambda: {"correct": 0, "wrong": 0, "last": ""})
    for item in new_items:
        totals = per_word[item["word_id"]]
        totals["correct" if item["is_correct"] else "wrong"] += 1
        totals["last"] = max(totals["last"], item["reviewed_at"])
    studied = mastered = 0
    for word_id, delta in per_word.items():
        correct, wrong = db.execute(
            """INSERT INTO word_reviews (word_id, correct_count, wrong_count, last_reviewed)
               VALUES (?, ?, ?, ?)
               ON CONFLICT (word_id) DO UPDATE SET
                   correct_count = correct_count + excluded.correct_count,
                   wrong_count = wrong_count + excluded.wrong_count,
                   last_reviewed = max(coalesce(last_reviewed, ''), excluded.last_reviewed)
               RETURNING correct_count, wrong_count""",
            (word_id, delta["correct"], delta["wrong"], delta["last"])).fetchone()
        old_correct, old_wrong = correct - delta["correct"], wrong - delta["wrong"]
        studied += old_correct + old_wrong == 0
        mastered += is_mastered(correct, wrong) - is_mastered(old_correct, old_wrong)
    copy_review_totals(db, list(per_word))
    correct = sum(delta["correct"] for delta in per_word.values())
    wrong = len(new_items) - correct
    db.execute(
        """UPDATE study_sessions SET
               review_items_count = review_items_count + :count,
               correct_count = correct_count + :correct, wrong_count = wrong_count + :wrong,
               last_activity_at = max(last_activity_at, :last)
           WHERE id = :session_id""",
        {"count": len(new_items), "correct": correct, "wrong": wrong, "session_id": session_id,
         "last": max(item["reviewed_at"] for item in new_items)})
    db.execute(
        """UPDATE review_stats SET studied_words = studied_words + ?,
               mastered_words = mastered_words + ?,
               correct_count = correct_count + ?, wrong_count = wrong_count + ?""",
        (studied, mastered, correct, wrong))
