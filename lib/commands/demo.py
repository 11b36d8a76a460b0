"""Demo history: many words, groups, sessions and reviews over the last 90 days,
in the project's own schema, with every counter rebuilt from it at the end
(the demo-data command then reschedules every card)."""
import random
from datetime import timedelta

from lib.base.jsonio import compact_json
from lib.base.timeutil import format_utc, utc_now
from lib.store.db import run_script

HISTORY_DAYS = 90
SYLLABLES = ["ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu",
             "te", "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi",
             "mu", "me", "mo", "ra", "ri", "ru", "re", "ro", "ya", "yu", "yo", "wa", "n"]
CHUNK = 50_000


def demo_word(number, rng):
    """A made-up word whose parts add up, like the seed's: 1-3 kanji, 1-2 syllables each."""
    parts = [{"kanji": chr(rng.randint(0x4E00, 0x9FA5)),
              "romaji": rng.sample(SYLLABLES, rng.randint(1, 2))}
             for _ in range(rng.randint(1, 3))]
    kanji = "".join(part["kanji"] for part in parts)
    romaji = "".join("".join(part["romaji"]) for part in parts)
    return (kanji, romaji, f"demo word {number}", compact_json(parts))


def fill(db, words, groups, sessions, reviews, progress, seed=1):
    """Adds the demo data inside the caller's transaction. progress(n) is
    called as work is done, out of total_steps(...)."""
    rng = random.Random(seed)
    now = utc_now()
    first_word = insert_words(db, words, rng)
    group_ids = insert_groups(db, groups, first_word, words, rng)
    activity_ids = [row[0] for row in db.execute("SELECT id FROM study_activities")]
    progress(words)

    session_rows = []
    for _ in range(sessions):
        started = now - timedelta(seconds=rng.randint(60, HISTORY_DAYS * 86400))
        session_rows.append((rng.choice(group_ids), rng.choice(activity_ids), started))
    session_rows.sort(key=lambda row: row[2])  # ids in time order, as real use makes them
    first_session = next_id(db, "study_sessions")
    db.executemany(
        """INSERT INTO study_sessions (group_id, study_activity_id, created_at, last_activity_at)
           VALUES (?, ?, ?, ?)""",
        ((group, activity, format_utc(started), format_utc(started))
         for group, activity, started in session_rows))
    progress(sessions)

    group_words = {group: [row[0] for row in db.execute(
        "SELECT word_id FROM word_groups WHERE group_id = ?", (group,))] for group in group_ids}
    batch = []
    for number in range(reviews):
        index = number % sessions if number < sessions else rng.randrange(sessions)
        group, _, started = session_rows[index]
        reviewed = min(started + timedelta(seconds=rng.randint(1, 1800)), now)
        correct = int(rng.random() < 0.7)
        batch.append((rng.choice(group_words[group]), first_session + index,
                      correct, 3 if correct else 1, format_utc(reviewed)))
        if len(batch) == CHUNK:
            insert_reviews(db, batch)
            progress(len(batch))
            batch = []
    insert_reviews(db, batch)
    progress(len(batch))
    run_script(db, "recount.sql")


def total_steps(words, sessions, reviews):
    return words + sessions + reviews


def next_id(db, table):
    return db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def insert_words(db, words, rng):
    first = next_id(db, "words")
    db.executemany("INSERT INTO words (kanji, romaji, english, parts) VALUES (?, ?, ?, ?)",
                   (demo_word(first + n, rng) for n in range(words)))
    db.execute("INSERT INTO word_reviews (word_id) SELECT id FROM words WHERE id >= ?", (first,))
    return first


def insert_groups(db, groups, first_word, words, rng):
    """Each demo word goes to one group; one in ten to a second one too."""
    first = next_id(db, "groups")
    db.executemany("INSERT INTO groups (id, name) VALUES (?, ?)",
                   ((first + n, f"Demo group {first + n}") for n in range(groups)))
    group_ids = list(range(first, first + groups))
    links = set()
    for word_id in range(first_word, first_word + words):
        links.add((word_id, group_ids[(word_id - first_word) % groups]))
        if rng.random() < 0.1:
            links.add((word_id, rng.choice(group_ids)))
    db.executemany("INSERT INTO word_groups (word_id, group_id) VALUES (?, ?)", sorted(links))
    return group_ids


def insert_reviews(db, rows):
    db.executemany(
        """INSERT INTO word_review_items (word_id, study_session_id, correct, rating, created_at,
                                          reviewed_at_adjusted)
           VALUES (?, ?, ?, ?, ?, 0)""", rows)
