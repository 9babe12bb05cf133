"""Progress reports of a plan, per period, and the measures that are overdue.

Who reports what (plans.report): the coordinator and the analyst on the whole plan of their
country; the staff of an agency only on the measures their agency is responsible for (and the
indicators attached to those measures). An engine-sourced indicator's value is computed for the
report's period when the report is filed and frozen, so that a later correction of a case does
not rewrite what the committee published.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.errors import Conflict, Forbidden, Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, Scope
from jusoor.plans import service, sources
from jusoor.plans.models import (
    Indicator,
    IndicatorValue,
    Measure,
    MeasureProgress,
    Pillar,
    Plan,
    ProgressReport,
)
from jusoor.plans.schemas import IndicatorReportIn, MeasureReportIn, ReportIn
from jusoor.plans.vocabulary import FINISHED, IndicatorSource

REPORT = Action.plans_report


def may_report(actor: Actor, plan: Plan, measure: Measure | None) -> bool:
    """Whether `actor` may report on `measure` of `plan` (None: a plan-wide indicator)."""
    scope = actor.scope(REPORT)
    if scope is None:
        return False
    if scope is Scope.all:
        return True
    if plan.country != actor.country:
        return False
    if scope is Scope.country:
        return True
    return (
        scope is Scope.agency
        and measure is not None
        and actor.agency_id is not None
        and actor.agency_id in measure.agency_ids
    )


def reportable(actor: Actor, plan: Plan) -> tuple[list[Measure], list[Indicator]]:
    """The measures and indicators of `plan` the actor may report on, in the plan's order."""
    measures = [m for p in plan.pillars for m in p.measures if may_report(actor, plan, m)]
    indicators = [
        i for p in plan.pillars for i in p.indicators if may_report(actor, plan, i.measure)
    ]
    return measures, indicators


def _period(session: Session, plan: Plan, report_in: ReportIn) -> ProgressReport:
    if report_in.period_end < report_in.period_start:
        raise Invalid("period_end", _("The period must end after it starts."))
    found = next((r for r in plan.reports if r.label == report_in.label), None)
    if found is None:
        found = ProgressReport(
            label=report_in.label,
            period_start=report_in.period_start,
            period_end=report_in.period_end,
        )
        plan.reports.append(found)
        session.flush()
    elif (found.period_start, found.period_end) != (report_in.period_start, report_in.period_end):
        raise Conflict(
            _("The period %(label)s is already reported from %(start)s to %(end)s.",
              label=found.label, start=found.period_start, end=found.period_end)
        )  # fmt: skip
    return found


def _links(evidence: list[str]) -> list[str]:
    links = [link.strip() for link in evidence if link.strip()]
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid("evidence", _("%(link)s is not a web link (https://...).", link=link))
    return links


def _measure(plan: Plan, measure_id: uuid.UUID) -> Measure:
    for pillar in plan.pillars:
        for measure in pillar.measures:
            if measure.id == measure_id:
                return measure
    raise Invalid("measure_id", _("No such measure in this plan."))


def _indicator(plan: Plan, indicator_id: uuid.UUID) -> Indicator:
    for pillar in plan.pillars:
        for indicator in pillar.indicators:
            if indicator.id == indicator_id:
                return indicator
    raise Invalid("indicator_id", _("No such indicator in this plan."))


def _record_measure(
    actor: Actor, plan: Plan, report: ProgressReport, item: MeasureReportIn
) -> MeasureProgress:
    measure = _measure(plan, item.measure_id)
    if not may_report(actor, plan, measure):
        raise Forbidden(_("Your agency is not responsible for this measure."))
    entry = next((m for m in report.measures if m.measure_id == measure.id), None)
    if entry is None:
        entry = MeasureProgress(measure_id=measure.id, status=item.status)
        report.measures.append(entry)
    entry.status, entry.narrative, entry.evidence = (
        item.status,
        item.narrative,
        _links(item.evidence),
    )
    entry.reported_by, entry.agency_id = actor.user_id, actor.agency_id
    measure.status = item.status  # the measure's current status is its latest report's
    return entry


def _record_value(
    session: Session, actor: Actor, plan: Plan, report: ProgressReport, item: IndicatorReportIn
) -> IndicatorValue:
    indicator = _indicator(plan, item.indicator_id)
    if not may_report(actor, plan, indicator.measure):
        raise Forbidden(_("Your agency is not responsible for this indicator."))
    if indicator.source is IndicatorSource.engine:
        if item.value is not None:
            raise Invalid(
                "value", _("This indicator is computed from the records; leave it empty.")
            )
        value = float(
            sources.national_count(
                session,
                statistic=indicator.statistic or "",
                filters=indicator.filters,
                country=plan.country,
                start=report.period_start,
                end=report.period_end,
            )
        )
    elif item.value is None:
        raise Invalid("value", _("Enter the indicator's value for the period."))
    else:
        value = item.value
    entry = next((v for v in report.values if v.indicator_id == indicator.id), None)
    if entry is None:
        entry = IndicatorValue(indicator_id=indicator.id, value=value)
        report.values.append(entry)
    entry.value, entry.note, entry.reported_by = value, item.note, actor.user_id
    entry.computed = indicator.source is IndicatorSource.engine
    return entry


def report_progress(
    session: Session, *, actor: Actor, plan_id: uuid.UUID, report_in: ReportIn
) -> ProgressReport:
    """File (or correct) the actor's part of the progress report of one period: all of it or
    nothing (a refused measure leaves none of the others saved)."""
    actor.require(REPORT)
    plan = service.get_plan(session, actor=actor, plan_id=plan_id)
    if not report_in.measures and not report_in.indicators:
        raise Invalid("measures", _("Report on at least one measure or indicator."))
    report = _period(session, plan, report_in)
    for item in report_in.measures:
        _record_measure(actor, plan, report, item)
    for value in report_in.indicators:
        _record_value(session, actor, plan, report, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="plan.report",
        object_type="action_plan",
        object_id=plan.id,
        details={
            "period": report.label,
            "measures": len(report_in.measures),
            "indicators": len(report_in.indicators),
        },
    )
    return report


def is_overdue(measure: Measure, today: dt.date | None = None) -> bool:
    return measure.deadline < (today or dt.date.today()) and measure.status not in FINISHED


def overdue_measures(
    session: Session,
    *,
    actor: Actor,
    plan_id: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> Sequence[Measure]:
    """Measures whose deadline has passed and that are neither done nor cancelled, oldest first,
    in the plans the actor may read."""
    day = today or dt.date.today()
    statement = (
        select(Measure)
        .join(Pillar, Measure.pillar_id == Pillar.id)
        .join(Plan, Pillar.plan_id == Plan.id)
        .where(service.visible(actor), Measure.deadline < day, Measure.status.not_in(FINISHED))
        .order_by(Measure.deadline)
    )
    if plan_id is not None:
        statement = statement.where(Plan.id == plan_id)
    return session.scalars(statement).all()


def latest_value(plan: Plan, indicator: Indicator) -> tuple[ProgressReport, IndicatorValue] | None:
    """The indicator's value in the latest period that reported it."""
    for report in sorted(plan.reports, key=lambda r: r.period_end, reverse=True):
        for value in report.values:
            if value.indicator_id == indicator.id:
                return report, value
    return None


def share_of_way(indicator: Indicator, value: float) -> float:
    """How far `value` has come from the baseline to the target, between 0 and 1."""
    span = indicator.target_value - indicator.baseline_value
    if span == 0:
        return 1.0
    return max(0.0, min(1.0, (value - indicator.baseline_value) / span))
