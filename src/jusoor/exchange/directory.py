"""The directory of competent authorities and contact points, per country and request type.

Each node keeps its own country's entries and publishes them to its peers (a `directory_update`
message replaces everything that peer published before), after UNODC's directory of competent
national authorities (CNA) and UNTOC art. 18(13) (each State designates a central authority).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import phonenumbers
import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.validation import problems
from jusoor.exchange.models import Contact, Peer
from jusoor.exchange.vocabulary import OPENING_TYPES, ContactKind

MAX_CONTACTS_PER_PEER = 500


class ContactIn(BaseModel):
    """One entry, as typed by a liaison officer or as published by a peer."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: ContactKind
    authority: str = Field(min_length=2, max_length=300)
    unit: str = Field(default="", max_length=300)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    languages: list[str] = Field(default_factory=list, max_length=10)
    request_types: list[str] = Field(default_factory=list, max_length=10)
    notes: str = Field(default="", max_length=2000)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        local, _at, domain = value.partition("@")
        if value and (not local or " " in value or "." not in domain.strip(".") or "@" in domain):
            raise ValueError(_("This is not an e-mail address."))
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not value:
            return value
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            raise ValueError(
                _("Write the phone number with its country code, such as +212 …")
            ) from None
        if not phonenumbers.is_possible_number(number):
            raise ValueError(_("This phone number is not possible."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for code in value:
            if not (2 <= len(code) <= 8 and code.replace("-", "").isalpha()):
                raise ValueError(_("Choose the languages from the list."))
        return [code.lower() for code in value]

    @field_validator("request_types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        known = {kind.value for kind in OPENING_TYPES}
        for kind in value:
            if kind not in known:
                raise ValueError(_("%(value)s is not a request type.", value=kind))
        return value


def _parse(data: Any) -> ContactIn:
    try:
        return ContactIn.model_validate(data)
    except ValidationError as exc:
        field, message = problems(exc)[0]
        raise Invalid(field, message) from None


def as_dict(contact: Contact) -> dict[str, Any]:
    return {
        "country": contact.country,
        "kind": contact.kind.value,
        "authority": contact.authority,
        "unit": contact.unit,
        "email": contact.email,
        "phone": contact.phone,
        "languages": list(contact.languages),
        "request_types": list(contact.request_types),
        "notes": contact.notes,
    }


def list_contacts(
    session: Session, *, actor: Actor, country: str | None = None
) -> Sequence[Contact]:
    actor.require("exchange.directory.read")
    stmt = select(Contact).order_by(Contact.country, Contact.kind, Contact.authority)
    if country:
        stmt = stmt.where(Contact.country == country.upper())
    return session.scalars(stmt).all()


def own_contacts(session: Session) -> Sequence[Contact]:
    return session.scalars(select(Contact).where(Contact.source.is_(None))).all()


def add_contact(session: Session, *, actor: Actor, country: str, data: Any) -> Contact:
    """A contact point of this node's own country (published to peers with `publish`)."""
    actor.require("exchange.directory.manage")
    entry = _parse(data)
    code = (country or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise Invalid("country", _("%(value)s is not an ISO country code.", value=country))
    contact = Contact(country=code, source=None, **entry.model_dump())
    session.add(contact)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.contact.added",
        object_type="exchange_contact",
        object_id=contact.id,
        details={"kind": contact.kind.value},
    )
    return contact


def remove_contact(session: Session, *, actor: Actor, contact_id: Any) -> None:
    actor.require("exchange.directory.manage")
    contact = session.get(Contact, contact_id)
    if contact is None or contact.source is not None:
        raise NotFound(_("No contact of this node has that id."))
    session.delete(contact)
    audit.record(
        session,
        actor=actor,
        action="exchange.contact.removed",
        object_type="exchange_contact",
        object_id=contact_id,
    )


def replace_from_peer(session: Session, *, peer: Peer, contacts: Any) -> int:
    """A peer's published directory replaces what it published before (all or nothing)."""
    if not isinstance(contacts, list) or len(contacts) > MAX_CONTACTS_PER_PEER:
        raise Invalid("contacts", _("The directory update is not a list of contacts."))
    parsed = []
    for item in contacts:
        if not isinstance(item, dict):
            raise Invalid("contacts", _("The directory update is not a list of contacts."))
        data = {k: v for k, v in item.items() if k != "country"}
        parsed.append(_parse(data))
    session.execute(delete(Contact).where(Contact.source == peer.node_id))
    for entry in parsed:
        session.add(
            Contact(
                country=peer.node_id[:2],
                source=peer.node_id,
                updated_at=utcnow(),
                **entry.model_dump(),
            )
        )
    session.flush()
    return len(parsed)


def publish(session: Session, *, actor: Actor) -> list[str]:
    """Send this node's own entries to every active peer (each replaces what it held from us)."""
    actor.require("exchange.directory.manage")
    from jusoor.exchange.transport.outbox import send_system
    from jusoor.exchange.vocabulary import MessageType

    entries = [
        {k: v for k, v in as_dict(c).items() if k != "country"} for c in own_contacts(session)
    ]
    told = []
    for peer in session.scalars(select(Peer).where(Peer.active.is_(True)).order_by(Peer.node_id)):
        send_system(
            session,
            actor=actor,
            peer=peer,
            kind=MessageType.directory_update,
            content={"contacts": entries},
        )
        told.append(peer.node_id)
    audit.record(
        session,
        actor=actor,
        action="exchange.directory.published",
        object_type="exchange_contact",
        details={"peers": told, "entries": len(entries)},
    )
    return told
