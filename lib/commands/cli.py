"""Commands: flask --app app init-db | import-words | demo-data | reschedule | backup
(and optimize, lib/commands/optimize.py; export-reviews, export-deck:
lib/commands/exports.py).

Only init-db creates a database; every other command needs one that exists
(a typo in LANG_PORTAL_DB must not make a new, empty one)."""
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lib.base.errors import ApiError
from lib.commands import demo, migrations
from lib.inventory import writes as inventory
from lib.inventory.word_files import WordListError, group_name, read_word_list
from lib.scheduler import parameters, scheduling
from lib.store import db
from lib.store.transactions import transaction


class Command(click.Command):
    """Each of our commands: a database file it cannot use, or a write that
    cannot take the write lock in time (another command or the server holds
    it), ends with a one-line error."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except migrations.DatabaseUnusable as error:
            raise click.ClickException(f"{error}. Nothing was changed.") from None
        except ApiError as error:
            if error.status != 503:
                raise
            raise click.ClickException(
                "The database is busy with another write (another command, or the server); "
                "nothing was changed. Try again when it is done.") from None


def database_path(upgrade=True):
    """The database the commands act on; it must exist. With upgrade, an older
    schema is upgraded first (the write lock is taken only then)."""
    path = current_app.config["DATABASE"]
    try:
        if upgrade:
            migrations.open_database(path, create=False)
        elif not Path(path).is_file():
            raise migrations.DatabaseMissing(path)
        else:
            with closing(migrations.connect_checked(path)) as checked:
                if not migrations.has_schema(checked):  # an empty database
                    raise migrations.DatabaseMissing(path)
    except migrations.DatabaseMissing:
        raise click.ClickException(
            f"No database at {path}: check LANG_PORTAL_DB, or create one with "
            "`flask --app app init-db`.") from None
    return path


@click.command("init-db", cls=Command)
@with_appcontext
def init_db_command():
    """Rebuild the database from scratch: schema and seed data."""
    path = current_app.config["DATABASE"]
    counts = migrations.open_database(path, rebuild=True)["rebuilt"]
    made = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
    click.echo(f"Rebuilt {path} from scratch: {made}.")


@click.command("import-words", cls=Command)
@with_appcontext
@click.argument("group")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_words_command(group, file):
    """Add the words of FILE to GROUP: a JSON list in the seed format, or CSV
    or TSV with a header row (kanji,english[,romaji]); romaji and parts left
    out are read from the kanji."""
    try:
        group = group_name(group)
    except WordListError as error:
        raise click.BadParameter(str(error), param_hint="GROUP") from None
    try:
        entries = inventory.complete_entries(read_word_list(file))
    except WordListError as error:
        raise click.ClickException(f"{file}: {error}. Nothing was imported.") from None
    if not entries:
        # Else an empty list or a lone header row would make an empty group.
        raise click.ClickException(f"No words in {file}; nothing was imported.")
    connection = db.connect(database_path())
    try:
        with transaction(connection):
            group_id, added, there, repeated = inventory.import_words(connection, group, entries)
            total = connection.execute("SELECT words_count FROM groups WHERE id = ?",
                                       (group_id,)).fetchone()[0]
    finally:
        connection.close()
    repeats = f", {repeated} repeated in the file" if repeated else ""
    click.echo(f"Imported {len(entries)} words into {group!r}: {added} added, "
               f"{there} already there{repeats}; the group has {total} words.")


@click.command("demo-data", cls=Command)
@with_appcontext
# Bounds well above the defaults: the whole run holds the write lock, and
# --reviews 10000000 alone takes minutes and writes GBs.
@click.option("--words", default=10_000, show_default=True, type=click.IntRange(1, 100_000),
              help="Words to add, at least one for each group.")
@click.option("--groups", default=20, show_default=True, type=click.IntRange(1, 1_000),
              help="Groups to add.")
@click.option("--sessions", default=50_000, show_default=True, type=click.IntRange(1, 1_000_000),
              help="Study sessions to add.")
@click.option("--reviews", default=1_000_000, show_default=True, type=click.IntRange(0, 10_000_000),
              help="Reviews to add.")
@click.option("--seed", default=1, show_default=True, help="Random seed, for the same data again.")
def demo_data_command(words, groups, sessions, reviews, seed):
    """Add realistic demo history (over the last 90 days) to the database.
    It holds the write lock all the while (at the defaults, half a minute or more)."""
    if words < groups:
        raise click.BadParameter(f"needs at least one word for each of the {groups} groups",
                                 param_hint="--words")
    connection = db.connect(database_path())
    try:
        # The reviews twice: written, then replayed for the cards.
        with transaction(connection), click.progressbar(
                length=demo.total_steps(words, sessions, reviews) + reviews,
                label="Adding demo data") as bar:
            demo.fill(connection, words, groups, sessions, reviews, bar.update, seed)
            # Ends by rescheduling: every card from the history, demo reviews included.
            scheduling.rebuild_cards(connection, app_scheduler(connection), bar.update)
    finally:
        connection.close()
    click.echo(f"Added {words} words in {groups} groups, {sessions} sessions "
               f"and {reviews} reviews; every card rescheduled.")


def app_scheduler(connection):
    """A scheduler with the settings and the parameters in use."""
    return parameters.stored_scheduler(connection, current_app.config["DESIRED_RETENTION"])


@click.command("reschedule", cls=Command)
@with_appcontext
def reschedule_command():
    """Rebuild every word's FSRS card from the review history (after changing
    LANG_PORTAL_DESIRED_RETENTION, say)."""
    connection = db.connect(database_path())
    try:
        with transaction(connection):
            reviews = connection.execute(
                "SELECT correct_count + wrong_count FROM review_stats").fetchone()[0]
            with click.progressbar(length=reviews, label="Rescheduling") as bar:
                cards = scheduling.rebuild_cards(connection, app_scheduler(connection), bar.update)
    finally:
        connection.close()
    click.echo(f"Rescheduled {cards} cards from {reviews} reviews "
               f"(desired retention {current_app.config['DESIRED_RETENTION']}).")


def check_backup_target(path):
    """sqlite3.connect would take '' and ':memory:' as a temporary database,
    and 'name/' as the file 'name': each would write no backup, or not there."""
    if not path.strip():
        raise click.ClickException(f"{path!r} is not a file name; give a file name, such as backup.db.")
    if path == ":memory:":
        raise click.ClickException(f"{path} is SQLite's name for a database in memory, not a file; "
                                   "give a file name, such as backup.db.")
    if path.endswith(("/", os.sep)):
        raise click.ClickException(f"{path} names a folder, not a file; give a file name, "
                                   "such as backup.db.")
    if os.path.exists(path):
        raise click.ClickException(f"{path} exists already; choose a new file.")
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise click.ClickException(f"{path}: the folder does not exist.")


@click.command("backup", cls=Command)
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Copy the live database to PATH, consistently, while the server runs.
    PATH must be a new file in a folder that exists."""
    check_backup_target(path)
    # Only read: no upgrade, no write lock, so a backup never waits for a writer.
    source_path = database_path(upgrade=False)
    source = db.connect(source_path)
    try:
        target = sqlite3.connect(path)
    except sqlite3.Error as error:
        source.close()
        raise click.ClickException(f"{path}: cannot write there ({error}).") from None
    try:
        # A read transaction held for the whole copy pins one snapshot, so
        # writes made meanwhile neither leak in nor restart the copy.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM review_stats").fetchone()
        with click.progressbar(length=100, label=f"Backing up to {path}") as bar:
            def show(status, remaining, total):
                bar.update(round(100 * (total - remaining) / total) - bar.pos)
            source.backup(target, pages=256, progress=show)
        source.execute("COMMIT")
    finally:
        target.close()
        source.close()
    click.echo(f"Backed up {source_path} to {path}.")


def init_app(app):
    # Here, not at the top: the export commands use this module's Command.
    from lib.commands import exports
    exports.register(app)
    for command in (init_db_command, import_words_command, demo_data_command, reschedule_command,
                    backup_command):
        app.cli.add_command(command)
