-- Rebuilds every counter from the base tables (words, word_groups,
-- study_sessions, word_review_items), and the copies kept for sorting
-- (lib/copies.py). Run inside one transaction.

UPDATE study_sessions SET
    group_name = (SELECT name FROM groups WHERE id = study_sessions.group_id),
    activity_name = (SELECT name FROM study_activities WHERE id = study_sessions.study_activity_id);

UPDATE groups SET
    words_count = (SELECT count(*) FROM word_groups WHERE group_id = groups.id),
    sessions_count = (SELECT count(*) FROM study_sessions WHERE group_id = groups.id);

UPDATE study_activities SET
    sessions_count = (SELECT count(*) FROM study_sessions WHERE study_activity_id = study_activities.id);

UPDATE study_sessions SET
    review_items_count = totals.correct + totals.wrong,
    correct_count = totals.correct,
    wrong_count = totals.wrong,
    last_activity_at = max(study_sessions.created_at, coalesce(totals.last_at, ''))
FROM (
    SELECT s.id AS session_id,
           coalesce(sum(i.correct), 0) AS correct,
           count(i.id) - coalesce(sum(i.correct), 0) AS wrong,
           max(i.created_at) AS last_at
    FROM study_sessions s LEFT JOIN word_review_items i ON i.study_session_id = s.id
    GROUP BY s.id
) AS totals
WHERE totals.session_id = study_sessions.id;

INSERT OR IGNORE INTO word_reviews (word_id) SELECT id FROM words;
UPDATE word_reviews SET
    correct_count = coalesce(totals.correct, 0),
    wrong_count = coalesce(totals.wrong, 0),
    last_reviewed = totals.last_at
FROM (
    SELECT w.id AS word_id,
           sum(i.correct) AS correct,
           count(i.id) - sum(i.correct) AS wrong,
           max(i.created_at) AS last_at
    FROM words w LEFT JOIN word_review_items i ON i.word_id = w.id
    GROUP BY w.id
) AS totals
WHERE totals.word_id = word_reviews.word_id;

UPDATE review_stats SET
    studied_words = (SELECT count(*) FROM word_reviews WHERE correct_count + wrong_count > 0),
    mastered_words = (SELECT count(*) FROM word_reviews
                      WHERE correct_count + wrong_count >= 5
                        AND correct_count * 5 >= (correct_count + wrong_count) * 4),
    correct_count = (SELECT coalesce(sum(correct_count), 0) FROM word_reviews),
    wrong_count = (SELECT coalesce(sum(wrong_count), 0) FROM word_reviews)
WHERE id = 1;

UPDATE word_groups SET kanji = w.kanji, romaji = w.romaji, english = w.english,
    correct_count = r.correct_count, wrong_count = r.wrong_count, due = r.due
FROM words w JOIN word_reviews r ON r.word_id = w.id
WHERE w.id = word_groups.word_id;

-- The review log's copy of each answer's session's group.
UPDATE word_review_items SET group_id = s.group_id
FROM study_sessions s
WHERE s.id = word_review_items.study_session_id AND word_review_items.group_id IS NOT s.group_id;
