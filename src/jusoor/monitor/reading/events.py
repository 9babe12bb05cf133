"""The event a report is about: its type, title, dates and place.

Type: the type whose keywords the report uses most, a keyword in the headline counting five times
and one in the lead twice (they name the event; the body also mentions earlier ones).

Title: a quoted name holding a keyword of that type, else the noun phrase that starts at the first
such keyword, up to the end of its clause and before the place, date or organiser that follow it.
Arrests, verdicts and rescues have no name of their own: their title is the headline, if any.

Dates: the first date range outside the dateline, else a relative day resolved from the publication
date, else a single date in a sentence that names an event; "over three days" extends a single day.

Place: the city (else country) best placed: in the sentence of the event's dates, after "in"/"في"/
"à", near the first keyword — never the dateline's city, which is where the news was filed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from jusoor.monitor.reading.dates import MAX_RANGE_DAYS, DateMention, Length, is_until
from jusoor.monitor.reading.folding import TOKEN, Folded, fold
from jusoor.monitor.reading.gazetteer import Match, PhraseIndex, Token, by_language, load
from jusoor.monitor.reading.places import Place, PlaceMention, capital_of, names_the_capital

HEADLINE_MAX_CHARS = 200
HEADLINE_WEIGHT = 5  # the headline names the event; the body also mentions earlier ones
LEAD_WEIGHT = 2  # the first sentence after the headline
INCIDENTS = frozenset({"arrest_or_raid", "prosecution_or_verdict", "rescue"})
_FUNCTION_WORDS = frozenset(
    ["of", "on", "in", "for", "and", "the", "against", "to", "with", "at", "from", "a", "an", "by"]
)
MAX_TITLE_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?؟]+(?=\s)|\n+")
_CLAUSE_END = re.compile(r"[.،,;:؛\n(]")
_QUOTED = re.compile(r"[“\"«]([^”\"»\n]{15,250})[”\"»]")
_CONTINUATION = re.compile(r"\n\s*(?:حول|بعنوان|تحت عنوان|on|about|sur|[\"“«])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Event:
    type: str | None = None
    title: str | None = None
    start: date | None = None
    end: date | None = None
    city: Place | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    participants: int | None = None
    # Where each field was read: (field, start, end) in the original text; field is "type",
    # "dates" or "place". Not part of equality: two readings of one event are equal.
    spans: tuple[tuple[str, int, int], ...] = field(default=(), compare=False)


@cache
def _type_index(lang: str | None) -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    for event_type, words in load("events.yaml")["types"].items():
        for word in by_language(words, lang):
            index.add(word, event_type)
    return index


@cache
def _locatives(lang: str | None) -> frozenset[str]:
    words = by_language(load("events.yaml")["locatives"], lang)
    return frozenset(fold(w).text.casefold() for w in words)


def keyword_matches(tokens: list[Token], *, lang: str | None) -> list[Match[str]]:
    return _type_index(lang).find(tokens)


ADOPTION_WORDS = 10  # words between a verb of adopting and the plan or law it adopts


@cache
def _adoption_index(lang: str | None) -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    rules = load("events.yaml")["adoption"]
    for part in ("active", "passive", "objects", "breaks"):
        for word in by_language(rules[part], lang):
            index.add(word, part)
    return index


def adoption_matches(text: str, tokens: list[Token], *, lang: str | None) -> list[Match[str]]:
    """A plan or a law adopted, with words between the verb and what it adopts: «وافق مجلس
    الوزراء، في جلسته …، على الخطة الوطنية», "le projet de loi … a été adopté mardi". Each is
    one keyword of plan_or_law_adopted, spanning the verb and its object."""
    found = _adoption_index(lang).find(tokens)
    adopted: list[Match[str]] = []
    for i, verb in enumerate(found):
        if "active" in verb.candidates:
            ahead, step = found[i + 1 :], 1
        elif "passive" in verb.candidates:
            ahead, step = found[:i][::-1], -1
        else:
            continue
        for other in ahead:
            first, last = (verb, other) if step > 0 else (other, verb)
            near = last.first - first.last <= ADOPTION_WORDS
            if not near or _SENTENCE_END.search(text, first.end, last.start):
                break
            if "breaks" in other.candidates:
                break
            if "objects" in other.candidates:
                adopted.append(
                    Match(first.start, last.end, first.first, last.last, ("plan_or_law_adopted",))
                )
                break
    return adopted


def classify(matches: list[Match[str]], text: str) -> str | None:
    """The event type the report is about, or None when it names no event."""
    headline_end, lead_end = _head(text)
    scores: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in matches:
        weight = (
            HEADLINE_WEIGHT if m.start < headline_end else LEAD_WEIGHT if m.start < lead_end else 1
        )
        for event_type in m.candidates:
            scores[event_type] = scores.get(event_type, 0) + weight
            first.setdefault(event_type, m.start)
    if not scores:
        return None
    best = max(scores, key=lambda t: (scores[t], -first[t]))
    if best == "rescue" and scores.get("arrest_or_raid", 0) >= scores[best]:
        return "arrest_or_raid"  # victims freed and suspects arrested: a raid, told as such
    return best


def _head(text: str) -> tuple[int, int]:
    """Ends of the headline (a short first line without a full stop; 0 if none) and of the lead."""
    stripped = len(text) - len(text.lstrip())
    line_end = text.find("\n", stripped)
    line_end = len(text) if line_end < 0 else line_end
    line = text[stripped:line_end].strip()
    is_headline = (
        0 < len(line) <= HEADLINE_MAX_CHARS and not line.endswith(".") and line_end < len(text)
    )
    headline_end = line_end if is_headline else 0
    sentence = _SENTENCE_END.search(text, headline_end + 1 if is_headline else stripped)
    return headline_end, sentence.end() if sentence else len(text)


def read_event(
    folded: Folded,
    tokens: list[Token],
    *,
    lang: str | None,
    dates: list[DateMention],
    places: list[PlaceMention],
    dateline: DateMention | None,
    duration: int | None = None,
    participants: int | None = None,
    length: Length | None = None,
    published: date | None = None,
) -> Event:
    text = folded.source
    matches = keyword_matches(tokens, lang=lang) + adoption_matches(text, tokens, lang=lang)
    matches.sort(key=lambda m: m.start)
    event_type = classify(matches, text)
    own = [m for m in matches if event_type in m.candidates]
    sentences = _sentence_starts(text)
    in_event_sentence = {_sentence(sentences, m.start) for m in matches}
    in_own_sentence = {_sentence(sentences, m.start) for m in own}
    dates = [d for d in dates if d is not dateline]
    when = _event_dates(text, dates, sentences, in_own_sentence, in_event_sentence, lang)
    if when is None and event_type is not None and dateline is not None:
        # A date shortly before the dateline's, outside the sentences naming the event: "Le
        # Conseil des ministres s'est réuni mercredi 4 mars 2026. Il a adopté…"
        recent = [
            d
            for d in dates
            if not d.relative and timedelta(0) <= dateline.start - d.start <= REPORTING_LAG
        ]
        when = recent[0] if recent else None
    if when is None and event_type in INCIDENTS and dateline is not None:
        when = dateline  # a ruling or an arrest told with no day of its own: the day it was told
    start, end = (when.start, when.end) if when else (None, None)
    if when is None and event_type in INCIDENTS and published is not None:
        start = end = (
            published  # an undated arrest or ruling, with no dateline: the day it came out
        )
    if start is not None and start == end and when is not None:
        last = _last_day(text, dates, when, longest=_longest(event_type))
        opened = _opening_day(text, dates, when, lang)
        if last is not None:
            end = last
        elif opened is not None and _closes(text, when, lang):
            start = opened  # "اختتمت اليوم … الدورة … التي بدأت يوم الاثنين"
        elif duration and _closes(text, when, lang):
            start = end - timedelta(days=duration - 1)  # "closed today after five days"
        elif duration:
            end = start + timedelta(days=duration - 1)
        elif length and event_type not in INCIDENTS:
            end = length.end_from(start)  # "تستمر شهرا كاملا", "a two-week campaign"
    city, country, where = _event_place(
        text,
        tokens,
        places,
        sentences,
        when,
        own,
        dateline,
        lang,
        visit=event_type == "study_visit",
    )
    if city is None and country is not None and names_the_capital(folded, lang=lang):
        city = capital_of(country)  # "انطلقت أمس بالعاصمة أشغال مؤتمر…"
    spans = [("type", own[0].start, own[0].end)] if own else []
    if when is not None and start is not None:
        spans.append(("dates", *when.span))
    if where is not None and country is not None:
        spans.append(("place", where.start, where.end))
    if event_type in INCIDENTS:
        title = _headline(text)  # an arrest or a verdict has no name of its own
    else:
        title = _title(text, tokens, own, dates, places, lang) if own else None
    if event_type in INCIDENTS:
        participants = None  # the suspects or victims counted in an arrest are not its attendance
    return Event(event_type, title, start, end, city, country, participants, tuple(spans))


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence(starts: list[int], pos: int) -> int:
    return bisect.bisect_right(starts, pos) - 1


def _event_dates(
    text: str,
    dates: list[DateMention],
    sentences: list[int],
    own_sentences: set[int],
    event_sentences: set[int],
    lang: str | None,
) -> DateMention | None:
    """The event's dates: a range, else a day told relative to publication ("mardi", "today"),
    else a date in a sentence naming the event — in the sentences naming this event's type first,
    as other dates in a report are of earlier facts ("arrested on 14 August", "since 2016")."""
    starts = [d for d in dates if not is_until(text, d)]
    ranges = [d for d in starts if d.start != d.end]
    told = [d for d in starts if d.relative and _told(text, d, dates, lang)]
    relative = [d for d in starts if d.relative and d not in told]
    for sentences_wanted in (own_sentences, event_sentences):
        near = [d for d in relative if _sentence(sentences, d.span[0]) in sentences_wanted]
        if ranges and (not near or ranges[0].span[0] < near[0].span[0]):
            return ranges[0]
        if near:
            # "launched today a campaign which runs from 30 July to 15 August", "announced on
            # Wednesday a workshop on 20 and 21 January": a range from that day on is the event's.
            later = [
                r
                for r in ranges
                if _sentence(sentences, r.span[0]) in sentences_wanted and r.end >= near[0].start
            ]
            return later[0] if later else near[0]
    if ranges:
        return ranges[0]
    if relative:
        return relative[0]
    for sentences_wanted in (own_sentences, event_sentences):
        named = [
            d
            for d in starts
            if d not in told and _sentence(sentences, d.span[0]) in sentences_wanted
        ]
        if named:
            return named[0]
    if told:
        # The news was told that day; a date shortly before it is when the event happened
        # ("أعلنت … اليوم السبت … العملية نفذت يوم الخميس 16 تشرين الأول").
        before = [
            d
            for d in starts
            if not d.relative and timedelta(0) < told[0].start - d.start <= REPORTING_LAG
        ]
        return before[-1] if before else told[0]
    return None


REPORTING_LAG = timedelta(days=14)  # how long after an incident its news may be told


@cache
def _reporting(lang: str | None) -> re.Pattern[str]:
    return _words_before(tuple(by_language(load("events.yaml")["reporting"], lang)))


@cache
def _opening(lang: str | None) -> re.Pattern[str]:
    return _words_before(tuple(by_language(load("events.yaml")["opening"], lang)))


@cache
def _closing(lang: str | None) -> re.Pattern[str]:
    return _words_before(tuple(by_language(load("events.yaml")["closing"], lang)))


def _words_before(words: tuple[str, ...]) -> re.Pattern[str]:
    folded = sorted({fold(w).text for w in words}, key=len, reverse=True)
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded)
    return re.compile(rf"(?<![^\W\d_])(?:{alternation})(?![^\W\d_])", re.IGNORECASE)


def _told(text: str, mention: DateMention, dates: list[DateMention], lang: str | None) -> bool:
    """Whether the day is the one the news was told on: right after a reporting verb, and the
    first day after it ("a annoncé lundi avoir démantelé, dimanche à Tripoli": Monday is when it
    was told, Sunday when it happened)."""
    verbs = _reporting(lang)
    if not _follows(text, mention, verbs):
        return False
    return not any(
        other is not mention
        and mention.span[0] - _FOLLOW_CHARS <= other.span[0] < mention.span[0]
        and _follows(text, other, verbs)
        for other in dates
    )


_FOLLOW_CHARS = 40  # how far before a date a verb may stand for the date to follow it


def _follows(text: str, mention: DateMention, words: re.Pattern[str]) -> bool:
    """Whether one of `words` stands just before the date (a few words, same clause)."""
    before = fold(text[max(0, mention.span[0] - _FOLLOW_CHARS) : mention.span[0]]).text
    found = list(words.finditer(before))
    if not found:
        return False
    between = before[found[-1].end() :]
    return len(between.split()) <= 4 and not re.search(r"[.;؛]", between)


def _closes(text: str, when: DateMention, lang: str | None) -> bool:
    """Whether the event's day is said to be its last ("اختتمت اليوم", "concluded on Thursday",
    "on Thursday concluded")."""
    sentence_start = max(text.rfind(".", 0, when.span[0]), text.rfind("\n", 0, when.span[0]))
    if _closing(lang).search(fold(text[sentence_start + 1 : when.span[1]]).text):
        return True
    after = fold(text[when.span[1] : when.span[1] + 40]).text
    verb = _closing(lang).search(after)
    return verb is not None and len(after[: verb.start()].split()) <= 1


MAX_CAMPAIGN_DAYS = (
    123  # a campaign may run a season: "until 30th September", "until the end of December"
)


def _longest(event_type: str | None) -> int:
    return MAX_CAMPAIGN_DAYS if event_type == "campaign" else MAX_RANGE_DAYS


def _last_day(
    text: str, dates: list[DateMention], when: DateMention, *, longest: int = MAX_RANGE_DAYS
) -> date | None:
    """The last day written on its own after the first ("jusqu'au 5 mars"), if near enough (a
    campaign runs longer than a meeting). A weekday ("runs until Thursday") is the first such day
    after the start."""
    for d in dates:
        after = d.span[0] > when.span[0] and is_until(text, d)
        day = d.start
        if after and d.relative and d.start == d.end and day <= when.start:
            day += timedelta(days=7 * ((when.start - day).days // 7 + 1))
        if after and timedelta(0) < day - when.start <= timedelta(days=longest):
            return day
    return None


def _opening_day(
    text: str, dates: list[DateMention], when: DateMention, lang: str | None
) -> date | None:
    """The first day of an event closing on `when`, told as a day after a verb of starting
    ("التي بدأت يوم الاثنين", "which began on Monday")."""
    for d in dates:
        before = timedelta(0) < when.start - d.start <= timedelta(days=MAX_RANGE_DAYS)
        if d is not when and d.relative and before and _follows(text, d, _opening(lang)):
            return d.start
    return None


def _event_place(
    text: str,
    tokens: list[Token],
    places: list[PlaceMention],
    sentences: list[int],
    when: DateMention | None,
    own: list[Match[str]],
    dateline: DateMention | None,
    lang: str | None,
    *,
    visit: bool = False,
) -> tuple[Place | None, str | None, PlaceMention | None]:
    """The event's city and country, and the mention they were read from."""
    date_sentence = _sentence(sentences, when.span[0]) if when else None
    keyword_sentence = _sentence(sentences, own[0].start) if own else None
    dateline_line = (
        (text.rfind("\n", 0, dateline.span[0]) + 1, dateline.span[1]) if dateline else None
    )
    scored: list[tuple[int, int, PlaceMention]] = []
    for order, p in enumerate(places):
        sentence = _sentence(sentences, p.start)
        score = 3 if sentence == date_sentence else 0
        score += 2 if _after_locative(tokens, p, lang) else 0
        score += 1 if sentence == keyword_sentence else 0
        if dateline_line and dateline_line[0] <= p.start <= dateline_line[1]:
            score -= 4  # where the news was filed, not where the event was held
        if _is_seat(tokens, p, lang):
            score -= 3  # "the U.S. Embassy in Rabat": where a body sits
        if visit and _after_destination(tokens, p, lang):
            score += 3  # "زيارة دراسية إلى مملكة البحرين": where the visit goes
        if score > 0:
            scored.append((score, -order, p))
    cities = [s for s in scored if s[2].place.kind == "city"]
    if cities:
        best = max(cities, key=lambda s: s[:2])[2]
        return best.place, best.place.country, best
    if scored:
        best = max(scored, key=lambda s: s[:2])[2]
        head = _head_city(text, places, best.place.country)
        return (head.place if head else None), best.place.country, head or best
    filed = [p for p in places if dateline_line and dateline_line[0] <= p.start <= dateline_line[1]]
    # "الدوحة - قنا", "Doha:": a head without a date names the filing city too.
    # "الكويت - الأنباء": a head naming a country gives the country (the city stays unknown).
    filed = filed or [p for p in places if p.start <= HEAD_CHARS][:1]
    if filed:
        # No other place is named: a statement or a ruling told from the capital happened there.
        best = filed[0]
        return (best.place if best.place.kind == "city" else None), best.place.country, best
    return None, None, None


HEAD_CHARS = 30  # "الدوحة - قنا", "Doha, Sept. 9 (QNA)": the city a report is filed from


def _head_city(text: str, places: list[PlaceMention], country: str) -> PlaceMention | None:
    """The city the report is filed from, when it is in the event's country: the venue of an
    event whose report names only the country ("في دولة قطر")."""
    for p in places:
        if p.start > HEAD_CHARS:
            break
        if p.place.kind == "city" and p.place.country == country:
            return p
    return None


@cache
def _destinations(lang: str | None) -> frozenset[str]:
    words = by_language(load("events.yaml")["destinations"], lang)
    return frozenset(fold(w).text.casefold() for w in words)


def _after_destination(tokens: list[Token], place: PlaceMention, lang: str | None) -> bool:
    """Whether the place follows a word of going to, with at most a noun between ("to Vienna",
    «إلى مملكة البحرين», "en Espagne")."""
    before = tokens[max(0, place.first - 2) : place.first]
    return any(t.key in _destinations(lang) for t in before)


@cache
def _seats(lang: str | None) -> frozenset[str]:
    return frozenset(
        fold(w).text.casefold() for w in by_language(load("events.yaml")["seats"], lang)
    )


def _is_seat(tokens: list[Token], place: PlaceMention, lang: str | None) -> bool:
    """Whether the place names where a body sits: "Embassy in Rabat", "bureau de l'OIM à Tunis"
    (a seat word at most three words before the locative)."""
    if place.first < 2 or tokens[place.first - 1].key not in _locatives(lang):
        return False
    before = tokens[max(0, place.first - 5) : place.first - 1]
    return any(t.key in _seats(lang) for t in before)


@cache
def _locative_phrases(lang: str | None) -> tuple[tuple[str, ...], ...]:
    """Locatives of several words ("au large de", "off the coast of"), as token keys."""
    words = by_language(load("events.yaml")["locatives"], lang)
    phrases = {tuple(TOKEN.findall(fold(w).text.casefold())) for w in words}
    return tuple(p for p in phrases if len(p) > 1)


def _after_locative(tokens: list[Token], place: PlaceMention, lang: str | None) -> bool:
    if "ب" in place.proclitic:
        return True  # Arabic proclitic ب "in/at": "بالرباط"
    if place.first > 0 and tokens[place.first - 1].key in _locatives(lang):
        return True
    before = tuple(t.key for t in tokens[max(0, place.first - 5) : place.first])
    return any(before[-len(p) :] == p for p in _locative_phrases(lang) if len(p) <= len(before))


def _title(
    text: str,
    tokens: list[Token],
    own: list[Match[str]],
    dates: list[DateMention],
    places: list[PlaceMention],
    lang: str | None,
) -> str | None:
    keyword_spans = [(m.start, m.end) for m in own]
    for quoted in _QUOTED.finditer(text):
        if any(quoted.start(1) <= s < quoted.end(1) for s, _ in keyword_spans):
            return _trim(quoted.group(1))
    head = own[0]
    start = _extend_back(text, head.start)
    end = _clause_end(text, head.end)
    if lang == "en" and text[head.start : head.start + 1].isupper():
        end = _title_case_end(text, head.end, end)  # French capitalises only the first word
    stop = _title_stops(lang).search(text, head.end, end)
    if stop:
        end = stop.start()
    cut = [d.span[0] for d in dates if start < d.span[0] < end]
    for p in places:
        if start < p.start < end and _after_locative(tokens, p, lang):
            before = tokens[p.first - 1] if p.first else None
            if before is not None and before.key in _locatives(lang):
                cut.append(before.start)
            else:
                cut.append(p.start)
    title = _trim(text[start : min([end, *cut])])
    if title is None or title.casefold() == text[head.start : head.end].casefold():
        return None  # "meeting" alone names no event
    return title


def _headline(text: str) -> str | None:
    headline_end, _ = _head(text)
    return _trim(text[:headline_end]) if headline_end else None


@cache
def _title_stops(lang: str | None) -> re.Pattern[str]:
    words = sorted(by_language(load("events.yaml")["title_stops"], lang), key=len, reverse=True)
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![^\W\d_])(?:{alternation})(?![^\W\d_])", re.IGNORECASE)


def _extend_back(text: str, start: int) -> int:
    """Latin titles put their modifiers first: take the capitalised words before the keyword."""
    if not text[start : start + 1].isupper():
        return start  # a keyword in running text ("the workshop") starts its own phrase
    m = re.search(r"((?:\b[A-Z][\w'-]*\s+)+)$", text[:start])
    if not m:
        return start
    words = m.group(1).split()
    while words and words[0] in ("The", "A", "An", "La", "Le", "Les", "L'", "Un", "Une"):
        words.pop(0)
    if not words:
        return start
    return start - len(" ".join(words)) - 1


def _title_case_end(text: str, pos: int, end: int) -> int:
    """A capitalised name ends at its first lower-case word that is not a function word
    ("Regional Forum on Migrant Smuggling opened in…" ends before "opened")."""
    for word in re.finditer(r"[^\W\d_][\w'-]*", text[pos:end]):
        if word.group()[0].islower() and word.group().casefold() not in _FUNCTION_WORDS:
            return pos + word.start()
    return end


def _clause_end(text: str, pos: int) -> int:
    while True:
        m = _CLAUSE_END.search(text, pos)
        if m is None:
            return len(text)
        if m.group() == "\n" and _CONTINUATION.match(text, m.start()):
            pos = m.end()  # "مائدة مستديرة\nحول ..." goes on on the next line
            continue
        return m.start()


def _trim(title: str) -> str | None:
    title = re.sub(r"[\"“”«»]", "", title)  # quotes around part of a title would come out unpaired
    title = re.sub(r"\s+", " ", title).strip(" .،,-–")
    # Words left hanging where the title was cut before a date or a place.
    title = re.sub(r"\s+(?:وذلك|و|يوم|في|من|and|et|which|qui|on|in|from|le|du|à)$", "", title)
    if len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0]
    return title or None
