"""What a restored copy must pass before it replaces the database.

1. Its rows per table are the manifest's (counted in the snapshot the dump was taken from), and
   SQLite's `PRAGMA integrity_check` says ok.
2. For a Jusoor database (the manifest counts an `alembic_version` table): the schema is brought
   to the current migrations (a backup made by an older release is upgraded in the copy; one
   made by a newer release is refused), then checked current.
3. The checks the caller passes, each on the brought-up copy: `jusoor restore` passes the audit
   chain's (`audit.restored.verify_restored_chain`: every event's keyed hash recomputed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, create_engine, func, inspect, select, table
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from jusoor.core import migrate
from jusoor.core.backup_archive import Manifest, VerificationError
from jusoor.core.i18n import gettext as _

# A check of a restored Jusoor database, given a session on it: raises VerificationError, or
# returns how many things it checked. The higher layers pass theirs (the CLI: the audit chain,
# `audit.restored`), so this module need not know them.
CopyCheck = Callable[[Session], int]


@dataclass(frozen=True)
class Checked:
    seconds: dict[str, float]
    verified: dict[str, int]


def verify_copy(url: URL, manifest: Manifest, checks: Mapping[str, CopyCheck]) -> Checked:
    """Raise VerificationError unless the restored copy at `url` may replace the database."""
    t0 = time.perf_counter()
    # A plain engine, not db.make_engine: that one would turn the SQLite copy to WAL mode, and a
    # -wal file left beside it would not follow it when it is renamed over the database.
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                result = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
                if result != ["ok"]:
                    raise VerificationError(_("The restored database fails its integrity check."))
            counts = row_counts(conn)
        if counts != manifest.tables:
            expected = manifest.tables
            names = sorted(
                k for k in counts.keys() | expected.keys() if counts.get(k) != expected.get(k)
            )
            raise VerificationError(
                _("Row counts differ from the backup in: %(tables)s.", tables=", ".join(names[:10]))
            )
        t1 = time.perf_counter()
        seconds = {"verify_counts": t1 - t0}
        if "alembic_version" not in manifest.tables:
            return Checked(seconds, {})  # not a database Jusoor made: its rows are all we know
        _bring_schema_current(engine)
        seconds["verify_schema"] = time.perf_counter() - t1
        verified = {}
        for name, check in checks.items():
            started = time.perf_counter()
            with Session(engine) as session:
                verified[name] = check(session)
            seconds[f"verify_{name}"] = time.perf_counter() - started
        return Checked(seconds, verified)
    finally:
        engine.dispose()


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows per table (schema-qualified outside the default schema): what a manifest records."""
    insp = inspect(conn)
    schemas: list[str | None] = [None]
    if conn.dialect.name == "postgresql":
        schemas = [s for s in insp.get_schema_names() if s != "information_schema"]
    counts = {}
    for schema in schemas:
        for name in insp.get_table_names(schema=schema):
            key = name if schema in (None, insp.default_schema_name) else f"{schema}.{name}"
            query = select(func.count()).select_from(table(name, schema=schema))
            counts[key] = conn.execute(query).scalar_one()
    return counts


def _bring_schema_current(engine: Engine) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    known = {rev.revision for rev in script.walk_revisions()}
    if not migrate.current_revisions(engine) <= known:
        raise VerificationError(
            _("This backup was made by a newer version of Jusoor; upgrade before restoring.")
        )
    if not migrate.is_current(engine):
        try:
            migrate.upgrade(engine)
        except Exception:
            raise VerificationError(
                _("The restored database cannot be brought to the current schema.")
            ) from None
    if not migrate.is_current(engine):
        raise VerificationError(_("The restored database's schema is not current."))
