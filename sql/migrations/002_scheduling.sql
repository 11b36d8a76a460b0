-- Schema version 1 -> 2: spaced repetition (FSRS). Each word's card is kept
-- with its counters in word_reviews; each review keeps its rating (1 again,
-- 2 hard, 3 good, 4 easy), filled here from `correct` for older reviews.
-- lib/migrations.py then computes every card from the history (AFTER_STEP[2]).

ALTER TABLE word_review_items ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 4);
UPDATE word_review_items SET rating = CASE WHEN correct = 1 THEN 3 ELSE 1 END;
CREATE INDEX word_review_items_word_time
    ON word_review_items (word_id, created_at, id, correct, rating);

ALTER TABLE word_reviews ADD COLUMN state TEXT NOT NULL DEFAULT 'new'
    CHECK (state IN ('new', 'learning', 'review', 'relearning'));
ALTER TABLE word_reviews ADD COLUMN step INTEGER;
ALTER TABLE word_reviews ADD COLUMN stability REAL;
ALTER TABLE word_reviews ADD COLUMN difficulty REAL;
ALTER TABLE word_reviews ADD COLUMN due TEXT;
ALTER TABLE word_reviews ADD COLUMN reps INTEGER NOT NULL DEFAULT 0 CHECK (reps >= 0);
ALTER TABLE word_reviews ADD COLUMN lapses INTEGER NOT NULL DEFAULT 0 CHECK (lapses >= 0);
ALTER TABLE word_reviews ADD COLUMN first_review TEXT;
CREATE INDEX word_reviews_due ON word_reviews (due, word_id, last_reviewed, stability);
CREATE INDEX word_reviews_due_order
    ON word_reviews (coalesce(due, '9999-12-31T23:59:59Z'), word_id);
CREATE INDEX word_reviews_first_review ON word_reviews (first_review);
