"""One request and its thread: the request's fields with their legal basis, its handling code,
every message since, and the forms this side may send (reply, acknowledgement, refusal, progress
report, withdrawal) while the request is open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.core.errors import DomainError, NotFound
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange import arrival, extensions, threads
from jusoor.exchange import queries as service
from jusoor.exchange.forms import form_body
from jusoor.exchange.labels import helpers
from jusoor.exchange.models import Message
from jusoor.exchange.request.validation import FIELDS, FieldSpec, problems
from jusoor.exchange.transport import outbox
from jusoor.exchange.vocabulary import FINAL_STATUSES, Direction, MessageStatus, MessageType
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.confirm import ASK, asks_first, confirmation_page, form_pairs
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.questions import question
from jusoor.web.templating import render

FINAL_ANSWER_QUESTION = question(
    "exchange:final_answer", N_("Send this answer? It cannot be taken back.")
)

router = APIRouter(include_in_schema=False)

MESSAGES = "/exchange/messages"
DONE = {
    "sent": N_("The message is in the outbox: it is sent as soon as the peer's node answers."),
}
ORDER = (
    MessageType.reply,
    MessageType.acknowledgement,
    MessageType.progress_report,
    MessageType.refusal,
    MessageType.withdrawal,
)
TITLES = {
    MessageType.reply: N_("Reply"),
    MessageType.acknowledgement: N_("Acknowledge the request"),
    MessageType.progress_report: N_("Report progress"),
    MessageType.refusal: N_("Refuse the request"),
    MessageType.withdrawal: N_("Withdraw the request"),
}


@dataclass(frozen=True)
class Action:
    """A form of the thread page: the kind it sends, the fields it shows, the values it fixes."""

    kind: MessageType
    title: str
    specs: list[FieldSpec]
    fixed: dict[str, str] = field(default_factory=dict)
    # Accepting a referral from abroad: the case workers who may take the person (username, name).
    case_workers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def hidden(self) -> frozenset[str]:
        shown = {spec.name for spec in self.specs}
        return frozenset(spec.name for spec in FIELDS[self.kind] if spec.name not in shown)


def _action(
    opening: Message, kind: MessageType, workers: list[tuple[str, str]] | None = None
) -> Action:
    referral = opening.type is MessageType.transnational_referral
    leave: set[str] = set()
    fixed: dict[str, str] = {}
    title = _(TITLES[kind])
    if kind is MessageType.acknowledgement:
        leave = {"decision"}
        if referral:
            fixed, title = {"decision": "accepted"}, _("Accept the referral")
        if opening.type is not MessageType.spontaneous_information:
            leave.add("conditions_accepted")
    elif kind is MessageType.refusal and referral:
        fixed, title = {"ground_kind": "declined_referral"}, _("Decline the referral")
        leave = {"ground_kind"}
    elif kind is MessageType.progress_report and not referral:
        leave = {"referral_stage"}
    if opening.type not in (MessageType.mla_request, MessageType.information_request):
        leave.add("file_reference")  # only a request for assistance is joined to a file
    specs = [spec for spec in FIELDS[kind] if spec.name not in leave]
    taking_in = (
        referral and kind is MessageType.acknowledgement and not threads.requester_is_us(opening)
    )
    return Action(kind, title, specs, fixed, case_workers=(workers or []) if taking_in else [])


def _accepted(opening: Message, kind: MessageType) -> bool:
    """An incoming referral already accepted is not offered "Accept" again (its case exists)."""
    return (
        kind is MessageType.acknowledgement
        and opening.type is MessageType.transnational_referral
        and opening.decision == "accepted"
    )


def actions_for(opening: Message, workers: list[tuple[str, str]] | None = None) -> list[Action]:
    """The messages this side may add to the thread; none once the request is closed.
    `workers`: the case workers an accepted referral from abroad may be routed to."""
    if opening.status in FINAL_STATUSES:
        return []
    ours = threads.requester_is_us(opening)
    return [
        _action(opening, kind, workers)
        for kind in ORDER
        if threads.allowed(opening, kind, by_requester=ours) and not _accepted(opening, kind)
    ]


def _workers(db: Session, actor: Actor, opening: Message) -> list[tuple[str, str]]:
    if opening.type is not MessageType.transnational_referral or threads.requester_is_us(opening):
        return []
    return [
        (u.username, f"{u.display_name} ({u.agency.code})")
        for u in arrival.case_workers(db, actor=actor)
    ]


def _entry(db: Session, message: Message) -> dict[str, Any]:
    outgoing = message.direction is Direction.outgoing
    return {
        "message": message,
        "body": service.content_of(message),
        "specs": FIELDS.get(message.type, []),
        "delivery": service.delivery_of(db, message) if outgoing else None,
    }


def _page(
    request: Request,
    db: Session,
    actor: Actor,
    opening: Message,
    *,
    active: MessageType | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    panels = extensions.thread_panels(db, actor=actor, opening=opening)
    prefill: dict[str, Any] = {}
    for _template, panel in panels:
        prefill.update(panel.get("prefill") or {})
    values: dict[str, Any] = {
        "panels": panels,
        "prefill": prefill,
        "box": "received" if opening.direction is Direction.incoming else "sent",
        "opening": _entry(db, opening),
        "thread": [_entry(db, m) for m in service.thread_of(db, opening) if m.id != opening.id],
        "actions": actions_for(opening, _workers(db, actor, opening))
        if actor.can("exchange.send")
        else [],
        "taken_in": arrival.taken_in(db, opening),
        "final": opening.status in FINAL_STATUSES,
        "unsent": service.unsent_answers(db, [opening]).get(opening.id),
        "active": active,
        "errors": errors or {},
        "form": form or {},
        "notice": notice,
        **helpers(),
    }
    status = 422 if errors else 200
    return render(request, "exchange/thread.html", values, status_code=status)


def _opening(db: Session, actor: Actor, message_id: str) -> Message:
    key = parse_id(message_id, _("No such message."))
    message = service.get_message(db, actor=actor, message_id_=key)
    if message.type not in FIELDS or message.thread_id != message.id:
        raise NotFound(_("No such message."))
    return message


@router.get(f"{MESSAGES}/{{message_id}}", response_class=HTMLResponse)
def show(
    request: Request, db: DbSession, actor: CurrentActor, message_id: str, done: str = ""
) -> Response:
    key = parse_id(message_id, _("No such message."))
    message = service.get_message(db, actor=actor, message_id_=key)
    if message.status is MessageStatus.draft:  # still being written: back to its form
        return redirect(f"/exchange/new?draft={message.id}")
    if message.thread_id != message.id:  # a message within a thread: show it in its thread
        return redirect(f"{MESSAGES}/{message.thread_id}#m-{message.id}")
    notice = _(DONE[done]) if done in DONE else None
    return _page(request, db, actor, message, notice=notice)


# Answers that end a request for the other side, asked before they are sent.
FINAL_ANSWERS = ("refusal", "withdrawal")


@router.post(
    f"{MESSAGES}/{{message_id}}/reply",
    response_class=HTMLResponse,
    dependencies=[requires("exchange.send")],
)
async def add_to_thread(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    message_id: str,
    kind: Annotated[str, Query(alias="type")] = "",
) -> Response:
    opening = _opening(db, actor, message_id)
    action = next((a for a in actions_for(opening) if a.kind.value == kind), None)
    if action is None:
        errors = {"_form": _("This message cannot be added to this request.")}
        if _accepted(opening, MessageType.acknowledgement) and kind == "acknowledgement":
            errors = {"_form": _("This referral has already been accepted.")}
        return _page(request, db, actor, opening, errors=errors)
    form = await request.form()
    body, shown = form_body(action.kind, form, skip=action.hidden)
    chosen = form.get("case_worker")
    case_worker = chosen.strip() if isinstance(chosen, str) and chosen.strip() else None
    if case_worker:
        shown["case_worker"] = case_worker
    body.update(action.fixed)
    found = problems(action.kind, body)
    if found:
        return _page(request, db, actor, opening, active=action.kind, errors=found, form=shown)
    if action.kind.value in FINAL_ANSWERS and asks_first(str(form.get(ASK) or "")):
        return confirmation_page(
            request,
            question_key=FINAL_ANSWER_QUESTION,
            fields=form_pairs(form.multi_items()),
            back=f"{MESSAGES}/{opening.id}",
        )
    return attempt(
        db,
        lambda: outbox.send(
            db,
            actor=actor,
            to=None,
            kind=action.kind,
            data=body,
            reply_to=opening.id,
            case_worker=case_worker,
        ),
        done=lambda _sent: redirect(f"{MESSAGES}/{opening.id}?done=sent"),
        failed=lambda errors: _page(
            request, db, actor, opening, active=action.kind, errors=errors, form=shown
        ),
        aliases={
            "reply_to": "_form",
            "type": "_form",
            "to": "_form",
        },
        catch=(DomainError,),
    )
