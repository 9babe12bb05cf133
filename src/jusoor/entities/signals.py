"""Hit / no hit: what a search tells someone who may not read the cases that match it.

A phone, e-mail, document number or whole name searched in the entity store may match records
mirrored from case files the searcher may not read (`scope.visible`). They are not shown — not a
name, a caption, a case reference or an id — but the searcher learns that *a case of agency X
holds a matching record*, and whom to ask: that agency decides what it may share (need-to-know
with no dead end; the hit/no-hit pattern of the Prüm decisions, 2008/615/JHA art. 3). Only
identifiers (phone, e-mail, document, vehicle, account) and a whole name of two words or more
speak: one name (which also matches aliases and spellings in other scripts) is no signal. One
agency is named once, with no count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, not_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.entities.matching import matchkeys
from jusoor.entities.models import Entity, EntityKey
from jusoor.entities.scope import READ, tied_to_case, visible

# Where the searcher finds how to reach an authority (readable by investigators and prosecutors).
CONTACTS_PAGE = "/exchange/contacts"
IDENTIFIER_KINDS = frozenset({"phone", "email", "document", "vehicle", "account"})


@dataclass(frozen=True)
class CaseSignal:
    """A case of this agency holds a record matching the search; nothing else about it."""

    agency_id: uuid.UUID
    agency_code: str
    agency_name: str
    country: str


def _name(agency: Agency) -> str:
    names = {"ar": agency.name_ar, "fr": agency.name_fr}
    return names.get(current_locale(), agency.name_en) or agency.name_en


def signal_message(signal: CaseSignal) -> str:
    """The plain sentence shown in place of the records."""
    return _(
        "A case file of %(agency)s holds a record matching your search. You may not read it: "
        "ask %(agency)s, who decide what they may share.",
        agency=signal.agency_name,
    )


def case_signals(session: Session, *, actor: Actor, text: str) -> list[CaseSignal]:
    """The agencies whose case records, hidden from the actor, share a strong key with `text`.

    Audited as `entity.case_signal` (what was searched is not stored: only that it signalled)."""
    actor.require(READ)
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    speaking = IDENTIFIER_KINDS | ({"name"} if len(words) >= 2 else set())
    digests = [d for kind, d in matchkeys.query_keys(text, actor.country) if kind in speaking]
    if not digests:
        return []
    holding = (
        select(Entity.agency_id)
        .join(EntityKey, EntityKey.entity_id == Entity.id)
        .where(
            EntityKey.digest.in_(digests),
            EntityKey.kind.in_(sorted(speaking)),
            and_(tied_to_case(), not_(visible(actor))),
        )
        .distinct()
    )
    agencies = session.scalars(
        select(Agency).where(Agency.id.in_(holding)).order_by(Agency.country, Agency.code)
    ).all()
    found = [CaseSignal(a.id, a.code, _name(a), a.country) for a in agencies]
    if found:
        audit.record(
            session,
            actor=actor,
            action="entity.case_signal",
            object_type="agency",
            details={"agencies": [s.agency_code for s in found]},
        )
    return found
