"""A synthetic national database of N victims' cases, built fast for the statistics benchmark.

The rows are drawn from the demo generator's own vocabularies and distributions
(`jusoor.synth.cases`: its routes with their child and women shares, forms of exploitation,
means of control, recruiter relations and the weights of the NRM paths), spread over five years
with a growing caseload, over the demo countries' agencies that open cases. Columns are filled
the way `jusoor.cases.service` fills them (an exact age leaves the band empty, as the service
does); names and every other encrypted column stay NULL: the statistics never read them.

Rows go in with SQLAlchemy Core `executemany` in batches (one transaction per batch, so memory
stays bounded), or on PostgreSQL with `COPY ... FROM STDIN` through psycopg.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sqlalchemy import Engine, insert, select

from jusoor.agencies.models import Agency, User, UserRole
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import AGE_BANDS, Gender, Stage
from jusoor.synth.cases import MEANS, PATHS, RELATIONS, ROUTES, Route

YEARS = 5
# The caseload grows year on year (oldest first), as identifications do once an NRM is in place.
YEAR_WEIGHTS = (0.13, 0.16, 0.2, 0.24, 0.27)
# Kinds of agency that open victims' cases, and how much of a country's caseload each holds.
CASE_HOLDERS = {
    "ngo": 0.35,
    "shelter": 0.2,
    "coordinating_committee": 0.15,
    "labour_inspection": 0.12,
    "police": 0.1,
    "international_organisation": 0.05,
    "health": 0.03,
}
COLUMNS = (
    "id",
    "reference",
    "country",
    "agency_id",
    "owner_id",
    "stage",
    "stage_entered_at",
    "opened_at",
    "closed_at",
    "gender",
    "age",
    "age_band",
    "is_child",
    "citizenship",
    "languages",
    "countries_of_origin",
    "countries_of_transit",
    "countries_of_exploitation",
    "forms_of_exploitation",
    "means_of_control",
    "recruiter_relation",
)
JSON_COLUMNS = frozenset(COLUMNS[13:20])


@dataclass(frozen=True)
class Holder:
    agency_id: uuid.UUID
    owner_id: uuid.UUID
    weight: float


def holders(engine: Engine) -> dict[str, list[Holder]]:
    """Per country, the agencies that hold cases, each with a user of theirs as the owner (the
    country's case worker where the agency has no user)."""
    with engine.connect() as conn:
        agencies = conn.execute(select(Agency.id, Agency.country, Agency.kind)).all()
        users = conn.execute(
            select(User.id, User.agency_id, UserRole.role)
            .join(UserRole, UserRole.user_id == User.id)
            .order_by(User.username)
        )
        by_agency: dict[uuid.UUID, uuid.UUID] = {}
        workers: dict[uuid.UUID, uuid.UUID] = {}
        for user_id, agency_id, role in users:
            by_agency.setdefault(agency_id, user_id)
            if role == "case_worker":
                workers[agency_id] = user_id
    country_worker = {country: workers[a] for a, country, _kind in agencies if a in workers}
    found: dict[str, list[Holder]] = {}
    for agency_id, country, kind in agencies:
        weight = CASE_HOLDERS.get(str(getattr(kind, "value", kind)))
        owner = by_agency.get(agency_id) or country_worker.get(country)
        if weight and owner:
            found.setdefault(country, []).append(Holder(agency_id, owner, weight))
    return found


def _routes_by_country() -> dict[str, list[Route]]:
    out: dict[str, list[Route]] = {}
    for route in ROUTES:
        out.setdefault(route.found_in, []).append(route)
    return out


def rows(
    n: int, *, holders_by_country: dict[str, list[Holder]], now: dt.datetime, seed: int = 17
) -> Iterator[tuple[Any, ...]]:
    """N cases as tuples in `COLUMNS` order (JSON lists as Python lists)."""
    rng = random.Random(seed)
    routes = _routes_by_country()
    countries = sorted(c for c in routes if c in holders_by_country)
    # Larger countries identify more: Egypt and Morocco most, Mauritania least.
    country_weights = list(
        accumulate(
            {"EG": 3, "MA": 2.5, "JO": 1.5, "KW": 1.5, "LY": 1.2, "TN": 1, "MR": 0.6}.get(c, 1)
            for c in countries
        )
    )
    # Cumulative weights, computed once: `choices` would otherwise add them up on every draw.
    holder_weights = {
        c: list(accumulate(h.weight for h in hs)) for c, hs in holders_by_country.items()
    }
    year_weights = list(accumulate(YEAR_WEIGHTS))
    first_year = now.year - YEARS + 1
    paths = [p for p, _ in PATHS]
    path_weights = list(accumulate(w for _, w in PATHS))
    bands = list(AGE_BANDS.items())
    sequence: dict[tuple[str, int], int] = {}
    for _ in range(n):
        country = rng.choices(countries, cum_weights=country_weights)[0]
        route = rng.choice(routes[country])
        place = holders_by_country[country]
        holder = rng.choices(place, cum_weights=holder_weights[country])[0]
        year = first_year + rng.choices(range(YEARS), cum_weights=year_weights)[0]
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        span = (now if year == now.year else dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)) - start
        opened = start + dt.timedelta(seconds=rng.random() * span.total_seconds())
        key = (country, year)
        sequence[key] = sequence.get(key, 0) + 1
        path = rng.choices(paths, cum_weights=path_weights)[0]
        stage = Stage(path[-1]) if path else Stage.identification
        entered = opened + (now - opened) * rng.random() if path else opened
        child = rng.random() < route.child_share
        r = rng.random()
        gender = (
            Gender.unknown
            if r < 0.03
            else Gender.feminine
            if r < 0.03 + 0.97 * route.women_share
            else Gender.masculine
        )
        age = rng.randint(7, 17) if child else rng.randint(18, 52)
        exact = rng.random() < 0.7
        band = next(b for b, (low, high) in bands if low <= age <= (high or 200))
        forms = list(route.forms)
        if child and "forced_labour" in forms and rng.random() < 0.5:
            forms.append("child_labour")
        citizenship = [] if rng.random() < 0.02 else [route.origin]
        yield (
            uuid.UUID(int=rng.getrandbits(128) & ~(0xF << 76) | (4 << 76)),
            f"{country}-{year}-{sequence[key]:06d}",
            country,
            holder.agency_id,
            holder.owner_id,
            stage,
            entered,
            opened,
            entered if stage is Stage.closed else None,
            gender,
            age if exact else None,
            None if exact else band,
            child,
            citizenship,
            list(route.languages),
            [route.origin],
            list(route.transit),
            [route.exploited_in],
            forms,
            sorted(rng.sample(MEANS, k=rng.randint(1, 4))),
            rng.choice(RELATIONS),
        )


def batches(items: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_core(engine: Engine, batch: Sequence[tuple[Any, ...]]) -> None:
    """One batch through SQLAlchemy Core `executemany`, in its own transaction."""
    with engine.begin() as conn:
        conn.execute(
            insert(Case.__table__), [dict(zip(COLUMNS, row, strict=True)) for row in batch]
        )


def insert_copy(engine: Engine, batch: Sequence[tuple[Any, ...]]) -> None:
    """One batch through PostgreSQL's COPY (psycopg 3), in its own transaction."""
    positions = [i for i, c in enumerate(COLUMNS) if c in JSON_COLUMNS]
    enums = [COLUMNS.index("stage"), COLUMNS.index("gender")]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY cases ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in batch:
                values = list(row)
                for i in positions:
                    values[i] = json.dumps(values[i])  # the text SQLAlchemy's JSON type stores
                for i in enums:
                    values[i] = values[i].value
                copy.write_row(values)
        raw.commit()
    finally:
        raw.close()
