"""Everything FSRS: the settings, a word's card from its reviews, replaying
the history, and a card's JSON. py-fsrs does the scheduling itself.

A word's card lives in its word_reviews row (sql/schema.sql). It always equals
a replay of the word's reviews in time order (created_at, ties by id), with
no fuzz, so the replay is exact. py-fsrs has no New state: a word never
reviewed is our 'new'. A lapse is an `again` given to a card in review."""
import os
import re
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler, State

from lib.base.timeutil import format_utc, parse_utc
from lib.store.copies import copy_reviews

STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
STATES = {name: state for state, name in STATE_NAMES.items()}
RETENTION_RANGE = (0.70, 0.99)
CARD_FIELDS = ("state", "step", "stability", "difficulty", "due", "reps", "lapses",
               "first_review")
CARD_COLUMNS = ", ".join(CARD_FIELDS)
# The SET list of a card's columns, with the card's values as named parameters.
SET_CARD = ", ".join(f"{field} = :{field}" for field in CARD_FIELDS)
STORE_CARD = f"UPDATE word_reviews SET {SET_CARD} WHERE word_id = :word_id"


def desired_retention(text):
    """LANG_PORTAL_DESIRED_RETENTION: a number from 0.70 to 0.99 in ASCII
    digits (float() alone would take '０.９' and '0.8_5')."""
    low, high = RETENTION_RANGE
    text = str(text).strip()
    value = float(text) if re.fullmatch(r"[0-9]*\.?[0-9]+", text) else None
    if value is None or not low <= value <= high:
        raise ValueError(f"LANG_PORTAL_DESIRED_RETENTION must be a number from {low:.2f} to "
                         f"{high:.2f} in ASCII digits, such as 0.9, not {text!r}")
    return value


def new_per_day(text):
    """LANG_PORTAL_NEW_PER_DAY: a whole number >= 0."""
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ValueError(f"LANG_PORTAL_NEW_PER_DAY must be a whole number >= 0 (at most "
                         f"999999999), not {text!r}")
    return int(text)


def settings_from_env(environ=os.environ):
    """The scheduling settings of app.config, checked: a bad value is a
    ValueError naming the variable."""
    return {
        "DESIRED_RETENTION": desired_retention(environ.get("LANG_PORTAL_DESIRED_RETENTION", "0.9")),
        "NEW_PER_DAY": new_per_day(environ.get("LANG_PORTAL_NEW_PER_DAY", "20")),
    }


def check_settings(config):
    """The same checks for settings given another way (a test's config)."""
    desired_retention(config["DESIRED_RETENTION"])
    new_per_day(config["NEW_PER_DAY"])


def make_scheduler(retention, parameters=None):
    """A scheduler with parameters (lib/scheduler/parameters.py; None: py-fsrs's
    defaults). No fuzz: the stored card must equal a replay of its history exactly."""
    if parameters is None:
        return Scheduler(desired_retention=retention, enable_fuzzing=False)
    return Scheduler(parameters=parameters, desired_retention=retention, enable_fuzzing=False)


def check_rating(correct, rating):
    """The rating given, or the default; a rating that contradicts the answer is a 400."""
    if rating is None:
        return 3 if correct else 1
    if (rating > 1) != correct:
        raise ValueError(f"rating {rating} contradicts the answer: a correct answer is rated "
                         "2-4, a wrong one 1")
    return rating


def default_rating(correct):
    return Rating.Good if correct else Rating.Again


def fresh_card(word_id, moment):
    """A new word's card at its first review. card_id and due given: py-fsrs
    would otherwise read the clock and sleep 1 ms."""
    return Card(card_id=word_id, due=moment)


@dataclass
class Progress:
    """A word's card (None while new) and what FSRS's card does not count."""
    card: Card = None
    reps: int = 0
    lapses: int = 0
    first_review: str = None

    def review(self, scheduler, word_id, rating, reviewed_at):
        moment = parse_utc(reviewed_at)
        if self.card is None:
            self.card = fresh_card(word_id, moment)
            self.first_review = reviewed_at
        if rating == Rating.Again and self.card.state == State.Review:
            self.lapses += 1
        self.card, _ = scheduler.review_card(self.card, Rating(rating), moment)
        self.reps += 1

    def values(self, word_id):
        """The parameters of STORE_CARD."""
        card = self.card
        if card is None:
            return {"word_id": word_id, "state": "new", "step": None, "stability": None,
                    "difficulty": None, "due": None, "reps": 0, "lapses": 0, "first_review": None}
        return {"word_id": word_id, "state": STATE_NAMES[card.state], "step": card.step,
                "stability": card.stability, "difficulty": card.difficulty,
                "due": format_utc(card.due), "reps": self.reps, "lapses": self.lapses,
                "first_review": self.first_review}


def progress_from_row(word_id, row):
    """A stored card (CARD_COLUMNS and last_reviewed) as a Progress."""
    if row is None or row["state"] == "new":
        return Progress()
    card = Card(card_id=word_id, state=STATES[row["state"]], step=row["step"],
                stability=row["stability"], difficulty=row["difficulty"],
                due=parse_utc(row["due"]), last_review=parse_utc(row["last_reviewed"]))
    return Progress(card, row["reps"], row["lapses"], row["first_review"])


def replay_word(db, scheduler, word_id):
    progress = Progress()
    for reviewed_at, correct, rating in db.execute(
            """SELECT created_at, correct, rating FROM word_review_items
               WHERE word_id = ? ORDER BY created_at, id""", (word_id,)):
        progress.review(scheduler, word_id, rating or default_rating(correct), reviewed_at)
    return progress


def card_after_reviews(db, scheduler, stored, items):
    """The parameters of STORE_CARD for a word after items, its new reviews
    (each with id, rating and reviewed_at), already inserted in
    word_review_items. stored is the word's row as it was before them
    (word_id, last_reviewed and CARD_COLUMNS): a review earlier than its last
    review makes the word replay its history; otherwise the card goes on."""
    word_id = stored["word_id"]
    items = sorted(items, key=lambda item: (item["reviewed_at"], item["id"]))
    last = stored["last_reviewed"]
    if last is not None and items[0]["reviewed_at"] < last:
        progress = replay_word(db, scheduler, word_id)
    else:
        progress = progress_from_row(word_id, stored)
        for item in items:
            progress.review(scheduler, word_id, item["rating"], item["reviewed_at"])
    return progress.values(word_id)


def reset_cards(db):
    """Puts every card back to new; the caller copies them (lib/store/copies.py)."""
    db.execute("""UPDATE word_reviews SET state = 'new', step = NULL, stability = NULL,
                  difficulty = NULL, due = NULL, reps = 0, lapses = 0, first_review = NULL
                  WHERE state <> 'new' OR first_review IS NOT NULL""")


def rebuild_cards(db, scheduler, progress=None, before_review=None):
    """Every card replayed from the history, in one pass over the reviews in
    (word_id, created_at, id) order through an index. progress(n) is told of
    each n reviews replayed; before_review(card, reviewed_at, rating) sees
    each review with the word's card before it (None for its first).
    Runs inside the caller's transaction."""
    reset_cards(db)
    reviews = db.cursor()
    reviews.row_factory = None
    reviews.execute("""SELECT word_id, created_at, correct, rating FROM word_review_items
                       ORDER BY word_id, created_at, id""")
    rows, word_id, current, done = [], None, None, 0
    for review_word_id, reviewed_at, correct, rating in reviews:
        if review_word_id != word_id:
            if current is not None:
                rows.append(current.values(word_id))
            word_id, current = review_word_id, Progress()
        rating = rating or default_rating(correct)
        if before_review:
            before_review(current.card, reviewed_at, rating)
        current.review(scheduler, word_id, rating, reviewed_at)
        done += 1
        if progress and done % 10_000 == 0:
            progress(10_000)
    if current is not None:
        rows.append(current.values(word_id))
    if progress:
        progress(done % 10_000)
    db.executemany(STORE_CARD, rows)
    copy_reviews(db)
    return len(rows)


def schedule_json(row, scheduler, at):
    """A word's card as the API shows it; row has CARD_COLUMNS and last_reviewed."""
    if row["state"] == "new":
        return {"state": "new", "due": None, "stability": None, "difficulty": None,
                "retrievability": None, "last_review": None, "reps": 0, "lapses": 0}
    card = progress_from_row(0, row).card
    return {
        "state": row["state"],
        "due": row["due"],
        "stability": row["stability"],
        "difficulty": row["difficulty"],
        "retrievability": scheduler.get_card_retrievability(card, at),
        "last_review": row["last_reviewed"],
        "reps": row["reps"],
        "lapses": row["lapses"],
    }
