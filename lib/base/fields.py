"""The types request models share: ids, integers and date-times as clients
may send them, URLs, and the base classes of JSON bodies."""
import re
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from lib.base.timeutil import CLOCK_SKEW, to_utc, utc_now
from lib.base.urls import browser_origin

SQLITE_MAX_INT = 2**63 - 1


# pydantic alone would also take "1700000000" (a Unix time) for a date-time.
ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?")


def iso_datetime_text(value):
    if not isinstance(value, str) or not ISO_DATETIME.fullmatch(value):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2026-11-22T10:00:00Z")
    return value


def not_in_future(moment):
    moment = to_utc(moment)
    if moment > utc_now() + CLOCK_SKEW:
        raise ValueError("must not be in the future")
    return moment


def ascii_integer(value):
    """A query string's integer is ASCII digits only: int() alone would also
    take '1_0' (10), ' 1 ' and '\u0661' (Arabic-Indic one)."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number written with the digits 0-9")
    return value


def whole_number(value):
    """In JSON, 5.0 is an integer too (JSON Schema says so); 5.5, true and "5" are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


QueryInt = Annotated[int, BeforeValidator(ascii_integer)]
Id = Annotated[int, Field(ge=1, le=SQLITE_MAX_INT), BeforeValidator(whole_number)]
# ISO 8601; with an offset it is converted to UTC, without one it is taken as UTC.
PastDateTime = Annotated[datetime, Field(strict=False), BeforeValidator(iso_datetime_text),
                         AfterValidator(not_in_future)]


class Body(BaseModel):
    # strict: true is not 1, 1.0 is not 1, "1" is not 1. Unknown fields are ignored.
    model_config = ConfigDict(strict=True, extra="ignore")


def left_out(**kwargs):
    """A PATCH field: None when left out, but not null when sent (its type
    has no None), so the JSON schema shows no default."""
    return Field(None, json_schema_extra=lambda schema: schema.pop("default", None), **kwargs)


class PatchBody(Body):
    # A PATCH names only what it changes, so a misspelt field would silently
    # change nothing: unknown fields are refused instead.
    # Its fields are typed without None (but default to it when left out), so
    # that null is refused except where a field's type allows it (it clears).
    model_config = ConfigDict(strict=True, extra="forbid")

    def changes(self):
        """The fields the body names, with their values."""
        return {name: getattr(self, name) for name in self.model_fields_set}


def web_url(value):
    """An absolute http(s) URL with a host a browser opens (the pattern below says the rest)."""
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http:// or https:// URL with a host")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise ValueError("has a bad port") from None
        if "@" in parts.netloc:  # anyone who can reach the API can read it
            raise ValueError("must not contain a user name or password")
        # Else its origin (the CORS grant of an activity) would be none a browser sends.
        if browser_origin(value) is None:
            raise ValueError("has a host no browser can open")
    return value


WebUrl = Annotated[str, Field(
    max_length=2000, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#@]+([/?#]\S*)?$",
    description=("an absolute http:// or https:// URL with a host a browser opens (and a valid "
                 "port, if any), without a user name or password"),
    examples=["http://localhost:8081"]), BeforeValidator(web_url)]


def requires_a_body(model):
    """A model none of whose fields is required also takes an empty body, as {}."""
    return any(field.is_required() for field in model.model_fields.values())
