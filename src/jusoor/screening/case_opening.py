"""Opening a case from a completed screening: who may, for whom, and what the case receives.

A case worker opens the case for their own agency; a screener hands it to a case worker of an
agency they may open cases for, and then sees only its reference. The case receives what the
screening learnt of the person, in the cases domain's terms (HTCDS 2.0 codes, CTDC age band), so
that the shelter it is referred to does not receive "—" for what was already answered.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jusoor.cases import service as cases
from jusoor.cases.models import Case
from jusoor.cases.schemas import CaseCreate
from jusoor.core.errors import Invalid
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.screening import service as screenings
from jusoor.screening.assessment import Answer
from jusoor.screening.catalogue import Profile
from jusoor.screening.models import Screening
from jusoor.screening.questionnaire import indicator_answers
from jusoor.screening.schemas import AgeBand

# HTCDS 2.0 `vic_TypeOfExploitation` for each ILO list.
FORM_OF_EXPLOITATION = {
    Profile.ADULT_LABOUR: "forced_labour",
    Profile.CHILD_LABOUR: "forced_labour",
    Profile.ADULT_SEXUAL: "sexual_exploitation",
    Profile.CHILD_SEXUAL: "sexual_exploitation",
}
# Indicators whose presence names a further form. Being made to steal, sell drugs, beg or take
# part in scams is forced criminality (UNODC key indicators for forced criminality, 2023).
FORMS_BY_INDICATOR = {"cd.illicit_activities": "forced_criminality"}


def case_reference(db: Session, screening: Screening) -> str | None:
    """The reference of the case opened from the screening: shown to whoever reads the
    screening, as the case opened page shows it to the screener who opened it."""
    case = db.get(Case, screening.case_id) if screening.case_id else None
    return case.reference if case is not None else None


def may_open_case(actor: Actor, screening: Screening) -> bool:
    return screening.case_id is None and actor.can("cases.create")


def case_worker_choices(db: Session, actor: Actor) -> list[tuple[str, str]]:
    """Case workers of the agencies `actor` may open cases for (when the actor is not one)."""
    if actor.can("cases.read"):
        return []  # a case worker opens the case for their own agency
    locale = current_locale()
    return [
        (u.username, _("%(name)s, %(agency)s", name=u.display_name, agency=u.agency.name(locale)))
        for u in cases.case_workers_for(db, actor=actor)
    ]


def forms_of_exploitation(screening: Screening) -> list[str]:
    """The ILO list's form, then any further form the answers show."""
    profile = Profile(screening.profile)
    present = indicator_answers(profile, screening.answers)
    further = [
        form
        for indicator, form in FORMS_BY_INDICATOR.items()
        if present.get(indicator) is Answer.YES
    ]
    return list(dict.fromkeys([FORM_OF_EXPLOITATION[profile], *further]))


def case_values(screening: Screening) -> dict[str, object]:
    """What the screening says about the person, as `CaseCreate` fields."""
    band = AgeBand(screening.age_band)
    values: dict[str, object] = {
        "is_child": band.is_child,
        "age_band": band.case_band,
        "citizenship": screening.citizenship,
        "languages": screening.languages,
        "forms_of_exploitation": forms_of_exploitation(screening),
    }
    if screening.gender:
        values["gender"] = screening.gender
    return values


def case_from(db: Session, screening: Screening, owner_username: str) -> CaseCreate:
    """The new case: the screening's values, for the case worker named (if any)."""
    values = case_values(screening)
    if owner_username:
        values.update(cases.owner_fields(db, owner_username))
    return CaseCreate.model_validate(values)


def open_case(db: Session, *, actor: Actor, screening: Screening, owner_username: str) -> Case:
    """Open the case of a completed screening the actor has loaded, and link the two."""
    if not may_open_case(actor, screening):
        raise Invalid("case", _("A case is already open for this screening."))
    needs_owner = not actor.can("cases.read")
    if needs_owner and not owner_username:
        raise Invalid("owner_username", _("Choose the case worker who will follow the case."))
    case_in = case_from(db, screening, owner_username)
    case = cases.open_case(db, actor=actor, case_in=case_in, screening_id=screening.id)
    screenings.link_case(db, actor=actor, screening_id=screening.id, case_id=case.id)
    return case
