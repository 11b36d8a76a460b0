from flask import Blueprint

from lib import inventory
from lib.api import route
from lib.db import get_db, transaction
from lib.errors import not_found
from lib.pagination import fetch_page, page_json
from lib.resources import (
    GROUP_SORT,
    GROUP_WORD_SELECT,
    GROUP_WORD_SORT,
    GroupListQuery,
    SessionListQuery,
    WordListQuery,
    all_group_words,
    group_json,
    session_page,
    word_json,
)
from lib.responses import (
    Group,
    GroupPage,
    LegacyGroupPage,
    LegacySessionPage,
    LegacyWordPage,
    SessionPage,
    Word,
    WordPage,
)
from lib.schemas import GroupCreate, GroupUpdate, NoFields

bp = Blueprint("groups", __name__)


def find_group(group_id):
    row = get_db().execute("SELECT * FROM groups WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise not_found("Group", group_id)
    return row


@route(bp, "/api/groups", GroupPage, alias="/groups", alias_response=LegacyGroupPage,
       query=GroupListQuery)
def list_groups(query):
    """Every word group with its word count."""
    db = get_db()
    total = db.execute("SELECT count(*) FROM groups").fetchone()[0]
    rows = fetch_page(db, "SELECT * FROM groups g", {}, GROUP_SORT[query.sort_by], query, total)
    return page_json([group_json(row) for row in rows], total, query, legacy_key="groups")


@route(bp, "/api/groups/<id:group_id>", Group, alias="/groups/<id:group_id>")
def get_group(group_id):
    """A word group."""
    return group_json(find_group(group_id))


@route(bp, "/api/groups/<id:group_id>/words", WordPage, alias="/groups/<id:group_id>/words",
       alias_response=LegacyWordPage, query=WordListQuery)
def list_group_words(group_id, query):
    """The words of a group with their review totals."""
    group = find_group(group_id)
    rows = fetch_page(get_db(), f"{GROUP_WORD_SELECT} WHERE wg.group_id = :group_id",
                      {"group_id": group_id}, GROUP_WORD_SORT[query.sort_by], query,
                      group["words_count"])
    return page_json([word_json(row) for row in rows], group["words_count"], query,
                     legacy_key="words", total_words=group["words_count"])


@route(bp, "/api/groups/<id:group_id>/words/raw", list[Word])
def list_group_words_raw(group_id):
    """Every word of a group, with its parts, for a study activity to quiz."""
    find_group(group_id)
    return all_group_words(get_db(), group_id)


@route(bp, "/api/groups/<id:group_id>/study-sessions", SessionPage,
       alias="/groups/<id:group_id>/study_sessions", alias_response=LegacySessionPage,
       query=SessionListQuery)
def list_group_sessions(group_id, query):
    """The study sessions of a group, newest first."""
    group = find_group(group_id)
    sessions = session_page(get_db(), "group_id", group_id, query, group["sessions_count"])
    return page_json(sessions, group["sessions_count"], query, legacy_key="study_sessions")


@route(bp, "/api/groups", Group, methods=["POST"], body=GroupCreate, status=201,
       statuses=(409,), admin=True)
def create_group(body):
    """Adds an empty group; its name must be free."""
    db = get_db()
    with transaction(db):
        group_id = inventory.create_group(db, body.name)
    return group_json(find_group(group_id)), 201, {"Location": f"/api/groups/{group_id}"}


@route(bp, "/api/groups/<id:group_id>", Group, methods=["PATCH"], body=GroupUpdate,
       statuses=(409,), admin=True)
def rename_group(group_id, body):
    """Renames a group; the new name must be free."""
    db = get_db()
    with transaction(db):
        inventory.rename_group(db, group_id, body.name)
    return group_json(find_group(group_id))


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
    return group_json(find_group(group_id)), 201 if added else 200


@route(bp, "/api/groups/<id:group_id>/words/<id:word_id>", None, methods=["DELETE"],
       status=204, admin=True)
def remove_group_word(group_id, word_id):
    """Takes a word out of a group (the word stays)."""
    db = get_db()
    with transaction(db):
        inventory.remove_from_group(db, group_id, word_id)
    return "", 204
