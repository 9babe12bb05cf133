"""What the result page shows: the engine's assessment put in words, and what to do next.

Shared by the result page; the API gives the same assessment as data (`Assessment.as_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.assessment import Assessment, DimensionResult, Outcome
from jusoor.screening.catalogue import ilo_catalogue
from jusoor.screening.labels import OUTCOMES
from jusoor.screening.models import Screening

STRENGTHS = {"strong": N_("strong"), "medium": N_("medium"), "weak": N_("weak")}


@dataclass(frozen=True)
class IndicatorLine:
    text: str
    strength: str


@dataclass(frozen=True)
class DimensionView:
    label: str
    positive: bool
    present: tuple[IndicatorLine, ...]
    unknown: tuple[str, ...]


def dimension_views(assessment: Assessment) -> list[DimensionView]:
    labels = ilo_catalogue().dimension_labels
    return [_view(d, labels[d.dimension].get()) for d in assessment.dimensions]


def _view(d: DimensionResult, label: str) -> DimensionView:
    present = tuple(IndicatorLine(i.text.get(), _(STRENGTHS[i.strength.value])) for i in d.present)
    return DimensionView(label, d.positive, present, tuple(i.text.get() for i in d.unknown))


def next_steps(outcome: Outcome, focal_point: str | None) -> list[str]:
    """What the screener should do now, most urgent first."""
    steps = []
    if outcome is not Outcome.NO_INDICATION:
        steps.append(
            _(
                "Protect: make sure the person is safe now, and do not contact or alert the people suspected of exploiting them."
            )
        )
        steps.append(
            _(
                "Refer: with the person's consent, refer them to protection and assistance (shelter, health care, legal aid, interpretation)."
            )
        )
    else:
        steps.append(
            _(
                "Keep the door open: tell the person where to find help, and screen again if new signs appear."
            )
        )
    if focal_point:
        steps.append(
            _(
                "Call the focal point of the national referral mechanism: %(agency)s.",
                agency=focal_point,
            )
        )
    else:
        steps.append(_("Call the focal point of the national referral mechanism in your country."))
    return steps


def result_context(session: Session, actor: Actor, screening: Screening) -> dict[str, Any]:
    """The values of the result page (the caller has loaded the screening, which audited it)."""
    assessment = screenings.assessment_of(screening)
    committee = screenings.focal_point(session, country=actor.country or screening.country)
    committee_name = committee.name(current_locale()) if committee else None
    return {
        "screening": screening,
        "assessment": assessment,
        "outcome": assessment.outcome.value,
        "outcome_label": _(OUTCOMES[assessment.outcome]),
        "dimensions": dimension_views(assessment),
        "reasons": [r.text for r in assessment.reasons],
        "next_steps": next_steps(assessment.outcome, committee_name),
        "may_decide": identifications.may_decide(actor, screening),
    }
