"""Pydantic models of the requests: the inventory's JSON bodies and the query
strings (a study session's and its answers' bodies: lib/http/review_bodies.py)."""
from typing import Annotated, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

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
)
from lib.base.text import Name, PartText, WordText, nfc, trimmed


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
