-- Schema version 8: FSRS's parameters fitted to the learner's history by
-- flask --app app optimize. Each fit is kept with its evaluation; the newest
-- is in use, and with none the scheduler takes py-fsrs's defaults.
-- (IF NOT EXISTS: a step may run again on a database that has it.)
CREATE TABLE IF NOT EXISTS scheduler_parameters (
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
