-- Schema version 5: one index fewer to write with every review.
-- word_review_items_word_time begins with word_id, so it serves every lookup
-- of a word's reviews (and the cascade when a word is deleted) that
-- word_review_items_word_id served.
DROP INDEX IF EXISTS word_review_items_word_id;
