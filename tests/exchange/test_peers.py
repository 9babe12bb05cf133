"""Keys and peers: a fingerprint binds the node id to both keys, and a peer is imported only when
its descriptor is intact, self-signed and the fingerprint read out by its operator matches."""

from __future__ import annotations

from typing import Any

import pytest

from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid
from jusoor.core.permissions import Actor
from jusoor.exchange.canonical import canonical
from jusoor.exchange.keys import KeyPair, display_fingerprint, fingerprint, fingerprint_matches
from jusoor.exchange.models import Peer
from jusoor.exchange.node import Identity, descriptor_of
from jusoor.exchange.peers import add_peer
from tests.exchange.support import ENDPOINT, OPERATOR, audited, count, start_node


def peer_identity(node_id: str = "TN", keys: KeyPair | None = None) -> Identity:
    keys = keys or KeyPair.generate()
    return Identity(
        node_id,
        f"Jusoor {node_id}",
        keys,
        fingerprint(node_id, keys.signing_public, keys.encryption_public),
    )


def descriptor(node_id: str = "TN", keys: KeyPair | None = None) -> dict[str, Any]:
    return descriptor_of(peer_identity(node_id, keys), endpoint=ENDPOINT)


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
