"""Word lists as files: the seed format as JSON; CSV or TSV with a header row
(storing their words: lib/inventory/word_rows.py)."""
import csv
import io
from pathlib import Path
from typing import Optional

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from lib.base.text import Name, PartText, WordText
from lib.inventory import anki_text


class WordPart(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    kanji: PartText
    romaji: list[PartText] = Field(min_length=1)


class WordEntry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    kanji: WordText
    romaji: WordText
    english: WordText
    parts: list[WordPart] = Field(min_length=1)

    @model_validator(mode="after")
    def parts_make_the_word(self):
        if "".join(part.kanji for part in self.parts) != self.kanji:
            raise ValueError("parts do not spell the kanji")
        if "".join("".join(part.romaji) for part in self.parts) != self.romaji:
            raise ValueError("parts' romaji do not spell the romaji")
        return self


class WordInput(BaseModel):
    """A word as a file or a client gives it: romaji and parts may be left out
    (lib/inventory/writes.py reads them from the kanji)."""
    model_config = ConfigDict(strict=True, extra="forbid")
    kanji: WordText
    english: WordText
    romaji: Optional[WordText] = None
    parts: Optional[list[WordPart]] = Field(None, min_length=1)


WORD_LIST = TypeAdapter(list[WordInput])
GROUP_NAME = TypeAdapter(Name)
TABLE_COLUMNS = ("kanji", "english", "romaji")


class WordListError(ValueError):
    pass


def group_name(name):
    """A group's name, kept as the API keeps one (lib/base/text.py)."""
    try:
        return GROUP_NAME.validate_python(name)
    except ValidationError as error:
        raise WordListError(f"the group name {first_error(error)}") from None


def read_word_list(path):
    """[(where, WordInput)] of a word list file, where is "entry 3" (JSON,
    counted from 1) or "row 3" (CSV/TSV, the file's line, the header is 1).
    WordListError names the first bad entry or row and field."""
    try:
        # utf-8-sig: a byte-order mark, as spreadsheets write, is not part of the data.
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise WordListError(f"cannot read {path}: {error}") from None
    delimiter = table_delimiter(Path(path).suffix.lower(), text)
    if delimiter:
        return read_table(text, delimiter)
    return [(f"entry {number}", entry)
            for number, entry in enumerate(read_json_list(text), start=1)]


def table_delimiter(suffix, text):
    """"," or "\t" for a CSV or TSV file, None for JSON: by the extension,
    else by the text (JSON starts with [ or {)."""
    if suffix == ".csv":
        return ","
    if suffix == ".tsv":
        return "\t"
    if suffix == ".json" or text.lstrip()[:1] in ("[", "{"):
        return None
    header = next((line for line in text.splitlines() if line and not line.startswith("#")), "")
    return "\t" if "\t" in header else ","


def read_table(text, delimiter):
    """Rows under a header naming the columns kanji, english and optionally
    romaji, in any order; or Anki's plain-text export of notes, whose lines
    of #settings come first and whose fields are the kanji, the English and
    optionally the romaji, in that order (lib/inventory/anki_text.py)."""
    lines = text.splitlines(keepends=True)
    skipped, settings = anki_text.file_settings(lines)
    anki = anki_text.is_anki_export(settings)
    try:
        anki_text.check_plain(settings)
        reader = csv.reader(io.StringIO("".join(lines[skipped:])),
                            delimiter=anki_text.separator(settings, delimiter))
        rows = table_rows(reader, skipped)
        if anki and "columns" not in settings and not has_header(lines[skipped:], reader):
            names_of = anki_text.note_columns(settings)
        else:
            header = (next(csv.reader([settings["columns"]], delimiter=reader.dialect.delimiter))
                      if "columns" in settings else next(rows, (None, []))[1])
            names_of = header_columns(header, f"row {skipped + 1}", ignore_unknown=anki)
        entries = []
        for where, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            names = names_of(len(row), where)
            fields = {name: cell.strip() for name, cell in zip(names, row, strict=True) if name}
            if not fields.get("romaji"):
                fields.pop("romaji", None)
            try:
                entries.append((where, WordInput.model_validate(fields)))
            except ValidationError as error:
                raise WordListError(f"{where}, {first_error(error)}") from None
    except anki_text.AnkiTextError as error:
        raise WordListError(str(error)) from None
    return entries


def has_header(lines, reader):
    """Whether the first line names the columns (kanji, english, ...): Anki
    writes none, but a file made by hand in its format may have one."""
    first = next(csv.reader(lines[:1], delimiter=reader.dialect.delimiter), [])
    names = {cell.strip().lower() for cell in first}
    return {"kanji", "english"} <= names <= set(TABLE_COLUMNS)


def header_columns(header, where, ignore_unknown=False):
    """names(width, where) of the rows under header; an unknown column is an
    error, or (in an Anki file, whose notes have more fields) not read."""
    header = [name.strip().lower() for name in header]
    unknown = [name for name in header if name not in TABLE_COLUMNS]
    known = [name for name in header if name in TABLE_COLUMNS]
    if ((unknown and not ignore_unknown) or len(set(known)) != len(known)
            or not {"kanji", "english"} <= set(known)):
        raise WordListError(
            f"{where}: the header must name the columns kanji, english and "
            f"optionally romaji (found: {', '.join(header) or 'nothing'})")
    names = [name if name in TABLE_COLUMNS else None for name in header]

    def names_of(width, row_where):
        if width != len(header):
            raise WordListError(f"{row_where}: {width} columns where the header has {len(header)}")
        return names

    return names_of


def table_rows(reader, skipped):
    """("row N", cells) of each row, N the file's line it starts on (a quoted
    cell may hold line breaks). The csv module's own errors are WordListError
    naming the row: a cell over its limit, often a quote left open, was a
    traceback."""
    while True:
        where = f"row {skipped + reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise WordListError(f"{where}: a cell is longer than {csv.field_size_limit()} "
                                    "characters (is a quote left open?)") from None
            raise WordListError(f"{where}: {error}") from None
        yield where, row


def first_error(error):
    """'field english: String should have at least 1 character'"""
    first = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"field {field}: {message}" if field else message


def read_json_list(text):
    try:
        return WORD_LIST.validate_json(text)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        location = list(first["loc"])
        if not location:
            where = "the file" if first["type"] != "json_invalid" else "the file (not valid JSON)"
            raise WordListError(f"{where}: {first['msg']}") from None
        entry, field = location[0] + 1, ".".join(str(part) for part in location[1:])
        message = first["msg"].removeprefix("Value error, ")
        where = f"entry {entry}, field {field}" if field else f"entry {entry}"
        raise WordListError(f"{where}: {message}") from None
