-- Schema version 9: the review log (GET /api/reviews and its exports) reads
-- a page of answers as one range of an index on (filter, created_at, id),
-- so that the page at the millionth answer costs what the first does.
--
-- group_id: a copy of the answer's session's group (a session never changes
-- group), so that a group's answers are one index range too; sql/recount.sql
-- rebuilds it.
ALTER TABLE word_review_items ADD COLUMN group_id INTEGER;
-- 1 when the reviewed_at sent was moved to the session's start (clock skew),
-- 0 when not, NULL when unknown: answers stored before version 9. One
-- stamped after its session's start cannot have been moved.
ALTER TABLE word_review_items ADD COLUMN reviewed_at_adjusted INTEGER
    CHECK (reviewed_at_adjusted IN (0, 1));

UPDATE word_review_items SET
    group_id = s.group_id,
    reviewed_at_adjusted = CASE WHEN word_review_items.created_at > s.created_at THEN 0 END
FROM study_sessions s
WHERE s.id = word_review_items.study_session_id;

CREATE INDEX word_review_items_time ON word_review_items (created_at, id);
CREATE INDEX word_review_items_session_time ON word_review_items (study_session_id, created_at, id);
CREATE INDEX word_review_items_group_time ON word_review_items (group_id, created_at, id);
