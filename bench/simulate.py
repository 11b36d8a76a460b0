"""Does scheduling teach better? A simulated learner studies 200 made-up words
for 60 days through the real HTTP API (gunicorn on 127.0.0.1, a fresh
temporary database for each policy), at most 40 answers a day, under two
policies, and we measure what it remembers at the end:

- queue: answers what GET /api/study-queue?group_id= returns, asking again
  after each batch, until the queue is empty or the day's 40 answers are spent;
- whole group: the original activity, the group's words in order, again and
  again, 40 a day, going on where it stopped the day before.

The learner is not FSRS. Each word has a difficulty (seeded random) and a
half-life: recall decays as 2^(-elapsed / half-life) from the last time the
word was seen. A word never seen is not known. Each answer shows the word, so
it restarts the decay; a success multiplies the half-life, by more when the
word was nearer to being forgotten and the easier the word; a failure cuts it.

The 60 days are simulated in the past, ending now: sessions carry created_at,
answers reviewed_at, and the queue is asked with at=, so it takes a minute.

    .venv/bin/python bench/simulate.py [--days 60] [--words 200] [--per-day 40] [--seed 1]
"""
import argparse
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from lib.base.timeutil import format_utc, utc_now  # noqa: E402

BIN = Path(sys.executable).parent
GROUP = "Simulation"
SYLLABLES = ["ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu",
             "te", "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi"]
SECONDS_PER_ANSWER = 20
BATCH = 20

# The learner's memory (half-lives in days).
FIRST_HALF_LIFE = 1.0
FAILURE_FACTOR = 0.4


class Learner:
    def __init__(self, word_ids, seed):
        rng = random.Random(seed)
        self.difficulty = {word_id: rng.uniform(0.7, 2.0) for word_id in word_ids}
        self.half_life = {}
        self.last_seen = {}
        self.rng = random.Random(seed + 1)

    def recall(self, word_id, moment):
        if word_id not in self.last_seen:
            return 0.0
        elapsed = (moment - self.last_seen[word_id]).total_seconds() / 86400
        return 2 ** (-elapsed / self.half_life[word_id])

    def answer(self, word_id, moment):
        """Answers (True when recalled) and learns from seeing the word."""
        chance = self.recall(word_id, moment)
        correct = self.rng.random() < chance
        difficulty = self.difficulty[word_id]
        if word_id not in self.half_life:
            self.half_life[word_id] = FIRST_HALF_LIFE / difficulty
        elif correct:
            self.half_life[word_id] *= 1 + (1 + 3 * (1 - chance)) / difficulty
        else:
            self.half_life[word_id] = max(FIRST_HALF_LIFE / difficulty,
                                          self.half_life[word_id] * FAILURE_FACTOR)
        self.last_seen[word_id] = moment
        return correct


def made_up_words(count, seed):
    rng = random.Random(seed)
    words = []
    for number in range(1, count + 1):
        parts = [{"kanji": chr(rng.randint(0x4E00, 0x9FA5)),
                  "romaji": rng.sample(SYLLABLES, rng.randint(1, 2))}
                 for _ in range(rng.randint(1, 2))]
        words.append({"kanji": "".join(part["kanji"] for part in parts),
                      "romaji": "".join("".join(part["romaji"]) for part in parts),
                      "english": f"simulated word {number}", "parts": parts})
    return words


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(db_path, *command):
    """Runs flask --app app COMMAND on db_path; returns what it printed."""
    return subprocess.run([str(BIN / "flask"), "--app", "app", *command], cwd=PROJECT_DIR,
                          env={**os.environ, "LANG_PORTAL_DB": str(db_path)}, check=True,
                          capture_output=True, text=True).stdout


def fresh_database(folder, words, name="simulation.db"):
    """A new database in folder holding the simulation's group."""
    db_path = Path(folder) / name
    word_file = Path(folder) / "words.json"
    word_file.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    flask(db_path, "init-db")
    flask(db_path, "import-words", GROUP, str(word_file))
    return db_path


class Server:
    """gunicorn (two workers) on a database."""

    def __init__(self, db_path):
        self.db_path = db_path
        env = {**os.environ, "LANG_PORTAL_DB": str(self.db_path)}
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--preload", "-w", "2", "-b", self.url.removeprefix("http://"),
             "app:create_app()"], cwd=PROJECT_DIR, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.call("/api/health")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def call(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Study:
    """One policy's run: posts each answer through the API."""

    def __init__(self, server, learner, group_id):
        self.server, self.learner, self.group_id = server, learner, group_id
        self.answers = 0

    def session(self, started):
        return self.server.call("/api/study-sessions", {
            "group_id": self.group_id, "study_activity_id": 1,
            "created_at": format_utc(started)})["id"]

    def answer(self, session_id, word_ids, moment):
        """Answers word_ids one after another from moment; returns the time after."""
        reviews = []
        for word_id in word_ids:
            correct = self.learner.answer(word_id, moment)
            reviews.append({"word_id": word_id, "is_correct": correct,
                            "reviewed_at": format_utc(moment)})
            moment += timedelta(seconds=SECONDS_PER_ANSWER)
        self.server.call(f"/api/study-sessions/{session_id}/review", {"reviews": reviews})
        self.answers += len(reviews)
        return moment


def study_queue(study, day_start, per_day):
    session_id, moment, left = None, day_start, per_day
    while left > 0:
        queue = study.server.call(f"/api/study-queue?group_id={study.group_id}"
                                  f"&limit={min(BATCH, left)}&at={format_utc(moment)}")
        word_ids = [word["id"] for word in queue["words"]]
        if not word_ids:
            return
        session_id = session_id or study.session(day_start)
        moment = study.answer(session_id, word_ids, moment)
        left -= len(word_ids)


def whole_group(word_ids):
    position = 0

    def study_day(study, day_start, per_day):
        nonlocal position
        session_id, moment = study.session(day_start), day_start
        for start in range(0, per_day, BATCH):
            batch = [word_ids[(position + n) % len(word_ids)]
                     for n in range(min(BATCH, per_day - start))]
            position += len(batch)
            moment = study.answer(session_id, batch, moment)

    return study_day


def run(policy_name, args, end):
    with tempfile.TemporaryDirectory() as folder:
        server = Server(fresh_database(folder, made_up_words(args.words, args.seed)))
        try:
            group_id = next(group["id"] for group in server.call("/api/groups?per_page=100")["items"]
                            if group["name"] == GROUP)
            word_ids = [word["id"] for word in server.call(f"/api/groups/{group_id}/words/raw")]
            learner = Learner(word_ids, args.seed)
            study = Study(server, learner, group_id)
            policy = study_queue if policy_name == "queue" else whole_group(word_ids)
            for day in range(args.days):
                policy(study, end - timedelta(days=args.days - day), args.per_day)
        finally:
            server.stop()
    expected = [learner.recall(word_id, end) for word_id in word_ids]
    sampled = random.Random(args.seed + 2)
    recalled = sum(sampled.random() < chance for chance in expected)
    return {"answers": study.answers, "seen": len(learner.last_seen),
            "expected": sum(expected) / len(expected), "sampled": recalled / len(word_ids),
            "median_half_life": median(list(learner.half_life.values()))}


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else math.nan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--per-day", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    end = utc_now() - timedelta(minutes=5)
    results = {}
    for policy in ("queue", "whole group"):
        started = time.monotonic()
        results[policy] = run(policy, args, end)
        print(f"{policy}: done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"{args.words} words, {args.days} days, at most {args.per_day} answers a day, "
          f"seed {args.seed}; recall at the end of day {args.days}:\n")
    print("| policy | answers | words seen | expected recall | sampled recall "
          "| median half-life (days) |")
    print("|---|---:|---:|---:|---:|---:|")
    for policy, result in results.items():
        print(f"| {policy} | {result['answers']:,} | {result['seen']} | "
              f"{result['expected']:.1%} | {result['sampled']:.1%} | "
              f"{result['median_half_life']:.1f} |")


if __name__ == "__main__":
    main()
