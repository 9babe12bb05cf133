"""Synthetic person files for record linkage: the same people as four kinds of source write them.

Each person appears in one to four sources, at most once in each:

- a Moroccan police report (Latin script, "FAMILY, Given", French habits, d/m/y dates);
- a Mauritanian file (Arabic script with informal spellings, Arabic-Indic digits, local phones);
- a passenger list (Latin script, passport order, ISO dates, ISO alpha-3 nationalities);
- an NGO intake (either script, often a short name, year of birth only, English nationalities).

Fields go missing, dates and phones are written in each source's habit, phones change and dates
are mistyped now and then. The true person of each record is returned apart (`truth`), for
evaluation only: it is never a column of the records.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jusoor.synth.names import UPPER, PersonName, random_person_name

COLUMNS = ("record_id", "full_name", "date_of_birth", "nationality", "phone", "document_number")
SOURCES = ("police_ma", "civil_mr", "passengers", "ngo_intake")
DEFAULT_REGION = "MR"  # the country of the file: local phone numbers are read as Mauritanian

# Nationalities of the people and their countries' calling codes and mobile numbering:
# (weight, calling code, national-number prefix, national-number length).
_COUNTRIES: dict[str, tuple[float, str, str, int]] = {
    "MR": (0.35, "222", "4", 8),
    "MA": (0.2, "212", "6", 9),
    "SN": (0.1, "221", "77", 9),
    "ML": (0.1, "223", "7", 8),
    "SD": (0.1, "249", "91", 9),
    "SY": (0.08, "963", "93", 9),
    "EG": (0.07, "20", "10", 10),
}
# How each language writes a nationality: country names and nationality words.
_NATIONALITY_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "MR": {
        "fr": ("Mauritanie", "mauritanien"),
        "ar": ("موريتانيا", "موريتاني"),
        "en": ("Mauritania", "Mauritanian"),
    },
    "MA": {"fr": ("Maroc", "marocain"), "ar": ("المغرب", "مغربي"), "en": ("Morocco", "Moroccan")},
    "SN": {
        "fr": ("Sénégal", "sénégalais"),
        "ar": ("السنغال", "سنغالي"),
        "en": ("Senegal", "Senegalese"),
    },
    "ML": {"fr": ("Mali", "malien"), "ar": ("مالي",), "en": ("Mali", "Malian")},
    "SD": {"fr": ("Soudan", "soudanais"), "ar": ("السودان", "سوداني"), "en": ("Sudan", "Sudanese")},
    "SY": {"fr": ("Syrie", "syrien"), "ar": ("سوريا", "سوري"), "en": ("Syria", "Syrian")},
    "EG": {"fr": ("Égypte", "égyptien"), "ar": ("مصر", "مصري"), "en": ("Egypt", "Egyptian")},
}
_ALPHA3 = {
    "MR": "MRT",
    "MA": "MAR",
    "SN": "SEN",
    "ML": "MLI",
    "SD": "SDN",
    "SY": "SYR",
    "EG": "EGY",
}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_RECORD_COUNTS = (1, 2, 3, 4)  # records of one person, and how often each count occurs
_RECORD_WEIGHTS = (0.35, 0.3, 0.2, 0.15)


@dataclass(frozen=True)
class Person:
    """One synthetic person: what every source could know about them."""

    key: str
    name: PersonName
    born: dt.date
    country: str
    phone: str | None  # national number, without the calling code
    document: str | None


@dataclass(frozen=True)
class PersonFiles:
    """Records (dicts with `COLUMNS`) and, apart, the person each record is of."""

    records: list[dict[str, str]]
    truth: dict[str, str]  # record_id → person key

    def write(self, records_path: Path, truth_path: Path | None = None) -> None:
        """Write the records as UTF-8 CSV, and the truth (record_id, person) to its own file."""
        with records_path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(self.records)
        if truth_path is not None:
            with truth_path.open("w", newline="", encoding="utf-8") as out:
                writer_truth = csv.writer(out)
                writer_truth.writerow(["record_id", "person"])
                writer_truth.writerows(sorted(self.truth.items()))


def generate_person_files(people: int, *, seed: int) -> PersonFiles:
    """`people` synthetic people in one to four records each, shuffled; deterministic in `seed`."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    drawn: list[tuple[str, str, dict[str, str]]] = []  # (source, person key, fields)
    for index in range(people):
        person = _person(rng, f"p{index}")
        count = rng.choices(_RECORD_COUNTS, weights=_RECORD_WEIGHTS)[0]
        for source in rng.sample(SOURCES, count):
            drawn.append((source, person.key, _WRITERS[source](rng, person)))
    rng.shuffle(drawn)  # before numbering: neighbouring ids must not betray the same person
    records: list[dict[str, str]] = []
    truth: dict[str, str] = {}
    for position, (source, key, fields) in enumerate(drawn):
        record_id = f"{source}-{position:07d}"
        records.append({"record_id": record_id, **fields})
        truth[record_id] = key
    return PersonFiles(records, truth)


def _person(rng: random.Random, key: str) -> Person:
    countries = list(_COUNTRIES)
    country = rng.choices(countries, weights=[_COUNTRIES[c][0] for c in countries])[0]
    _weight, _code, prefix, length = _COUNTRIES[country]
    phone = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
    document = f"{rng.choice('ABCDEFGHKMNPRSTZ')}{rng.randrange(10**6, 10**7)}"
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(45 * 365))
    return Person(
        key,
        random_person_name(rng, country=country),
        born,
        country,
        phone if rng.random() < 0.75 else None,
        document if rng.random() < 0.6 else None,
    )


def _kept(rng: random.Random, value: str | None, probability: float) -> str:
    return value if value is not None and rng.random() < probability else ""


def _date(rng: random.Random, person: Person, formats: Sequence[str]) -> str:
    born = person.born
    if rng.random() < 0.04:  # day and month swapped by the clerk
        if born.day <= 12:
            born = dt.date(born.year, born.day, born.month)
    elif rng.random() < 0.03:  # a year off: an estimate, or a typo
        born = dt.date(born.year + rng.choice((-1, 1)), born.month, min(born.day, 28))
    style = rng.choice(formats)
    if style == "year":
        return str(born.year)
    if style == "iso":
        return born.isoformat()
    separator = {"dmy": "/", "d.m.y": ".", "d-m-y": "-"}[style]
    return f"{born.day:02d}{separator}{born.month:02d}{separator}{born.year}"


def _phone(rng: random.Random, person: Person, styles: Sequence[str]) -> str:
    if person.phone is None:
        return ""
    number = person.phone
    if rng.random() < 0.1:  # a new SIM card since
        number = number[:-4] + "".join(rng.choice("0123456789") for _ in range(4))
    code = _COUNTRIES[person.country][1]
    style = rng.choice(styles)
    if style == "local" and person.country == DEFAULT_REGION:
        return " ".join(number[i : i + 2] for i in range(0, len(number), 2))
    if style == "00":
        return f"00{code}{number}"
    return f"+{code} {number[:2]} {number[2:]}"


def _document(rng: random.Random, person: Person, probability: float) -> str:
    if person.document is None or rng.random() >= probability:
        return ""
    document = person.document
    style = rng.random()
    if style < 0.3:
        return f"{document[0]} {document[1:4]} {document[4:]}"
    if style < 0.5:
        return f"{document[0]}-{document[1:]}".lower()
    return document


def _nationality(rng: random.Random, person: Person, language: str) -> str:
    if language == "code":
        return rng.choice((person.country, _ALPHA3[person.country]))
    return rng.choice(_NATIONALITY_WORDS[person.country][language])


def _police_report(rng: random.Random, person: Person) -> dict[str, str]:
    name = person.name.latin(UPPER, rng=rng)
    words = name.split()
    surname = [w for w in words if w.isupper()]
    given = words[len(surname) :]
    full_name = f"{' '.join(surname)}, {' '.join(given)}" if surname and given else name
    return {
        "full_name": full_name,
        "date_of_birth": _kept(rng, _date(rng, person, ("dmy", "d.m.y")), 0.9),
        "nationality": _kept(rng, _nationality(rng, person, "fr"), 0.9),
        "phone": _kept(rng, _phone(rng, person, ("00", "+")), 0.6),
        "document_number": _document(rng, person, 0.8),
    }


def _mauritanian_file(rng: random.Random, person: Person) -> dict[str, str]:
    written = _date(rng, person, ("dmy", "year", "iso"))
    return {
        "full_name": person.name.arabic(variant=True, rng=rng),
        "date_of_birth": _kept(rng, written.translate(_ARABIC_DIGITS), 0.85),
        "nationality": _kept(rng, _nationality(rng, person, "ar"), 0.9),
        "phone": _kept(rng, _phone(rng, person, ("local", "00")).translate(_ARABIC_DIGITS), 0.7),
        "document_number": _document(rng, person, 0.6),
    }


def _passenger_list(rng: random.Random, person: Person) -> dict[str, str]:
    return {
        "full_name": person.name.latin(UPPER, rng=rng),
        "date_of_birth": _kept(rng, _date(rng, person, ("iso",)), 0.95),
        "nationality": _kept(rng, _nationality(rng, person, "code"), 0.95),
        "phone": _kept(rng, _phone(rng, person, ("+",)), 0.4),
        "document_number": _document(rng, person, 0.95),
    }


def _ngo_intake(rng: random.Random, person: Person) -> dict[str, str]:
    if rng.random() < 0.4:
        full_name = person.name.arabic(variant=True, rng=rng)
    else:
        full_name = person.name.latin(rng=rng, short=rng.random() < 0.5)
    return {
        "full_name": full_name,
        "date_of_birth": _kept(rng, _date(rng, person, ("year", "dmy", "d-m-y")), 0.7),
        "nationality": _kept(rng, _nationality(rng, person, rng.choice(("en", "fr", "ar"))), 0.8),
        "phone": _kept(rng, _phone(rng, person, ("local", "+", "00")), 0.8),
        "document_number": _document(rng, person, 0.3),
    }


_WRITERS: dict[str, Callable[[random.Random, Person], dict[str, str]]] = {
    "police_ma": _police_report,
    "civil_mr": _mauritanian_file,
    "passengers": _passenger_list,
    "ngo_intake": _ngo_intake,
}
