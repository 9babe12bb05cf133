"""A transnational referral accepted here opens or links the person's local case.

Accepting a referral from another country's NRM is a promise to take the person in: the
acknowledgement that says so is sent only together with a local case, held by a case worker of
this country who finds the arrival among their cases and tasks (OSCE/ODIHR, Guiding Principles
on Human Rights in the Return of Trafficked Persons, 2014: the receiving NRM's case management
starts before arrival). A case already opened for the person is linked rather than duplicated:
the one the same sender's earlier referral of the same person (its case reference) led to.
Everything happens in the caller's transaction, with the acknowledgement (exchange.outbox).

The liaison officer who accepts may neither open nor read cases (permissions.yaml): the node opens
the case on the decision, audited under the officer's name, and the officer learns only the
case's reference and who holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User, UserRole
from jusoor.audit import service as audit
from jusoor.cases import service as cases
from jusoor.cases.models import Case
from jusoor.cases.schemas import CaseCreate, CaseProfile, TaskCreate
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, system_actor
from jusoor.exchange.models import Message
from jusoor.exchange.nodes import node
from jusoor.exchange.vocabulary import Direction, MessageType
from jusoor.web.labels import country_name

# The code of the case-timeline event an accepted referral from abroad writes (exchange.domain).
CASE_EVENT = "referral_from_abroad"
ACCEPTED = "accepted"
TASK_DAYS = 2  # the case worker prepares the arrival within two days, or by the request's deadline


def accepts(opening: Message, kind: MessageType, content: dict[str, Any]) -> bool:
    """Whether this message accepts a referral received from abroad (and so must take it in)."""
    return (
        kind is MessageType.acknowledgement
        and content.get("decision") == ACCEPTED
        and opening.type is MessageType.transnational_referral
        and opening.direction is Direction.incoming
    )


def _country(session: Session) -> str | None:
    return node.identity(session).node_id[:2] if node.has_identity(session) else None


def case_workers(session: Session, *, actor: Actor) -> Sequence[User]:
    """Whom an accepted referral can be routed to: the active case workers of this node's country."""
    actor.require("exchange.send")
    stmt = (
        select(User)
        .join(User.agency)
        .where(User.active.is_(True), User.role_rows.any(UserRole.role == "case_worker"))
        .order_by(User.username)
    )
    country = _country(session)
    if country is not None:
        stmt = stmt.where(Agency.country == country)
    return session.scalars(stmt).unique().all()


def _earlier_case(session: Session, opening: Message, reference: str) -> Case | None:
    """The case an earlier accepted referral of the same person, by the same sender, opened."""
    if not reference:
        return None
    earlier = session.scalars(
        select(Message).where(
            Message.type == MessageType.transnational_referral,
            Message.direction == Direction.incoming,
            Message.peer == opening.peer,
            Message.case_id.is_not(None),
            Message.id != opening.id,
        )
    )
    for message in earlier:
        if message.case_id is not None and _content(message).get("case_reference") == reference:
            return session.get(Case, message.case_id)
    return None


def _content(message: Message) -> dict[str, Any]:
    from jusoor.exchange.queries import content_of

    return content_of(message)


def _owner(session: Session, actor: Actor, case_worker: str | None) -> User:
    chosen = (case_worker or "").strip().lower()
    workers = case_workers(session, actor=actor)
    if not workers:
        raise Invalid(
            "case_worker",
            _(
                "No case worker of this country can take the person: an administrator adds one first."
            ),
        )
    if not chosen:
        return workers[0]
    found = next((user for user in workers if user.username == chosen), None)
    if found is None:
        raise Invalid("case_worker", _("Choose a case worker of this country."))
    return found


def _profile(shared: dict[str, Any], owner: User) -> CaseCreate:
    """The new case's profile from the fields the sender shared, each kept only if valid here."""
    base: dict[str, Any] = {"owner_username": owner.username, "agency_code": owner.agency.code}
    kept: dict[str, Any] = {}
    for name, value in shared.items():
        if name not in CaseProfile.model_fields or name == "is_child":
            continue
        try:
            CaseCreate.model_validate({**base, **kept, name: value})
        except ValidationError:
            continue  # a value this node's vocabulary does not hold: it stays in the referral
        kept[name] = value
    return CaseCreate.model_validate({**base, **kept})


def _claim(session: Session, opening: Message) -> None:
    """Mark the referral accepted, once: a second click, or a second request racing the first,
    finds it taken and is refused (a conditional UPDATE, so no two cases are opened)."""
    taken = session.execute(
        update(Message)
        .where(
            Message.id == opening.id,
            or_(Message.decision.is_(None), Message.decision != ACCEPTED),
        )
        .values(decision=ACCEPTED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        raise Conflict(_("This referral has already been accepted."), field="_form")
    opening.decision = ACCEPTED


def take_in(
    session: Session, *, actor: Actor, opening: Message, case_worker: str | None = None
) -> Case:
    """Open or link the local case of the incoming referral `opening` being accepted, and route
    it to a case worker with a task; audited. `case_worker` (a username) holds a new case;
    default: the first case worker of this country."""
    actor.require("exchange.send")
    content = _content(opening)
    reference = str(content.get("case_reference") or "")
    linked = _earlier_case(session, opening, reference)
    owner = linked.owner if linked is not None else _owner(session, actor, case_worker)
    _claim(session, opening)
    # The node opens the case on the officer's decision: audited under the officer's name.
    node_actor = system_actor(f"exchange:{actor.username}"[:64], request_id=actor.request_id)
    case = linked or cases.open_case(
        session, actor=node_actor, case_in=_profile(dict(content.get("shared") or {}), owner)
    )
    opening.case_id = case.id
    country = country_name(opening.peer[:2])
    task = TaskCreate(
        title=_(
            "Prepare the arrival of the person referred by %(country)s (%(reference)s): %(subject)s",
            country=country,
            reference=reference or "—",
            subject=opening.subject,
        )[:300],
        due_on=_due(opening),
    )
    cases.add_task(session, actor=node_actor, case_id=case.id, task_in=task)
    details = {
        "from": opening.peer,
        "message_id": str(opening.id),
        "reference_abroad": reference or None,
        "linked": linked is not None,
        "owner": owner.username,
    }
    cases.record_event(session, actor=node_actor, case=case, kind=CASE_EVENT, details=details)
    audit.record(
        session,
        actor=actor,
        action="exchange.referral.taken_in",
        object_type="case",
        object_id=case.id,
        details={**details, "reference": case.reference},
    )
    return case


def _due(opening: Message) -> dt.date:
    soon = utcnow().date() + dt.timedelta(days=TASK_DAYS)
    return min(soon, opening.deadline) if opening.deadline else soon


@dataclass(frozen=True)
class TakenIn:
    """What the liaison officer is told of the case an accepted referral opened or linked."""

    reference: str
    holder: str  # the case worker's name
    username: str


def taken_in(session: Session, opening: Message) -> TakenIn | None:
    """The local case of an accepted referral from abroad, as its thread page names it."""
    if opening.direction is not Direction.incoming or opening.case_id is None:
        return None
    case = session.get(Case, opening.case_id)
    if case is None:
        return None
    return TakenIn(case.reference, case.owner.display_name, case.owner.username)
