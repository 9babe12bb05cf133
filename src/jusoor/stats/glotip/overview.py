"""The GLOTIP overview: the country's figures as UNODC published them over the years, beside the
node's own figures for the same years and the published figures of its UNODC subregion's
countries. The node's own victims pass through disclosure control; its criminal-justice figures
go only to a viewer who may see them (`investigations.figures`) and otherwise read "not
available", never zero."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.errors import Forbidden, Invalid
from jusoor.core.i18n import N_, format_number, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, in_scope
from jusoor.investigations.figures import FIRST_YEAR, criminal_justice_figures
from jusoor.stats import engine
from jusoor.stats.disclosure import protect
from jusoor.stats.glotip import series
from jusoor.stats.glotip.models import PublishedFigure
from jusoor.stats.glotip.vocabulary import vocabulary

INDICATORS = (
    ("victims", N_("Detected victims of trafficking")),
    ("formal_contact", N_("Persons brought into formal contact")),
    ("prosecuted", N_("Persons prosecuted")),
    ("convicted", N_("Persons convicted")),
)
MAX_NEIGHBOURS = 8


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    iso2: str | None = None  # a neighbour: the page names it in the reader's language


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    rows: list[tuple[str, list[str]]]  # (year, one text per column), digits as the user reads


def _shown(value: int | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return localize_digits(value)
    return format_number(value)


def _own_victims(session: Session, actor: Actor, country: str) -> dict[int, str]:
    table = engine.count(session, actor, engine.Query("cases", by=("year",), country=country))
    published = protect(table)
    return {
        int(k[0]): localize_digits(s.text) for k, s in published.cells.items() if k[0] != "unknown"
    }


def _years(cells: dict[int, str]) -> list[int]:
    return sorted(cells)


def _own_justice(session: Session, actor: Actor, country: str, years: list[int]
                 ) -> dict[tuple[str, int], str]:  # fmt: skip
    out: dict[tuple[str, int], str] = {}
    for year in years:
        if not FIRST_YEAR <= year <= dt.date.today().year:
            continue
        figures = criminal_justice_figures(session, actor=actor, year=year, country=country)
        for key in ("formal_contact", "prosecuted", "convicted"):
            out[(key, year)] = _shown(getattr(figures, key).total)
    return out


@dataclass(frozen=True)
class Overview:
    subregion: str
    columns: list[Column]
    tables: list[Series]
    loaded: bool
    file_date: dt.date | None


def overview(session: Session, *, actor: Actor, country: str) -> Overview:
    """What `/stats/glotip` shows of `country` (ISO alpha-2) to `actor`."""
    actor.require(Action.stats_read)
    if not in_scope(actor, Action.stats_read, agency_id=None, country=country):
        raise Forbidden(_("You may see the figures of your own country only."))
    iso3 = series.iso3_of(country)
    if iso3 is None:
        raise Invalid("country", _("Choose a country from the list."))
    subregion, members = series.neighbours(session, iso3)
    others = [(code, name) for code, name in members if code != iso3][:MAX_NEIGHBOURS]
    v = vocabulary()
    names = [v.indicators[key] for key, _t in INDICATORS]
    published = series.totals(session, iso3s=[iso3, *[c for c, _n in others]], indicators=names)
    own_years = sorted({y for (_c, _i, y) in published}) or [dt.date.today().year - 1]
    last = dt.date.today().year
    years = list(range(min(own_years), last + 1))
    own_victims = _own_victims(session, actor, country)
    first_own = min(own_victims_years) if (own_victims_years := _years(own_victims)) else None
    own_justice = (
        _own_justice(session, actor, country, years[-6:])
        if actor.can(Action.investigations_figures)
        else None
    )
    columns = [Column("published", _("Published by UNODC")), Column("own", _("This node"))]
    columns += [Column(code, name, series.iso2_of(code)) for code, name in others]
    tables: list[Series] = []
    for key, title in INDICATORS:
        indicator = v.indicators[key]
        rows: list[tuple[str, list[str]]] = []
        for year in reversed(years):
            found = published.get((iso3, indicator, year))
            cells = [found.text if found else "—"]
            if key == "victims":
                # Before the node's first case it recorded nothing: no figure, not zero.
                recorded = first_own is not None and year >= first_own
                cells.append(own_victims.get(year, format_number(0)) if recorded else "—")
            elif own_justice is None:
                cells.append(_("not available"))
            else:
                cells.append(own_justice.get((key, year), "—"))
            for code, _name in others:
                other = published.get((code, indicator, year))
                cells.append(other.text if other else "—")
            rows.append((localize_digits(str(year)), [localize_digits(c) for c in cells]))
        tables.append(Series(key, _(title), rows))
    first = session.execute(select(PublishedFigure.id, PublishedFigure.file_date).limit(1)).first()
    return Overview(
        subregion=subregion,
        columns=columns,
        tables=tables,
        loaded=first is not None,
        file_date=first[1] if first is not None else None,
    )
