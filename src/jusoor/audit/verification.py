"""Verify the keyed audit chain against the checkpoints anchored outside the database.

`verify` recomputes every event's HMAC (ASVS 7.3.3) and compares the chain with the signed
checkpoints in the anchor file (jusoor.audit.anchors). It names what it finds:

- `rewritten`: an event's hash does not match its keyed hash, a link or a sequence number is broken,
  or the hash at an anchored position differs from the checkpoint — the first bad event is named.
  Recomputing the later hashes does not help a forger: without the audit key they cannot be made.
- `truncated`: the log ends before the last anchored event (events cut from the end, with
  `audit_head` moved back), or before the event `audit_head` names.
- `key_missing`: an event or checkpoint names an audit key id the keyring does not hold.
- `anchor_invalid`: a line of the anchor file is malformed or its signature does not verify.
- `unanchored`: there are events but no anchor file, so a cut tail could not be seen. Never
  reported as intact: the anchor file is started by `jusoor init` or `jusoor audit checkpoint`.
- `intact`: none of these, with the counts of events and checkpoints checked and the time taken.

Upgrading a node whose events were written before audit keys (key_id NULL, plain SHA-256): on the
first `jusoor init` after the upgrade there is no anchor file yet, so `checkpoints.anchor(start=True)`
walks the chain accepting unkeyed events only as an unbroken prefix, verifies that prefix as plain
SHA-256 once, and writes a signed checkpoint with `legacy_through` = its last event. From then on an
unkeyed event after `legacy_through` is `rewritten`, and any change to the prefix changes the hash
at the anchored position or breaks the first keyed event's HMAC (it covers its predecessor's hash).
Until that first checkpoint the legacy prefix is only as strong as plain SHA-256 was.

Limits: events recorded after the last checkpoint (at most `JUSOOR_AUDIT_CHECKPOINT_SECONDS` of
them while `serve` runs) can be cut without a trace; whoever holds the audit key and can write the
anchor file can rewrite everything — keep the anchor file where database administrators cannot write.
"""

from __future__ import annotations

import enum
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import anchors
from jusoor.audit.anchors import AnchorError, Checkpoint
from jusoor.audit.chain import GENESIS, event_hash
from jusoor.audit.keys import AuditKeyring, audit_keyring
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.core.config import get_settings
from jusoor.core.i18n import gettext as _

HEAD_ID = 1


class Status(enum.StrEnum):
    intact = "intact"
    rewritten = "rewritten"
    truncated = "truncated"
    key_missing = "key_missing"
    anchor_invalid = "anchor_invalid"
    unanchored = "unanchored"


@dataclass(frozen=True)
class Verification:
    status: Status
    events: int  # events checked before the first problem (all of them when intact)
    checkpoints: int = 0
    first_bad_seq: int | None = None
    reason: str | None = None
    key_id: str | None = None  # the missing key, for key_missing
    seconds: float = 0.0
    tip_seq: int = 0  # the last event verified, and its hash: what a new checkpoint anchors
    tip_hash: str = GENESIS
    legacy_through: int = 0

    @property
    def ok(self) -> bool:
        return self.status is Status.intact

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "status": self.status.value,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
            "key_id": self.key_id,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class _Walk:
    count: int
    seq: int
    hash: str
    legacy_through: int
    problem: tuple[Status, int, str, str | None] | None = None  # status, seq, reason, key id

    def verdict(
        self,
        status: Status,
        *,
        bad: int | None,
        reason: str | None,
        checkpoints: int,
        started: float,
        legacy_through: int,
    ) -> Verification:
        """What this walk found, as the verification the callers report."""
        return Verification(
            status,
            self.count,
            checkpoints=checkpoints,
            first_bad_seq=bad,
            reason=reason,
            key_id=self.problem[3] if self.problem else None,
            seconds=time.perf_counter() - started,
            tip_seq=self.seq,
            tip_hash=self.hash,
            legacy_through=legacy_through,
        )


def walk_events(
    session: Session,
    keys: AuditKeyring,
    *,
    after: tuple[int, str],
    until: int | None,
    anchored: Mapping[int, str],
    legacy_limit: int | None,
) -> _Walk:
    """Check events after `after` (seq, hash) up to `until`, stopping at the first problem.

    `legacy_limit`: the last event allowed an unkeyed hash; None (no anchor yet) allows an
    unkeyed prefix, i.e. unkeyed events only before the first keyed one.
    """
    seq, prev, legacy, count, keyed_seen = after[0], after[1], 0, 0, False
    stmt = select(AuditEvent).where(AuditEvent.seq > seq).order_by(AuditEvent.seq)
    if until is not None:
        stmt = stmt.where(AuditEvent.seq <= until)
    for event in session.scalars(stmt.execution_options(yield_per=1000)):
        problem: tuple[Status, str, str | None] | None = None
        if event.seq != seq + 1:
            problem = (Status.rewritten, _("event %(seq)s is missing", seq=seq + 1), None)
        elif event.prev_hash != prev:
            problem = (Status.rewritten, _("the previous-hash link is broken"), None)
        elif event.key_id is None and (
            keyed_seen if legacy_limit is None else event.seq > legacy_limit
        ):
            problem = (
                Status.rewritten,
                _("an event without an audit key follows the sealed legacy events"),
                None,
            )
        elif event.key_id is not None and not keys.has(event.key_id):
            kid = event.key_id[:40]
            problem = (
                Status.key_missing,
                _(
                    "audit key %(kid)s is not in the keyring, so the event cannot be checked",
                    kid=kid,
                ),
                kid,
            )
        elif not hmac.compare_digest(event_hash(keys, prev, event), event.hash):
            problem = (Status.rewritten, _("the event content does not match its keyed hash"), None)
        elif anchored.get(event.seq, event.hash) != event.hash:
            problem = (
                Status.rewritten,
                _("the event differs from the one an anchored checkpoint recorded"),
                None,
            )
        if problem is not None:
            bad = seq + 1 if event.seq != seq + 1 else event.seq
            return _Walk(count, seq, prev, legacy, (problem[0], bad, problem[1], problem[2]))
        keyed_seen = keyed_seen or event.key_id is not None
        legacy = event.seq if event.key_id is None else legacy
        seq, prev, count = event.seq, event.hash, count + 1
    return _Walk(count, seq, prev, legacy)


def _load_anchors(keys: AuditKeyring) -> list[Checkpoint] | AnchorError | None:
    try:
        return anchors.read_all(get_settings().effective_audit_anchor, keys)
    except AnchorError as exc:
        return exc


def verify_chain(session: Session) -> Verification:
    """Recompute the keyed chain up to `audit_head` and compare it with the anchored checkpoints."""
    started = time.perf_counter()
    keys = audit_keyring()
    loaded = _load_anchors(keys)
    if isinstance(loaded, AnchorError):
        status = Status.key_missing if loaded.kid else Status.anchor_invalid
        return Verification(status, 0, reason=loaded.message, key_id=loaded.kid)
    checkpoints = loaded or []
    anchored: dict[int, str] = {}
    for cp in checkpoints:
        if anchored.setdefault(cp.seq, cp.hash) != cp.hash:
            reason = _("two signed checkpoints disagree about this event")
            return Verification(Status.rewritten, 0, len(checkpoints), cp.seq, reason)
    legacy_limit = max((cp.legacy_through for cp in checkpoints), default=0)
    # The head first: events committed after it (seq above it) are left for the next check,
    # instead of being mistaken for events added behind the application's back.
    head = session.get(AuditHead, HEAD_ID)
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    walk = walk_events(
        session,
        keys,
        after=(0, GENESIS),
        until=head_seq,
        anchored=anchored,
        legacy_limit=legacy_limit if checkpoints else None,
    )

    def result(status: Status, bad: int | None = None, reason: str | None = None) -> Verification:
        return walk.verdict(
            status,
            bad=bad,
            reason=reason,
            checkpoints=len(checkpoints),
            started=started,
            legacy_through=walk.legacy_through,
        )

    if walk.problem is not None:
        return result(walk.problem[0], walk.problem[1], walk.problem[2])
    last_anchored = max(anchored, default=0)
    if walk.seq < last_anchored:
        return result(
            Status.truncated,
            walk.seq + 1,
            _(
                "the log ends at event %(last)s but event %(anchored)s was anchored: events "
                "were cut from the end",
                last=walk.seq,
                anchored=last_anchored,
            ),
        )
    if walk.seq < head_seq:
        return result(Status.truncated, walk.seq + 1, _("events after the last one were removed"))
    if session.scalar(select(AuditEvent.seq).where(AuditEvent.seq > head_seq).limit(1)):
        reason = _("events were added after the recorded end of the chain")
        return result(Status.rewritten, head_seq + 1, reason)
    if walk.hash != head_hash:
        reason = _("the last event is not the recorded end of the chain")
        return result(Status.rewritten, walk.seq, reason)
    if not checkpoints and walk.count:
        reason = _(
            "there is no anchor file at %(path)s, so events cut from the end cannot be seen",
            path=get_settings().effective_audit_anchor,
        )
        return result(Status.unanchored, None, reason)
    return result(Status.intact)
