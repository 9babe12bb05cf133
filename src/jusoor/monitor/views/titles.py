"""An event's title in the reader's language, composed from its facts through translated templates:
"Workshop on victim identification — Tunis, 3–5 March 2026".

A report's own words for its event are in the report's language and are cut wherever the clause
ends; a title composed from the facts is whole and reads in Arabic, English or French alike. The
topic is read from the event's extracted title (in any language) against `gazetteers/events.yaml`
`topics`; without a known topic the crime the reports concern stands in, and without either the
title is the kind of event alone. Place and dates follow when the reports state them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Protocol

from babel.dates import format_interval

from jusoor.core.i18n import N_, babel_locale, format_date, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.monitor.reading.folding import fold
from jusoor.monitor.reading.gazetteer import load
from jusoor.monitor.views.map import city_name
from jusoor.web.labels import country_name

# How a title names each kind of event (a noun phrase that can stand first in a title).
_EVENTS = {
    "conference": N_("Conference"),
    "workshop": N_("Workshop"),
    "training": N_("Training course"),
    "forum": N_("Forum"),
    "roundtable": N_("Round table"),
    "meeting": N_("Meeting"),
    "study_visit": N_("Study visit"),
    "campaign": N_("Awareness campaign"),
    "plan_or_law_adopted": N_("National plan or law adopted"),
    "agreement_signed": N_("Agreement signed"),
}
# Incidents have no topic of their own: the crime says what they are about.
_INCIDENTS = {
    ("arrest_or_raid", "trafficking_in_persons"): N_("Arrests in a trafficking in persons case"),
    ("arrest_or_raid", "migrant_smuggling"): N_("Arrests in a migrant smuggling case"),
    ("arrest_or_raid", None): N_("Arrests"),
    ("prosecution_or_verdict", "trafficking_in_persons"): N_(
        "Court ruling in a trafficking in persons case"
    ),
    ("prosecution_or_verdict", "migrant_smuggling"): N_("Court ruling in a migrant smuggling case"),
    ("prosecution_or_verdict", None): N_("Court ruling"),
    ("rescue", "trafficking_in_persons"): N_("Rescue of victims of trafficking"),
    ("rescue", "migrant_smuggling"): N_("Rescue of smuggled migrants"),
    ("rescue", None): N_("Rescue"),
}
# Topics, written to follow "on" ("Workshop on victim identification").
_TOPICS = {
    "victim_identification": N_("victim identification"),
    "referral": N_("the referral of victims"),
    "child_protection": N_("the protection of child victims"),
    "victim_protection": N_("the protection of victims"),
    "judicial_cooperation": N_("judicial cooperation"),
    "investigation": N_("investigating trafficking cases"),
    "forced_labour": N_("forced labour"),
    "migrant_smuggling": N_("migrant smuggling"),
    "trafficking_in_persons": N_("trafficking in persons"),
}


class EventFacts(Protocol):
    """What a title is made of; `EventSummary` and `EventView` both have it."""

    @property
    def type(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def start(self) -> dt.date | None: ...
    @property
    def end(self) -> dt.date | None: ...
    @property
    def city(self) -> str | None: ...
    @property
    def city_id(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def crime(self) -> str | None: ...


@cache
def _topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    for topic, words in load("events.yaml")["topics"].items():
        folded = sorted({fold(w).text for ws in words.values() for w in ws}, key=len, reverse=True)
        alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded)
        patterns.append((topic, re.compile(rf"(?:{alternation})", re.IGNORECASE)))
    return tuple(patterns)


def warm() -> None:
    """The topics' word patterns, compiled now (`Domain.warm`)."""
    _topic_patterns()


def topic_of(words: str | None) -> str | None:
    """The topic an extracted title names (first in `topics` order wins), or None."""
    if not words:
        return None
    text = fold(words).text
    return next((topic for topic, pattern in _topic_patterns() if pattern.search(text)), None)


def dates_of(start: dt.date | None, end: dt.date | None) -> str:
    """ "3–5 March 2026" in the reader's locale, one day when the event lasts one."""
    if start is None:
        return ""
    if end is None or end == start:
        return format_date(start, "long")
    return localize_digits(format_interval(start, end, "yMMMMd", locale=babel_locale()))


def _place(event: EventFacts) -> str:
    if event.city_id or event.city:
        return city_name(event.city_id, event.city)
    return country_name(event.country) if event.country else ""


def event_heading(event: EventFacts) -> str:
    """The event's title in the reader's language, whole, from what its reports state."""
    crime = event.crime if event.crime in ("trafficking_in_persons", "migrant_smuggling") else None
    kind = event.type or ""
    if (kind, crime) in _INCIDENTS:
        head = _(_INCIDENTS[(kind, crime)])
    else:
        topic = topic_of(event.title) or crime
        noun = _(_EVENTS[kind]) if kind in _EVENTS else _("Event")
        head = _("%(event)s on %(topic)s", event=noun, topic=_(_TOPICS[topic])) if topic else noun
    place, dates = _place(event), dates_of(event.start, event.end)
    if place and dates:
        return _("%(title)s — %(place)s, %(dates)s", title=head, place=place, dates=dates)
    if place:
        return _("%(title)s — %(place)s", title=head, place=place)
    if dates:
        return _("%(title)s — %(dates)s", title=head, dates=dates)
    return head
