"""News monitoring in the browser: the calendar of events, the map, an event with the sentence
behind each fact, and the reports themselves. Actor pages come from `actor_pages`.

Everything here reads through `jusoor.monitor.service`, which checks `monitor.read`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core.i18n import gettext as _
from jusoor.monitor import actor_pages
from jusoor.monitor import service as monitor
from jusoor.monitor.labels import (
    event_type_label,
    fact_label,
    language_label,
    list_separator,
    organization_name,
    theme_label,
)
from jusoor.monitor.views import filters
from jusoor.monitor.views import report as reading
from jusoor.monitor.views.calendar import months, weekday_names
from jusoor.monitor.views.evidence import evidence
from jusoor.monitor.views.map import build_map, city_name
from jusoor.monitor.views.titles import event_heading
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(actor_pages.router)

CALENDAR = "/monitor"
PAGE_SIZE = 50
LABELS = {
    "event_type_label": event_type_label,
    "theme_label": theme_label,
    "language_label": language_label,
    "city_name": city_name,
    "event_heading": event_heading,
    "organization_name": organization_name,
    "web_link": reading.web_link,
    "list_separator": list_separator,
}


@router.get(CALENDAR, response_class=HTMLResponse)
def calendar(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    query = filters.parse(request.query_params)
    events, total = monitor.list_events(
        db,
        actor=actor,
        **query.service_filters(),
        limit=PAGE_SIZE,
        offset=(query.page - 1) * PAGE_SIZE,
    )
    dated, undated = months(events, country=actor.country)
    last_page = max(1, -(-total // PAGE_SIZE))
    values = {
        "query": query,
        "choices": filters.choices(monitor.filter_choices(db, actor=actor)),
        "months": dated,
        "undated": undated,
        "dated_events": [e for e in events if e.start is not None],
        "weekdays": weekday_names(country=actor.country),
        "total": total,
        "page": query.page,
        "last_page": last_page,
        "newer": query.query_string(page=query.page - 1) if query.page > 1 else None,
        "older": query.query_string(page=query.page + 1) if query.page < last_page else None,
        "map_link": query.query_string(),
        **LABELS,
    }
    status = 422 if query.errors else 200
    return render(request, "monitor/calendar.html", values, status_code=status)


@router.get(f"{CALENDAR}/map", response_class=HTMLResponse)
def event_map(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    query = filters.parse(request.query_params)
    events, total = monitor.list_events(
        db, actor=actor, **query.service_filters(), limit=monitor.MAX_PAGE
    )
    kept = {k: v for k, v in query.kept().items() if k != "country"}
    values = {
        **LABELS,
        "query": query,
        "choices": filters.choices(monitor.filter_choices(db, actor=actor)),
        "map": build_map(events, list_url=CALENDAR, filters=kept),
        "total": total,
        "shown": len(events),
        "calendar_link": query.query_string(),
    }
    return render(request, "monitor/map.html", values, status_code=422 if query.errors else 200)


# The right is checked (by the route) before the id is looked at: a refusal reveals nothing.
@router.get(
    f"{CALENDAR}/events/{{event_id}}",
    response_class=HTMLResponse,
    dependencies=[requires(monitor.READ)],
)
def event_page(request: Request, db: DbSession, actor: CurrentActor, event_id: str) -> Response:
    view = monitor.get_event(db, actor=actor, event_id=parse_id(event_id, _("No such event.")))
    values = {"view": view, "event": view.summary, "facts": evidence(db, actor, view), **LABELS}
    return render(request, "monitor/event.html", values)


@router.get(
    f"{CALENDAR}/documents/{{document_id}}",
    response_class=HTMLResponse,
    dependencies=[requires(monitor.READ)],
)
def document_page(
    request: Request, db: DbSession, actor: CurrentActor, document_id: str
) -> Response:
    document, text = monitor.get_document(
        db, actor=actor, document_id=parse_id(document_id, _("No such report."))
    )
    spans: list[tuple[int, int, str]] = []
    if document.event_id is not None:  # mark what the extractor read, fact by fact
        view = monitor.get_event(db, actor=actor, event_id=document.event_id)
        spans = [
            (f.start, f.end, fact_label(f.kind)) for f in view.facts if f.document_id == document.id
        ]
    values = {
        "document": document,
        "sentences": [(s, reading.segments(s, spans)) for s in reading.sentences(text)],
        **LABELS,
    }
    return render(request, "monitor/document.html", values)
