"""The review log as a file, CSV for the FSRS tools or NDJSON, written as it
is read: a generator of chunks over one SELECT, so memory stays flat however
long the history is. The whole export reads one snapshot (a read
transaction): answers stored meanwhile neither appear halfway nor shift it."""
import orjson

from lib.queries.reviews import REVIEW_COLUMNS, ReviewFilters, review_json, review_select

MEDIA_TYPES = {"csv": "text/csv", "ndjson": "application/x-ndjson"}
# The FSRS optimizer's review-log schema (fsrs-optimizer's README): card_id,
# review_time in milliseconds since the epoch (UTC), review_rating 1-4 (again,
# hard, good, easy). Its optional review_state and review_duration are left
# out: no answer has a duration, and a card's state at each answer would take
# a replay of its history.
CSV_HEADER = b"card_id,review_time,review_rating\n"
CSV_COLUMNS = """
    SELECT r.word_id, CAST(strftime('%s', r.created_at) AS INTEGER) * 1000,
           coalesce(r.rating, CASE WHEN r.correct THEN 3 ELSE 1 END)
    FROM word_review_items r INDEXED BY {index}
"""
COUNT_COLUMNS = "SELECT count(*) FROM word_review_items r INDEXED BY {index}"
CHUNK_ROWS = 2000


def export_chunks(db, filters, order, file_format, progress=None):
    """The export's bytes, a chunk at a time. Inside the caller's read
    transaction if db has one; else in one of its own, ended when the
    generator ends or is closed. progress(n): n more answers written."""
    csv = file_format == "csv"
    sql, params = review_select(filters, order, columns=CSV_COLUMNS if csv else REVIEW_COLUMNS)
    own = not db.in_transaction
    if own:
        db.execute("BEGIN")
    try:
        rows = db.execute(sql, params)
        if csv:
            yield CSV_HEADER
        while chunk := rows.fetchmany(CHUNK_ROWS):
            if csv:
                yield b"".join(b"%d,%d,%d\n" % tuple(row) for row in chunk)
            else:
                yield b"".join(orjson.dumps(review_json(row)) + b"\n" for row in chunk)
            if progress is not None:
                progress(len(chunk))
    finally:
        if own and db.in_transaction:
            db.execute("COMMIT")


def count_reviews(db, filters):
    """How many answers pass filters (for a progress bar); the whole history
    is one row's read (review_stats)."""
    if all(getattr(filters, name) is None for name in ReviewFilters.model_fields):
        return db.execute("SELECT correct_count + wrong_count FROM review_stats").fetchone()[0]
    sql, params = review_select(filters, columns=COUNT_COLUMNS)
    return db.execute(sql, params).fetchone()[0]
