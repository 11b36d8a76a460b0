-- Release 1 -> schema version 1: ids are never reused (AUTOINCREMENT), also
-- after a delete or a reset. SQLite cannot add AUTOINCREMENT to a table, so
-- each table is rebuilt: new table, copy, drop, rename, indexes again.
-- Runs with foreign keys off (lib/migrations.py), checked before commit.

CREATE TABLE new_words (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    kanji   TEXT NOT NULL CHECK (kanji <> ''),
    romaji  TEXT NOT NULL CHECK (romaji <> ''),
    english TEXT NOT NULL CHECK (english <> ''),
    parts   TEXT NOT NULL CHECK (json_valid(parts))
);
INSERT INTO new_words (id, kanji, romaji, english, parts)
    SELECT id, kanji, romaji, english, parts FROM words;
DROP TABLE words;
ALTER TABLE new_words RENAME TO words;
CREATE INDEX words_kanji ON words (kanji);
CREATE INDEX words_romaji ON words (romaji);
CREATE INDEX words_english ON words (english);

CREATE TABLE new_groups (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    words_count    INTEGER NOT NULL DEFAULT 0 CHECK (words_count >= 0),
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0)
);
INSERT INTO new_groups (id, name, words_count, sessions_count)
    SELECT id, name, words_count, sessions_count FROM groups;
DROP TABLE groups;
ALTER TABLE new_groups RENAME TO groups;
CREATE INDEX groups_words_count ON groups (words_count);

CREATE TABLE new_study_activities (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    url            TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    preview_url    TEXT,
    description    TEXT NOT NULL DEFAULT '',
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0)
);
INSERT INTO new_study_activities (id, name, url, preview_url, description, sessions_count)
    SELECT id, name, url, preview_url, description, sessions_count FROM study_activities;
DROP TABLE study_activities;
ALTER TABLE new_study_activities RENAME TO study_activities;

CREATE TABLE new_study_sessions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id           INTEGER NOT NULL REFERENCES groups (id),
    study_activity_id  INTEGER NOT NULL REFERENCES study_activities (id),
    created_at         TEXT NOT NULL,
    review_items_count INTEGER NOT NULL DEFAULT 0 CHECK (review_items_count >= 0),
    correct_count      INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count        INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    last_activity_at   TEXT NOT NULL,
    CHECK (review_items_count = correct_count + wrong_count),
    CHECK (last_activity_at >= created_at)
);
INSERT INTO new_study_sessions (id, group_id, study_activity_id, created_at, review_items_count,
                                correct_count, wrong_count, last_activity_at)
    SELECT id, group_id, study_activity_id, created_at, review_items_count,
           correct_count, wrong_count, last_activity_at FROM study_sessions;
DROP TABLE study_sessions;
ALTER TABLE new_study_sessions RENAME TO study_sessions;
CREATE INDEX study_sessions_created_at ON study_sessions (created_at, id);
CREATE INDEX study_sessions_group_created ON study_sessions (group_id, created_at, id);
CREATE INDEX study_sessions_group_last_activity ON study_sessions (group_id, last_activity_at, id);
CREATE INDEX study_sessions_group_items ON study_sessions (group_id, review_items_count, id);
CREATE INDEX study_sessions_activity_created ON study_sessions (study_activity_id, created_at, id);

CREATE TABLE new_word_review_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    word_id          INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    study_session_id INTEGER NOT NULL REFERENCES study_sessions (id) ON DELETE CASCADE,
    correct          INTEGER NOT NULL CHECK (correct IN (0, 1)),
    created_at       TEXT NOT NULL,
    review_id        TEXT UNIQUE
);
INSERT INTO new_word_review_items (id, word_id, study_session_id, correct, created_at, review_id)
    SELECT id, word_id, study_session_id, correct, created_at, review_id FROM word_review_items;
DROP TABLE word_review_items;
ALTER TABLE new_word_review_items RENAME TO word_review_items;
CREATE INDEX word_review_items_word_id ON word_review_items (word_id);
CREATE INDEX word_review_items_session_word ON word_review_items (study_session_id, word_id, correct);
