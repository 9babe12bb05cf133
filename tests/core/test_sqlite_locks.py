"""A second engine on an open SQLite file must not drop the first one's locks.

POSIX advisory locks belong to the process, and closing *any* descriptor of a file releases all of
them. `jusoor serve` opens the database three times (the app, the exchange delivery thread, the
audit checkpoint thread); when opening it meant `os.open` + `os.close` of the file, a thread
starting while the app held a write lock dropped that lock, another process (a CLI command) wrote
at the same time, and the file was corrupted ("database disk image is malformed" in the real-node
exchange tests). The lock is shown here in rollback-journal mode, where SQLite keeps the writer's
lock on the database file itself.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from jusoor.core.db import make_private

TRY_WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    conn.execute("BEGIN IMMEDIATE")
except sqlite3.OperationalError as exc:
    print("refused:", exc)
else:
    print("took the write lock")
"""


def _other_process_writes(path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", TRY_WRITE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_opening_the_file_again_keeps_this_process_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "jusoor.db"
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("PRAGMA journal_mode=DELETE")
    first.execute("CREATE TABLE t (x INTEGER)")
    first.execute("BEGIN IMMEDIATE")  # this process now holds the writer's lock
    first.execute("INSERT INTO t VALUES (1)")
    assert _other_process_writes(path).startswith("refused: database is locked")

    make_private(path)  # what every new engine on this file does (jusoor.core.db.make_engine)

    assert _other_process_writes(path).startswith("refused: database is locked")
    first.execute("COMMIT")
    first.close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_new_file_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    make_private(path)
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
