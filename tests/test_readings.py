"""lib/inventory/readings.py: romaji and parts from kanji, and GET /api/readings."""
import csv
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lib.inventory.readings import Unreadable, read_word
from lib.inventory.word_files import WordEntry

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(__file__).resolve().parent.parent / "seed"
HELD_OUT = Path(__file__).resolve().parent.parent / "bench" / "data" / "readings_heldout.tsv"
SEED_WORDS = [word for name in ("core_verbs.json", "core_adjectives.json")
              for word in json.loads((SEED / name).read_text(encoding="utf-8"))]
with open(DATA / "readings.tsv", encoding="utf-8") as tsv:
    COMMON_WORDS = list(csv.DictReader(tsv, delimiter="\t"))


@pytest.mark.parametrize("word", SEED_WORDS, ids=[word["kanji"] for word in SEED_WORDS])
def test_every_seed_word_is_read_as_the_seed_writes_it(word):
    assert read_word(word["kanji"]) == (word["romaji"], word["parts"])


@pytest.mark.parametrize("row", [row for row in COMMON_WORDS if row["read_right"] == "yes"],
                         ids=lambda row: row["kanji"])
def test_common_words_are_read_right(row):
    romaji, parts = read_word(row["kanji"])
    assert romaji == row["romaji"]
    # The parts spell the word, as import-words checks.
    WordEntry(kanji=row["kanji"], romaji=romaji, english="x", parts=parts)


def test_the_known_misses_are_still_misses():
    """The words the dictionary reads otherwise (日本 nippon): when this
    fails, a better dictionary reads one right: mark it yes."""
    misses = [row for row in COMMON_WORDS if row["read_right"] == "no"]
    assert len(misses) <= len(COMMON_WORDS) * 0.15
    assert all(read_word(row["kanji"])[0] != row["romaji"] for row in misses)


@pytest.mark.parametrize("text, romaji, parts", [
    ("今日", "kyou", [("今日", ["kyo", "u"])]),
    ("学校", "gakkou", [("学", ["ga", "k"]), ("校", ["ko", "u"])]),
    ("コーヒー", "koohii", [("コ", ["ko"]), ("ー", ["o"]), ("ヒ", ["hi"]), ("ー", ["i"])]),
    ("ちょっと", "chotto", [("ちょ", ["cho"]), ("っ", ["t"]), ("と", ["to"])]),
    ("抹茶", "matcha", [("抹", ["ma", "t"]), ("茶", ["cha"])]),
    ("行きます", "ikimasu", [("行", ["i"]), ("き", ["ki"]), ("ま", ["ma"]), ("す", ["su"])]),
    # Split by each kanji's readings, voiced or doubled inside a word; 々 repeats.
    ("友達", "tomodachi", [("友", ["to", "mo"]), ("達", ["da", "chi"])]),
    ("出発", "shuppatsu", [("出", ["shu", "p"]), ("発", ["pa", "tsu"])]),
    ("人々", "hitobito", [("人", ["hi", "to"]), ("々", ["bi", "to"])]),
    # A text the dictionary holds as one common word is read as that word,
    # not as the likeliest split (一 ichi + 人 nin) or a surname (出口 Ideguchi).
    ("一人", "hitori", [("一人", ["hi", "to", "ri"])]),
    ("出口", "deguchi", [("出", ["de"]), ("口", ["gu", "chi"])]),
    # Reading a kanji alone mid-word once clobbered the word's analysis (yuubinben).
    ("郵便局", "yuubinkyoku", [("郵", ["yu", "u"]), ("便", ["bi", "n"]), ("局", ["kyo", "ku"])]),
])
def test_irregular_readings_small_tsu_and_long_vowels(text, romaji, parts):
    assert read_word(text) == (romaji, [{"kanji": k, "romaji": r} for k, r in parts])


def test_readings_in_threads_at_once_are_each_right():
    """The dev server reads in threads, and MeCab's tagger is one per process
    and not thread-safe: without the lock, words came out as others' (kitakita)."""
    words = ["郵便局", "食べられる", "一人", "喫茶店", "北海道", "新幹線", "教えてください", "出発"]
    expected = [read_word(word) for word in words]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, as a loaded server does
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: [read_word(word) for word in words], range(200)))
    finally:
        sys.setswitchinterval(interval)
    assert all(result == expected for result in results)


def test_the_held_out_list_spells_its_words():
    """bench/data/readings_heldout.tsv (bench/readings_compare.py): each row's
    parts spell its kanji and its romaji, as import-words checks."""
    with open(HELD_OUT, encoding="utf-8") as tsv:
        rows = list(csv.DictReader(tsv, delimiter="\t"))
    assert len(rows) >= 200
    assert not {row["kanji"] for row in rows} & {word["kanji"] for word in SEED_WORDS}
    for row in rows:
        parts = [{"kanji": text, "romaji": romaji.split(".")}
                 for text, romaji in (part.split(":") for part in row["parts"].split(" "))]
        WordEntry(kanji=row["kanji"], romaji=row["romaji"], english="x", parts=parts)


@pytest.mark.parametrize("text", ["", "   ", "dog", "犬 猫", "犬1", "😀", "犬" * 101])
def test_text_that_is_not_kanji_and_kana_is_unreadable(text):
    with pytest.raises(Unreadable):
        read_word(text)
