"""The delivery worker: POST each pending envelope to its peer's inbox until a valid receipt.

At-least-once: an envelope is re-sent until the peer's signed receipt over exactly its bytes comes
back, and the peer applies an id once, so the pair is exactly-once. Each entry is handled in its
own short transaction, so one slow peer does not hold the others, and a crash loses nothing:
the entry is still pending and is sent again. Back-off doubles from 5 s to one hour, with jitter,
after ActivityPub servers' delivery queues.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.config import get_settings
from jusoor.core.db import Database, utcnow
from jusoor.core.periodic import PeriodicThread
from jusoor.exchange import threads
from jusoor.exchange.models import Message, OutboxEntry, Peer
from jusoor.exchange.nodes import peers as peer_service
from jusoor.exchange.transport import failures
from jusoor.exchange.transport.envelope import EnvelopeError, check_receipt, digest_of

if TYPE_CHECKING:
    import httpx

INBOX_PATH = "/api/v1/exchange/inbox"
FIRST_DELAY = dt.timedelta(seconds=5)
MAX_DELAY = dt.timedelta(hours=1)
log = logging.getLogger("jusoor.exchange")


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    expired: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # message id -> last error

    def as_dict(self) -> dict[str, object]:
        return {
            "delivered": self.delivered,
            "retrying": self.retrying,
            "expired": self.expired,
            "errors": self.errors,
        }


def backoff(attempts: int) -> dt.timedelta:
    # The exponent is bounded: 5 s x 2**k overflows timedelta after ~45 attempts (a peer down
    # for a day and a half), which would stop every delivery pass at that entry.
    doublings = min(max(0, attempts - 1), 20)
    delay: dt.timedelta = min(FIRST_DELAY * (2**doublings), MAX_DELAY)
    jitter: float = random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not a secret
    return delay * jitter


def _due(session: Session, now: dt.datetime, *, force: bool, limit: int) -> list[OutboxEntry]:
    stmt = select(OutboxEntry).where(OutboxEntry.pending.is_(True))
    if not force:
        stmt = stmt.where(OutboxEntry.next_attempt_at <= now)
    return list(session.scalars(stmt.order_by(OutboxEntry.next_attempt_at).limit(limit)))


def deliver(
    db: Database, *, force: bool = False, limit: int = 500, client: httpx.Client | None = None
) -> DeliveryReport:
    """One pass over the outbox. `force` tries every pending entry now (an operator's "send now")."""
    import httpx  # here, not at the top: slow to import, and only delivering needs it

    report = DeliveryReport()
    with db.reading() as session:  # a read: no writer waits for it
        ids = [entry.message_id for entry in _due(session, utcnow(), force=force, limit=limit)]
    own_client = client is None
    http = client or httpx.Client(timeout=get_settings().exchange_timeout_seconds)
    try:
        for message_id in ids:
            _deliver_one(db, message_id, http, report)
    finally:
        if own_client:
            http.close()
    return report


@dataclass(frozen=True)
class _Attempt:
    """What one sending needs, taken from the database before it (no transaction is held while
    a peer answers: on SQLite that would keep every person saving waiting, issue 18)."""

    message_id: str
    peer: str
    url: str
    raw: bytes
    receiver_keys: list[str]


def _deliver_one(
    db: Database, message_id: object, http: httpx.Client, report: DeliveryReport
) -> None:
    attempt = _claim(db, message_id, report)
    if attempt is None:
        return
    outcome = _send(http, attempt)
    _settle(db, message_id, outcome, report)


def _claim(db: Database, message_id: object, report: DeliveryReport) -> _Attempt | None:
    """Count the attempt (a crash after it loses nothing: the entry is still pending), in one
    short write; expire or postpone what cannot be sent."""
    with db.unit_of_work() as session:
        entry = session.get(OutboxEntry, message_id)
        message = session.get(Message, message_id)
        if entry is None or message is None or not entry.pending:
            return None
        now = utcnow()
        if message.expires_at <= now:
            _expire(session, entry, message)
            report.expired += 1
            return None
        peer = session.get(Peer, entry.peer)
        entry.attempts += 1
        entry.last_attempt_at = now
        if peer is None or not peer.active:
            _retry(entry, failures.NOT_A_PEER, report)
            return None
        return _Attempt(
            message_id=str(message.id),
            peer=peer.node_id,
            url=peer.endpoint + INBOX_PATH,
            raw=entry.envelope.encode(),
            receiver_keys=peer_service.signing_keys(peer, now),
        )


Outcome = tuple[dict[str, object], dict[str, object]] | str  # (signed receipt, checked) | error


def _send(http: httpx.Client, attempt: _Attempt) -> Outcome:
    """POST the envelope and check the peer's receipt, outside any transaction."""
    import httpx  # (as in `deliver`)

    try:
        response = http.post(
            attempt.url, content=attempt.raw, headers={"content-type": "application/json"}
        )
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {_reason(response)}"
    try:
        signed = response.json()
        receipt = check_receipt(
            signed,
            message_id=attempt.message_id,
            digest=digest_of(attempt.raw),
            receiver=attempt.peer,
            receiver_keys=attempt.receiver_keys,
        )
    except (EnvelopeError, ValueError) as exc:
        return f"{failures.RECEIPT}{exc}"
    return signed, receipt


def _settle(db: Database, message_id: object, outcome: Outcome, report: DeliveryReport) -> None:
    """Record what the peer answered, in one short write."""
    with db.unit_of_work() as session:
        entry = session.get(OutboxEntry, message_id)
        message = session.get(Message, message_id)
        if entry is None or message is None or not entry.pending:
            return  # delivered meanwhile by another pass
        if isinstance(outcome, str):
            _retry(entry, outcome, report)
            return
        _delivered(session, entry, message, *outcome)
        report.delivered += 1


def _reason(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])[:300]
    except (ValueError, KeyError, TypeError):
        return response.reason_phrase


def _retry(entry: OutboxEntry, error: str, report: DeliveryReport) -> None:
    entry.last_error = error[:500]
    entry.next_attempt_at = utcnow() + backoff(entry.attempts)
    report.retrying += 1
    report.errors[str(entry.message_id)] = entry.last_error


def _delivered(
    session: Session,
    entry: OutboxEntry,
    message: Message,
    signed: dict[str, object],
    receipt: dict[str, object],
) -> None:
    entry.pending = False
    entry.last_error = ""
    message.receipt = signed
    message.envelope_sha256 = str(receipt["envelope_sha256"])
    message.delivered_at = utcnow()
    threads.transport(message, "receipt")  # a sent message is delivered; a moved one stays
    message.updated_at = utcnow()
    audit.record(
        session,
        actor=None,
        username="exchange-worker",
        action="exchange.message.delivered",
        object_type="exchange_message",
        object_id=message.id,
        details={"to": entry.peer, "attempts": entry.attempts, "sha256": message.envelope_sha256},
    )


def _expire(session: Session, entry: OutboxEntry, message: Message) -> None:
    entry.pending = False
    entry.last_error = entry.last_error or failures.EXPIRED
    threads.transport(message, "expire")  # an opening is its own thread: the request expires
    message.updated_at = utcnow()
    audit.record(
        session,
        actor=None,
        username="exchange-worker",
        action="exchange.message.expired",
        object_type="exchange_message",
        object_id=message.id,
        outcome="failure",
        details={"to": entry.peer, "attempts": entry.attempts},
    )


class DeliveryThread(PeriodicThread):
    """Runs `deliver` every `interval` seconds inside `jusoor serve`, with one HTTP client (and
    its pool of connections to the peers) for the thread's life rather than one per pass."""

    what = "exchange delivery pass"

    def __init__(self, database_url: str, interval: float) -> None:
        super().__init__("jusoor-exchange-delivery", database_url, interval)
        self.client: httpx.Client | None = None

    def setup(self) -> None:
        import httpx  # (as in `deliver`)

        self.client = httpx.Client(timeout=get_settings().exchange_timeout_seconds)

    def teardown(self) -> None:
        if self.client is not None:
            self.client.close()

    def tick(self, db: Database) -> None:
        report = deliver(db, client=self.client)
        if report.delivered or report.expired:
            log.info("exchange delivery: %s", json.dumps(report.as_dict()))
