"""Person files the linkage was never tuned on: a second generator, independent of `jusoor.synth`.

    .venv/bin/python bench/unseen_persons.py --people 5000 --part held_out --out people.csv

Issue 20 asks whether the matcher's figures hold on files drawn by someone else's rules. This
module shares no name table, error model or code with `jusoor.synth.person_files`:

- **Names** are real Arabic↔Latin name tokens from Wikidata (`shared/data/names-ar-en`, CC0),
  kept where they look like an Arabic name (`_kept`: letters foreign names do not get in Arabic
  script, seen at least twice, no p, v or x); each Arabic name is one *concept* with
  every Latin spelling Wikidata gives it, drawn as often as Wikidata saw it (mohamed, mohammed,
  muhammad…). Names are drawn by their Wikidata frequency, so common names are shared by many
  people; families share the family name, the father's and the grandfather's name.
- **Three parts.** `held_out` uses only concepts whose every Arabic spelling falls in the half of the
  token file that `bench/names_eval.py` reports on and that no rule was tuned on (CRC-32 odd), and
  no Latin spelling of a `tuning` concept; `tuning` uses the rest. `held_out_b` is drawn by the
  rules of `held_out` (the same concepts) with another seed: a fresh held-out file for when
  `held_out` has been scored too often. Each part has its own default seed. Nothing in `src/`
  may be tuned on `held_out` or `held_out_b`.
- **Five sources** with their own habits (hotline log, border register, shelter file, prosecutor's
  file, labour inspection); each person is in one to four of them, at most once in each.
- **Fields** written through CLDR (Babel: month and country names in Arabic, French, English),
  ISO 3166 (pycountry: alpha-3) and the numbering plans (phonenumbers: valid mobile numbers in
  E.164, international, national, 00 and Arabic-Indic forms). Birth dates go missing or are known
  by year only in shares each source sets; phones change, documents get mistyped, names lose or
  gain a part, swap order, take particles (bin, ben, ould) and typing errors.

The truth is the `person_id` column: the bench takes it off before the matcher sees the records.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers
import pycountry
from babel import Locale
from babel.dates import format_date

COLUMNS = (
    "record_id",
    "full_name",
    "date_of_birth",
    "nationality",
    "phone",
    "document_number",
    "source",
    "person_id",
)
TRUTH = "person_id"
PARTS = ("tuning", "held_out", "held_out_b")
DEFAULT_SEEDS = {"tuning": 7001, "held_out": 9013, "held_out_b": 40_417}
# The concepts each part draws its names from: `held_out_b` is a second held-out draw (the same
# concepts as `held_out`, its own seed), kept unscored until a session's last measurement.
CONCEPTS_OF = {"tuning": "tuning", "held_out": "held_out", "held_out_b": "held_out"}
HOME_REGION = "JO"  # the country keeping the files: its own numbers are written nationally
_DATA_NAME = "names-ar-en/wikidata_ar_en_tokens.tsv"

# Where the people come from (a corridor through the Mashreq and the Maghreb), by weight.
NATIONALITIES = {
    "EG": 0.15,
    "SD": 0.12,
    "SY": 0.12,
    "IQ": 0.08,
    "MA": 0.08,
    "DZ": 0.07,
    "TN": 0.06,
    "YE": 0.06,
    "LY": 0.05,
    "JO": 0.05,
    "LB": 0.04,
    "PS": 0.04,
    "ER": 0.04,
    "SO": 0.04,
}
# How many sources hold one person (mean 2.25) and which sources are likelier.
RECORDS_PER_PERSON = ((1, 0.30), (2, 0.30), (3, 0.25), (4, 0.15))
SOURCE_WEIGHTS = {"hotline": 0.15, "border": 0.25, "shelter": 0.2, "court": 0.2, "labour": 0.2}
FAMILY_SIZES = ((1, 0.55), (2, 0.2), (3, 0.15), (4, 0.07), (5, 0.03))  # people per family


@dataclass(frozen=True)
class SourceHabits:
    """How one source writes a person: the shares of each field it leaves out or gets wrong."""

    arabic: float  # share of records in Arabic script
    no_birth_date: float
    year_only: float  # of those with a birth date: the year alone (often an estimate from age)
    no_nationality: float
    phone: float  # share of records with a phone
    document: float  # share with a document number
    typo: float  # share of names with one typing error
    drop_father: float  # share of names without the father's name


HABITS = {
    "hotline": SourceHabits(0.6, 0.45, 0.55, 0.4, 0.9, 0.05, 0.12, 0.55),
    "border": SourceHabits(0.0, 0.03, 0.02, 0.02, 0.2, 0.95, 0.04, 0.3),
    "shelter": SourceHabits(0.15, 0.2, 0.2, 0.1, 0.6, 0.3, 0.08, 0.25),
    "court": SourceHabits(1.0, 0.08, 0.06, 0.05, 0.3, 0.6, 0.05, 0.05),
    "labour": SourceHabits(0.2, 0.25, 0.25, 0.15, 0.5, 0.5, 0.1, 0.5),
}
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_HAMZA_FREE = str.maketrans("أإآ", "ااا")
_CANON = str.maketrans("أإآةى", "اااهي")
# Letters commonly confused when Arabic is typed or copied by hand.
_ARABIC_SLIPS = {"ه": "ة", "ة": "ه", "ي": "ى", "ى": "ي", "ض": "ظ", "ص": "س", "ط": "ت", "ذ": "ز"}
_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class NameConcept:
    """One name as Wikidata writes it: its Arabic spellings and Latin spellings, each with the
    number of person labels that carried it."""

    arabic: tuple[tuple[str, int], ...]
    latin: tuple[tuple[str, int], ...]

    @property
    def weight(self) -> int:
        return sum(n for _s, n in self.latin)

    @property
    def feminine(self) -> bool:  # ة, ى or اء at the end: mostly women's names
        first = self.arabic[0][0]
        return first.endswith(("ة", "ى", "اء"))


def default_data() -> Path:
    """The token file: `JUSOOR_NAMES_AR_EN` if set, else `shared/data` beside the checkout (the
    main checkout or a worktree under `/work/wt`)."""
    if env := os.environ.get("JUSOOR_NAMES_AR_EN"):
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared/data" / _DATA_NAME
        if candidate.exists():
            return candidate
    return here.parents[2] / "shared/data" / _DATA_NAME


def _kept(latin: str, arabic: str, count: int) -> bool:
    """A token pair of an Arabic name: the Arabic has a letter transliterations of foreign names
    do not use (ح ع ص ض ظ), or one they use for other sounds (خ ق ذ غ, a final ة) where the Latin
    spelling shows the Arabic sound (kh, q, dh, gh, a final a)."""
    if count < 2 or not re.fullmatch(r"[a-z']{2,}", latin) or set(latin) & set("pvx"):
        return False
    if arabic.startswith("ال") and not re.match(r"[ae]l", latin):  # "iv" → "الرابع"
        return False
    if set(arabic) & set("حعصضظ"):
        return True
    sounds = (("خ", "kh"), ("ق", "q"), ("ذ", "dh"), ("غ", "gh"))
    if any(letter in arabic and spelt in latin for letter, spelt in sounds):
        return True
    return arabic.endswith("ة") and latin.endswith(("a", "ah", "eh", "ia"))


@cache
def name_concepts(path: Path) -> dict[str, tuple[NameConcept, ...]]:
    """The kept concepts of the token file, split into `tuning` and `held_out` (see the module)."""
    latin_of: dict[str, dict[str, int]] = defaultdict(dict)
    arabic_of: dict[str, dict[str, int]] = defaultdict(dict)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            latin, spaced, count = line.rstrip("\n").split("\t")
            arabic = spaced.replace(" ", "")
            if _kept(latin, arabic, int(count)):
                key = arabic.translate(_CANON)
                latin_of[key][latin] = latin_of[key].get(latin, 0) + int(count)
                arabic_of[key][arabic] = arabic_of[key].get(arabic, 0) + int(count)
    held = {
        key
        for key, spellings in arabic_of.items()
        if all(zlib.crc32(a.encode()) % 2 == 1 for a in spellings)  # names_eval's "test" half
    }
    tuning_latin = {latin for key in arabic_of if key not in held for latin in latin_of[key]}
    held = {key for key in held if not set(latin_of[key]) & tuning_latin}

    def concept(key: str) -> NameConcept:
        by_count = sorted(arabic_of[key].items(), key=lambda item: (-item[1], item[0]))
        latin = sorted(latin_of[key].items(), key=lambda item: (-item[1], item[0]))
        return NameConcept(tuple(by_count), tuple(latin))

    ordered = sorted(arabic_of)
    return {
        "tuning": tuple(concept(k) for k in ordered if k not in held),
        "held_out": tuple(concept(k) for k in ordered if k in held),
    }


@dataclass(frozen=True)
class Family:
    name: NameConcept
    article: bool  # al-/el-: the family name takes the article
    father: NameConcept
    grandfather: NameConcept
    phone: str | None  # a household number some members give


@dataclass(frozen=True)
class Person:
    key: str
    given: NameConcept
    family: Family
    born: dt.date
    nationality: str
    phones: tuple[str, ...]  # the first, then a later number
    passport: str | None
    national_id: str | None


@dataclass(frozen=True)
class UnseenFiles:
    """The records (with the truth in `person_id`) of one draw."""

    records: list[dict[str, str]]
    part: str
    seed: int

    def without_truth(self) -> list[dict[str, str]]:
        """The records as the matcher gets them: no `person_id`, no `source`."""
        return [{k: v for k, v in r.items() if k not in (TRUTH, "source")} for r in self.records]

    @property
    def truth(self) -> dict[str, str]:
        return {r["record_id"]: r[TRUTH] for r in self.records}

    def write(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, COLUMNS)
            writer.writeheader()
            writer.writerows(self.records)


def generate(
    people: int, *, part: str = "held_out", seed: int | None = None, data: Path | None = None
) -> UnseenFiles:
    """`people` people of the chosen part, in 1 to 4 sources each; the same arguments always
    give the same records."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}")
    chosen_seed = DEFAULT_SEEDS[part] if seed is None else seed
    rng = random.Random(f"{part}:{chosen_seed}")
    concepts = name_concepts(data or default_data())[CONCEPTS_OF[part]]
    pools = _Pools(concepts)
    records: list[dict[str, str]] = []
    number = 0
    while number < people:
        family = _family(rng, pools)
        size = min(_pick(rng, FAMILY_SIZES), people - number)
        born_near = _birth_date(rng)
        for _member in range(size):
            number += 1
            person = _person(rng, pools, family, f"P{number:07d}", born_near)
            records.extend(_records_of(rng, person))
    rng.shuffle(records)
    for index, record in enumerate(records, start=1):
        record["record_id"] = f"{part[0].upper()}{index:07d}"
    return UnseenFiles(records, part, chosen_seed)


class _Pools:
    """Given names (men's and women's) and family names drawn by Wikidata frequency."""

    def __init__(self, concepts: Sequence[NameConcept]) -> None:
        self.men = [c for c in concepts if not c.feminine]
        self.women = [c for c in concepts if c.feminine]
        self.men_weights = [c.weight for c in self.men]
        self.women_weights = [c.weight for c in self.women]
        # Family names: every concept, flattened a little (rare family names are less rare
        # than rare given names), so that common family names still repeat often.
        self.families = list(concepts)
        self.family_weights = [c.weight**0.7 for c in concepts]

    def man(self, rng: random.Random) -> NameConcept:
        return rng.choices(self.men, self.men_weights)[0]

    def given(self, rng: random.Random) -> NameConcept:
        if self.women and rng.random() < 0.35:
            return rng.choices(self.women, self.women_weights)[0]
        return self.man(rng)

    def family(self, rng: random.Random) -> NameConcept:
        return rng.choices(self.families, self.family_weights)[0]


def _pick(rng: random.Random, table: Sequence[tuple[int, float]]) -> int:
    return rng.choices([v for v, _w in table], [w for _v, w in table])[0]


def _birth_date(rng: random.Random) -> dt.date:
    return dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 48))


def _family(rng: random.Random, pools: _Pools) -> Family:
    nationality_phone = _mobile(rng, _nationality(rng)) if rng.random() < 0.3 else None
    return Family(
        pools.family(rng), rng.random() < 0.3, pools.man(rng), pools.man(rng), nationality_phone
    )


def _nationality(rng: random.Random) -> str:
    return rng.choices(list(NATIONALITIES), list(NATIONALITIES.values()))[0]


def _person(
    rng: random.Random, pools: _Pools, family: Family, key: str, born_near: dt.date
) -> Person:
    born = born_near + dt.timedelta(days=rng.randrange(-3650, 3650))
    nationality = _nationality(rng)
    phones: list[str] = []
    if family.phone and rng.random() < 0.5:
        phones.append(family.phone)
    elif rng.random() < 0.75:
        phones.append(_mobile(rng, nationality if rng.random() < 0.6 else HOME_REGION))
    if phones and rng.random() < 0.2:
        phones.append(_mobile(rng, HOME_REGION))
    passport = _passport(rng, nationality) if rng.random() < 0.6 else None
    national_id = _national_id(rng, nationality) if rng.random() < 0.7 else None
    return Person(
        key, pools.given(rng), family, born, nationality, tuple(phones), passport, national_id
    )


@cache
def _mobile_template(region: str) -> phonenumbers.PhoneNumber:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        raise ValueError(region)
    return example


def _mobile(rng: random.Random, region: str) -> str:
    """A valid mobile number of `region` in E.164: the example number's prefix, random rest."""
    template = _mobile_template(region)
    digits = str(template.national_number)
    for _attempt in range(50):
        tail = "".join(str(rng.randrange(10)) for _ in range(len(digits) - 3))
        candidate = phonenumbers.PhoneNumber(
            country_code=template.country_code, national_number=int(digits[:3] + tail)
        )
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(template, phonenumbers.PhoneNumberFormat.E164)


def _passport(rng: random.Random, nationality: str) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.choice((1, 2))))
    return letters + "".join(str(rng.randrange(10)) for _ in range(9 - len(letters)))


def _national_id(rng: random.Random, nationality: str) -> str:
    length = {"EG": 14, "SY": 11, "IQ": 12, "JO": 10, "MA": 8}.get(nationality, 10)
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(length - 1))


def _records_of(rng: random.Random, person: Person) -> list[dict[str, str]]:
    count = _pick(rng, RECORDS_PER_PERSON)
    sources = list(SOURCE_WEIGHTS)
    chosen: list[str] = []
    weights = list(SOURCE_WEIGHTS.values())
    while len(chosen) < count:
        source = rng.choices(sources, weights)[0]
        if source not in chosen:
            chosen.append(source)
    return [_record(rng, person, source) for source in chosen]


def _record(rng: random.Random, person: Person, source: str) -> dict[str, str]:
    habits = HABITS[source]
    arabic = rng.random() < habits.arabic
    return {
        "record_id": "",
        "full_name": _full_name(rng, person, source, arabic, habits),
        "date_of_birth": _written_date(rng, person.born, source, arabic, habits),
        "nationality": ""
        if rng.random() < habits.no_nationality
        else _written_nationality(rng, person.nationality, source, arabic),
        "phone": _written_phone(rng, person, source, arabic) if rng.random() < habits.phone else "",
        "document_number": _written_document(rng, person, source)
        if rng.random() < habits.document
        else "",
        "source": source,
        TRUTH: person.key,
    }


def _arabic_spelling(rng: random.Random, concept: NameConcept) -> str:
    forms = [form for form, _n in concept.arabic]
    word = rng.choices(forms, [n for _f, n in concept.arabic])[0]
    if rng.random() < 0.35:
        word = word.translate(_HAMZA_FREE)
    if word.endswith("ة") and rng.random() < 0.2:
        word = word[:-1] + "ه"
    return word


def _latin_spelling(rng: random.Random, concept: NameConcept) -> str:
    forms = [form for form, _n in concept.latin]
    return rng.choices(forms, [n for _f, n in concept.latin])[0]


def _full_name(
    rng: random.Random, person: Person, source: str, arabic: bool, habits: SourceHabits
) -> str:
    family = person.family
    parts = [person.given]
    if rng.random() >= habits.drop_father:
        parts.append(family.father)
        if source == "court" and rng.random() < 0.6:
            parts.append(family.grandfather)
    if arabic:
        words = [_arabic_spelling(rng, c) for c in parts]
        surname = _arabic_spelling(rng, family.name)
        if family.article and rng.random() < 0.85:
            surname = "ال" + surname
        if len(words) > 1 and rng.random() < 0.25:
            words.insert(1, "بن" if rng.random() < 0.7 else "ولد")
        name = " ".join([*words, surname])
        return _arabic_slip(rng, name) if rng.random() < habits.typo else name
    words = [_latin_spelling(rng, c) for c in parts]
    surname = _latin_spelling(rng, family.name)
    if family.article and rng.random() < 0.7:
        surname = rng.choice(("al-", "el-", "al ", "el ", "al")) + surname
    if source == "shelter" and len(words) > 1 and rng.random() < 0.3:
        words.insert(1, rng.choice(("ben", "ould", "bin")))
    if rng.random() < habits.typo:
        index = rng.randrange(len(words) + 1)
        if index == len(words):
            surname = _latin_slip(rng, surname)
        else:
            words[index] = _latin_slip(rng, words[index])
    if source == "border":  # passport order, capitals, no punctuation
        return " ".join([surname, *words]).upper().replace("-", " ")
    if source == "shelter" and rng.random() < 0.5:
        return f"{surname.upper()}, {' '.join(words).title()}"
    if rng.random() < 0.1:
        return " ".join([*words[:1], surname]).lower()
    return " ".join([*words, surname]).title()


def _latin_slip(rng: random.Random, word: str) -> str:
    """One typing error: a neighbouring key, a letter dropped, doubled or swapped."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        for row in _QWERTY:
            if word[i] in row:
                j = row.index(word[i])
                neighbour = row[j - 1] if j and (j == len(row) - 1 or rng.random() < 0.5) else None
                return word[:i] + (neighbour or row[min(j + 1, len(row) - 1)]) + word[i + 1 :]
        return word
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _arabic_slip(rng: random.Random, name: str) -> str:
    """One slip of Arabic typing: a letter confused with its look-alike, or one dropped."""
    spots = [i for i, ch in enumerate(name) if ch in _ARABIC_SLIPS]
    if spots and rng.random() < 0.7:
        i = rng.choice(spots)
        return name[:i] + _ARABIC_SLIPS[name[i]] + name[i + 1 :]
    letters = [i for i, ch in enumerate(name) if ch != " "]
    i = rng.choice(letters[1:-1] or letters)
    return name[:i] + name[i + 1 :]


def _written_date(
    rng: random.Random, born: dt.date, source: str, arabic: bool, habits: SourceHabits
) -> str:
    if rng.random() < habits.no_birth_date:
        return ""
    if rng.random() < habits.year_only:
        # Mostly an estimate from a stated age: a year out now and then.
        year = born.year + (rng.choice((-1, 1)) if rng.random() < 0.25 else 0)
        text = str(year)
        return text.translate(_ARABIC_INDIC) if arabic and rng.random() < 0.4 else text
    day = born
    if rng.random() < 0.04:  # day unknown: the first of January, as many registers write it
        day = dt.date(born.year, 1, 1)
    elif rng.random() < 0.03:  # a digit of the year mistyped
        day = dt.date(born.year + rng.choice((-10, -1, 1, 10)), born.month, min(born.day, 28))
    if arabic:
        style = rng.choice(("d MMMM y", "dd/MM/y", "y-MM-dd", "short"))
        text = format_date(day, style, locale="ar")
        return text.translate(_ARABIC_INDIC) if rng.random() < 0.4 else text
    if source == "border":
        return day.isoformat() if rng.random() < 0.7 else format_date(day, "dd MMM y", "en")
    if source == "labour":  # an English form: month first half of the time
        style = rng.choice(("MM/dd/y", "dd/MM/y", "d MMMM y"))
        return format_date(day, style, locale="en")
    return format_date(day, rng.choice(("dd/MM/y", "d MMMM y", "dd.MM.y")), locale="fr")


@cache
def _country_names(region: str) -> dict[str, str]:
    country = pycountry.countries.get(alpha_2=region)
    alpha3 = country.alpha_3 if country is not None else region
    return {
        "alpha2": region,
        "alpha3": alpha3,
        **{lang: Locale(lang).territories[region] for lang in ("ar", "fr", "en")},
    }


def _written_nationality(rng: random.Random, region: str, source: str, arabic: bool) -> str:
    names = _country_names(region)
    if arabic:
        return names["ar"]
    if source == "border":
        return names["alpha3"] if rng.random() < 0.8 else names["alpha2"]
    if source == "shelter":
        return names["fr"]
    return names["en"] if rng.random() < 0.8 else names["alpha2"]


def _written_phone(rng: random.Random, person: Person, source: str, arabic: bool) -> str:
    if not person.phones:
        return ""
    e164 = person.phones[-1] if rng.random() < 0.4 else person.phones[0]
    number = phonenumbers.parse(e164)
    home = phonenumbers.region_code_for_number(number) == HOME_REGION
    style = rng.randrange(4)
    if style == 0 and home:
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    elif style == 1:
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    elif style == 2:
        text = "00" + e164[1:]
    else:
        text = e164
    if rng.random() < 0.03:  # one digit misheard
        digits = [i for i, ch in enumerate(text) if ch.isdigit()]
        i = digits[-rng.randrange(1, 5)]
        text = text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]
    return text.translate(_ARABIC_INDIC) if arabic and rng.random() < 0.5 else text


def _written_document(rng: random.Random, person: Person, source: str) -> str:
    first, second = person.passport, person.national_id
    if source == "court":
        first, second = second, first
    number = first if first is not None and rng.random() < 0.85 else second
    if number is None:
        return ""
    if rng.random() < 0.03:
        i = rng.randrange(len(number))
        number = number[:i] + str(rng.randrange(10)) + number[i + 1 :]
    style = rng.randrange(4)
    if style == 1:
        return number.lower()
    if style == 2 and len(number) > 6:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if style == 3:
        return number.replace("0", "O", 1) if source == "hotline" else f"N° {number}"
    return number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--part", choices=PARTS, default="held_out")
    parser.add_argument("--seed", type=int, help="default: the part's own seed")
    parser.add_argument("--data", type=Path, help="the Wikidata token file")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    files = generate(args.people, part=args.part, seed=args.seed, data=args.data)
    files.write(args.out)
    print(f"{len(files.records)} records of {args.people} people ({args.part}) → {args.out}")


if __name__ == "__main__":
    main()
