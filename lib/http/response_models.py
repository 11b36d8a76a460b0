"""Pydantic models of the answers. The routes build plain dicts
(lib/queries/words.py) for speed; these models describe them in the OpenAPI
document, and the tests check every response against that document.

Each field is declared as it is sent: a field every answer of that shape
carries is required (null where it says so); one that some answers leave
out has a default (`sometimes()`), which the document turns into a
property that is not required (lib/http/openapi.py drops the default)."""
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Timestamp = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
                                 json_schema_extra={"format": "date-time"},
                                 examples=["2026-11-22T10:00:00Z"])]

UUIDText = Annotated[str, Field(json_schema_extra={"format": "uuid"})]


def sometimes(**field):
    """A field that some answers of the model leave out (never null)."""
    return Field(None, **field)


class WordPartOut(BaseModel):
    kanji: str
    romaji: list[str]


class SessionWord(BaseModel):
    """A word as a session's page lists it: its counts within the session."""
    id: int
    kanji: str
    romaji: str
    english: str
    parts: list[WordPartOut]
    correct_count: int = Field(description="correct answers in the session")
    wrong_count: int = Field(description="wrong answers in the session")


class Word(SessionWord):
    """A word with its review totals."""
    correct_count: int = Field(description="correct answers in all sessions")
    wrong_count: int = Field(description="wrong answers in all sessions")
    due: Optional[Timestamp] = Field(description="when the word is next due (FSRS); null while new")


class Schedule(BaseModel):
    """A word's FSRS card."""
    state: Literal["new", "learning", "review", "relearning"]
    due: Optional[Timestamp] = Field(description="when it is next due; null while new")
    stability: Optional[float] = Field(description="days for recall to fall to 90%")
    difficulty: Optional[float] = Field(description="1 (easy) to 10 (hard)")
    retrievability: Optional[float] = Field(ge=0, le=1, description=(
        "probability of recall now (or at the queue's `at`); null while new"))
    last_review: Optional[Timestamp]
    reps: int = Field(description="reviews of the word")
    lapses: int = Field(description="times it was forgotten (rated again) while in review")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "state": "review", "due": "2026-11-26T10:00:00Z", "stability": 3.17,
        "difficulty": 5.28, "retrievability": 0.97, "last_review": "2026-11-23T10:00:00Z",
        "reps": 2, "lapses": 0}]})


class NextDue(BaseModel):
    """The due time each rating would set, computed by the server's FSRS
    scheduler from the word's card as stored, as if the rating were given at
    rated_at (a new word from a fresh card). The interval a rating gives is
    its time less rated_at; a rating given later, before the day that the
    card counts from its last review turns, sets each time later by as much.
    For labels such as Anki's: again "1m", hard "6m", good "10m", easy "8d"."""
    rated_at: Timestamp = Field(description=(
        "the moment these are computed for: now, or the queue's `at`. The study queue's "
        "answer is kept until the queue changes, so this may be some minutes past"))
    again: Timestamp = Field(description="due time after rating 1 (again)")
    hard: Timestamp = Field(description="due time after rating 2 (hard)")
    good: Timestamp = Field(description="due time after rating 3 (good)")
    easy: Timestamp = Field(description="due time after rating 4 (easy)")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "rated_at": "2026-12-04T10:00:00Z", "again": "2026-12-04T10:01:00Z",
        "hard": "2026-12-04T10:05:30Z", "good": "2026-12-04T10:10:00Z",
        "easy": "2026-12-12T10:00:00Z"}]})


class Group(BaseModel):
    id: int
    name: str
    group_name: str = Field(description="the same as name")
    words_count: int
    word_count: int = Field(description="the same as words_count")


class WordDetail(Word):
    groups: list[Group]
    schedule: Schedule
    next_due: NextDue
    reviews_url: str = Field(description="the word's answers in the review log",
                             examples=["/api/reviews?word_id=1"])


class WordAnswer(BaseModel):
    word: WordDetail


class Activity(BaseModel):
    id: int
    title: str
    launch_url: str = Field(description="absolute URL; open it with ?group_id=&session_id=")
    preview_url: Optional[str]
    description: str


class Session(BaseModel):
    id: int
    session_id: int = Field(description="the same as id")
    group_id: int
    group_name: str
    activity_id: int
    study_activity_id: int = Field(description="the same as activity_id")
    activity_name: str
    start_time: Timestamp
    created_at: Timestamp = Field(description="the same as start_time")
    end_time: Timestamp = Field(description="time of the last review, or start_time while none")
    review_items_count: int
    correct_count: int
    wrong_count: int


class PageFields(BaseModel):
    total: int
    page: int
    per_page: int
    total_pages: int


class WordPage(PageFields):
    items: list[Word]


class GroupPage(PageFields):
    items: list[Group]


class SessionPage(PageFields):
    items: list[Session]


class SessionDetail(PageFields):
    session: Session
    words: list[SessionWord] = Field(
        description="the words reviewed in the session, counts within it")
    reviews_url: str = Field(description="the session's answers in the review log",
                             examples=["/api/reviews?session_id=1"])


class LegacyPageFields(BaseModel):
    current_page: int
    total_pages: int
    per_page: int


class LegacyWordPage(LegacyPageFields):
    words: list[Word]
    total_words: int


class LegacyGroupPage(LegacyPageFields):
    groups: list[Group]


class LegacySessionPage(LegacyPageFields):
    study_sessions: list[Session]


class GroupWordsRaw(BaseModel):
    """Every word of a group, for a study activity (the Typing Tutor reads
    group_name and words)."""
    group_id: int
    group_name: str
    words: list[Word]


class Launch(BaseModel):
    activity: Activity
    groups: list[Group]


class Reading(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"text": "今日", "romaji": "kyou", "parts": [{"kanji": "今日", "romaji": ["kyo", "u"]}]}]})
    text: str
    romaji: str
    parts: list[WordPartOut]


class Message(BaseModel):
    message: str


class Health(BaseModel):
    status: Literal["ok"]


class ErrorDetail(BaseModel):
    field: str
    message: str


class Error(BaseModel):
    error: str = Field(description="what went wrong, in a sentence")


class InvalidRequest(Error):
    """A 400: the query string or body breaks a rule (`details` names each
    field), or the request itself is malformed (an untrusted Host, a body cut
    short), which has no details."""
    details: list[ErrorDetail] = sometimes()
