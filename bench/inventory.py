"""Figures for the inventory writes (issue #11), printed:

1. POST /api/words with only kanji and english (the reading filled in), under
   gunicorn --preload -w 2 on 127.0.0.1, beside the bare Flask app (bench/bare_app.py)
   measured the same way in the same run, with wrk.
2. On a large database (--large, e.g. made by `init-db` and `demo-data` at
   its defaults: 1,000,000 reviews): deleting the most reviewed words with
   their counters adjusted (lib/inventory.delete_word), against rebuilding
   every counter with sql/recount.sql; each rolled back.
3. The CORS check of an activity's origin: one read of study_activities.

    .venv/bin/python bench/inventory.py --large /tmp/large.db [--duration 10]
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from lib.inventory.activities import activity_origins  # noqa: E402
from lib.inventory.writes import delete_word  # noqa: E402
from lib.store import db as database  # noqa: E402

GUNICORN = Path(sys.executable).parent / "gunicorn"
# Each request a common word with a new meaning, so that none is a duplicate (409).
POST_WORDS_LUA = """
local words = {"勉強", "学校", "先生", "電車", "時計", "友達", "図書館", "自転車", "新聞", "料理"}
local counter = 0
local thread_id = 0
local next_id = 0
function setup(thread) next_id = next_id + 1; thread:set("tid", next_id) end
function init(args) thread_id = tid end
function request()
  counter = counter + 1
  local body = string.format('{"kanji": "%s", "english": "bench %d-%d"}',
                             words[counter % #words + 1], thread_id, counter)
  return wrk.format("POST", "/api/words", {["Content-Type"] = "application/json"}, body)
end
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app, env, cwd):
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "--preload", "-w", "2", "-b", f"127.0.0.1:{port}", app], cwd=cwd,
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # the API answers / with a 404: it is up
        except OSError:
            time.sleep(0.1)
    return process, url


def wrk(url, duration, script=None):
    command = ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return rate, int(errors.group(1)) if errors else 0, float(p99.group(1)) * scale


def measure_post_words(duration, workdir):
    bare, bare_url = serve("bare_app:app", {}, PROJECT_DIR / "bench")
    try:
        bare_rate, _, bare_p99 = wrk(bare_url + "/", duration)
    finally:
        bare.terminate()
        bare.wait()
    script = workdir / "post_words.lua"
    script.write_text(POST_WORDS_LUA, encoding="utf-8")
    api, api_url = serve("app:create_app()", {"LANG_PORTAL_DB": str(workdir / "small.db")},
                         PROJECT_DIR)
    try:
        rate, errors, p99 = wrk(api_url, duration, str(script))
    finally:
        api.terminate()
        api.wait()
    print(f"bare app GET /:                 {bare_rate:8.0f} req/s, p99 {bare_p99:.2f} ms")
    print(f"POST /api/words (reading read): {rate:8.0f} req/s, p99 {p99:.2f} ms, "
          f"{rate / bare_rate:.2f} of the bare app, non-2xx: {errors}")


def timed(function, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat * 1000


def measure_deletes(path):
    db = database.connect(path)
    reviews = db.execute("SELECT count(*) FROM word_review_items").fetchone()[0]
    print(f"large database: {reviews:,} reviews")
    busiest = db.execute("""SELECT word_id, correct_count + wrong_count FROM word_reviews
                            ORDER BY correct_count + wrong_count DESC LIMIT 5""").fetchall()

    def rolled_back(work):
        def run():
            db.execute("BEGIN IMMEDIATE")
            try:
                work()
            finally:
                db.execute("ROLLBACK")
        return run

    for word_id, count in busiest:
        ms = timed(rolled_back(lambda word_id=word_id: delete_word(db, word_id)), repeat=3)
        print(f"delete word {word_id} ({count} reviews), counters adjusted: {ms:7.1f} ms")
    ms = timed(rolled_back(lambda: database.run_script(db, "recount.sql")))
    print(f"sql/recount.sql (every counter rebuilt):      {ms:7.0f} ms")
    ms = timed(lambda: activity_origins(db), repeat=2000)
    print(f"CORS: the activities' origins read:           {ms * 1000:7.1f} us")
    db.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", help="a large database (copied, never changed)")
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lang-portal-inventory-"))
    try:
        measure_post_words(args.duration, workdir)
        if args.large:
            copy = workdir / "large.db"
            shutil.copyfile(args.large, copy)
            measure_deletes(str(copy))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
