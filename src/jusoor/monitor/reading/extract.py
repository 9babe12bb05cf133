"""One call from a report's text to what it says: `extract(text, published=…, lang=…)`.

Everything runs offline on rules and the gazetteers shipped in the package; nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jusoor.monitor.reading.dates import (
    DateMention,
    dateline,
    find_dates,
    find_duration,
    find_length,
)
from jusoor.monitor.reading.events import Event, read_event
from jusoor.monitor.reading.folding import fold
from jusoor.monitor.reading.gazetteer import tokenize
from jusoor.monitor.reading.language import SUPPORTED, detect_language
from jusoor.monitor.reading.organizations import OrganizationMention, find_organizations
from jusoor.monitor.reading.persons import Person, find_persons
from jusoor.monitor.reading.places import PlaceMention, countries_of, find_places
from jusoor.monitor.reading.provenance import Evidence, collect
from jusoor.monitor.reading.themes import find_participants, read_themes


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one report says. Dates are absolute; what the text does not state is None or empty."""

    lang: str | None  # ISO 639-1; rules are written for ar, en and fr
    published: date | None  # as given by the caller, else from the report's own dateline
    event: Event
    organizations: tuple[OrganizationMention, ...]
    persons: tuple[Person, ...]
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2, the event's country first
    themes: tuple[str, ...]  # prevention, protection, prosecution, partnership
    crime: str | None  # trafficking_in_persons, migrant_smuggling, both
    places: tuple[PlaceMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # where each fact was read (provenance.py)


def extract(text: str, *, published: date | None = None, lang: str | None = None) -> Extraction:
    """Read the event, organisations, persons, places, themes and crime a report states.

    `published` (the day the report came out) is the only ground on which a relative date such as
    "today, Thursday" is resolved; without it, and without a dateline in the text, such dates stay
    empty. `lang` skips language detection; a language other than ar/en/fr is reported as detected
    and read with the rules of all three.
    """
    lang = lang or detect_language(text)
    rules_lang = lang if lang in SUPPORTED else None
    folded = fold(text)
    tokens = tokenize(folded)
    dates = find_dates(folded, published=published, lang=rules_lang)
    head = dateline(text, dates)
    if published is None and head is not None:
        published = head.start
        dates = find_dates(folded, published=published, lang=rules_lang)
        head = dateline(text, dates)
    # National bodies named by a name of their own tell which country an ambiguous place is in.
    named = find_organizations(tokens, text, lang=rules_lang)
    bodies = {o.organization.country for o in named if o.organization.country}
    places = find_places(tokens, lang=rules_lang, hints=[c for c in bodies if c])
    participants = find_participants(folded, lang=rules_lang)
    event = read_event(
        folded,
        tokens,
        lang=rules_lang,
        dates=dates,
        places=places,
        dateline=head,
        duration=find_duration(folded),
        length=find_length(folded),
        participants=participants[0] if participants else None,
        published=published,
    )
    countries = countries_of(places)
    if event.country:
        countries = [event.country, *(c for c in countries if c != event.country)]
    organizations = find_organizations(tokens, text, lang=rules_lang, countries=countries)
    themes = read_themes(tokens, lang=rules_lang)
    persons = find_persons(folded)
    evidence = collect(
        event,
        organizations=organizations,
        persons=persons,
        places=places,
        countries=countries,
        theme_spans=themes.spans,
        participants=participants if event.participants is not None else None,
    )
    return Extraction(
        lang=lang,
        published=published,
        event=event,
        organizations=tuple(organizations),
        persons=tuple(persons),
        countries=tuple(countries),
        themes=themes.themes,
        crime=themes.crime,
        places=tuple(places),
        dates=tuple(dates),
        evidence=evidence,
    )
