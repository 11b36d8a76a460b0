"""The FSRS parameters in use, and the app's scheduler made with them.

flask --app app optimize stores each fit in scheduler_parameters
(sql/schema.sql) with its evaluation; the newest is in use, and with none the
scheduler takes py-fsrs's defaults. A reset of the history deletes them all.
Every fit is kept: a few hundred bytes each, and they show whether fits get
better as the history grows.

Each worker keeps its scheduler with the revision it was made at: a fit
stored by the command (another process) changes the revision like every
write, and the next request of each worker then reads the newest fit's id,
one read of the table's last rowid, and makes its scheduler again when it
changed. Until some write, a request reads nothing more than the revision
its ETag already reads."""
import json
import zlib

from flask import current_app, g, has_request_context
from fsrs.scheduler import DEFAULT_PARAMETERS

from lib.base.jsonio import compact_json
from lib.base.timeutil import now_text
from lib.scheduler.scheduling import make_scheduler
from lib.store.db import current_revision, get_db

FIT_COLUMNS = ("id, parameters, fitted_at, review_count, scored_count, log_loss_default, "
               "log_loss_fitted, rmse_default, rmse_fitted")


def newest_fit(db, fit_id=None):
    """The fit in use (or fit_id's), or None."""
    if fit_id is None:
        return db.execute(f"SELECT {FIT_COLUMNS} FROM scheduler_parameters "
                          "ORDER BY id DESC LIMIT 1").fetchone()
    return db.execute(f"SELECT {FIT_COLUMNS} FROM scheduler_parameters WHERE id = ?",
                      (fit_id,)).fetchone()


def parameters_of(fit):
    """The parameters of a stored fit; py-fsrs's defaults for None."""
    return tuple(json.loads(fit["parameters"])) if fit is not None else tuple(DEFAULT_PARAMETERS)


def stored_scheduler(db, retention):
    """A scheduler with the parameters in use: for commands and upgrades,
    which have no app's scheduler (or must not trust one)."""
    return make_scheduler(retention, parameters_of(newest_fit(db)))


def store_fit(db, parameters, review_count, default, fitted):
    """Stores a fit with its evaluation (lib/scheduler/fitting.py evaluate),
    inside the caller's transaction; it is in use from its commit."""
    db.execute(
        """INSERT INTO scheduler_parameters
           (parameters, fitted_at, review_count, scored_count, log_loss_default, log_loss_fitted,
            rmse_default, rmse_fitted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (compact_json(list(parameters)), now_text(), review_count, fitted["count"],
         default["log_loss"], fitted["log_loss"], default["rmse"], fitted["rmse"]))


def delete_fits(db):
    """Back to the defaults, inside the caller's transaction (a reset of the history)."""
    db.execute("DELETE FROM scheduler_parameters")


def scheduler_json(db, retention, new_per_day):
    """GET /api/scheduler: the parameters in use, where they come from, the
    settings, and the evaluation of the fit in use."""
    fit = newest_fit(db)
    evaluation = None
    if fit is not None:
        evaluation = {
            "fitted_at": fit["fitted_at"], "review_count": fit["review_count"],
            "scored_count": fit["scored_count"],
            "log_loss": {"default": fit["log_loss_default"], "fitted": fit["log_loss_fitted"]},
            "rmse": {"default": fit["rmse_default"], "fitted": fit["rmse_fitted"]}}
    return {"source": "fitted" if fit is not None else "defaults",
            "parameters": list(parameters_of(fit)), "desired_retention": retention,
            "new_per_day": new_per_day, "fit": evaluation}


def app_scheduler_state(revision=None):
    """This worker's {"revision", "fit_id", "checksum", "scheduler"}, made
    again when the newest fit is another than the one it was made with
    (see the module's docstring). checksum is a CRC of the parameters, for
    the ETags (lib/http/conditional.py)."""
    if revision is None:
        revision = current_revision()
    extensions = current_app.extensions
    kept = extensions.get("scheduler_state")
    if kept is not None and kept["revision"] == revision and revision is not None:
        return kept
    db = get_db()
    fit_id = db.execute("SELECT max(id) FROM scheduler_parameters").fetchone()[0]
    if kept is None or kept["fit_id"] != fit_id:
        parameters = parameters_of(newest_fit(db, fit_id) if fit_id is not None else None)
        kept = {"fit_id": fit_id, "checksum": zlib.crc32(repr(parameters).encode()),
                "scheduler": make_scheduler(current_app.config["DESIRED_RETENTION"], parameters)}
    # A new dict: another thread may be reading the old one.
    kept = extensions["scheduler_state"] = {**kept, "revision": revision}
    return kept


def get_scheduler():
    """The app's scheduler, with the parameters in use: in a GET, those its
    ETag was made with (lib/http/conditional.py keeps them on g), without
    reading the revision again."""
    state = g.get("scheduler_state") if has_request_context() else None
    return (state or app_scheduler_state())["scheduler"]
