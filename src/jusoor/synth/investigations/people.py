"""The defendants of the demo files: entity records, so that they take part in the networks and in
entity resolution. A file's defendants are one community: the people the demo network
(`synth.networks`) recorded in the country for the file built on it, and for the others a small
cell of new people recorded by the police under the file's reference, linked to one another.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass
from itertools import dropwhile

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.core.permissions import Actor
from jusoor.entities import service as entities
from jusoor.entities.models import Entity, Link, SourceKind
from jusoor.entities.schemas import LinkCreate
from jusoor.investigations.vocabulary import DefendantRole, Sex
from jusoor.synth.investigations.plans import ARABIC_SCRIPT, FOREIGN, SMUGGLING
from jusoor.synth.names import name_table, random_person_name

R = DefendantRole
# What a person's links in the demo network say of the part they played (strongest first).
_ROLE_BY_LINK: tuple[tuple[str, str, DefendantRole], ...] = (
    ("recruited", "source", R.recruiter),
    ("exploited", "source", R.exploiter),
    ("travelled_with", "target", R.transporter),
    ("owns_vehicle", "source", R.transporter),
    ("paid", "target", R.recruiter),  # the exploiter pays the recruiter his fee
    ("associate", "target", R.recruiter),  # the driver's contact, the recruiter seen in transit
)
_VICTIM_LINKS = (("recruited", "target"), ("exploited", "target"), ("travelled_with", "source"))
# Roles drawn for the people of a cell, after the first (who runs the scheme), with weights.
_ROLES = {
    "trafficking": ((R.recruiter, 5), (R.exploiter, 4), (R.harbourer, 2), (R.transporter, 2),
                    (R.financier, 1), (R.document_forger, 1), (R.facilitator, 1)),
    SMUGGLING: ((R.transporter, 5), (R.facilitator, 3), (R.recruiter, 3), (R.financier, 1),
                (R.document_forger, 1)),
}  # fmt: skip
_LEADER = {"forced_begging": R.exploiter, "servitude": R.exploiter, SMUGGLING: R.facilitator}
ACCOMPLICE = {"ar": "شريك", "fr": "complice", "en": "accomplice"}
_PHONE = {"EG": ("+2010", 8), "MA": ("+2126", 8), "TN": ("+2162", 7), "LY": ("+21891", 7),
          "MR": ("+2224", 7), "KW": ("+9655", 7), "JO": ("+96279", 7)}  # fmt: skip


@dataclass(frozen=True)
class Suspect:
    entity: Entity
    role: DefendantRole
    sex: Sex
    born: dt.date | None
    citizenship: str | None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def sex_of_name(written: str) -> Sex:
    """The sex a synthetic name's given name says, as `synth.names` writes it (Arabic script,
    given name first; or the police form, SURNAME first in capitals); unknown if it cannot tell."""
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in written)
    if arabic:
        given = written
    else:  # the capitals are the surname: the given name comes first after them
        rest = list(dropwhile(lambda w: w.isupper() and len(w) > 1, written.split()))
        given = _plain(" ".join(rest))
    best: tuple[int, Sex] = (0, Sex.unknown)
    table = name_table()
    for sex, parts in ((Sex.male, table.male), (Sex.female, table.female)):
        for part in parts:
            forms = (
                {part.arabic} if arabic else {_plain(s) for _st, fs in part.spellings for s in fs}
            )
            for form in forms:
                if (given == form or given.startswith(form + " ")) and len(form) > best[0]:
                    best = (len(form), sex)
    return best[1]


def ring_suspects(session: Session, country: str) -> list[Suspect]:
    """The people one ring of the demo network (the one with most of them in `country`) recorded
    there who took part in the scheme (not its victims), with the role their links show."""
    found = _suspects(session, country)
    rings = Counter(s.entity.source_ref for s in found)
    if not rings:
        return []
    ring = min(rings, key=lambda ref: (-rings[ref], ref or ""))
    return [s for s in found if s.entity.source_ref == ring]


def _suspects(session: Session, country: str) -> list[Suspect]:
    people = {
        e.id: e
        for e in session.scalars(
            select(Entity).where(
                Entity.country == country,
                Entity.schema == "Person",
                Entity.source_ref.like("synthetic-ring-%"),
            )
        )
    }
    links = session.scalars(
        select(Link).where(
            or_(Link.source_entity_id.in_(people), Link.target_entity_id.in_(people))
        )
    ).all()
    ends = {"source": lambda k: k.source_entity_id, "target": lambda k: k.target_entity_id}
    victims = {ends[end](k) for k in links for kind, end in _VICTIM_LINKS if k.type == kind}
    found: list[Suspect] = []
    for entity in sorted(people.values(), key=lambda e: e.caption):
        if entity.id in victims:
            continue
        role = next(
            (
                r
                for kind, end, r in _ROLE_BY_LINK
                if any(k.type == kind and ends[end](k) == entity.id for k in links)
            ),
            None,
        )
        if role is None:
            continue
        props = entity.properties
        born = (props.get("birthDate") or [""])[0][:4]  # the network records the year only
        nationality = props.get("nationality") or []
        found.append(
            Suspect(
                entity,
                role,
                sex_of_name(entity.caption),
                dt.date(int(born), 7, 1) if born.isdigit() else None,
                nationality[0] if nationality else None,
            )
        )
    return found


def new_suspect(
    session: Session,
    rng: random.Random,
    *,
    actor: Actor,
    agency: Agency,
    reference: str,
    role: DefendantRole,
) -> Suspect:
    """A new person recorded by `agency` under the file's reference, with a phone most often."""
    country = agency.country
    citizenship = country if rng.random() < 0.75 else rng.choice(FOREIGN[country])
    female = rng.random() < (0.3 if role in (R.recruiter, R.harbourer, R.exploiter) else 0.1)
    name = random_person_name(rng, country=citizenship, gender="female" if female else "male")
    written = name.arabic() if country in ARABIC_SCRIPT else name.latin("upper", rng=rng)
    born = dt.date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
    props = {
        "name": [written],
        "birthDate": [born.isoformat()],
        "nationality": [citizenship],
        "gender": ["female" if female else "male"],
    }
    person = _entity(session, actor, agency, reference, "Person", props)
    if rng.random() < 0.6:
        prefix, digits = _PHONE[country]
        number = prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits))
        phone = _entity(session, actor, agency, reference, "Phone", {"number": [number]})
        link(session, actor, agency, reference, "uses_phone", person, phone)
    return Suspect(person, role, Sex.female if female else Sex.male, born, citizenship)


def cell_roles(rng: random.Random, kind: str, count: int) -> list[DefendantRole]:
    family = SMUGGLING if kind == SMUGGLING else "trafficking"
    roles, weights = zip(*_ROLES[family], strict=True)
    leader = _LEADER.get(kind, R.recruiter)
    return [leader, *rng.choices(roles, weights=weights, k=max(0, count - 1))]


def _entity(
    session: Session,
    actor: Actor,
    agency: Agency,
    reference: str,
    schema: str,
    props: dict[str, list[str]],
) -> Entity:
    entity, problems = entities.add_entity(
        session,
        actor=actor,
        agency=agency,
        schema_name=schema,
        properties=props,
        source_kind=SourceKind.report,
        source_ref=reference,
    )
    if problems:  # the demo writes only what the entity schemata accept
        raise RuntimeError(f"demo entity refused: {problems}")
    return entity


def link(
    session: Session,
    actor: Actor,
    agency: Agency,
    reference: str,
    kind: str,
    source: Entity,
    target: Entity,
    **props: list[str],
) -> None:
    entities.add_link(
        session,
        actor=actor,
        agency=agency,
        link_in=LinkCreate(
            type=kind,
            source_entity_id=source.id,
            target_entity_id=target.id,
            properties=props,
            source_kind=SourceKind.report,
            source_ref=reference,
        ),
        source=source,
        target=target,
    )


def linked(session: Session, a: uuid.UUID, b: uuid.UUID) -> bool:
    """Whether the store already links the two entities, either way."""
    pair = or_(
        (Link.source_entity_id == a) & (Link.target_entity_id == b),
        (Link.source_entity_id == b) & (Link.target_entity_id == a),
    )
    return session.scalars(select(Link.id).where(pair).limit(1)).first() is not None
