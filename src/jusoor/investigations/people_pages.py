"""The people on the file, on its page: defendants (chosen from the records or recorded new),
victims by case reference with their protection, and the defendants' network; and the case
side: the case page's panel telling the case's holder that the person is a witness in a file."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Annotated, Any

import pycountry
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.cases import extensions
from jusoor.cases.labels import code_label, gender_label
from jusoor.cases.labels import stage_label as case_stage_label
from jusoor.cases.models import Case
from jusoor.cases.page_view import case_page
from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.entities import service as entities
from jusoor.entities.labels import link_label, schema_label
from jusoor.graph import service as graph
from jusoor.graph.build import Selection
from jusoor.investigations import access, defendants, panels, timeline, witnesses
from jusoor.investigations.labels import choices, label, stage_label
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.pages import FILES, FileId, file_page, saved, shown_again
from jusoor.investigations.service import get_file
from jusoor.investigations.vocabulary import DefendantRole, ProtectionMeasure, Sex
from jusoor.investigations.workflow import machine
from jusoor.web.access import requires
from jusoor.web.actions import submit
from jusoor.web.confirm import ASK, asks_first, confirmation_page
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.labels import country_name
from jusoor.web.questions import question

REMOVE_DEFENDANT_QUESTION = question(
    "investigations:remove_defendant", N_("Remove this person from the file?")
)

router = APIRouter(include_in_schema=False)

ItemId = Annotated[uuid.UUID, path_id("item_id", N_("No such defendant in this file."))]
CaseId = Annotated[uuid.UUID, path_id("case_id", N_("No such case."))]
NETWORK_DEPTH = 2
NETWORK_MOST = 60  # nodes drawn on the file page; the networks page shows the rest


@cache
def _country_codes() -> tuple[str, ...]:
    return tuple(c.alpha_2 for c in pycountry.countries)


def country_choices() -> list[tuple[str, str]]:
    """Every country by its name in the reader's language, for a citizenship picker."""
    return sorted(((c, country_name(c)) for c in _country_codes()), key=lambda item: item[1])


def _labels() -> dict[str, str]:
    return {
        "entity_id": _("Person from the records"),
        "name": _("Full name"),
        "birth_date": _("Date of birth"),
        "phone": _("Phone"),
        "document_number": _("Document number"),
        "role": _("Role"),
        "sex": _("Sex"),
        "age": _("Age"),
        "citizenship": _("Citizenship"),
        "formal_contact_on": _("Brought into formal contact on"),
        "case_reference": _("Case reference"),
        "measure": _("Protection measure"),
        "ordered_on": _("Ordered on"),
        "ends_on": _("Ends on"),
        "note": _("Note"),
    }


def _writable(actor: Actor, file: InvestigationFile) -> bool:
    return access.may_update(actor, file) and file.stage.value not in machine().terminal


def defendants_panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    def find(text: str) -> list[Any]:
        return defendants.find_people(session, actor=actor, text=text)

    rows = defendants.defendants_of(session, actor=actor, file=file)
    return {
        "visible": True,
        "title": _("Defendants"),
        "count": len(rows),
        "rows": rows,
        "may_update": _writable(actor, file),
        "may_record_person": actor.can(entities.MANAGE),
        # The search typed in the panel's form (`form.person_q`), run when the page is drawn.
        "find": find,
        "role_choices": choices(DefendantRole),
        "sex_choices": choices(Sex),
        "country_choices": country_choices(),
        "country_name": country_name,
    }


def victims_panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    rows = witnesses.victims_of(session, actor=actor, file=file)
    return {
        "visible": True,
        "title": _("Victims and witnesses"),
        "count": len(rows),
        "rows": rows,
        "may_update": _writable(actor, file),
        "measure_choices": choices(ProtectionMeasure),
        "case_stage_label": case_stage_label,
        "gender_label": gender_label,
        "code_label": code_label,
        "country_name": country_name,
    }


def network_panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The defendants' entities and their links one or two steps out, within the reader's
    entity scope (each drawing audited by the graph service as `graph.read`)."""
    if not actor.can(entities.READ) or not file.defendants:
        return {"visible": False}
    seeds = [d.entity_id for d in file.defendants]
    nodes: dict[str, Any] = {}
    edges: dict[str, Any] = {}
    defendant_nodes: set[str] = set()
    for seed in seeds:
        if any(seed in n.entity_ids for n in nodes.values()):
            continue  # already drawn from another defendant
        try:
            view = graph.network(
                session, actor=actor, selection=Selection(seed=seed, depth=NETWORK_DEPTH)
            )
        except DomainError:
            continue  # an entity outside the reader's scope: not drawn, never named
        nodes.update((n.id, n) for n in view.network.nodes)
        edges.update((e.id, e) for e in view.network.edges)
    for node in nodes.values():
        if set(node.entity_ids) & set(seeds):
            defendant_nodes.add(node.id)
    shown = sorted(nodes.values(), key=lambda n: (n.id not in defendant_nodes, n.schema, n.caption))
    shown = shown[:NETWORK_MOST]
    kept = {n.id for n in shown}
    return {
        "visible": bool(nodes),
        "title": _("The defendants' network"),
        # Every record of the network, those drawn and those left to the networks page.
        "count": len(nodes),
        "nodes": shown,
        "more": max(0, len(nodes) - len(shown)),
        "edges": [e for e in edges.values() if e.source in kept and e.target in kept],
        "by_id": {n.id: n for n in shown},
        "defendants": defendant_nodes,
        "focus": next((str(s) for s in seeds if any(s in n.entity_ids for n in shown)), None),
        "depth": NETWORK_DEPTH,
        "schema_label": schema_label,
        "link_label": link_label,
    }


def case_witness_panel(session: Session, *, actor: Actor, case: Case) -> dict[str, Any]:
    """The case page's panel: the files the person is a witness in (reference and stage only)."""
    if not actor.can(Action.investigations_witness):
        return {"witness_files": []}
    return {
        "witness_files": witnesses.witness_files(session, actor=actor, case=case),
        "witness_measure_choices": choices(ProtectionMeasure),
        "witness_measure_label": lambda code: label(ProtectionMeasure, code),
        "witness_stage_label": stage_label,
        "witness_may_record": case.closed_at is None,
    }


@router.get(
    f"{FILES}/{{file_id}}/defendants/find",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
def find_person(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, q: str = ""
) -> Response:
    """The file page with the persons matching `q` offered in the defendant form."""
    file = get_file(db, actor=actor, file_id=file_id)
    return file_page(
        request, db, actor, file, form={"person_q": q.strip()[:200]}, focus="defendants"
    )


def _defendant_in(form: Any) -> defendants.DefendantCreate:
    keys = ("entity_id", "name", "birth_date", "phone", "document_number", "role", "sex", "age",
            "citizenship", "formal_contact_on")  # fmt: skip
    return defendants.DefendantCreate.model_validate(
        {k: v for k in keys if (v := str(form.get(k) or "").strip())}
    )


@router.post(
    f"{FILES}/{{file_id}}/defendants",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
async def add_defendant(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: defendants.add_defendant(
            db, actor=actor, file_id=file_id, defendant_in=_defendant_in(form)
        ),
        done=lambda _d: saved(file_id, "defendants"),
        failed=lambda errors, typed: shown_again(
            request, db, actor, file_id, errors, typed, panel="defendants"
        ),
        labels=_labels(),
    )


@router.post(
    f"{FILES}/{{file_id}}/defendants/{{item_id}}/remove",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
async def remove_defendant(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, item_id: ItemId
) -> Response:
    if asks_first(str((await request.form()).get(ASK) or "")):
        return confirmation_page(
            request,
            question_key=REMOVE_DEFENDANT_QUESTION,
            fields={},
            back=f"{FILES}/{file_id}",
        )
    return await submit(
        request,
        db,
        run=lambda _form: defendants.remove_defendant(
            db, actor=actor, file_id=file_id, defendant_id=item_id
        ),
        done=lambda _none: saved(file_id, "defendants"),
        failed=lambda errors, typed: shown_again(
            request,
            db,
            actor,
            file_id,
            errors,
            {**typed, "removing": str(item_id)},
            panel="defendants",
        ),
        labels=_labels(),
    )


@router.post(
    f"{FILES}/{{file_id}}/victims",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
async def link_victim(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: witnesses.link_victim(
            db,
            actor=actor,
            file_id=file_id,
            link_in=witnesses.VictimLinkCreate(
                case_reference=str(form.get("case_reference") or "")
            ),
        ),
        done=lambda _link: saved(file_id, "victims"),
        failed=lambda errors, typed: shown_again(
            request, db, actor, file_id, errors, typed, panel="victims"
        ),
        labels=_labels(),
    )


def _protection_in(form: Any) -> witnesses.ProtectionCreate:
    keys = ("measure", "ordered_on", "ends_on", "note")
    return witnesses.ProtectionCreate.model_validate(
        {k: v for k in keys if (v := str(form.get(k) or "").strip())}
    )


def _prefixed(errors: dict[str, str]) -> dict[str, str]:
    """A protection form's errors under its own ids (several such forms share the page)."""
    return {(k if k == "_form" else f"protection-{k}"): v for k, v in errors.items()}


@router.post(
    f"{FILES}/{{file_id}}/victims/{{item_id}}/protection",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
async def add_protection(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, item_id: ItemId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: witnesses.add_protection(
            db, actor=actor, file_id=file_id, link_id=item_id, measure_in=_protection_in(form)
        ),
        done=lambda _m: saved(file_id, "victims"),
        failed=lambda errors, typed: shown_again(
            request,
            db,
            actor,
            file_id,
            _prefixed(errors),
            {**typed, "victim": str(item_id)},
            panel="victims",
        ),
        labels=_labels(),
    )


@router.post(
    "/cases/{case_id}/witness/{item_id}/protection",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_witness)],
)
async def add_protection_from_case(
    request: Request, db: DbSession, actor: CurrentActor, case_id: CaseId, item_id: ItemId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: witnesses.add_protection_from_case(
            db, actor=actor, case_id=case_id, link_id=item_id, measure_in=_protection_in(form)
        ),
        done=lambda _m: redirect(f"/cases/{case_id}#witness-title"),
        failed=lambda errors, typed: case_page(
            request,
            db,
            actor,
            case_id,
            errors=_prefixed(errors),
            form={**typed, "victim": str(item_id)},
        ),
        labels=_labels(),
    )


def register() -> None:
    """The panels of the file page, the timeline's words and the case side (from domain.py)."""
    panels.register_panel(
        "defendants",
        defendants_panel,
        template="investigations/_defendants.html",
        order=10,
        opened=True,
    )
    panels.register_panel(
        "victims", victims_panel, template="investigations/_victims.html", order=20
    )
    panels.register_panel(
        "network", network_panel, template="investigations/_network.html", order=80
    )
    timeline.register_kinds(defendants.EVENT_KINDS, defendants.EVENT_DETAILS)
    timeline.register_kinds(witnesses.EVENT_KINDS, witnesses.EVENT_DETAILS)
    extensions.register_case_panel(
        "investigations", case_witness_panel, template="investigations/_case_witness.html"
    )
    extensions.register_case_events(
        "investigations",
        {
            witnesses.CASE_LINKED: N_("Victim-witness in a criminal file"),
            witnesses.CASE_PROTECTION: N_("Witness protection measure"),
        },
    )
