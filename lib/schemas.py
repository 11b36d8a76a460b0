"""Pydantic models of the request bodies."""
import re
from datetime import datetime
from typing import Annotated, Optional
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from lib.timeutil import CLOCK_SKEW, to_utc, utc_now

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


Id = Annotated[int, Field(ge=1, le=SQLITE_MAX_INT)]
# ISO 8601; with an offset it is converted to UTC, without one it is taken as UTC.
PastDateTime = Annotated[datetime, Field(strict=False), BeforeValidator(iso_datetime_text),
                         AfterValidator(not_in_future)]


class Body(BaseModel):
    # strict: true is not 1, 1.0 is not 1, "1" is not 1. Unknown fields are ignored.
    model_config = ConfigDict(strict=True, extra="ignore")


class StudySessionCreate(Body):
    group_id: Id
    study_activity_id: Id
    created_at: Optional[PastDateTime] = None


class Review(Body):
    is_correct: bool
    reviewed_at: Optional[PastDateTime] = None
    review_id: Optional[UUID] = Field(None, description="a client-made UUID that makes a retry safe")


class BatchReview(Review):
    word_id: Id


class ReviewBatch(Body):
    reviews: list[BatchReview] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def review_ids_unique(self):
        ids = [review.review_id for review in self.reviews if review.review_id]
        if len(ids) != len(set(ids)):
            raise ValueError("a review_id appears more than once in the batch")
        return self


class SingleReview(Body):
    correct: bool
    reviewed_at: Optional[PastDateTime] = None
    review_id: Optional[UUID] = None
