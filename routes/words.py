from flask import Blueprint

from lib import inventory, study_queue
from lib.api import route
from lib.db import get_db, transaction
from lib.errors import invalid, not_found
from lib.pagination import fetch_page, page_json
from lib.readings import Unreadable, read_word
from lib.resources import WORD_LIST_SELECT, WORD_SORT, WordListQuery, word_detail, word_json
from lib.responses import LegacyWordPage, Reading, WordAnswer, WordPage
from lib.schemas import ReadingQuery, WordCreate, WordUpdate

bp = Blueprint("words", __name__)


@route(bp, "/api/words", WordPage, alias="/words", alias_response=LegacyWordPage,
       query=WordListQuery)
def list_words(query):
    """Every word with its review totals and due time, 50 a page."""
    db = get_db()
    total = db.execute("SELECT count(*) FROM words").fetchone()[0]
    rows = fetch_page(db, WORD_LIST_SELECT, {}, WORD_SORT[query.sort_by], query, total)
    return page_json([word_json(row) for row in rows], total, query,
                     legacy_key="words", total_words=total)


@route(bp, "/api/words/<id:word_id>", WordAnswer, alias="/words/<id:word_id>",
       clock=study_queue.next_schedule_change)
def get_word(word_id):
    """A word with its review totals, its FSRS schedule and the groups it belongs to."""
    word = word_detail(get_db(), word_id)
    if word is None:
        raise not_found("Word", word_id)
    return {"word": word}


@route(bp, "/api/words", WordAnswer, methods=["POST"], body=WordCreate, status=201,
       statuses=(409,), admin=True)
def create_word(body):
    """Adds a word; romaji and parts left out are read from the kanji."""
    entry = inventory.checked_word(kanji=body.kanji, english=body.english,
                                   romaji=body.romaji, parts=body.parts)
    db = get_db()
    with transaction(db):
        word_id = inventory.create_word(db, entry, body.group_ids)
    return {"word": word_detail(db, word_id)}, 201, {"Location": f"/api/words/{word_id}"}


@route(bp, "/api/words/<id:word_id>", WordAnswer, methods=["PATCH"], body=WordUpdate,
       statuses=(409,), admin=True)
def update_word(word_id, body):
    """Changes a word's fields; unknown fields are refused."""
    db = get_db()
    with transaction(db):
        inventory.update_word(db, word_id, body.changes())
    return {"word": word_detail(db, word_id)}


@route(bp, "/api/words/<id:word_id>", None, methods=["DELETE"], status=204, admin=True)
def delete_word(word_id):
    """Deletes a word with its memberships and reviews; every count follows."""
    db = get_db()
    with transaction(db):
        inventory.delete_word(db, word_id)
    return "", 204


@route(bp, "/api/readings", Reading, query=ReadingQuery)
def reading(query):
    """The romaji and parts a new word would get from its kanji."""
    try:
        romaji, parts = read_word(query.text)
    except Unreadable as error:
        raise invalid("text", f"cannot be read: {error}") from None
    return {"text": query.text, "romaji": romaji, "parts": parts}
