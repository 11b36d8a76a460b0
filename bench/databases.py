"""The benchmark's databases: the seed, and a large one built once and copied."""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from harness import PROJECT_DIR, log

FULL_SIZES = {"words": 10_000, "groups": 20, "sessions": 50_000, "reviews": 1_000_000}
QUICK_SIZES = {"words": 1_000, "groups": 20, "sessions": 5_000, "reviews": 100_000}
# What the large database is made from: when one of these changes, it is rebuilt.
DATA_SOURCES = ["sql/*.sql", "seed/*.json", "lib/commands/demo.py", "lib/inventory/word_files.py"]


def flask_command(db_path, *args, **kwargs):
    env = {**os.environ, "LANG_PORTAL_DB": str(db_path)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args],
                   cwd=PROJECT_DIR, env=env, check=True, **kwargs)


def remove_database(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def data_fingerprint():
    digest = hashlib.sha256()
    for pattern in DATA_SOURCES:
        for path in sorted(PROJECT_DIR.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def checkpoint(path):
    """Folds the WAL into the main file, so that copying the file copies it all."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def build_databases(out, sizes, rebuild=False):
    """Fresh working copies: small.db (the seed), and large.db and floor.db
    (seed + demo data, copied from a pristine build that is reused while its
    marker matches)."""
    small = out / "small.db"
    remove_database(small)
    log(f"Building the small database {small}")
    flask_command(small, "init-db", stdout=subprocess.DEVNULL)

    name = "large-quick" if sizes == QUICK_SIZES else "large"
    pristine, marker = out / f"{name}.pristine.db", out / f"{name}.pristine.json"
    wanted = {**sizes, "data": data_fingerprint()}
    built = json.loads(marker.read_text()) if marker.exists() and pristine.exists() else {}
    if rebuild or {key: built.get(key) for key in wanted} != wanted:
        log(f"Building the large database {pristine} ({sizes['words']} words, "
            f"{sizes['sessions']} sessions, {sizes['reviews']} reviews)")
        started = time.monotonic()
        marker.unlink(missing_ok=True)
        building = out / f"{name}.building.db"
        remove_database(building)
        flask_command(building, "init-db", stdout=subprocess.DEVNULL)
        flask_command(building, "demo-data", *(f"--{key}={value}" for key, value in sizes.items()),
                      stdout=sys.stderr)
        checkpoint(building)
        remove_database(pristine)
        building.replace(pristine)
        remove_database(building)
        built = {**wanted, "built": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        marker.write_text(json.dumps(built, indent=2) + "\n")
        log(f"  built in {time.monotonic() - started:.0f} s")
    else:
        log(f"Reusing the large database {pristine} (built {built.get('built')})")
    copies = [out / "large.db", out / "floor.db"]
    for copy in copies:
        remove_database(copy)
        shutil.copyfile(pristine, copy)
    return small, *copies, built.get("built")
