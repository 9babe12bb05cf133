"""What a restored copy must pass before it replaces the database.

1. Its rows per table are the manifest's (counted in the snapshot the dump was taken from), and
   SQLite's `PRAGMA integrity_check` says ok.
2. For a Jusoor database (the manifest counts an `alembic_version` table): the schema is brought
   to the current migrations (a backup made by an older release is upgraded in the copy; one
   made by a newer release is refused), then checked current.
3. Its audit chain is intact: every event's keyed hash recomputed in order up to `audit_head`
   (`audit.verification.walk_events`, as `jusoor audit verify` does), and where the node's anchor
   file holds signed checkpoints of events the backup contains, those events match them.
   Checkpoints after the backup's last event are expected (the backup is older) and are retired
   by `jusoor restore` once the switch is made.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, create_engine, func, inspect, select, table
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from jusoor.audit import anchors
from jusoor.audit.chain import GENESIS
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditHead
from jusoor.audit.verification import HEAD_ID, walk_events
from jusoor.core import migrate
from jusoor.core.backup_archive import Manifest, VerificationError
from jusoor.core.config import get_settings
from jusoor.core.i18n import gettext as _


@dataclass(frozen=True)
class Checked:
    seconds: dict[str, float]
    audit_events: int


def verify_copy(url: URL, manifest: Manifest) -> Checked:
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
            return Checked(seconds, 0)  # not a database Jusoor made: its rows are all we know
        _bring_schema_current(engine)
        t2 = time.perf_counter()
        with Session(engine) as session:
            events = _verify_audit(session) if inspect(engine).has_table("audit_head") else 0
        seconds.update(verify_schema=t2 - t1, verify_audit=time.perf_counter() - t2)
        return Checked(seconds, events)
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


def _verify_audit(session: Session) -> int:
    keys = audit_keyring()
    head = session.get(AuditHead, HEAD_ID)
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    try:
        checkpoints = anchors.read_all(get_settings().effective_audit_anchor, keys) or []
    except anchors.AnchorError:
        checkpoints = []  # the anchor file is not in the backup; the keyed chain still is
    mine = [cp for cp in checkpoints if cp.seq <= head_seq]
    walk = walk_events(
        session,
        keys,
        after=(0, GENESIS),
        until=head_seq,
        anchored={cp.seq: cp.hash for cp in mine},
        legacy_limit=max((cp.legacy_through for cp in mine), default=0) if mine else None,
    )
    if walk.problem is not None:
        raise VerificationError(
            _(
                "The restored audit trail is not intact at event %(seq)s: %(reason)s",
                seq=walk.problem[1],
                reason=walk.problem[2],
            )
        )
    if walk.seq != head_seq or walk.hash != head_hash:
        raise VerificationError(
            _("The restored audit trail does not end where its recorded end says.")
        )
    return walk.count
