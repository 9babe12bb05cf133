"""Victims: the NRM cases of the node, dated by the day the case was opened."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from jusoor.cases.models import Case
from jusoor.core.i18n import N_
from jusoor.stats.engine import Subject, listed, register_subject, single


def _age_group() -> Any:
    from sqlalchemy import case

    return case(
        (Case.is_child.is_(True), "child"),
        (Case.age_band.is_(None), "unknown"),
        else_="adult",
    )


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
            single("age_band", N_("Age group"), lambda: Case.age_band),
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
        )
    },
)

register_subject(CASES)
