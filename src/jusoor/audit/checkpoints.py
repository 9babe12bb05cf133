"""When checkpoints are written: by `jusoor init`, `jusoor audit verify|checkpoint`, and by `serve`.

Each checkpoint is written after the transaction that verified the chain has ended, so it only
ever names committed events. The server's thread verifies only the events since the last
checkpoint, and writes one when the head moved (every `JUSOOR_AUDIT_CHECKPOINT_SECONDS`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from jusoor.audit import service
from jusoor.audit.verification import (
    Status,
    Verification,
    anchor_exists,
    checkpoint_if_moved,
    verify_chain,
    write_checkpoint,
)
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.permissions import Actor

log = logging.getLogger("jusoor.audit")


@dataclass(frozen=True)
class Anchoring:
    result: Verification
    written: bool  # a checkpoint line was added (False: refused, or the head had not moved)
    started: bool = False  # the anchor file was started by this call


def anchor(
    db: Database, *, actor: Actor | None, start: bool = False, retired: Path | None = None
) -> Anchoring:
    """Verify the whole chain, then anchor its head when it is intact.

    `start` begins an anchor file when there is none (first `jusoor init`, or an operator's
    `jusoor audit checkpoint`): that is recorded in the trail, with the `retired` file it replaces
    if any, and events written before audit keys are sealed as the legacy prefix (see
    jusoor.audit.verification).
    """
    starting = start and not anchor_exists()
    if starting:
        with db.unit_of_work() as session:
            service.record(
                session,
                actor=actor,
                action="audit.anchor.start",
                object_type="audit_anchor",
                details={
                    "path": str(get_settings().effective_audit_anchor),
                    "replaces": str(retired) if retired else None,
                },
                username="cli",
            )
    with db.unit_of_work() as session:
        result = verify_chain(session)
    if result.ok or (starting and result.status is Status.unanchored):
        return Anchoring(result, write_checkpoint(result, start=starting), starting)
    return Anchoring(result, False)


def retire_anchor(label: str) -> Path | None:
    """Move the anchor file aside, kept as evidence, e.g. before anchoring a restored older chain.

    After a restore the log legitimately ends before the old checkpoints; the old file shows the
    auditor exactly what the restore rolled back. None when there was no anchor file.
    """
    path = get_settings().effective_audit_anchor
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.{label}")
    if target.exists():
        raise FileExistsError(target)
    path.rename(target)
    return target


def checkpoint_once(db: Database) -> Verification | None:
    """One pass of the server's checkpointer; None when there was nothing to anchor."""
    with db.unit_of_work() as session:
        result = checkpoint_if_moved(session)
    if result is None:
        return None
    if result.ok:
        write_checkpoint(result)
    else:
        log.error(
            "audit trail not anchored: %s at event %s: %s",
            result.status.value,
            result.first_bad_seq,
            result.reason,
        )
    return result


class CheckpointThread(threading.Thread):
    """Runs `checkpoint_once` every `interval` seconds inside `jusoor serve`."""

    def __init__(self, database_url: str, interval: float) -> None:
        super().__init__(name="jusoor-audit-checkpoint", daemon=True)
        self.database_url = database_url
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        db = Database(self.database_url)
        warned = False
        try:
            while not self.stopping.wait(self.interval):
                if not anchor_exists():
                    if not warned:  # once: `jusoor audit verify` reports it every time it runs
                        log.warning("no audit anchor file: run jusoor audit checkpoint")
                    warned = True
                    continue
                try:
                    checkpoint_once(db)
                except Exception:  # keep the thread alive; the next pass retries
                    log.exception("audit checkpoint failed")
        finally:
            db.dispose()
