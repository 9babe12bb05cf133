"""A national action plan for each demo country, built through the plans service.

Modelled on what the seeds' committees adopted: Morocco's national plan 2023-2030 and its
strategic action plan 2023-2026 (press release of 16 May 2023, seeds/), Egypt's national strategy
2022-2026; the other countries get a plausible plan of the same shape. Four pillars, measures
carried by the demo agencies (a lead and partners), indicators computed from the records or
entered by hand, two progress reports, and a few measures left overdue.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.permissions import Actor
from jusoor.plans import progress, service
from jusoor.plans.models import Indicator, Measure, Pillar, Plan
from jusoor.plans.schemas import (
    IndicatorIn,
    IndicatorReportIn,
    MeasureIn,
    MeasureReportIn,
    PillarIn,
    PlanIn,
    ReportIn,
)
from jusoor.plans.vocabulary import (
    Direction,
    IndicatorSource,
    MeasureStatus,
    PillarKind,
    PlanStatus,
)

# (title en, title ar, title fr, start year, end year)
TITLES = {
    "MA": ("Strategic National Action Plan to Combat and Prevent Trafficking in Human Beings 2023-2026",
           "مخطط العمل الاستراتيجي الوطني لمكافحة الاتجار بالبشر والوقاية منه 2023-2026",
           "Plan d'action stratégique national de lutte contre la traite des êtres humains 2023-2026",
           2023, 2026),
    "EG": ("National Strategy for Combating and Preventing Trafficking in Persons 2022-2026",
           "الاستراتيجية الوطنية لمكافحة ومنع الاتجار بالبشر 2022-2026",
           "Stratégie nationale de lutte contre la traite des personnes et de sa prévention 2022-2026",
           2022, 2026),
}  # fmt: skip
DEFAULT_TITLE = (
    "National Action Plan to Combat Trafficking in Persons 2024-2027",
    "الخطة الوطنية لمكافحة الاتجار بالأشخاص 2024-2027",
    "Plan d'action national de lutte contre la traite des personnes 2024-2027",
    2024,
    2027,
)
PILLARS = {
    PillarKind.prevention: "Prevent trafficking and raise awareness",
    PillarKind.protection: "Identify, protect and assist victims",
    PillarKind.prosecution: "Investigate, prosecute and punish traffickers",
    PillarKind.partnership: "Coordinate nationally and cooperate across borders",
}
# (pillar, title, lead agency suffix, partner suffixes, months from the plan's start to the
# deadline, budget in thousands of the country's currency or None)
MEASURES = (
    (PillarKind.prevention, "National awareness campaign on forced labour and fraudulent job offers", "ngo", ("iom",), 12, 450),
    (PillarKind.prevention, "Inspection of recruitment agencies and domestic work contracts", "labour", ("police",), 18, 300),
    (PillarKind.prevention, "Trafficking modules in school curricula for children at risk", "commission", ("ngo",), 30, None),
    (PillarKind.protection, "Standard operating procedures of the national referral mechanism", "commission", ("shelter", "health", "police"), 6, 120),
    (PillarKind.protection, "Train frontline staff in identifying victims (screening tool)", "police", ("labour", "iom"), 9, 200),
    (PillarKind.protection, "Open a specialised shelter unit for child victims", "shelter", ("health",), 24, 1500),
    (PillarKind.protection, "Free medical and psychological care for identified victims", "health", ("shelter",), 36, 800),
    (PillarKind.prosecution, "Specialised prosecutors for trafficking cases in each region", "prosecution", ("justice",), 15, None),
    (PillarKind.prosecution, "Joint training of judges and prosecutors on victim-centred trials", "justice", ("court", "prosecution"), 20, 250),
    (PillarKind.prosecution, "Financial investigations and asset recovery in trafficking cases", "police", ("prosecution",), 40, 350),
    (PillarKind.partnership, "Memoranda with countries of origin on safe return", "justice", ("iom",), 10, None),
    (PillarKind.partnership, "Annual national report on trafficking in persons", "commission", ("police", "prosecution"), 42, 60),
)  # fmt: skip
CURRENCY = {
    "MA": "MAD",
    "EG": "EGP",
    "TN": "TND",
    "LY": "LYD",
    "MR": "MRU",
    "KW": "KWD",
    "JO": "JOD",
}
COMMITTEE = {"EG": "eg-nccpim", "MA": "ma-commission", "TN": "tn-inltp", "MR": "mr-authority"}


def _agency(session: Session, country: str, suffix: str) -> uuid.UUID:
    code = (
        COMMITTEE.get(country, f"{country.lower()}-committee")
        if suffix == "commission"
        else f"{country.lower()}-{suffix}"
    )
    agency = agencies.agency_by_code(session, code)
    if agency is None:
        raise LookupError(f"demo plan: no agency {code}")
    return agency.id


def _months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


def load_plan(
    session: Session, *, actor: Actor, country: str, today: dt.date | None = None, seed: int = 2026
) -> Plan:
    """The demo plan of `country`, with two progress reports; runs in the caller's transaction."""
    rng = random.Random(f"{seed}-{country}")  # noqa: S311 - reproducible demo data
    today = today or dt.date.today()
    en, ar, fr, first, last = TITLES.get(country, DEFAULT_TITLE)
    committee = agencies.agency_by_code(
        session, COMMITTEE.get(country, f"{country.lower()}-committee")
    )
    plan = service.create_plan(
        session,
        actor=actor,
        country=country,
        plan_in=PlanIn(
            title_en=en, title_ar=ar, title_fr=fr,
            adopting_body=committee.name_en if committee else "",
            adopted_on=dt.date(first - 1, 12, 15),
            period_start=dt.date(first, 1, 1), period_end=dt.date(last, 12, 31),
            status=PlanStatus.adopted,
        ),
    )  # fmt: skip
    pillars = {
        kind: service.add_pillar(
            session, actor=actor, plan_id=plan.id, pillar_in=PillarIn(kind=kind, title=title)
        )
        for kind, title in PILLARS.items()
    }
    measures = []
    for kind, title, lead, partners, months, budget in MEASURES:
        measures.append(
            service.add_measure(
                session,
                actor=actor,
                measure_in=MeasureIn(
                    pillar_id=pillars[kind].id,
                    title=title,
                    start=plan.period_start,
                    deadline=_months(plan.period_start, months),
                    budget_amount=budget * 1000.0 if budget else None,
                    currency=CURRENCY[country] if budget else None,
                    lead_agency_id=_agency(session, country, lead),
                    agency_ids=[_agency(session, country, p) for p in partners],
                ),
            )
        )
    indicators = _indicators(session, actor, pillars, measures, first)
    _reports(session, actor, plan, measures, indicators, today, rng)
    return plan


_Row = tuple[
    PillarKind, "Measure | None", str, str, int, int, IndicatorSource, str | None, dict[str, str]
]


def _indicators(
    session: Session,
    actor: Actor,
    pillars: dict[PillarKind, Pillar],
    measures: list[Measure],
    year: int,
) -> list[Indicator]:
    base = year - 1
    rows: tuple[_Row, ...] = (
        (PillarKind.protection, None, "Victims identified in the referral mechanism", "victims", 40, 120, IndicatorSource.engine, "cases", {}),
        (PillarKind.protection, measures[5], "Child victims identified", "children", 8, 30, IndicatorSource.engine, "cases", {"age_group": "child"}),
        (PillarKind.protection, measures[4], "Frontline staff trained in identification", "people", 0, 600, IndicatorSource.manual, None, {}),
        (PillarKind.prevention, measures[0], "Awareness campaigns run", "campaigns", 1, 8, IndicatorSource.manual, None, {}),
        (PillarKind.prosecution, measures[8], "Judges and prosecutors trained", "people", 20, 200, IndicatorSource.manual, None, {}),
    )  # fmt: skip
    made = []
    for kind, measure, name, unit, baseline, target, source, statistic, filters in rows:
        made.append(
            service.add_indicator(
                session,
                actor=actor,
                indicator_in=IndicatorIn(
                    pillar_id=pillars[kind].id,
                    measure_id=measure.id if measure else None,
                    name=name,
                    unit=unit,
                    baseline_value=baseline,
                    baseline_year=base,
                    target_value=target,
                    target_year=base + 4,
                    direction=Direction.up,
                    source=source,
                    statistic=statistic,
                    filters=filters,
                ),
            )
        )
    return made


def _reports(
    session: Session,
    actor: Actor,
    plan: Plan,
    measures: list[Measure],
    indicators: list[Indicator],
    today: dt.date,
    rng: random.Random,
) -> None:
    """Two yearly reports before today; measures past their deadline are mostly done, a few
    are left delayed or in progress (overdue)."""
    for offset in (2, 1):
        year = today.year - offset + 1
        start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
        entries = []
        for measure in measures:
            if measure.start > end:
                continue
            late = measure.deadline <= end
            status = (
                rng.choices([MeasureStatus.done, MeasureStatus.delayed], weights=[4, 1])[0]
                if late
                else MeasureStatus.in_progress
            )
            entries.append(
                MeasureReportIn(
                    measure_id=measure.id,
                    status=status,
                    narrative=f"{measure.title}: {status.value.replace('_', ' ')} ({year}).",
                )
            )
        values = [
            IndicatorReportIn(
                indicator_id=i.id,
                value=None if i.source is IndicatorSource.engine else round(
                    i.baseline_value + (i.target_value - i.baseline_value) * rng.uniform(0.2, 0.6) / offset
                ),
            )
            for i in indicators
        ]  # fmt: skip
        progress.report_progress(
            session,
            actor=actor,
            plan_id=plan.id,
            report_in=ReportIn(
                label=str(year),
                period_start=start,
                period_end=end,
                measures=entries,
                indicators=values,
            ),
        )


def load_if_empty(
    session: Session, *, actor: Actor, countries: tuple[str, ...], seed: int = 2026
) -> int:
    """A plan for each of `countries` on a node that has none yet; returns how many."""
    if session.scalar(select(Plan.id).limit(1)) is not None:
        return 0
    for country in countries:
        load_plan(session, actor=actor, country=country, seed=seed)
    return len(countries)
