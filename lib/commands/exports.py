"""Commands: flask --app app export-reviews PATH | export-deck GROUP PATH.
Both only read: they never wait for a writer (except to upgrade an older
database first, as every command does)."""
import os
import tempfile
from contextlib import closing

import click
from flask.cli import with_appcontext
from pydantic import ValidationError

from lib.base.errors import ApiError
from lib.commands.cli import Command, database_path
from lib.inventory.deck import group_deck, write_package
from lib.learning.exports import count_reviews, export_chunks
from lib.queries.reviews import ReviewFilters
from lib.store import db

SUFFIXES = {".csv": "csv", ".ndjson": "ndjson"}


def check_target(path, suffixes):
    """A file to write in a folder that exists; a one-line error otherwise."""
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise click.ClickException(f"{path} names a folder, not a file.")
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise click.ClickException(f"{path}: the folder does not exist.")
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in suffixes:
        raise click.ClickException(
            f"{path}: the file name must end in {' or '.join(suffixes)} (the format).")
    return suffix


def write_atomically(path, write):
    """write(file) into a temporary file beside path, then renamed to path:
    a failed export leaves no half-written file behind."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                         prefix=".export-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would make it, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        os.remove(temporary)
        raise


def review_filters(**given):
    """The options as the API's filters, with its checks; one-line errors."""
    try:
        return ReviewFilters.model_validate({name: value for name, value in given.items()
                                             if value is not None})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        name = str(first["loc"][0]).replace("_", "-")
        raise click.BadParameter(first["msg"].removeprefix("Value error, "),
                                 param_hint=f"--{name}") from None


@click.command("export-reviews", cls=Command)
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--word-id", help="Only this word's answers.")
@click.option("--session-id", help="Only this study session's answers.")
@click.option("--group-id", help="Only the answers given in this group's sessions.")
@click.option("--since", help="Only answers reviewed at or after this moment (ISO 8601).")
@click.option("--until", help="Only answers reviewed before this moment (ISO 8601).")
@click.option("--order", type=click.Choice(["asc", "desc"]), default="asc", show_default=True)
def export_reviews_command(path, order, **filters):
    """Write the review log to PATH: CSV for the FSRS optimizer (PATH ending
    in .csv: card_id, review_time in ms, review_rating) or NDJSON (.ndjson:
    every field of GET /api/reviews). An existing file is replaced."""
    file_format = SUFFIXES[check_target(path, SUFFIXES)]
    filters = review_filters(**filters)
    with closing(db.connect(database_path())) as connection:
        # One read transaction: the count and the rows are the same snapshot.
        connection.execute("BEGIN")
        total = count_reviews(connection, filters)
        with click.progressbar(length=total, label=f"Exporting to {path}") as bar:
            def write(file):
                for chunk in export_chunks(connection, filters, order, file_format, bar.update):
                    file.write(chunk)
            write_atomically(path, write)
        connection.execute("COMMIT")
    click.echo(f"Exported {total} answers to {path}.")


@click.command("export-deck", cls=Command)
@with_appcontext
@click.argument("group", type=click.IntRange(1))
@click.argument("path", type=click.Path(dir_okay=False))
def export_deck_command(group, path):
    """Write GROUP (its id) as an Anki deck to PATH (ending in .apkg): one note
    per word; importing it again after edits updates the notes."""
    check_target(path, (".apkg",))
    with closing(db.connect(database_path())) as connection:
        try:
            name, deck = group_deck(connection, group)
        except ApiError as error:
            if error.status != 404:
                raise
            raise click.ClickException(f"No group {group}; nothing was exported.") from None
    write_atomically(path, lambda file: write_package(deck, file))
    click.echo(f"Exported {len(deck.notes)} words of {name!r} to {path}.")


def register(app):
    for command in (export_reviews_command, export_deck_command):
        app.cli.add_command(command)
