"""The directory of competent authorities: entries are checked field by field, and what a peer
publishes replaces only what that peer published before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.exchange import directory
from jusoor.exchange.models import Contact, Peer
from tests.exchange.support import OPERATOR, Node, audited, deliver, start_node, two_nodes


def entry(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "central_authority_mla",
        "authority": "Ministère de la Justice, Direction des affaires pénales",
        "email": "entraide@justice.example.tn",
        "phone": "+216 71 561 440",
        "languages": ["ar", "FR"],
        "request_types": ["mla_request"],
        **changes,
    }


def add(db: Database, data: dict[str, Any]) -> Contact:
    with db.unit_of_work() as session:
        contact = directory.add_contact(session, actor=OPERATOR, country="tn", data=data)
        session.expunge(contact)
        return contact


def refused_field(db: Database, data: dict[str, Any]) -> str | None:
    with pytest.raises(Invalid) as caught:
        add(db, data)
    assert caught.value.message
    return caught.value.field


def contacts(db: Database) -> list[tuple[str | None, str]]:
    with db.unit_of_work() as session:
        rows = session.scalars(select(Contact))
        return sorted(((c.source, c.authority) for c in rows), key=lambda c: (c[0] or "", c[1]))


def test_a_contact_is_stored_with_its_phone_in_e164(database: Database) -> None:
    contact = add(database, entry())
    assert (contact.country, contact.source) == ("TN", None)
    assert contact.phone == "+21671561440"
    assert contact.languages == ["ar", "fr"]
    assert len(audited(database, "exchange.contact.added", contact.id)) == 1


@pytest.mark.parametrize("phone", ["071 561 440", "+216 1", "call the desk"])
def test_a_phone_number_without_country_code_or_impossible_is_refused(
    database: Database, phone: str
) -> None:
    assert refused_field(database, entry(phone=phone)) == "phone"


@pytest.mark.parametrize("email", ["entraide", "@justice.tn", "entraide @justice.tn"])
def test_an_email_that_is_not_an_address_is_refused(database: Database, email: str) -> None:
    assert refused_field(database, entry(email=email)) == "email"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "embassy"}, "kind"),
        ({"authority": ""}, "authority"),
        ({"request_types": ["gossip"]}, "request_types"),
        ({"languages": ["arabic language"]}, "languages"),
        ({"fax": "+216 71 000 000"}, "fax"),
    ],
)
def test_each_other_problem_names_its_field(
    database: Database, change: dict[str, Any], field: str
) -> None:
    assert refused_field(database, entry(**change)) == field
    assert contacts(database) == []


def test_a_peers_update_replaces_only_what_that_peer_published(database: Database) -> None:
    start_node(database, "MA")
    add(database, entry(authority="Own central authority"))
    tn, eg = Peer(node_id="TN"), Peer(node_id="EG")
    with database.unit_of_work() as session:
        directory.replace_from_peer(session, peer=tn, contacts=[entry(authority="TN first")])
        directory.replace_from_peer(session, peer=eg, contacts=[entry(authority="EG only")])
    with database.unit_of_work() as session:
        directory.replace_from_peer(
            session,
            peer=tn,
            contacts=[entry(authority="TN second"), entry(authority="TN third", phone="")],
        )
    assert contacts(database) == [
        (None, "Own central authority"),
        ("EG", "EG only"),
        ("TN", "TN second"),
        ("TN", "TN third"),
    ]


def test_a_peer_publishes_only_for_its_own_country(database: Database) -> None:
    with database.unit_of_work() as session:
        directory.replace_from_peer(
            session, peer=Peer(node_id="TN"), contacts=[entry(country="EG", authority="Fake EG")]
        )
    with database.unit_of_work() as session:
        [stored] = session.scalars(select(Contact)).all()
        assert (stored.country, stored.source) == ("TN", "TN")


def test_an_update_with_one_bad_entry_changes_nothing(database: Database) -> None:
    tn = Peer(node_id="TN")
    with database.unit_of_work() as session:
        directory.replace_from_peer(session, peer=tn, contacts=[entry(authority="TN first")])
    with pytest.raises(Invalid), database.unit_of_work() as session:
        directory.replace_from_peer(
            session, peer=tn, contacts=[entry(authority="TN second"), entry(phone="0")]
        )
    assert contacts(database) == [("TN", "TN first")]


@pytest.fixture
def nodes(database: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with two_nodes(database, tmp_path) as pair:
        yield pair


def test_a_published_directory_reaches_the_peer(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    with b.db.unit_of_work() as session:
        directory.add_contact(session, actor=OPERATOR, country="TN", data=entry())
        assert directory.publish(session, actor=OPERATOR) == ["MA"]
    assert deliver(b, a).delivered == 1
    with a.db.unit_of_work() as session:
        [received] = session.scalars(select(Contact)).all()
        assert (received.source, received.country, received.phone) == (
            "TN",
            "TN",
            "+21671561440",
        )
