"""The shapes of the monitor's gazetteers (`gazetteers/*.yaml`), held to strict models by
`jusoor.core.datafiles` (the map's points, `views/boundaries/cities.yaml`, are declared by
`views/map.py`).

The readers (dates, events, places, persons, organisations, themes, map) still index the plain mapping `gazetteer.load(name)` returns; these models guarantee its shape.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from jusoor.core.datafiles import DataFile, StrictModel, declare

Language = Literal["en", "fr", "ar", "any"]
Aliases = dict[Language, list[str]]
Words = list[Annotated[str, StringConstraints(min_length=1)]]
PACKAGE = "jusoor.monitor.reading.gazetteers"


class RelativeDay(StrictModel):
    offset: int
    en: Words
    fr: Words
    ar: Words
    with_weekday: Words | None = None


class Duration(StrictModel):
    numbers: dict[Language, dict[str, int]]
    day_words: Aliases
    lead_words: Aliases
    units: dict[Literal["week", "month"], Aliases]
    duals: dict[Literal["week", "month"], Words]
    one: Words


class Ahead(StrictModel):
    before: Words  # "next Thursday"
    after: Words  # "jeudi prochain", «الخميس المقبل»


class DatesFile(StrictModel):
    months: dict[int, Aliases]
    weekdays: dict[int, Aliases]
    relative: list[RelativeDay]
    ahead: Ahead
    before_today: Words
    weekday_joiners: Words
    range_separators: Words
    until: Aliases
    month_end: Aliases
    duration: Duration


class Adoption(StrictModel):
    active: Aliases
    passive: Aliases
    objects: Aliases
    breaks: Aliases


class EventsFile(StrictModel):
    types: dict[str, Aliases]
    adoption: Adoption
    themes: dict[str, Aliases]
    crimes: dict[str, Aliases]
    topics: dict[str, Aliases]
    participation_leads: Aliases
    not_participants: Aliases
    took_part: Aliases
    number_words: dict[Language, dict[str, int]]
    participants: Aliases
    title_stops: Aliases
    locatives: Aliases
    seats: Aliases
    destinations: Aliases
    reporting: Aliases
    opening: Aliases
    closing: Aliases


class Organization(StrictModel):
    id: str
    acronym: str | None  # the key is always written; null when none is in use
    kind: str
    names: Aliases
    acronyms: Aliases | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None


class OrganizationsFile(StrictModel):
    organizations: list[Organization]
    not_organizations: Aliases


class Title(StrictModel):
    label: str
    en: Words
    fr: Words
    ar: Words


class PersonsFile(StrictModel):
    titles: list[Title]
    role_nouns: Aliases
    speech_verbs: Aliases
    role_verbs: Aliases
    name_stops: dict[Literal["ar", "latin"], Words]
    name_particles: Words
    institution_nouns: Words


class City(StrictModel):
    id: str
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    names: Aliases
    in_context: Aliases | None = None  # names that are also common words (places.yaml)


class PlacesFile(StrictModel):
    cities: list[City]
    countries: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")], Aliases]
    context_leads: Aliases
    capital_words: Aliases
    capitals: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")], str]
    not_places: Aliases


GAZETTEERS: dict[str, DataFile[StrictModel]] = {
    "dates.yaml": declare(PACKAGE, "dates.yaml", DatesFile),
    "events.yaml": declare(PACKAGE, "events.yaml", EventsFile),
    "organizations.yaml": declare(PACKAGE, "organizations.yaml", OrganizationsFile),
    "persons.yaml": declare(PACKAGE, "persons.yaml", PersonsFile),
    "places.yaml": declare(PACKAGE, "places.yaml", PlacesFile),
}
