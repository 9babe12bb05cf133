"""Writing a new request to another country: a mutual legal assistance request (UNTOC art. 18(15)
element by element), an information request or spontaneous information. A transnational referral
starts from the victim's case instead (`exchange.case_pages`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.core.errors import DomainError
from jusoor.core.i18n import gettext as _
from jusoor.exchange import drafts
from jusoor.exchange.forms import form_body
from jusoor.exchange.labels import helpers
from jusoor.exchange.models import Message
from jusoor.exchange.nodes import node
from jusoor.exchange.queries import peer_choices
from jusoor.exchange.request.validation import FIELDS, problems
from jusoor.exchange.transport import outbox
from jusoor.exchange.vocabulary import MessageType, Urgency
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

NEW = "/exchange/new"
COMPOSED = (
    MessageType.mla_request,
    MessageType.information_request,
    MessageType.spontaneous_information,
)
KindParam = Annotated[str, Query(alias="type")]
DraftParam = Annotated[str, Query(alias="draft")]


def _kind(value: str) -> MessageType | None:
    return next((kind for kind in COMPOSED if kind.value == value), None)


def _page(
    request: Request,
    db: Session,
    kind: MessageType | None,
    form: dict[str, Any],
    errors: dict[str, str],
    *,
    draft: str = "",
    notice: str | None = None,
) -> HTMLResponse:
    values: dict[str, Any] = {
        "draft": draft,
        # What the draft serves, when another domain prepared it (an investigation file).
        "notes": drafts.notes(db, draft),
        "notice": notice,
        "box": "new",
        "kind": kind,
        "kinds": COMPOSED,
        "specs": FIELDS[kind] if kind else [],
        "peers": peer_choices(db),
        "form": form,
        "errors": errors,
        "identity": node.has_identity(db),
        **helpers(),
    }
    return render(request, "exchange/compose.html", values, status_code=422 if errors else 200)


@router.get(NEW, response_class=HTMLResponse, dependencies=[requires("exchange.send")])
def compose(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    kind: KindParam = "",
    draft: DraftParam = "",
    done: str = "",
) -> Response:
    if draft:
        kept = drafts.get_draft(db, actor=actor, draft_id=draft)
        notice = _("The draft is saved on this node; nothing was sent.") if done else None
        return _page(
            request, db, kept.type, drafts.draft_values(kept), {}, draft=draft, notice=notice
        )
    return _page(request, db, _kind(kind), {"urgency": Urgency.normal.value}, {})


def _problems(kind: MessageType, to: str, body: dict[str, Any]) -> dict[str, str]:
    """Every problem of the form by field, before anything is sent."""
    found = problems(kind, body)
    if not to:
        found = {"to": _("Choose the country the request is sent to."), **found}
    return found


@router.post(NEW, response_class=HTMLResponse, dependencies=[requires("exchange.send")])
async def send(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    kind: KindParam = "",
    draft: DraftParam = "",
) -> Response:
    chosen = _kind(kind)
    if chosen is None:
        return _page(request, db, None, {}, {"_form": _("Choose a kind of request.")})
    posted = await request.form()
    body, shown = form_body(chosen, posted)
    to = str(posted.get("to") or "").strip()
    if posted.get("action") == "draft":  # kept as typed, not checked, not sent
        kept = drafts.save_draft(
            db, actor=actor, kind=chosen, to=to, values=shown, draft_id=draft or None
        )
        return redirect(f"{NEW}?draft={kept.id}&done=saved")
    form = {**shown, "to": to}
    if found := _problems(chosen, to, body):
        return _page(request, db, chosen, form, found, draft=draft)

    def run() -> Message:
        if draft:
            return drafts.send_draft(db, actor=actor, draft_id=draft, to=to, data=body)
        return outbox.send(db, actor=actor, to=to, kind=chosen, data=body)

    return attempt(
        db,
        run,
        done=lambda sent: redirect(f"/exchange/messages/{sent.id}?done=sent"),
        failed=lambda errors: _page(request, db, chosen, form, errors, draft=draft),
        aliases={"type": "_form"},
        catch=(DomainError,),
    )
