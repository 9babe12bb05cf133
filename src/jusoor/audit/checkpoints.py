"""When checkpoints are written: by `jusoor init`, `jusoor audit verify|checkpoint`, and by `serve`.

Each checkpoint is written after the transaction that verified the chain has ended, so it only
ever names committed events. The server's thread verifies only the events since the last
checkpoint, and writes one when the head moved (every `JUSOOR_AUDIT_CHECKPOINT_SECONDS`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from jusoor.audit import anchors, service
from jusoor.audit.anchors import Checkpoint
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditHead
from jusoor.audit.verification import HEAD_ID, Status, Verification, verify_chain, verify_recent
from jusoor.core.config import get_settings
from jusoor.core.db import Database, utcnow
from jusoor.core.periodic import PeriodicThread
from jusoor.core.permissions import Actor

log = logging.getLogger("jusoor.audit")


def _checkpoint_of(result: Verification) -> Checkpoint:
    return Checkpoint(
        seq=result.tip_seq,
        hash=result.tip_hash,
        at=utcnow().isoformat(timespec="seconds"),
        kid=audit_keyring().primary_kid,
        node=get_settings().node_id,
        legacy_through=result.legacy_through,
    )


def write_checkpoint(result: Verification, *, start: bool = False) -> bool:
    """Anchor the head a verification found intact (or, with `start`, unanchored: a new file).

    Call it after the verifying transaction: the tip it names is then committed, never a pending
    event. Refuses (ValueError) to anchor a chain that is not intact. True when a line was added.
    """
    if not (result.ok or (start and result.status is Status.unanchored)):
        raise ValueError(result.reason or result.status.value)
    path = get_settings().effective_audit_anchor
    return anchors.append(path, _checkpoint_of(result), audit_keyring(), create=start)


def anchor_exists() -> bool:
    return get_settings().effective_audit_anchor.exists()


def checkpoint_if_moved(session: Session) -> Verification | None:
    """For the server's periodic checkpoint: verify only the events since the last checkpoint.

    None when there is no anchor file (reported by `verify`) or the head has not moved; otherwise
    the verification of the new events (`verify_recent`), and a checkpoint is due when intact.
    """
    last = anchors.read_last(get_settings().effective_audit_anchor, audit_keyring())
    if last is None:
        return None
    head = session.get(AuditHead, HEAD_ID, populate_existing=True)
    if (head.last_seq if head else 0) == last.seq:
        return None
    return verify_recent(session, every=True)  # a checkpoint covers every event since the last


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


class CheckpointThread(PeriodicThread):
    """Runs `checkpoint_once` every `interval` seconds inside `jusoor serve`."""

    what = "audit checkpoint"

    def __init__(self, database_url: str, interval: float) -> None:
        super().__init__("jusoor-audit-checkpoint", database_url, interval)
        self.warned = False

    def tick(self, db: Database) -> None:
        if not anchor_exists():
            if not self.warned:  # once: `jusoor audit verify` reports it every time it runs
                log.warning("no audit anchor file: run jusoor audit checkpoint")
            self.warned = True
            return
        checkpoint_once(db)
