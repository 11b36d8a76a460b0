"""The learning record's writes: a session started, answers recorded in it
with every counter, copy and card they change, and the reset of the whole
history."""
from collections import defaultdict

from lib.base.errors import ApiError, invalid, not_found
from lib.base.timeutil import CLOCK_SKEW, format_utc, utc_now
from lib.queries.sessions import find_session
from lib.scheduler import scheduling
from lib.scheduler.parameters import delete_fits, get_scheduler
from lib.scheduler.scheduling import check_rating
from lib.store.copies import copy_reviews
from lib.store.counters import is_mastered
from lib.store.db import placeholders


def start_session(db, group_id, activity_id, created_at):
    """Starts a session, inside the caller's transaction; returns its row."""
    # Counting the session in its group and activity also proves they
    # exist, and gives their names, which the session keeps a copy of.
    group = db.execute(
        "UPDATE groups SET sessions_count = sessions_count + 1 WHERE id = ? RETURNING name",
        (group_id,)).fetchone()
    if group is None:
        raise not_found("Group", group_id)
    activity = db.execute(
        """UPDATE study_activities SET sessions_count = sessions_count + 1 WHERE id = ?
           RETURNING name""", (activity_id,)).fetchone()
    if activity is None:
        raise not_found("Study activity", activity_id)
    # Not INSERT ... RETURNING, which measured 150 us here against 36 us
    # for the INSERT and a SELECT of the row.
    session_id = db.execute(
        """INSERT INTO study_sessions (group_id, group_name, study_activity_id, activity_name,
                                       created_at, last_activity_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (group_id, group["name"], activity_id, activity["name"], created_at,
         created_at)).lastrowid
    return find_session(db, session_id)


def record_reviews(db, session_id, reviews, single=False):
    """Records answers given in a session, inside the caller's transaction.
    A retried review_id is reported as a duplicate and not counted again,
    even when its word has left the session's group since; a new answer's
    word must exist (404) and be in the group (400).
    single: one answer posted alone, to .../words/<word_id>/review, whose
    errors name that request's fields (review_field). Returns the answer of
    the review routes."""
    session = db.execute("SELECT created_at, group_id FROM study_sessions WHERE id = ?",
                         (session_id,)).fetchone()
    if session is None:
        raise not_found("Study session", session_id)
    # A session may start a little ahead of our clock (CLOCK_SKEW).
    default_time = max(format_utc(utc_now()), session["created_at"])
    items, new_items = [], []
    for index, review in enumerate(reviews):
        reviewed_at, adjusted = review_time(review, session["created_at"], default_time,
                                            review_field(single, index, "reviewed_at"))
        item = {"id": None, "word_id": review.word_id, "is_correct": review.is_correct,
                "rating": check_rating(review.is_correct, review.rating),
                "reviewed_at": reviewed_at,
                "review_id": str(review.review_id) if review.review_id else None}
        earlier = find_retry(db, session_id, item, review.reviewed_at is not None,
                             review.rating is not None)
        if earlier:
            items.append({**earlier, "duplicate": True, "reviewed_at_adjusted": adjusted})
        else:
            item.update(duplicate=False, reviewed_at_adjusted=adjusted)
            items.append(item)
            new_items.append(item)
    # Every word of the answer; a duplicate's exists (deleting a word deletes its reviews).
    word_ids = sorted({review.word_id for review in reviews})
    words = word_rows(db, word_ids)
    if new_items:
        check_words(db, sorted({item["word_id"] for item in new_items}), session["group_id"],
                    single)
        for item in new_items:
            item["id"] = insert_review(db, session_id, session["group_id"], item)
        studied, mastered = update_words(db, words, new_items)
        update_totals(db, session_id, new_items, studied, mastered)
    return {"recorded": len(new_items), "duplicates": len(items) - len(new_items),
            "items": items,
            "words": [{"word_id": word_id, "correct_count": words[word_id]["correct_count"],
                       "wrong_count": words[word_id]["wrong_count"]} for word_id in word_ids]}


def word_rows(db, word_ids):
    """Each word's totals and card, by word id, as dicts."""
    return {row["word_id"]: dict(row) for row in db.execute(
        f"""SELECT word_id, correct_count, wrong_count, last_reviewed, {scheduling.CARD_COLUMNS}
            FROM word_reviews WHERE word_id IN ({placeholders(word_ids)})""", word_ids)}


def insert_review(db, session_id, group_id, item):
    """group_id: the session's, copied for the review log."""
    return db.execute(
        """INSERT INTO word_review_items (word_id, study_session_id, group_id, correct, rating,
                                          created_at, review_id, reviewed_at_adjusted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (item["word_id"], session_id, group_id, item["is_correct"], item["rating"],
         item["reviewed_at"], item["review_id"], item["reviewed_at_adjusted"])).lastrowid


def reset_history(db):
    """Deletes every session and review, zeroes every review counter, puts
    every card back to new and the scheduler back to FSRS's default
    parameters (a fit is of the history deleted), inside the caller's transaction."""
    db.execute("DELETE FROM word_review_items")
    db.execute("DELETE FROM study_sessions")
    db.execute("UPDATE word_reviews SET correct_count = 0, wrong_count = 0, last_reviewed = NULL")
    scheduling.reset_cards(db)
    delete_fits(db)  # back to the default parameters
    copy_reviews(db)
    db.execute("UPDATE groups SET sessions_count = 0")
    db.execute("UPDATE study_activities SET sessions_count = 0")
    db.execute("""UPDATE review_stats SET studied_words = 0, mastered_words = 0,
                  correct_count = 0, wrong_count = 0""")


def review_field(single, index, name):
    """A review's field as the request names it: reviews.0.reviewed_at in a
    batch, reviewed_at in an answer posted alone (its word_id is the path's)."""
    return name if single else f"reviews.{index}.{name}"


def review_time(review, session_start, default_time, field):
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
    raise invalid(field, f"is before the session started ({session_start}) by more than "
                  f"{CLOCK_SKEW.seconds} s")


def check_words(db, word_ids, group_id, single):
    """Every word must exist (404) and be in the session's group (400); the
    errors of a batch name all such words, the error of an answer posted
    alone its word_id."""
    found = {row[0]: row[1] for row in db.execute(
        f"""SELECT w.id, wg.group_id FROM words w
            LEFT JOIN word_groups wg ON wg.word_id = w.id AND wg.group_id = ?
            WHERE w.id IN ({placeholders(word_ids)})""", [group_id, *word_ids])}
    missing = [word_id for word_id in word_ids if word_id not in found]
    if missing and single:
        raise not_found("Word", missing[0])
    if missing:
        raise ApiError(404, f"Word ids not found: {', '.join(map(str, missing))}")
    outside = [word_id for word_id in word_ids if found[word_id] is None]
    if outside and single:
        raise invalid("word_id", f"word {outside[0]} is not in the session's group")
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


# A word's review totals and its card, written at once.
STORE_WORD = f"""UPDATE word_reviews SET correct_count = :correct_count,
                     wrong_count = :wrong_count, last_reviewed = :last_reviewed,
                     {scheduling.SET_CARD}
                 WHERE word_id = :word_id"""


def update_words(db, words, new_items):
    """Adds new_items to their words' totals and cards, in one UPDATE a word,
    and to the copies in their groups. words holds each word's row (word_rows)
    as it was before them, and is updated. Returns how many words were studied for
    the first time, and how many more are mastered."""
    scheduler = get_scheduler()
    by_word = defaultdict(list)
    for item in new_items:
        by_word[item["word_id"]].append(item)
    studied = mastered = 0
    for word_id, items in by_word.items():
        before = words[word_id]
        correct = sum(item["is_correct"] for item in items)
        after = words[word_id] = {
            **before,
            **scheduling.card_after_reviews(db, scheduler, before, items),
            "correct_count": before["correct_count"] + correct,
            "wrong_count": before["wrong_count"] + len(items) - correct,
            "last_reviewed": max(before["last_reviewed"] or "",
                                 *(item["reviewed_at"] for item in items)),
        }
        studied += before["correct_count"] + before["wrong_count"] == 0
        mastered += (is_mastered(after["correct_count"], after["wrong_count"])
                     - is_mastered(before["correct_count"], before["wrong_count"]))
    db.executemany(STORE_WORD, [words[word_id] for word_id in by_word])
    copy_reviews(db, list(by_word))
    return studied, mastered


def update_totals(db, session_id, new_items, studied, mastered):
    """Adds new_items to the session's totals and the dashboard's."""
    correct = sum(item["is_correct"] for item in new_items)
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
