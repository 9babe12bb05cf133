"""Two exchange nodes in one process, for fast tests of the exchange core.

Node A is the test's `database` fixture (SQLite or PostgreSQL); node B is always a SQLite file of
its own. Delivery goes through B's real web app, in process: `fastapi.testclient.TestClient` is an
`httpx.Client`, so it is handed to `delivery.deliver` as the HTTP client, and both descriptors name
its base URL as their endpoint.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jusoor.app import create_app
from jusoor.audit.models import AuditEvent
from jusoor.core import migrate
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import Actor, system_actor
from jusoor.exchange.models import Message, OutboxEntry
from jusoor.exchange.nodes.keys import KeyPair, fingerprint
from jusoor.exchange.nodes.node import Identity, descriptor_of, identity, init_node
from jusoor.exchange.nodes.peers import add_peer
from jusoor.exchange.transport import delivery, outbox
from jusoor.exchange.transport.envelope import iso, seal
from jusoor.exchange.vocabulary import MessageType

ENDPOINT = "http://testserver"  # TestClient's base URL: where every in-process node is reached
INBOX_URL = ENDPOINT + delivery.INBOX_PATH
OPERATOR: Actor = system_actor("test")


@dataclass(frozen=True)
class Node:
    node_id: str
    db: Database

    def descriptor(self) -> dict[str, Any]:
        with self.db.unit_of_work() as session:
            return descriptor_of(identity(session), endpoint=ENDPOINT)

    def app_client(self) -> TestClient:
        return TestClient(create_app(self.db), base_url=ENDPOINT)


_migrated: list[Path] = []  # one migrated empty file per test session, copied for each node


def sqlite_database(path: Path) -> Database:
    """A migrated, empty SQLite database at `path` (the second node's)."""
    if not _migrated:
        folder = tempfile.mkdtemp(prefix="jusoor-exchange-")
        atexit.register(shutil.rmtree, folder, True)
        template = Path(folder) / "empty.db"
        scratch = Database(f"sqlite:///{template}")
        try:
            migrate.upgrade(scratch.engine)
        finally:
            scratch.dispose()
        _migrated.append(template)
    shutil.copyfile(_migrated[0], path)
    return Database(f"sqlite:///{path}")


def start_node(db: Database, node_id: str) -> Node:
    with db.unit_of_work() as session:
        init_node(session, actor=OPERATOR, node_id=node_id)
    return Node(node_id, db)


def introduce(node: Node, other: Node) -> None:
    """`node` imports `other`'s descriptor, checking the fingerprint as an operator would."""
    doc = other.descriptor()
    with node.db.unit_of_work() as session:
        add_peer(session, actor=OPERATOR, descriptor=doc, expected_fingerprint=doc["fingerprint"])


def remote_descriptor(node_id: str = "TN", keys: KeyPair | None = None) -> dict[str, Any]:
    """The descriptor of a node that exists only as keys (for tests that never deliver to it)."""
    keys = keys or KeyPair.generate()
    ident = Identity(
        node_id,
        f"Jusoor {node_id}",
        keys,
        fingerprint(node_id, keys.signing_public, keys.encryption_public),
    )
    return descriptor_of(ident, endpoint=ENDPOINT)


@contextmanager
def two_nodes(db_a: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    """A (MA, on `db_a`) and B (TN, on SQLite), each the other's peer."""
    db_b = sqlite_database(tmp_path / "node-b.db")
    try:
        a, b = start_node(db_a, "MA"), start_node(db_b, "TN")
        introduce(a, b)
        introduce(b, a)
        yield a, b
    finally:
        db_b.dispose()


def deliver(sender: Node, receiver: Node, *, force: bool = True) -> delivery.DeliveryReport:
    """One delivery pass of `sender`'s outbox into `receiver`'s real inbox."""
    with receiver.app_client() as client:
        return delivery.deliver(sender.db, force=force, client=client)


def post_envelope(receiver: Node, raw: bytes) -> httpx.Response:
    with receiver.app_client() as client:
        response: httpx.Response = client.post(
            delivery.INBOX_PATH, content=raw, headers={"content-type": "application/json"}
        )
        return response


# --- messages ---------------------------------------------------------------------------------


def information_request(**changes: Any) -> dict[str, Any]:
    return {
        "subject": "Recruiter's telephone number",
        "question": "Who holds the line +216 20 123 456, and since when?",
        "purpose": "To identify the recruiter of three victims.",
        **changes,
    }


def mla_request(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": "Bank records of a recruitment agency",
        "requesting_authority": "Ministry of Justice, Directorate of Criminal Affairs, Rabat",
        "proceeding_nature": "Criminal investigation of trafficking in persons for forced labour.",
        "conducting_authority": "Investigating judge, Court of First Instance of Casablanca.",
        "assistance_kind": "documents_records",
        "facts_summary": "Between 2024 and 2025, forty workers were recruited with false promises.",
        "assistance_sought": "Certified copies of the agency's bank statements for 2024-2025.",
        "persons_concerned": [{"name": "A. B.", "location": "Tunis", "nationality": "TN"}],
        "purpose": "To trace the payments made by the workers to the recruiters.",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def send(
    node: Node,
    kind: MessageType,
    fields: dict[str, Any],
    *,
    to: str | None = None,
    reply_to: uuid.UUID | None = None,
) -> uuid.UUID:
    """Queue a message on `node` (as its operator); its id."""
    with node.db.unit_of_work() as session:
        message = outbox.send(
            session, actor=OPERATOR, to=to, kind=kind, data=fields, reply_to=reply_to
        )
        return message.id


def craft(
    sender: Node,
    receiver: Node,
    *,
    kind: str = "information_request",
    content: dict[str, Any] | None = None,
    **header: Any,
) -> bytes:
    """An envelope sealed directly with `sender`'s keys, bypassing the sender's own checks;
    `header` overrides fields of a valid header."""
    with sender.db.unit_of_work() as session:
        keys = identity(session).keys
    with receiver.db.unit_of_work() as session:
        recipient_key = identity(session).keys.encryption_public
    now = utcnow().replace(microsecond=0)
    message_id = str(uuid.uuid4())
    full: dict[str, Any] = {
        "id": message_id,
        "sender": sender.node_id,
        "recipient": receiver.node_id,
        "type": kind,
        "created": iso(now),
        "expires": iso(now + dt.timedelta(days=1)),
        "handling": None,
        "reply_to": None,
        "thread": message_id,
        "sender_key": keys.signing_public,
        "recipient_key": recipient_key,
        **header,
    }
    body = {
        "content": information_request() if content is None else content,
        "author": "liaison.ma",
        "subject": "crafted",
    }
    return seal(full, body, sender=keys, recipient_key=recipient_key)


def header_of(raw: bytes) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(raw)["header"]
    return header


# --- reading a node's state -------------------------------------------------------------------


def message(node: Node, message_id: uuid.UUID) -> Message | None:
    with node.db.unit_of_work() as session:
        found = session.get(Message, message_id)
        if found is not None:
            session.expunge(found)
        return found


def outbox_entry(node: Node, message_id: uuid.UUID) -> OutboxEntry:
    with node.db.unit_of_work() as session:
        entry = session.get(OutboxEntry, message_id)
        assert entry is not None
        session.expunge(entry)
        return entry


def count(db: Database, model: type[Any]) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def audited(db: Database, action: str, object_id: object | None = None) -> list[AuditEvent]:
    """The audit events of `action` (on `object_id` when given), oldest first."""
    with db.unit_of_work() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == action)
        if object_id is not None:
            stmt = stmt.where(AuditEvent.object_id == str(object_id))
        events = list(session.scalars(stmt.order_by(AuditEvent.seq)))
        for event in events:
            session.expunge(event)
        return events
