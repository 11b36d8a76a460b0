-- Schema version 4: every session list sorts through an index, and one change
-- marker for conditional GET.
--
-- Each session carries a copy of its group's and its activity's name, so that
-- lists sorted by name read an index instead of sorting every session; a
-- rename changes the copies in the same transaction (lib/copies.py).
ALTER TABLE study_sessions ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
ALTER TABLE study_sessions ADD COLUMN activity_name TEXT NOT NULL DEFAULT '';
UPDATE study_sessions SET
    group_name = (SELECT name FROM groups WHERE id = study_sessions.group_id),
    activity_name = (SELECT name FROM study_activities WHERE id = study_sessions.study_activity_id);

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

-- Each group's word links carry a copy of the word's text, review totals and
-- due time, so that a group's words sort through an index (lib/copies.py).
ALTER TABLE word_groups ADD COLUMN kanji TEXT NOT NULL DEFAULT '';
ALTER TABLE word_groups ADD COLUMN romaji TEXT NOT NULL DEFAULT '';
ALTER TABLE word_groups ADD COLUMN english TEXT NOT NULL DEFAULT '';
ALTER TABLE word_groups ADD COLUMN correct_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE word_groups ADD COLUMN wrong_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE word_groups ADD COLUMN due TEXT;
UPDATE word_groups SET kanji = w.kanji, romaji = w.romaji, english = w.english,
    correct_count = r.correct_count, wrong_count = r.wrong_count, due = r.due
FROM words w JOIN word_reviews r ON r.word_id = w.id
WHERE w.id = word_groups.word_id;
CREATE INDEX word_groups_kanji ON word_groups (group_id, kanji, word_id);
CREATE INDEX word_groups_romaji ON word_groups (group_id, romaji, word_id);
CREATE INDEX word_groups_english ON word_groups (group_id, english, word_id);
CREATE INDEX word_groups_correct ON word_groups (group_id, correct_count, word_id);
CREATE INDEX word_groups_wrong ON word_groups (group_id, wrong_count, word_id);
CREATE INDEX word_groups_due ON word_groups (group_id, coalesce(due, '9999-12-31T23:59:59Z'), word_id);

-- Changed by every write transaction (lib/db.py transaction()): the ETag of
-- every GET answer is made from it. A random value, not a counter, so that a
-- restored backup or a rebuilt database never repeats a tag given before for
-- other content.
CREATE TABLE revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO revision (id, value) VALUES (1, random());
