"""Actor pages: the organisations and persons the reports name, and every event each took part in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core.bounds import whole_number
from jusoor.core.i18n import gettext as _
from jusoor.monitor import service as monitor
from jusoor.monitor.labels import (
    event_type_label,
    language_label,
    list_separator,
    organization_name,
)
from jusoor.monitor.reading.organizations import catalogue
from jusoor.monitor.schemas import ActorView
from jusoor.monitor.views import report as reading
from jusoor.monitor.views.map import city_name
from jusoor.monitor.views.titles import event_heading
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

ACTORS = "/monitor/actors"
PAGE_SIZE = 50
KINDS = ("organization", "person")
MAX_MENTIONS = 100  # where an actor is named; the events list is complete


@dataclass(frozen=True, slots=True)
class MentionLine:
    name: str  # as the report writes it
    role: str | None
    sentence: str
    href: str


def kind_choices() -> list[tuple[str, str]]:
    return [("organization", _("Organisations")), ("person", _("Persons"))]


@router.get(ACTORS, response_class=HTMLResponse)
def actors(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    kind: str = "",
    q: str = "",
    page: str = "",
) -> Response:
    kind = kind if kind in KINDS else ""
    q = q.strip()[:100]
    number = whole_number(page, low=1, high=10_000) or 1
    rows, total = monitor.list_actors(
        db,
        actor=actor,
        kind=kind or None,
        query=q or None,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    kept = {k: v for k, v in (("kind", kind), ("q", q)) if v}
    last = max(1, -(-total // PAGE_SIZE))
    values = {
        "rows": rows,
        "total": total,
        "form": {"kind": kind, "q": q},
        "kind_choices": kind_choices(),
        "page": number,
        "last_page": last,
        "newer": urlencode({**kept, "page": number - 1}) if number > 1 else None,
        "older": urlencode({**kept, "page": number + 1}) if number < last else None,
        "organization_name": organization_name,
    }
    return render(request, "monitor/actors.html", values)


def organization_names(key: str) -> list[tuple[str, str]]:
    """(language, name) for a catalogued organisation, in ar, en, fr order."""
    org = catalogue().get(key)
    if org is None:
        return []
    return [(lang, org.names[lang][0]) for lang in ("ar", "en", "fr") if org.names.get(lang)]


def mention_lines(db: DbSession, actor: CurrentActor, view: ActorView) -> list[MentionLine]:
    """Where the reports name the actor, each linked to its sentence (the first MAX_MENTIONS)."""
    cut: dict[uuid.UUID, list[reading.Sentence]] = {}
    lines = []
    for mention in view.mentions[:MAX_MENTIONS]:
        if mention.document_id not in cut:
            _doc, text = monitor.get_document(db, actor=actor, document_id=mention.document_id)
            cut[mention.document_id] = reading.sentences(text)
        number = reading.sentence_number(cut[mention.document_id], mention.start)
        lines.append(
            MentionLine(
                name=mention.name,
                role=mention.role,
                sentence=mention.sentence,
                href=reading.anchor(mention.document_id, number),
            )
        )
    return lines


@router.get(
    f"{ACTORS}/{{actor_id}}", response_class=HTMLResponse, dependencies=[requires(monitor.READ)]
)
def actor_page(request: Request, db: DbSession, actor: CurrentActor, actor_id: str) -> Response:
    message = _("No such organisation or person.")
    view = monitor.get_actor(db, actor=actor, actor_id=parse_id(actor_id, message))
    summary = view.summary
    roles = sorted({m.role for m in view.mentions if m.role})
    local = organization_name(summary.key, summary.name)
    values = {
        "view": view,
        "who": summary,
        "shown_name": local if summary.kind == "organization" else summary.name,
        "official_names": organization_names(summary.key) if summary.kind == "organization" else [],
        "roles": roles,
        "mentions": mention_lines(db, actor, view),
        "more_mentions": max(0, len(view.mentions) - MAX_MENTIONS),
        "event_type_label": event_type_label,
        "language_label": language_label,
        "city_name": city_name,
        "list_separator": list_separator,
        "event_heading": event_heading,
        "organization_name": organization_name,
    }
    return render(request, "monitor/actor.html", values)
