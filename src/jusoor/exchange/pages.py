"""Exchange pages: the liaison officer's inbox of requests received and the list of requests sent,
with what is overdue or due soon above. The thread, compose, directory and case pages are
included from their modules."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange import case_pages, compose_pages, directory_pages, thread_pages
from jusoor.exchange import queries as service
from jusoor.exchange.labels import helpers
from jusoor.exchange.vocabulary import Direction
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.params import PageNumber
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(compose_pages.router)
router.include_router(directory_pages.router)
router.include_router(case_pages.router)
router.include_router(thread_pages.router)

EXCHANGE = "/exchange"
PER_PAGE = 25


def _box(request: Request, db: Session, actor: Actor, direction: Direction, page: int) -> Response:
    box = "received" if direction is Direction.incoming else "sent"
    if not service.box_ready(db, actor=actor):  # refuses a reader without exchange.read
        return render(request, "exchange/no_identity.html", {"box": box, **helpers()})
    page = max(page, 1)
    rows, total = service.list_messages(
        db, actor=actor, direction=direction, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    deliveries = (
        {m.id: service.delivery_of(db, m) for m in rows} if direction is Direction.outgoing else {}
    )
    values: dict[str, Any] = {
        "box": box,
        "title": _("Requests received") if box == "received" else _("Requests sent"),
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
        "overdue": service.overdue(db, actor=actor),
        "due_soon": service.due_soon(db, actor=actor),
        "deliveries": deliveries,
        **helpers(),
    }
    return render(request, "exchange/box.html", values)


@router.get(EXCHANGE, response_class=HTMLResponse)
def received(
    request: Request, db: DbSession, actor: CurrentActor, page: PageNumber = 1
) -> Response:
    return _box(request, db, actor, Direction.incoming, page)


@router.get(f"{EXCHANGE}/sent", response_class=HTMLResponse)
def sent(request: Request, db: DbSession, actor: CurrentActor, page: PageNumber = 1) -> Response:
    return _box(request, db, actor, Direction.outgoing, page)
