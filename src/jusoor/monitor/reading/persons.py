"""Persons named in a report, with their titles, their role and a Latin rendering of their name.

A person is recognised where the press marks one: after a title ("سعادة السفيرة/ نائلة جبر", "H.E
Amb. Naela Gabr", "Mme Leila Peters") or, without a title, after a verb of saying and before a role
("أكد جاسم محمد البديوي، الأمين العام…"). The role is read after the name ("…، الأمين العام لمجلس
التعاون") or, failing that, before it ("The Chairperson of NCCPIM&TIP, H.E Amb. Naela Gabr"). A
bare surname on its own is not taken for a person: too many words would be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from jusoor.core.invisible import strip_invisible
from jusoor.entities.resolution import spelling_key, transliterate
from jusoor.entities.resolution.normalise.transliteration import is_arabic
from jusoor.monitor.reading.folding import Folded, fold
from jusoor.monitor.reading.gazetteer import load

MAX_NAME_WORDS = 5
MAX_CHAIN_WORDS = 8  # a nasab chain: نعيمة بنت شريف بن عز الدين بن يوسف
_NASAB = frozenset(["بن", "بنت", "ولد", "منت", "ben", "bin", "bint", "bent", "ould", "mint", "ibn"])
MAX_ROLE_CHARS = 160
_ALI_FOLDED = fold("على").text
MAX_ROLE_LEAD_WORDS = 4  # words before the role noun: "UN Women's programme specialist"
_WORD = re.compile(r"\s*([^\W\d_]+(?:['-][^\W\d_]+)*)")
_CLAUSE_END = re.compile(r"[.!?؟\n؛;:,،]")
_ROLE_END = re.compile(r"[.!?؟\n؛;:,،(«\"]")


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # as written in the document
    latin: str
    key: str  # `jusoor.entities.resolution.spelling_key`: one person across scripts
    titles: tuple[str, ...] = ()  # canonical labels: "H.E.", "Ambassador", "Dr.", "Ms."
    role: str | None = None  # as written: "رئيس اللجنة الوطنية…", "Regional Representative"
    span: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class _Anchor:
    start: int  # folded offsets
    end: int
    titles: list[str] = field(default_factory=list)
    needs_role: bool = (
        False  # a verb of saying is a weak anchor: only a role after the name confirms
    )
    role: tuple[int, int] | None = None  # a role read before the name, within the anchor


_PRONOUNS = ["به", "بها", "له", "لها", "عنه", "عنها", "بذلك", "لنا"]


def _alternation(words: list[str]) -> str:
    folded = sorted({fold(w).text for w in words}, key=len, reverse=True)
    parts = []
    for w in folded:
        bounded = re.escape(w) + (r"(?![^\W\d_])" if w[-1:].isalnum() else "")
        parts.append(bounded.replace(r"\ ", r"\s+"))
    return "(?:" + "|".join(parts) + ")"


@cache
def _rules() -> dict[str, re.Pattern[str]]:
    data = load("persons.yaml")
    titles = [t for rule in data["titles"] for k in ("ar", "en", "fr") for t in rule.get(k, [])]
    item = r"(?:" + _alternation(titles) + r")(?:\s*/\s*|\s+|(?<=[./]))"
    roles = [w for words in data["role_nouns"].values() for w in words]
    verbs = [w for words in data["speech_verbs"].values() for w in words]
    # Words that open a sentence: "Selon Hédi Mansouri, magistrat…" (not "Said", a name too).
    verbs += [w[:1].upper() + w[1:] for w in verbs if w in ("selon", "according to")]
    stops = [*data["name_stops"]["ar"], *data["name_stops"]["latin"]]
    start = r"(?<![^\W\d_])"
    return {
        "chain": re.compile(start + r"[وف]?(?:" + item + r")+"),
        "title": re.compile(_alternation(titles)),
        "role": re.compile(start + r"[وبل]?" + _alternation(roles)),
        # "حسب ما صرح به عادل الشريف": a pronoun after the verb is its object, not the name.
        "verb": re.compile(
            start + r"[وف]?" + _alternation(verbs) + r"\s+(?:" + _alternation(_PRONOUNS) + r"\s+)?"
        ),
        "stop": re.compile(_alternation(stops) + "$"),
    }


@cache
def _title_labels() -> dict[str, str]:
    data = load("persons.yaml")
    return {
        re.sub(r"\s+", " ", fold(t).text): rule["label"]
        for rule in data["titles"]
        for k in ("ar", "en", "fr")
        for t in rule.get(k, [])
    }


@cache
def _particles() -> frozenset[str]:
    return frozenset(load("persons.yaml")["name_particles"])


@cache
def _role_led() -> re.Pattern[str]:
    """A speaker or a signatory named after their role, in English: "said UNICEF child protection
    specialist Amira Osman", "… and IOM chief of mission Anna Berg for the organisation", "signed
    by Committee President Nadia Bouzid and IOM Chief of Mission Paolo Rinaldi". The anchor ends
    before the name."""
    data = load("persons.yaml")
    verbs = _alternation(data["speech_verbs"]["en"])
    lower = _alternation([w.casefold() for w in data["role_nouns"]["en"]])
    upper = _alternation([w for w in data["role_nouns"]["en"] if w[:1].isupper()])
    mission = r"(?:\s+of\s+[Mm]ission)?\s+(?=[A-Z][a-z])"
    return re.compile(
        rf"(?<![^\W\d_])(?:{verbs}|and)\s+(?:[A-Z][\w'&.-]*\s+){{1,3}}(?:[a-z]+\s+){{0,3}}{lower}"
        rf"{mission}"
        # "led by committee member Salim Al Harthy", "by the agency's director Omar Haddad"
        rf"|(?<![^\W\d_])by\s+(?:the\s+)?(?:[A-Z][\w'&.-]*\s+){{0,3}}(?:[a-z][\w'’]*\s+){{0,2}}"
        rf"{lower}{mission}"
        # Capitalised roles after "by"/"and"/a verb ("by Committee President …", "said Deputy
        # Chief of Mission …"): the words before the role noun name its body, an acronym or
        # capitalised words, never a lower-case one.
        rf"|(?<![^\W\d_])(?:by|and|{verbs})\s+(?:[A-Z][\w'&.-]*\s+){{0,3}}{upper}{mission}"
    )


def find_persons(text: str | Folded) -> list[Person]:
    """Persons in the text, once each (by name key), in order of first mention."""
    folded = text if isinstance(text, Folded) else fold(text)
    rules = _rules()
    anchors = [_chain_anchor(m) for m in rules["chain"].finditer(folded.text)]
    anchors += [_Anchor(m.start(), m.end(), [], True) for m in rules["verb"].finditer(folded.text)]
    anchors += [_Anchor(m.start(), m.end()) for m in _role_led().finditer(folded.text)]
    anchors += [_Anchor(m.start(), m.end()) for m in _role_first().finditer(folded.text)]
    anchors += [
        _Anchor(m.start(), m.end(), [], False, (m.start(), _trim_end(folded.text, m.end())))
        for m in _role_then_comma().finditer(folded.text)
    ]
    anchors += _arabic_role_anchors(folded)
    anchors += [_Anchor(m.start(1), m.start(1)) for m in _appositive().finditer(folded.text)]
    # "ووقع الاتفاقية السفيرة نرمين السيد رئيسة اللجنة، وتوماس كيلر سفير الاتحاد": a second name
    # after a comma and و, confirmed only by a role right after it.
    anchors += [
        _Anchor(m.start(), m.end(), [], True)
        for m in _COORDINATED.finditer(folded.text)
        if not _institution(folded.text, m.end())
    ]
    anchors.sort(key=lambda a: a.start)
    found: list[Person] = []
    nameless: list[_Anchor] = []
    name_spans: list[tuple[int, int]] = []
    for anchor in anchors:
        name_end = _read_name(folded.text, anchor.end, folded)
        if name_end is None:
            if not anchor.needs_role:
                nameless.append(anchor)
            continue
        written = folded.text[anchor.end : name_end]
        if anchor.needs_role and not is_arabic(written) and len(written.split()) < 2:
            continue  # "said Commission president …": one word after a verb is no name
        role = _role_after(folded, name_end)
        titles = list(anchor.titles)
        if (
            role is None
            and anchor.needs_role
            and not _quoted_speaker(folded.text, anchor, name_end)
        ):
            continue
        if anchor.role is not None:
            role = _clean(folded.original(*anchor.role))
        elif role is None:
            role, extra = _role_before(folded, anchor.start, nameless, name_spans)
            titles = extra + titles
        name_spans.append((anchor.end, name_end))
        # As written, less any bidi override or invisible character (core.invisible).
        name = strip_invisible(folded.original(anchor.end, name_end))
        found.append(
            Person(
                name=name,
                latin=transliterate(name),
                key=spelling_key(name),
                titles=tuple(dict.fromkeys(titles)),
                role=role,
                span=folded.span(anchor.end, name_end),
            )
        )
    return _merge(found)


_COORDINATED = re.compile(r"[،,]\s*و(?=[^\W\d_])")


@cache
def _institution_nouns() -> frozenset[str]:
    return frozenset(fold(w).text for w in load("persons.yaml")["institution_nouns"])


def _institution(text: str, pos: int) -> bool:
    """Whether the word at `pos` names a body, not a person ("ومنظمة العمل الدولية")."""
    m = _WORD.match(text, pos)
    return m is not None and m.group(1) in _institution_nouns()


_QUOTE_CLOSE = re.compile(r"[”\"»]\s*,?\s*$")
_WHO = re.compile(r"\s*,\s+(?:who|qui)\s")


def _quoted_speaker(text: str, anchor: _Anchor, name_end: int) -> bool:
    """A Latin name of two words or more after a verb of saying that closes a quote ("…,"
    said Karim Aziz), or followed by a relative clause ("said Karim Aziz, who heads…"): a
    speaker even without a role noun."""
    name = text[anchor.end : name_end]
    if is_arabic(name) or len(name.split()) < 2:
        return False
    return bool(_QUOTE_CLOSE.search(text, 0, anchor.start) or _WHO.match(text, name_end))


def _chain_anchor(match: re.Match[str]) -> _Anchor:
    labels = _title_labels()
    titles = [
        labels[re.sub(r"\s+", " ", t.group())]
        for t in _rules()["title"].finditer(match.group())
        if re.sub(r"\s+", " ", t.group()) in labels
    ]
    return _Anchor(match.start(), match.end(), titles)


def _read_name(text: str, pos: int, folded: Folded | None = None) -> int | None:
    """End of the name starting at `pos`, or None when what follows is not a name."""
    rules = _rules()
    end = pos
    words: list[str] = []
    while _name_length(words) < (
        MAX_CHAIN_WORDS if _NASAB & {w.casefold() for w in words} else MAX_NAME_WORDS
    ):
        m = _WORD.match(text, end)
        if m is None or (words and text[end : m.start(1)].strip()):
            break
        word = m.group(1)
        stop = bool(rules["stop"].match(word))
        if stop and folded is not None and word == _ALI_FOLDED:
            # Folding makes the name علي (Ali) and the preposition على one word: ask the text.
            stop = folded.original(m.start(1), m.end(1)) == "على"
        if stop or rules["role"].match(text, m.start(1)):
            break
        if len(word) == 1 and is_arabic(word):
            break  # a preposition cut off its noun: "لـ(كونا)"
        if rules["title"].match(text, m.start(1)) or rules["verb"].match(text, m.start(1)):
            if words and word in _TITLE_SURNAMES and _ends_clause(text, m.end()):
                words.append(word)  # "نرمين السيد رئيسة اللجنة": the title is her family name
                end = m.end()
            break
        if not is_arabic(word) and not _latin_name_word(word, text, m.end()):
            break
        if _ends_arabic_name(words, word):
            break
        words.append(word)
        end = m.end()
    while words and words[-1].casefold() in _particles():
        words.pop()
        end = text.rfind(" ", pos, end)
    if not words:
        return None
    if is_arabic(words[0]) and len(words) < 2:
        return None  # one Arabic word after a title is a role or a surname reference, not a name
    return end


# Parts of compound given names that do not count as a word of their own: عبد الناصر, Abdel
# Nasser, نور الدين, Nour El-Din are one name each.
_COMPOUND_LEADS = frozenset(["عبد", "ابو", "abdel", "abd", "abdul", "abu", "abou"])
_COMPOUND_TAILS = frozenset(
    ["الدين", "الله", "el-din", "al-din", "ed-din", "eddine", "eddin", "ud-din", "allah"]
)


def _name_length(words: list[str]) -> int:
    """How many names `words` hold, a compound given name counting once."""
    return sum(
        1
        for i, w in enumerate(words)
        if not (
            (w.casefold() in _COMPOUND_LEADS and i + 1 < len(words))
            or (i > 0 and w.casefold() in _COMPOUND_TAILS)
        )
    )


# Titles that are also family names, taken as such at a name's end before its role or a clause's
# end ("السفيرة نرمين السيد رئيسة اللجنة").
_TITLE_SURNAMES = frozenset([fold("السيد").text])

_DEFINITE = re.compile(r"^(?:[وفبكل]?ال|لل)")
# Second words of compound given names (نور الدين, عبد الله): an article there does not end a name.
_COMPOUND_SECONDS = frozenset(["الدين", "الله", "الاسلام", "الهدي", "الزهراء"])
_COMPOUND_FIRSTS = frozenset(["عبد", "ابو", "ابي", "ذو", "ام"])


def _ends_arabic_name(words: list[str], word: str) -> bool:
    """Whether `word` cannot go on an Arabic name already read as `words`: after a family name
    with the article (البوعينين), only a nasab particle or another article-led word continues it
    ("جمال البوعينين بمستوى المشاركين" is a name, then the sentence)."""
    if len(words) < 2 or not is_arabic(word):
        return False
    prev = words[-1]
    if not prev.startswith("ال") or prev in _COMPOUND_SECONDS or words[-2] in _COMPOUND_FIRSTS:
        return False
    return not word.startswith("ال") and word not in _NASAB


def _latin_name_word(word: str, text: str, after: int) -> bool:
    if word.casefold() in _particles():
        nxt = _WORD.match(text, after)
        return nxt is not None and nxt.group(1)[:1].isupper()
    if len(word) >= 3 and word.isupper():
        return False  # an acronym (UNODC), not a name
    # The article glued to a family name: "al-Husseini", "el-Tazi".
    return word[:1].isupper() or bool(
        re.match(r"(?:al|el|ul)-[^\W\d_]", word) and word[3:4].isupper()
    )


_PREPOSITIONS = frozenset(["في", "من", "عن", "لدي", "مع"])
MAX_ROLE_CHAIN_WORDS = 10


@cache
def _role_verbs() -> re.Pattern[str]:
    data = load("persons.yaml")
    verbs = _alternation([*data["speech_verbs"]["ar"], *data["role_verbs"]["ar"]])
    return re.compile(r"(?<![^\W\d_])[وف]?" + verbs + r"(?![^\W\d_])")


def _arabic_role_anchors(folded: Folded) -> list[_Anchor]:
    """Arabic speakers and signatories introduced by their role, without a title: "وأفادت رئيسة
    الهيئة، روضة العبيدي، بأن…", "ووقع المذكرة أمين عام الوزارة فراس الحياري ومدير مكتب المنظمة
    في عمان باتريك دالي". The role is a noun of `role_nouns` and its genitive chain (words with the
    article, a construct noun after an indefinite role noun, "في" and its object); the name is
    the first words after that chain without the article, and must end where a clause does."""
    text = folded.text
    anchors: list[_Anchor] = []
    pos_list = [m.end() for m in _role_verbs().finditer(text)]
    while pos_list:
        pos = pos_list.pop(0)
        found = _role_then_name(folded, pos)
        if found is None:
            continue
        anchor, name_end = found
        anchors.append(anchor)
        # "… فراس الحياري ومدير مكتب المنظمة …": a second role joined by و
        nxt = re.compile(r"\s+(?=و)").match(text, name_end)
        if nxt is not None:
            pos_list.insert(0, nxt.end())
    return anchors


def _role_then_name(folded: Folded, pos: int) -> tuple[_Anchor, int] | None:
    text = folded.text
    rules = _rules()
    role = None
    for _ in range(3):  # the verb's object may come first: "ووقع المذكرة أمين عام…"
        role = rules["role"].match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
        if role is not None:
            break
        skipped = _WORD.match(text, pos)
        if skipped is None or text[pos : skipped.start(1)].strip():
            return None
        pos = skipped.end()
    if role is None or not is_arabic(role.group()):
        return None
    definite = bool(_DEFINITE.match(role.group().lstrip("و")))
    words: list[re.Match[str]] = []
    end = role.end()
    candidates: list[int] = []
    after_comma = False
    while len(words) < MAX_ROLE_CHAIN_WORDS:
        skip = re.compile(r"[\s,،]*").match(text, end)
        m = _WORD.match(text, skip.end() if skip else end)
        if m is None:
            break
        gap = text[end : m.start(1)].strip()
        if gap and gap not in ",،":
            break
        word = m.group(1)
        if gap:
            if after_comma or (not words and not definite):
                break
            after_comma = True
        if rules["title"].match(text, m.start(1)):
            break  # "… السيدة ليلى بيترز": a title anchors the name itself
        stop = bool(rules["stop"].match(word))
        if stop and word == _ALI_FOLDED:
            stop = folded.original(m.start(1), m.end(1)) == "على"  # علي (Ali) is a name
        if stop and (candidates or word not in _PREPOSITIONS):
            break
        prev = words[-1].group(1) if words else None
        before = words[-2].group(1) if len(words) > 1 else None
        led = (
            bool(gap)
            or (prev is None and definite)
            or (prev is not None and bool(_DEFINITE.match(prev)))
            or before in _PREPOSITIONS
        )
        if led and not _DEFINITE.match(word) and word not in _PREPOSITIONS and is_arabic(word):
            candidates.append(m.start(1))
        words.append(m)
        end = m.end()
    for start in reversed(candidates):
        name_end = _read_name(text, start, folded)
        if name_end is not None and _ends_clause(text, name_end):
            role_start = role.start()
            if text[role_start] in "وبل" and _is_role_noun(text[role_start + 1 : role.end()]):
                role_start += 1  # "ومدير مكتب …": the conjunction is not the role's
            role_span = (role_start, _trim_end(text, start))
            return _Anchor(role.start(), start, [], False, role_span), name_end
    return None


@cache
def _role_nouns() -> frozenset[str]:
    return frozenset(
        re.sub(r"\s+", " ", fold(w).text)
        for ws in load("persons.yaml")["role_nouns"].values()
        for w in ws
    )


def _is_role_noun(words: str) -> bool:
    return re.sub(r"\s+", " ", words) in _role_nouns()


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " ,،\t":
        end -= 1
    return end


def _ends_clause(text: str, pos: int) -> bool:
    """Whether a name read up to `pos` ends where a clause or a phrase does."""
    rest = text[pos:]
    if not rest.strip() or re.match(r"\s*[.!?؟\n؛;:,،(«\"]", rest):
        return True
    m = _WORD.match(text, pos)
    if m is None:
        return True
    rules = _rules()
    word = m.group(1)
    return bool(
        rules["stop"].match(word)
        or rules["role"].match(text, m.start(1))
        or rules["verb"].match(text, m.start(1))
        or word in ("بان", "ان")
    )


_LATIN_NAME = (
    r"[A-Z][a-z'-]+(?:\s+(?:(?:al|el|bin|ben|bint|ould|de|Al|El)[\s-]+)?[A-Z][a-z'-]+){1,3}"
)


@cache
def _role_first() -> re.Pattern[str]:
    """An English speaker named after a role at the head of a clause, with the verb after the
    name: "National Guard spokesman Karim Belhadj told reporters". The anchor ends before the
    name."""
    data = load("persons.yaml")
    verbs = _alternation(data["speech_verbs"]["en"])
    roles = _alternation([w.casefold() for w in data["role_nouns"]["en"]])
    return re.compile(
        rf"(?:^|(?<=[.!?\n\"”]\s)|(?<=\n))(?:[A-Z][\w'&.-]*\s+){{0,3}}(?:[a-z]+\s+){{0,2}}"
        rf"{roles}\s+(?={_LATIN_NAME}\s+{verbs}(?![^\W\d_]))",
        re.MULTILINE,
    )


@cache
def _role_then_comma() -> re.Pattern[str]:
    """A Latin-script name set off by commas after its role: "la présidente de l'Instance
    nationale de lutte contre la traite des personnes, Amel Triki, à l'ouverture…", "the head
    of the unit, Omar Haddad, said". The anchor ends before the name."""
    data = load("persons.yaml")
    english = data["role_nouns"]["en"]
    roles = _alternation([*data["role_nouns"]["fr"], *english, *(w.casefold() for w in english)])
    # "son secrétaire général, Rachid Tahiri,", "the EU ambassador to Egypt, Thomas Keller." — a
    # possessive for the article, capitalised words before the role, the name closing the sentence.
    article = r"(?:le|la|the|Le|La|The|l'|L'|son|sa|its|his|her|their)"
    return re.compile(
        rf"(?<![^\W\d_]){article}\s*(?:[A-Z][\w'&.-]*\s+){{0,3}}{roles}"
        rf"(?:\s+(?!(?:de|du|des|of|for|at|to|in|au)(?![^\W\d_]))[a-zé][\w'-]*){{0,2}}"  # "régionale"
        rf"(?:\s+(?:de|du|des|d'|of|for|at|to|in|à|au|auprès)\s*[^,.;:\n]{{1,120}}?)?\s*,\s+"
        rf"(?={_LATIN_NAME}\s*(?:,|\.(?:\s|$)))"
    )


@cache
def _appositive() -> re.Pattern[str]:
    """A Latin-script name set off by commas before its role: "…, Aisha Al Mansoori, the
    Committee's rapporteur, said…", "met Hamad Khalil, a member of the committee", or closed by a comma and a verb: "Marco Ferraro, UNODC
    Regional Representative, said", "while Ines Martin, IOM's head of office, praised". The name
    must be two to four capitalised words."""
    data = load("persons.yaml")
    roles = _alternation([v for w in data["role_nouns"]["en"] for v in (w, w.casefold())])
    lead = r"(?:^|[,\n]\s*|(?<=[.!?]\s)|(?<![^\W\d_])(?:while|and|as|met|received|with)\s+)"
    role = rf"(?:[A-Z][\w'’&-]*\s+){{0,3}}(?:[a-z-]+\s+){{0,2}}{roles}(?![^\W\d_])"
    return re.compile(
        rf"{lead}({_LATIN_NAME})\s*,\s+(?:(?:the|The|a|an)\s+{role}"
        rf"|{role}(?:\s+(?:of|for|in|at)\s+[\w'’ -]{{1,40}}?)?,\s+[a-z]{{3,}})",
        re.MULTILINE,
    )


def _role_after(folded: Folded, pos: int) -> str | None:
    text = folded.text
    lead = re.compile(r"\s*(?:[-,،]\s*)?(?:(?:the|The|la|le|l')\s*)?").match(text, pos)
    start = lead.end() if lead else pos
    head = _rules()["role"].search(text, start, min(len(text), start + 40))
    if head is None:
        return None
    between = text[start : head.start()]
    # Arabic puts the role noun first; English may put a few capitalised words before it
    # ("UNODC Regional Representative").
    # ("UNODC Regional Representative", "UN Women's programme specialist").
    words = between.split()
    if words and not (words[0][:1].isupper() and len(words) <= MAX_ROLE_LEAD_WORDS):
        return None
    if _CLAUSE_END.search(between):
        return None
    end = _ROLE_END.search(text, head.end())
    stop = end.start() if end else len(text)
    return _clean(folded.original(start, min(stop, start + MAX_ROLE_CHARS)))


def _role_before(
    folded: Folded, pos: int, nameless: list[_Anchor], names: list[tuple[int, int]]
) -> tuple[str | None, list[str]]:
    """The role written before a title, and the titles of a nameless title chain leading it."""
    text = folded.text
    clause_start = _last_clause_end(text, pos) + 1
    window = (clause_start, pos)
    if not re.sub(r"[\s,،و]|and", "", text[clause_start:pos]):
        prev_start = _last_clause_end(text, clause_start - 1) + 1
        window = (prev_start, clause_start - 1)
        if any(window[0] <= s < window[1] for s, _ in names):
            return None, []  # that clause belongs to someone else
    head = _rules()["role"].search(text, *window)
    if head is None:
        return None, []
    start = head.start()
    if not is_arabic(text[start : head.end()]):
        start = window[0]  # English: "The UNODC ROMENA Regional Representative"
    extra = [t for a in nameless if window[0] <= a.start < window[1] for t in a.titles]
    return _clean(folded.original(start, window[1])), extra


def _last_clause_end(text: str, pos: int) -> int:
    for i in range(pos - 1, -1, -1):
        if _CLAUSE_END.match(text[i]):
            return i
    return -1


def _clean(role: str) -> str | None:
    role = re.sub(r"\s+", " ", strip_invisible(role)).strip(" -–,،/")
    role = re.sub(r"^(?:the|The|la|le|l')\s+", "", role)
    return role or None


def _merge(persons: list[Person]) -> list[Person]:
    merged: dict[str, Person] = {}
    for p in persons:
        if p.key not in merged:
            merged[p.key] = p
            continue
        old = merged[p.key]
        merged[p.key] = Person(
            old.name,
            old.latin,
            old.key,
            tuple(dict.fromkeys(old.titles + p.titles)),
            old.role or p.role,
            old.span,
        )
    return list(merged.values())
