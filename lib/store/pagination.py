"""Paging and sorting of lists, parsed from the query string, written once."""
from math import ceil
from typing import Annotated, Literal

from flask import request
from pydantic import BeforeValidator, ConfigDict, Field, create_model

from lib.base.fields import QueryInt

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def lowercase(value):
    return value.lower() if isinstance(value, str) else value


def list_query(name, sort_columns, default_sort, default_order="asc", per_page=10):
    """A model of ?page=&per_page=&sort_by=&order= whose sort_by accepts only
    the keys of sort_columns (the whitelist that becomes ORDER BY)."""
    return create_model(
        name,
        __config__=ConfigDict(extra="ignore"),
        page=(QueryInt, Field(1, ge=1, le=MAX_PAGE)),
        per_page=(QueryInt, Field(per_page, ge=1, le=MAX_PER_PAGE)),
        sort_by=(Literal[tuple(sort_columns)], default_sort),
        order=(Annotated[Literal["asc", "desc"], BeforeValidator(lowercase)], default_order),
    )


def order_by(columns, descending):
    """ORDER BY the whitelisted columns, each in one direction (the last
    column breaks ties, so pages are stable)."""
    direction = "DESC" if descending else "ASC"
    return "ORDER BY " + ", ".join(f"{column} {direction}" for column in columns)


def fetch_page(db, select, params, columns, query, total):
    """The rows of the asked page of `select` (SQL up to its ORDER BY, with
    named parameters) ordered by columns; total is the length of the whole
    list. OFFSET steps over every row before the page, so a page in the back
    half is read from the other end, in the opposite order, and turned round:
    the last page costs what the first does."""
    limit, offset = query.per_page, (query.page - 1) * query.per_page
    if offset >= total:
        return []
    descending = query.order == "desc"
    from_end = offset > total - offset - limit
    if from_end:
        limit = min(limit, total - offset)
        offset, descending = total - offset - limit, not descending
    rows = db.execute(f"{select} {order_by(columns, descending)} LIMIT :limit OFFSET :offset",
                      {**params, "limit": limit, "offset": offset}).fetchall()
    return rows[::-1] if from_end else rows


def page_json(items, total, query, legacy_key=None, **legacy_extra):
    """The list envelope. The frontend's own (non-/api) paths get the field
    names it reads: legacy_key for the list, current_page, and legacy_extra."""
    if legacy_key and not request.path.startswith("/api/"):
        return {legacy_key: items, "current_page": query.page,
                "total_pages": ceil(total / query.per_page), "per_page": query.per_page,
                **legacy_extra}
    return {"items": items, **page_fields(total, query)}


def page_fields(total, query):
    return {"total": total, "page": query.page, "per_page": query.per_page,
            "total_pages": ceil(total / query.per_page)}
