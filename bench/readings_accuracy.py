"""How well each candidate reading library reads common vocabulary: the 120
seed words and tests/data/readings.tsv (50 common words the seed lacks).
Prints, per library, the words read right and the misses. Libraries not
installed are skipped.

    .venv/bin/python bench/readings_accuracy.py
"""
import csv
import json
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from lib.inventory.readings import read_word  # noqa: E402


def seed_words():
    return [(word["kanji"], word["romaji"])
            for name in ("core_verbs.json", "core_adjectives.json")
            for word in json.loads((PROJECT_DIR / "seed" / name).read_text(encoding="utf-8"))]


def list_words():
    with open(PROJECT_DIR / "tests" / "data" / "readings.tsv", encoding="utf-8") as file:
        return [(row["kanji"], row["romaji"]) for row in csv.DictReader(file, delimiter="\t")]


def libraries():
    yield "fugashi + unidic-lite (lib/inventory/readings.py)", lambda text: read_word(text)[0]
    try:
        import pykakasi
        kakasi = pykakasi.kakasi()
        yield "pykakasi (hepburn)", lambda text: "".join(
            item["hepburn"] for item in kakasi.convert(text))
    except ImportError:
        pass
    try:
        import cutlet
        katsu = cutlet.Cutlet()
        katsu.use_foreign_spelling = False
        yield "cutlet", lambda text: katsu.romaji(text).lower().replace(" ", "")
    except ImportError:
        pass


def main():
    for name, read in libraries():
        for label, words in (("seed", seed_words()), ("readings.tsv", list_words())):
            misses = [f"{kanji} {read(kanji)} (not {romaji})"
                      for kanji, romaji in words if read(kanji) != romaji]
            print(f"{name}, {label}: {len(words) - len(misses)}/{len(words)} right")
            for miss in misses:
                print(f"    {miss}")


if __name__ == "__main__":
    main()
