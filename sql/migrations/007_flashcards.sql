-- Schema version 7: the portal's own study activity, Flashcards, which the
-- API serves itself at /activities/flashcards/. Its launch_url is stored as
-- that path and answered absolute on the origin each request came to, so it
-- opens on whatever host name and port serve the API. The url column's CHECK
-- gains that one relative form (a path under /activities/), and SQLite
-- cannot change a CHECK in place: the table is rebuilt (new table, copy,
-- drop, rename), keeping its id sequence, so that no id is ever given twice.
-- Runs with foreign keys off (lib/commands/migrations.py), checked before commit.

CREATE TEMP TABLE kept_sequence AS
    SELECT seq FROM sqlite_sequence WHERE name = 'study_activities';

CREATE TABLE new_study_activities (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    url            TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'
                                        OR url LIKE '/activities/%'),
    preview_url    TEXT,
    description    TEXT NOT NULL DEFAULT '',
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0)
);
INSERT INTO new_study_activities (id, name, url, preview_url, description, sessions_count)
    SELECT id, name, url, preview_url, description, sessions_count FROM study_activities;
DROP TABLE study_activities;
ALTER TABLE new_study_activities RENAME TO study_activities;

DELETE FROM sqlite_sequence WHERE name = 'study_activities';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'study_activities', max(coalesce((SELECT seq FROM kept_sequence), 0),
                                   coalesce((SELECT max(id) FROM study_activities), 0));
DROP TABLE kept_sequence;

-- Added only when no activity has that title: the user's own stay as they are.
INSERT INTO study_activities (name, url, preview_url, description)
    SELECT 'Flashcards', '/activities/flashcards/', '/activities/flashcards/preview.svg',
           'See a word''s kanji, recall its reading and meaning, then rate how well you knew '
           || 'it: the words due for review come first, scheduled by FSRS.'
    WHERE NOT EXISTS (SELECT 1 FROM study_activities WHERE name = 'Flashcards');
