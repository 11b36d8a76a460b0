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
    card = progress_from_row(row["id"], row).card or fresh_card(row["id"], at)
    answer = {"rated_at": format_utc(at)}
    for rating, name in RATING_NAMES.items():
        answer[name] = format_utc(scheduler.review_card(card, rating, at)[0].due)
    return answer
