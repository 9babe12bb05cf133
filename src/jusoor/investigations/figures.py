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
# One counted person: the defendant and the form of exploitation the count is about.
Row = tuple[Defendant, str | None]


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


def _breakdown(rows: Iterable[Row], suppress: bool) -> Breakdown:
    people: dict[uuid.UUID, Defendant] = {}
    forms: dict[str, set[uuid.UUID]] = defaultdict(set)
    for defendant, form in rows:
        people[defendant.id] = defendant
        forms[form or UNSPECIFIED].add(defendant.id)
    by: dict[str, dict[str, set[uuid.UUID]]] = {"sex": defaultdict(set), "age": defaultdict(set),
                                                "citizenship": defaultdict(set)}  # fmt: skip
    for person in people.values():
        by["sex"][person.sex.value].add(person.id)
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


def _contacts(session: Session, country: str, year: int) -> tuple[list[Row], list[Row]]:
    """(trafficking rows, smuggling rows) of the persons brought into formal contact."""
    first, last = _year(year)
    defendants = list(
        session.scalars(
            select(Defendant)
            .join(InvestigationFile, InvestigationFile.id == Defendant.file_id)
            .where(
                InvestigationFile.country == country,
                Defendant.formal_contact_on.between(first, last),
            )
        )
    )
    charges: dict[uuid.UUID, list[Charge]] = defaultdict(list)
    if defendants:
        ids = [d.id for d in defendants]
        for charge in session.scalars(select(Charge).where(Charge.defendant_id.in_(ids))):
            charges[charge.defendant_id].append(charge)
    trafficking: list[Row] = []
    smuggling: list[Row] = []
    for person in defendants:
        own = charges[person.id]
        tip = [c for c in own if c.offence_type == OffenceType.trafficking.value]
        if not own:
            trafficking.append((person, None))
        trafficking.extend((person, c.form) for c in tip)
        if any(c.offence_type == OffenceType.smuggling.value for c in own):
            smuggling.append((person, None))
    return trafficking, smuggling


def _prosecuted(session: Session, country: str, year: int, offence: OffenceType) -> list[Row]:
    first, last = _year(year)
    rows = session.execute(
        select(Defendant, Charge.form)
        .join(Charge, Charge.defendant_id == Defendant.id)
        .join(InvestigationFile, InvestigationFile.id == Charge.file_id)
        .where(
            InvestigationFile.country == country,
            Charge.offence_type == offence.value,
            Charge.status == ChargeStatus.charged,
            Charge.charged_on.between(first, last),
        )
    ).all()
    return [(d, form) for d, form in rows]


def _convicted(session: Session, country: str, year: int, offence: OffenceType) -> list[Row]:
    first, last = _year(year)
    rows = session.execute(
        select(Defendant, Charge.form)
        .join(Judgment, Judgment.defendant_id == Defendant.id)
        .join(Charge, Charge.id == Judgment.charge_id)
        .join(InvestigationFile, InvestigationFile.id == Judgment.file_id)
        .where(
            InvestigationFile.country == country,
            Charge.offence_type == offence.value,
            Judgment.instance == Instance.first_instance,
            Judgment.verdict == Verdict.convicted,
            Judgment.decided_on.between(first, last),
        )
    ).all()
    return [(d, form) for d, form in rows]


def _persons(rows: list[Row], suppress: bool) -> Count:
    return _shown(len({d.id for d, _form in rows}), suppress)


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
    trafficking, smuggling = _contacts(session, code, year)
    figures = Figures(
        year=year,
        country=code,
        suppressed=suppress,
        formal_contact=_breakdown(trafficking, suppress),
        prosecuted=_breakdown(_prosecuted(session, code, year, OffenceType.trafficking), suppress),
        convicted=_breakdown(_convicted(session, code, year, OffenceType.trafficking), suppress),
        smuggling={
            "formal_contact": _persons(smuggling, suppress),
            "prosecuted": _persons(
                _prosecuted(session, code, year, OffenceType.smuggling), suppress
            ),
            "convicted": _persons(_convicted(session, code, year, OffenceType.smuggling), suppress),
        },
    )
    record(session, actor=actor, action="investigations.figures", object_type="investigation_figures",
           details={"year": year, "country": code, "suppressed": suppress})  # fmt: skip
    return figures
