"""The agencies and demo users of a node: who works where, for demo, test and benchmark data.

Agencies come from ``data/agencies.yaml`` (real public names for the coordinating bodies and the
international organisations, descriptive or fictional names for the rest); users are synthetic
people from :mod:`jusoor.synth.names`, one per role and country, drawn from a seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jusoor.synth.data_files import AGENCIES_FILE
from jusoor.synth.names import random_person_name

COUNTRIES = ("EG", "MA", "TN", "LY", "MR", "KW", "JO")
AGENCY_KINDS = (
    "coordinating_committee",
    "police",
    "prosecution",
    "judiciary",
    "labour_inspection",
    "ministry",
    "shelter",
    "ngo",
    "health",
    "international_organisation",
)
ADMIN_AGENCY = "eg-nccpim"

# (username prefix, role, kind of agency the role works in): one demo user per row and country.
DEMO_ROLES: tuple[tuple[str, str, str], ...] = (
    ("coordinator", "coordinator", "coordinating_committee"),
    ("screener", "screener", "labour_inspection"),
    ("caseworker", "case_worker", "ngo"),
    ("provider", "service_provider", "shelter"),
    ("investigator", "investigator", "police"),
    ("prosecutor", "prosecutor", "prosecution"),
    ("liaison", "liaison_officer", "ministry"),
    ("analyst", "analyst", "coordinating_committee"),
    ("auditor", "auditor", "coordinating_committee"),
)

# Countries where some staff work in a language other than Arabic, and how many of the nine do.
_SECOND_LOCALE = {"MA": "fr", "TN": "fr", "MR": "fr", "JO": "en", "KW": "en"}
_SECOND_LOCALE_USERS = 3


@dataclass(frozen=True)
class AgencySeed:
    """An agency to create on a demo node; ``code`` is a stable slug such as ``ma-police``."""

    code: str
    country: str
    kind: str
    name_ar: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class UserSeed:
    """A demo user: a synthetic person holding ``roles`` in the agency ``agency_code``."""

    username: str
    display_name: str
    locale: str
    agency_code: str
    roles: tuple[str, ...]


def demo_directory(seed: int = 2026) -> tuple[list[AgencySeed], list[UserSeed]]:
    """The agencies of the seven countries and their demo users; the same seed gives the same lists.

    Users are ``admin`` (in Egypt's coordinating committee) and, for each country ``cc``, one user
    per role named ``<role>.<cc>`` (``coordinator.eg``, ``caseworker.ma``...) in the agency of the
    kind that role works in. Display names are unique, in the country's Latin transliteration.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    agencies = list(demo_agencies())
    home = {(agency.country, agency.kind): agency.code for agency in agencies}
    taken: set[str] = set()
    users = [UserSeed("admin", _display_name(rng, "EG", taken), "en", ADMIN_AGENCY, ("admin",))]
    for country in COUNTRIES:
        second = _SECOND_LOCALE.get(country)
        others = set(rng.sample(range(len(DEMO_ROLES)), _SECOND_LOCALE_USERS)) if second else set()
        for index, (prefix, role, kind) in enumerate(DEMO_ROLES):
            users.append(
                UserSeed(
                    username=f"{prefix}.{country.lower()}",
                    display_name=_display_name(rng, country, taken),
                    locale=second if second and index in others else "ar",
                    agency_code=home[(country, kind)],
                    roles=(role,),
                )
            )
    return agencies, users


def _display_name(rng: random.Random, country: str, taken: set[str]) -> str:
    # Redraw on a clash: two demo users with one name would confuse every screen that lists them.
    while True:
        name = random_person_name(rng, country=country).latin(short=True)
        if name not in taken:
            taken.add(name)
            return name


@cache
def demo_agencies() -> tuple[AgencySeed, ...]:
    """Every agency of the demo directory, country by country, then the regional offices."""
    agencies = tuple(_agencies(AGENCIES_FILE.plain()))  # shape checked by `data_files`
    codes = [agency.code for agency in agencies]
    if len(set(codes)) != len(codes):
        raise ValueError("agencies.yaml: agency codes are not unique")
    for agency in agencies:
        if agency.kind not in AGENCY_KINDS or agency.country not in COUNTRIES:
            raise ValueError(f"agencies.yaml: {agency.code}: unknown kind or country")
    return agencies


def _agencies(raw: Mapping[str, Any]) -> Iterator[AgencySeed]:
    for country in COUNTRIES:
        place = raw["countries"][country]
        committee = raw["committees"][country]
        yield _seed(committee["code"], country, "coordinating_committee", committee)
        for template in raw["templates"]:
            code = f"{country.lower()}-{template['suffix']}"
            override = raw["overrides"].get(f"{country}-{template['suffix']}")
            names = override or {
                lang: template[lang].format(**place) for lang in ("ar", "en", "fr")
            }
            yield _seed(code, country, template["kind"], names)
    for office in raw["regional"]:
        yield _seed(office["code"], office["country"], office["kind"], office)


def _seed(code: str, country: str, kind: str, names: Mapping[str, Any]) -> AgencySeed:
    return AgencySeed(
        code=str(code),
        country=str(country),
        kind=str(kind),
        name_ar=str(names["ar"]),
        name_en=str(names["en"]),
        name_fr=str(names["fr"]),
    )
