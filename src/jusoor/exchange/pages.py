"""Exchange pages: the liaison officer's inbox of requests received and the list of requests sent,
with what is overdue or due soon above. The thread, compose, directory and case pages are
included from their modules."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.core import keyset
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange import case_pages, compose_pages, directory_pages, thread_pages
from jusoor.exchange import queries as service
from jusoor.exchange.labels import helpers
from jusoor.exchange.vocabulary import Direction
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(compose_pages.router)
router.include_router(directory_pages.router)
router.include_router(case_pages.router)
router.include_router(thread_pages.router)

EXCHANGE = "/exchange"
PER_PAGE = 25
DEADLINE_ROWS = 20  # of the overdue and due-soon lists above the box: the most pressing first

After = Annotated[str, Query(max_length=keyset.MAX_CURSOR_CHARS)]


def _box(request: Request, db: Session, actor: Actor, direction: Direction, after: str) -> Response:
    box = "received" if direction is Direction.incoming else "sent"
    if not service.box_ready(db, actor=actor):  # refuses a reader without exchange.read
        return render(request, "exchange/no_identity.html", {"box": box, **helpers()})
    found = service.message_page(
        db, actor=actor, direction=direction, after=after or None, limit=PER_PAGE
    )
    deliveries = service.deliveries_of(db, found.rows) if direction is Direction.outgoing else {}
    late = service.overdue(db, actor=actor, limit=DEADLINE_ROWS + 1)
    soon = service.due_soon(db, actor=actor, limit=DEADLINE_ROWS + 1)
    unsent = service.unsent_answers(db, [*found.rows, *late, *soon])
    values: dict[str, Any] = {
        "box": box,
        "title": _("Requests received") if box == "received" else _("Requests sent"),
        "rows": found.rows,
        "first_page": found.first,
        "first_link": request.url.path,
        "next_link": f"{request.url.path}?{urlencode({'after': found.next_cursor})}"
        if found.next_cursor
        else None,
        "overdue": late[:DEADLINE_ROWS],
        "due_soon": soon[:DEADLINE_ROWS],
        "more_pressing": len(late) > DEADLINE_ROWS or len(soon) > DEADLINE_ROWS,
        "pressing_rows": DEADLINE_ROWS,
        "deliveries": deliveries,
        "unsent": unsent,
        **helpers(),
    }
    return render(request, "exchange/box.html", values)


@router.get(EXCHANGE, response_class=HTMLResponse)
def received(request: Request, db: DbSession, actor: CurrentActor, after: After = "") -> Response:
    return _box(request, db, actor, Direction.incoming, after)


@router.get(f"{EXCHANGE}/sent", response_class=HTMLResponse)
def sent(request: Request, db: DbSession, actor: CurrentActor, after: After = "") -> Response:
    return _box(request, db, actor, Direction.outgoing, after)
