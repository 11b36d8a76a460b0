"""FSRS's parameters fitted to the stored history (flask --app app optimize)
by FSRS's own optimizer, fsrs-rs-python: the Rust implementation that Anki
uses, a 0.6 MB wheel, 9 s for a million answers here. py-fsrs's own
optimizer needs torch (1 GB installed) and took 57 s for 20,000 answers that
this fits in 0.2 s (docs/fsrs-fitting.md). And how well parameters predict
the history.

FSRS learns from, and is scored on, the answers given a whole day or more
after the same word's previous answer, in elapsed whole days as py-fsrs
counts them: within the day py-fsrs predicts recall for sure, so a same-day
miss would cost an infinite log loss. Such an answer, with the word's history
before it, is one training item of the optimizer."""
import math
from datetime import datetime

from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from lib.scheduler.scheduling import Progress, default_rating

# fsrs-rs fits all 21 parameters only from 64 items or more; from fewer it
# gives back the defaults, or fits only the first four, without a word.
MINIMUM_ITEMS = 64
# A predicted recall kept off 0 and 1: one confident miss costs a finite log loss.
RECALL_BOUNDS = (0.0001, 0.9999)
HISTORY = """SELECT word_id, created_at, correct, rating FROM word_review_items
             ORDER BY word_id, created_at, id"""


class TooLittleHistory(Exception):
    pass


def word_histories(db):
    """(word_id, [(reviewed_at, rating), ...]) for each word with answers, in
    replay order: one pass through the history's index, a word at a time."""
    rows = db.cursor()
    rows.row_factory = None
    rows.execute(HISTORY)
    word_id, history = None, []
    for review_word_id, reviewed_at, correct, rating in rows:
        if review_word_id != word_id:
            if history:
                yield word_id, history
            word_id, history = review_word_id, []
        history.append((reviewed_at, rating or default_rating(correct)))
    if history:
        yield word_id, history


def training_items(db, progress):
    """(the optimizer's items, oldest first, the number of answers read)."""
    dated, answers = [], 0
    for _, history in word_histories(db):
        reviews, last = [], None
        for reviewed_at, rating in history:
            moment = datetime.fromisoformat(reviewed_at)
            elapsed = 0 if last is None else (moment - last).days
            reviews.append(FSRSReview(int(rating), elapsed))
            if elapsed > 0:
                dated.append((reviewed_at, FSRSItem(reviews)))
            last = moment
        answers += len(history)
        progress(len(history))
    # In time order: the optimizer weighs recent items more.
    dated.sort(key=lambda pair: pair[0])
    return [item for _, item in dated], answers


def check_enough(items, answers):
    """TooLittleHistory, saying how much is needed, below the optimizer's minimum."""
    if len(items) < MINIMUM_ITEMS:
        raise TooLittleHistory(
            f"Too little history to fit FSRS: it needs at least {MINIMUM_ITEMS} answers given "
            f"a day or more after the same word's previous answer; the history has {len(items)} "
            f"(of {answers} answers). Nothing was changed.")


def fit(items, answers):
    """The 21 FSRS-6 parameters fitted to items, within py-fsrs's bounds
    (the optimizer's are float32: its 0.8 is above py-fsrs's 0.8).
    TooLittleHistory when the optimizer would not fit them all."""
    check_enough(items, answers)
    fitted = FSRS([]).compute_parameters(items)
    # The outliers it leaves out may bring it under its minimum: it then
    # gives back the defaults beyond the first four.
    if len(fitted) != len(DEFAULT_PARAMETERS) or all(
            round(new, 4) == round(old, 4)
            for new, old in zip(fitted[4:], DEFAULT_PARAMETERS[4:], strict=True)):
        raise TooLittleHistory(
            f"Too little history to fit FSRS: of its {len(items)} answers given a day or more "
            f"after the same word's previous answer, the optimizer kept fewer than "
            f"{MINIMUM_ITEMS} (it leaves outliers out). Nothing was changed.")
    return [min(max(round(value, 6), low), high) for value, low, high
            in zip(fitted, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)]


class Score:
    """How well a scheduler predicts the history (from since, a timestamp,
    on): the log loss and RMSE of the recall it predicts from each word's
    card before each answer given a day or more after the previous one,
    against whether it was recalled (rated above Again). Fed answer by
    answer, by evaluate or by the replay that reschedules the cards."""

    def __init__(self, scheduler, since=None):
        self.scheduler, self.since = scheduler, since
        self.loss = self.squares = self.count = 0

    def before_review(self, card, reviewed_at, rating):
        if card is None or (self.since is not None and reviewed_at < self.since):
            return
        moment = datetime.fromisoformat(reviewed_at)
        if (moment - card.last_review).days > 0:
            low, high = RECALL_BOUNDS
            predicted = min(max(self.scheduler.get_card_retrievability(card, moment), low), high)
            recalled = rating > 1
            self.loss -= math.log(predicted if recalled else 1 - predicted)
            self.squares += (predicted - recalled) ** 2
            self.count += 1

    def result(self):
        """{"log_loss", "rmse", "count"}; None when no answer was scored."""
        if not self.count:
            return None
        return {"log_loss": self.loss / self.count, "rmse": math.sqrt(self.squares / self.count),
                "count": self.count}


def evaluate(db, scheduler, progress, since=None):
    """Score's result for scheduler over the history, replayed in a read."""
    score = Score(scheduler, since)
    for word_id, history in word_histories(db):
        progress_of_word = Progress()
        for reviewed_at, rating in history:
            score.before_review(progress_of_word.card, reviewed_at, rating)
            progress_of_word.review(scheduler, word_id, rating, reviewed_at)
        progress(len(history))
    return score.result()
