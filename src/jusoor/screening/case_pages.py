"""Opening a case from a completed screening (through the cases service), from the result page.

A case worker opens the case for their own agency; a screener hands it to a case worker of an
agency they may open cases for, and then sees only its reference.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from jusoor.cases import service as cases
from jusoor.cases.schemas import CaseCreate
from jusoor.core.errors import Invalid
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.screening import service as screenings
from jusoor.screening.catalogue import AgeGroup, Profile
from jusoor.screening.models import Screening
from jusoor.screening.schemas import AgeBand
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect

router = APIRouter(include_in_schema=False)

# HTCDS 2.0 `vic_TypeOfExploitation` for each ILO list.
FORM_OF_EXPLOITATION = {
    Profile.ADULT_LABOUR: "forced_labour",
    Profile.CHILD_LABOUR: "forced_labour",
    Profile.ADULT_SEXUAL: "sexual_exploitation",
    Profile.CHILD_SEXUAL: "sexual_exploitation",
}


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


def case_from(db: Session, screening: Screening, owner_username: str) -> CaseCreate:
    """What the screening already says about the person, in the cases domain's terms."""
    profile = Profile(screening.profile)
    band = AgeBand(screening.age_band)
    is_child = None if band is AgeBand.unknown else profile.age_group is AgeGroup.CHILD
    values: dict[str, object] = {
        "is_child": is_child,
        "forms_of_exploitation": [FORM_OF_EXPLOITATION[profile]],
    }
    if owner_username:
        values.update(cases.owner_fields(db, owner_username))
    return CaseCreate.model_validate(values)


@router.post("/screening/{screening_id}/case", dependencies=[requires("cases.create")])
def open_case(
    db: DbSession,
    actor: CurrentActor,
    screening_id: str,
    owner_username: Annotated[str, Form()] = "",
) -> Response:
    sid = parse_id(screening_id, _("No such screening."))
    screening = screenings.get(db, actor=actor, screening_id=sid)
    if not may_open_case(actor, screening):
        raise Invalid("case", _("A case is already open for this screening."))
    try:
        case_in = case_from(db, screening, owner_username.strip())
    except ValidationError:
        raise Invalid("owner_username", _("Choose a case worker of the owning agency.")) from None
    case = cases.open_case(db, actor=actor, case_in=case_in, screening_id=screening.id)
    screenings.link_case(db, actor=actor, screening_id=screening.id, case_id=case.id)
    if actor.can("cases.read"):
        return redirect(f"/cases/{case.id}?done=created")
    return redirect(f"/cases/opened/{case.reference}")
