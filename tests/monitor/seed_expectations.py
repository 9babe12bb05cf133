"""What a careful reader takes from each seed report, and how to score an extraction against it.

Written from the texts, not from the extractor's output. Organisations are gazetteer ids; an id
the gazetteer does not hold (`ma_moj`, Morocco's Ministry of Justice) stands for a body a reader
would list and the extractor cannot yet name — it counts as a miss. Persons are keyed by their name
as written, with a fragment of the role a reader would give them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jusoor.entities.resolution import spelling_key
from jusoor.monitor import Extraction

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@dataclass(frozen=True)
class Expected:
    prefix: str  # file name prefix in shared/seeds
    lang: str
    type: str
    title: str  # a phrase the title must contain
    start: date | None
    end: date | None
    city: str | None  # city id in places.yaml
    country: str | None
    organizations: frozenset[str]
    persons: dict[str, str]  # name as written -> fragment of the role
    countries: frozenset[str]
    themes: frozenset[str]  # themes a reader would certainly name (a subset is required)
    crime: str
    published: date | None = None
    titles: dict[str, frozenset[str]] = field(default_factory=dict)


SEEDS = [
    Expected(
        prefix="000",
        lang="ar",
        type="conference",
        title="المؤتمر الإقليمي حول التعاون الدولي في المسائل الجنائية",
        start=date(2023, 7, 10),
        end=date(2023, 7, 13),
        city="sharm_el_sheikh",
        country="EG",
        organizations=frozenset({"eg_nccpim_tip", "unodc", "las"}),
        persons={
            "نائلة جبر": "رئيس اللجنة الوطنية التنسيقية",
            "كريستينا البرتين": "الممثل الإقليمي",
            "محمد الأمين ولد أكيك": "الأمين العام المساعد",
            "أحمد أبوالغيط": "الأمين العام لجامعة الدول العربية",
            "مها بخيت": "مدير إدارة الشؤون القانونية",
        },
        countries=frozenset({"EG"}),
        themes=frozenset({"prosecution", "partnership"}),
        crime="both",
        titles={
            "نائلة جبر": frozenset({"H.E.", "Ambassador"}),
            "محمد الأمين ولد أكيك": frozenset({"H.E.", "Ambassador", "Dr."}),
            "مها بخيت": frozenset({"Minister Plenipotentiary", "Dr."}),
            "أحمد أبوالغيط": frozenset({"H.E.", "Mr."}),
        },
    ),
    Expected(
        prefix="001",
        lang="ar",
        type="forum",
        title="المنتدى الحكومي لمكافحة الاتجار بالأشخاص",
        start=None,  # "اليوم الخميس" and no publication date: left empty
        end=None,
        city=None,  # "في دولة الكويت": the country, not a city
        country="KW",
        organizations=frozenset({"gcc", "us_dos"}),
        persons={"جاسم محمد البديوي": "الأمين العام لمجلس التعاون"},
        countries=frozenset({"KW", "EG", "JO", "US"}),
        themes=frozenset({"protection", "partnership"}),
        crime="trafficking_in_persons",
    ),
    Expected(
        prefix="002",
        lang="en",
        type="conference",
        title="Inter-Regional Conference on International Cooperation in Criminal Matters",
        start=date(2023, 7, 10),
        end=date(2023, 7, 13),
        city="sharm_el_sheikh",
        country="EG",
        organizations=frozenset({"un", "unodc", "eg_nccpim_tip", "eu"}),
        persons={"Cristina Albertin": "Regional Representative", "Naela Gabr": "Chairperson"},
        countries=frozenset(
            [
                "EG",
                "US",
                "DZ",
                "TD",
                "IQ",
                "LY",
                "MA",
                "TN",
                "CI",
                "ML",
                "NE",
                "NG",
                "SS",
                "FR",
                "GR",
                "IT",
                "MT",
                "ES",
                "NL",
            ]
        ),
        themes=frozenset({"prosecution", "partnership"}),
        crime="both",
        published=date(2023, 7, 11),  # the APO dateline
        titles={
            "Naela Gabr": frozenset({"H.E.", "Ambassador"}),
            "Cristina Albertin": frozenset({"Ms."}),
        },
    ),
    Expected(
        prefix="003",
        lang="ar",
        type="meeting",
        title="الاجتماع الاستراتيجي والعملياتي للخبراء",
        start=None,  # "اليوم الأربعاء" and no publication date
        end=None,
        city="nouakchott",
        country="MR",
        organizations=frozenset({"mr_inlctptm", "mr_cdhahrsc", "unodc", "ohchr", "us_dos", "un"}),
        persons={
            "سيد أحمد ولد بنان": "مفوض حقوق الإنسان",
            "الشيخ ولد بده": "المندوب العام للتضامن الوطني",
            "ليلى بيترز يحي": "منسقة هيئة الأمم المتحدة",
        },
        countries=frozenset({"MR", "US"}),
        themes=frozenset({"partnership"}),
        crime="both",
    ),
    Expected(
        prefix="004",
        lang="ar",
        type="roundtable",
        title="التجارب والممارسات الفضلى في مجال حماية ضحايا الاتجار بالبشر",
        start=date(2023, 5, 16),
        end=date(2023, 5, 18),
        city="rabat",
        country="MA",
        # Tunisia's INLTP takes part ("رئيستي اللجنتين المصرية والتونسية") without being named, and
        # the Ministry of Justice hosts the commission's secretariat: a reader lists both.
        organizations=frozenset({"ma_cnclt", "iom", "eg_nccpim_tip", "eu", "tn_inltp", "ma_moj"}),
        persons={"هشام ملاطي": "مدير الشؤون الجنائية"},
        countries=frozenset({"MA", "EG", "TN"}),
        themes=frozenset({"protection", "prevention"}),
        crime="trafficking_in_persons",
        published=date(2023, 5, 16),  # the press release's dateline
    ),
]

EVENT_FIELDS = ("type", "title", "start", "end", "city", "country")


def seed_path(prefix: str) -> Path:
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt"))


def event_field_correct(x: Extraction, e: Expected, name: str) -> bool:
    if name == "title":
        return x.event.title is not None and e.title in x.event.title
    if name == "city":
        return (x.event.city.id if x.event.city else None) == e.city
    value: object = getattr(x.event, name)
    return value == getattr(e, name)


def matched_persons(x: Extraction, e: Expected) -> dict[str, str | None]:
    """Expected name -> the role extracted for the person with the same name key (if found)."""
    found = {p.key: p for p in x.persons}
    out: dict[str, str | None] = {}
    for name in e.persons:
        person = found.get(spelling_key(name))
        if person is not None:
            out[name] = person.role or ""
    return out


def precision_recall(got: set[str], want: set[str]) -> tuple[int, int, int]:
    """(true positives, extracted, expected)."""
    return len(got & want), len(got), len(want)
