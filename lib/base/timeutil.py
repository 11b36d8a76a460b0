"""Timestamps: stored and answered as UTC text, 'YYYY-MM-DDTHH:MM:SSZ'."""
from datetime import datetime, timedelta, timezone

# How far ahead of our clock a client's timestamp may be (clock skew).
CLOCK_SKEW = timedelta(minutes=1)


def utc_now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def to_utc(moment):
    """An aware datetime converted to UTC; a naive one is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc, microsecond=0)
    try:
        return moment.astimezone(timezone.utc).replace(microsecond=0)
    except OverflowError:
        raise ValueError("date-time is out of range") from None


def format_utc(moment):
    """Fixed width (isoformat pads the year), so text order is time order."""
    return to_utc(moment).replace(tzinfo=None).isoformat() + "Z"


def now_text():
    return format_utc(utc_now())


def parse_utc(text):
    """A stored timestamp back to an aware UTC datetime (Python 3.11 reads the
    'Z'; fromisoformat is many times faster than strptime, which matters when
    reschedule replays a million reviews)."""
    return datetime.fromisoformat(text)
