from flask import Blueprint

from lib.http.request_models import ReadingQuery, WordCreate, WordUpdate
from lib.http.response_models import LegacyWordPage, Reading, WordAnswer, WordPage
from lib.http.route import route
from lib.inventory import readings
from lib.inventory import writes as inventory
from lib.learning import study_queue
from lib.queries.words import WordListQuery, word_detail, word_page
from lib.store.db import get_db
from lib.store.pagination import page_json
from lib.store.transactions import transaction

bp = Blueprint("words", __name__)


@route(bp, "/api/words", WordPage, alias="/words", alias_response=LegacyWordPage,
       query=WordListQuery)
def list_words(query):
    """Every word with its review totals and due time, 50 a page."""
    words, total = word_page(get_db(), query)
    return page_json(words, total, query, legacy_key="words", total_words=total)


@route(bp, "/api/words/<id:word_id>", WordAnswer, alias="/words/<id:word_id>",
       clock=study_queue.next_schedule_change)
def get_word(word_id):
    """A word with its review totals, its FSRS schedule and the groups it belongs to."""
    return {"word": word_detail(get_db(), word_id)}


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
    return readings.reading_of(query.text)
