"""flask --app app optimize [--dry-run]: FSRS's parameters fitted to the
learner's history (lib/scheduler/fitting.py), stored, and every card
rescheduled with them."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from lib.commands.cli import Command, database_path
from lib.scheduler import fitting, parameters, scheduling
from lib.store import db
from lib.store.transactions import transaction


@click.command("optimize", cls=Command)
@click.option("--dry-run", is_flag=True,
              help="Print the fitted parameters and their evaluation; store nothing.")
@with_appcontext
def optimize_command(dry_run):
    """Fit FSRS's parameters to the review history, print how well they and
    the defaults predict it, store them and reschedule every card with them."""
    retention = current_app.config["DESIRED_RETENTION"]
    started = time.monotonic()
    connection = db.connect(database_path())
    try:
        fitted, answers, default, scored = fit_and_score(connection, retention, dry_run)
        if dry_run:
            report(fitted, answers, default, scored)
            click.echo("Dry run: nothing stored, no card rescheduled.")
            return
        with transaction(connection):
            with_fit = scheduling.make_scheduler(retention, fitted)
            # The fit is scored in the replay that reschedules: one replay fewer.
            score = fitting.Score(with_fit)
            total = connection.execute(
                "SELECT correct_count + wrong_count FROM review_stats").fetchone()[0]
            with click.progressbar(length=total, label="Rescheduling with the fit") as bar:
                cards = scheduling.rebuild_cards(connection, with_fit, bar.update,
                                                 score.before_review)
            scored = score.result()
            parameters.store_fit(connection, fitted, answers, default, scored)
    finally:
        connection.close()
    report(fitted, answers, default, scored)
    click.echo(f"Stored the parameters fitted on {answers:,} answers; rescheduled {cards:,} "
               f"cards with them (desired retention {retention}) in "
               f"{time.monotonic() - started:.0f} s.")


def fit_and_score(connection, retention, dry_run):
    """In one read snapshot: the fit, the answers read, and the scores of the
    defaults and (for a dry run) of the fit. Answers given meanwhile are not
    fitted on, but are rescheduled with the rest."""
    connection.execute("BEGIN")
    answers = connection.execute(
        "SELECT correct_count + wrong_count FROM review_stats").fetchone()[0]
    with click.progressbar(length=answers, label="Reading the history") as bar:
        items, answers = fitting.training_items(connection, bar.update)
    try:
        fitting.check_enough(items, answers)
        click.echo(f"Fitting FSRS to {len(items):,} answers given a day or more after the "
                   "word's previous answer ...")
        started = time.monotonic()
        fitted = fitting.fit(items, answers)
    except fitting.TooLittleHistory as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Fitted in {time.monotonic() - started:.1f} s.")
    schedulers = [scheduling.make_scheduler(retention)]
    if dry_run:
        schedulers.append(scheduling.make_scheduler(retention, fitted))
    with click.progressbar(length=len(schedulers) * answers, label="Scoring") as bar:
        scores = [fitting.evaluate(connection, scheduler, bar.update) for scheduler in schedulers]
    connection.execute("COMMIT")
    return fitted, answers, scores[0], scores[1] if dry_run else None


def report(fitted, answers, default, scored):
    click.echo(f"Parameters (FSRS-6, {len(fitted)}): {', '.join(f'{value:g}' for value in fitted)}")
    click.echo(f"Predicted recall against {scored['count']:,} of the {answers:,} answers "
               "(those a day or more after the word's previous answer):")
    click.echo("              log loss    RMSE")
    for name, evaluation in (("defaults", default), ("fitted", scored)):
        click.echo(f"  {name:<10} {evaluation['log_loss']:>9.4f} {evaluation['rmse']:>8.4f}")


def init_app(app):
    app.cli.add_command(optimize_command)
