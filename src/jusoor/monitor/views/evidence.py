"""The facts of an event as its page shows them: each value once, with every sentence (in every
report) that states it, linked to that sentence in the report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.monitor import service as monitor
from jusoor.monitor.labels import event_type_label, fact_label, theme_label
from jusoor.monitor.schemas import FACT_KINDS, EventView, FactView
from jusoor.monitor.views import report as reading
from jusoor.monitor.views.map import city_name
from jusoor.web.labels import country_name


@dataclass(frozen=True, slots=True)
class Source:
    href: str  # /monitor/documents/{id}#s-{n}
    lang: str | None
    number: int | None
    sentence: str


@dataclass(slots=True)
class Fact:
    value: str
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FactKind:
    kind: str
    label: str
    facts: tuple[Fact, ...]


def fact_value(view: EventView, fact: FactView) -> str:
    """A fact's value as people read it: named, translated, in the page's language."""
    if fact.kind == "event_type":
        return event_type_label(fact.value)
    if fact.kind == "theme":
        return theme_label(fact.value)
    if fact.kind == "country":
        return country_name(fact.value)
    if fact.kind == "place":
        return country_name(fact.value) if len(fact.value) == 2 else city_name(fact.value)
    if fact.kind in ("organization", "person"):
        names = {ref.key: ref.name for ref in (*view.organizations, *view.persons)}
        return names.get(fact.value, fact.value)
    return fact.value


def evidence(session: Session, actor: Actor, view: EventView) -> list[FactKind]:
    """The event's facts by kind (in `FACT_KINDS` order), each with its sentences."""
    langs = {d.id: d.lang for d in view.documents}
    cut: dict[uuid.UUID, list[reading.Sentence]] = {}
    by_kind: dict[str, dict[str, Fact]] = {}
    seen: set[tuple[str, str, uuid.UUID, int | None]] = set()
    for item in view.facts:
        if item.document_id not in cut:
            _doc, text = monitor.get_document(session, actor=actor, document_id=item.document_id)
            cut[item.document_id] = reading.sentences(text)
        number = reading.sentence_number(cut[item.document_id], item.start)
        if (item.kind, item.value, item.document_id, number) in seen:
            continue  # the same fact twice in one sentence is shown once
        seen.add((item.kind, item.value, item.document_id, number))
        fact = by_kind.setdefault(item.kind, {}).setdefault(
            item.value, Fact(fact_value(view, item))
        )
        fact.sources.append(
            Source(
                href=reading.anchor(item.document_id, number),
                lang=langs.get(item.document_id),
                number=number,
                sentence=item.sentence,
            )
        )
    return [
        FactKind(kind, fact_label(kind), tuple(by_kind[kind].values()))
        for kind in FACT_KINDS
        if kind in by_kind
    ]
