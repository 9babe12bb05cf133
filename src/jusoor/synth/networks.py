"""Synthetic trafficking networks for the demo and tests: recruiters, drivers, victims, phones,
passports, vehicles, accounts and payments, recorded by the police of two or three countries.

Each ring recruits in an origin country, moves people through a transit country and exploits
them in a destination. Every police force records what it saw, in its own script and spelling:
the same recruiter's phone appears in two countries' files, victims are written in Arabic at
home and in capitals abroad — what cross-referencing and the network pages have to find.
Deterministic in `seed`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, AgencyKind
from jusoor.audit import service as audit
from jusoor.core.permissions import Actor
from jusoor.entities import service
from jusoor.entities.models import Entity, SourceKind
from jusoor.entities.schemas import LinkCreate
from jusoor.synth.names import PersonName, random_person_name

# (origin, transit, destination) of each ring, turn by turn.
ROUTES = (("MR", "MA", "EG"), ("EG", "LY", "JO"), ("MA", "TN", "KW"))
_CALLING = {
    "MR": "222",
    "MA": "212",
    "EG": "20",
    "LY": "218",
    "JO": "962",
    "TN": "216",
    "KW": "965",
}
_MOBILE = {"MR": "4", "MA": "6", "EG": "10", "LY": "91", "JO": "79", "TN": "2", "KW": "5"}
_LENGTH = {"MR": 8, "MA": 9, "EG": 10, "LY": 9, "JO": 9, "TN": 8, "KW": 8}
_ARABIC_SCRIPT = {"MR", "EG", "LY", "JO", "KW"}  # whose police write names in Arabic


@dataclass
class _Ring:
    session: Session
    actor: Actor
    rng: random.Random
    agencies: dict[str, Agency]
    ref: str
    counts: Counter[str] = field(default_factory=Counter)

    def entity(self, where: str, schema_name: str, **props: list[str]) -> Entity:
        """An entity recorded by the police of country `where`."""
        entity, _problems = service.add_entity(
            self.session,
            actor=self.actor,
            agency=self.agencies[where],
            schema_name=schema_name,
            properties=props,
            source_kind=SourceKind.report,
            source_ref=self.ref,
        )
        self.counts[schema_name] += 1
        return entity

    def link(self, kind: str, source: Entity, target: Entity, **props: list[str]) -> None:
        agency = self.agencies[source.country]
        link_in = LinkCreate(
            type=kind,
            source_entity_id=source.id,
            target_entity_id=target.id,
            start_date=f"{self.rng.randint(2022, 2025)}-{self.rng.randint(1, 12):02d}",
            properties=props,
            source_kind=SourceKind.report,
            source_ref=self.ref,
        )
        service.add_link(
            self.session,
            actor=self.actor,
            agency=agency,
            link_in=link_in,
            source=source,
            target=target,
        )
        self.counts["links"] += 1

    def person(self, country: str, name: PersonName, born: int) -> Entity:
        written = name.arabic() if country in _ARABIC_SCRIPT else name.latin("upper", rng=self.rng)
        return self.entity(
            country, "Person", name=[written], birthDate=[str(born)], nationality=[name.country]
        )

    def phone(self, country: str, number: str) -> Entity:
        return self.entity(country, "Phone", number=[number])

    def passport(self, country: str, holder: Entity, number: str) -> None:
        document = self.entity(country, "IdentityDocument", number=[number], type=["passport"])
        self.link("holds_document", holder, document)


def _number(rng: random.Random, country: str) -> str:
    mobile = _MOBILE[country]
    rest = "".join(str(rng.randint(0, 9)) for _ in range(_LENGTH[country] - len(mobile)))
    return f"+{_CALLING[country]}{mobile}{rest}"


def _passport_number(rng: random.Random) -> str:
    return rng.choice("ABCDEFGHKLMNP") + "".join(str(rng.randint(0, 9)) for _ in range(7))


def _police(session: Session, countries: set[str]) -> dict[str, Agency]:
    rows = session.scalars(
        select(Agency)
        .where(Agency.kind == AgencyKind.police, Agency.country.in_(countries))
        .order_by(Agency.code)
    )
    found: dict[str, Agency] = {}
    for agency in rows:
        found.setdefault(agency.country, agency)
    return found


def _ring(ring: _Ring, origin: str, transit: str, destination: str) -> None:
    rng = ring.rng
    recruiter_name = random_person_name(rng, country=origin, gender="male")
    recruiter = ring.person(origin, recruiter_name, rng.randint(1970, 1990))
    recruiter_phone = _number(rng, origin)
    ring.link("uses_phone", recruiter, ring.phone(origin, recruiter_phone))
    ring.passport(origin, recruiter, _passport_number(rng))
    agency_name = f"{recruiter_name.latin(rng=rng).split()[-1].title()} Travel"
    front = ring.entity(origin, "Organization", name=[agency_name], country=[origin])
    ring.link("employs", front, recruiter)
    # The transit police found the recruiter's number in a driver's phone: their own record.
    driver = ring.person(transit, random_person_name(rng, country=transit), rng.randint(1975, 1995))
    ring.link("uses_phone", driver, ring.phone(transit, _number(rng, transit)))
    ring.link("associate", driver, ring.person(transit, recruiter_name, rng.randint(1970, 1990)))
    contact = ring.phone(transit, recruiter_phone)
    ring.link("uses_phone", driver, contact)
    plate = f"{rng.randint(10000, 99999)}-{rng.choice('ABDHW')}-{rng.randint(1, 80)}"
    ring.link("owns_vehicle", driver, ring.entity(transit, "Vehicle", registrationNumber=[plate]))
    exploiter = ring.person(destination, random_person_name(rng, country=destination), 1975)
    account = ring.entity(
        destination, "BankAccount", accountNumber=[str(rng.randint(10**11, 10**12 - 1))]
    )
    ring.link("holds_account", exploiter, account)
    fee = str(rng.randrange(1500, 6000, 100))
    ring.link("paid", exploiter, ring.person(destination, recruiter_name, 1980), amount=[fee])
    victims = [random_person_name(rng, country=origin) for _ in range(rng.randint(3, 5))]
    at_home = [ring.person(origin, name, rng.randint(1995, 2006)) for name in victims]
    abroad = [ring.person(transit, name, rng.randint(1995, 2006)) for name in victims]
    for name, victim, seen_abroad in zip(victims, at_home, abroad, strict=True):
        ring.link("recruited", recruiter, victim)
        ring.link("travelled_with", seen_abroad, driver)
        ring.passport(origin, victim, _passport_number(rng))
        ring.link("exploited", exploiter, ring.person(destination, name, rng.randint(1995, 2006)))
    ring.link("family", at_home[0], at_home[1], relationship=["sibling"])


def load_network(
    session: Session, *, actor: Actor, seed: int = 2026, rings: int = 3
) -> Counter[str]:
    """Add `rings` synthetic networks to the police of the demo countries; counts per schema and
    of links. Runs in the caller's transaction; countries without a police agency are skipped."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    counts: Counter[str] = Counter()
    routes = [ROUTES[i % len(ROUTES)] for i in range(rings)]
    agencies = _police(session, {c for route in routes for c in route})
    for index, route in enumerate(routes):
        if not all(country in agencies for country in route):
            continue
        ring = _Ring(session, actor, rng, agencies, f"synthetic-ring-{index + 1}")
        _ring(ring, *route)
        counts += ring.counts
    audit.record(session, actor=actor, action="entity.synthetic", details=dict(counts))
    return counts


def load_if_empty(session: Session, *, actor: Actor, seed: int = 2026) -> Counter[str]:
    """The demo's networks, once: nothing when the node already holds entities other than the
    case persons that the demo's cases index on their own."""
    recorded = select(Entity.id).where(Entity.source_kind != SourceKind.case).limit(1)
    if session.scalars(recorded).first() is not None:
        return Counter()
    return load_network(session, actor=actor, seed=seed)
