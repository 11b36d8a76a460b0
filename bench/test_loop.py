"""How long the fast loop (`pytest -m "not slow"`) takes: as the README runs
it (on every core, pytest-xdist), and in one process (-n 0). Not a test: it
prints figures.

    .venv/bin/python bench/test_loop.py [--runs 3]

Each run is a fresh pytest process in the project folder; the wall time
includes its start and collection. Run it on an idle machine: the tests
share its cores with whatever else runs.
"""
import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
MODES = {"every core (-n auto)": [], "one process (-n 0)": ["-n", "0"]}


def one_run(extra):
    """(wall seconds, pytest's summary line) of one fast loop."""
    command = [sys.executable, "-m", "pytest", "-q", "-m", "not slow", *extra]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = result.stdout.strip().splitlines()[-1]
    if result.returncode != 0:
        sys.exit(f"the fast loop failed: {summary}")
    return seconds, re.sub(r" in [0-9.]+s.*", "", summary.strip("= "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode (default 3)")
    runs = parser.parse_args().runs
    print(f"| fast loop, {runs} runs | median | fastest | slowest | tests |")
    print("|---|---|---|---|---|")
    for mode, extra in MODES.items():
        results = [one_run(extra) for _ in range(runs)]
        seconds = [wall for wall, _ in results]
        print(f"| {mode} | {statistics.median(seconds):.1f} s | {min(seconds):.1f} s "
              f"| {max(seconds):.1f} s | {results[-1][1]} |", flush=True)


if __name__ == "__main__":
    main()
