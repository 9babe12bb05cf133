"""The plan as it feeds the annual national report: JSON or a workbook (XLSX).

What leaves: the plan, its pillars, measures with responsible agencies and status (overdue
marked), indicators with baseline, latest value and target, and every progress report. A value
computed from the records goes out as published by `stats.disclosure` ("<5" under five), never
exact; values entered by hand are the committee's own figures and go out as entered.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.plans import labels, service, sources
from jusoor.plans.views import PlanView, plan_view

FORMATS = ("json", "xlsx")


def document(view: PlanView, locale: str) -> dict[str, Any]:
    """The plan as plain data (the JSON export, and the rows of the workbook)."""
    plan = view.plan
    names = {i.indicator.id: i.indicator.name for p in view.pillars for i in p.indicators}
    titles = {m.measure.id: m.measure.title for p in view.pillars for m in p.measures}
    return {
        "plan": {
            "country": plan.country,
            "title": labels.plan_title(plan, locale),
            "title_ar": plan.title_ar,
            "title_en": plan.title_en,
            "title_fr": plan.title_fr,
            "adopting_body": plan.adopting_body,
            "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "status": plan.status.value,
        },
        "pillars": [
            {
                "pillar": row.pillar.kind.value,
                "title": row.pillar.title or labels.pillar_label(row.pillar.kind),
                "measures": [
                    {
                        "title": m.measure.title,
                        "description": m.measure.description,
                        "responsible": m.agencies,
                        "lead": m.agencies[0] if m.agencies else None,
                        "start": m.measure.start.isoformat(),
                        "deadline": m.measure.deadline.isoformat(),
                        "budget": m.measure.budget_amount,
                        "currency": m.measure.currency,
                        "status": m.measure.status.value,
                        "overdue": m.overdue,
                    }
                    for m in row.measures
                ],
                "indicators": [
                    {
                        "name": i.indicator.name,
                        "unit": i.indicator.unit,
                        "source": i.indicator.source.value,
                        "statistic": i.indicator.statistic,
                        "filters": dict(i.indicator.filters),
                        "baseline": i.baseline,
                        "baseline_year": i.indicator.baseline_year,
                        "latest": i.latest,
                        "latest_period": i.latest_period,
                        "target": i.target,
                        "target_year": i.indicator.target_year,
                        "share_of_way": i.percent,
                    }
                    for i in row.indicators
                ],
            }
            for row in view.pillars
        ],
        "reports": [
            {
                "period": r.label,
                "start": r.period_start.isoformat(),
                "end": r.period_end.isoformat(),
                "measures": [
                    {
                        "measure": titles.get(m.measure_id, ""),
                        "status": m.status.value,
                        "narrative": m.narrative,
                        "evidence": list(m.evidence),
                    }
                    for m in r.measures
                ],
                "indicators": [
                    {
                        "indicator": names.get(v.indicator_id, ""),
                        "value": sources.shown(v.value, computed=v.computed),
                        "computed": v.computed,
                        "note": v.note,
                    }
                    for v in r.values
                ],
            }
            for r in view.reports
        ],
    }


def _workbook(doc: dict[str, Any]) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]  # here: slow to import

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Plan")[:31]
    for key, value in doc["plan"].items():
        sheet.append([key, value])
    measures = book.create_sheet(_("Measures")[:31])
    measures.append(["pillar", "title", "lead", "responsible", "start", "deadline", "budget",
                     "currency", "status", "overdue"])  # fmt: skip
    indicators = book.create_sheet(_("Indicators")[:31])
    indicators.append(["pillar", "name", "unit", "source", "baseline", "baseline_year",
                       "latest", "latest_period", "target", "target_year", "share_of_way"])  # fmt: skip
    for pillar in doc["pillars"]:
        for m in pillar["measures"]:
            measures.append([pillar["pillar"], m["title"], m["lead"], "; ".join(m["responsible"]),
                             m["start"], m["deadline"], m["budget"], m["currency"], m["status"],
                             m["overdue"]])  # fmt: skip
        for i in pillar["indicators"]:
            indicators.append([pillar["pillar"], i["name"], i["unit"], i["source"], i["baseline"],
                               i["baseline_year"], i["latest"], i["latest_period"], i["target"],
                               i["target_year"], i["share_of_way"]])  # fmt: skip
    reports = book.create_sheet(_("Progress reports")[:31])
    reports.append(["period", "start", "end", "kind", "item", "status_or_value", "narrative_or_note",
                    "evidence"])  # fmt: skip
    for r in doc["reports"]:
        for m in r["measures"]:
            reports.append([r["period"], r["start"], r["end"], "measure", m["measure"], m["status"],
                            m["narrative"], " ".join(m["evidence"])])  # fmt: skip
        for v in r["indicators"]:
            reports.append([r["period"], r["start"], r["end"], "indicator", v["indicator"],
                            v["value"], v["note"], ""])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_plan(
    session: Session,
    *,
    actor: Actor,
    plan_id: uuid.UUID,
    format: str,
    locale: str = "en",
    today: dt.date | None = None,
) -> bytes:
    """The plan in `format` (json | xlsx), for a reader of the plan; the export is audited."""
    if format not in FORMATS:
        raise Invalid("format", _("Choose a format among: %(names)s.", names=", ".join(FORMATS)))
    plan = service.get_plan(session, actor=actor, plan_id=plan_id)
    doc = document(plan_view(actor, plan, locale, today), locale)
    audit.record(
        session,
        actor=actor,
        action="plan.export",
        object_type="action_plan",
        object_id=plan.id,
        details={"format": format},
    )
    if format == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    return _workbook(doc)
