"""The answers of the learning record: reviews, the study queue, the dashboard,
the scheduler and the review log (lib/http/response_models.py has the rest)."""
from typing import Literal, Optional

from pydantic import BaseModel, Field

from lib.http.response_models import NextDue, Schedule, Timestamp, UUIDText, Word


class Stats(BaseModel):
    total_vocabulary: int
    total_words_studied: int
    mastered_words: int
    success_rate: float = Field(ge=0, le=1)
    total_sessions: int
    active_groups: int
    current_streak: int
    due_now: int = Field(description="words due for review now")
    new_available_today: int = Field(description="new words the study queue may still introduce today")


class Prediction(BaseModel):
    default: float = Field(description="with FSRS's default parameters")
    fitted: float = Field(description="with the fitted parameters")


class SchedulerFit(BaseModel):
    """The stored fit in use (flask --app app optimize) and how well it predicts."""
    fitted_at: Timestamp
    review_count: int = Field(description="answers in the history it was fitted on")
    scored_count: int = Field(description=(
        "the answers scored: each given a day or more after the word's previous answer"))
    log_loss: Prediction = Field(description=(
        "log loss of the predicted recall against the answers scored (recalled: rated above again)"))
    rmse: Prediction = Field(description="root mean square error of the same")


class SchedulerSettings(BaseModel):
    source: Literal["defaults", "fitted"] = Field(description=(
        "FSRS's default parameters, or the newest fit to the history (a reset of the history "
        "returns to the defaults)"))
    parameters: list[float] = Field(min_length=21, max_length=21, description=(
        "the 21 FSRS-6 parameters in use"))
    desired_retention: float = Field(ge=0.7, le=0.99, description="LANG_PORTAL_DESIRED_RETENTION")
    new_per_day: int = Field(ge=0, description="LANG_PORTAL_NEW_PER_DAY")
    fit: Optional[SchedulerFit] = Field(description="null with the defaults")


class ReviewItem(BaseModel):
    id: int
    word_id: int
    is_correct: bool
    rating: int = Field(ge=1, le=4)
    reviewed_at: Timestamp
    review_id: Optional[UUIDText]
    duplicate: bool = Field(description="true when this review_id was recorded before")
    reviewed_at_adjusted: bool = Field(
        description="true when the reviewed_at sent was before the session started, by less "
                    "than the clock-skew allowance, and was taken as the session's start")


class WordTotals(BaseModel):
    word_id: int
    correct_count: int
    wrong_count: int


class ReviewResult(BaseModel):
    recorded: int
    duplicates: int
    items: list[ReviewItem]
    words: list[WordTotals]


class QueueWord(Word):
    schedule: Schedule
    reason: Literal["due", "new"] = Field(description=(
        "due: due now (lowest retrievability first); new: never reviewed, in the group's order"))
    next_due: NextDue


class StudyQueue(BaseModel):
    words: list[QueueWord]
    due_count: int = Field(description="words due now in the scope")
    new_count: int = Field(description="new words the queue may introduce today in the scope")
    next_due_at: Optional[Timestamp] = Field(description="the earliest due time after now (or `at`)")


class ForecastDay(BaseModel):
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"},
                      examples=["2026-11-23"])
    due: int = Field(description="words due that UTC day (today: also every overdue word)")


class LoggedReview(BaseModel):
    id: int
    review_id: Optional[str] = Field(description="the client's id for safe retries, if it sent one")
    session_id: int
    group_id: int = Field(description="the session's group")
    word_id: int
    kanji: str
    is_correct: bool
    rating: int = Field(ge=1, le=4)
    reviewed_at: Timestamp
    reviewed_at_adjusted: Optional[bool] = Field(
        description="true when the reviewed_at sent was before the session started, by less "
                    "than the clock-skew allowance, and was taken as the session's start; null "
                    "when unknown (answers stored before the review log, schema version 9)")


class ReviewLogPage(BaseModel):
    items: list[LoggedReview]
    next: Optional[str] = Field(description="the cursor of the next page (send it as cursor=); "
                                            "null when this page ends the log")
    next_url: Optional[str] = Field(description="the next page's URL; null at the end")
