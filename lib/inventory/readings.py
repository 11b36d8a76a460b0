"""Romaji and parts from kanji: read_word("勉強") -> ("benkyou", [parts]).

The reading comes from MeCab (fugashi) with the IPA dictionary (ipadic),
which analyses the text as words, so inflected forms and most irregular
readings (今日 kyou, 大人 otona, 明日 ashita) come out right. The kana are
then written in romaji the way the seed writes them (lib/inventory/romaji.py).
docs/readings.md compares this choice with the other libraries, by measure.

Parts follow the seed too: one per character, each with the romaji of its
kana one by one (考 -> ka, n, ga). A run of kanji is split between its
characters by their own readings (the dictionary's readings of each kanji
alone); a run read as a whole (今日) stays one part."""
import re
import threading
import unicodedata
from functools import lru_cache

from lib.base.errors import invalid
from lib.inventory.romaji import HIRAGANA, KANJI, Unreadable, morae, romaji_of, to_hiragana

__all__ = ["MAX_TEXT", "Unreadable", "read_word", "reading_of"]

MAX_TEXT = 100
VOICED = dict(zip("かきくけこさしすせそたちつてとはひふへほ", "がぎぐげござじずぜぞだぢづでどばびぶべぼ", strict=True))
HALF_VOICED = dict(zip("はひふへほ", "ぱぴぷぺぽ", strict=True))


class Ipadic:
    """MeCab with the IPA dictionary. A tagger is not thread-safe and reuses
    its nodes on the next call, so calls hold a lock and keep plain tuples."""

    def __init__(self):
        import fugashi
        import ipadic
        self.tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
        self.lock = threading.Lock()

    @classmethod
    def common(cls, node):
        """A word of the language with a reading, not a name (固有名詞)."""
        return node.feature[1] != "固有名詞" and cls.reading(node.feature) is not None

    @staticmethod
    def reading(feature):
        """The written reading in katakana (言う イウ), None for an unknown word."""
        return feature[7] if len(feature) > 7 and feature[7] != "*" else None

    def words(self, text):
        """[(surface, katakana or None)] of the words of text. A text that the
        dictionary holds as one common word is read as that word, even where
        the likeliest analysis splits it (一人 ヒトリ, not 一 イチ + 人 ニン)
        or takes it for a name (出口 デグチ, not the surname イデグチ)."""
        with self.lock:
            paths = self.tagger.nbestToNodeList(text, 10)
            words = next((path for path in paths if len(path) == 1 and self.common(path[0])),
                         paths[0])
            return [(node.surface, self.reading(node.feature)) for node in words]

    def kanji(self, char):
        """Every reading of a kanji standing alone, from MeCab's best analyses
        of it, likeliest first, those of names last (日: ヒ, ニチ, ニッ, ビ)."""
        with self.lock:
            alone = [(self.reading(path[0].feature), self.common(path[0]))
                     for path in self.tagger.nbestToNodeList(char, 20) if len(path) == 1]
        readings = [reading for reading, common in alone if common]
        return list(dict.fromkeys(readings + [reading for reading, _ in alone if reading]))


_reader = None
_reader_lock = threading.Lock()


def reader():
    """The dictionary, opened once per process (MeCab maps its file)."""
    global _reader
    with _reader_lock:
        if _reader is None:
            _reader = Ipadic()
    return _reader


@lru_cache(maxsize=4096)
def kanji_readings(char, dictionary):
    return tuple(tuple(morae(to_hiragana(kana))) for kana in dictionary.kanji(char))


def variants(char, dictionary, previous=None):
    """The morae a kanji may take in a compound: each of its readings, also
    with its last mora doubled into っ before the next (学 がく in 学校
    がっこう) and, after another kanji, its first mora voiced (達 たち in
    友達 ともだち, 発 はつ in 出発 しゅっぱつ). 々 reads as the kanji before it."""
    source = previous if char == "々" else char
    for reading in kanji_readings(source, dictionary) if source else ():
        reading = list(reading)
        yield reading
        if len(reading) > 1 and reading[-1] in "つくちき":
            yield reading[:-1] + ["っ"]
        if previous and reading[0] in VOICED:
            yield [VOICED[reading[0]]] + reading[1:]
        if previous and reading[0] in HALF_VOICED:
            yield [HALF_VOICED[reading[0]]] + reading[1:]


def segment(chars, units, dictionary, previous=None):
    """[(kanji, morae)] giving each kanji of the run one of its readings, in
    order, so that they cover the run's reading; None when none do."""
    if not chars:
        return [] if not units else None
    for reading in variants(chars[0], dictionary, previous):
        if units[:len(reading)] == reading:
            rest = segment(chars[1:], units[len(reading):], dictionary, chars[0])
            if rest is not None:
                return [(chars[0], reading)] + rest
    return None


def split_run(chars, units, dictionary):
    """[(kanji, morae)] for a run of kanji read as units: each kanji takes one
    of its readings when they cover the run; else a kanji whose reading
    starts (or ends) the run's takes it and the rest is split the same way;
    else the run stays one part (今日 kyou)."""
    if len(chars) == 1:
        return [(chars, units)]
    whole = segment(chars, units, dictionary)
    if whole is not None:
        return whole
    room = len(units) - (len(chars) - 1)
    matches = [(len(first), first, None) for first in variants(chars[0], dictionary)
               if len(first) <= room and units[:len(first)] == first]
    matches += [(len(last), None, last) for last in variants(chars[-1], dictionary, chars[-2])
                if len(last) <= room and units[-len(last):] == last]
    if not matches:
        return [(chars, units)]
    _, first, last = max(matches, key=lambda match: match[0])  # the longest; on a tie, the first
    if first:
        size = len(first) + (units[len(first):len(first) + 1] == ["っ"] and room > len(first))
        return [(chars[0], units[:size])] + split_run(chars[1:], units[size:], dictionary)
    return split_run(chars[:-1], units[:-len(last)], dictionary) + [(chars[-1], last)]


def split_word(surface, kana, dictionary):
    """Aligns a word's surface with its kana: [(text, morae)]."""
    reading = to_hiragana(kana)
    runs = re.findall(r"(?:%s)+|[^\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+" % KANJI.pattern,
                      surface)
    pattern = "".join("(.+?)" if KANJI.match(run) else f"({re.escape(to_hiragana(run))})"
                      for run in runs)
    match = re.fullmatch(pattern, reading)
    if match is None:
        return [(surface, morae(reading))]
    pieces = []
    for run, read in zip(runs, match.groups(), strict=True):
        if KANJI.match(run):
            pieces += split_run(run, morae(read), dictionary)
        else:
            pieces += [(unit, [unit]) for unit in morae(run)]
    return pieces


def read_word(text, dictionary=None):
    """(romaji, parts) of text, parts as the seed writes them:
    [{"kanji": "勉", "romaji": ["be", "n"]}, ...]. Unreadable when the text
    is blank, too long, or not all kanji and kana the dictionary knows.
    dictionary: another analyser with words() and kanji() like Ipadic's
    (bench/readings_compare.py measures others with it)."""
    if not text or not text.strip():
        raise Unreadable("the text is blank")
    if len(text) > MAX_TEXT:
        raise Unreadable(f"the text is longer than {MAX_TEXT} characters")
    if text != unicodedata.normalize("NFC", text) or not all(
            KANJI.match(char) or HIRAGANA.match(char) or "\u30a1" <= char <= "\u30fa"
            for char in text):
        raise Unreadable("only kanji and kana can be read")
    dictionary = dictionary or reader()
    pieces = []
    for surface, kana in dictionary.words(text):
        if not KANJI.search(surface):
            kana = surface  # kana read as written (は is ha, not wa)
        if not kana:
            raise Unreadable(f"no reading known for {surface}")
        pieces += split_word(surface, kana, dictionary)
    all_units = [unit for _, units in pieces for unit in units]
    all_romaji = romaji_of(all_units)
    parts, position = [], 0
    for piece, units in pieces:
        parts.append({"kanji": piece, "romaji": all_romaji[position:position + len(units)]})
        position += len(units)
    return "".join(all_romaji), parts


def reading_of(text):
    """GET /api/readings: what a new word would get from its kanji; a 400
    naming `text` when it cannot be read."""
    try:
        romaji, parts = read_word(text)
    except Unreadable as error:
        raise invalid("text", f"cannot be read: {error}") from None
    return {"text": text, "romaji": romaji, "parts": parts}
