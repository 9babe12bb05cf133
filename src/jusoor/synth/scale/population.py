"""Who holds a national caseload, and how cases are spread over countries, years and agencies.

Drawn from the demo generator's own vocabularies and distributions (`jusoor.synth.cases`: its
routes with their child and women shares, forms of exploitation, means of control, recruiter
relations and the weights of the NRM paths): five years with a growing caseload, the demo
countries weighted by size, and within a country the kinds of agency that open victims' cases.

`rows` is the statistics bench's flat draw (profile codes only, names NULL); the scale loader
draws richer cases from the same pieces (`jusoor.synth.scale.caseload`).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, cast

from sqlalchemy import Engine, Table, insert, select

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
# Larger countries identify more: Egypt and Morocco most, Mauritania least.
COUNTRY_WEIGHTS = {"EG": 3, "MA": 2.5, "JO": 1.5, "KW": 1.5, "LY": 1.2, "TN": 1, "MR": 0.6}
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
        weight = holder_weight(kind)
        owner = by_agency.get(agency_id) or country_worker.get(country)
        if weight and owner:
            found.setdefault(country, []).append(Holder(agency_id, owner, weight))
    return found


def holder_weight(kind: object) -> float:
    """The share of a country's caseload an agency of this kind holds (0: it opens none)."""
    return CASE_HOLDERS.get(str(getattr(kind, "value", kind)), 0.0)


def routes_by_country() -> dict[str, list[Route]]:
    out: dict[str, list[Route]] = {}
    for route in ROUTES:
        out.setdefault(route.found_in, []).append(route)
    return out


def country_cum_weights(countries: Sequence[str]) -> list[float]:
    return list(accumulate(COUNTRY_WEIGHTS.get(c, 1) for c in countries))


def year_cum_weights(years: int) -> list[float]:
    """Cumulative weights of the years, oldest first: `YEAR_WEIGHTS` for five, else growing
    linearly (the caseload grows as the mechanism matures)."""
    weights = YEAR_WEIGHTS if years == YEARS else tuple(float(i + 2) for i in range(years))
    return list(accumulate(weights))


def opened_in(rng: random.Random, now: dt.datetime, years: int = YEARS) -> tuple[int, dt.datetime]:
    """A year of the last `years` (the caseload growing) and a moment in it, never after `now`."""
    cum = _YEAR_CUM if years == YEARS else year_cum_weights(years)
    year = now.year - years + 1 + rng.choices(range(years), cum_weights=cum)[0]
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    span = (now if year == now.year else dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)) - start
    return year, start + dt.timedelta(seconds=rng.random() * span.total_seconds())


_YEAR_CUM = year_cum_weights(YEARS)


def age_and_band(rng: random.Random, child: bool) -> tuple[int | None, str | None, int]:
    """(exact age or None, band or None, the age): an exact age leaves the band empty, as the
    case service does; 30% are known only by their band."""
    age = rng.randint(7, 17) if child else rng.randint(18, 52)
    exact = rng.random() < 0.7
    band = next(b for b, (low, high) in AGE_BANDS.items() if low <= age <= (high or 200))
    return (age if exact else None), (None if exact else band), age


def gender_of(rng: random.Random, route: Route) -> Gender:
    r = rng.random()
    if r < 0.03:
        return Gender.unknown
    return Gender.feminine if r < 0.03 + 0.97 * route.women_share else Gender.masculine


def forms_of(rng: random.Random, route: Route, child: bool) -> list[str]:
    forms = list(route.forms)
    if child and "forced_labour" in forms and rng.random() < 0.5:
        forms.append("child_labour")
    return forms


def random_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID from `rng` (reproducible for a seed)."""
    return uuid.UUID(int=rng.getrandbits(128) & ~(0xF << 76) | (4 << 76))


def rows(
    n: int, *, holders_by_country: dict[str, list[Holder]], now: dt.datetime, seed: int = 17
) -> Iterator[tuple[Any, ...]]:
    """N cases as tuples in `COLUMNS` order (JSON lists as Python lists), for the statistics
    bench: profile codes only, names and every other encrypted column left NULL."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not a secret
    routes = routes_by_country()
    countries = sorted(c for c in routes if c in holders_by_country)
    country_weights = country_cum_weights(countries)
    # Cumulative weights, computed once: `choices` would otherwise add them up on every draw.
    holder_weights = {
        c: list(accumulate(h.weight for h in hs)) for c, hs in holders_by_country.items()
    }
    paths = [p for p, _ in PATHS]
    path_weights = list(accumulate(w for _, w in PATHS))
    sequence: dict[tuple[str, int], int] = {}
    for _ in range(n):
        country = rng.choices(countries, cum_weights=country_weights)[0]
        route = rng.choice(routes[country])
        place = holders_by_country[country]
        holder = rng.choices(place, cum_weights=holder_weights[country])[0]
        year, opened = opened_in(rng, now)
        key = (country, year)
        sequence[key] = sequence.get(key, 0) + 1
        path = rng.choices(paths, cum_weights=path_weights)[0]
        stage = Stage(path[-1]) if path else Stage.identification
        entered = opened + (now - opened) * rng.random() if path else opened
        child = rng.random() < route.child_share
        gender = gender_of(rng, route)
        age, band, _age = age_and_band(rng, child)
        forms = forms_of(rng, route, child)
        citizenship = [] if rng.random() < 0.02 else [route.origin]
        yield (
            random_uuid(rng),
            f"{country}-{year}-{sequence[key]:06d}",
            country,
            holder.agency_id,
            holder.owner_id,
            stage,
            entered,
            opened,
            entered if stage is Stage.closed else None,
            gender,
            age,
            band,
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
            insert(cast(Table, Case.__table__)),
            [dict(zip(COLUMNS, row, strict=True)) for row in batch],
        )


def insert_copy(engine: Engine, batch: Sequence[tuple[Any, ...]]) -> None:
    """One batch through PostgreSQL's COPY (psycopg 3), in its own transaction."""
    positions = [i for i, c in enumerate(COLUMNS) if c in JSON_COLUMNS]
    enums = [COLUMNS.index("stage"), COLUMNS.index("gender")]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY cases ({', '.join(COLUMNS)}) FROM STDIN") as copy:
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
