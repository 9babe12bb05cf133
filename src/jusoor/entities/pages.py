"""The investigator's entity pages: /entities (find by kind and by name, phone, e-mail or number)
and /entities/{id} (its properties, its links, the cases and sources it comes from).

Thin over `jusoor.entities.service`, which keeps to the caller's scope and audits the reads: an
entity out of scope is "not found", and a link shows only when both its ends may be seen.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from jusoor.cases.references import case_references
from jusoor.core import keyset
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.keyset import KeysetPage
from jusoor.entities import labels, service, signals
from jusoor.entities.models import Entity
from jusoor.entities.schemata import vocabulary
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import domain_errors, parse_id
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


@router.get("/entities", response_class=HTMLResponse)
def list_page(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    schema: str = "",
    q: str = "",
    after: Annotated[str, Query(max_length=keyset.MAX_CURSOR_CHARS)] = "",
) -> HTMLResponse:
    chosen = schema if schema in vocabulary().schemata else ""
    text = q.strip()[:200]
    errors: dict[str, str] = {}
    rows: list[Entity] = []
    found_page: KeysetPage[Entity] | None = None
    found: list[signals.CaseSignal] = []
    try:
        found_page = service.entity_page(
            db,
            actor=actor,
            schema_name=chosen or None,
            text=text or None,
            after=after or None,
            limit=PAGE_SIZE,
        )
        rows = found_page.rows
        # Records of case files the user may not read: a signal naming whom to ask, no more.
        found = signals.case_signals(db, actor=actor, text=text) if text else []
    except Invalid as exc:
        errors = domain_errors(exc, {"text": "q"})
    values: dict[str, Any] = {
        "entities": rows,
        "next_cursor": found_page.next_cursor if found_page else None,
        "first_page": found_page.first if found_page else not after,
        "filters": {"schema": chosen, "q": text},
        "schema_choices": labels.schema_choices(),
        "errors": errors,
        "signals": [signals.signal_message(s) for s in found],
        "contacts_page": signals.CONTACTS_PAGE,
        "cases": case_references(db, (e.case_id for e in rows if e.case_id)),
        **labels.template_helpers(),
    }
    return render(request, "entities/list.html", values, status_code=422 if errors else 200)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    request: Request, db: DbSession, actor: CurrentActor, entity_id: str
) -> HTMLResponse:
    found = service.entity_detail(
        db, actor=actor, entity_id=parse_id(entity_id, _("No such entity."))
    )
    entity = found.entity
    neighbours = {n.id: n for n in found.neighbours}
    links = [
        {
            "link": link,
            "outgoing": link.source_entity_id == entity.id,
            "other": neighbours[
                link.target_entity_id
                if link.source_entity_id == entity.id
                else link.source_entity_id
            ],
        }
        for link in found.links
    ]
    case_ids = [c for c in [entity.case_id, *(lk.case_id for lk in found.links)] if c]
    values: dict[str, Any] = {
        "entity": entity,
        "properties": entity.properties,
        "links": links,
        "cases": case_references(db, case_ids),
        "may_draw": actor.can(service.READ),
        **labels.template_helpers(),
    }
    return render(request, "entities/entity.html", values)
