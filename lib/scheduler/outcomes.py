"""What each rating would do: the due time that again, hard, good and easy
would each set if given at a moment, computed by the scheduler that records
reviews, from the card as stored (py-fsrs's review_card works on a copy). An
activity labels its rating buttons with them ("10m", "1d", "4d")."""
from fsrs import Rating

from lib.base.timeutil import format_utc
from lib.scheduler.scheduling import fresh_card, progress_from_row

RATING_NAMES = {rating: rating.name.lower() for rating in Rating}


def next_due_json(row, scheduler, at):
    """{"rated_at": at, "again": due, "hard": due, "good": due, "easy": due}
    for the word of row (its id, CARD_COLUMNS and last_reviewed) rated at
    `at`, an aware UTC datetime in whole seconds. A new word starts from a
    fresh card, as its first review does (Progress.review)."""
    if row["state"] == "new":
        return dict(new_word_outcomes(scheduler, at))
    return outcomes(scheduler, progress_from_row(row["id"], row).card, at)


# The last moment's outcomes of a new word, with the scheduler that made them
# (held, so compared by identity): the same for every new word at one
# moment, so a queue of new words reviews one fresh card, not each.
last_new_word = (None, None, None)


def new_word_outcomes(scheduler, at):
    global last_new_word
    made_by, made_at, answer = last_new_word
    if made_by is not scheduler or made_at != at:
        answer = outcomes(scheduler, fresh_card(0, at), at)
        last_new_word = (scheduler, at, answer)
    return answer


def outcomes(scheduler, card, at):
    answer = {"rated_at": format_utc(at)}
    for rating, name in RATING_NAMES.items():
        answer[name] = format_utc(scheduler.review_card(card, rating, at)[0].due)
    return answer
