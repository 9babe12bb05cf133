"""The entity and link vocabulary of `schemata.yaml`: a validating loader, and the cleaning of
property values by type (names, dates, countries, phones, e-mails, identifiers, amounts).

    schema(name) -> EntitySchema          raises Invalid("schema") for an unknown schema
    link_rule(type) -> LinkRule           raises Invalid("type") for an unknown link type
    clean(schema, properties, region)     -> Cleaned (values kept, problems found)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from pydantic import model_validator

from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.invisible import strip_invisible
from jusoor.entities.resolution import country_code, normalize_phone, parse_date

PROPERTY_TYPES = frozenset(
    {"name", "text", "date", "country", "phone", "email", "identifier", "amount"}
)
LINK_NOTE_TYPES = {"notes": "text"}
_PARTY = ("Person", "Organization")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_VALUE_LENGTH = 1000


@dataclass(frozen=True)
class EntitySchema:
    name: str
    caption: tuple[str, ...]
    properties: dict[str, str]  # property → type


@dataclass(frozen=True)
class LinkRule:
    type: str
    sources: frozenset[str]
    targets: frozenset[str]
    properties: dict[str, str] = field(default_factory=dict)

    def allows(self, source: str, target: str) -> bool:
        return source in self.sources and target in self.targets


@dataclass(frozen=True)
class Vocabulary:
    schemata: dict[str, EntitySchema]
    links: dict[str, LinkRule]


def _ends(names: list[str], schemata: dict[str, EntitySchema], where: str) -> frozenset[str]:
    ends: set[str] = set()
    for name in names:
        if name == "party":
            ends.update(_PARTY)
        elif name == "any":
            ends.update(schemata)
        elif name in schemata:
            ends.add(name)
        else:
            raise ValueError(f"schemata.yaml: {where} names unknown schema {name!r}")
    return frozenset(ends)


def _types(props: dict[str, str], where: str) -> dict[str, str]:
    for prop, kind in props.items():
        if kind not in PROPERTY_TYPES:
            raise ValueError(f"schemata.yaml: {where}.{prop} has unknown type {kind!r}")
    return dict(props)


class SchemaSpec(StrictModel):
    caption: list[str]
    properties: dict[str, str]


class LinkSpec(StrictModel):
    source: list[str]
    target: list[str]
    properties: dict[str, str] | None = None


class SchemataFile(StrictModel):
    """`schemata.yaml`; any unknown type, schema or caption property is an error."""

    schemata: dict[str, SchemaSpec]
    links: dict[str, LinkSpec]

    @model_validator(mode="after")
    def _consistent(self) -> SchemataFile:
        self.vocabulary()  # raises ValueError on the first inconsistency
        return self

    def vocabulary(self) -> Vocabulary:
        schemata: dict[str, EntitySchema] = {}
        for name, spec in self.schemata.items():
            props = _types(spec.properties, name)
            caption = tuple(spec.caption)
            if not caption or any(c not in props for c in caption):
                raise ValueError(f"schemata.yaml: {name}.caption names unknown properties")
            schemata[name] = EntitySchema(name, caption, props)
        links: dict[str, LinkRule] = {}
        for kind, link in self.links.items():
            props = _types({**LINK_NOTE_TYPES, **(link.properties or {})}, kind)
            sources = _ends(link.source, schemata, f"{kind}.source")
            targets = _ends(link.target, schemata, f"{kind}.target")
            links[kind] = LinkRule(kind, sources, targets, props)
        return Vocabulary(schemata, links)


SCHEMATA_FILE = declare("jusoor.entities", "schemata.yaml", SchemataFile)


def parse_vocabulary(data: dict[str, Any]) -> Vocabulary:
    """Validate the YAML structure (a ValueError when broken) into the vocabulary."""
    return SchemataFile.model_validate(data).vocabulary()


@cache
def vocabulary() -> Vocabulary:
    return SCHEMATA_FILE.load().vocabulary()


def schema(name: str) -> EntitySchema:
    found = vocabulary().schemata.get(name)
    if found is None:
        raise Invalid(
            "schema",
            _(
                "Unknown kind of entity %(schema)s: use one of %(choices)s.",
                schema=name[:40],
                choices=", ".join(vocabulary().schemata),
            ),
        )
    return found


def link_rule(kind: str) -> LinkRule:
    found = vocabulary().links.get(kind)
    if found is None:
        raise Invalid(
            "type",
            _(
                "Unknown kind of link %(type)s: use one of %(choices)s.",
                type=kind[:40],
                choices=", ".join(vocabulary().links),
            ),
        )
    return found


# Cleaning ------------------------------------------------------------------------------------

# Problem kinds, counted by imports and named in errors.
EMPTY = "empty"
UNREADABLE_DATE = "unreadable_date"
UNPARSEABLE_PHONE = "unparseable_phone"
UNKNOWN_COUNTRY = "unknown_country"
INVALID_EMAIL = "invalid_email"
INVALID_AMOUNT = "invalid_amount"
TOO_LONG = "too_long"
UNKNOWN_PROPERTY = "unknown_property"


@dataclass(frozen=True)
class Problem:
    """A value left out: which property, what was wrong with it."""

    prop: str
    kind: str


@dataclass
class Cleaned:
    properties: dict[str, list[str]]
    problems: list[Problem]


def clean_value(kind: str, raw: str, region: str | None) -> str | Problem | None:
    """The stored form of one value of type `kind`; None when it is empty; a Problem otherwise."""
    text = " ".join(strip_invisible(raw).split())  # no bidi override in a name (core.invisible)
    if not text:
        return None
    if len(text) > MAX_VALUE_LENGTH:
        return Problem("", TOO_LONG)
    if kind == "date":
        date = parse_date(text)
        return date.iso if date else Problem("", UNREADABLE_DATE)
    if kind == "country":
        return country_code(text) or Problem("", UNKNOWN_COUNTRY)
    if kind == "phone":
        return normalize_phone(text, region) or Problem("", UNPARSEABLE_PHONE)
    if kind == "email":
        return text.lower() if _EMAIL.match(text) else Problem("", INVALID_EMAIL)
    if kind == "amount":
        try:
            return str(Decimal(text.replace(",", "").replace(" ", "")))
        except InvalidOperation:
            return Problem("", INVALID_AMOUNT)
    return text


def clean(types: dict[str, str], properties: dict[str, list[str]], region: str | None) -> Cleaned:
    """Values cleaned by type, de-duplicated in order; bad values are left out as Problems."""
    kept: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for prop, values in properties.items():
        kind = types.get(prop)
        if kind is None:
            problems.append(Problem(prop, UNKNOWN_PROPERTY))
            continue
        for raw in values:
            value = clean_value(kind, str(raw), region)
            if isinstance(value, Problem):
                problems.append(Problem(prop, value.kind))
            elif value is not None and value not in kept.setdefault(prop, []):
                kept[prop].append(value)
    return Cleaned({p: v for p, v in kept.items() if v}, problems)


_MESSAGES = {
    UNREADABLE_DATE: N_("%(field)s is not a date that can be read."),
    UNPARSEABLE_PHONE: N_("%(field)s is not a phone number that can be read."),
    UNKNOWN_COUNTRY: N_("%(field)s is not a known country."),
    INVALID_EMAIL: N_("%(field)s is not an e-mail address."),
    INVALID_AMOUNT: N_("%(field)s is not an amount."),
    TOO_LONG: N_("%(field)s is too long."),
    UNKNOWN_PROPERTY: N_("%(field)s is not a property of this kind of record."),
    EMPTY: N_("%(field)s is empty."),
}


def problem_message(problem: Problem) -> str:
    """A sentence naming the property and what is wrong with its value."""
    return _(_MESSAGES[problem.kind], field=problem.prop)


def caption_of(entity_schema: EntitySchema, properties: dict[str, list[str]]) -> str:
    """The first value of the first caption property present, or "" (shown as "unnamed")."""
    for prop in entity_schema.caption:
        if properties.get(prop):
            return properties[prop][0]
    return ""
