"""What the demo's criminal files are about: per country, the stage each file has reached and its
scenario (a title without any victim's name, the form of exploitation or smuggling, how it
started, who opened it), the courts, the currency and the sentences, and the words the demo's
investigators and prosecutors write in the files, in the language of the country's files.

Titles, places and sentences are synthetic and only plausible: no real person or business is
meant. Sentence ranges follow the order of magnitude of the laws in `investigations/offences.yaml`
(e.g. Morocco 27-14: five to ten years and a fine; Jordan 9/2009: a fine of JOD 1,000 to 5,000);
they are demo figures, not legal references.
"""

from __future__ import annotations

from dataclasses import dataclass

from jusoor.investigations.vocabulary import Origin, Stage

SMUGGLING = "smuggling"  # a scenario's kind when it is not trafficking for a form of exploitation

# The stages a file went through to reach the one it is at (every path is one the state
# machine of investigations/stages.yaml allows; the loader checks each move against it).
_TO_DECISION = (Stage.report, Stage.preliminary_investigation, Stage.prosecution_decision)
_TO_JUDGMENT = (*_TO_DECISION, Stage.trial, Stage.first_instance_judgment)
PATHS: dict[str, tuple[Stage, ...]] = {
    "report": (Stage.report,),
    "preliminary_investigation": _TO_DECISION[:2],
    "prosecution_decision": _TO_DECISION,
    "no_charge": (*_TO_DECISION, Stage.no_charge),
    "trial": (*_TO_DECISION, Stage.trial),
    "first_instance_judgment": _TO_JUDGMENT,
    "appeal": (*_TO_JUDGMENT, Stage.appeal),
    "final": (*_TO_JUDGMENT, Stage.final),
    "final_after_appeal": (*_TO_JUDGMENT, Stage.appeal, Stage.final),
    "closed": (Stage.report, Stage.preliminary_investigation, Stage.closed),
}


@dataclass(frozen=True)
class Scenario:
    path: str  # a key of PATHS
    title: str
    kind: str  # a form of exploitation (cases vocabulary), or SMUGGLING
    city: str
    origin: Origin = Origin.proactive
    by_prosecution: bool = False  # opened by the public prosecution rather than the police
    ring: bool = False  # the defendants include the demo network's people of the country
    # (peer, message type, direction) of a demo exchange thread this file is tied to.
    thread: tuple[str, str, str] | None = None


Or = Origin
FILES: dict[str, tuple[Scenario, ...]] = {
    "EG": (
        Scenario("report", "عصابة تسول بالأطفال، محطة مصر بالإسكندرية", "forced_begging", "الإسكندرية", Or.victim_complaint),
        Scenario("preliminary_investigation", "مكتب توظيف بالإسكندرية — عاملات منازل", "forced_labour", "الإسكندرية", Or.screening),
        Scenario("prosecution_decision", "مركب صيد بدمياط — تهريب مهاجرين بحرا", SMUGGLING, "دمياط"),
        Scenario("no_charge", "ورشة نسيج غير مرخصة، المحلة الكبرى", "forced_labour", "طنطا", Or.inspection),
        Scenario("trial", "شبكة استقدام وتشغيل قسري عبر ليبيا والأردن", "forced_labour", "القاهرة", ring=True),
        Scenario("trial", "استغلال فتيات في الخدمة المنزلية، القاهرة الجديدة", "servitude", "القاهرة", Or.nrm_referral, by_prosecution=True),
        Scenario("first_instance_judgment", "استغلال أطفال في التسول، حي السيدة زينب", "forced_begging", "القاهرة", Or.screening),
        Scenario("final", "مزرعة بالفيوم — تشغيل عمال من إريتريا قسرا", "forced_labour", "الفيوم", Or.victim_complaint),
        Scenario("final_after_appeal", "شبكة تهريب مهاجرين عبر الحدود الجنوبية، أسوان", SMUGGLING, "أسوان"),
    ),
    "MA": (
        Scenario("report", "Recruteurs venus de Nouakchott, Dakhla — emplois promis dans l'hôtellerie", "sexual_exploitation", "Dakhla", Or.foreign_request, thread=("MR", "spontaneous_information", "incoming")),
        Scenario("preliminary_investigation", "Agence de recrutement, Casablanca — travailleuses domestiques", "forced_labour", "Casablanca", Or.foreign_request, thread=("EG", "mla_request", "incoming")),
        Scenario("prosecution_decision", "Réseau de passeurs, Tanger — traversées vers l'Espagne", SMUGGLING, "Tanger", thread=("TN", "information_request", "outgoing")),
        Scenario("trial", "شبكة للتهريب عبر الناظور", SMUGGLING, "الناظور", thread=("TN", "information_request", "incoming")),
        Scenario("trial", "Filière de recrutement vers le Golfe, Casablanca — ouvriers et domestiques", "forced_labour", "Casablanca", ring=True),
        Scenario("first_instance_judgment", "Exploitation sexuelle de femmes nigérianes, Oujda", "sexual_exploitation", "Oujda", Or.nrm_referral, by_prosecution=True),
        Scenario("appeal", "Mendicité forcée et vols à la tire, Marrakech — mineurs", "forced_criminality", "Marrakech", Or.screening),
        Scenario("final", "استغلال أطفال في التسول، المدينة القديمة بفاس", "forced_begging", "فاس", Or.screening),
        Scenario("final_after_appeal", "Atelier de confection clandestin, Tanger", "forced_labour", "Tanger", Or.inspection),
        Scenario("closed", "Exploitation agricole, Souss-Massa — ouvrières saisonnières", "forced_labour", "Agadir", Or.inspection),
    ),
    "TN": (
        Scenario("report", "Chantier de Ben Arous — ouvriers privés de passeports", "forced_labour", "Ben Arous", Or.inspection),
        Scenario("preliminary_investigation", "Employeurs de domestiques ivoiriennes, La Marsa", "servitude", "Tunis", Or.victim_complaint),
        Scenario("prosecution_decision", "Passeurs de Sfax — départs vers Lampedusa", SMUGGLING, "Sfax", ring=True),
        Scenario("no_charge", "Réseau de faux contrats de travail, Sousse", "forced_labour", "Sousse", Or.screening),
        Scenario("trial", "Agence de placement fictive, Tunis — travailleuses subsahariennes", "servitude", "Tunis", Or.nrm_referral, by_prosecution=True),
        Scenario("first_instance_judgment", "تشغيل أطفال في الفلاحة، سيدي بوزيد", "forced_labour", "سيدي بوزيد", Or.inspection),
        Scenario("final", "استغلال عاملات منزليات، صفاقس", "servitude", "صفاقس", Or.victim_complaint),
        Scenario("final_after_appeal", "شبكة تهريب عبر جرجيس", SMUGGLING, "مدنين"),
    ),
    "LY": (
        Scenario("report", "شبكة استدراج نساء بوعود عمل، مصراتة", "sexual_exploitation", "مصراتة", Or.victim_complaint),
        Scenario("preliminary_investigation", "ورشة بناء بطرابلس — عمال إريتريون محتجزون", "forced_labour", "طرابلس", ring=True),
        Scenario("prosecution_decision", "قوارب تهريب من زوارة", SMUGGLING, "الزاوية"),
        Scenario("trial", "مزارع الجفارة — عمال بنغلاديشيون بلا أجور", "forced_labour", "طرابلس", Or.nrm_referral, by_prosecution=True),
        Scenario("first_instance_judgment", "شبكة استغلال جنسي لنساء نيجيريات، سبها", "sexual_exploitation", "سبها", Or.screening),
        Scenario("final", "تهريب مهاجرين عبر الكفرة", SMUGGLING, "الكفرة"),
        Scenario("final_after_appeal", "استغلال جنسي في أوباري", "sexual_exploitation", "سبها", Or.victim_complaint),
        Scenario("closed", "مركز احتجاز غير رسمي، بني وليد", "forced_labour", "بني وليد"),
    ),
    "MR": (
        Scenario("report", "Mendicité forcée d'enfants, Nouadhibou", "forced_begging", "Nouadhibou", Or.victim_complaint),
        Scenario("preliminary_investigation", "Recrutement de jeunes femmes pour Dakhla", "forced_labour", "Nouakchott", ring=True),
        Scenario("prosecution_decision", "Passeurs de Nouadhibou — pirogues vers les Canaries", SMUGGLING, "Nouadhibou"),
        Scenario("trial", "عبودية منزلية، روصو", "servitude", "روصو", Or.nrm_referral, by_prosecution=True),
        Scenario("first_instance_judgment", "Talibés contraints à la mendicité, Nouakchott-Sud", "forced_begging", "Nouakchott", Or.screening),
        Scenario("appeal", "Esclavage domestique, Atar", "servitude", "Atar", Or.victim_complaint),
        Scenario("final", "Orpaillage artisanal, Inchiri — travailleurs maliens", "forced_labour", "Akjoujt", Or.inspection),
        Scenario("final_after_appeal", "عبودية منزلية في بادية الحوض الشرقي", "servitude", "النعمة", Or.nrm_referral),
    ),
    "KW": (
        Scenario("report", "هروب عاملات منزليات وإيواء غير قانوني، الجهراء", "servitude", "الجهراء", Or.victim_complaint),
        Scenario("preliminary_investigation", "Recruitment fees and confiscated passports, Jleeb Al-Shuyoukh", "forced_labour", "Farwaniya", Or.inspection),
        Scenario("prosecution_decision", "شبكة تهريب عبر المنافذ البرية", SMUGGLING, "الجهراء"),
        Scenario("no_charge", "تجارة الإقامات، شركة مقاولات وهمية", "forced_labour", "حولي", Or.inspection),
        Scenario("trial", "مكتب استقدام عمالة منزلية، حولي", "servitude", "حولي", ring=True),
        Scenario("trial", "Domestic workers confined by employers, Salmiya", "servitude", "Hawalli", Or.nrm_referral, by_prosecution=True),
        Scenario("first_instance_judgment", "عمال بنغلاديشيون بلا رواتب، الفروانية", "forced_labour", "الفروانية", Or.screening),
        Scenario("final", "مكتب استقدام عاملات إثيوبيات، الأحمدي", "forced_labour", "الأحمدي", Or.victim_complaint),
        Scenario("final_after_appeal", "سماسرة تأشيرات وعمال هنود، مدينة الكويت", "forced_labour", "العاصمة"),
    ),
    "JO": (
        Scenario("report", "عمال مصريون في مزارع الأغوار — ديون مفروضة", "forced_labour", "السلط", Or.inspection),
        Scenario("preliminary_investigation", "تزويج قاصرات سوريات، المفرق", "forced_marriage", "المفرق", Or.screening),
        Scenario("prosecution_decision", "تهريب عبر الحدود الشمالية", SMUGGLING, "إربد", ring=True),
        Scenario("trial", "Domestic workers from Sri Lanka, Amman — wages and passports withheld", "servitude", "Amman", Or.nrm_referral, by_prosecution=True),
        Scenario("first_instance_judgment", "مصنع ملابس في مدينة صناعية، إربد — عمال بنغلاديشيون", "forced_labour", "إربد", Or.inspection),
        Scenario("appeal", "تشغيل أطفال لاجئين في الزراعة، وادي الأردن", "forced_labour", "السلط", Or.screening),
        Scenario("final", "مكتب استقدام عاملات منازل، عمّان الغربية", "servitude", "عمّان", Or.victim_complaint),
        Scenario("final_after_appeal", "عاملات إثيوبيات عائدات عبر اليمن — عمل قسري", "forced_labour", "عمّان", Or.nrm_referral),
    ),
}  # fmt: skip

CURRENCY = {
    "EG": "EGP",
    "MA": "MAD",
    "TN": "TND",
    "LY": "LYD",
    "MR": "MRU",
    "KW": "KWD",
    "JO": "JOD",
}
# (prison months low, high), (fine low, high) in the country's currency, per offence type.
SENTENCES: dict[str, dict[str, tuple[tuple[int, int], tuple[int, int]]]] = {
    "EG": {"trafficking": ((60, 300), (50_000, 200_000)), "smuggling": ((36, 120), (200_000, 500_000)), "related": ((36, 84), (0, 0))},
    "MA": {"trafficking": ((60, 120), (10_000, 500_000)), "smuggling": ((6, 36), (50_000, 500_000))},
    "TN": {"trafficking": ((60, 180), (50_000, 100_000)), "smuggling": ((36, 120), (8_000, 50_000))},
    "LY": {"trafficking": ((60, 180), (1_000, 10_000)), "smuggling": ((12, 60), (1_000, 10_000))},
    "MR": {"trafficking": ((60, 240), (50_000, 500_000)), "smuggling": ((60, 120), (50_000, 100_000))},
    "KW": {"trafficking": ((60, 180), (5_000, 20_000)), "smuggling": ((36, 120), (1_000, 10_000))},
    "JO": {"trafficking": ((36, 120), (1_000, 5_000)), "smuggling": ((12, 48), (1_000, 5_000))},
}  # fmt: skip
# Citizenships a defendant of the country may have besides its own (Arab names: the generator's).
FOREIGN = {"EG": ("SD", "LY"), "MA": ("DZ",), "TN": ("LY", "DZ"), "LY": ("SD", "EG", "TN"), "MR": ("MA",), "KW": ("EG", "SY"), "JO": ("EG", "SY")}  # fmt: skip
ARABIC_SCRIPT = {"MR", "EG", "LY", "JO", "KW"}  # whose police write names in Arabic (as networks)

# The courts, by the language of the file: (first instance, appeal), with the file's city.
COURTS: dict[str, dict[str, tuple[str, str]]] = {
    "EG": {"ar": ("محكمة جنايات {city}", "محكمة جنايات مستأنف {city}")},
    "MA": {
        "fr": ("Chambre criminelle de premier degré, Cour d'appel de {city}", "Chambre criminelle d'appel, Cour d'appel de {city}"),
        "ar": ("غرفة الجنايات الابتدائية بمحكمة الاستئناف ب{city}", "غرفة الجنايات الاستئنافية بمحكمة الاستئناف ب{city}"),
    },
    "TN": {
        "fr": ("Chambre criminelle, Tribunal de première instance de {city}", "Chambre criminelle d'appel, Cour d'appel de {city}"),
        "ar": ("الدائرة الجنائية بالمحكمة الابتدائية ب{city}", "الدائرة الجنائية الاستئنافية بمحكمة الاستئناف ب{city}"),
    },
    "LY": {"ar": ("محكمة جنايات {city}", "المحكمة العليا، الدائرة الجنائية")},
    "MR": {
        "fr": ("Cour criminelle spécialisée de {city}", "Cour d'appel de {city}, chambre pénale"),
        "ar": ("المحكمة الجنائية المتخصصة ب{city}", "محكمة الاستئناف ب{city}، الغرفة الجزائية"),
    },
    "KW": {
        "ar": ("محكمة الجنايات، المحكمة الكلية ({city})", "محكمة الاستئناف، الدائرة الجزائية"),
        "en": ("Criminal Court, Court of First Instance ({city})", "Court of Appeal, Criminal Division"),
    },
    "JO": {
        "ar": ("محكمة بداية جزاء {city}", "محكمة استئناف {city}"),
        "en": ("Court of First Instance of {city}, criminal chamber", "Court of Appeal of {city}"),
    },
}  # fmt: skip


def language(country: str, title: str) -> str:
    """The language the file is written in: its title's script, French where the country's
    Latin-script files are French."""
    if any("\u0600" <= ch <= "\u06ff" for ch in title):
        return "ar"
    return "fr" if country in {"MA", "TN", "MR"} else "en"


def court(country: str, lang: str, city: str, *, appeal: bool = False) -> str:
    names = COURTS[country]
    first, second = names.get(lang) or next(iter(names.values()))
    return (second if appeal else first).format(city=city)
