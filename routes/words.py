from flask import Blueprint

from lib.api import route
from lib.db import get_db
from lib.errors import not_found
from lib.pagination import fetch_page, page_json
from lib.resources import WORD_SELECT, WORD_SORT, WordListQuery, group_json, word_json
from lib.schemas import LegacyWordPage, WordAnswer, WordPage

bp = Blueprint("words", __name__)


@route(bp, "/api/words", WordPage, alias="/words", alias_response=LegacyWordPage,
       query=WordListQuery)
def list_words(query):
    """Every word with its review totals, 50 a page."""
    db = get_db()
    total = db.execute("SELECT count(*) FROM words").fetchone()[0]
    rows = fetch_page(db, WORD_SELECT, {}, WORD_SORT[query.sort_by], query, total)
    return page_json([word_json(row) for row in rows], total, query,
                     legacy_key="words", total_words=total)


@route(bp, "/api/words/<id:word_id>", WordAnswer, alias="/words/<id:word_id>")
def get_word(word_id):
    """A word with its review totals and the groups it belongs to."""
    db = get_db()
    row = db.execute(f"{WORD_SELECT} WHERE w.id = ?", (word_id,)).fetchone()
    if row is None:
        raise not_found("Word", word_id)
    groups = db.execute(
        """SELECT g.id, g.name, g.words_count FROM groups g
           JOIN word_groups wg ON wg.group_id = g.id
           WHERE wg.word_id = ? ORDER BY g.name""", (word_id,))
    return {"word": {**word_json(row), "groups": [group_json(group) for group in groups]}}
