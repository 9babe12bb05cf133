"""`/identification`: the identification queue of the investigator's or prosecutor's country."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core.bounds import MAX_PAGE, whole_number
from jusoor.screening import labels
from jusoor.screening.queue import identification_queue
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.labels import country_name
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25


@router.get("/identification", response_class=HTMLResponse)
def queue_page(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    page = whole_number(request.query_params.get("page", ""), low=1, high=MAX_PAGE) or 1
    found = identification_queue(db, actor=actor, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    values = {
        "queue": found,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "country": country_name(actor.country),
        "outcome_label": labels.outcome_label,
        "profile_label": labels.profile_label,
        "age_band_label": labels.age_band_label,
        "status_label": labels.status_label,
    }
    return render(request, "screening/queue.html", values)
