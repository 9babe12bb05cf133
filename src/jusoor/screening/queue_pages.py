"""`/identification`: the identification queue of the investigator's or prosecutor's country."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core import reading
from jusoor.core.i18n import gettext as _
from jusoor.core.keyset import InvalidCursor
from jusoor.screening import labels
from jusoor.screening.queue import identification_queue
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.labels import country_name
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25


@router.get("/identification", response_class=HTMLResponse)
def queue_page(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    """The queue a page at a time (`after`: the cursor of the page before); a cursor this queue
    did not hand out gives the first page with a message naming it, not an error page."""
    error = None
    try:
        with reading.tentatively(db):
            found = identification_queue(
                db, actor=actor, limit=PAGE_SIZE, after=request.query_params.get("after") or None
            )
    except InvalidCursor as exc:
        error = _("%(field)s: %(problem)s", field=_("Position in the list"), problem=exc.message)
        found = identification_queue(db, actor=actor, limit=PAGE_SIZE)
    values = {
        "queue": found,
        "error": error,
        "country": country_name(actor.country),
        "outcome_label": labels.outcome_label,
        "profile_label": labels.profile_label,
        "age_band_label": labels.age_band_label,
        "status_label": labels.status_label,
    }
    return render(request, "screening/queue.html", values, status_code=422 if error else 200)
