"""Formal identification: a decision taken by an authorised role, separate from the screening.

The screening tool supports a decision and never makes it (OSCE/ODIHR NRM handbook, 2nd ed.,
2022: identification is the act of a competent authority). A decision records its basis
(encrypted) and the HTCDS 2.0 status `vic_TraffickingStatus` (possible / actual / not a victim),
and is linked to the screening and, when one was opened, to the case.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.screening import service as screenings
from jusoor.screening.models import Identification, Screening, ScreeningStatus
from jusoor.screening.schemas import IdentificationCreate

DECIDE = "identification.decide"


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
    session.flush()
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
    if identification is None or screening is None or not _may_read(actor, screening):
        raise NotFound(_("No such identification."))
    record(
        session,
        actor=actor,
        action="identification.read",
        object_type="identification",
        object_id=str(identification.id),
    )
    return identification


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


def _may_read(actor: Actor, screening: Screening) -> bool:
    return screenings.may_see(actor, screening) or may_decide(actor, screening)
