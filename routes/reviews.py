from flask import Blueprint, current_app, request

from lib.http.learning_models import ReviewLogPage
from lib.http.route import route
from lib.learning.exports import MEDIA_TYPES, export_chunks
from lib.queries.reviews import ReviewExportQuery, ReviewLogQuery, next_url, review_page
from lib.store.db import get_db, streamed

bp = Blueprint("reviews", __name__)


@route(bp, "/api/reviews", ReviewLogPage, query=ReviewLogQuery)
def list_reviews(query):
    """Every stored answer, newest first, filtered, a page at a time (cursor)."""
    page = review_page(get_db(), query)
    return {**page, "next_url": next_url(request.path, request.args.to_dict(), page["next"])}


@route(bp, "/api/reviews/export", None, query=ReviewExportQuery,
       content={media: {"type": "string"} for media in MEDIA_TYPES.values()})
def export_reviews(query):
    """The review log as a file: CSV for the FSRS optimizer, or NDJSON; oldest first."""
    chunks = streamed(lambda db: export_chunks(db, query, query.order, query.format))
    return current_app.response_class(
        chunks, mimetype=MEDIA_TYPES[query.format],
        headers={"Content-Disposition": f'attachment; filename="reviews.{query.format}"'})
