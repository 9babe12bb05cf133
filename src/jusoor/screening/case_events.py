"""What formal identification writes on a case's timeline (registered with cases.extensions).

One event code per decision, so that the timeline names the decision in words without the case
page knowing this domain. Written when a decision is taken on a screening already linked to a
case, and when a case is opened from a screening already decided. Codes only in `details`: the
basis stays with the decision, encrypted.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jusoor.cases.models import Case
from jusoor.cases.timeline import record_event
from jusoor.core.i18n import N_
from jusoor.core.permissions import Actor
from jusoor.screening.models import Identification, TraffickingStatus

EVENTS = {
    TraffickingStatus.actual: "identified",
    TraffickingStatus.not_a_victim: "not_identified",
    TraffickingStatus.possible: "identified_possible",
}
LABELS = {
    "identified": N_("Identified as a victim of trafficking"),
    "not_identified": N_("Not identified as a victim of trafficking"),
    "identified_possible": N_("Identified as a possible victim of trafficking"),
}


def record_decision(
    session: Session, *, actor: Actor, case: Case, identification: Identification
) -> None:
    """Put `identification` on `case`'s timeline."""
    details = {
        "identification_id": str(identification.id),
        "screening_id": str(identification.screening_id),
        "status": identification.status.value,
    }
    record_event(
        session, actor=actor, case=case, kind=EVENTS[identification.status], details=details
    )
