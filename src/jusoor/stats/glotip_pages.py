"""`/stats/glotip`: the country's UNODC-published series over the years beside the node's own
figures and its neighbours' (stats.glotip.overview); tables, ar/en/fr; stats.read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action
from jusoor.stats.glotip.overview import overview
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.labels import country_name
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/stats/glotip", response_class=HTMLResponse,
            dependencies=[requires(Action.stats_read)])  # fmt: skip
def glotip_page(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> Response:
    code = (country or actor.country or "").upper()
    if not code:
        raise Invalid("country", _("Choose a country from the list."))
    found = overview(db, actor=actor, country=code)
    values = {
        "country": country_name(code),
        "subregion": found.subregion,
        "titles": [country_name(c.iso2) if c.iso2 else c.title for c in found.columns],
        "tables": found.tables,
        "loaded": found.loaded,
        "file_date": found.file_date,
    }
    return render(request, "stats/glotip.html", values)
