"""Which reading library, by measure: each candidate installed in the running
environment reads the seed's 120 words and the held-out list of common words
(bench/data/readings_heldout.tsv), and the script prints how many it reads
right (romaji, parts, both), its installed size, the time to import it and
read a first word, and the time per word. Every candidate gives a word's
reading in kana and each kanji's readings alone; lib/inventory/readings.py
splits the reading into parts and writes the romaji, so only the analyser
differs. Candidates that are not installed are skipped, with a line saying so.
docs/readings.md has the method, the table and the decision.

    .venv/bin/python bench/readings_compare.py [--misses]

To measure another candidate, install it in a venv of its own, e.g.
    python3 -m venv /tmp/v && /tmp/v/bin/pip install -r requirements.txt sudachipy sudachidict_small
    /tmp/v/bin/python bench/readings_compare.py
"""
import csv
import importlib.metadata
import json
import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from lib.inventory.readings import Ipadic, Unreadable, read_word  # noqa: E402


class Alone:
    """A kanji's reading: the analyser's reading of it standing alone."""

    def kanji(self, char):
        words = self.words(char)
        return [words[0][1]] if len(words) == 1 and words[0][1] else []


class Unidic(Alone):
    distributions = ("fugashi", "unidic-lite")

    def __init__(self):
        import fugashi
        import unidic_lite
        self.tagger = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}"')

    def words(self, text):
        return [(word.surface, self.kana(word)) for word in self.tagger(text)]

    @staticmethod
    def kana(word):
        """UniDic's kana follows pronunciation (言う ユウ): a word in its
        dictionary form takes the lemma's written reading (イウ) instead."""
        feature = word.feature
        if word.is_unk:
            return None
        if word.surface == feature.lemma and feature.lForm and feature.lForm != "*":
            return feature.lForm
        return feature.kana


class IpadicAlone(Alone, Ipadic):
    distributions = ("fugashi", "ipadic")


class Sudachi(Alone):
    def __init__(self):
        from sudachipy import Dictionary, SplitMode
        self.tokenizer = Dictionary(dict=self.dictionary).create(SplitMode.C)

    def words(self, text):
        return [(morpheme.surface(), None if morpheme.is_oov() else morpheme.reading_form())
                for morpheme in self.tokenizer.tokenize(text)]


class SudachiSmall(Sudachi):
    distributions = ("sudachipy", "sudachidict-small")
    dictionary = "small"


class SudachiCore(Sudachi):
    distributions = ("sudachipy", "sudachidict-core")
    dictionary = "core"


def kakasi_kanji(char):
    """Every reading pykakasi's dictionary lists for a kanji alone."""
    from pykakasi.kanji import Kanwa
    entries = (Kanwa().load(char) or {}).get(char, [])
    return list(dict.fromkeys(kana for kana, tail in entries if not tail))


class Kakasi:
    distributions = ("pykakasi",)

    def __init__(self):
        import pykakasi
        self.kakasi = pykakasi.kakasi()

    def words(self, text):
        return [(item["orig"], item["hira"] or None) for item in self.kakasi.convert(text)]

    def kanji(self, char):
        return kakasi_kanji(char)

    def hepburn(self, text):
        return "".join(item["hepburn"] for item in self.kakasi.convert(text))


class IpadicKakasi(Ipadic):
    distributions = ("fugashi", "ipadic", "pykakasi")

    def __init__(self):
        import pykakasi  # noqa: F401 (skipped where it is not installed)
        super().__init__()

    def kanji(self, char):
        return kakasi_kanji(char) or super().kanji(char)


class Chosen(Ipadic):
    distributions = ("fugashi", "ipadic")


def ours(reader):
    return lambda text: read_word(text, reader)


def kakasi_hepburn(reader):
    """pykakasi's own romaji; the parts still come from our alignment."""
    return lambda text: (reader.hepburn(text), read_word(text, reader)[1])


CANDIDATES = {
    "fugashi + unidic-lite": (Unidic, ours),
    "fugashi + ipadic, a kanji's best reading only": (IpadicAlone, ours),
    "fugashi + ipadic, n-best kanji readings (chosen)": (Chosen, ours),
    "SudachiPy + sudachidict_small": (SudachiSmall, ours),
    "SudachiPy + sudachidict_core": (SudachiCore, ours),
    "pykakasi alone (its Hepburn)": (Kakasi, kakasi_hepburn),
    "pykakasi + our kana converter": (Kakasi, ours),
    "fugashi + ipadic + pykakasi's kanji readings": (IpadicKakasi, ours),
}


def seed_words():
    return [(word["kanji"], word["romaji"], word["parts"], "")
            for name in ("core_verbs.json", "core_adjectives.json")
            for word in json.loads((PROJECT_DIR / "seed" / name).read_text(encoding="utf-8"))]


def heldout_words():
    """kanji, romaji, parts written 考:ka.n.ga え:e る:ru, and a note."""
    with open(PROJECT_DIR / "bench" / "data" / "readings_heldout.tsv", encoding="utf-8") as file:
        return [(row["kanji"], row["romaji"], [
            {"kanji": text, "romaji": romaji.split(".")}
            for text, romaji in (part.split(":") for part in row["parts"].split(" "))],
            row["note"]) for row in csv.DictReader(file, delimiter="\t")]


def installed_mb(names):
    """The installed size of these distributions and of all they require."""
    seen, size = set(), 0
    while names:
        name = names.pop()
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if dist.metadata["Name"].lower() in seen:
            continue
        seen.add(dist.metadata["Name"].lower())
        files = (Path(dist.locate_file(file)) for file in dist.files or [])
        size += sum(path.stat().st_size for path in files if path.is_file())
        names += [re.match(r"[\w.-]+", requirement)[0] for requirement in dist.requires or []
                  if "extra ==" not in requirement]
    return size / 2**20


def first_call(name):
    """Seconds to import a candidate and read a first word, in a new process."""
    started = time.perf_counter()
    make, how = CANDIDATES[name]
    how(make())("勉強")
    return time.perf_counter() - started


def score(read, words):
    right, misses = {"romaji": 0, "parts": 0, "both": 0}, []
    for kanji, romaji, parts, note in words:
        try:
            got_romaji, got_parts = read(kanji)
        except Unreadable as error:
            got_romaji, got_parts = f"(unreadable: {error})", None
        right["romaji"] += got_romaji == romaji
        right["parts"] += got_parts == parts
        right["both"] += got_romaji == romaji and got_parts == parts
        if (got_romaji, got_parts) != (romaji, parts):
            misses.append(f"{kanji} {got_romaji} [{show(got_parts)}], not {romaji} "
                          f"[{show(parts)}]{' (' + note + ')' if note else ''}")
    return right, misses


def show(parts):
    return " ".join(f"{p['kanji']}:{'.'.join(p['romaji'])}" for p in parts or [])


def main():
    if sys.argv[1:2] == ["--first-call"]:
        print(first_call(sys.argv[2]))
        return
    lists = {"seed": seed_words(), "held-out": heldout_words()}
    print("| candidate | installed MB | import + first word (s) | per word (ms) | "
          + " | ".join(f"{label} ({len(words)}): romaji, parts, both"
                       for label, words in lists.items()) + " |")
    print("| --- " * (4 + len(lists)) + "|")
    misses = []
    for name, (make, how) in CANDIDATES.items():
        try:
            read = how(make())
        except ImportError as error:
            print(f"skipped {name}: {error} (not installed here)")
            continue
        first = subprocess.run([sys.executable, __file__, "--first-call", name], check=True,
                               capture_output=True, text=True).stdout.strip()
        cells, started = [], time.perf_counter()
        for label, words in lists.items():
            right, missed = score(read, words)
            cells.append(f"{right['romaji']}, {right['parts']}, {right['both']}")
            misses.append((f"{name}, {label}", missed))
        per_word = (time.perf_counter() - started) / sum(map(len, lists.values())) * 1000
        print(f"| {name} | {installed_mb(list(make.distributions)):.0f} | {float(first):.2f} "
              f"| {per_word:.2f} | " + " | ".join(cells) + " |")
    if "--misses" in sys.argv:
        for title, missed in misses:
            print(f"\n{title}: {len(missed)} misses")
            print("\n".join(f"    {miss}" for miss in missed))


if __name__ == "__main__":
    main()
