"""The case page's screening panel: the screening a case was opened from, for its holder.

Registered with `cases.extensions` (the case page asks panels only for a reader of the whole
file, the case worker holding it). The holder reads the screening through the case even when
another agency's screener made it; `service.get` checks that and audits the read as such.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jusoor.cases.models import Case
from jusoor.core.errors import NotFound
from jusoor.core.i18n import current_locale
from jusoor.core.permissions import Actor
from jusoor.screening import identification as identifications
from jusoor.screening import labels
from jusoor.screening import service as screenings
from jusoor.screening.result_view import dimension_views


def case_panel(session: Session, *, actor: Actor, case: Case) -> dict[str, Any]:
    """What `screening/_case_screening.html` needs (`case_screening` None: nothing to draw)."""
    if case.screening_id is None:
        return {"case_screening": None}
    try:
        screening = screenings.get(session, actor=actor, screening_id=case.screening_id)
    except NotFound:
        return {"case_screening": None}
    assessment = screenings.assessment_of(screening)
    found = [d for d in dimension_views(assessment) if d.present]
    return {
        "case_screening": screening,
        "case_screening_outcome": labels.outcome_label(assessment.outcome.value),
        "case_screening_profile": labels.profile_label(screening.profile),
        "case_screening_dimensions": found,
        "case_screening_decisions": identifications.decisions_on(
            session, actor=actor, screening=screening, locale=current_locale()
        ),
        "identification_status_label": labels.status_label,
    }
