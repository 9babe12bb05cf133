"""The directory of competent authorities and contact points per country (UNODC CNA directory,
UNTOC art. 18(13)), and the list of peer nodes with this node's own fingerprint."""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange import directory, queries
from jusoor.exchange.labels import helpers
from jusoor.exchange.nodes import node, peers
from jusoor.exchange.nodes.keys import display_fingerprint
from jusoor.exchange.request.labels import CONTACT_KIND_LABELS, TYPE_LABELS
from jusoor.exchange.vocabulary import OPENING_TYPES
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.confirm import asks_first, confirmation_page
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.questions import question
from jusoor.web.templating import render

REMOVE_CONTACT_QUESTION = question(
    "exchange:remove_contact", N_("Remove this contact point from the directory?")
)

router = APIRouter(include_in_schema=False)

CONTACTS = "/exchange/contacts"
DONE = {
    "added": N_("The contact point is added. Publish the directory to tell the peers."),
    "removed": N_("The contact point is removed. Publish the directory to tell the peers."),
    "published": N_("The directory is in the outbox for every peer node."),
}


def _labels() -> dict[str, str]:
    return {
        "kind": _("Kind of contact point"),
        "authority": _("Authority"),
        "unit": _("Unit or office"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "languages": _("Languages"),
        "request_types": _("Requests it handles"),
        "notes": _("Notes"),
    }


def _own_country(db: Session) -> str | None:
    return node.identity(db).node_id[:2] if node.has_identity(db) else None


def _contacts_page(
    request: Request,
    db: Session,
    actor: Actor,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    contacts = directory.list_contacts(db, actor=actor)
    groups = [(c, list(rows)) for c, rows in itertools.groupby(contacts, lambda r: r.country)]
    values: dict[str, Any] = {
        "box": "contacts",
        "groups": groups,
        "own_country": _own_country(db),
        "may_manage": actor.can("exchange.directory.manage"),
        "kind_choices": [(k, _(label)) for k, label in CONTACT_KIND_LABELS.items()],
        "type_choices": [
            (str(t), _(label)) for t, label in TYPE_LABELS.items() if t in OPENING_TYPES
        ],
        "form": form or {"request_types": []},
        "errors": errors or {},
        "notice": notice,
        **helpers(),
    }
    status = 422 if errors else 200
    return render(request, "exchange/contacts.html", values, status_code=status)


@router.get(CONTACTS, response_class=HTMLResponse)
def contacts(request: Request, db: DbSession, actor: CurrentActor, done: str = "") -> Response:
    notice = _(DONE[done]) if done in DONE else None
    return _contacts_page(request, db, actor, notice=notice)


@router.post(
    CONTACTS, response_class=HTMLResponse, dependencies=[requires("exchange.directory.manage")]
)
async def add_contact(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    posted = await request.form()
    text = {
        name: str(posted.get(name) or "").strip()
        for name in ("kind", "authority", "unit", "email", "phone", "notes")
    }
    chosen = [v for v in posted.getlist("request_types") if isinstance(v, str)]
    # The languages picker posts one code per language (a program may type "ar fr" in one).
    languages = [
        code
        for value in posted.getlist("languages")
        if isinstance(value, str)
        for code in re.split(r"[\s,،]+", value)
        if code
    ]
    form = {**text, "request_types": chosen, "languages": languages}
    country = _own_country(db)
    if country is None:
        errors = {"_form": _("This node has no exchange identity yet: run jusoor exchange init.")}
        return _contacts_page(request, db, actor, form=form, errors=errors)
    data = {
        **text,
        "languages": languages,
        "request_types": chosen,
    }

    def run() -> object:
        directory.ContactIn.model_validate(data)  # every field's problem, named by its label
        return directory.add_contact(db, actor=actor, country=country, data=data)

    return attempt(
        db,
        run,
        done=lambda _added: redirect(f"{CONTACTS}?done=added"),
        failed=lambda errors: _contacts_page(request, db, actor, form=form, errors=errors),
        labels=_labels(),
        catch=(DomainError,),
    )


@router.post(f"{CONTACTS}/publish", response_class=HTMLResponse)
def publish(db: DbSession, actor: CurrentActor) -> Response:
    directory.publish(db, actor=actor)
    return redirect(f"{CONTACTS}?done=published")


@router.post(f"{CONTACTS}/{{contact_id}}/remove", response_class=HTMLResponse)
def remove_contact(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    contact_id: str,
    ask: Annotated[str, Form()] = "",
) -> Response:
    key = parse_id(contact_id, _("No contact of this node has that id."))
    if asks_first(ask):
        return confirmation_page(
            request,
            question_key=REMOVE_CONTACT_QUESTION,
            fields={},
            back=CONTACTS,
        )
    directory.remove_contact(db, actor=actor, contact_id=key)
    return redirect(f"{CONTACTS}?done=removed")


@router.get("/exchange/peers", response_class=HTMLResponse)
def peer_nodes(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    rows = peers.list_peers(db, actor=actor)
    own = node.identity(db) if node.has_identity(db) else None
    values: dict[str, Any] = {
        "box": "peers",
        "peers": [(p, display_fingerprint(p.fingerprint)) for p in rows],
        "own": own,
        "own_fingerprint": display_fingerprint(own.fingerprint) if own else "",
        "backlog": queries.backlog_by_peer(db, actor=actor),
        "manager": actor.can("exchange.manage"),
        **helpers(),
    }
    return render(request, "exchange/peers.html", values)
