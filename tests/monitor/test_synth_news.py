"""The synthetic press corpus: reproducible, three languages, events reported in several."""

from __future__ import annotations

from collections import Counter

from jusoor.monitor import extract
from jusoor.monitor.reading.organizations import catalogue
from jusoor.synth.news import generate


def test_the_same_seed_gives_the_same_reports() -> None:
    assert [a.text for a in generate(30, seed=4)] == [a.text for a in generate(30, seed=4)]
    assert [a.text for a in generate(30, seed=4)] != [a.text for a in generate(30, seed=5)]


def test_reports_come_in_three_languages_and_some_events_in_several() -> None:
    articles = list(generate(300, seed=1))
    assert len(articles) == 300
    assert {a.lang for a in articles} == {"ar", "en", "fr"}
    per_event = Counter(a.event.key for a in articles)
    assert any(n >= 2 for n in per_event.values())
    multilingual = [k for k, n in per_event.items() if n >= 2]
    langs = {a.lang for a in articles if a.event.key == multilingual[0]}
    assert len(langs) == per_event[multilingual[0]]  # one report per language
    assert all(o in catalogue() for a in articles for o in a.event.organizations)


def test_most_synthetic_reports_read_back_as_generated() -> None:
    articles = list(generate(90, seed=2))
    right = 0
    for a in articles:
        x = extract(a.text, published=a.published)
        city = x.event.city.id if x.event.city else None
        right += (x.event.type, x.event.start, city) == (
            a.event.type,
            a.event.start,
            a.event.city_id,
        )
    assert right / len(articles) > 0.8
