"""Checkpoints: copying the WAL into the database file. The server's
connections leave SQLite's own checkpoints off; a timer thread of the pool
(lib/store/db.py Pool.checkpoint) calls copy_wal shortly after each write."""

# The timer's delay after a write.
DELAY_SECONDS = 0.05
# A WAL longer than this many pages (64 MB) is started again from its beginning.
WAL_RESET_FRAMES = 16000


def copy_wal(db):
    """Copies the WAL into the database file and syncs both, so a commit
    reaches the disk within about DELAY_SECONDS.

    SQLite's own checkpoint ran in the request that had committed, and
    never let the WAL start again while other writers kept committing:
    under load it grew by about 50 MB a second, and every commit paid for
    a checkpoint. Here a WAL of more than WAL_RESET_FRAMES is copied while
    writers go on until little is left; then RESTART holds writers off
    for the rest (3-7 ms measured) so that the next write starts the WAL
    from its beginning. Writes got faster with it (docs/performance.md,
    "Checkpoints"); of the delays tried (0.01, 0.05, 0.25 s), 0.05 gave
    the most writes a second and the lowest p99."""
    db.execute("PRAGMA busy_timeout = 1000")
    copied = 0
    for _ in range(5):
        busy, frames, backfilled = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if busy or frames < WAL_RESET_FRAMES:
            return
        if backfilled - copied < 1000:  # so little is left that RESTART is short
            break
        copied = backfilled
    db.execute("PRAGMA wal_checkpoint(RESTART)")
