"""Pydantic models of the bodies that start a study session and record its
answers: a batch {"reviews": [...]}, or one answer as the Typing Tutor sends it."""
from typing import Annotated, Optional, Union
from uuid import UUID

from pydantic import (
    AliasChoices,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import from_json

from lib.base.fields import Body, Id, PastDateTime, whole_number
from lib.scheduler.scheduling import check_rating


class StudySessionCreate(Body):
    group_id: Id
    study_activity_id: Id
    created_at: Optional[PastDateTime] = Field(None, description=(
        "when the session started; default now. At most 60 s ahead of the server's clock: "
        "a later time is refused with a 400"))


Rating = Annotated[int, Field(ge=1, le=4, description=(
    "FSRS/Anki rating: 1 again, 2 hard, 3 good, 4 easy; must agree with the answer "
    "(1 when wrong, 2-4 when correct). Default: 3 when correct, 1 when wrong")),
    BeforeValidator(whole_number)]


def rating_agrees_with(answer_field):
    """The rule of check_rating in JSON Schema, so that the document states it."""
    def rating_may_be(*values):
        return {"properties": {"rating": {"anyOf": [{"enum": list(values)}, {"type": "null"}]}}}
    return {"if": {"properties": {answer_field: {"const": True}}, "required": [answer_field]},
            "then": rating_may_be(2, 3, 4), "else": rating_may_be(1)}


class Review(Body):
    rating: Optional[Rating] = None
    reviewed_at: Optional[PastDateTime] = Field(None, description=(
        "when the answer was given; default now. At most 60 s ahead of the server's clock, "
        "and not before the session started: up to 60 s before it is taken as the start "
        "(clock skew), earlier is refused with a 400"))
    review_id: Optional[UUID] = Field(None, description="a client-made UUID that makes a retry safe")


class BatchReview(Review):
    model_config = ConfigDict(json_schema_extra=rating_agrees_with("is_correct"))
    word_id: Id
    is_correct: bool

    @model_validator(mode="after")
    def rating_agrees(self):
        check_rating(self.is_correct, self.rating)
        return self


class ReviewBatch(Body):
    # A body that also holds word_id is neither shape of ReviewBody.
    model_config = ConfigDict(json_schema_extra={"not": {"required": ["word_id"]}})
    reviews: list[BatchReview] = Field(min_length=1, max_length=500, description=(
        "the answers; each word must be in the session's group (unless the item retries one "
        "already stored), and each review_id appear once: otherwise a 400 naming them"))

    @field_validator("reviews")
    @classmethod
    def review_ids_unique(cls, reviews):
        ids = [review.review_id for review in reviews if review.review_id]
        if len(ids) != len(set(ids)):
            raise ValueError("a review_id appears more than once in the batch")
        return reviews


class SingleReview(Review):
    """One answer to the path's word, which must be in the session's group
    (unless it retries one already stored): otherwise a 400 naming word_id."""
    model_config = ConfigDict(json_schema_extra=rating_agrees_with("correct"))
    correct: bool

    @model_validator(mode="after")
    def rating_agrees(self):
        check_rating(self.correct, self.rating)
        return self


def answer_schema(schema):
    """SessionAnswer's JSON schema: pydantic names only the first alias of
    correct; this adds is_correct, one of the two required, and the rating
    rule for whichever is sent."""
    schema["properties"]["is_correct"] = {"type": "boolean", "description": "the same as correct"}
    schema["required"] = ["word_id"]
    schema["oneOf"] = [{"required": ["correct"]}, {"required": ["is_correct"]}]
    schema["allOf"] = [{"if": {"required": [name]}, "then": rating_agrees_with(name)}
                       for name in ("correct", "is_correct")]
    schema["not"] = {"required": ["reviews"]}  # neither shape of ReviewBody


class SessionAnswer(SingleReview):
    """One answer, posted alone to the session: {"word_id", "correct"} as the
    Typing Tutor sends it (is_correct, a batch item's name, is taken too)."""
    model_config = ConfigDict(json_schema_extra=answer_schema)
    word_id: Id = Field(description=(
        "a word of the session's group (unless the answer retries one already stored): "
        "otherwise a 400 naming word_id"))
    correct: bool = Field(validation_alias=AliasChoices("correct", "is_correct"))

    @model_validator(mode="before")
    @classmethod
    def one_answer_field(cls, data):
        if isinstance(data, dict) and "correct" in data and "is_correct" in data:
            raise ValueError("send correct or is_correct, not both")
        return data


REVIEW_SHAPES = 'must be a batch {"reviews": [...]} or one answer {"word_id": n, "correct": true|false}'


def review_shape(value):
    """Which shape a review body has, by its keys: a batch holds reviews, an
    answer word_id; a body with both or neither is neither (None)."""
    if isinstance(value, dict) and ("reviews" in value) != ("word_id" in value):
        return "batch" if "reviews" in value else "answer"
    return None


class ReviewBody(RootModel):
    """A batch of answers {"reviews": [...]}, or one answer {"word_id", "correct"}."""
    root: Annotated[Union[Annotated[ReviewBatch, Tag("batch")],
                          Annotated[SessionAnswer, Tag("answer")]],
                    Discriminator(review_shape, custom_error_type="review_shape",
                                  custom_error_message=REVIEW_SHAPES)]

    @classmethod
    def model_validate_json(cls, data, **kwargs):
        """The ReviewBatch or SessionAnswer the body holds, validated alone so
        that its errors name its fields as they are sent (pydantic's union
        would put the shape's tag in front: batch.reviews.0.word_id). A body
        of neither shape, or not JSON, gets pydantic's own error."""
        try:
            model = {"batch": ReviewBatch, "answer": SessionAnswer}.get(review_shape(from_json(data)))
        except ValueError:
            model = None
        if model is None:
            return super().model_validate_json(data, **kwargs)  # raises
        return model.model_validate_json(data, **kwargs)
