-- Schema version 4: every session list sorts through an index, and one change
-- marker for conditional GET.
--
-- Each session carries a copy of its group's and its activity's name, so that
-- lists sorted by name read an index instead of sorting every session; a
-- rename changes the copies in the same transaction (lib/session_names.py).
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

-- Changed by every write transaction (lib/db.py transaction()): the ETag of
-- every GET answer is made from it. A random value, not a counter, so that a
-- restored backup or a rebuilt database never repeats a tag given before for
-- other content.
CREATE TABLE revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO revision (id, value) VALUES (1, random());
