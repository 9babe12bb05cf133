"""What the dashboards show, as data: the key figures and the panels (a table and its chart).

One place for the lead and the other statistics to add to: a panel names its subject, its
dimensions, how it is dated (the chosen period, or every record whatever its date) and how it is
drawn. A panel whose subject is not counted on this node yet (referrals, screenings, justice) is
shown as *not available*, never as zero (issue 17).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal, TypeVar

from sqlalchemy.orm import Session

from jusoor.core.i18n import N_
from jusoor.core.permissions import Action, Actor, Scope
from jusoor.stats import engine, kept
from jusoor.stats.charts import figure_text
from jusoor.stats.disclosure import Published, Shown, protect
from jusoor.stats.publishing import Period, Protection
from jusoor.stats.tables import Table

T = TypeVar("T")
Chart = Literal["series", "bars", "pairs", "flows", "map"]
Dating = Literal["period", "always"]


@dataclass(frozen=True)
class Panel:
    """One chart and its table. `by` ("series" panels: the period dimension is chosen from the
    period's length); `dating`: "period" counts what the chosen period dated, "always" the
    present state of every record (open cases by stage)."""

    key: str
    title: str  # msgid
    subject: str
    by: tuple[str, ...]
    chart: Chart
    dating: Dating = "period"
    top: int = 0  # for bars and flows: the largest N categories only (0: all)


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str  # msgid
    subject: str
    where: dict[str, str] = field(default_factory=dict)
    dating: Dating = "period"
    exclude: dict[str, str] = field(default_factory=dict)  # all records but these


KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("victims", N_("Victims registered in the period"), "cases"),
    KeyFigure("children", N_("Of whom children"), "cases", where={"age_group": "child"}),
    # Subjects other statistics add (stats.sources): shown as not available until they land.
    KeyFigure("identifications", N_("Identification decisions in the period"), "identifications"),
    KeyFigure("open", N_("Cases open today"), "cases", dating="always",
              exclude={"stage": "closed"}),
    KeyFigure("overdue_referrals", N_("Referrals overdue today"), "referrals",
              where={"overdue": "yes"}, dating="always"),
)  # fmt: skip

PANELS: tuple[Panel, ...] = (
    Panel("series", N_("Victims registered over time"), "cases", (), "series"),
    Panel("stage", N_("Cases by their present stage"), "cases", ("stage",), "bars", "always"),
    Panel("sex_age", N_("Victims by sex and age"), "cases", ("sex", "age_group"), "pairs"),
    Panel("form", N_("Victims by form of exploitation"), "cases", ("form",), "bars"),
    Panel("citizenship", N_("Victims by citizenship"), "cases", ("citizenship",), "bars", top=15),
    Panel("routes", N_("Routes: country of origin to country of exploitation"), "cases",
          ("origin", "exploitation"), "flows", top=15),
    Panel("origin_map", N_("Countries of origin"), "cases", ("origin",), "map"),
    Panel("identified", N_("Formal identification decisions"), "identifications", ("outcome",),
          "bars"),
    Panel("referrals", N_("Referrals to services by service"), "referrals", ("service",), "bars"),
    Panel("referral_state", N_("Referrals by state"), "referrals", ("state",), "bars"),
    Panel("exchange", N_("Cross-border requests by kind"), "exchange", ("kind",), "bars"),
    Panel("prosecuted", N_("Persons prosecuted, by offence"), "justice_prosecuted", ("offence",),
          "bars"),
    Panel("convicted", N_("Persons convicted at first instance, by form of exploitation"),
          "justice_convicted", ("form",), "bars"),
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    spec: KeyFigure
    shown: Shown | None  # None: not counted on this node yet

    @property
    def text(self) -> str:
        """The figure in the reader's digits, or its "<5" (empty when not available)."""
        return figure_text(self.shown) if self.shown else ""


@dataclass(frozen=True)
class Result:
    spec: Panel
    table: Published | None  # None: not counted on this node yet
    by: tuple[str, ...]


def series_dimension(period: Period) -> str:
    """Months over a year or less, quarters up to three years, years beyond."""
    days = period.days
    if days is not None and days <= 366:
        return "month"
    if days is not None and days <= 3 * 366:
        return "quarter"
    return "year"


def agency_view(actor: Actor) -> bool:
    """Whether the viewer sees their agency's picture (the agency head's dashboard)."""
    scope = actor.scope(Action.stats_read)
    return scope is not None and scope <= Scope.agency


def scope_key(actor: Actor) -> tuple[str, str]:
    """The part of the viewer a count depends on: their `stats.read` scope and its subject."""
    scope = actor.scope(Action.stats_read)
    if scope is Scope.all:
        return ("all", "")
    if scope is Scope.country:
        return ("country", actor.country or "")
    if scope is Scope.agency:
        return ("agency", str(actor.agency_id or ""))
    return (scope.name if scope else "none", str(actor.user_id or ""))


def _query_key(query: engine.Query) -> Hashable:
    return (
        query.subject,
        query.by,
        query.start,
        query.end,
        query.country,
        str(query.agency_id or ""),
        tuple(sorted(query.where.items())),
    )


def cached(session: Session, actor: Actor, key: Hashable, compute: Callable[[Session], T]) -> T:
    """`compute(session)` (a protected table or figure), or the one kept for the viewer's scope
    (`stats.kept`). The permission is checked on every call, hit or miss."""
    actor.require(Action.stats_read)
    return kept.kept(session, scope_key(actor), key, compute)


def exact_table(session: Session, actor: Actor, query: engine.Query) -> Table:
    """The exact counts of `query` over the viewer's scope, kept for every language (never shown:
    only ever protected before a viewer of the same scope sees it)."""
    actor.require(Action.stats_read)

    def count(s: Session) -> Table:
        return engine.count(s, actor, query)

    key = ("exact", _query_key(query))
    return kept.kept(session, scope_key(actor), key, count, per_language=False)


def _published(
    session: Session, *, actor: Actor, query: engine.Query, protection: Protection
) -> Published:
    exact = exact_table(session, actor, query)
    return protect(exact, threshold=protection.threshold, rounding=protection.rounding)


def forget(session: Session) -> None:
    """Drop every kept table of this database (tests, and after a bulk load)."""
    kept.forget(session)


def _figure(
    session: Session, *, actor: Actor, spec: KeyFigure, period: Period, protection: Protection
) -> Figure:
    dated = period if spec.dating == "period" else Period()
    by = tuple(spec.exclude)
    exact = exact_table(session, actor, dated.query(spec.subject, by, spec.where))
    if spec.exclude:
        kept = sum(n for key, n in exact.cells.items() if key != tuple(spec.exclude.values()))
        exact = Table(exact.statistic, exact.unit, (), {}, kept)
    published = protect(exact, threshold=protection.threshold, rounding=protection.rounding)
    return Figure(spec, published.total)


def key_figures(
    session: Session,
    actor: Actor,
    period: Period,
    protection: Protection,
    chosen: tuple[KeyFigure, ...] = KEY_FIGURES,
) -> list[Figure]:
    figures = []
    for spec in chosen:
        if spec.subject not in engine.subjects():
            figures.append(Figure(spec, None))
            continue
        dated = period if spec.dating == "period" else Period()
        key = ("figure", spec.key, dated.start, dated.end, protection)
        compute = partial(_figure, actor=actor, spec=spec, period=period, protection=protection)
        figures.append(cached(session, actor, key, compute))
    return figures


def panels(
    session: Session,
    actor: Actor,
    period: Period,
    protection: Protection,
    chosen: tuple[Panel, ...] = PANELS,
) -> list[Result]:
    results = []
    for spec in chosen:
        by = (series_dimension(period),) if spec.chart == "series" else spec.by
        if spec.subject not in engine.subjects():
            results.append(Result(spec, None, by))
            continue
        dated = period if spec.dating == "period" else Period()
        query = dated.query(spec.subject, by)
        compute = partial(_published, actor=actor, query=query, protection=protection)
        table = cached(session, actor, ("table", _query_key(query), protection), compute)
        results.append(Result(spec, table, by))
    return results


def panel(key: str) -> Panel:
    for spec in PANELS:
        if spec.key == key:
            return spec
    raise KeyError(key)
