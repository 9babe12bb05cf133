"""Persons before the criminal justice system, as GLOTIP counts them: brought into formal contact
with the police, prosecuted, convicted at first instance, for trafficking in persons or the
smuggling of migrants.

The rows are the investigations domain's own (`investigations.figures.persons`, the function its
GLOTIP figures use), so both always agree. A person is one unit however many charges they face:
counted once in the total and once under each form of exploitation or offence charged (those two
dimensions are multi-valued). When the investigations tables are empty every count is 0; whether
the domain is installed at all is the pages' question, not the engine's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy.orm import Session

from jusoor.core.i18n import N_
from jusoor.core.permissions import Actor, Scope
from jusoor.investigations.figures import FIRST_YEAR, UNSPECIFIED, PersonRow, age_group, persons
from jusoor.investigations.vocabulary import OffenceType
from jusoor.stats.engine import READ, ComputedSubject, Query, Unit, register_subject
from jusoor.stats.tables import UNKNOWN

DIMENSIONS = {
    "country": N_("Country"),
    "agency": N_("Agency"),
    "sex": N_("Sex"),
    "age_group": N_("Child or adult"),
    "citizenship": N_("Citizenship"),
    "form": N_("Form of exploitation"),
    "offence": N_("Offence"),
}


def _visible(actor: Actor, row: PersonRow) -> bool:
    scope = actor.scope(READ)
    if scope is Scope.all:
        return True
    if scope is Scope.country:
        return actor.country is not None and row.country == actor.country
    if scope is Scope.agency:
        return actor.agency_id is not None and row.agency_id == actor.agency_id
    return False


def _categories(row: PersonRow) -> dict[str, list[str]]:
    categories = {
        "country": [row.country],
        "agency": [str(row.agency_id)],
        "sex": [row.sex or UNKNOWN],
        "age_group": [age_group(row.age)],
        "citizenship": [row.citizenship or UNKNOWN],
        "offence": [row.offence],
    }
    if row.offence == OffenceType.trafficking.value:
        categories["form"] = [row.form or UNSPECIFIED]
    return categories


def _rows(stage: str, session: Session, actor: Actor, query: Query) -> Iterator[Unit]:
    first = query.start or dt.date(FIRST_YEAR, 1, 1)
    last = query.end or dt.date.today()
    if first > last:
        return
    country = query.country
    for row in persons(session, stage=stage, first=first, last=last, country=country):
        if not _visible(actor, row):
            continue
        if query.agency_id is not None and str(row.agency_id) != str(query.agency_id):
            continue
        yield Unit(id=row.id, on=row.on, categories=_categories(row))


def _subject(stage: str, unit: str, label: str) -> ComputedSubject:
    return ComputedSubject(
        name=f"justice_{stage}",
        unit=unit,
        label=label,
        dimensions=DIMENSIONS,
        units=lambda session, actor, query: _rows(stage, session, actor, query),
    )


for _found in (
    _subject(
        "formal_contact", N_("persons"), N_("Persons brought into formal contact with the police")
    ),
    _subject("prosecuted", N_("persons"), N_("Persons prosecuted")),
    _subject("convicted", N_("persons"), N_("Persons convicted at first instance")),
):
    register_subject(_found)
