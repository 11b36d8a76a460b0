import io

from flask import Blueprint, request, send_file

from lib.http.request_models import GroupCreate, GroupUpdate, NoFields
from lib.http.response_models import (
    Group,
    GroupPage,
    GroupWordsRaw,
    LegacyGroupPage,
    LegacySessionPage,
    LegacyWordPage,
    SessionPage,
    Word,
    WordPage,
)
from lib.http.route import route
from lib.inventory import writes as inventory
from lib.inventory.deck import APKG_TYPE, group_deck, write_package
from lib.queries.groups import GroupListQuery, find_group, group_json, group_page
from lib.queries.sessions import SessionListQuery, group_session_page
from lib.queries.words import WordListQuery, all_group_words, group_word_page
from lib.store.db import get_db
from lib.store.pagination import page_json
from lib.store.transactions import transaction

bp = Blueprint("groups", __name__)


@route(bp, "/api/groups", GroupPage, alias="/groups", alias_response=LegacyGroupPage,
       query=GroupListQuery)
def list_groups(query):
    """Every word group with its word count."""
    groups, total = group_page(get_db(), query)
    return page_json(groups, total, query, legacy_key="groups")


@route(bp, "/api/groups/<id:group_id>", Group, alias="/groups/<id:group_id>")
def get_group(group_id):
    """A word group."""
    return group_json(find_group(get_db(), group_id))


@route(bp, "/api/groups/<id:group_id>/words", WordPage, alias="/groups/<id:group_id>/words",
       alias_response=LegacyWordPage, query=WordListQuery)
def list_group_words(group_id, query):
    """The words of a group with their review totals."""
    db = get_db()
    words, total = group_word_page(db, find_group(db, group_id), query)
    return page_json(words, total, query, legacy_key="words", total_words=total)


@route(bp, "/api/groups/<id:group_id>/words/raw", list[Word],
       alias="/groups/<id:group_id>/words/raw", alias_response=GroupWordsRaw)
def list_group_words_raw(group_id):
    """Every word of a group, with its parts, for a study activity to quiz."""
    raw = all_group_words(get_db(), group_id)
    # The frontend's path, which the Typing Tutor reads, has the group's name
    # too; the /api path keeps the bare array its clients have read so far.
    return raw["words"] if request.path.startswith("/api/") else raw


@route(bp, "/api/groups/<id:group_id>/deck.apkg", None,
       content={APKG_TYPE: {"type": "string", "contentEncoding": "binary"}})
def export_deck(group_id):
    """The group as an Anki deck: a note per word, updated on a later import."""
    name, deck = group_deck(get_db(), group_id)
    package = io.BytesIO()
    write_package(deck, package)
    package.seek(0)
    return send_file(package, mimetype=APKG_TYPE, as_attachment=True,
                     download_name=f"{name}.apkg", etag=False, conditional=False)


@route(bp, "/api/groups/<id:group_id>/study-sessions", SessionPage,
       alias="/groups/<id:group_id>/study_sessions", alias_response=LegacySessionPage,
       query=SessionListQuery)
def list_group_sessions(group_id, query):
    """The study sessions of a group, newest first."""
    db = get_db()
    sessions, total = group_session_page(db, find_group(db, group_id), query)
    return page_json(sessions, total, query, legacy_key="study_sessions")


@route(bp, "/api/groups", Group, methods=["POST"], body=GroupCreate, status=201,
       statuses=(409,), admin=True)
def create_group(body):
    """Adds an empty group; its name must be free."""
    db = get_db()
    with transaction(db):
        group_id = inventory.create_group(db, body.name)
    return (group_json(find_group(db, group_id)), 201,
            {"Location": f"/api/groups/{group_id}"})


@route(bp, "/api/groups/<id:group_id>", Group, methods=["PATCH"], body=GroupUpdate,
       statuses=(409,), admin=True)
def rename_group(group_id, body):
    """Renames a group; the new name must be free."""
    db = get_db()
    with transaction(db):
        inventory.rename_group(db, group_id, body.name)
    return group_json(find_group(db, group_id))


@route(bp, "/api/groups/<id:group_id>", None, methods=["DELETE"], status=204, statuses=(409,),
       admin=True)
def delete_group(group_id):
    """Deletes a group no study session refers to; its words stay."""
    db = get_db()
    with transaction(db):
        inventory.delete_group(db, group_id)
    return "", 204


@route(bp, "/api/groups/<id:group_id>/words/<id:word_id>", Group, methods=["PUT"], body=NoFields,
       status=201, statuses=(200,), admin=True)
def add_group_word(group_id, word_id, body):
    """Puts a word in a group: 201 when added, 200 when it was there already."""
    db = get_db()
    with transaction(db):
        added = inventory.add_to_group(db, group_id, word_id)
    return group_json(find_group(db, group_id)), 201 if added else 200


@route(bp, "/api/groups/<id:group_id>/words/<id:word_id>", None, methods=["DELETE"],
       status=204, admin=True)
def remove_group_word(group_id, word_id):
    """Takes a word out of a group (the word stays)."""
    db = get_db()
    with transaction(db):
        inventory.remove_from_group(db, group_id, word_id)
    return "", 204
