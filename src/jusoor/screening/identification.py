"""Formal identification: a decision taken by an authorised role, separate from the screening.

The screening tool supports a decision and never makes it (OSCE/ODIHR NRM handbook, 2nd ed.,
2022: identification is the act of a competent authority). A decision records its basis
(encrypted) and the HTCDS 2.0 status `vic_TraffickingStatus` (possible / actual / not a victim),
and is linked to the screening and, when one was opened, to the case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User
from jusoor.audit.service import record
from jusoor.cases.models import Case
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.screening import case_events
from jusoor.screening import service as screenings
from jusoor.screening.models import Identification, Screening, ScreeningStatus, TraffickingStatus
from jusoor.screening.schemas import IdentificationCreate

DECIDE = "identification.decide"
# The conclusive decisions; a "possible" one is provisional and keeps the screening in the queue.
FINAL = (TraffickingStatus.actual, TraffickingStatus.not_a_victim)


def decide(
    session: Session, *, actor: Actor, identification_in: IdentificationCreate
) -> Identification:
    """Record a formal identification on a completed screening the caller may decide on."""
    actor.require(DECIDE)
    if actor.user_id is None or actor.agency_id is None or actor.country is None:
        raise Forbidden(_("Only a signed-in user of an agency can record an identification."))
    screening = session.get(Screening, identification_in.screening_id)
    if screening is None or not may_decide(actor, screening):
        raise NotFound(_("No such screening."))
    if screening.status is not ScreeningStatus.completed:
        raise Invalid(
            "screening_id",
            _("The screening must be completed before an identification is recorded."),
        )
    identification = Identification(
        screening_id=screening.id,
        case_id=screening.case_id,
        status=identification_in.status,
        basis=identification_in.basis,
        decided_by=actor.user_id,
        agency_id=actor.agency_id,
        country=actor.country,
    )
    session.add(identification)
    if identification.status in FINAL:
        screening.decided_final = True  # leaves the identification queue (its index, `queue`)
    session.flush()
    case = session.get(Case, screening.case_id) if screening.case_id else None
    if case is not None:
        case_events.record_decision(session, actor=actor, case=case, identification=identification)
    record(
        session,
        actor=actor,
        action="identification.create",
        object_type="identification",
        object_id=str(identification.id),
        details={"screening_id": str(screening.id), "status": identification.status.value},
    )
    return identification


def get(session: Session, *, actor: Actor, identification_id: uuid.UUID) -> Identification:
    """One decision, when the caller may see its screening (audited)."""
    identification = session.get(Identification, identification_id)
    screening = session.get(Screening, identification.screening_id) if identification else None
    if identification is None or screening is None or not _may_read(session, actor, screening):
        raise NotFound(_("No such identification."))
    record(
        session,
        actor=actor,
        action="identification.read",
        object_type="identification",
        object_id=str(identification.id),
    )
    return identification


def basis_visible(session: Session, *, actor: Actor, identification: Identification) -> bool:
    """Whether the caller, who has read `identification` with `get`, may read its basis."""
    screening = session.get(Screening, identification.screening_id)
    return screening is not None and may_read_basis(session, actor, screening)


def for_screening(session: Session, *, screening: Screening) -> Sequence[Identification]:
    """The decisions on a screening the caller has already loaded (and whose read is audited)."""
    return session.scalars(
        select(Identification)
        .where(Identification.screening_id == screening.id)
        .order_by(Identification.decided_at)
    ).all()


def may_decide(actor: Actor, screening: Screening) -> bool:
    return in_scope(
        actor,
        DECIDE,
        agency_id=screening.agency_id,
        country=screening.country,
        owner_id=screening.screener_id,
    )


def _may_read(session: Session, actor: Actor, screening: Screening) -> bool:
    return screenings.may_read(session, actor, screening) or may_decide(actor, screening)


def may_read_basis(session: Session, actor: Actor, screening: Screening) -> bool:
    """The grounds of a decision (facts of the exploitation, legal reasoning) are for the
    authority that decides and for the case worker holding the case, not for every reader of the
    screening (the screener sees the decision, not its grounds)."""
    return (
        may_decide(actor, screening) or screenings.case_held(session, actor, screening) is not None
    )


@dataclass(frozen=True)
class Decision:
    """A decision as one reader may see it: `basis` is None when they may not read it."""

    id: uuid.UUID
    status: TraffickingStatus
    decided_at: dt.datetime
    decided_by: str  # the decider's display name
    agency: str  # the deciding agency's name, in the reader's language
    basis: str | None

    @property
    def final(self) -> bool:
        return self.status in FINAL


def decisions_on(
    session: Session, *, actor: Actor, screening: Screening, locale: str
) -> list[Decision]:
    """The decisions on a screening the caller has already loaded (so checked and audited),
    oldest first, with the decider's name; the basis only for those who may read it."""
    with_basis = may_read_basis(session, actor, screening)
    rows = session.execute(
        select(Identification, User.display_name, Agency)
        .join(User, User.id == Identification.decided_by)
        .join(Agency, Agency.id == Identification.agency_id)
        .where(Identification.screening_id == screening.id)
        .order_by(Identification.decided_at, Identification.id)
    ).all()
    return [
        Decision(
            id=i.id,
            status=i.status,
            decided_at=i.decided_at,
            decided_by=name,
            agency=agency.name(locale),
            basis=i.basis if with_basis else None,
        )
        for i, name, agency in rows
    ]


def latest_by_screening(
    session: Session, screening_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, TraffickingStatus]:
    """The latest decision's status per screening (for lists the caller already filtered)."""
    if not screening_ids:
        return {}
    found = session.execute(
        select(Identification.screening_id, Identification.status)
        .where(Identification.screening_id.in_(screening_ids))
        .order_by(Identification.decided_at, Identification.id)  # uuid7: in creation order
    ).all()
    return {screening_id: status for screening_id, status in found}  # the latest wins
