"""The review log: every stored answer, filtered, newest or oldest first,
paged by a cursor on the sort key (reviewed_at, id).

A page is one range of an index on (filter, created_at, id), read from the
cursor on, so the page at the millionth answer costs what the first does
(OFFSET would step over every answer before it); and an answer stored while
a client pages never shifts the others, so none is skipped or repeated."""
import base64
import binascii
import re
from datetime import datetime
from typing import Annotated, Literal, Optional
from urllib.parse import urlencode

import orjson
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from lib.base.errors import invalid
from lib.base.fields import SQLITE_MAX_INT, ascii_integer, iso_datetime_text
from lib.base.timeutil import format_utc, to_utc
from lib.store.pagination import lowercase

MAX_LIMIT = 1000
QueryId = Annotated[int, Field(ge=1, le=SQLITE_MAX_INT), BeforeValidator(ascii_integer)]
# ISO 8601; with an offset it is converted to UTC, without one it is taken as UTC.
QueryDateTime = Annotated[datetime, Field(strict=False), BeforeValidator(iso_datetime_text),
                          AfterValidator(to_utc)]
Order = Annotated[Literal["asc", "desc"], BeforeValidator(lowercase)]


class ReviewFilters(BaseModel):
    """The filters of the review log and of its exports."""
    model_config = ConfigDict(extra="ignore")
    word_id: Optional[QueryId] = Field(None, description="only this word's answers")
    session_id: Optional[QueryId] = Field(None, description="only this study session's answers")
    group_id: Optional[QueryId] = Field(
        None, description="only the answers given in this group's study sessions")
    since: Optional[QueryDateTime] = Field(
        None, description="only answers reviewed at or after this moment (ISO 8601)")
    until: Optional[QueryDateTime] = Field(
        None, description="only answers reviewed before this moment (ISO 8601)")


class ReviewExportQuery(ReviewFilters):
    format: Annotated[Literal["csv", "ndjson"], BeforeValidator(lowercase)] = Field(
        examples=["csv"],
        description="csv: the FSRS optimizer's review log (card_id, review_time in ms, "
                    "review_rating); ndjson: one answer of /api/reviews a line")
    order: Order = Field("asc", description="asc: oldest first; desc: newest first")


class ReviewLogQuery(ReviewFilters):
    order: Order = Field("desc", description="desc: newest first; asc: oldest first")
    limit: Annotated[int, BeforeValidator(ascii_integer)] = Field(50, ge=1, le=MAX_LIMIT)
    cursor: Optional[str] = Field(
        None, max_length=200,
        description="the `next` of the page before, as it was given: the answers after it")


# Each filter's index, by preference (a session's answers are the fewest).
# The page walks one index range in (created_at, id) order and checks any
# other filter row by row. INDEXED BY makes the plan the same on every
# database, and an error rather than a scan if the index cannot serve it.
FILTER_INDEXES = (("session_id", "r.study_session_id", "word_review_items_session_time"),
                  ("word_id", "r.word_id", "word_review_items_word_time"),
                  ("group_id", "r.group_id", "word_review_items_group_time"))
ALL_INDEX = "word_review_items_time"
# An answer as the log shows it (review_json); a stored NULL rating reads as
# 3 when correct, else 1.
REVIEW_COLUMNS = """
    SELECT r.id, r.review_id, r.study_session_id, r.group_id, r.word_id, w.kanji, r.correct,
           coalesce(r.rating, CASE WHEN r.correct THEN 3 ELSE 1 END), r.created_at,
           r.reviewed_at_adjusted
    FROM word_review_items r INDEXED BY {index} JOIN words w ON w.id = r.word_id
"""


def review_json(row):
    """An answer from a REVIEW_COLUMNS row, by position."""
    (review_id, client_id, session_id, group_id, word_id, kanji, correct, rating, reviewed_at,
     adjusted) = row
    return {"id": review_id, "review_id": client_id, "session_id": session_id,
            "group_id": group_id, "word_id": word_id, "kanji": kanji,
            "is_correct": bool(correct), "rating": rating, "reviewed_at": reviewed_at,
            "reviewed_at_adjusted": None if adjusted is None else bool(adjusted)}


def review_select(filters, order=None, after=None, columns=REVIEW_COLUMNS):
    """(SQL, parameters) of the answers that pass filters, after the sort key
    `after` ((reviewed_at, id)) in order ("asc", "desc"; None: no ORDER BY).
    columns: the SELECT ... FROM, with {index} where INDEXED BY names one."""
    index, conditions, params = ALL_INDEX, [], {}
    for name, column, index_name in FILTER_INDEXES:
        if getattr(filters, name) is not None:
            index = index_name if index == ALL_INDEX else index
            conditions.append(f"{column} = :{name}")
            params[name] = getattr(filters, name)
    if filters.since is not None:
        conditions.append("r.created_at >= :since")
        params["since"] = format_utc(filters.since)
    if filters.until is not None:
        conditions.append("r.created_at < :until")
        params["until"] = format_utc(filters.until)
    if after is not None:
        conditions.append(f"(r.created_at, r.id) {'<' if order == 'desc' else '>'} (:at, :id)")
        params["at"], params["id"] = after
    sql = columns.format(index=index)
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if order is not None:
        direction = "DESC" if order == "desc" else "ASC"
        sql += f" ORDER BY r.created_at {direction}, r.id {direction}"
    return sql, params


def review_page(db, query):
    """{"items", "next"}: one page of the log; next is the cursor of the page
    after it, None when this page ends the log."""
    after = decode_cursor(query.cursor) if query.cursor is not None else None
    sql, params = review_select(query, query.order, after)
    rows = db.execute(f"{sql} LIMIT :limit", {**params, "limit": query.limit + 1}).fetchall()
    items = [review_json(row) for row in rows[:query.limit]]
    more = len(rows) > query.limit
    return {"items": items,
            "next": encode_cursor(items[-1]["reviewed_at"], items[-1]["id"]) if more else None}


def reviews_url(**filters):
    """The review log's URL of the answers that pass filters (word_id=1)."""
    return f"/api/reviews?{urlencode(filters)}"


def next_url(path, args, token):
    """The URL of the page after this one: the same query, cursor=token."""
    if token is None:
        return None
    return f"{path}?{urlencode({**args, 'cursor': token})}"


# A cursor is opaque to clients: base64url without padding of the JSON of the
# last answer's sort key, ["2026-11-22T10:00:00Z", 123].
CURSOR_TEXT = re.compile(r"[A-Za-z0-9_-]+")
STORED_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def encode_cursor(reviewed_at, review_id):
    return base64.urlsafe_b64encode(orjson.dumps([reviewed_at, review_id])).rstrip(b"=").decode()


def decode_cursor(token):
    """(reviewed_at, id) of a cursor this API gave; anything else is a 400."""
    bad = invalid("cursor", "is not a cursor this API gave: send the `next` of a page as it is")
    if not CURSOR_TEXT.fullmatch(token):
        raise bad
    try:
        key = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise bad from None
    # Re-encoding must give the token back: one spelling per cursor.
    if not (isinstance(key, list) and len(key) == 2 and isinstance(key[0], str)
            and STORED_TIME.fullmatch(key[0]) and type(key[1]) is int
            and 1 <= key[1] <= SQLITE_MAX_INT and encode_cursor(*key) == token):
        raise bad
    return key[0], key[1]
