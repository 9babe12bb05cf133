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

Positions: the chain is walked by `link` (the event's position, 1, 2, 3 …); `first_bad_seq`
and the checkpoints' `seq` name links. Pending events (recorded, not yet chained by the appender,
`link` NULL) are counted, not an error; each one's seal is checked, so a row slipped into the table
behind Jusoor's back is `rewritten` (named by its row number), and one pending for longer than
`appender.STALE_AFTER` is reported (the appender should have chained it).

`verify_chain` walks the whole chain (`jusoor audit verify`, the API); `verify_recent` only what
was chained since the last anchored checkpoint (the audit page, the admin home, the server's
checkpointer), so a page view does not grow with the log.

Limits: events recorded after the last checkpoint (at most `JUSOOR_AUDIT_CHECKPOINT_SECONDS` of
them while `serve` runs) can be cut without a trace; whoever holds the audit key and can write the
anchor file can rewrite everything — keep the anchor file where database administrators cannot write.
"""

from __future__ import annotations

import enum
import hmac
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.audit import anchors
from jusoor.audit.anchors import AnchorError, Checkpoint
from jusoor.audit.appender import HEAD_ID, STALE_AFTER, seal_ok
from jusoor.audit.chain import GENESIS, event_hash
from jusoor.audit.keys import AuditKeyring, audit_keyring
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.i18n import gettext as _

__all__ = [
    "HEAD_ID",
    "Status",
    "Verification",
    "read_head",
    "verify_chain",
    "verify_recent",
    "walk_events",
]

# A page checks at most this many of the newest events: when checkpoints fell behind (the server
# was stopped, or a bulk load), the events between the checkpoint and this window are left to the
# next checkpoint and `jusoor audit verify`, and the page says how many (`unchecked`).
RECENT_LIMIT = 20_000
PENDING_CHECKED = 5000  # pending seals checked per verification (the oldest first)


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
    first_bad_seq: int | None = None  # a link; for a pending row not sealed by Jusoor, its seq
    reason: str | None = None
    key_id: str | None = None  # the missing key, for key_missing
    seconds: float = 0.0
    tip_seq: int = 0  # the last event verified (its link), and its hash: what a checkpoint anchors
    tip_hash: str = GENESIS
    legacy_through: int = 0
    pending: int = 0  # events recorded but not yet chained (not an error)
    stale_pending: int = 0  # of which pending for longer than the appender should ever take
    since: str | None = None  # recent checks: the time of the checkpoint they started from
    whole: bool = True  # False: only the events since the last checkpoint were checked
    unchecked: int = 0  # recent checks: events between the checkpoint and the checked window

    @property
    def ok(self) -> bool:
        return self.status is Status.intact

    @property
    def rate(self) -> float:
        """Events checked per second."""
        return self.events / self.seconds if self.seconds > 0 else 0.0

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
            "pending": self.pending,
            "stale_pending": self.stale_pending,
            "events_per_second": round(self.rate),
            "unchecked": self.unchecked,
        }


@dataclass(frozen=True)
class _Walk:
    count: int
    seq: int
    hash: str
    legacy_through: int
    problem: tuple[Status, int, str, str | None] | None = None  # status, link, reason, key id

    def verdict(
        self,
        status: Status,
        *,
        bad: int | None,
        reason: str | None,
        checkpoints: int,
        started: float,
        legacy_through: int,
        pending: tuple[int, int] = (0, 0),
        since: str | None = None,
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
            pending=pending[0],
            stale_pending=pending[1],
            since=since,
            whole=since is None,
        )


def read_head(session: Session) -> AuditHead | None:
    return session.scalars(
        select(AuditHead).where(AuditHead.id == HEAD_ID).execution_options(populate_existing=True)
    ).first()


def walk_events(
    session: Session,
    keys: AuditKeyring,
    *,
    after: tuple[int, str],
    until: int | None,
    anchored: Mapping[int, str],
    legacy_limit: int | None,
    linked_from: int = 1,
) -> _Walk:
    """Check the chained events after link `after` (link, hash) up to `until`, in link order,
    stopping at the first problem.

    `legacy_limit`: the last event allowed an unkeyed hash; None (no anchor yet) allows an
    unkeyed prefix, i.e. unkeyed events only before the first keyed one. `linked_from`: the first
    link whose hash covers the link (see jusoor.audit.chain).
    """
    seq, prev, legacy, count, keyed_seen = after[0], after[1], 0, 0, False
    # Plain rows, not ORM objects: the chain's fields are read by name (2-3x faster per event).
    columns = AuditEvent.__table__.columns
    stmt = select(*columns).where(AuditEvent.link > seq).order_by(AuditEvent.link)
    if until is not None:
        stmt = stmt.where(AuditEvent.link <= until)
    rows = session.execute(stmt.execution_options(yield_per=5000))
    for event in cast(Iterable[AuditEvent], rows):
        link = int(event.link or 0)
        problem: tuple[Status, str, str | None] | None = None
        if link != seq + 1:
            problem = (Status.rewritten, _("event %(seq)s is missing", seq=seq + 1), None)
        elif event.prev_hash != prev:
            problem = (Status.rewritten, _("the previous-hash link is broken"), None)
        elif event.key_id is None and (keyed_seen if legacy_limit is None else link > legacy_limit):
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
        elif not hmac.compare_digest(
            event_hash(keys, prev, event, linked=link >= linked_from), event.hash or ""
        ):
            problem = (Status.rewritten, _("the event content does not match its keyed hash"), None)
        elif anchored.get(link, event.hash) != event.hash:
            problem = (
                Status.rewritten,
                _("the event differs from the one an anchored checkpoint recorded"),
                None,
            )
        if problem is not None:
            bad = seq + 1 if link != seq + 1 else link
            return _Walk(count, seq, prev, legacy, (problem[0], bad, problem[1], problem[2]))
        keyed_seen = keyed_seen or event.key_id is not None
        legacy = link if event.key_id is None else legacy
        seq, prev, count = link, str(event.hash), count + 1
    return _Walk(count, seq, prev, legacy)


@dataclass(frozen=True)
class _Pending:
    count: int
    stale: int
    forged_seq: int | None  # the first pending row whose seal does not verify


def _pending(session: Session, keys: AuditKeyring) -> _Pending:
    """Pending events: how many, how many overdue, and the first one Jusoor did not seal."""
    count = int(
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.link.is_(None))
        )
        or 0
    )
    if not count:
        return _Pending(0, 0, None)
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.link.is_(None))
        .order_by(AuditEvent.seq)
        .limit(PENDING_CHECKED)
    ).all()
    overdue = utcnow() - STALE_AFTER
    stale = sum(1 for event in rows if event.at < overdue)
    forged = next((event.seq for event in rows if not seal_ok(keys, event)), None)
    return _Pending(count, stale, forged)


def _load_anchors(keys: AuditKeyring) -> list[Checkpoint] | AnchorError | None:
    try:
        return anchors.read_all(get_settings().effective_audit_anchor, keys)
    except AnchorError as exc:
        return exc


def _forged_reason(seq: int) -> str:
    return _(
        "row %(seq)s was put in the audit trail outside Jusoor: it does not carry the seal "
        "Jusoor gives the events it records",
        seq=seq,
    )


def _beyond(session: Session, head_link: int) -> bool:
    """True when an event is chained past the end the head records *now*, `head_link` or later.

    The appender moves the head and chains its events in one transaction, so in any one snapshot
    no event lies past the head unless it was put there behind the application's back. The walk
    takes minutes on a long log while the node keeps chaining: compared with the head read before
    it (`head_link`), every event chained meanwhile looked added behind the application's back
    (PostgreSQL reads each statement's rows as committed when it starts). The head and the events
    past it are therefore read in one statement, from one snapshot."""
    # The last link and the head in one statement: each a one-row index read. (Comparing the
    # links with the head inside the WHERE clause hid the bound from the planner, which then
    # read the whole log when nothing lay past the head: a second per audit page at 3 M events.)
    now = select(AuditHead.last_seq).where(AuditHead.id == HEAD_ID).scalar_subquery()
    last = select(func.max(AuditEvent.link)).scalar_subquery()
    head, link = session.execute(select(now, last)).one()
    return link is not None and link > (head if head is not None else head_link)


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
    # The head first: events chained after it are left for the next check, instead of being
    # mistaken for events added behind the application's back.
    head = read_head(session)
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    walk = walk_events(
        session,
        keys,
        after=(0, GENESIS),
        until=head_seq,
        anchored=anchored,
        legacy_limit=legacy_limit if checkpoints else None,
        linked_from=head.linked_from if head else 1,
    )
    pending = _pending(session, keys)

    def result(status: Status, bad: int | None = None, reason: str | None = None) -> Verification:
        return walk.verdict(
            status,
            bad=bad,
            reason=reason,
            checkpoints=len(checkpoints),
            started=started,
            legacy_through=walk.legacy_through,
            pending=(pending.count, pending.stale),
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
    if _beyond(session, head_seq):
        reason = _("events were added after the recorded end of the chain")
        return result(Status.rewritten, head_seq + 1, reason)
    if walk.hash != head_hash:
        reason = _("the last event is not the recorded end of the chain")
        return result(Status.rewritten, walk.seq, reason)
    if pending.forged_seq is not None:
        return result(Status.rewritten, pending.forged_seq, _forged_reason(pending.forged_seq))
    if not checkpoints and (walk.count or pending.count):
        reason = _(
            "there is no anchor file at %(path)s, so events cut from the end cannot be seen",
            path=get_settings().effective_audit_anchor,
        )
        return result(Status.unanchored, None, reason)
    return result(Status.intact)


def verify_recent(session: Session, *, every: bool = False) -> Verification:
    """Check only what was chained since the last anchored checkpoint (and the pending events).

    The cost follows the events since that checkpoint (at most `JUSOOR_AUDIT_CHECKPOINT_SECONDS`
    of them while `serve` runs), not the length of the log; `verify_chain` checks everything.
    When checkpoints fell behind (a stopped server, a bulk load) only the newest `RECENT_LIMIT`
    are checked and the rest counted as `unchecked`, unless `every` (a new checkpoint must cover
    every event since the last one).
    """
    started = time.perf_counter()
    keys = audit_keyring()
    path = get_settings().effective_audit_anchor
    try:
        last = anchors.read_last(path, keys)
    except AnchorError as exc:
        broken = Status.key_missing if exc.kid else Status.anchor_invalid
        return Verification(broken, 0, reason=exc.message, key_id=exc.kid, whole=False)
    head = read_head(session)
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    pending = _pending(session, keys)
    counts = (pending.count, pending.stale)
    if last is None:
        if not head_seq and not pending.count:
            return Verification(Status.intact, 0, whole=False)
        missing = _(
            "there is no anchor file at %(path)s, so events cut from the end cannot be seen",
            path=path,
        )
        return Verification(
            Status.unanchored,
            0,
            reason=missing,
            pending=counts[0],
            stale_pending=counts[1],
            whole=False,
        )
    since = last.at
    anchored_event = (
        session.scalars(select(AuditEvent).where(AuditEvent.link == last.seq)).first()
        if last.seq
        else None
    )
    if head_seq < last.seq or (anchored_event is None and last.seq):
        cut = _("the log ends before the last anchored event: events were cut from the end")
        return Verification(
            Status.truncated, 0, 1, head_seq + 1, cut, pending=counts[0], since=since, whole=False
        )
    if anchored_event is not None and anchored_event.hash != last.hash:
        changed = _("the event differs from the one an anchored checkpoint recorded")
        return Verification(
            Status.rewritten, 0, 1, last.seq, changed, pending=counts[0], since=since, whole=False
        )
    start, unchecked = (last.seq, last.hash), 0
    limit = None if every else RECENT_LIMIT  # every: all since the checkpoint (a new checkpoint)
    if limit is not None and head_seq - last.seq > limit:  # checkpoints fell behind
        # A page checks the newest `limit` events only, from the stored hash before them.
        first = head_seq - limit
        window = session.scalars(select(AuditEvent).where(AuditEvent.link == first)).first()
        if window is not None and window.hash is not None:
            start, unchecked = (first, window.hash), first - last.seq
    walk = walk_events(
        session,
        keys,
        after=start,
        until=head_seq,
        anchored={},
        legacy_limit=last.legacy_through,
        linked_from=head.linked_from if head else 1,
    )
    status: Status = Status.intact
    bad: int | None = None
    reason: str | None = None
    if walk.problem is not None:
        status, bad, reason = walk.problem[0], walk.problem[1], walk.problem[2]
    elif walk.seq < head_seq:
        status, bad, reason = Status.truncated, walk.seq + 1, _("events were removed")
    elif _beyond(session, head_seq):
        status, bad = Status.rewritten, head_seq + 1
        reason = _("events were added after the recorded end of the chain")
    elif walk.hash != head_hash:
        status, bad = Status.rewritten, walk.seq
        reason = _("the last event is not the recorded end of the chain")
    elif pending.forged_seq is not None:
        status, bad = Status.rewritten, pending.forged_seq
        reason = _forged_reason(pending.forged_seq)
    return replace(
        walk.verdict(
            status,
            bad=bad,
            reason=reason,
            checkpoints=1,
            started=started,
            legacy_through=last.legacy_through,
            pending=counts,
            since=since,
        ),
        unchecked=unchecked,
    )
