from flask import Blueprint

from lib.base.timeutil import format_utc, utc_now
from lib.http.learning_models import ReviewResult
from lib.http.request_models import NoFields
from lib.http.response_models import Message, Session, SessionDetail, SessionPage
from lib.http.review_bodies import BatchReview, ReviewBatch, ReviewBody, SingleReview, StudySessionCreate
from lib.http.route import route
from lib.learning import reviews
from lib.queries.reviews import reviews_url
from lib.queries.sessions import SessionListQuery, all_sessions_page, session_detail, session_json
from lib.queries.words import SessionWordsQuery
from lib.store.db import get_db
from lib.store.pagination import page_fields, page_json
from lib.store.transactions import transaction

bp = Blueprint("study_sessions", __name__)


@route(bp, "/api/study-sessions", SessionPage, query=SessionListQuery)
def list_sessions(query):
    """Every study session, newest first."""
    sessions, total = all_sessions_page(get_db(), query)
    return page_json(sessions, total, query)


@route(bp, "/api/study-sessions/<id:session_id>", SessionDetail, query=SessionWordsQuery)
def get_session(session_id, query):
    """A study session and the words reviewed in it, with the counts within it."""
    session, words, total = session_detail(get_db(), session_id, query)
    return {"session": session, "words": words, **page_fields(total, query),
            "reviews_url": reviews_url(session_id=session_id)}


@route(bp, "/api/study-sessions", Session, alias="/study_sessions", methods=["POST"],
       body=StudySessionCreate, status=201)
def create_session(body):
    """Starts a study session of a group with an activity."""
    db = get_db()
    with transaction(db):
        row = reviews.start_session(db, body.group_id, body.study_activity_id,
                                    format_utc(body.created_at or utc_now()))
    return session_json(row), 201, {"Location": f"/api/study-sessions/{row['id']}"}


@route(bp, "/api/study-sessions/reset", Message, methods=["POST"], body=NoFields)
def reset_history(body):
    """Deletes every study session and review, zeroes every review counter and
    puts every word's card back to new."""
    db = get_db()
    with transaction(db):
        reviews.reset_history(db)
    return {"message": "Study history has been reset"}


@route(bp, "/api/study-sessions/<id:session_id>/review", ReviewResult,
       alias="/study_sessions/<id:session_id>/review", methods=["POST"], body=ReviewBody,
       status=201, statuses=(200, 409))
def review_words(session_id, body):
    """Records one answer, or a batch of answers (1 to 500) all or nothing."""
    if isinstance(body, ReviewBatch):
        return record(session_id, body.reviews)
    return record_answer(session_id, body.word_id, body)


@route(bp, "/api/study-sessions/<id:session_id>/words/<id:word_id>/review", ReviewResult,
       methods=["POST"], body=SingleReview, status=201, statuses=(200, 409))
def review_word(session_id, word_id, body):
    """Records one answer, for activities that post as they go."""
    return record_answer(session_id, word_id, body)


def record_answer(session_id, word_id, answer):
    """One answer posted alone: its errors name its own fields (word_id, not reviews.0.word_id)."""
    review = BatchReview.model_construct(word_id=word_id, is_correct=answer.correct,
                                         rating=answer.rating, reviewed_at=answer.reviewed_at,
                                         review_id=answer.review_id)
    return record(session_id, [review], single=True)


def record(session_id, answers, single=False):
    db = get_db()
    with transaction(db):
        result = reviews.record_reviews(db, session_id, answers, single)
    return result, 201 if result["recorded"] else 200
