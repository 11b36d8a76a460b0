"""Commands: flask --app app init-db | import-words | demo-data | backup."""
import click
from flask import current_app

from lib import db
from lib.vocabulary import WordListError, add_words, read_word_list


@click.command("init-db")
def init_db_command():
    """Rebuild the database from scratch: schema and seed data."""
    counts = db.open_database(current_app.config["DATABASE"], rebuild=True)
    made = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
    click.echo(f"Rebuilt {current_app.config['DATABASE']} from scratch: {made}.")


@click.command("import-words")
@click.argument("group")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_words_command(group, file):
    """Add the words of FILE (a JSON list in the seed format) to GROUP."""
    try:
        entries = read_word_list(file)
    except WordListError as error:
        raise click.ClickException(f"{file}: {error}. Nothing was imported.") from None
    connection = db.connect(current_app.config["DATABASE"])
    try:
        with db.transaction(connection):
            _, linked = add_words(connection, group, entries)
            total = connection.execute("SELECT words_count FROM groups WHERE name = ?",
                                       (group,)).fetchone()[0]
    finally:
        connection.close()
    click.echo(f"Imported {len(entries)} words into {group!r}: {linked} added, "
               f"{len(entries) - linked} already there; the group has {total} words.")


def init_app(app):
    for command in (init_db_command, import_words_command):
        app.cli.add_command(command)
