"""The statistics pages: the national (or agency) picture, the analyst's explorer, downloads of
every table (CSV, XLSX) and the printable report (PDF). Thin: `stats.publishing` and
`stats.dashboards` count, protect, check permission and scope, and audit downloads."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.core.db import utcnow
from jusoor.core.errors import NotFound
from jusoor.core.i18n import LOCALES, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.stats import dashboards, engine, forms, report, views
from jusoor.stats.publishing import MEDIA_TYPES, Period, agency_names, download, publish
from jusoor.web.access import requires
from jusoor.web.actions import Errors, attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
FILTERS = ("year", "from", "to", "min_count", "rounding")
Fmt = Literal["csv", "xlsx"]


def _this_year() -> int:
    return utcnow().year


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items()}


def _file(content: bytes, fmt: str, name: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/stats", response_class=HTMLResponse)
def dashboard(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    params = _params(request)

    def build() -> dict[str, Any]:
        period = forms.period(params, _this_year())
        protection = forms.protection(params)
        figures = dashboards.key_figures(db, actor, period, protection)
        results = dashboards.panels(db, actor, period, protection)
        return {
            "figures": figures,
            "panels": [views.panel_view(r) for r in results],
            "period": period,
            "protection": protection,
        }

    def show(values: dict[str, Any], errors: Errors | None = None) -> Response:
        return render(
            request,
            "stats/dashboard.html",
            {
                **values,
                "errors": errors or {},
                "params": params,
                "agency_view": dashboards.agency_view(actor),
                "can_export": actor.can("stats.export"),
                "query": forms.query_string(params, *FILTERS),
                "year": params.get("year") or ("" if params.get("from") or params.get("to")
                                                 else str(_this_year())),
                "locales": LOCALES,
                "locale": current_locale(),
            },
            status_code=422 if errors else 200,
        )  # fmt: skip

    return attempt(db, build, done=show, failed=lambda errors: show({"panels": []}, errors))


@router.get(
    "/stats/panels/{key}.{fmt}",
    dependencies=[requires("stats.export")],
    response_class=Response,
)
def panel_file(
    key: str, fmt: Fmt, request: Request, db: DbSession, actor: CurrentActor
) -> Response:
    params = _params(request)
    try:
        spec = dashboards.panel(key)
    except KeyError:
        raise NotFound(_("No such table.")) from None
    period = forms.period(params, _this_year()) if spec.dating == "period" else Period()
    by = (dashboards.series_dimension(period),) if spec.chart == "series" else spec.by
    content = download(
        db,
        actor=actor,
        query=period.query(spec.subject, by),
        protection=forms.protection(params),
        fmt=fmt,
    )
    return _file(content, fmt, f"jusoor-{spec.key}")


@router.get("/stats/explore", response_class=HTMLResponse)
def explore(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    params = _params(request)
    choices = _choices()
    chart = params.get("chart", "bars")

    def build() -> dict[str, Any]:
        chosen = forms.exploration(params, None)
        if not chosen.by:
            return {"chosen": chosen}
        table = publish(
            db,
            actor=actor,
            query=chosen.period.query(chosen.subject, chosen.by),
            protection=chosen.protection,
        )
        view, svg = views.explored(table, chart, agency_names(db, table))
        return {"chosen": chosen, "table": view, "chart": svg}

    def show(values: dict[str, Any], errors: Errors | None = None) -> Response:
        return render(
            request,
            "stats/explore.html",
            {
                **values,
                "errors": errors or {},
                "params": params,
                "choices": choices,
                "can_export": actor.can("stats.export"),
                "query": forms.query_string(params, "subject", *forms.BY_FIELDS, *FILTERS),
            },
            status_code=422 if errors else 200,
        )

    return attempt(db, build, done=show, failed=lambda errors: show({}, errors))


def _dimensions(found: dict[str, engine.AnySubject]) -> dict[str, str]:
    """Every subject's dimensions, the victims' first (a pair the subject lacks is refused
    beside the field)."""
    out = dict(engine.dimension_labels(found["cases"]))
    for name in sorted(found):
        for dimension, label in engine.dimension_labels(found[name]).items():
            out.setdefault(dimension, label)
    return out


def _choices() -> dict[str, list[tuple[str, str]]]:
    found = engine.subjects()
    return {
        "subjects": [(name, _(s.label)) for name, s in sorted(found.items())],
        "dimensions": [(p, _(label)) for p, label in engine.PERIODS.items()]
        + [(name, _(label)) for name, label in _dimensions(found).items()],
    }


@router.get(
    "/stats/explore.{fmt}",
    dependencies=[requires("stats.export")],
    response_class=Response,
)
def explore_file(fmt: Fmt, request: Request, db: DbSession, actor: CurrentActor) -> Response:
    chosen = forms.exploration(_params(request), None)
    content = download(
        db,
        actor=actor,
        query=chosen.period.query(chosen.subject, chosen.by),
        protection=chosen.protection,
        fmt=fmt,
    )
    return _file(content, fmt, f"jusoor-{chosen.subject}-{'-'.join(chosen.by) or 'total'}")


@router.get(
    "/stats/report.pdf",
    dependencies=[requires("stats.export")],
    response_class=Response,
)
def report_pdf(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    params = _params(request)
    lang = params.get("lang") or current_locale()
    pdf = report.pdf(
        db,
        actor=actor,
        period=forms.period(params, _this_year()),
        protection=forms.protection(params),
        locale=lang,
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="jusoor-statistics-{lang}.pdf"',
            "Cache-Control": "no-store",
        },
    )
