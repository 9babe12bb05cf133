"""UNODC's published GLOTIP series in the node: loaded (or replaced) from its data file in one
transaction, and read back per country, indicator and year.

The file holds a few rows that its own natural key (country, indicator, dimension, category, sex,
age, year) cannot tell apart. Where such rows carry the same value one is kept; where they carry
*different* values neither is loaded and both are reported: which one UNODC meant is not ours to
guess.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.stats.glotip.models import PublishedFigure
from jusoor.stats.glotip.read import Malformed, Row, read

IMPORT = Action.stats_import
NaturalKey = tuple[str, str, str, str, str, str, int]


@dataclass
class ImportReport:
    loaded: int = 0
    countries: int = 0
    years: tuple[int, int] | None = None
    repeated: int = 0  # identical rows of one key, loaded once
    malformed: list[Malformed] = field(default_factory=list)


@cache
def iso2_of(iso3: str) -> str | None:
    found = pycountry.countries.get(alpha_3=iso3)
    return str(found.alpha_2) if found is not None else None


@cache
def iso3_of(iso2: str) -> str | None:
    found = pycountry.countries.get(alpha_2=iso2)
    return str(found.alpha_3) if found is not None else None


def natural_key(row: Row) -> NaturalKey:
    return (row.iso3, row.indicator, row.dimension, row.category, row.sex, row.age, row.year)


def _deduplicated(rows: list[Row], report: ImportReport) -> list[Row]:
    groups: dict[NaturalKey, list[Row]] = defaultdict(list)
    for row in rows:
        groups[natural_key(row)].append(row)
    kept: list[Row] = []
    for same in groups.values():
        if len({r.value for r in same}) == 1:
            kept.append(same[0])
            report.repeated += len(same) - 1
            continue
        for row in same:
            shown = str(row.value.value) if row.value.small is None else row.value.small
            report.malformed.append(Malformed(row.line, shown, "conflicting duplicate"))
    report.malformed.sort(key=lambda m: m.line)
    return kept


def import_series(session: Session, *, actor: Actor, path: Path) -> ImportReport:
    """Replace the published series by the file's (all or nothing: the caller's transaction)."""
    actor.require(IMPORT)
    reading = read(path)
    report = ImportReport(malformed=list(reading.malformed))
    rows = _deduplicated(reading.rows, report)
    session.execute(delete(PublishedFigure))
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(
            {
                "iso3": row.iso3,
                "iso2": iso2_of(row.iso3),
                "country": row.country[:120],
                "region": row.region[:80],
                "subregion": row.subregion[:80],
                "indicator": row.indicator[:120],
                "dimension": row.dimension[:80],
                "category": row.category[:200],
                "sex": row.sex[:20],
                "age": row.age[:40],
                "year": row.year,
                "value": row.value.value,
                "small": row.value.small,
                "file_date": reading.file_date,
            }
        )
        if len(batch) >= 5000:
            session.execute(insert(PublishedFigure), batch)
            batch = []
    if batch:
        session.execute(insert(PublishedFigure), batch)
    report.loaded = len(rows)
    report.countries = len({r.iso3 for r in rows})
    if rows:
        report.years = (min(r.year for r in rows), max(r.year for r in rows))
    record(session, actor=actor, action="stats.glotip.import", object_type="published_series",
           details={"file": path.name, "loaded": report.loaded, "malformed": len(report.malformed),
                    "file_date": reading.file_date.isoformat() if reading.file_date else None})  # fmt: skip
    return report


@dataclass(frozen=True)
class Published:
    """One published count as the dashboard shows it."""

    value: int | None
    small: str | None

    @property
    def text(self) -> str:
        return self.small if self.small else str(self.value)


def totals(
    session: Session, *, iso3s: list[str], indicators: list[str]
) -> dict[tuple[str, str, int], Published]:
    """(iso3, indicator, year) -> the published total (dimension, sex and age all "Total")."""
    rows = session.execute(
        select(PublishedFigure).where(
            PublishedFigure.iso3.in_(iso3s),
            PublishedFigure.indicator.in_(indicators),
            PublishedFigure.dimension == "Total",
            PublishedFigure.category == "Total",
            PublishedFigure.sex == "Total",
            PublishedFigure.age == "Total",
        )
    ).scalars()
    return {(f.iso3, f.indicator, f.year): Published(f.value, f.small) for f in rows}


def neighbours(session: Session, iso3: str) -> tuple[str, list[tuple[str, str]]]:
    """(subregion, [(iso3, country name)...]) of the countries of `iso3`'s UNODC subregion."""
    subregion = session.scalar(
        select(PublishedFigure.subregion).where(PublishedFigure.iso3 == iso3).limit(1)
    )
    if subregion is None:
        return "", []
    pairs = session.execute(
        select(PublishedFigure.iso3, PublishedFigure.country)
        .where(PublishedFigure.subregion == subregion)
        .distinct()
        .order_by(PublishedFigure.iso3)
    ).all()
    return subregion, [(a, b) for a, b in pairs]


def reason_text(reason: str) -> str:
    """Why a row was not loaded, in the reader's language."""
    texts = {
        "country code": _("no country code:"),
        "value": _("a value that is not a count:"),
        "year": _("a year that is not one:"),
        "conflicting duplicate": _("the same figure given twice with different values:"),
    }
    return texts.get(reason, reason)
