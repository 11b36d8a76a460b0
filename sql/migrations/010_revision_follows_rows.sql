-- Schema version 10: the revision (every GET's ETag) follows the rows, not
-- the statements. It was changed by every write transaction that ran an
-- UPDATE, also one that set the values the rows held already (a retry of a
-- PUT or PATCH, a second reset), which changed every client's tags for
-- nothing. Now each table's triggers change it when a row is inserted or
-- deleted, or updated with another value in any column; whatever writes,
-- the API, a command or sqlite3 by hand. (IF NOT EXISTS: a test runs the
-- steps again on a current database.)
CREATE TRIGGER IF NOT EXISTS words_inserted AFTER INSERT ON words
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS words_deleted AFTER DELETE ON words
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS words_updated AFTER UPDATE ON words
WHEN (OLD.id, OLD.kanji, OLD.romaji, OLD.english, OLD.parts)
 IS NOT (NEW.id, NEW.kanji, NEW.romaji, NEW.english, NEW.parts)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS groups_inserted AFTER INSERT ON groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS groups_deleted AFTER DELETE ON groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS groups_updated AFTER UPDATE ON groups
WHEN (OLD.id, OLD.name, OLD.words_count, OLD.sessions_count)
 IS NOT (NEW.id, NEW.name, NEW.words_count, NEW.sessions_count)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_groups_inserted AFTER INSERT ON word_groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_groups_deleted AFTER DELETE ON word_groups
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_groups_updated AFTER UPDATE ON word_groups
WHEN (OLD.word_id, OLD.group_id, OLD.kanji, OLD.romaji, OLD.english, OLD.correct_count,
     OLD.wrong_count, OLD.due)
 IS NOT (NEW.word_id, NEW.group_id, NEW.kanji, NEW.romaji, NEW.english, NEW.correct_count,
     NEW.wrong_count, NEW.due)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS study_activities_inserted AFTER INSERT ON study_activities
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS study_activities_deleted AFTER DELETE ON study_activities
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS study_activities_updated AFTER UPDATE ON study_activities
WHEN (OLD.id, OLD.name, OLD.url, OLD.preview_url, OLD.description, OLD.sessions_count)
 IS NOT (NEW.id, NEW.name, NEW.url, NEW.preview_url, NEW.description, NEW.sessions_count)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS study_sessions_inserted AFTER INSERT ON study_sessions
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS study_sessions_deleted AFTER DELETE ON study_sessions
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS study_sessions_updated AFTER UPDATE ON study_sessions
WHEN (OLD.id, OLD.group_id, OLD.study_activity_id, OLD.created_at, OLD.review_items_count,
     OLD.correct_count, OLD.wrong_count, OLD.last_activity_at, OLD.group_name, OLD.activity_name)
 IS NOT (NEW.id, NEW.group_id, NEW.study_activity_id, NEW.created_at, NEW.review_items_count,
     NEW.correct_count, NEW.wrong_count, NEW.last_activity_at, NEW.group_name, NEW.activity_name)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_review_items_inserted AFTER INSERT ON word_review_items
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_review_items_deleted AFTER DELETE ON word_review_items
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_review_items_updated AFTER UPDATE ON word_review_items
WHEN (OLD.id, OLD.word_id, OLD.study_session_id, OLD.correct, OLD.created_at, OLD.review_id,
     OLD.rating, OLD.group_id, OLD.reviewed_at_adjusted)
 IS NOT (NEW.id, NEW.word_id, NEW.study_session_id, NEW.correct, NEW.created_at, NEW.review_id,
     NEW.rating, NEW.group_id, NEW.reviewed_at_adjusted)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_reviews_inserted AFTER INSERT ON word_reviews
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_reviews_deleted AFTER DELETE ON word_reviews
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS word_reviews_updated AFTER UPDATE ON word_reviews
WHEN (OLD.id, OLD.word_id, OLD.correct_count, OLD.wrong_count, OLD.last_reviewed, OLD.state,
     OLD.step, OLD.stability, OLD.difficulty, OLD.due, OLD.reps, OLD.lapses, OLD.first_review)
 IS NOT (NEW.id, NEW.word_id, NEW.correct_count, NEW.wrong_count, NEW.last_reviewed, NEW.state,
     NEW.step, NEW.stability, NEW.difficulty, NEW.due, NEW.reps, NEW.lapses, NEW.first_review)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS review_stats_inserted AFTER INSERT ON review_stats
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS review_stats_deleted AFTER DELETE ON review_stats
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS review_stats_updated AFTER UPDATE ON review_stats
WHEN (OLD.id, OLD.studied_words, OLD.mastered_words, OLD.correct_count, OLD.wrong_count)
 IS NOT (NEW.id, NEW.studied_words, NEW.mastered_words, NEW.correct_count, NEW.wrong_count)
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS scheduler_parameters_inserted AFTER INSERT ON scheduler_parameters
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS scheduler_parameters_deleted AFTER DELETE ON scheduler_parameters
BEGIN UPDATE revision SET value = random(); END;
CREATE TRIGGER IF NOT EXISTS scheduler_parameters_updated AFTER UPDATE ON scheduler_parameters
WHEN (OLD.id, OLD.parameters, OLD.fitted_at, OLD.review_count, OLD.scored_count,
     OLD.log_loss_default, OLD.log_loss_fitted, OLD.rmse_default, OLD.rmse_fitted)
 IS NOT (NEW.id, NEW.parameters, NEW.fitted_at, NEW.review_count, NEW.scored_count,
     NEW.log_loss_default, NEW.log_loss_fitted, NEW.rmse_default, NEW.rmse_fitted)
BEGIN UPDATE revision SET value = random(); END;
