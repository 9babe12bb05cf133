"""The identifying part of a case profile, as case workers type it: names in Arabic or Latin script
in mixed formats, aliases, a birth date when documents were seen, a phone, identity documents.

Names come from `jusoor.synth.names` (the person's country of origin): a pool of a few thousand
per country and gender, so that names recur across a national caseload as they do in life. All
people are fictional; numbers are drawn, never taken from anyone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from jusoor.synth.names import UPPER, PersonName, random_person_name

POOL = 500  # names per (country, gender): names recur across a caseload
# A mobile number as a case worker would note it, per country: (prefix, digits after it).
PHONES = {
    "EG": ("+20 10", 8),
    "MA": ("+212 6", 8),
    "TN": ("+216 2", 7),
    "LY": ("+218 91", 7),
    "MR": ("+222 4", 7),
    "KW": ("+965 5", 7),
    "JO": ("+962 7", 8),
}
DOCUMENTS = ("passport", "جواز سفر", "ID card", "carte de séjour", "بطاقة هوية")


@dataclass(frozen=True)
class Identity:
    name: str
    aliases: str | None
    date_of_birth: str | None
    contact: str | None
    identity_documents: str | None


class NamePool:
    """Names as case workers wrote them (script, spelling, aliases), a pool per country of origin
    and gender, drawn once each and then met again, as names recur in a population."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._pools: dict[tuple[str, str], list[tuple[str, str | None]]] = {}

    def draw(self, country: str, gender: str) -> tuple[str, str | None]:
        key = (country, gender)
        pool = self._pools.setdefault(key, [])
        if len(pool) < POOL:
            pool.append(
                _written(self.rng, random_person_name(self.rng, country=country, gender=gender))
            )
            return pool[-1]
        return self.rng.choice(pool)


def _written(rng: random.Random, person: PersonName) -> tuple[str, str | None]:
    """(name, aliases): Arabic script with a Latin alias mostly, else the passport's capitals or
    a Latin spelling with the Arabic as alias; sometimes no alias, sometimes two."""
    r = rng.random()
    if r < 0.65:
        name, alias = person.arabic(), person.latin(rng=rng)
    elif r < 0.8:
        name, alias = person.latin(UPPER, rng=rng), person.arabic()
    else:
        name, alias = person.latin(rng=rng), person.arabic(variant=True, rng=rng)
    r = rng.random()
    if r < 0.2:
        return name, None
    if r < 0.85:
        return name, alias
    return name, f"{alias}, {person.latin(rng=rng, short=True)}"


def identity(
    rng: random.Random,
    names: NamePool,
    *,
    origin: str,
    woman: bool,
    age: int,
    opened: dt.datetime,
    found_in: str,
) -> Identity:
    """One person's identifying fields, in the formats the case form accepts."""
    name, aliases = names.draw(origin, "female" if woman else "male")
    born = None
    if rng.random() < 0.3:  # documents seen
        day = dt.date(opened.year - age, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        born = day.isoformat()
    contact = _phone(rng, found_in) if rng.random() < 0.15 else None
    documents = None
    if rng.random() < 0.15:
        number = f"{rng.choice('ABCNP')}{rng.randint(1_000_000, 99_999_999)}"
        documents = f"{rng.choice(DOCUMENTS)} {number}"
    return Identity(name, aliases, born, contact, documents)


def _phone(rng: random.Random, country: str) -> str:
    prefix, digits = PHONES.get(country, PHONES["EG"])
    number = "".join(str(rng.randint(0, 9)) for _ in range(digits))
    half = digits // 2
    return f"{prefix}{number[:1]} {number[1:half]} {number[half:]}"
