"""Anki's "Notes in Plain Text" export, as import-words reads it: lines of
settings first (#separator:tab, #html:false, and #guid column:1, #notetype
column:2, #deck column:3, #tags column:N for what the export includes), then
one line per note, its fields in the note type's order, with no header row.
A #columns: line, which Anki's import reads, names the columns instead."""

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|",
              "colon": ":"}
# A note's fields, in order, as words: the Lang Portal deck's note type
# (lib/inventory/deck.py) and Anki's Basic (Front, Back) both begin so.
# Fields after these (the deck's readings, say) are not read.
NOTE_FIELDS = ("kanji", "english", "romaji")
META_COLUMNS = ("guid", "notetype", "deck", "tags")


class AnkiTextError(ValueError):
    pass


def file_settings(lines):
    """(how many # lines start the file, {name: value} of those written
    #name:value, names lowercased)."""
    settings, count = {}, 0
    for line in lines:
        if not line.startswith("#"):
            break
        name, colon, value = line[1:].rstrip("\r\n").partition(":")
        if colon:
            settings[name.strip().lower()] = value.strip()
        count += 1
    return count, settings


def is_anki_export(settings):
    return "separator" in settings or "html" in settings


def separator(settings, default):
    """The #separator: of an Anki file (a name such as tab, or the character)."""
    value = settings.get("separator")
    if value is None:
        return default
    if value.lower() in SEPARATORS:
        return SEPARATORS[value.lower()]
    if len(value) == 1:
        return value
    raise AnkiTextError(f"the #separator:{value} line names no separator Anki writes")


def check_plain(settings):
    if settings.get("html", "false").lower() != "false":
        raise AnkiTextError("the file holds HTML (#html:true): export the notes again from Anki "
                            "with \"Include HTML and media references\" unticked")


def note_columns(settings):
    """names(width, where): the word field each column of a note's row holds
    (None: not read), from the #... column:N lines."""
    meta = set()
    for name in META_COLUMNS:
        value = settings.get(f"{name} column")
        if value is not None:
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                raise AnkiTextError(f"the #{name} column:{value} line names no column")
            meta.add(int(value) - 1)

    def names(width, where):
        fields = [index for index in range(width) if index not in meta]
        if len(fields) < 2:
            raise AnkiTextError(f"{where}: a note needs at least two fields, the kanji and "
                                "the English")
        named = dict(zip(fields, NOTE_FIELDS, strict=False))  # fields beyond: not read
        return [named.get(index) for index in range(width)]

    return names
