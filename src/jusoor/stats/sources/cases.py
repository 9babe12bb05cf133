"""Victims: the NRM cases of the node, dated by the day the case was opened."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, select

from jusoor.cases.models import Case
from jusoor.cases.vocabulary import AGE_BANDS
from jusoor.core.i18n import N_
from jusoor.stats.engine import Dimension, Subject, listed, register_subject, single
from jusoor.stats.tables import UNKNOWN

ROUTE_SEPARATOR = "|"  # between the two JSON lists of a route; no country code contains it


def _route() -> Any:
    """Origin and exploitation lists in one text, so the database groups by the pair of lists."""
    origin = func.coalesce(cast(Case.countries_of_origin, String), "[]")
    exploitation = func.coalesce(cast(Case.countries_of_exploitation, String), "[]")
    return origin + literal(ROUTE_SEPARATOR) + exploitation


def _codes(text: str) -> list[str]:
    items = json.loads(text) if text else []
    return sorted({str(item) for item in items or () if item not in (None, "")})


def route_pairs(value: Any) -> list[str]:
    """Every origin -> exploitation pair of a case ("NG>MA"); an unknown side is `unknown`, a
    case with neither side known is in the unknown category."""
    if value is None:
        return [UNKNOWN]
    origin_text, _, exploitation_text = str(value).partition(ROUTE_SEPARATOR)
    origins, places = _codes(origin_text), _codes(exploitation_text)
    if not origins and not places:
        return [UNKNOWN]
    return sorted({f"{o}>{p}" for o in origins or [UNKNOWN] for p in places or [UNKNOWN]})


def _age_group() -> Any:
    """Child (under 18, as the case says), adult when an age or a band is known, else unknown."""
    return case(
        (Case.is_child.is_(True), "child"),
        (and_(Case.age_band.is_(None), Case.age.is_(None)), "unknown"),
        else_="adult",
    )


def _age_band() -> Any:
    """The recorded band, or the band of the recorded age: a case with an exact age keeps no band
    (cases.service), and would otherwise count as unknown."""
    bands = [
        (and_(Case.age >= low, Case.age <= high) if high is not None else Case.age >= low, band)
        for band, (low, high) in AGE_BANDS.items()
    ]
    return func.coalesce(Case.age_band, case(*bands, else_=None))


CASES = Subject(
    name="cases",
    unit=N_("victims"),
    label=N_("Victims in the referral mechanism"),
    base=lambda: select().select_from(Case),
    dated_by=lambda: Case.opened_at,
    agency=lambda: Case.agency_id,
    country=lambda: Case.country,
    dimensions={
        d.name: d
        for d in (
            single("country", N_("Country"), lambda: Case.country),
            single("agency", N_("Agency"), lambda: Case.agency_id),
            single("stage", N_("Stage"), lambda: Case.stage),
            single("sex", N_("Sex"), lambda: Case.gender),
            single("age_band", N_("Age group"), _age_band),
            single("age_group", N_("Child or adult"), _age_group),
            listed("citizenship", N_("Citizenship"), lambda: Case.citizenship),
            listed("form", N_("Form of exploitation"), lambda: Case.forms_of_exploitation),
            listed("origin", N_("Country of origin"), lambda: Case.countries_of_origin),
            listed("transit", N_("Country of transit"), lambda: Case.countries_of_transit),
            listed(
                "exploitation",
                N_("Country of exploitation"),
                lambda: Case.countries_of_exploitation,
            ),
            single("recruiter", N_("Relation to the recruiter"), lambda: Case.recruiter_relation),
            Dimension(
                "route", N_("Route (origin to exploitation)"), _route, route_pairs, multi=True
            ),
        )
    },
)

register_subject(CASES)
