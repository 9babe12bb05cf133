"""Keys and peers: a fingerprint binds the node id to both keys, and a peer is imported only when
its descriptor is intact, self-signed and the fingerprint read out by its operator matches."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid
from jusoor.core.permissions import Actor
from jusoor.exchange.models import Message, NodeKey, OutboxEntry, Peer
from jusoor.exchange.nodes.keys import (
    KeyPair,
    display_fingerprint,
    fingerprint,
    fingerprint_matches,
)
from jusoor.exchange.nodes.peers import add_peer
from jusoor.exchange.nodes.rotation import rotate_and_announce
from jusoor.exchange.transport.canonical import canonical
from jusoor.exchange.transport.envelope import seal
from jusoor.exchange.vocabulary import Direction, MessageType
from tests.exchange.support import (
    ENDPOINT,
    OPERATOR,
    Node,
    audited,
    count,
    craft,
    deliver,
    information_request,
    message,
    post_envelope,
    remote_descriptor,
    send,
    start_node,
    two_nodes,
)


def descriptor(node_id: str = "TN", keys: KeyPair | None = None) -> dict[str, Any]:
    return remote_descriptor(node_id, keys)


def resigned(doc: dict[str, Any], keys: KeyPair) -> dict[str, Any]:
    """`doc` signed again by `keys`, as someone editing a descriptor would try."""
    unsigned = {k: v for k, v in doc.items() if k != "signature"}
    return {**unsigned, "signature": keys.sign(canonical(unsigned))}


def add(db: Database, doc: Any, **options: Any) -> Peer:
    with db.unit_of_work() as session:
        peer = add_peer(session, actor=OPERATOR, descriptor=doc, **options)
        session.expunge(peer)
        return peer


def refusal(db: Database, doc: Any, error: type[Exception] = Invalid, **options: Any) -> Any:
    with pytest.raises(error) as caught:
        add(db, doc, **options)
    return caught.value


# --- fingerprints -----------------------------------------------------------------------------


def test_the_fingerprint_changes_with_the_node_id_or_either_key() -> None:
    one, other = KeyPair.generate(), KeyPair.generate()
    base = fingerprint("TN", one.signing_public, one.encryption_public)
    assert base == fingerprint("TN", one.signing_public, one.encryption_public)
    assert (
        len(
            {
                base,
                fingerprint("EG", one.signing_public, one.encryption_public),
                fingerprint("TN", other.signing_public, one.encryption_public),
                fingerprint("TN", one.signing_public, other.encryption_public),
            }
        )
        == 4
    )


def test_a_fingerprint_read_aloud_matches_but_a_short_prefix_does_not() -> None:
    keys = KeyPair.generate()
    full = fingerprint("TN", keys.signing_public, keys.encryption_public)
    spoken = display_fingerprint(full)
    assert len(spoken.split()) == 8
    assert fingerprint_matches(full, spoken)
    assert fingerprint_matches(full, spoken.lower().replace(" ", ":"))
    assert not fingerprint_matches(full, full[:16])
    wrong = ("0" if full[0] != "0" else "1") + full[1:]
    assert not fingerprint_matches(full, wrong)


# --- importing peers --------------------------------------------------------------------------


def test_a_peer_is_added_with_the_fingerprint_its_operator_read_out(database: Database) -> None:
    start_node(database, "MA")
    doc = descriptor("TN")
    peer = add(database, doc, expected_fingerprint=display_fingerprint(doc["fingerprint"]))
    assert (peer.node_id, peer.fingerprint, peer.endpoint) == ("TN", doc["fingerprint"], ENDPOINT)
    [event] = audited(database, "exchange.peer.added", "TN")
    assert event.actor_username == OPERATOR.username


def test_a_wrong_expected_fingerprint_is_refused(database: Database) -> None:
    start_node(database, "MA")
    doc = descriptor("TN")
    someone_else = descriptor("TN")["fingerprint"]
    assert refusal(database, doc, expected_fingerprint=someone_else).field == "fingerprint"
    assert count(database, Peer) == 0
    assert audited(database, "exchange.peer.added") == []


def test_a_descriptor_whose_fingerprint_field_was_edited_is_refused(database: Database) -> None:
    start_node(database, "MA")
    keys = KeyPair.generate()
    doc = descriptor("TN", keys)
    forged = resigned({**doc, "fingerprint": descriptor("TN")["fingerprint"]}, keys)
    error = refusal(database, forged, expected_fingerprint=forged["fingerprint"])
    assert error.field == "fingerprint"
    assert count(database, Peer) == 0


@pytest.mark.parametrize("edit", ["signature", "endpoint", "name"])
def test_a_descriptor_whose_signature_does_not_hold_is_refused(
    database: Database, edit: str
) -> None:
    start_node(database, "MA")
    doc = descriptor("TN")
    if edit == "signature":
        broken = {**doc, "signature": descriptor("TN")["signature"]}
    else:
        broken = {**doc, edit: doc[edit] + "x" if edit == "name" else "https://elsewhere.example"}
    assert refusal(database, broken).field == "descriptor"
    assert count(database, Peer) == 0


def test_a_descriptor_with_an_unknown_field_is_refused(database: Database) -> None:
    start_node(database, "MA")
    assert refusal(database, {**descriptor("TN"), "extra": "x"}).field == "descriptor"


def test_the_nodes_own_descriptor_is_refused(database: Database) -> None:
    node = start_node(database, "MA")
    own = node.descriptor()
    error = refusal(database, own, expected_fingerprint=own["fingerprint"])
    assert error.field == "descriptor"
    assert count(database, Peer) == 0


def test_a_known_peer_with_other_keys_is_replaced_only_when_asked(database: Database) -> None:
    start_node(database, "MA")
    first = descriptor("TN")
    add(database, first)
    second = descriptor("TN")
    assert refusal(database, second, Conflict).field == "descriptor"
    with database.unit_of_work() as session:
        kept = session.get(Peer, "TN")
        assert kept is not None and kept.fingerprint == first["fingerprint"]

    replaced = add(database, second, replace=True)
    assert replaced.fingerprint == second["fingerprint"]
    assert len(audited(database, "exchange.peer.replaced", "TN")) == 1


def test_importing_the_same_descriptor_again_is_an_audited_update(database: Database) -> None:
    start_node(database, "MA")
    doc = descriptor("TN")
    add(database, doc)
    add(database, doc)
    assert count(database, Peer) == 1
    assert len(audited(database, "exchange.peer.added", "TN")) == 1
    assert len(audited(database, "exchange.peer.updated", "TN")) == 1


def test_a_liaison_officer_cannot_import_a_peer(database: Database) -> None:
    start_node(database, "MA")
    liaison = Actor(
        user_id=None,
        username="liaison.ma",
        agency_id=None,
        country="MA",
        roles=frozenset({"liaison_officer"}),
    )
    with pytest.raises(Forbidden), database.unit_of_work() as session:
        add_peer(session, actor=liaison, descriptor=descriptor("TN"))
    assert count(database, Peer) == 0


# --- key rotation, across two nodes -----------------------------------------------------------


def rotate(node: Node) -> tuple[str, list[str]]:
    with node.db.unit_of_work() as session:
        new, told = rotate_and_announce(session, actor=OPERATOR)
        return new.fingerprint, told


def peer_of(node: Node, node_id: str) -> Peer:
    with node.db.unit_of_work() as session:
        peer = session.get(Peer, node_id)
        assert peer is not None
        session.expunge(peer)
        return peer


def test_a_rotation_is_announced_to_every_peer(database: Database, tmp_path: Path) -> None:
    with two_nodes(database, tmp_path) as (a, _b):
        old = a.descriptor()["fingerprint"]
        new, told = rotate(a)
        assert told == ["TN"] and new != old
        new_signing_key = a.descriptor()["signing_key"]
        with a.db.unit_of_work() as session:
            [announcement] = session.scalars(
                select(Message).where(Message.type == MessageType.key_rotation)
            ).all()
            assert announcement.peer == "TN"
            entry = session.get(OutboxEntry, announcement.id)
            assert entry is not None and entry.pending
            # Signed with the key the peer already trusts.
            assert json.loads(entry.envelope)["header"]["sender_key"] != new_signing_key
        assert len(audited(a.db, "exchange.node.rotate_keys", "MA")) == 1


def test_a_peer_learns_the_new_keys_and_accepts_messages_signed_with_them(
    database: Database, tmp_path: Path
) -> None:
    with two_nodes(database, tmp_path) as (a, b):
        old_signing_key = a.descriptor()["signing_key"]
        new_fingerprint, _ = rotate(a)
        assert deliver(a, b).delivered == 1
        known = peer_of(b, "MA")
        assert known.fingerprint == new_fingerprint
        assert known.previous_signing_key == old_signing_key
        assert len(audited(b.db, "exchange.peer.rotated", "MA")) == 1

        after = send(a, MessageType.information_request, information_request(), to="TN")
        assert deliver(a, b).delivered == 1
        received = message(b, after)
        assert received is not None and received.direction is Direction.incoming


def test_what_was_sealed_to_the_old_key_is_still_opened(database: Database, tmp_path: Path) -> None:
    with two_nodes(database, tmp_path) as (a, b):
        in_flight = send(b, MessageType.information_request, information_request(), to="MA")
        rotate(a)
        deliver(b, a)
        received = message(a, in_flight)
        assert received is not None and received.subject == information_request()["subject"]
        # A signs its receipt with its new key: B takes it once the announcement reaches it.
        assert deliver(a, b).delivered == 1
        assert deliver(b, a).delivered == 1
        assert count(a.db, Message) == 2  # the request, and A's own announcement


def test_a_message_signed_before_the_rotation_is_accepted_after_it(
    database: Database, tmp_path: Path
) -> None:
    with two_nodes(database, tmp_path) as (a, b):
        rotate(a)
        assert deliver(a, b).delivered == 1  # B now knows the new keys
        old_keys_message = craft_with_previous_key(a, b)
        assert post_envelope(b, old_keys_message).status_code == 200


def craft_with_previous_key(
    a: Node,
    b: Node,
    *,
    kind: str = "information_request",
    content: dict[str, Any] | None = None,
) -> bytes:
    """An envelope A sealed with its retired signing key (still in transit at the rotation)."""
    with a.db.unit_of_work() as session:
        retired = session.scalars(select(NodeKey).where(NodeKey.retired_at.is_not(None))).one()
        keys = KeyPair(
            signing_private=base64.b64decode(retired.signing_private),
            encryption_private=base64.b64decode(retired.encryption_private),
        )
    raw = craft(a, b, kind=kind)
    wire = json.loads(raw)
    header = {**wire["header"], "sender_key": keys.signing_public}
    body = {
        "content": information_request() if content is None else content,
        "author": "liaison.ma",
        "subject": "x",
    }
    return seal(header, body, sender=keys, recipient_key=header["recipient_key"])


def test_the_retired_key_cannot_announce_another_rotation(
    database: Database, tmp_path: Path
) -> None:
    """Keys are rotated because the old one may be compromised: during the grace it still signs
    messages in transit, but it cannot hand the node's identity to other keys."""
    with two_nodes(database, tmp_path) as (a, b):
        new_fingerprint, _ = rotate(a)
        assert deliver(a, b).delivered == 1
        thief = KeyPair.generate()
        hijack = craft_with_previous_key(
            a,
            b,
            kind="key_rotation",
            content={"descriptor": remote_descriptor("MA", thief)},
        )
        response = post_envelope(b, hijack)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "envelope_signature"
        assert len(audited(b.db, "exchange.envelope.rejected")) == 1
        assert peer_of(b, "MA").fingerprint == new_fingerprint
