"""Screenings completed and formal identification decisions.

The person's sex and citizenship, as the screening recorded them, are encrypted (they are facts
about a person in a questionnaire); the engine never reads encrypted columns, so both come from
the case opened from the screening (HTCDS profile codes, kept in clear for statistics). A
screening that opened no case is counted under `unknown` for them. The age band is the
screening's own (clear).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from jusoor.cases.models import Case
from jusoor.cases.vocabulary import CHILD_AGE_BANDS
from jusoor.core.i18n import N_
from jusoor.screening.models import Identification, Screening, ScreeningStatus
from jusoor.stats.engine import Subject, listed, register_subject, single


def _age_group(band: Any) -> Any:
    return case(
        (band.in_(sorted(CHILD_AGE_BANDS)), "child"),
        (band.is_(None), "unknown"),
        (band == "unknown", "unknown"),
        else_="adult",
    )


SCREENINGS = Subject(
    name="screenings",
    unit=N_("screenings"),
    label=N_("Screenings completed"),
    base=lambda: (
        select()
        .select_from(Screening)
        .outerjoin(Case, Case.id == Screening.case_id)
        .where(Screening.status == ScreeningStatus.completed)
    ),
    dated_by=lambda: Screening.completed_at,
    agency=lambda: Screening.agency_id,
    country=lambda: Screening.country,
    dimensions={
        d.name: d
        for d in (
            single("country", N_("Country"), lambda: Screening.country),
            single("agency", N_("Agency"), lambda: Screening.agency_id),
            single("outcome", N_("Outcome"), lambda: Screening.outcome),
            single("profile", N_("Screening profile"), lambda: Screening.profile),
            single("age_band", N_("Age group"), lambda: Screening.age_band),
            single("age_group", N_("Child or adult"), lambda: _age_group(Screening.age_band)),
            single("sex", N_("Sex"), lambda: Case.gender),
            listed("citizenship", N_("Citizenship"), lambda: Case.citizenship),
        )
    },
)


def _decided_case() -> Any:
    # The decision names the case when one existed; a case opened later hangs on the screening.
    return func.coalesce(Identification.case_id, Screening.case_id)


IDENTIFICATIONS = Subject(
    name="identifications",
    unit=N_("decisions"),
    label=N_("Formal identification decisions"),
    base=lambda: (
        select()
        .select_from(Identification)
        .join(Screening, Screening.id == Identification.screening_id)
        .outerjoin(Case, Case.id == _decided_case())
    ),
    dated_by=lambda: Identification.decided_at,
    agency=lambda: Identification.agency_id,
    country=lambda: Identification.country,
    dimensions={
        d.name: d
        for d in (
            single("country", N_("Country"), lambda: Identification.country),
            single("agency", N_("Agency"), lambda: Identification.agency_id),
            single("outcome", N_("Decision"), lambda: Identification.status),
            single("age_band", N_("Age group"), lambda: Screening.age_band),
            single("age_group", N_("Child or adult"), lambda: _age_group(Screening.age_band)),
            single("sex", N_("Sex"), lambda: Case.gender),
            listed("citizenship", N_("Citizenship"), lambda: Case.citizenship),
            listed("form", N_("Form of exploitation"), lambda: Case.forms_of_exploitation),
        )
    },
    lean_base=lambda: select().select_from(Identification),
    lean_dimensions=frozenset({"country", "agency", "outcome"}),
)

register_subject(SCREENINGS)
register_subject(IDENTIFICATIONS)
