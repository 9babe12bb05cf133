"""News monitoring: read press reports in Arabic, English and French, offline, and extract the event
(type, title, dates, place), organisations, persons, countries and themes they state.

    from jusoor.monitor import extract, same_event
    x = extract(text, published=date(2023, 7, 11))
    x.event.type, x.event.start, x.event.city, [o.organization.id for o in x.organizations]
    same_event(x, y) >= SAME_EVENT_THRESHOLD  # one event reported twice, in any two languages

Reading files (text, HTML main text, RSS/Atom items) is `jusoor.monitor.reading.text.read_file`; the CLI is
`jusoor.monitor.cli.app` (`jusoor monitor extract FILE… --json`).
"""

from jusoor.monitor.reading.events import Event
from jusoor.monitor.reading.extract import Extraction, extract
from jusoor.monitor.reading.grouping import SAME_EVENT_THRESHOLD, is_same_event, same_event
from jusoor.monitor.reading.organizations import Organization, OrganizationMention
from jusoor.monitor.reading.persons import Person
from jusoor.monitor.reading.places import Place

__all__ = [
    "SAME_EVENT_THRESHOLD",
    "Event",
    "Extraction",
    "Organization",
    "OrganizationMention",
    "Person",
    "Place",
    "extract",
    "is_same_event",
    "same_event",
]
