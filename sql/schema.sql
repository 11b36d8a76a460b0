-- Lang Portal schema. Every timestamp is UTC text, 'YYYY-MM-DDTHH:MM:SSZ',
-- fixed width so that text order is time order.
--
-- The counters (groups.words_count, *.sessions_count, the study_sessions review
-- totals, word_reviews, review_stats) are kept current in the transaction of
-- every write, so that no request has to aggregate over history.
-- sql/recount.sql rebuilds them all from the base tables.
--
-- AUTOINCREMENT: an id is never given twice, also after a delete or a reset,
-- so a client holding an old session (or word) id can never write into a new one.
--
-- This file is the current schema, for new databases. An older database is
-- upgraded in place by the steps in sql/migrations/ (see lib/migrations.py);
-- a change here comes with a new step there.

CREATE TABLE words (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    kanji   TEXT NOT NULL CHECK (kanji <> ''),
    romaji  TEXT NOT NULL CHECK (romaji <> ''),
    english TEXT NOT NULL CHECK (english <> ''),
    -- compact JSON (lib/jsonio.py compact_json), put into answers as it is
    parts   TEXT NOT NULL CHECK (json_valid(parts))
);
CREATE INDEX words_kanji ON words (kanji);
CREATE INDEX words_romaji ON words (romaji);
CREATE INDEX words_english ON words (english);

CREATE TABLE groups (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    words_count    INTEGER NOT NULL DEFAULT 0 CHECK (words_count >= 0),
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0)
);
CREATE INDEX groups_words_count ON groups (words_count);

CREATE TABLE word_groups (
    word_id  INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    -- copies of the word's text and review totals, so that a group's words
    -- sort through an index (kept current by lib/copies.py)
    kanji         TEXT NOT NULL DEFAULT '',
    romaji        TEXT NOT NULL DEFAULT '',
    english       TEXT NOT NULL DEFAULT '',
    correct_count INTEGER NOT NULL DEFAULT 0,
    wrong_count   INTEGER NOT NULL DEFAULT 0,
    due           TEXT,  -- the word's card's due time (word_reviews.due)
    UNIQUE (word_id, group_id)
);
CREATE INDEX word_groups_group_id ON word_groups (group_id, word_id);
CREATE INDEX word_groups_kanji ON word_groups (group_id, kanji, word_id);
CREATE INDEX word_groups_romaji ON word_groups (group_id, romaji, word_id);
CREATE INDEX word_groups_english ON word_groups (group_id, english, word_id);
CREATE INDEX word_groups_correct ON word_groups (group_id, correct_count, word_id);
CREATE INDEX word_groups_wrong ON word_groups (group_id, wrong_count, word_id);
CREATE INDEX word_groups_due ON word_groups (group_id, coalesce(due, '9999-12-31T23:59:59Z'), word_id);

CREATE TABLE study_activities (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    -- An activity's own server, or a path under /activities/: one the API
    -- serves itself, answered absolute on the request's origin.
    url            TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'
                                        OR url LIKE '/activities/%'),
    preview_url    TEXT,
    description    TEXT NOT NULL DEFAULT '',
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0)
);

CREATE TABLE study_sessions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id           INTEGER NOT NULL REFERENCES groups (id),
    study_activity_id  INTEGER NOT NULL REFERENCES study_activities (id),
    created_at         TEXT NOT NULL,
    review_items_count INTEGER NOT NULL DEFAULT 0 CHECK (review_items_count >= 0),
    correct_count      INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count        INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    -- created_at until the first review, then the time of the latest review
    last_activity_at   TEXT NOT NULL,
    -- copies of the group's and the activity's name, so that lists sort by
    -- them through an index; a rename changes them too (lib/copies.py)
    group_name         TEXT NOT NULL DEFAULT '',
    activity_name      TEXT NOT NULL DEFAULT '',
    CHECK (review_items_count = correct_count + wrong_count),
    CHECK (last_activity_at >= created_at)
);
CREATE INDEX study_sessions_created_at ON study_sessions (created_at, id);
CREATE INDEX study_sessions_group_created ON study_sessions (group_id, created_at, id);
CREATE INDEX study_sessions_group_last_activity ON study_sessions (group_id, last_activity_at, id);
CREATE INDEX study_sessions_group_items ON study_sessions (group_id, review_items_count, id);
CREATE INDEX study_sessions_activity_created ON study_sessions (study_activity_id, created_at, id);
-- Every sort key of every session list (lib/resources.py SESSION_SORT) has its
-- index, for all sessions, a group's and an activity's. A group's list sorted
-- by group name is sorted by id (all share the name), an activity's likewise.
CREATE INDEX study_sessions_last_activity ON study_sessions (last_activity_at, id);
CREATE INDEX study_sessions_group_name ON study_sessions (group_name, id);
CREATE INDEX study_sessions_activity_name ON study_sessions (activity_name, id);
CREATE INDEX study_sessions_items ON study_sessions (review_items_count, id);
CREATE INDEX study_sessions_group_id ON study_sessions (group_id, id);
CREATE INDEX study_sessions_group_activity_name ON study_sessions (group_id, activity_name, id);
CREATE INDEX study_sessions_activity_id ON study_sessions (study_activity_id, id);
CREATE INDEX study_sessions_activity_last_activity
    ON study_sessions (study_activity_id, last_activity_at, id);
CREATE INDEX study_sessions_activity_group_name ON study_sessions (study_activity_id, group_name, id);
CREATE INDEX study_sessions_activity_items ON study_sessions (study_activity_id, review_items_count, id);

CREATE TABLE word_review_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    word_id          INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    study_session_id INTEGER NOT NULL REFERENCES study_sessions (id) ON DELETE CASCADE,
    correct          INTEGER NOT NULL CHECK (correct IN (0, 1)),
    created_at       TEXT NOT NULL,
    review_id        TEXT UNIQUE,  -- a client's id for safe retries; NULL when none was sent
    -- 1 again, 2 hard, 3 good, 4 easy (FSRS); NULL reads as 3 when correct, else 1
    rating           INTEGER CHECK (rating BETWEEN 1 AND 4),
    -- a copy of the session's group (sql/recount.sql rebuilds it), so that a
    -- group's answers are one range of an index (the review log)
    group_id         INTEGER,
    -- 1 when the reviewed_at sent was moved to the session's start (clock
    -- skew), 0 when not; NULL when unknown (stored before schema version 9)
    reviewed_at_adjusted INTEGER CHECK (reviewed_at_adjusted IN (0, 1))
);
-- A word's history in replay order, covering: rebuilding every card is one
-- pass. It serves every lookup of a word's reviews too.
CREATE INDEX word_review_items_word_time
    ON word_review_items (word_id, created_at, id, correct, rating);
CREATE INDEX word_review_items_session_word ON word_review_items (study_session_id, word_id, correct);
-- The review log (lib/queries/reviews.py): every answer, a session's and a
-- group's, each in (created_at, id) order, so that a page is one index range.
CREATE INDEX word_review_items_time ON word_review_items (created_at, id);
CREATE INDEX word_review_items_session_time ON word_review_items (study_session_id, created_at, id);
CREATE INDEX word_review_items_group_time ON word_review_items (group_id, created_at, id);

-- One row per word, created with the word, so that lists can be ordered by these
-- counts through an index. It is also the word's FSRS card (lib/scheduling.py):
-- state, step, stability, difficulty, due, reps and lapses, with last_reviewed
-- as the card's last review; a word never reviewed is 'new', due NULL.
-- first_review is the time of the word's first review (the new-words allowance).
CREATE TABLE word_reviews (
    id            INTEGER PRIMARY KEY,
    word_id       INTEGER NOT NULL UNIQUE REFERENCES words (id) ON DELETE CASCADE,
    correct_count INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count   INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    last_reviewed TEXT,
    state         TEXT NOT NULL DEFAULT 'new'
                  CHECK (state IN ('new', 'learning', 'review', 'relearning')),
    step          INTEGER,
    stability     REAL,
    difficulty    REAL,
    due           TEXT,
    reps          INTEGER NOT NULL DEFAULT 0 CHECK (reps >= 0),
    lapses        INTEGER NOT NULL DEFAULT 0 CHECK (lapses >= 0),
    first_review  TEXT
);
CREATE INDEX word_reviews_correct ON word_reviews (correct_count, word_id);
CREATE INDEX word_reviews_wrong ON word_reviews (wrong_count, word_id);
-- The queue and forecast (due ranges; due IS NULL: the new words, in id order),
-- covering the queue's order (lib/study_queue.py).
CREATE INDEX word_reviews_due ON word_reviews (due, word_id, last_reviewed, stability);
-- sort_by=due: a new word sorts as due at the end of time.
CREATE INDEX word_reviews_due_order
    ON word_reviews (coalesce(due, '9999-12-31T23:59:59Z'), word_id);
CREATE INDEX word_reviews_first_review ON word_reviews (first_review);

-- The dashboard's review figures, one row.
CREATE TABLE review_stats (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    studied_words  INTEGER NOT NULL DEFAULT 0,
    mastered_words INTEGER NOT NULL DEFAULT 0,
    correct_count  INTEGER NOT NULL DEFAULT 0,
    wrong_count    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO review_stats (id) VALUES (1);

-- FSRS's parameters fitted to the learner's history by flask --app app optimize
-- (lib/scheduler/parameters.py). Each fit is kept with its evaluation; the
-- newest is in use, and with none the scheduler takes py-fsrs's defaults.
CREATE TABLE scheduler_parameters (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the 21 FSRS-6 parameters, a compact JSON array
    parameters       TEXT NOT NULL
                     CHECK (json_valid(parameters) AND json_array_length(parameters) = 21),
    fitted_at        TEXT NOT NULL,
    review_count     INTEGER NOT NULL CHECK (review_count >= 0),  -- answers in the history
    scored_count     INTEGER NOT NULL CHECK (scored_count >= 0),  -- answers scored below
    -- how well the defaults and the fitted parameters predicted the history
    log_loss_default REAL NOT NULL,
    log_loss_fitted  REAL NOT NULL,
    rmse_default     REAL NOT NULL,
    rmse_fitted      REAL NOT NULL
);

-- The ETag of every GET answer is made from it (lib/http/conditional.py). A
-- random value, not a counter, so that a restored backup or a rebuilt
-- database never repeats a tag given before for other content.
CREATE TABLE revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO revision (id, value) VALUES (1, random());

-- The revision changes with every row inserted, deleted or updated with
-- another value in any column, in every table but its own, whatever writes
-- (the API, a command, sqlite3 by hand); an UPDATE that sets the values a row
-- holds (a retry) leaves it, and so every client's tags. A new table or
-- column is added to these (tests/test_conditional.py checks they cover
-- every one).
CREATE TRIGGER words_inserted AFTER INSERT ON words
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER words_deleted AFTER DELETE ON words
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER words_updated AFTER UPDATE ON words
WHEN (OLD.id, OLD.kanji, OLD.romaji, OLD.english, OLD.parts)
 IS NOT (NEW.id, NEW.kanji, NEW.romaji, NEW.english, NEW.parts)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER groups_inserted AFTER INSERT ON groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER groups_deleted AFTER DELETE ON groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER groups_updated AFTER UPDATE ON groups
WHEN (OLD.id, OLD.name, OLD.words_count, OLD.sessions_count)
 IS NOT (NEW.id, NEW.name, NEW.words_count, NEW.sessions_count)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_groups_inserted AFTER INSERT ON word_groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_groups_deleted AFTER DELETE ON word_groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_groups_updated AFTER UPDATE ON word_groups
WHEN (OLD.word_id, OLD.group_id, OLD.kanji, OLD.romaji, OLD.english, OLD.correct_count,
     OLD.wrong_count, OLD.due)
 IS NOT (NEW.word_id, NEW.group_id, NEW.kanji, NEW.romaji, NEW.english, NEW.correct_count,
     NEW.wrong_count, NEW.due)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER study_activities_inserted AFTER INSERT ON study_activities
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER study_activities_deleted AFTER DELETE ON study_activities
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER study_activities_updated AFTER UPDATE ON study_activities
WHEN (OLD.id, OLD.name, OLD.url, OLD.preview_url, OLD.description, OLD.sessions_count)
 IS NOT (NEW.id, NEW.name, NEW.url, NEW.preview_url, NEW.description, NEW.sessions_count)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER study_sessions_inserted AFTER INSERT ON study_sessions
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER study_sessions_deleted AFTER DELETE ON study_sessions
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER study_sessions_updated AFTER UPDATE ON study_sessions
WHEN (OLD.id, OLD.group_id, OLD.study_activity_id, OLD.created_at, OLD.review_items_count,
     OLD.correct_count, OLD.wrong_count, OLD.last_activity_at, OLD.group_name, OLD.activity_name)
 IS NOT (NEW.id, NEW.group_id, NEW.study_activity_id, NEW.created_at, NEW.review_items_count,
     NEW.correct_count, NEW.wrong_count, NEW.last_activity_at, NEW.group_name, NEW.activity_name)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_review_items_inserted AFTER INSERT ON word_review_items
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_review_items_deleted AFTER DELETE ON word_review_items
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_review_items_updated AFTER UPDATE ON word_review_items
WHEN (OLD.id, OLD.word_id, OLD.study_session_id, OLD.correct, OLD.created_at, OLD.review_id,
     OLD.rating, OLD.group_id, OLD.reviewed_at_adjusted)
 IS NOT (NEW.id, NEW.word_id, NEW.study_session_id, NEW.correct, NEW.created_at, NEW.review_id,
     NEW.rating, NEW.group_id, NEW.reviewed_at_adjusted)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_reviews_inserted AFTER INSERT ON word_reviews
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_reviews_deleted AFTER DELETE ON word_reviews
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER word_reviews_updated AFTER UPDATE ON word_reviews
WHEN (OLD.id, OLD.word_id, OLD.correct_count, OLD.wrong_count, OLD.last_reviewed, OLD.state,
     OLD.step, OLD.stability, OLD.difficulty, OLD.due, OLD.reps, OLD.lapses, OLD.first_review)
 IS NOT (NEW.id, NEW.word_id, NEW.correct_count, NEW.wrong_count, NEW.last_reviewed, NEW.state,
     NEW.step, NEW.stability, NEW.difficulty, NEW.due, NEW.reps, NEW.lapses, NEW.first_review)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER review_stats_inserted AFTER INSERT ON review_stats
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER review_stats_deleted AFTER DELETE ON review_stats
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER review_stats_updated AFTER UPDATE ON review_stats
WHEN (OLD.id, OLD.studied_words, OLD.mastered_words, OLD.correct_count, OLD.wrong_count)
 IS NOT (NEW.id, NEW.studied_words, NEW.mastered_words, NEW.correct_count, NEW.wrong_count)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER scheduler_parameters_inserted AFTER INSERT ON scheduler_parameters
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER scheduler_parameters_deleted AFTER DELETE ON scheduler_parameters
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER scheduler_parameters_updated AFTER UPDATE ON scheduler_parameters
WHEN (OLD.id, OLD.parameters, OLD.fitted_at, OLD.review_count, OLD.scored_count,
     OLD.log_loss_default, OLD.log_loss_fitted, OLD.rmse_default, OLD.rmse_fitted)
 IS NOT (NEW.id, NEW.parameters, NEW.fitted_at, NEW.review_count, NEW.scored_count,
     NEW.log_loss_default, NEW.log_loss_fitted, NEW.rmse_default, NEW.rmse_fitted)
BEGIN UPDATE revision SET value = random(); END;
