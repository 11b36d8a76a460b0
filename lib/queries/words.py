"""A word: its SELECTs, sort whitelists and JSON shape, written once and used
by every route that shows one."""
from lib.base.errors import not_found
from lib.base.jsonio import raw_json
from lib.base.timeutil import utc_now
from lib.queries.groups import find_group, group_json
from lib.queries.reviews import reviews_url
from lib.scheduler.outcomes import next_due_json
from lib.scheduler.parameters import get_scheduler
from lib.scheduler.scheduling import schedule_json
from lib.store.pagination import fetch_page, list_query

# A word in a list: its review totals and due time. parts is compact JSON
# text (lib/base/jsonio.py compact_json), put into the answer as it is (raw_json),
# never parsed into Python and written again. Every SELECT of a word starts
# with these columns in this order (word_json reads them by position).
WORD_LIST_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, r.correct_count, r.wrong_count, r.due
    FROM words w JOIN word_reviews r ON r.word_id = w.id
"""
# A word with its whole FSRS card (lib/scheduler/scheduling.py, CARD_COLUMNS and last_reviewed).
WORD_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, r.correct_count, r.wrong_count, r.due,
           r.state, r.step, r.stability, r.difficulty, r.last_reviewed, r.reps, r.lapses,
           r.first_review
    FROM words w JOIN word_reviews r ON r.word_id = w.id
"""
# A new word (due NULL) sorts as due at the end of time: last in asc, first in
# desc. The expression is the one indexed (word_reviews_due_order).
DUE_ORDER = "coalesce(r.due, '9999-12-31T23:59:59Z')"
WORD_SORT = {
    "kanji": ("w.kanji", "w.id"),
    "romaji": ("w.romaji", "w.id"),
    "english": ("w.english", "w.id"),
    "correct_count": ("r.correct_count", "r.word_id"),
    "wrong_count": ("r.wrong_count", "r.word_id"),
    "due": (DUE_ORDER, "r.word_id"),
}
WordListQuery = list_query("WordListQuery", WORD_SORT, "kanji", per_page=50)
# A group's words, sorted by the copies its links keep (lib/store/copies.py).
GROUP_WORD_SELECT = """
    SELECT w.id, w.kanji, w.romaji, w.english, w.parts, wg.correct_count, wg.wrong_count, wg.due
    FROM word_groups wg JOIN words w ON w.id = wg.word_id
"""
GROUP_WORD_SORT = {key: (f"wg.{key}", "wg.word_id") for key in WORD_SORT}
GROUP_WORD_SORT["due"] = (DUE_ORDER.replace("r.", "wg."), "wg.word_id")


def all_group_words(db, group_id):
    """A group's id and name, and every word of it by id: what a study
    activity quizzes."""
    group = find_group(db, group_id)
    rows = db.execute(f"{GROUP_WORD_SELECT} WHERE wg.group_id = ? ORDER BY wg.word_id",
                      (group_id,))
    return {"group_id": group["id"], "group_name": group["name"],
            "words": [word_json(row) for row in rows]}


def word_json(row):
    """A word from a row that starts with WORD_LIST_SELECT's columns; `due`
    when the row has it (a session's words have not). By position: looking
    each column up by name took as long as the page's SQL."""
    word_id, kanji, romaji, english, parts, correct_count, wrong_count = row[:7]
    word = {
        "id": word_id,
        "kanji": kanji,
        "romaji": romaji,
        "english": english,
        "parts": raw_json(parts),
        "correct_count": correct_count,
        "wrong_count": wrong_count,
    }
    if len(row) > 7:
        word["due"] = row[7]
    return word


SESSION_WORD_SORT = {"word_id": ("i.word_id",)}
SessionWordsQuery = list_query("SessionWordsQuery", SESSION_WORD_SORT, "word_id", per_page=50)


def session_words(db, session_id, query):
    """(a page of the words reviewed in the session, each with its counts in
    it; how many words it reviewed)."""
    total = db.execute(
        "SELECT count(DISTINCT word_id) FROM word_review_items WHERE study_session_id = ?",
        (session_id,)).fetchone()[0]
    rows = fetch_page(
        db, """SELECT w.id, w.kanji, w.romaji, w.english, w.parts,
                      sum(i.correct) AS correct_count, count(*) - sum(i.correct) AS wrong_count
               FROM word_review_items i JOIN words w ON w.id = i.word_id
               WHERE i.study_session_id = :session_id GROUP BY i.word_id""",
        {"session_id": session_id}, SESSION_WORD_SORT[query.sort_by], query, total)
    return [word_json(row) for row in rows], total


def word_detail(db, word_id):
    """A word with its review totals, its FSRS schedule now, the due time each
    rating would set now, and the groups it belongs to."""
    row = db.execute(f"{WORD_SELECT} WHERE w.id = ?", (word_id,)).fetchone()
    if row is None:
        raise not_found("Word", word_id)
    groups = db.execute(
        """SELECT g.id, g.name, g.words_count FROM groups g
           JOIN word_groups wg ON wg.group_id = g.id
           WHERE wg.word_id = ? ORDER BY g.name""", (word_id,))
    scheduler, now = get_scheduler(), utc_now()
    return {**word_json(row), "groups": [group_json(group) for group in groups],
            "schedule": schedule_json(row, scheduler, now),
            "next_due": next_due_json(row, scheduler, now),
            "reviews_url": reviews_url(word_id=word_id)}


def word_page(db, query):
    """(one page of every word as JSON, how many words there are)."""
    total = db.execute("SELECT count(*) FROM words").fetchone()[0]
    rows = fetch_page(db, WORD_LIST_SELECT, {}, WORD_SORT[query.sort_by], query, total)
    return [word_json(row) for row in rows], total


def group_word_page(db, group, query):
    """(one page of a group's words as JSON, how many it has); group is its row."""
    rows = fetch_page(db, f"{GROUP_WORD_SELECT} WHERE wg.group_id = :group_id",
                      {"group_id": group["id"]}, GROUP_WORD_SORT[query.sort_by], query,
                      group["words_count"])
    return [word_json(row) for row in rows], group["words_count"]
