"""A group as an Anki deck (.apkg), made with genanki: one note per word,
with a note GUID from the word's id, so that importing the deck again after
edits updates the learner's notes instead of adding new ones."""
import html
import itertools
import os
import sqlite3
import tempfile
import time
import zipfile
from contextlib import closing

import genanki
import orjson

from lib.queries.groups import find_group

# Fixed forever: Anki knows a note type and a deck by its id. One note type
# for every group's deck (a word in two groups is one note, so its note type
# must be the same in both); each group's deck id is derived from the group's.
MODEL_ID = 1_734_001_026
DECK_ID_BASE = 1_734_100_000_000
GUID_NAMESPACE = "lang-portal"
APKG_TYPE = "application/apkg"
# Kanji, English, Romaji: the order import-words reads a plain-text export in.
FIELDS = ("Kanji", "English", "Romaji", "Readings")
MODEL = genanki.Model(
    MODEL_ID, "Lang Portal word",
    fields=[{"name": name} for name in FIELDS],
    templates=[{
        "name": "Recognition",
        "qfmt": '<div class="kanji">{{Kanji}}</div>',
        "afmt": ('{{FrontSide}}<hr id=answer><div class="english">{{English}}</div>'
                 '<div class="romaji">{{Romaji}}</div><div class="readings">{{Readings}}</div>'),
    }],
    css=(".card { font-family: sans-serif; text-align: center; }"
         " .kanji { font-size: 48px; } .english { font-size: 24px; }"
         " .romaji, .readings { font-size: 20px; color: #555; }"),
    sort_field_index=0)


def note_guid(word_id):
    return genanki.guid_for(GUID_NAMESPACE, word_id)


def deck_id(group_id):
    return DECK_ID_BASE + group_id


def readings_html(parts):
    """Each part's kanji with its romaji above it (HTML ruby)."""
    return "".join(f"<ruby>{html.escape(part['kanji'])}<rt>{html.escape(''.join(part['romaji']))}"
                   "</rt></ruby>" for part in parts)


def group_deck(db, group_id):
    """(the group's name, a genanki.Deck of its words, by word id)."""
    group = find_group(db, group_id)
    deck = genanki.Deck(deck_id(group_id), group["name"])
    rows = db.execute(
        """SELECT w.id, w.kanji, w.english, w.romaji, w.parts FROM word_groups wg
           JOIN words w ON w.id = wg.word_id WHERE wg.group_id = ? ORDER BY wg.word_id""",
        (group_id,))
    for word_id, kanji, english, romaji, parts in rows:
        deck.add_note(genanki.Note(
            MODEL, [html.escape(kanji), html.escape(english), html.escape(romaji),
                    readings_html(orjson.loads(parts))],
            guid=note_guid(word_id)))
    return group["name"], deck


def write_package(deck, target):
    """Writes deck as an .apkg to target (a path or a binary file object).
    genanki's own write_to_file leaves its temporary collection behind in
    the temp folder; here it is removed."""
    handle, collection = tempfile.mkstemp(suffix=".anki2")
    os.close(handle)
    try:
        with closing(sqlite3.connect(collection)) as connection:
            timestamp = time.time()
            genanki.Package(deck).write_to_db(connection.cursor(), timestamp,
                                              itertools.count(int(timestamp * 1000)))
            connection.commit()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(collection, "collection.anki2")
            package.writestr("media", "{}")
    finally:
        os.remove(collection)
