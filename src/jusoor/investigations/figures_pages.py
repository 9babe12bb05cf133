"""`/investigations/figures`: the year's criminal-justice figures of the country, for the national
coordinator, analysts and the police and prosecution (investigations.figures) — persons brought
into formal contact, prosecuted and convicted for trafficking, by sex, age group, citizenship and
form of exploitation, and the smuggling totals. Counts only: no file, no name. Readers without
file access see counts of 1 to 4 as "<5" (figures.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.cases.labels import code_label
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action
from jusoor.investigations.figures import (
    FIRST_YEAR,
    UNSPECIFIED,
    Breakdown,
    criminal_justice_figures,
)
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.labels import country_name
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

_SEX = {"male": N_("Male"), "female": N_("Female"), "unknown": N_("Not known")}
_AGE = {"adult": N_("Adults"), "child": N_("Children (under 18)"), "unknown": N_("Age not known")}


def _rows(breakdown: Breakdown) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The breakdown as (group title, [(label, count)]) in the reader's words."""

    def form(code: str) -> str:
        return _("Form not specified") if code == UNSPECIFIED else code_label("form", code)

    def country(code: str) -> str:
        return _("Citizenship not known") if code == "unknown" else country_name(code)

    return [
        (_("By sex"), [(_(_SEX.get(k, k)), n) for k, n in breakdown.by_sex.items()]),
        (_("By age"), [(_(_AGE.get(k, k)), n) for k, n in breakdown.by_age.items()]),
        (_("By citizenship"), [(country(k), n) for k, n in breakdown.by_citizenship.items()]),
        (_("By form of exploitation"), [(form(k), n) for k, n in breakdown.by_form.items()]),
    ]


@router.get(
    "/investigations/figures",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_figures)],
)
def figures_page(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=9999)] = None,
) -> Response:
    this_year = dt.date.today().year
    chosen = min(year or this_year, this_year)
    found = criminal_justice_figures(db, actor=actor, year=chosen)
    steps = [
        ("formal_contact", _("Brought into formal contact with the police"), found.formal_contact),
        ("prosecuted", _("Prosecuted"), found.prosecuted),
        ("convicted", _("Convicted at first instance"), found.convicted),
    ]
    values = {
        "figures": found,
        "country": country_name(found.country),
        "year": chosen,
        "years": list(range(this_year, max(FIRST_YEAR, this_year - 6) - 1, -1)),
        "steps": [(key, title, b.total, _rows(b)) for key, title, b in steps],
        "smuggling": [
            (_("Brought into formal contact with the police"), found.smuggling["formal_contact"]),
            (_("Prosecuted"), found.smuggling["prosecuted"]),
            (_("Convicted at first instance"), found.smuggling["convicted"]),
        ],
    }
    return render(request, "investigations/figures.html", values)
