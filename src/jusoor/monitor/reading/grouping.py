"""Do two reports tell of the same event? A score from what they state, in any pair of languages.

Reports of one event in Arabic and English share no words, but they share what extraction resolves
to language-free keys: dates, place codes, organisation ids, the Latin keys of persons' names, the
event type. Each known signal gives a similarity in [0, 1]; the score is their weighted mean, cut
down hard when the dates or the countries contradict each other. Signals a report does not state
are left out rather than counted against the pair. The database-backed grouping builds on this
function.
"""

from __future__ import annotations

from datetime import timedelta

from jusoor.monitor.reading.extract import Extraction

SAME_EVENT_THRESHOLD = 0.6
WEIGHTS = {"dates": 0.3, "place": 0.2, "organizations": 0.2, "persons": 0.2, "type": 0.1}
# Gatherings of one kind are reported under each other's names ("forum" / "conference").
GATHERINGS = frozenset({"conference", "forum", "meeting", "roundtable", "workshop", "training"})
DATE_SLACK = timedelta(days=1)  # a report may count the arrival day, or miss the last day
MIN_SIGNALS = 2


def same_event(a: Extraction, b: Extraction) -> float:
    """A score in [0, 1] that `a` and `b` report one event; from `SAME_EVENT_THRESHOLD`: same."""
    signals = {
        "dates": _dates(a, b),
        "place": _place(a, b),
        "organizations": _overlap(
            {o.organization.id for o in a.organizations},
            {o.organization.id for o in b.organizations},
        ),
        "persons": _persons(a, b),
        "type": _type(a, b),
    }
    known = {k: v for k, v in signals.items() if v is not None}
    if not known:
        return 0.0
    score = sum(WEIGHTS[k] * v for k, v in known.items()) / sum(WEIGHTS[k] for k in known)
    if signals["dates"] == 0.0:
        score *= 0.2  # different days: another session, another edition
    if signals["place"] == 0.0:
        score *= 0.3  # different countries
    if signals["persons"] == 0.0:
        score *= 0.8  # both name who spoke, and no one is in both: likely two events
    kinds = {_gathering(a), _gathering(b)}
    if None not in kinds and len(kinds) == 2:
        score *= 0.3  # a conference is not an arrest or a verdict, in any language
    if len(known) < MIN_SIGNALS:
        score = min(score, SAME_EVENT_THRESHOLD - 0.1)  # one signal is not enough to merge
    return round(score, 3)


def is_same_event(a: Extraction, b: Extraction) -> bool:
    return same_event(a, b) >= SAME_EVENT_THRESHOLD


def _dates(a: Extraction, b: Extraction) -> float | None:
    ea, eb = a.event, b.event
    if ea.start is None or eb.start is None:
        return None
    a_end, b_end = ea.end or ea.start, eb.end or eb.start
    if ea.start <= b_end and eb.start <= a_end:
        return 1.0
    gap = max(ea.start - b_end, eb.start - a_end)
    return 0.5 if gap <= DATE_SLACK else 0.0


def _place(a: Extraction, b: Extraction) -> float | None:
    ea, eb = a.event, b.event
    if ea.city and eb.city:
        if ea.city.id == eb.city.id:
            return 1.0
        return 0.0 if ea.city.country != eb.city.country else 0.3
    if ea.country and eb.country:
        return 0.7 if ea.country == eb.country else 0.0
    return None


def _overlap(x: set[str], y: set[str]) -> float | None:
    if not x or not y:
        return None
    return len(x & y) / min(len(x), len(y))


def _persons(a: Extraction, b: Extraction) -> float | None:
    xs = [p.key for p in a.persons if p.key]
    ys = [p.key for p in b.persons if p.key]
    if not xs or not ys:
        return None
    shared = sum(1 for x in xs if any(_same_name(x, y) for y in ys))
    return shared / min(len(xs), len(ys))


def _same_name(x: str, y: str) -> bool:
    """Equal keys, or one is the other's ending ("Aboul Gheit" in "Ahmed Aboul Gheit")."""
    short, long = sorted((x, y), key=len)
    return x == y or (len(short) >= 4 and long.endswith(short))


def _gathering(x: Extraction) -> bool | None:
    return None if x.event.type is None else x.event.type in GATHERINGS


def _type(a: Extraction, b: Extraction) -> float | None:
    ta, tb = a.event.type, b.event.type
    if ta is None or tb is None:
        return None
    if ta == tb:
        return 1.0
    return 0.5 if ta in GATHERINGS and tb in GATHERINGS else 0.0
