"""How likely two person entities are one person, and why: the shipped `PersonModel` over the
app's entities, the score behind match suggestions, match review and clusters.

A person's *facts* are their names (name and aliases, any script), a full or partial birth date,
their nationalities, and the blind-index digests of their identifiers — phones, e-mails and
document numbers held on the person or on the Phone, Email and IdentityDocument entities linked
to it (`uses_phone`, `uses_email`, `holds_document`). Only digests are compared for identifiers:
values stay encrypted.

`compare(a, b)` gives the facts to the person model (`resolution.default_model`, the model
`jusoor resolve persons` uses): each side becomes one record of the model's columns, and
`PersonModel.score_rows` grades every field at its level and adds the weights the model learnt
(log2 m/u) to its prior. Where a person has several values of a field, the pair is scored on the
values that agree best: every pair of names (the strongest kept), and a shared digest or
nationality where there is one. A phone is compared by two digests, the whole number's and
its stem's (all but the last digits, `matchkeys`), so that a new SIM card of the same operator
reaches the model's "same number but the last digits". What the model cannot see here: e-mail
(the model has no such field: a shared e-mail finds the candidate, the model scores the rest), a
one-digit typing error in a phone or document number (digests of unequal values share nothing),
and how rare the name words are (as for any pair scored alone, `resolution.model`).

`SUGGEST` is where a pair is shown for review; clusters join at the model's own threshold
(`linkage.clustering`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import Session

from jusoor.entities.matching.matchkeys import SCORE_ONLY_KINDS
from jusoor.entities.models import Entity, EntityKey, Link
from jusoor.entities.resolution import NameComparison, country_code, explain, parse_date

if TYPE_CHECKING:
    from jusoor.entities.resolution.linkage.prepare import Prepared
    from jusoor.entities.resolution.model import PersonModel

PERSON = "Person"
IDENTIFIER_KINDS = ("phone", "email", "document")
IDENTIFIER_LINKS = ("uses_phone", "uses_email", "holds_document")
FACT_KINDS = (*IDENTIFIER_KINDS, *sorted(SCORE_ONLY_KINDS))  # the digests a pair is scored on
# The model's fields read from digests: a shared phone, the phone but its last digits
# (`matchkeys`: the stem's own digest), a document.
MODEL_IDENTIFIERS = ("phone", "phone_stem", "document")
# Suggest a pair for review from here: as likely one person as not.
SUGGEST = 0.5
MISSING = "missing"  # the level of a field not known on both sides


@dataclass(frozen=True)
class PersonFacts:
    entity_id: uuid.UUID | None
    names: tuple[str, ...]
    birth_date: str | None  # ISO, possibly partial: "1990", "1990-03", "1990-03-14"
    identifiers: frozenset[tuple[str, str]]  # (kind, digest)
    nationalities: tuple[str, ...] = ()  # ISO alpha-2


@dataclass(frozen=True)
class Agreement:
    """What one field of the model said: `field` is one of the model's (name, dob, country,
    phone, document, address), `level` the label of the level it reached, `weight` its match
    weight in bits; `pair` the two names compared (field name)."""

    field: str
    level: str
    weight: float
    pair: tuple[str, str] | None = None

    @property
    def agrees(self) -> bool:
        return self.weight > 0

    @cached_property
    def names(self) -> NameComparison | None:
        """Which words of the two names matched how (`names.explain`), for the reviewer."""
        return explain(*self.pair) if self.pair else None


@dataclass(frozen=True)
class MatchScore:
    probability: float
    weight: float
    agreements: tuple[Agreement, ...]  # the fields known on both sides, in the model's order

    def agreeing(self) -> list[str]:
        """The fields that spoke for the same person, strongest first."""
        ranked = sorted((a for a in self.agreements if a.agrees), key=lambda a: -a.weight)
        return [a.field for a in ranked]


def current_model() -> PersonModel:
    """The model the app scores with: the shipped one (read on first use: it brings Splink)."""
    from jusoor.entities.resolution.default_model import default_model

    return default_model()


@lru_cache(maxsize=1 << 14)
def _prepared(name: str | None, birth: str | None) -> Prepared:
    """A record of the model's columns with this name and birth date, the rest empty."""
    from jusoor.entities.resolution.linkage.prepare import prepare_record

    record = {"record_id": "", "full_name": name or "", "date_of_birth": birth or ""}
    return prepare_record(record)


@lru_cache(maxsize=1 << 10)
def _country(raw: str) -> str | None:
    return country_code(raw)


def _chosen(left: Iterable[str], right: Iterable[str]) -> tuple[str | None, str | None]:
    """The values two sides are compared on: one they share, else the first of each."""
    a, b = sorted(set(left)), sorted(set(right))
    shared = [x for x in a if x in b]
    if shared:
        return shared[0], shared[0]
    return (a[0] if a else None), (b[0] if b else None)


def _row(facts: PersonFacts, name: str | None, fields: dict[str, str | None]) -> Prepared:
    row: Prepared = dict(_prepared(name, facts.birth_date))
    row.update(fields)
    row["address"] = None
    return row


def compare(a: PersonFacts, b: PersonFacts, model: PersonModel | None = None) -> MatchScore:
    """The match probability of two people by the person model (`current_model` unless given)
    and the evidence of each field known on both sides (see the module)."""
    model = model or current_model()
    left: dict[str, str | None] = {}
    right: dict[str, str | None] = {}
    for kind in MODEL_IDENTIFIERS:
        left[kind], right[kind] = _chosen(
            (d for k, d in a.identifiers if k == kind), (d for k, d in b.identifiers if k == kind)
        )
    left["country"], right["country"] = _chosen(
        filter(None, map(_country, a.nationalities)), filter(None, map(_country, b.nationalities))
    )
    names: list[tuple[str | None, str | None]] = [(x, y) for x in a.names for y in b.names]
    if not names:
        names = [(a.names[0] if a.names else None, b.names[0] if b.names else None)]
    best: MatchScore | None = None
    for name_a, name_b in names:
        found = model.score_rows(_row(a, name_a, left), _row(b, name_b, right))
        if best is not None and found.weight <= best.weight:
            continue
        pair = (name_a, name_b) if name_a and name_b else None
        agreements = tuple(
            Agreement(f.field, f.level, f.weight, pair if f.field == "name" else None)
            for f in found.fields
            if f.level != MISSING
        )
        best = MatchScore(found.probability, found.weight, agreements)
    assert best is not None  # `names` holds at least one pair
    return best


def iso_birth_date(raw: str | None) -> str | None:
    """A typed birth date as ISO (partial when only the year or month is known)."""
    parsed = parse_date(raw) if raw else None
    return parsed.iso if parsed is not None else None


def facts_from_properties(
    entity_id: uuid.UUID | None,
    properties: dict[str, list[str]],
    identifiers: Iterable[tuple[str, str]],
) -> PersonFacts:
    names = tuple(properties.get("name", []) + properties.get("alias", []))
    births = properties.get("birthDate", [])
    born = births[0] if births else None
    nationalities = tuple(properties.get("nationality", []))
    return PersonFacts(entity_id, names, born, frozenset(identifiers), nationalities)


def _identifier_rows() -> Select[tuple[uuid.UUID, str, str]]:
    """(person id, kind, digest) of identifiers held on a person or on an entity linked to it,
    phone stems included (`FACT_KINDS`)."""
    own = select(EntityKey.entity_id.label("person_id"), EntityKey.kind, EntityKey.digest).where(
        EntityKey.kind.in_(FACT_KINDS)
    )
    linked = (
        select(Link.source_entity_id.label("person_id"), EntityKey.kind, EntityKey.digest)
        .join(EntityKey, EntityKey.entity_id == Link.target_entity_id)
        .where(Link.type.in_(IDENTIFIER_LINKS), EntityKey.kind.in_(FACT_KINDS))
    )
    return own.union(linked)  # type: ignore[return-value]


def person_keys() -> Select[tuple[uuid.UUID, str, str]]:
    """Every key a person can be found by: the person's own (names, birth year, identifiers)
    and the identifiers of the entities linked to it (phone stems find no one)."""
    rows = union_all(
        select(EntityKey.entity_id.label("person_id"), EntityKey.kind, EntityKey.digest).where(
            EntityKey.kind.not_in(sorted(SCORE_ONLY_KINDS))
        ),
        select(Link.source_entity_id.label("person_id"), EntityKey.kind, EntityKey.digest)
        .join(EntityKey, EntityKey.entity_id == Link.target_entity_id)
        .where(Link.type.in_(IDENTIFIER_LINKS), EntityKey.kind.in_(IDENTIFIER_KINDS)),
    ).subquery()
    return select(rows.c.person_id, rows.c.kind, rows.c.digest)


def facts_of(session: Session, entity_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PersonFacts]:
    """The facts of these person entities (names decrypted in memory, identifiers as digests)."""
    ids = list(dict.fromkeys(entity_ids))
    if not ids:
        return {}
    identifiers: dict[uuid.UUID, set[tuple[str, str]]] = {i: set() for i in ids}
    rows = _identifier_rows().subquery()
    for person_id, kind, digest in session.execute(
        select(rows.c.person_id, rows.c.kind, rows.c.digest).where(rows.c.person_id.in_(ids))
    ):
        identifiers[person_id].add((kind, digest))
    entities = session.scalars(select(Entity).where(Entity.id.in_(ids)))
    return {e.id: facts_from_properties(e.id, e.properties, identifiers[e.id]) for e in entities}
