"""Counter rules shared by the writes that keep counters current (see
sql/recount.sql, which rebuilds them all from the history)."""
import json


def is_mastered(correct, wrong):
    # At least 5 reviews and at least 80% correct (also in sql/recount.sql).
    return correct + wrong >= 5 and correct * 5 >= (correct + wrong) * 4


def sessions_count(db):
    """Every study session, from the groups' counters (no count of the history)."""
    return db.execute("SELECT coalesce(sum(sessions_count), 0) FROM groups").fetchone()[0]


def recount_sessions(db, session_ids):
    """Rebuilds the review totals and last activity of the given sessions from
    their reviews, as sql/recount.sql does for all of them."""
    db.execute(
        """UPDATE study_sessions SET
               review_items_count = totals.correct + totals.wrong,
               correct_count = totals.correct,
               wrong_count = totals.wrong,
               last_activity_at = max(study_sessions.created_at, coalesce(totals.last_at, ''))
           FROM (
               SELECT s.id AS session_id,
                      coalesce(sum(i.correct), 0) AS correct,
                      count(i.id) - coalesce(sum(i.correct), 0) AS wrong,
                      max(i.created_at) AS last_at
               FROM study_sessions s LEFT JOIN word_review_items i ON i.study_session_id = s.id
               WHERE s.id IN (SELECT value FROM json_each(:ids))
               GROUP BY s.id
           ) AS totals
           WHERE totals.session_id = study_sessions.id""",
        {"ids": json.dumps(list(session_ids))})
