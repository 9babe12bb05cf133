"""The country's answers to UNODC's GLOTIP questionnaire, in the very columns, category names and
value conventions of UNODC's published data file, so that they sit beside it in one spreadsheet.

- Detected trafficking victims: the node's NRM cases *opened* in the year (the engine's `cases`
  subject is dated by opening, the moment a victim enters the referral mechanism, i.e. is
  detected), by sex and age (cross-tabulated, with totals), by form of exploitation and by
  citizenship (each category again by sex and age). Jusoor does not record a country of
  repatriation, so that dimension is not written (absent, never zero).
- Persons brought into formal contact, prosecuted and convicted: `investigations.figures` (counts
  of 1 to 4 already "<5" for a viewer who may not read files), by sex and age; for convictions,
  as UNODC publishes them, also by form of exploitation and citizenship. A viewer without the
  investigations' figures gets no criminal-justice row (not available, never zero).

Disclosure: every victim table goes through `stats.disclosure.protect` (GLOTIP's threshold, 5):
counts 1 to 4 are written "<5", as UNODC does; a figure hidden so that a "<5" cannot be worked out
from a total is *left out* (UNODC's file has no mark for it) and counted in `withheld`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.cases.vocabulary import is_country_code
from jusoor.core.errors import Forbidden, Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, in_scope
from jusoor.stats import engine
from jusoor.stats.disclosure import PRIMARY, Published, Shown, protect
from jusoor.stats.glotip import dimensions
from jusoor.stats.glotip.read import HEADER, SMALL
from jusoor.stats.glotip.series import iso3_of
from jusoor.stats.glotip.vocabulary import citizenship, country_name, vocabulary
from jusoor.stats.tables import Table

RELEASE = Action.stats_release
TOTAL = "Total"
UNIT = "Counts"
SOURCE = "Jusoor"
FIRST_YEAR = 2000

Line = tuple[str, str, str, str, str, str, str, str, str, int, str, str, str]


@dataclass
class Answers:
    """The rows of the export (in UNODC's column order) and what was kept back, and why."""

    country: str  # ISO 3166-1 alpha-2
    year: int
    rows: list[Line] = field(default_factory=list)
    withheld: int = 0
    notes: list[str] = field(default_factory=list)


def _text(count: int) -> str:
    return f"{count:,}"  # UNODC writes thousands with a comma: "1,757"


def _shown(shown: Shown) -> str | None:
    if shown.suppressed == PRIMARY:
        return SMALL
    if shown.suppressed:
        return None
    return _text(shown.value or 0)


class _Writer:
    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        iso3 = iso3_of(answers.country) or answers.country
        region, subregion = vocabulary().regions.get(iso3, ("", ""))
        self.head = (iso3, country_name(answers.country), region, subregion)

    def add(self, indicator: str, dimension: str, category: str, sex: str, age: str,
            text: str | None) -> None:  # fmt: skip
        if text is None:
            self.answers.withheld += 1
            return
        self.answers.rows.append(
            (*self.head, indicator, dimension, category, sex, age, self.answers.year, UNIT, text,
             SOURCE)
        )  # fmt: skip


def _sex_by_age(writer: _Writer, indicator: str, dimension: str, category: str,
                published: Published) -> None:  # fmt: skip
    """One category's sex x age cross, its sex and age totals and its total."""
    v = vocabulary()
    sexes = sorted({k[0] for k in published.cells} | {"Female", "Male"}, key=_sex_order)
    ages = sorted({k[1] for k in published.cells} | {v.age["child"], v.age["adult"]},
                  key=_age_order)  # fmt: skip
    zero = Shown(0, "0")
    for sex in sexes:
        for age in ages:
            shown = published.cells.get((sex, age), zero)
            writer.add(indicator, dimension, category, sex, age, _shown(shown))
    for sex in sexes:
        shown = published.margins[0].get(sex, zero) if published.margins else zero
        writer.add(indicator, dimension, category, sex, TOTAL, _shown(shown))
    for age in ages:
        shown = published.margins[1].get(age, zero) if len(published.margins) > 1 else zero
        writer.add(indicator, dimension, category, TOTAL, age, _shown(shown))
    writer.add(indicator, dimension, category, TOTAL, TOTAL, _shown(published.total))


_SEXES = ("Female", "Male", "Other", "Unknown")
_AGES = ("0 to 17 years", "18 years or over", "Unknown")


def _sex_order(sex: str) -> int:
    return _SEXES.index(sex) if sex in _SEXES else len(_SEXES)


def _age_order(age: str) -> int:
    return _AGES.index(age) if age in _AGES else len(_AGES)


def _victims(session: Session, actor: Actor, writer: _Writer, answers: Answers) -> None:
    dimensions.register()
    v = vocabulary()
    indicator = v.indicators["victims"]
    base = engine.Query(
        subject=dimensions.SUBJECT,
        by=(dimensions.SEX, dimensions.AGE),
        start=dt.date(answers.year, 1, 1),
        end=dt.date(answers.year, 12, 31),
        country=answers.country,
    )
    blocks: list[tuple[str, str | None, list[str]]] = [(v.dimensions["total"], None, [TOTAL])]
    for spread, key in ((dimensions.FORM, "form"), ("citizenship", "citizenship")):
        present = engine.count(session, actor, _with(base, by=(spread,), where={}))
        blocks.append((v.dimensions[key], spread, [k[0] for k, _n in present.rows()]))
    notes: set[str] = set()
    for dimension, name, categories in blocks:
        for category in categories:
            where = {name: category} if name else {}
            table = engine.count(session, actor, _with(base, by=base.by, where=where))
            published = protect(table)
            notes.update(published.notes)
            label = category
            if name == "citizenship":
                label = citizenship(category, answers.country)
            _sex_by_age(writer, indicator, dimension, label, published)
    answers.notes.extend(sorted(notes))


def _with(query: engine.Query, *, by: tuple[str, ...], where: dict[str, str]) -> engine.Query:
    return engine.Query(subject=query.subject, by=by, start=query.start, end=query.end,
                        country=query.country, where=where)  # fmt: skip


def _count_text(count: int | str) -> str:
    return count if isinstance(count, str) else _text(count)


def _justice(session: Session, actor: Actor, writer: _Writer, answers: Answers) -> None:
    """Persons brought into formal contact, prosecuted and convicted for trafficking: the engine's
    exact counts (`justice_*` subjects), each table protected as a whole (small cells and the
    cells and totals they could be worked out from are withheld)."""
    if not actor.can(Action.investigations_figures):
        answers.notes.append(
            _("Criminal-justice figures are not available to you: they are left out, not zero.")
        )
        return
    v = vocabulary()
    base = engine.Query(
        subject="justice_formal_contact",
        start=dt.date(answers.year, 1, 1),
        end=dt.date(answers.year, 12, 31),
        country=answers.country,
        where={"offence": "trafficking"},
    )
    notes: set[str] = set()
    for key in ("formal_contact", "prosecuted", "convicted"):
        indicator = v.indicators[key]
        query = replace(base, subject=f"justice_{key}", by=("sex", "age_group"))
        exact = engine.count(session, actor, query)
        published = protect(_in_unodc_words(exact, v.sex, v.age, v.unknown))
        notes.update(published.notes)
        _sex_by_age(writer, indicator, v.dimensions["total"], TOTAL, published)
        if key == "convicted":
            _convicted_by(session, actor, writer, replace(query, by=()), answers, notes)
    answers.notes.extend(sorted(notes - set(answers.notes)))


def _in_unodc_words(
    table: Table, sexes: dict[str, str], ages: dict[str, str], unknown: str
) -> Table:
    """The same counts keyed by UNODC's sex and age categories (Jusoor's codes map one to one)."""
    cells: dict[tuple[str, ...], int] = {}
    for (sex, age), n in table.cells.items():
        key = (sexes.get(sex, unknown), ages.get(age, unknown))
        cells[key] = cells.get(key, 0) + n
    margins: list[dict[str, int]] = []
    for words, margin in zip((sexes, ages), table.margins, strict=True):
        mapped: dict[str, int] = {}
        for code, n in margin.items():
            mapped[words.get(code, unknown)] = mapped.get(words.get(code, unknown), 0) + n
        margins.append(mapped)
    return replace(table, cells=cells, margins=tuple(margins))


def _convicted_by(
    session: Session,
    actor: Actor,
    writer: _Writer,
    query: engine.Query,
    answers: Answers,
    notes: set[str],
) -> None:
    """Convictions by UNODC form and by citizenship, each a protected table. A UNODC form that two
    Jusoor forms fall in is left out: the engine counts persons per Jusoor form, and one person
    may be in both."""
    v = vocabulary()
    indicator = v.indicators["convicted"]
    forms = engine.count(session, actor, replace(query, by=("form",)))
    grouped: dict[str, list[str]] = {}
    for (code,) in forms.cells:
        category = v.form.get(code)
        if category is not None:  # "unspecified": no form to report
            grouped.setdefault(category, []).append(code)
    single = {codes[0]: category for category, codes in grouped.items() if len(codes) == 1}
    by_form = protect(forms)
    notes.update(by_form.notes)
    for code, category in sorted(single.items(), key=lambda item: item[1]):
        writer.add(indicator, v.dimensions["form"], category, TOTAL, TOTAL,
                   _shown(by_form.cells[(code,)]))  # fmt: skip
    for category, codes in sorted(grouped.items()):
        if len(codes) > 1:
            writer.add(indicator, v.dimensions["form"], category, TOTAL, TOTAL, None)
    by_citizenship = protect(engine.count(session, actor, replace(query, by=("citizenship",))))
    notes.update(by_citizenship.notes)
    for (code,), shown in sorted(by_citizenship.cells.items()):
        writer.add(indicator, v.dimensions["citizenship"], citizenship(code, answers.country),
                   TOTAL, TOTAL, _shown(shown))  # fmt: skip


def answers(session: Session, *, actor: Actor, year: int, country: str | None = None) -> Answers:
    """The year's answers of `country` (by default the actor's); audited."""
    actor.require(RELEASE)
    code = (country or actor.country or "").upper()
    if not is_country_code(code):
        raise Invalid("country", _("Choose a country from the list."))
    if not FIRST_YEAR <= year <= dt.date.today().year:
        raise Invalid(
            "year",
            _("The year must be between %(first)s and %(last)s.",
              first=FIRST_YEAR, last=dt.date.today().year),
        )  # fmt: skip
    if not in_scope(actor, RELEASE, agency_id=None, country=code):
        raise Forbidden(_("You may report the figures of your own country only."))
    result = Answers(country=code, year=year)
    writer = _Writer(result)
    _victims(session, actor, writer, result)
    _justice(session, actor, writer, result)
    if result.withheld:
        result.notes.append(
            _("%(n)s figures are left out so that the counts under 5 cannot be worked out from "
              "the totals.", n=result.withheld)
        )  # fmt: skip
    record(session, actor=actor, action="stats.glotip.export", object_type="glotip_report",
           details={"year": year, "country": code, "rows": len(result.rows),
                    "withheld": result.withheld})  # fmt: skip
    return result


def lines(result: Answers) -> Iterator[tuple[object, ...]]:
    """The sheet as UNODC lays it out: publisher, date, header (row 3), then one row a figure."""
    yield (SOURCE,)
    yield (dt.date.today().strftime("%d/%m/%Y"),)
    yield HEADER
    yield from result.rows


def workbook_bytes(result: Answers) -> bytes:
    """The workbook in memory (the API's download), laid out as `write` lays it out."""
    import openpyxl  # type: ignore[import-untyped]  # here: slow to import, only this needs it

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data_glotip_1")
    for line in lines(result):
        sheet.append(list(line))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(result: Answers, out: Path) -> None:
    """Write the workbook to `out` whole or not at all (a temporary file, then a rename)."""
    out = out.expanduser()
    if out.suffix.lower() != ".xlsx":
        raise Invalid(
            "out", _("The UNODC report is an .xlsx file: %(name)s is not.", name=out.name)
        )
    if not out.parent.is_dir():
        raise Invalid("out", _("The folder %(folder)s does not exist.", folder=str(out.parent)))
    import openpyxl  # (as in workbook_bytes)

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data_glotip_1")
    for line in lines(result):
        sheet.append(list(line))
    handle, temporary = tempfile.mkstemp(suffix=".xlsx.part", dir=out.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
