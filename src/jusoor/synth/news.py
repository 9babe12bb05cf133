"""Synthetic press reports for the news monitor: conferences, workshops, trainings, arrests, trials
and plans adopted, in Arabic, English and French, seeded and reproducible.

Organisations are real (the monitor's gazetteer, named as the press names them), persons synthetic
(`jusoor.synth.names`, in Arabic script for Arabic reports and Latin for the others), places MENA
cities, dates written in the formats of each language and region (10-13 July 2023, July 10, 2023,
du 10 au 13 juillet 2023, من 10 إلى 13 تموز 2023). Some events are reported in two or three
languages, so that grouping has work; `Article.event` is the ground truth.

    for article in generate(1000, seed=7): article.text, article.lang, article.event
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from jusoor.monitor.reading.gazetteer import load
from jusoor.monitor.reading.organizations import Organization, catalogue
from jusoor.synth.names import PersonName, random_person_name

LANGS = ("ar", "en", "fr")
MENA = frozenset(
    [
        "DZ",
        "BH",
        "EG",
        "IQ",
        "JO",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "OM",
        "PS",
        "QA",
        "SA",
        "SD",
        "SY",
        "TN",
        "AE",
        "YE",
    ]
)
FIRST_DAY = date(2019, 1, 1)  # events start in the six years from here, unless asked otherwise
DAYS = 6 * 365
MULTILINGUAL_SHARE = 0.3  # events reported in two or three languages
GATHERINGS = ("conference", "workshop", "training")

# Per type and language: how the report names the event, and a topic phrase.
NOUNS: dict[str, dict[str, str]] = {
    "conference": {
        "en": "regional conference",
        "fr": "conférence régionale",
        "ar": "مؤتمرا إقليميا",
    },
    "workshop": {"en": "workshop", "fr": "atelier", "ar": "ورشة عمل"},
    "training": {"en": "training course", "fr": "session de formation", "ar": "دورة تدريبية"},
}
TOPICS = {
    "en": (
        "the early identification of victims of trafficking in persons",
        "international cooperation against the smuggling of migrants",
        "the national referral mechanism for the protection of victims",
    ),
    "fr": (
        "l'identification précoce des victimes de la traite des personnes",
        "la coopération internationale contre le trafic illicite de migrants",
        "le mécanisme national d'orientation pour la protection des victimes",
    ),
    "ar": (
        "الكشف المبكر عن ضحايا الاتجار بالبشر",
        "التعاون الدولي في مكافحة تهريب المهاجرين",
        "الآلية الوطنية لإحالة وحماية الضحايا",
    ),
}
TITLES = {
    "en": ("H.E. Ambassador", "Dr."),
    "fr": ("S.E. l'ambassadeur", "Dr."),
    "ar": ("سعادة السفير", "الدكتور"),
}
ROLES = {
    "en": "President of the National Committee",
    "fr": "président de la commission nationale",
    "ar": "رئيس اللجنة الوطنية",
}


@dataclass(frozen=True, slots=True)
class EventSpec:
    """The ground truth behind one or more articles."""

    key: int
    type: str  # conference, workshop, training, arrest_or_raid, prosecution_or_verdict, plan_…
    city_id: str
    country: str
    start: date
    end: date
    organizations: tuple[str, ...]  # gazetteer ids
    persons: tuple[PersonName, ...]
    participants: int


@dataclass(frozen=True, slots=True)
class Article:
    text: str
    lang: str
    published: date
    event: EventSpec


@cache
def _cities() -> list[dict[str, Any]]:
    return [
        c
        for c in load("places.yaml")["cities"]
        if c["country"] in _national_bodies() and all(c["names"].get(lang) for lang in LANGS)
    ]


@cache
def _national_bodies() -> dict[str, list[Organization]]:
    bodies: dict[str, list[Organization]] = {}
    for org in catalogue().values():
        if org.country in MENA and org.names.get("en"):
            bodies.setdefault(org.country, []).append(org)
    return bodies


@cache
def _partners() -> list[Organization]:
    wanted = ("unodc", "iom", "unhcr", "unicef", "ilo", "eu", "las", "coe", "au")
    return [catalogue()[i] for i in wanted if i in catalogue()]


@cache
def _months() -> dict[int, dict[str, list[str]]]:
    return {int(k): v for k, v in load("dates.yaml")["months"].items()}


def _month(rng: random.Random, number: int, lang: str) -> str:
    names = _months()[number][lang]
    # Arabic: the Egyptian, Levantine and Maghrebi names of the month; else the full name.
    return rng.choice(names[:3]) if lang == "ar" else names[0]


def _dates(rng: random.Random, spec: EventSpec, lang: str) -> str:
    s, e = spec.start, spec.end
    m = _month(rng, s.month, lang)
    if s.month != e.month:  # "from 30 November to 2 December 2023": each day with its month
        n = _month(rng, e.month, lang)
        return {
            "en": f"from {s.day} {m} to {e.day} {n} {e.year}",
            "fr": f"du {s.day} {m} au {e.day} {n} {e.year}",
            "ar": f"من {s.day} {m} إلى {e.day} {n} {e.year}",
        }[lang]
    if s == e:
        return {
            "en": rng.choice([f"on {s.day} {m} {s.year}", f"on {m} {s.day}, {s.year}"]),
            "fr": f"le {s.day} {m} {s.year}",
            "ar": f"يوم {s.day} {m} {s.year}",
        }[lang]
    return {
        "en": rng.choice(
            [f"from {s.day} to {e.day} {m} {s.year}", f"on {s.day}-{e.day} {m} {s.year}"]
        ),
        "fr": f"du {s.day} au {e.day} {m} {s.year}",
        "ar": rng.choice(
            [f"من {s.day} إلى {e.day} {m} {s.year}", f"خلال الفترة {s.day}-{e.day} {m} {s.year}"]
        ),
    }[lang]


def _org_name(rng: random.Random, org_id: str, lang: str) -> str:
    org = catalogue()[org_id]
    names = org.names.get(lang) or org.names.get("en") or (org.id,)
    return rng.choice(names[:2])


def _person(rng: random.Random, person: PersonName, lang: str) -> str:
    return person.arabic() if lang == "ar" else person.latin(rng=rng)


def _city(rng: random.Random, city_id: str, lang: str) -> str:
    city = next(c for c in _cities() if c["id"] == city_id)
    return str(rng.choice(city["names"][lang]))


def _gathering(rng: random.Random, spec: EventSpec, lang: str) -> str:
    host, partner = (_org_name(rng, o, lang) for o in spec.organizations[:2])
    city = _city(rng, spec.city_id, lang)
    when = _dates(rng, spec, lang)
    noun = NOUNS[spec.type][lang]
    topic = rng.choice(TOPICS[lang])
    title = TITLES[lang][rng.randrange(2)]
    chair = _person(rng, spec.persons[0], lang)
    n = spec.participants
    if lang == "en":
        return (
            f"{noun.capitalize()} on {topic} opens in {city}\n\n"
            f"The {host} organised, in partnership with the {partner}, a {noun} on {topic}"
            f" {when} in {city}. {title} {chair}, {ROLES[lang]}, opened the {noun}, which"
            f" brought together {n} participants from the region."
        )
    if lang == "fr":
        return (
            f"Ouverture à {city} d'un {noun} sur {topic}\n\n"
            f"{host} a organisé, en partenariat avec {partner}, un {noun} sur {topic} {when}"
            f" à {city}. {title} {chair}, {ROLES[lang]}, a ouvert les travaux devant {n}"
            f" participants venus de la région."
        )
    return (
        f"انطلاق {noun} حول {topic} في {city}\n\n"
        f"نظمت {host} بالتعاون مع {partner} {noun} حول {topic} {when} في {city}."
        f" وافتتح {title} {chair}، {ROLES[lang]}، أعمال اللقاء بمشاركة {n} مشاركا من دول المنطقة."
    )


def _incident(rng: random.Random, spec: EventSpec, lang: str) -> str:
    city = _city(rng, spec.city_id, lang)
    when = _dates(rng, spec, lang)
    body = _org_name(rng, spec.organizations[0], lang)
    n = spec.participants % 12 + 2
    if spec.type == "arrest_or_raid":
        return {
            "en": f"Police arrested {n} suspects in a trafficking in persons case in {city} {when},"
            f" the {body} said. Victims of trafficking were referred to protection services.",
            "fr": f"La police a interpellé {n} suspects dans une affaire de traite des personnes à"
            f" {city} {when}, selon {body}. Les victimes ont été orientées vers une protection.",
            "ar": f"ألقت الشرطة القبض على {n} مشتبها بهم في قضية اتجار بالبشر في {city} {when}،"
            f" بحسب {body}. وأحيل الضحايا إلى خدمات الحماية.",
        }[lang]
    if spec.type == "prosecution_or_verdict":
        return {
            "en": f"A court in {city} sentenced {n} members of a network for smuggling of"
            f" migrants {when}, the {body} reported.",
            "fr": f"Le tribunal de {city} a condamné {n} membres d'un réseau de trafic illicite de"
            f" migrants {when}, a indiqué {body}.",
            "ar": f"قضت المحكمة في {city} بالسجن على {n} من أفراد شبكة لتهريب المهاجرين {when}،"
            f" حسب {body}.",
        }[lang]
    chair = _person(rng, spec.persons[0], lang)
    return {
        "en": f"The government adopted the national action plan against trafficking in persons"
        f" {when} in {city}, said {chair}, {ROLES[lang]} of the {body}.",
        "fr": f"Le gouvernement a adopté le plan national de lutte contre la traite des personnes"
        f" {when} à {city}, a déclaré {chair}, {ROLES[lang]} ({body}).",
        "ar": f"أعلنت {body} عن اعتماد الخطة الوطنية لمكافحة الاتجار بالبشر {when} في {city}،"
        f" حسب ما صرح به {chair}، {ROLES[lang]}.",
    }[lang]


def _spec(rng: random.Random, key: int, first_day: date, days: int) -> EventSpec:
    city = rng.choice(_cities())
    country = str(city["country"])
    kind = rng.choice(
        (
            *GATHERINGS,
            *GATHERINGS,
            "arrest_or_raid",
            "prosecution_or_verdict",
            "plan_or_law_adopted",
        )
    )
    start = first_day + timedelta(days=rng.randrange(days))
    length = rng.choice((0, 1, 2, 3)) if kind in GATHERINGS else 0
    orgs: tuple[str, ...] = (rng.choice(_national_bodies()[country]).id,)
    if kind in GATHERINGS:
        orgs += (rng.choice(_partners()).id,)
    persons = tuple(random_person_name(rng, country=country) for _ in range(2))
    return EventSpec(
        key,
        kind,
        str(city["id"]),
        country,
        start,
        start + timedelta(days=length),
        orgs,
        persons,
        rng.randrange(15, 200),
    )


def generate(
    articles: int, *, seed: int = 0, first_day: date = FIRST_DAY, days: int = DAYS
) -> Iterator[Article]:
    """`articles` reports of synthetic events starting in the `days` from `first_day`; the same
    seed gives the same reports."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic reports, not a secret
    made = key = 0
    while made < articles:
        spec = _spec(rng, key, first_day, days)
        key += 1
        many = rng.random() < MULTILINGUAL_SHARE
        langs = rng.sample(LANGS, rng.choice((2, 3))) if many else [rng.choice(LANGS)]
        for lang in langs[: articles - made]:
            render = _gathering if spec.type in GATHERINGS else _incident
            published = spec.end + timedelta(days=rng.choice((0, 1, 2)))
            yield Article(render(rng, spec, lang), lang, published, spec)
            made += 1
