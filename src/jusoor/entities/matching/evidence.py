"""How likely two person entities are one person, and why: the score behind match suggestions.

A person's *facts* are their names (name and aliases, any script), a full or partial birth date,
and the blind-index digests of their identifiers — phones, e-mails and document numbers held on
the person or on the Phone, Email and IdentityDocument entities linked to it (`uses_phone`,
`uses_email`, `holds_document`). Only digests are compared for identifiers: values stay encrypted.

`compare(a, b)` adds up evidence as match weights (log2 of a Bayes factor, as Splink does), each
field on its own, and turns the sum into a probability:

    names      best pair of names: similarity ≥ 0.9 → +7, ≥ 0.75 → +4, ≥ 0.6 → +1, else −4
    phone      a phone in common → +7        e-mail → +7        document number → +9
    birth date same day → +4, same month → +3, same year → +2 (at the precision both dates
               have); same year but another month or day → −3; different years → −5
    prior      −6 (two records picked at random are rarely one person)

So a matching name alone gives 0.67 (a suggestion to review, from `SUGGEST` = 0.6), with the
same birth date 0.97; a shared phone alone 0.67; a name that is only close, born the same year,
0.5 (not suggested: on synthetic files these were namesakes, Salah and Salma Najjar); a shared
document number alone 0.89, but 0.33 when the names differ (papers are lent and forged).
The cut points of name similarity are those of the linkage model (`resolution.comparisons`).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import Session

from jusoor.entities.models import Entity, EntityKey, Link
from jusoor.entities.resolution import NameComparison, explain, parse_date

PERSON = "Person"
IDENTIFIER_KINDS = ("phone", "email", "document")
IDENTIFIER_LINKS = ("uses_phone", "uses_email", "holds_document")
PRIOR = -6.0
NAME_LEVELS = ((0.9, 7.0), (0.75, 4.0), (0.6, 1.0))
NAME_DISAGREES = -4.0
IDENTIFIER_WEIGHTS = {"phone": 7.0, "email": 7.0, "document": 9.0}
BIRTH_WEIGHTS = {"day": 4.0, "month": 3.0, "year": 2.0, "other_date": -3.0, "different": -5.0}
# Suggest a pair for review from here; merge it without review (clusters) from MERGE.
SUGGEST = 0.6
MERGE = 0.9


@dataclass(frozen=True)
class PersonFacts:
    entity_id: uuid.UUID | None
    names: tuple[str, ...]
    birth_date: str | None  # ISO, possibly partial: "1990", "1990-03", "1990-03-14"
    identifiers: frozenset[tuple[str, str]]  # (kind, digest)


@dataclass(frozen=True)
class Agreement:
    """What one field said: `field` is name, phone, email, document or birth_date; `level`
    is agree, close, weak, disagree, day, month, year, other_date or different."""

    field: str
    level: str
    weight: float
    names: NameComparison | None = None

    @property
    def agrees(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class MatchScore:
    probability: float
    weight: float
    agreements: tuple[Agreement, ...]

    def agreeing(self) -> list[str]:
        """The fields that spoke for the same person, strongest first."""
        ranked = sorted((a for a in self.agreements if a.agrees), key=lambda a: -a.weight)
        return [a.field for a in ranked]


def _names(a: PersonFacts, b: PersonFacts) -> Agreement | None:
    best: NameComparison | None = None
    for left in a.names:
        for right in b.names:
            found = explain(left, right)
            if best is None or found.score > best.score:
                best = found
    if best is None:
        return None
    for cut, weight in NAME_LEVELS:
        if best.score >= cut:
            level = "agree" if cut == NAME_LEVELS[0][0] else "close" if weight > 1 else "weak"
            return Agreement("name", level, weight, best)
    return Agreement("name", "disagree", NAME_DISAGREES, best)


def _birth(a: str | None, b: str | None) -> Agreement | None:
    if not a or not b:
        return None
    if a[:4] != b[:4]:
        return Agreement("birth_date", "different", BIRTH_WEIGHTS["different"])
    # Compare at the precision both dates have: "1990" and "1990-03-14" agree on the year.
    common = min(len(a), len(b))
    if a[:common] != b[:common]:
        return Agreement("birth_date", "other_date", BIRTH_WEIGHTS["other_date"])
    level = {10: "day", 7: "month"}.get(common, "year")
    return Agreement("birth_date", level, BIRTH_WEIGHTS[level])


def compare(a: PersonFacts, b: PersonFacts) -> MatchScore:
    """The match probability of two people and the evidence of each field (see the module)."""
    found: list[Agreement] = []
    names = _names(a, b)
    if names is not None:
        found.append(names)
    shared = {kind for kind, _digest in a.identifiers & b.identifiers}
    found += [Agreement(k, "agree", IDENTIFIER_WEIGHTS[k]) for k in IDENTIFIER_KINDS if k in shared]
    birth = _birth(a.birth_date, b.birth_date)
    if birth is not None:
        found.append(birth)
    weight = PRIOR + sum(f.weight for f in found)
    return MatchScore(1.0 / (1.0 + math.pow(2.0, -weight)), weight, tuple(found))


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
    return PersonFacts(entity_id, names, births[0] if births else None, frozenset(identifiers))


def _identifier_rows() -> Select[tuple[uuid.UUID, str, str]]:
    """(person id, kind, digest) of identifiers held on a person or on an entity linked to it."""
    own = select(EntityKey.entity_id.label("person_id"), EntityKey.kind, EntityKey.digest).where(
        EntityKey.kind.in_(IDENTIFIER_KINDS)
    )
    linked = (
        select(Link.source_entity_id.label("person_id"), EntityKey.kind, EntityKey.digest)
        .join(EntityKey, EntityKey.entity_id == Link.target_entity_id)
        .where(Link.type.in_(IDENTIFIER_LINKS), EntityKey.kind.in_(IDENTIFIER_KINDS))
    )
    return own.union(linked)  # type: ignore[return-value]


def person_keys() -> Select[tuple[uuid.UUID, str, str]]:
    """Every key a person can be found by: the person's own (names, birth year, identifiers)
    and the identifiers of the entities linked to it."""
    rows = union_all(
        select(EntityKey.entity_id.label("person_id"), EntityKey.kind, EntityKey.digest),
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
