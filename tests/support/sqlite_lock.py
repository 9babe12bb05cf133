"""Whether SQLite's single writer's lock is free right now, asked from another connection."""

from __future__ import annotations

import sqlite3

from jusoor.core.db import Database


def writer_free(db: Database) -> bool:
    """True when another connection could start writing at once (PostgreSQL: always, its
    readers take no lock that writers wait for)."""
    if db.engine.dialect.name != "sqlite":
        return True
    other = sqlite3.connect(str(db.engine.url.database), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()
