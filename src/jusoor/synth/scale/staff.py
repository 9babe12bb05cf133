"""The people of a national caseload: case workers spread over the agencies that hold cases, and
who else acts on cases (screeners, the competent authority, providers), read from the directory.

A national node has hundreds of case workers, not the demo's one per country: `ensure_case_workers`
adds synthetic ones (about one per `CASELOAD` cases, through the users service, with the demo
password's hash) to every agency that opens cases, weighted as `population.CASE_HOLDERS` is. Their
usernames are `cw.<country>.<number>`; they are not demo users (no second factor, not listed at
start-up) but share the demo password, so the load test can sign in as any of them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.models import Agency, User, UserRole
from jusoor.agencies.schemas import UserCreate
from jusoor.cases.models import Case
from jusoor.core.permissions import Actor
from jusoor.core.security import passwords
from jusoor.synth.scale.population import COUNTRY_WEIGHTS, holder_weight

CASELOAD = 400  # cases a case worker has held over five years, about


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    username: str
    agency_id: uuid.UUID
    country: str


@dataclass
class HolderAgency:
    id: uuid.UUID
    code: str
    country: str
    weight: float
    workers: list[Person] = field(default_factory=list)


@dataclass
class Staff:
    """Per country: the agencies holding cases (with their case workers) and who screens,
    decides identifications, and answers referrals (per agency)."""

    holders: dict[str, list[HolderAgency]]
    screeners: dict[str, list[Person]]
    deciders: dict[str, list[Person]]
    responders: dict[uuid.UUID, Person]  # a provider (else any user) of each agency
    agency_codes: dict[uuid.UUID, str]


def ensure_case_workers(session: Session, *, actor: Actor, cases: int, password: str) -> int:
    """Add synthetic case workers until the holding agencies have one per CASELOAD cases held
    (those already there and the `cases` to come);
    returns how many were created (none when there are enough)."""
    holding = [
        a for a in session.scalars(select(Agency).order_by(Agency.code)) if holder_weight(a.kind)
    ]
    weights = {a.id: holder_weight(a.kind) * COUNTRY_WEIGHTS.get(a.country, 1) for a in holding}
    total_weight = sum(weights.values()) or 1.0
    held = session.scalar(select(func.count()).select_from(Case)) or 0
    wanted_all = max(len(holding), (held + cases) // CASELOAD)
    have = _worker_counts(session)
    shared_hash = passwords.hash_password(password)
    numbers: dict[str, int] = defaultdict(int)
    created = 0
    for agency in holding:
        wanted = max(1, round(wanted_all * weights[agency.id] / total_weight))
        for _ in range(wanted - have.get(agency.id, 0)):
            username = _free_username(session, agency.country, numbers)
            agencies.create_user(
                session,
                actor=actor,
                user_in=UserCreate(
                    username=username,
                    display_name=f"Case worker {username}",
                    agency_code=agency.code,
                    roles=["case_worker"],
                    locale="ar",
                ),
                check_policy=False,
                password_hash=shared_hash,
            )
            created += 1
    session.flush()
    return created


def _worker_counts(session: Session) -> dict[uuid.UUID, int]:
    rows = session.execute(
        select(User.agency_id, User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "case_worker", User.active.is_(True))
    )
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for agency_id, _user in rows:
        counts[agency_id] += 1
    return counts


def _free_username(session: Session, country: str, numbers: dict[str, int]) -> str:
    while True:
        numbers[country] += 1
        username = f"cw.{country.lower()}.{numbers[country]:04d}"
        if agencies.get_user_by_username(session, username) is None:
            return username


def read_staff(session: Session) -> Staff:
    """Who acts on cases, per country and agency, from the users and their roles."""
    agency_rows = session.execute(
        select(Agency.id, Agency.code, Agency.country, Agency.kind).order_by(Agency.code)
    ).all()
    codes = {a_id: code for a_id, code, _c, _k in agency_rows}
    holders: dict[uuid.UUID, HolderAgency] = {
        a_id: HolderAgency(a_id, code, country, holder_weight(kind))
        for a_id, code, country, kind in agency_rows
        if holder_weight(kind)
    }
    country_of = {a_id: country for a_id, _code, country, _k in agency_rows}
    screeners: dict[str, list[Person]] = defaultdict(list)
    deciders: dict[str, list[Person]] = defaultdict(list)
    responders: dict[uuid.UUID, Person] = {}
    users = session.execute(
        select(User.id, User.username, User.agency_id, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True))
        .order_by(User.username)
    )
    for user_id, username, agency_id, role in users:
        who = Person(user_id, username, agency_id, country_of[agency_id])
        if role == "case_worker" and agency_id in holders:
            holders[agency_id].workers.append(who)
        elif role == "screener":
            screeners[who.country].append(who)
        elif role in ("investigator", "prosecutor"):
            deciders[who.country].append(who)
        if role == "service_provider" or agency_id not in responders:
            responders[agency_id] = who
    by_country: dict[str, list[HolderAgency]] = defaultdict(list)
    for holder in holders.values():
        if holder.workers:
            by_country[holder.country].append(holder)
    return Staff(dict(by_country), dict(screeners), dict(deciders), responders, codes)
