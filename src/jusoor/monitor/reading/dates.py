"""Absolute dates and date ranges in Arabic, English and French press text.

"10 - 13 يوليو2023", "du 10 au 13 juillet 2023", "July 10-13, 2023", "من 30 يونيو إلى 2 يوليو
2023", "16/05/2023" and Arabic-Indic digits are read as they are written. A date without a year, or
a relative day ("today, Thursday", "اليوم الخميس", "hier"), is resolved only against a known
publication date and is otherwise left out: a wrong date on the regional calendar is worse than an
empty one. A date that does not exist (30 February) is no date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from jusoor.monitor.reading.folding import Folded, fold
from jusoor.monitor.reading.gazetteer import load

MAX_RANGE_DAYS = 60  # longer spans are campaigns or plan periods, not the dates of one event


@dataclass(frozen=True, slots=True)
class DateMention:
    start: date
    end: date
    span: tuple[int, int]  # in the original text
    relative: bool = False  # resolved from the publication date


def _alternation(words: list[str]) -> str:
    folded = sorted({fold(w).text for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded)


@cache
def _month_numbers() -> dict[str, int]:
    return {
        fold(name).text.casefold(): int(number)
        for number, names in load("dates.yaml")["months"].items()
        for lang_names in names.values()
        for name in lang_names
    }


@cache
def _weekday_numbers() -> dict[str, int]:
    return {
        fold(name).text.casefold(): int(number)
        for number, names in load("dates.yaml")["weekdays"].items()
        for lang_names in names.values()
        for name in lang_names
    }


_DAY = r"(?<!\d)(?P<{0}>[0-3]?\d)(?:er|st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<{0}>(?:19|20)\d{{2}})(?!\d)"
_GAP = r"(?:\s*,\s*|\s+of\s+|\s*)"  # between day, month and year: "July 10, 2023", "10th of July"


@cache
def _patterns(month_day_order: bool) -> tuple[re.Pattern[str], ...]:
    data = load("dates.yaml")
    months = _alternation(
        [n for names in data["months"].values() for v in names.values() for n in v]
    )
    month = r"(?<![^\W\d_])(?P<{0}>" + months + r")\.?(?![^\W\d_])"
    weekday = _alternation(
        [n for names in data["weekdays"].values() for v in names.values() for n in v]
    )
    # "du lundi 9 au vendredi 13 mars", "from Monday 9 to Friday 13 March": a weekday may name each day
    sep = r"\s*(?:" + _alternation(data["range_separators"]) + r")\s*(?:(?:" + weekday + r")\s+)?"
    d, m, y = _DAY.format, month.format, _YEAR.format
    forms = [
        d("d1") + _GAP + m("m1") + _GAP + y("y1") + sep + d("d2") + _GAP + m("m2") + _GAP + y("y2"),
        d("d1") + _GAP + m("m1") + sep + d("d2") + _GAP + m("m2") + _GAP + y("y2"),
        d("d1") + sep + d("d2") + _GAP + m("m2") + _GAP + y("y2"),
        d("d1") + _GAP + m("m1") + _GAP + y("y1"),
        r"(?<!\d)" + y("y1") + r"-(?P<n1>[01]?\d)-" + d("d1"),
        r"(?<!\d)(?P<a1>\d{1,2})[/.](?P<b1>\d{1,2})[/.]" + y("y1"),
        d("d1") + _GAP + m("m1") + sep + d("d2") + _GAP + m("m2"),
        d("d1") + sep + d("d2") + _GAP + m("m2"),
        d("d1") + _GAP + m("m1"),
    ]
    if month_day_order:  # English only: "July 10-13, 2023"; French and Arabic put the day first
        forms[3:3] = [
            m("m1") + _GAP + d("d1") + sep + m("m2") + _GAP + d("d2") + _GAP + y("y2"),
            m("m1") + _GAP + d("d1") + sep + d("d2") + _GAP + y("y2"),
            m("m1") + _GAP + d("d1") + _GAP + y("y1"),
        ]
        forms += [m("m1") + _GAP + d("d1") + sep + d("d2"), m("m1") + _GAP + d("d1")]
    return tuple(re.compile(f, re.IGNORECASE) for f in forms)


def _build(
    g: dict[str, str | None], published: date | None, *, month_day_order: bool
) -> tuple[date, date] | None:
    months = _month_numbers()
    if g.get("a1"):
        g = {**g, **_numeric_day_month(int(str(g["a1"])), int(str(g["b1"])), month_day_order)}
        if g.get("d1") is None:
            return None

    def month_of(key: str, number_key: str) -> int | None:
        if g.get(key):
            return months[re.sub(r"\s+", " ", str(g[key])).casefold()]
        return int(str(g[number_key])) if g.get(number_key) else None

    m2 = month_of("m2", "n2") or month_of("m1", "n1")
    m1 = month_of("m1", "n1") or m2
    y2 = g.get("y2") or g.get("y1")
    y1 = g.get("y1") or y2
    d1 = int(str(g["d1"]))
    d2 = int(str(g.get("d2") or d1))
    if m1 is None or m2 is None:
        return None
    try:
        if y1 and y2:
            start, end = date(int(y1), m1, d1), date(int(y2), m2, d2)
        elif published is not None:
            start = _nearest_year(published, m1, d1)
            end = _nearest_year(start, m2, d2)
        else:
            return None  # no year and no publication date: never guess
    except ValueError:
        return None  # a day that does not exist
    if not timedelta(0) <= end - start <= timedelta(days=MAX_RANGE_DAYS):
        return None
    return start, end


def _numeric_day_month(a: int, b: int, month_day_order: bool) -> dict[str, str | None]:
    """Day and month of "a/b/yyyy": day first in the region, month first only when it must be.

    In English text both orders occur, so a date both ways valid (05/06/2023) is left unread there.
    """
    if a > 12 or (b <= 12 and not month_day_order) or a == b:
        return {"d1": str(a), "n1": str(b)}
    if b > 12:
        return {"d1": str(b), "n1": str(a)}
    return {"d1": None}


def _nearest_year(anchor: date, month: int, day: int) -> date:
    """The date with this month and day nearest `anchor`; ValueError if that day never exists."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda c: abs(c - anchor))


def find_dates(
    text: str | Folded, *, published: date | None = None, lang: str | None = None
) -> list[DateMention]:
    """Dates and ranges in the text, in order, without overlaps (the longest reading wins)."""
    folded = text if isinstance(text, Folded) else fold(text)
    month_day_order = lang in (None, "en")
    found: list[tuple[int, int, date, date, bool]] = []
    for pattern in _patterns(month_day_order):
        for match in pattern.finditer(folded.text):
            if _is_modal_may(match):
                continue
            built = _build(match.groupdict(), published, month_day_order=month_day_order)
            if built:
                found.append((match.start(), match.end(), *built, False))
    found += _relative(folded.text, published)
    found += _month_ends(folded.text, published)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    mentions: list[DateMention] = []
    taken_until = -1
    for start, end, first, last, relative in found:
        if start >= taken_until:
            mentions.append(DateMention(first, last, folded.span(start, end), relative))
            taken_until = end
    return mentions


@cache
def _month_end_pattern() -> re.Pattern[str]:
    data = load("dates.yaml")
    months = _alternation(
        [n for names in data["months"].values() for v in names.values() for n in v]
    )
    ends = _alternation([w for v in data["month_end"].values() for w in v])
    return re.compile(
        rf"(?<![^\W\d_])(?:{ends})\s+(?P<m>{months})\.?(?![^\W\d_])"
        rf"(?:{_GAP}(?P<y>(?:19|20)\d{{2}})(?!\d))?",
        re.IGNORECASE,
    )


def _month_ends(text: str, published: date | None) -> list[tuple[int, int, date, date, bool]]:
    """ "the end of December", "fin décembre", «نهاية شهر ديسمبر»: the month's last day."""
    found = []
    for match in _month_end_pattern().finditer(text):
        month = _month_numbers()[re.sub(r"\s+", " ", match.group("m")).casefold()]
        if match.group("y"):
            year = int(match.group("y"))
        elif published is not None:
            year = _nearest_year(published, month, 1).year
        else:
            continue
        day = date(year, month, calendar.monthrange(year, month)[1])
        found.append((match.start(), match.end(), day, day, False))
    return found


def _is_modal_may(match: re.Match[str]) -> bool:
    """English "may" is a month only when capitalised ("May 10"), not in "may 10 countries join"."""
    for key in ("m1", "m2"):
        value = match.groupdict().get(key)
        if value and value == "may":
            return True
    return False


@cache
def _relative_pattern() -> re.Pattern[str]:
    data = load("dates.yaml")
    plain = [w for rule in data["relative"] for k in ("en", "fr", "ar") for w in rule.get(k, [])]
    needy = [w for rule in data["relative"] for w in rule.get("with_weekday", [])]
    weekdays = _alternation(
        [n for names in data["weekdays"].values() for v in names.values() for n in v]
    )
    after = r"(?:\s*[,،]?\s*(?:le\s+|on\s+)?(?P<wd>" + weekdays + r"))"
    after_needy = after.replace("?P<wd>", "?P<wd2>")
    # Arabic اليوم alone is "today" unless an adjective follows: اليوم العالمي, اليوم الدراسي;
    # right after a verb it is "today" whatever follows: "اختتمت اليوم الدورة".
    bare_today = rf"(?P<today>{_alternation(needy)})(?!\s*[,،]?\s*(?:ال|{weekdays}))"
    verb_today = (
        rf"(?:{_alternation(data['before_today'])})\s+(?P<vtoday>{_alternation(needy)})"
        rf"(?!\s*[,،]?\s*(?:{weekdays}))"
    )
    joiner = (
        r"(?:\s*-\s*|\s+(?:"
        + _alternation([j for j in data["weekday_joiners"] if j not in ("-", "و")])
        + r")\s+|\s+و\s*)"
    )
    pair = rf"(?P<pair1>{weekdays}){joiner}(?P<pair2>{weekdays})(?!\s*[,،]?\s*\d)"
    ahead = (
        rf"(?:{_alternation(data['ahead']['before'])})\s+(?P<next1>{weekdays})"
        rf"|(?P<next2>{weekdays})\s+(?:{_alternation(data['ahead']['after'])})"
    )
    return re.compile(
        rf"(?<![^\W\d_])(?:(?P<word>{_alternation(plain)}){after}?"
        rf"|(?P<needy>{_alternation(needy)}){after_needy}"
        rf"|{ahead}|{bare_today}|{verb_today}|{pair}"
        rf"|(?P<bare>{weekdays})(?!\s*[,،]?\s*\d))(?![^\W\d_])",
        re.IGNORECASE,
    )


@cache
def _offsets() -> dict[str, int]:
    return {
        fold(w).text.casefold(): int(rule["offset"])
        for rule in load("dates.yaml")["relative"]
        for k in ("en", "fr", "ar", "with_weekday")
        for w in rule.get(k, []) or []
    }


def _relative(text: str, published: date | None) -> list[tuple[int, int, date, date, bool]]:
    """Days named by their relation to the publication date: "today", "hier", "اليوم الخميس",
    and a weekday alone ("on Tuesday", "mardi", "الثلاثاء"): the last such day up to publication,
    as news tells of what happened that week. A weekday followed by a date is that date's."""
    if published is None:
        return []  # "today" means nothing without the day the report was published
    offsets = _offsets()
    found = []
    for match in _relative_pattern().finditer(text):
        if match.group("pair1"):
            # "jeudi et vendredi", "on Monday and Tuesday": from the first to the second.
            if _is_capital_needed(match.group("pair1")):
                continue
            first = _weekday_numbers()[re.sub(r"\s+", " ", match.group("pair1")).casefold()]
            second = _weekday_numbers()[re.sub(r"\s+", " ", match.group("pair2")).casefold()]
            start = published - timedelta(days=(published.weekday() - first) % 7)
            end = start + timedelta(days=(second - first) % 7)
            found.append((match.start(), match.end(), start, end, True))
            continue
        ahead = match.group("next1") or match.group("next2")
        if ahead:
            # "jeudi prochain", "next Thursday": the first such day after publication.
            weekday = _weekday_numbers()[re.sub(r"\s+", " ", ahead).casefold()]
            day = published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
            found.append((match.start(), match.end(), day, day, True))
            continue
        if match.group("bare"):
            if _is_capital_needed(match.group("bare")):
                continue
            weekday = _weekday_numbers()[re.sub(r"\s+", " ", match.group("bare")).casefold()]
            back = (published.weekday() - weekday) % 7
            day = published - timedelta(days=back)
            found.append((match.start(), match.end(), day, day, True))
            continue
        if match.group("today") or match.group("vtoday"):
            at = match.start("vtoday") if match.group("vtoday") else match.start()
            found.append((at, match.end(), published, published, True))
            continue
        word = re.sub(r"\s+", " ", match.group("word") or match.group("needy")).casefold()
        day = published + timedelta(days=offsets[word])
        stated = match.group("wd") or match.group("wd2")
        if stated:
            # A stated weekday wins over a publication date a day off (time zones, late posting).
            weekday = _weekday_numbers()[re.sub(r"\s+", " ", stated).casefold()]
            shifts = sorted(range(-3, 4), key=abs)
            day = next(
                day + timedelta(s) for s in shifts if (day + timedelta(s)).weekday() == weekday
            )
        found.append((match.start(), match.end(), day, day, True))
    return found


def _is_capital_needed(word: str) -> bool:
    """English weekdays are capitalised; a lower-case one is not a day ("sunday" in a name)."""
    return word.isascii() and word[:1].islower() and word.casefold() in _ENGLISH_WEEKDAYS


_ENGLISH_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)


@cache
def _until_pattern() -> re.Pattern[str]:
    words = [w for v in load("dates.yaml")["until"].values() for w in v]
    return re.compile(rf"(?<![^\W\d_])(?:{_alternation(words)})\s*(?:le\s+|on\s+|يوم\s+)?$")


@cache
def _until_named_day_pattern() -> re.Pattern[str]:
    words = [w for v in load("dates.yaml")["until"].values() for w in v]
    return re.compile(
        rf"(?<![^\W\d_])(?:{_alternation(words)})\s+(?:the\s+|la\s+|l')?"
        rf"(?:[A-Z][\w'-]*\s+(?:(?:of|against|for|in|des|du|de|d'|contre|pour|la|les)\s+)?){{1,6}}"
        rf"(?:on|le|du|,)\s*$"
    )


def is_until(text: str, mention: DateMention) -> bool:
    """Whether the date is written as the last day of something: "jusqu'au 5 mars", "until Human
    Rights Day on 10 December"."""
    before = fold(text[max(0, mention.span[0] - 30) : mention.span[0]]).text
    if _until_pattern().search(before):
        return True
    named = fold(text[max(0, mention.span[0] - 70) : mention.span[0]]).text
    return bool(_until_named_day_pattern().search(named))


@cache
def _duration_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    data = load("dates.yaml")["duration"]
    numbers = {
        fold(k).text.casefold(): v for lang in data["numbers"].values() for k, v in lang.items()
    }
    num = r"(?P<n>\d{1,2}|" + _alternation(list(numbers)) + ")"
    days = _alternation([w for v in data["day_words"].values() for w in v])
    lead = _alternation([w for v in data["lead_words"].values() for w in v])
    num2 = num.replace("?P<n>", "?P<m>")
    pattern = rf"(?<![^\W\d_])(?:(?:{lead})\s+{num}\s*(?:{days})?|{num2}[\s-]days?)(?![^\W\d_])"
    return re.compile(pattern, re.IGNORECASE), numbers


def find_duration(text: str | Folded) -> int | None:
    """How many days an event is said to last ("over three days", "على مدار ثلاثة أيام")."""
    folded = text.text if isinstance(text, Folded) else fold(text).text
    pattern, numbers = _duration_pattern()
    for match in pattern.finditer(folded):
        value = match.group("n") or match.group("m")
        if value is None:
            continue
        days = int(value) if value.isdigit() else numbers.get(value.casefold())
        if days and 1 < days <= 14 and _says_days(match.group()):
            return days
    return None


MAX_WEEKS = 8
MAX_MONTHS = 3  # a campaign of a quarter ("a three-month campaign", «تستمر ثلاثة أشهر»)


@dataclass(frozen=True, slots=True)
class Length:
    """A length in weeks or months ("تستمر أسبوعين", "for a month"), for events that run longer
    than days: campaigns, courses."""

    count: int
    unit: str  # "week" or "month"

    def end_from(self, start: date) -> date:
        """The last day of something that starts on `start` and lasts this long."""
        if self.unit == "week":
            return start + timedelta(days=7 * self.count - 1)
        # A month from 1 April runs to 1 May, as the press counts it ("شهرا كاملا").
        month = start.month - 1 + self.count
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@cache
def _length_pattern() -> tuple[re.Pattern[str], dict[str, str], dict[str, int]]:
    data = load("dates.yaml")["duration"]
    numbers = {
        fold(k).text.casefold(): v for lang in data["numbers"].values() for k, v in lang.items()
    }
    numbers.update({fold(w).text.casefold(): 1 for w in data["one"]})
    units = {
        fold(w).text.casefold(): unit
        for unit, names in data["units"].items()
        for words in names.values()
        for w in words
    }
    duals = {fold(w).text.casefold(): unit for unit, words in data["duals"].items() for w in words}
    units.update(duals)
    lead = _alternation([w for v in data["lead_words"].values() for w in v])
    num = r"(?:(?P<n>\d{1,2}|" + _alternation(list(numbers)) + r")[\s-]+)?"
    unit = r"(?P<u>" + _alternation(list(units)) + r")"
    # "a two-week campaign", "a week-long programme", "a two-month-long campaign"
    pattern = (
        rf"(?<![^\W\d_])(?:(?:{lead})\s+{num}{unit}"
        rf"|(?P<m>\d{{1,2}}|two|three|four|six)-{unit.replace('?P<u>', '?P<u2>')}s?(?:-long)?"
        rf"|{unit.replace('?P<u>', '?P<u3>')}-long)(?![^\W\d_])"
    )
    return re.compile(pattern, re.IGNORECASE), units, numbers


def find_length(text: str | Folded) -> Length | None:
    """How many weeks or months an event is said to last ("تستمر أسبوعين", "a two-week
    campaign", "pendant un mois", "شهرا كاملا")."""
    folded = text.text if isinstance(text, Folded) else fold(text).text
    pattern, units, numbers = _length_pattern()
    duals = {
        fold(w).text.casefold()
        for ws in load("dates.yaml")["duration"]["duals"].values()
        for w in ws
    }
    for match in pattern.finditer(folded):
        word = re.sub(
            r"\s+", " ", match.group("u") or match.group("u2") or match.group("u3")
        ).casefold()
        unit = units[word]
        value = match.group("n") or match.group("m")
        if value is not None:
            count = int(value) if value.isdigit() else numbers.get(value.casefold(), 0)
        elif word in duals:
            count = 2
        elif word in _PLURALS:
            continue  # "over weeks": no count
        else:
            count = 1  # the Arabic singular (شهرا, أسبوعا) says one
        if 0 < count <= (MAX_WEEKS if unit == "week" else MAX_MONTHS):
            return Length(count, unit)
    return None


# Unit words that need a count to say how long ("for weeks", "pendant des mois").
_PLURALS = frozenset(
    fold(w).text.casefold()
    for w in ("weeks", "months", "semaines", "mois", "أسابيع", "أشهر", "شهور")
)


def _says_days(phrase: str) -> bool:
    """The phrase must name days, or be the Arabic dual يومين which holds the word itself."""
    return bool(re.search(r"day|jour|journ|ايام|يومين", phrase, re.IGNORECASE))


_PUBLISHED_LEAD = re.compile(
    r"(?:[,،]\s*(?:في|le|on)?|\sفي|published|posted|publié le|mis à jour le|نشر في|بتاريخ|date)\s*:?$",
    re.IGNORECASE,
)
DATELINE_ZONE = 1500  # a dateline sits at the head of a report
DATELINE_WORDS = 8  # "NEW YORK, United States of America, July 11, 2023"


def dateline(text: str, mentions: list[DateMention]) -> DateMention | None:
    """The date a report gives for itself at its head: "الرباط، في 16 ماي 2023",
    "NEW YORK, United States of America, July 11, 2023/APO Group/ --", "Published: 3 May 2024"."""
    for m in mentions:
        start, end = m.span
        if start > DATELINE_ZONE:
            break
        if m.relative or m.start != m.end:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        before = text[line_start:start].strip()
        after = text[end : line_end if line_end >= 0 else len(text)].strip()
        # The dateline ends its line, or a dash cuts it off from the story: "Tunis, 5 mars – La…"
        ends_line = len(after) <= 40 or after[:1] in "-–—(/|:"
        # What comes before is a place or a "Published:" label, not a sentence.
        short = len(before) <= 60 and len(before.split()) <= DATELINE_WORDS
        # "الرياض 15 أكتوبر 2025 - …", "عمان 24 آذار (بترا)": a place with no comma, cut off by a
        # dash or the agency's name.
        placed = after[:1] in "-–—(/|" and len(before.split()) <= 3
        if short and ends_line and (not before or placed or _PUBLISHED_LEAD.search(before)):
            return m
    return None
