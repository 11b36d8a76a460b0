"""Romaji and parts from kanji: read_word("勉強") -> ("benkyou", [parts]).

The reading comes from MeCab (fugashi) with the UniDic dictionary
(unidic-lite), which analyses the text as words, so irregular readings
(今日 kyou, 大人 otona) and inflected forms come out right. The kana are
then written in romaji the way the seed writes them: Hepburn, with long
vowels spelt out (おお oo, おう ou, ゆう yuu, コーヒー koohii), never macrons;
ん is always n; っ doubles the next consonant (っち is tch).

Parts follow the seed too: one per character, each with the romaji of its
kana one by one (考 -> ka, n, ga). A run of kanji read as one (今日) stays
one part when its reading cannot be split between its characters."""
import re
import threading
import unicodedata

from lib.base.errors import invalid

MAX_TEXT = 100


class Unreadable(ValueError):
    """The text is not Japanese that the dictionary can read."""


_tagger = None
_tagger_lock = threading.Lock()


def tagger():
    """The MeCab tagger, made once per process (it maps the dictionary file)."""
    global _tagger
    with _tagger_lock:
        if _tagger is None:
            import fugashi
            import unidic_lite
            _tagger = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}"')
    return _tagger


KANA_ROMAJI = dict(pair.split("=") for pair in """
あ=a い=i う=u え=e お=o か=ka き=ki く=ku け=ke こ=ko さ=sa し=shi す=su せ=se そ=so
た=ta ち=chi つ=tsu て=te と=to な=na に=ni ぬ=nu ね=ne の=no は=ha ひ=hi ふ=fu へ=he ほ=ho
ま=ma み=mi む=mu め=me も=mo や=ya ゆ=yu よ=yo ら=ra り=ri る=ru れ=re ろ=ro
わ=wa ゐ=i ゑ=e を=o ん=n が=ga ぎ=gi ぐ=gu げ=ge ご=go ざ=za じ=ji ず=zu ぜ=ze ぞ=zo
だ=da ぢ=ji づ=zu で=de ど=do ば=ba び=bi ぶ=bu べ=be ぼ=bo ぱ=pa ぴ=pi ぷ=pu ぺ=pe ぽ=po
ゔ=vu ぁ=a ぃ=i ぅ=u ぇ=e ぉ=o ゃ=ya ゅ=yu ょ=yo ゎ=wa
きゃ=kya きゅ=kyu きょ=kyo しゃ=sha しゅ=shu しょ=sho ちゃ=cha ちゅ=chu ちょ=cho
にゃ=nya にゅ=nyu にょ=nyo ひゃ=hya ひゅ=hyu ひょ=hyo みゃ=mya みゅ=myu みょ=myo
りゃ=rya りゅ=ryu りょ=ryo ぎゃ=gya ぎゅ=gyu ぎょ=gyo じゃ=ja じゅ=ju じょ=jo
ぢゃ=ja ぢゅ=ju ぢょ=jo びゃ=bya びゅ=byu びょ=byo ぴゃ=pya ぴゅ=pyu ぴょ=pyo
しぇ=she ちぇ=che じぇ=je てぃ=ti でぃ=di とぅ=tu どぅ=du でゅ=dyu ふぁ=fa ふぃ=fi ふぇ=fe
ふぉ=fo うぃ=wi うぇ=we うぉ=wo ゔぁ=va ゔぃ=vi ゔぇ=ve ゔぉ=vo いぇ=ye
""".split())
SMALL = set("ゃゅょぁぃぅぇぉゎ")
HIRAGANA = re.compile(r"[\u3041-\u3096\u30fc]+")
KANJI = re.compile(r"[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def to_hiragana(kana):
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in kana)


def morae(kana):
    """'きょうは' -> ['きょ', 'う', 'は']: a kana with its small ya/yu/yo is one.
    Katakana stay katakana (a part's text must be the word's)."""
    units = []
    for char in kana:
        if to_hiragana(char) in SMALL and units and to_hiragana(units[-1] + char) in KANA_ROMAJI:
            units[-1] += char
        else:
            units.append(char)
    return units


def romaji_of(units):
    """Romaji of each mora; っ and ー take their sound from their neighbours."""
    out = []
    units = [to_hiragana(unit) for unit in units]
    for index, unit in enumerate(units):
        if unit == "ー":
            vowel = out[-1][-1] if out and out[-1][-1] in "aeiou" else None
            if vowel is None:
                raise Unreadable("a long-vowel mark with no vowel before it")
            out.append(vowel)
        elif unit == "っ":
            following = units[index + 1] if index + 1 < len(units) else ""
            sound = KANA_ROMAJI.get(following, "")
            if not sound or sound[0] in "aeiou":
                raise Unreadable("a small tsu with no consonant after it")
            out.append("t" if sound.startswith("ch") else sound[0])
        elif unit in KANA_ROMAJI:
            out.append(KANA_ROMAJI[unit])
        else:
            raise Unreadable(f"cannot write {unit!r} in romaji")
    return out


def kanji_readings(char):
    """How the dictionary reads one kanji standing alone (to split a compound)."""
    words = list(tagger()(char))
    if len(words) == 1 and words[0].feature.kana:
        return morae(to_hiragana(words[0].feature.kana))
    return None


def split_run(chars, units):
    """[(kanji, morae)] for a run of kanji read as units: a character whose own
    reading starts (or ends) the run's takes it; what is left goes to the rest."""
    if len(chars) == 1:
        return [(chars, units)]
    first, last = kanji_readings(chars[0]), kanji_readings(chars[-1])
    if first and len(first) <= len(units) - (len(chars) - 1) and units[:len(first)] == first:
        return [(chars[0], first)] + split_run(chars[1:], units[len(first):])
    if last and len(last) <= len(units) - (len(chars) - 1) and units[-len(last):] == last:
        return split_run(chars[:-1], units[:-len(last)]) + [(chars[-1], last)]
    return [(chars, units)]


def split_word(surface, kana):
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
            pieces += split_run(run, morae(read))
        else:
            pieces += [(unit, [unit]) for unit in morae(run)]
    return pieces


def word_kana(word):
    """A word's reading in kana. UniDic's `kana` follows pronunciation in a
    few verbs (言う as ユウ); a word in its dictionary form takes the
    lemma's written reading (lForm, イウ) instead."""
    feature = word.feature
    if word.surface == feature.lemma and feature.lForm and feature.lForm != "*":
        return feature.lForm
    return feature.kana


def read_word(text):
    """(romaji, parts) of text, parts as the seed writes them:
    [{"kanji": "勉", "romaji": ["be", "n"]}, ...]. Unreadable when the text
    is blank, too long, or not all kanji and kana the dictionary knows."""
    if not text or not text.strip():
        raise Unreadable("the text is blank")
    if len(text) > MAX_TEXT:
        raise Unreadable(f"the text is longer than {MAX_TEXT} characters")
    if text != unicodedata.normalize("NFC", text) or not all(
            KANJI.match(char) or HIRAGANA.match(char) or "\u30a1" <= char <= "\u30fa"
            for char in text):
        raise Unreadable("only kanji and kana can be read")
    pieces = []
    for word in tagger()(text):
        kana = None if word.is_unk else word_kana(word)
        if not KANJI.search(word.surface):
            kana = word.surface  # kana read as written (は is ha, not wa)
        if not kana:
            raise Unreadable(f"no reading known for {word.surface}")
        pieces += split_word(word.surface, kana)
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
