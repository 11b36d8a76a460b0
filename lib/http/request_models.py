"""Pydantic models of the requests: JSON bodies and query strings."""
from typing import Annotated, Optional, Union
from uuid import UUID

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
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

from lib.base.fields import (
    SQLITE_MAX_INT,
    Body,
    Id,
    PastDateTime,
    PatchBody,
    QueryInt,
    WebUrl,
    ascii_integer,
    left_out,
    whole_number,
)
from lib.base.text import Name, PartText, WordText, nfc, trimmed
from lib.scheduler.scheduling import check_rating


class WordPartIn(Body):
    model_config = ConfigDict(strict=True, extra="forbid")
    kanji: PartText
    romaji: list[PartText] = Field(min_length=1)


KANJI_RULE = ("when romaji is left out, kanji and kana that the dictionary can read; "
              "otherwise a 400 naming kanji")
PARTS_RULE = ("their kanji joined must be the word's kanji, and all their romaji joined its "
              "romaji; otherwise a 400 naming parts")


class WordCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"kanji": "勉強", "english": "study", "group_ids": [1]},
        {"kanji": "明日", "english": "tomorrow", "romaji": "ashita"}]})
    kanji: WordText = Field(examples=["勉強"], description=KANJI_RULE)
    english: WordText = Field(examples=["study"])
    romaji: Optional[WordText] = Field(None, description="default: read from the kanji")
    parts: Optional[list[WordPartIn]] = Field(
        None, min_length=1, description="default: read from the kanji (or one part when only "
                                        "romaji is given and differs from the reading). " + PARTS_RULE)
    group_ids: list[Id] = Field([], max_length=100,
                             description="groups to add the word to; default: none")


class WordUpdate(PatchBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"english": "studying"}]})
    kanji: WordText = left_out(description=(
        "a new kanji without romaji and parts has them read anew from it: " + KANJI_RULE))
    english: WordText = left_out()
    romaji: WordText = left_out()
    parts: list[WordPartIn] = left_out(min_length=1, description=PARTS_RULE)


class ReadingQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: Annotated[str, Field(
        min_length=1, max_length=100, examples=["勉強"],
        description="kanji and kana that the dictionary can read; otherwise a 400 naming text"),
        trimmed(100), AfterValidator(nfc)]


class GroupCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Animals"}]})
    name: Name


class GroupUpdate(PatchBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Pets"}]})
    name: Name


class ActivityCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"title": "Kana Match", "launch_url": "http://localhost:8081/cards",
         "preview_url": "/assets/study_activities/kana-match.png",
         "description": "Match each word to its meaning."}]})
    title: Name = Field(examples=["Kana Match"])
    launch_url: WebUrl
    preview_url: Optional[Annotated[str, Field(max_length=2000)]] = Field(
        None, description="an image of the activity; default: none (null)")
    description: Annotated[str, Field(max_length=5000)] = Field("", description='default: ""')


class ActivityUpdate(PatchBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"preview_url": None}]})
    title: Name = left_out()
    launch_url: WebUrl = left_out()
    preview_url: Optional[Annotated[str, Field(max_length=2000)]] = Field(
        None, description="null removes it")
    description: Annotated[str, Field(max_length=5000)] = left_out()


class NoFields(Body):
    """Nothing to send: {} or an empty body, but as application/json, so that
    no cross-site form can post it."""


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


class QueueQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    # Field before the validator, so the document says minimum/maximum.
    group_id: Optional[Annotated[int, Field(ge=1, le=SQLITE_MAX_INT),
                                 BeforeValidator(ascii_integer)]] = Field(
        None, description="only this group's words; default all")
    limit: QueryInt = Field(20, ge=1, le=100)
    at: Optional[PastDateTime] = Field(None, description=(
        "evaluate the queue at this moment (ISO 8601, not in the future); default now"))


class ForecastQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    days: QueryInt = Field(14, ge=1, le=365)
