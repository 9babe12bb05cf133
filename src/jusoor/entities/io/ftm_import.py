"""Read FollowTheMoney JSON lines back into entities and links, as `ftm` describes the mapping.

Schemata Jusoor has no place for (Sanction, Vessel, Document…) are counted and skipped; a value
that cannot be read is left out and counted; a link whose ends are missing, or that the
vocabulary does not allow, is counted and skipped; a value holding a control character is left
out and counted (`control_character`), never stored. The lines are bounded as they stream: over
the limits' bytes or rows (`core.import_limits`), the import fails before anything is written.
All in the caller's transaction.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.core.import_limits import ImportLimits, check_rows, check_size, web_limits
from jusoor.core.permissions import Actor
from jusoor.core.strict_csv import control_problem
from jusoor.entities import service
from jusoor.entities.io.ftm import INTERVALS, PASSPORT, FtmEntity
from jusoor.entities.io.reuse import Reuse
from jusoor.entities.models import Entity, Properties, SourceKind
from jusoor.entities.schemas import LinkCreate
from jusoor.entities.schemata import Problem, clean_value, schema, vocabulary

ENTITY_SCHEMATA = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "PublicBody": "Organization",
    "Address": "Address",
    "Vehicle": "Vehicle",
    "BankAccount": "BankAccount",
    "Passport": "IdentityDocument",
    "Identification": "IdentityDocument",
    "LegalEntity": "LegalEntity",  # an organisation when named, else a bare phone or e-mail
}
# FtM interval schema → (our type, source properties, target properties, FtM → our properties)
_READ_INTERVALS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], dict[str, str]]] = {
    ftm: (ours, (src,), (dst,), {v: k for k, v in renamed.items()})
    for ours, (ftm, src, dst, renamed) in INTERVALS.items()
    if ours not in ("holds_account",)  # Ownership is told apart by its asset below
}
_READ_INTERVALS["Payment"] = (
    "paid",
    ("payer", "payerAccount"),
    ("beneficiary", "beneficiaryAccount"),
    {"amount": "amount", "currency": "currency", "purpose": "purpose"},
)
_READ_INTERVALS["UnknownLink"] = ("unknown", ("subject",), ("object",), {})


@dataclass
class FtmImportSummary:
    batch: str
    entities: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "entities": dict(sorted(self.entities.items())),
            "links": dict(sorted(self.links.items())),
            "problems": dict(sorted(self.problems.items())),
        }


class _Reader:
    def __init__(self, session: Session, actor: Actor, agency: Agency) -> None:
        self.session, self.actor, self.agency = session, actor, agency
        self.summary = FtmImportSummary(batch=f"ftm-{uuid7()}")
        self.reuse = Reuse(session, agency, agency.country)
        self.ids: dict[str, Entity] = {}
        self.pending_holders: list[tuple[str, Entity]] = []  # (FtM id of the holder, document)

    def entity(self, schema_name: str, props: Properties, origin: str) -> Entity:
        allowed = schema(schema_name).properties
        for prop in sorted(set(props) - set(allowed)):
            self.summary.problems[f"{origin}.{prop}: not_kept"] += 1
        found = self.reuse.find(schema_name, props)
        if found is not None:
            return found
        entity, problems = service.add_entity(
            self.session,
            actor=self.actor,
            agency=self.agency,
            schema_name=schema_name,
            properties={p: v for p, v in props.items() if p in allowed},
            source_kind=SourceKind.import_,
            source_ref=self.summary.batch,
        )
        for problem in problems:
            self.summary.problems[f"{origin}.{problem.prop}: {problem.kind}"] += 1
        self.summary.entities[schema_name] += 1
        self.reuse.remember(entity)
        return entity

    def link(self, kind: str, source: Entity, target: Entity, extra: dict[str, Any]) -> None:
        try:
            service.add_link(
                self.session,
                actor=self.actor,
                agency=self.agency,
                link_in=LinkCreate(
                    type=kind,
                    source_entity_id=source.id,
                    target_entity_id=target.id,
                    source_kind=SourceKind.import_,
                    source_ref=self.summary.batch,
                    **extra,
                ),
                source=source,
                target=target,
            )
            self.summary.links[kind] += 1
        except Invalid as exc:
            self.summary.problems[f"{kind}: {exc.field or 'invalid'}"] += 1

    def value_entity(self, schema_name: str, key: str, value: str, origin: str) -> Entity | None:
        """The Phone or Email entity of `value`, or None (counted) when it cannot be read."""
        cleaned = clean_value(schema(schema_name).properties[key], value, self.agency.country)
        if isinstance(cleaned, Problem):
            self.summary.problems[f"{origin}.{key}: {cleaned.kind}"] += 1
            return None
        return self.entity(schema_name, {key: [value]}, origin) if cleaned else None

    def values(self, party: Entity, props: Properties) -> None:
        for prop, (schema_name, key, kind) in (
            ("phone", ("Phone", "number", "uses_phone")),
            ("email", ("Email", "address", "uses_email")),
        ):
            for value in props.get(prop, []):
                target = self.value_entity(schema_name, key, value, party.schema)
                if target is not None:
                    self.link(kind, party, target, {})

    def read_entity(self, item: FtmEntity) -> None:
        ours = ENTITY_SCHEMATA[item["schema"]]
        props: Properties = {k: [str(v) for v in vs] for k, vs in item["properties"].items()}
        values: Properties = {k: props.pop(k) for k in ("phone", "email") if k in props}
        holders = props.pop("holder", [])
        if ours == "LegalEntity":
            if not props.get("name"):
                self._bare_values(item["id"], values)
                return
            ours = "Organization"
        if ours == "IdentityDocument" and item["schema"] == "Passport" and not props.get("type"):
            props["type"] = [PASSPORT]
        entity = self.entity(ours, props, item["schema"])
        self.ids[item["id"]] = entity
        self.values(entity, values)
        for holder in holders:
            self.pending_holders.append((holder, entity))

    def _bare_values(self, ftm_id: str, values: Properties) -> None:
        for prop, schema_name, key in (("phone", "Phone", "number"), ("email", "Email", "address")):
            for value in values.get(prop, []):
                found = self.value_entity(schema_name, key, value, "LegalEntity")
                if found is not None and ftm_id not in self.ids:
                    self.ids[ftm_id] = found  # links to "someone using it" reach the first

    def read_interval(self, item: FtmEntity) -> None:
        kind, sources, targets, renamed = _READ_INTERVALS[item["schema"]]
        props = item["properties"]
        source = next((self.ids.get(v) for p in sources for v in props.get(p, [])), None)
        target = next((self.ids.get(v) for p in targets for v in props.get(p, [])), None)
        if source is None or target is None:
            self.summary.problems[f"{item['schema']}: missing_entity"] += 1
            return
        role = (props.get("role") or [""])[0]
        own: Properties = {
            ours: props[theirs] for theirs, ours in renamed.items() if props.get(theirs)
        }
        if item["schema"] == "UnknownLink":
            if role in vocabulary().links and role != "unknown":
                kind = role
            elif role:
                own["role"] = [role]
        if item["schema"] == "Ownership":
            kind = {"Vehicle": "owns_vehicle", "BankAccount": "holds_account"}.get(
                target.schema, ""
            )
            if not kind:
                kind, own = "unknown", {"role": ["owner"]}
        if props.get("description"):
            own["notes"] = props["description"]
        extra: dict[str, Any] = {"properties": own}
        for ours, theirs in (("start_date", "startDate"), ("end_date", "endDate")):
            if props.get(theirs):
                extra[ours] = props[theirs][0]
        self.link(kind, source, target, extra)


def _parse(
    lines: Iterable[str], summary: FtmImportSummary, limits: ImportLimits, name: str
) -> list[FtmEntity]:
    try:
        return _parse_lines(lines, summary, limits, name)
    except UnicodeDecodeError:
        raise Invalid("file", _("The file %(file)s is not UTF-8 text.", file=name)) from None


def _parse_lines(
    lines: Iterable[str], summary: FtmImportSummary, limits: ImportLimits, name: str
) -> list[FtmEntity]:
    items = []
    size = 0
    for number, line in enumerate(lines, start=1):
        size += len(line)
        # Characters, at most the bytes they came in: the console checks the file's exact size
        # first; this bounds any other source of lines as it streams.
        check_size(name, size, limits)
        check_rows(name, number, limits)
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            summary.problems["line: invalid_json"] += 1
            continue
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str | int)
            or not isinstance(item.get("schema"), str)
            or not isinstance(item.get("properties"), dict)
        ):
            summary.problems["line: not_an_entity"] += 1
            continue
        item["id"] = str(item["id"])
        item["properties"] = _properties(item, summary)
        items.append(item)
    return items


def _properties(item: dict[str, Any], summary: FtmImportSummary) -> dict[str, list[str]]:
    """An item's values as text, those holding a control character left out and counted."""
    kept: dict[str, list[str]] = {}
    for key, raw in item["properties"].items():
        for value in raw if isinstance(raw, list) else [raw]:
            if value is None:
                continue
            text = str(value)
            if control_problem(text):
                summary.problems[f"{item['schema']}.{key}: control_character"] += 1
                continue
            kept.setdefault(str(key), []).append(text)
    return kept


def import_ftm(
    session: Session,
    *,
    actor: Actor,
    lines: Iterable[str],
    agency_id: Any = None,
    limits: ImportLimits | None = None,
    name: str = "ftm",
    progress: Callable[[int, int], None] | None = None,
) -> FtmImportSummary:
    """Import FtM JSON lines into the agency's entities (the caller's by default); one audit
    event for the batch. The lines are read whole, within `limits` (the web's, the stricter,
    unless the console passes its own), before anything is written; `progress(done, total)`
    follows the entities and links."""
    agency = service.owning_agency(session, actor=actor, agency_id=agency_id)
    reader = _Reader(session, actor, agency)
    items = _parse(lines, reader.summary, limits or web_limits(), name)
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 500 == 0 or done == len(items)):
            progress(done, len(items))

    for item in items:
        if item.get("schema") in ENTITY_SCHEMATA:
            reader.read_entity(item)
            advance()
    for holder_id, document in reader.pending_holders:
        holder = reader.ids.get(holder_id)
        if holder is None:
            reader.summary.problems["holder: missing_entity"] += 1
        else:
            reader.link("holds_document", holder, document, {})
    for item in items:
        schema_name = item.get("schema")
        if schema_name in ENTITY_SCHEMATA:
            continue
        if schema_name in _READ_INTERVALS:
            reader.read_interval(item)
        else:
            reader.summary.problems[f"skipped: {schema_name}"] += 1
        advance()
    audit.record(
        session,
        actor=actor,
        action="entity.import",
        object_type="import",
        object_id=reader.summary.batch,
        details={"format": "ftm", **reader.summary.as_dict()},
    )
    return reader.summary
