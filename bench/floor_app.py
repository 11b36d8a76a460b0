"""The data layer alone: the API's own functions for the goals it finds
hardest (starting a session, a review batch, a group's whole word list),
on the same connections and transactions (lib/store/db.py), served by a bare Flask
app with none of the API's HTTP layer: no validation of the request, no Host,
CORS or ETag rules, no error answers. Its paths and bodies are the API's, so
the benchmark sends it the same requests. What it reaches is as far as the
API could go with its SQL as it is."""
import os

from flask import Flask, request

from lib.base.jsonio import OrjsonProvider
from lib.base.timeutil import format_utc, utc_now
from lib.http.review_bodies import BatchReview
from lib.learning import reviews
from lib.queries.sessions import session_json
from lib.queries.words import all_group_words
from lib.scheduler import scheduling
from lib.store import db as database
from lib.store.transactions import transaction

app = Flask(__name__)
app.config.update(DATABASE=os.environ["LANG_PORTAL_DB"], **scheduling.settings_from_env())
app.json = OrjsonProvider(app)
database.init_app(app)


@app.post("/api/study-sessions")
def start_session():
    body = request.get_json()
    db = database.get_db()
    with transaction(db):
        row = reviews.start_session(db, body["group_id"], body["study_activity_id"],
                                    format_utc(utc_now()))
    return session_json(row), 201


@app.post("/api/study-sessions/<int:session_id>/review")
def review_words(session_id):
    answers = [BatchReview.model_construct(**answer) for answer in request.get_json()["reviews"]]
    db = database.get_db()
    with transaction(db):
        return reviews.record_reviews(db, session_id, answers), 201


@app.get("/api/groups/<int:group_id>/words/raw")
def group_words(group_id):
    return all_group_words(database.get_db(), group_id)["words"]
