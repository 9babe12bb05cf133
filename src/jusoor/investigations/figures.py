"""The criminal-justice figures of a country and year, as UNODC's GLOTIP questionnaire asks them:
persons brought into formal contact with the police, prosecuted and convicted for trafficking in
persons, by sex, age group and citizenship, and by form of exploitation; the same three totals for
the smuggling of migrants. The statistics issue turns these into the GLOTIP report.

The shape is plain data (`Figures`, `Breakdown`), documented field by field:

- every count is of *persons*: distinct defendants (one person charged on two counts is one);
- `formal_contact`: defendants whose `formal_contact_on` falls in the year, for trafficking
  unless every charge they face is another offence (a suspect not yet charged is counted: the
  file is a trafficking investigation until the prosecution decides otherwise);
- `prosecuted`: defendants with a standing (not withdrawn) trafficking charge brought in the year;
- `convicted`: defendants convicted at first instance, in the year, on a trafficking charge;
- `by_form`: the forms of exploitation of those trafficking charges ("unspecified" when the
  charge names none, or before any charge): a person charged under two forms counts under each,
  so the forms may add up to more than the total;
- `by_age`: "adult", "child" (under 18 when brought into formal contact), "unknown";
- `by_sex`: "male", "female", "unknown"; `by_citizenship`: ISO 3166-1 alpha-2, or "unknown".

Readers of files (investigators, prosecutors) get exact counts. Others (coordinators, analysts,
administrators) get counts 1 to 4 as "<5", GLOTIP's own convention for small cells; the full
disclosure control (complementary suppression, rounding) comes with the statistics issue.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.cases.vocabulary import is_country_code
from jusoor.core.errors import Forbidden, Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, in_scope
from jusoor.investigations.models import Charge, Defendant, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import ChargeStatus, Instance, OffenceType, Verdict

FIGURES = Action.investigations_figures
SMALL = "<5"  # GLOTIP's mark for a count from 1 to 4
UNSPECIFIED = "unspecified"
UNKNOWN = "unknown"
FIRST_YEAR = 2000  # the Palermo Protocol's year: no file predates it

Count = int | str
STAGES = ("formal_contact", "prosecuted", "convicted")


@dataclass(frozen=True)
class PersonRow:
    """One person counted at a stage, for one charge: the defendant's profile (codes only), the
    offence and form of exploitation the row is about (form None: the charge names none, or no
    charge yet), the day that puts the person at the stage, and the file's country and agency.
    A person charged on two counts gives two rows: count persons by `id`."""

    id: uuid.UUID
    sex: str
    age: int | None
    citizenship: str | None
    offence: str  # OffenceType value: trafficking or smuggling
    form: str | None
    on: dt.date
    country: str
    agency_id: uuid.UUID


@dataclass(frozen=True)
class Breakdown:
    total: Count
    by_sex: dict[str, Count] = field(default_factory=dict)
    by_age: dict[str, Count] = field(default_factory=dict)
    by_citizenship: dict[str, Count] = field(default_factory=dict)
    by_form: dict[str, Count] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    year: int
    country: str
    suppressed: bool  # True: counts of 1 to 4 are shown as "<5"
    formal_contact: Breakdown
    prosecuted: Breakdown
    convicted: Breakdown
    smuggling: dict[str, Count]  # formal_contact, prosecuted, convicted: totals only

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def age_group(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    return "child" if age < 18 else "adult"


def _shown(count: int, suppress: bool) -> Count:
    return SMALL if suppress and 0 < count < 5 else count


def _breakdown(rows: Iterable[PersonRow], suppress: bool) -> Breakdown:
    people: dict[uuid.UUID, PersonRow] = {}
    forms: dict[str, set[uuid.UUID]] = defaultdict(set)
    for row in rows:
        people[row.id] = row
        forms[row.form or UNSPECIFIED].add(row.id)
    by: dict[str, dict[str, set[uuid.UUID]]] = {"sex": defaultdict(set), "age": defaultdict(set),
                                                "citizenship": defaultdict(set)}  # fmt: skip
    for person in people.values():
        by["sex"][person.sex].add(person.id)
        by["age"][age_group(person.age)].add(person.id)
        by["citizenship"][person.citizenship or UNKNOWN].add(person.id)

    def counted(groups: dict[str, set[uuid.UUID]]) -> dict[str, Count]:
        return {key: _shown(len(ids), suppress) for key, ids in sorted(groups.items())}

    return Breakdown(
        total=_shown(len(people), suppress),
        by_sex=counted(by["sex"]),
        by_age=counted(by["age"]),
        by_citizenship=counted(by["citizenship"]),
        by_form=counted(forms) if people else {},
    )


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _row(
    d: Defendant, file: InvestigationFile, offence: str, form: str | None, on: dt.date
) -> PersonRow:
    return PersonRow(id=d.id, sex=d.sex.value, age=d.age, citizenship=d.citizenship,
                     offence=offence, form=form, on=on, country=file.country,
                     agency_id=file.agency_id)  # fmt: skip


def persons(
    session: Session, *, stage: str, first: dt.date, last: dt.date, country: str | None = None
) -> list[PersonRow]:
    """The persons at `stage` (formal_contact, prosecuted, convicted) between `first` and `last`
    (inclusive), in `country` or everywhere, for trafficking and for smuggling: the exact rows
    the figures count, unaudited and unscoped (callers check permission and scope).

    - formal_contact: defendants whose `formal_contact_on` falls in the period; for trafficking
      one row per trafficking charge, or one row without a form when they face no charge yet (a
      person whose every charge is another offence is not a trafficking row); for smuggling one
      row when any charge is smuggling;
    - prosecuted: one row per standing (not withdrawn) charge brought in the period;
    - convicted: one row per first-instance conviction decided in the period."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    if stage == "formal_contact":
        return _contacts(session, country, first, last)
    if stage == "prosecuted":
        return _prosecuted(session, country, first, last)
    return _convicted(session, country, first, last)


def _contacts(
    session: Session, country: str | None, first: dt.date, last: dt.date
) -> list[PersonRow]:
    statement = (
        select(Defendant, InvestigationFile)
        .join(InvestigationFile, InvestigationFile.id == Defendant.file_id)
        .where(Defendant.formal_contact_on.between(first, last))
    )
    if country is not None:
        statement = statement.where(InvestigationFile.country == country)
    found = session.execute(statement).all()
    charges: dict[uuid.UUID, list[Charge]] = defaultdict(list)
    if found:
        ids = [d.id for d, _file in found]
        for charge in session.scalars(select(Charge).where(Charge.defendant_id.in_(ids))):
            charges[charge.defendant_id].append(charge)
    rows: list[PersonRow] = []
    trafficking, smuggling = OffenceType.trafficking.value, OffenceType.smuggling.value
    for person, file in found:
        on = person.formal_contact_on or first
        own = charges[person.id]
        if not own:
            rows.append(_row(person, file, trafficking, None, on))
        rows.extend(
            _row(person, file, trafficking, c.form, on)
            for c in own
            if c.offence_type == trafficking
        )
        if any(c.offence_type == smuggling for c in own):
            rows.append(_row(person, file, smuggling, None, on))
    return rows


def _prosecuted(
    session: Session, country: str | None, first: dt.date, last: dt.date
) -> list[PersonRow]:
    statement = (
        select(Defendant, InvestigationFile, Charge)
        .join(Charge, Charge.defendant_id == Defendant.id)
        .join(InvestigationFile, InvestigationFile.id == Charge.file_id)
        .where(
            Charge.offence_type.in_([OffenceType.trafficking.value, OffenceType.smuggling.value]),
            Charge.status == ChargeStatus.charged,
            Charge.charged_on.between(first, last),
        )
    )
    if country is not None:
        statement = statement.where(InvestigationFile.country == country)
    return [
        _row(d, file, c.offence_type, c.form, c.charged_on)
        for d, file, c in session.execute(statement).all()
    ]


def _convicted(
    session: Session, country: str | None, first: dt.date, last: dt.date
) -> list[PersonRow]:
    statement = (
        select(Defendant, InvestigationFile, Charge, Judgment.decided_on)
        .join(Judgment, Judgment.defendant_id == Defendant.id)
        .join(Charge, Charge.id == Judgment.charge_id)
        .join(InvestigationFile, InvestigationFile.id == Judgment.file_id)
        .where(
            Charge.offence_type.in_([OffenceType.trafficking.value, OffenceType.smuggling.value]),
            Judgment.instance == Instance.first_instance,
            Judgment.verdict == Verdict.convicted,
            Judgment.decided_on.between(first, last),
        )
    )
    if country is not None:
        statement = statement.where(InvestigationFile.country == country)
    return [
        _row(d, file, c.offence_type, c.form, decided)
        for d, file, c, decided in session.execute(statement).all()
    ]


def _of(rows: list[PersonRow], offence: OffenceType) -> list[PersonRow]:
    return [row for row in rows if row.offence == offence.value]


def _persons(rows: list[PersonRow], suppress: bool) -> Count:
    return _shown(len({row.id for row in rows}), suppress)


def criminal_justice_figures(
    session: Session, *, actor: Actor, year: int, country: str | None = None
) -> Figures:
    """The year's figures for `country` (by default the actor's); audited."""
    actor.require(FIGURES)
    code = (country or actor.country or "").upper()
    if not is_country_code(code):
        raise Invalid("country", _("Choose a country from the list."))
    if not FIRST_YEAR <= year <= dt.date.today().year:
        raise Invalid(
            "year",
            _("The year must be between %(first)s and %(last)s.",
              first=FIRST_YEAR, last=dt.date.today().year),
        )  # fmt: skip
    if not in_scope(actor, FIGURES, agency_id=None, country=code):
        raise Forbidden(_("You may see the figures of your own country only."))
    suppress = not actor.can(Action.investigations_read)
    first, last = _year(year)
    stages = {stage: persons(session, stage=stage, first=first, last=last, country=code)
              for stage in STAGES}  # fmt: skip
    trafficking = {stage: _of(rows, OffenceType.trafficking) for stage, rows in stages.items()}
    smuggling = {stage: _of(rows, OffenceType.smuggling) for stage, rows in stages.items()}
    figures = Figures(
        year=year,
        country=code,
        suppressed=suppress,
        formal_contact=_breakdown(trafficking["formal_contact"], suppress),
        prosecuted=_breakdown(trafficking["prosecuted"], suppress),
        convicted=_breakdown(trafficking["convicted"], suppress),
        smuggling={stage: _persons(rows, suppress) for stage, rows in smuggling.items()},
    )
    record(session, actor=actor, action="investigations.figures", object_type="investigation_figures",
           details={"year": year, "country": code, "suppressed": suppress})  # fmt: skip
    return figures
