"""Does fitting FSRS to the learner help? bench/simulate.py's learner, whose
memory is not FSRS, studies the queue through the real API (gunicorn, two
workers) for 60 days with FSRS's default parameters, at most 40 answers a
day. Then `flask --app app optimize` fits the parameters to those answers in
a copy of the database, while that copy's server runs, and the next 30 days
are studied twice from there: with the defaults, and with the fit (the same
learner, copied as it was on day 60).

Measured on each run's 30 days: how well the defaults and the fit predicted
the learner's answers (log loss and RMSE of the predicted recall, on the
answers given a day or more after the word's previous one, as optimize
scores them), the answers spent and the recall reached on day 90.

    .venv/bin/python bench/simulate_fit.py [--words 200] [--per-day 40] [--seed 1]
"""
import argparse
import copy
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from simulate import (  # noqa: E402
    GROUP,
    PROJECT_DIR,
    Learner,
    Server,
    Study,
    flask,
    fresh_database,
    made_up_words,
    study_queue,
)

sys.path.insert(0, str(PROJECT_DIR))

from lib.base.timeutil import format_utc, utc_now  # noqa: E402
from lib.scheduler import fitting, parameters, scheduling  # noqa: E402
from lib.store import db as database  # noqa: E402

FIRST_DAYS, NEXT_DAYS = 60, 30


def study_days(server, learner, group_id, day_starts, per_day):
    """The queue studied on each day; returns the answers spent."""
    study = Study(server, learner, group_id)
    for day_start in day_starts:
        study_queue(study, day_start, per_day)
    return study.answers


def scores(db_path, since, fitted):
    """{defaults|fitted: evaluation} of the answers since `since` in db_path."""
    connection = database.connect(str(db_path))
    try:
        return {name: fitting.evaluate(connection, scheduling.make_scheduler(0.9, chosen),
                                       lambda done: None, since)
                for name, chosen in (("defaults", None), ("fitted", fitted))}
    finally:
        connection.close()


def experiment(args, folder):
    end = utc_now() - timedelta(minutes=5)
    days = FIRST_DAYS + NEXT_DAYS
    day_starts = [end - timedelta(days=days - day) for day in range(days)]
    default_db = fresh_database(folder, made_up_words(args.words, args.seed))
    servers = {"defaults": Server(default_db)}
    try:
        groups = servers["defaults"].call("/api/groups?per_page=100")["items"]
        group_id = next(group["id"] for group in groups if group["name"] == GROUP)
        word_ids = [word["id"] for word in
                    servers["defaults"].call(f"/api/groups/{group_id}/words/raw")]
        learners = {"defaults": Learner(word_ids, args.seed)}
        first = study_days(servers["defaults"], learners["defaults"], group_id,
                           day_starts[:FIRST_DAYS], args.per_day)
        fitted_db = Path(folder) / "fitted.db"
        flask(default_db, "backup", str(fitted_db))
        servers["fitted"] = Server(fitted_db)
        print(flask(fitted_db, "optimize"), file=sys.stderr)
        assert servers["fitted"].call("/api/scheduler")["source"] == "fitted"
        learners["fitted"] = copy.deepcopy(learners["defaults"])
        runs = {}
        for name, server in servers.items():
            answers = study_days(server, learners[name], group_id, day_starts[FIRST_DAYS:],
                                 args.per_day)
            recall = sum(learners[name].recall(word_id, end) for word_id in word_ids)
            runs[name] = {"answers": answers, "recall": recall / len(word_ids)}
    finally:
        for server in servers.values():
            server.stop()
    connection = database.connect(str(fitted_db))
    try:
        fit = parameters.newest_fit(connection)
    finally:
        connection.close()
    fitted = parameters.parameters_of(fit)
    since = format_utc(day_starts[FIRST_DAYS])
    for name, db_path in (("defaults", default_db), ("fitted", fitted_db)):
        runs[name]["scores"] = scores(db_path, since, fitted)
    return first, fit, runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--per-day", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        first, fit, runs = experiment(args, folder)
    print(f"done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"{args.words} words, at most {args.per_day} answers a day, seed {args.seed}. Fitted on "
          f"the {first:,} answers of days 1-{FIRST_DAYS} ({fit['scored_count']} scored there: "
          f"log loss {fit['log_loss_default']:.4f} with the defaults, "
          f"{fit['log_loss_fitted']:.4f} fitted).\n")
    print(f"| days {FIRST_DAYS + 1}-{FIRST_DAYS + NEXT_DAYS} scheduled with | answers | scored "
          "| log loss: defaults | log loss: fitted | RMSE: defaults | RMSE: fitted "
          f"| recall on day {FIRST_DAYS + NEXT_DAYS} | words recalled per 100 answers |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        defaults, fitted = run["scores"]["defaults"], run["scores"]["fitted"]
        print(f"| {name} | {run['answers']:,} | {defaults['count']} | {defaults['log_loss']:.4f} "
              f"| {fitted['log_loss']:.4f} | {defaults['rmse']:.4f} | {fitted['rmse']:.4f} "
              f"| {run['recall']:.1%} | {100 * run['recall'] * args.words / run['answers']:.1f} |")


if __name__ == "__main__":
    main()
