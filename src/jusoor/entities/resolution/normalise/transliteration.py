"""Arabic names rendered in Latin letters for a reader, and a spelling key of a whole name that its
Arabic and its usual Latin spellings share.

`transliterate` gives the Latin a reader of the region's French and English press expects:
the spellings of `transliteration.yaml` for common names (Mohamed, Naela, Ould) and a
letter-by-letter rendering otherwise (جبر → Jabr).

`spelling_key` is a consonant skeleton of the whole name in reading order, in which the letters
that vary between spellings fall together and the article is dropped: نائلة جبر, Naela Gabr and
Naila Jabr all give "nljbr". It is exact and cheap, for grouping mentions of one person across
texts and languages (the news monitor keys the people it reads by it). Two records of a person
are compared by `names.similarity` and the person model, which weigh every reading of every word;
candidate pairs are found by `namekeys.blocking_keys` and `namekeys.name_key`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from jusoor.entities.resolution.normalise.arabic import fold_arabic_letters
from jusoor.entities.resolution.normalise.table_files import TABLES

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_VOWEL_LETTERS = frozenset("اأإآوىيةئ")


@dataclass(frozen=True)
class _Tables:
    letters: dict[str, str]
    names: dict[str, str]  # keyed by the folded Arabic spelling
    maghreb_article: frozenset[str]


@cache
def _tables() -> _Tables:
    data = TABLES["transliteration.yaml"].plain()
    return _Tables(
        letters=dict(data["letters"]),
        names={fold_arabic_letters(k): v for k, v in data["names"].items()},
        maghreb_article=frozenset(w.casefold() for w in data["maghreb_article"]),
    )


def is_arabic(text: str) -> bool:
    """True when `text` has a letter of the Arabic block."""
    return bool(_ARABIC.search(text))


@lru_cache(maxsize=1 << 14)
def transliterate(name: str) -> str:
    """A readable Latin rendering of an Arabic name; Latin input comes back unchanged."""
    if not is_arabic(name):
        return name.strip()
    words = fold_arabic_letters(name).split()  # marks and tatweel gone, hamza seats unified
    return " ".join(_word(w, first=i == 0) for i, w in enumerate(words) if w)


def _word(word: str, *, first: bool) -> str:
    names = _tables().names
    if word in names:
        return names[word]
    if word.startswith("ابو") and len(word) > 4:  # أبوالغيط → Abou Al-Ghit
        return "Abou " + _word(word[3:], first=False)
    if word.startswith("عبد") and len(word) > 4:  # عبدالسلام → Abdel Salam
        return "Abdel " + _word(word[3:].removeprefix("ال"), first=False)
    if word.startswith("ال") and len(word) > 3:
        rest = word[2:]
        return ("Al-" if first else "al-") + (names.get(rest) or _letters(rest))
    return _letters(word)


def _letters(word: str) -> str:
    letters = _tables().letters
    out: list[str] = []
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        consonant_before = bool(prev) and prev not in _VOWEL_LETTERS
        if ch == "و":
            out.append("ou" if consonant_before and nxt != "ا" else "w")
        elif ch == "ي":
            out.append("i" if consonant_before and nxt not in ("ا", "و") else "y")
        elif ch == "ع":
            out.append("a" if i == 0 else "'")
        else:
            out.append(letters.get(ch, ch))
    # Arabic script does not write the first short vowel; "a" is the likeliest (جبر → Jabr).
    if len(word) > 1 and word[0] not in _VOWEL_LETTERS and word[1] not in _VOWEL_LETTERS:
        out.insert(1, "a")
    return "".join(out).capitalize()


# Spellings that differ between transliteration traditions but are the same Arabic letter.
_DIGRAPHS = (
    ("tch", "$"),
    ("sh", "$"),
    ("kh", "k"),
    ("gh", "j"),
    ("th", "s"),  # ث is written th or s (Othman, Osman): t is ت
    ("dh", "d"),
    ("ph", "f"),
    ("dj", "j"),
    ("ck", "k"),
)
_LETTERS = str.maketrans({"g": "j", "q": "k", "c": "k", "v": "f", "p": "b", "z": "s", "x": "k"})
_VOWELS = re.compile(r"[aeiouyw']")
_ARTICLES = frozenset(["al", "el", "ul"])
# The article glued on, before a consonant (Albudaiwi, Elkhatib) or before a vowel when a long
# name follows (Alansari, Elamrani); not Alaoui, Elias, Alami, where the letters are the root's.
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[^aeiouy'][a-z]{3}|[aeiou][a-z]{4})")


@lru_cache(maxsize=1 << 14)
def spelling_key(name: str) -> str:
    """The consonant skeleton of a name in reading order, equal for its Arabic and its usual
    Latin spellings ("نائلة جبر", "Naela Gabr" → "nljbr"); ASCII, empty for a name without
    letters."""
    latin = transliterate(name).replace("ç", "s").replace("Ç", "S")  # Fayçal, Ouaçini
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c)
    ).casefold()
    # The article is written or left out at will (El-Tazi / Tazi / التازي); repeated letters fall
    # together across words too (Abdel al-Rahman / Abdel Rahman).
    # "Abou al-Ghit" is written Aboul Gheit: the article stays, glued to Abou.
    plain = re.sub(r"\b(?:abou|abu|abo)[\s-]+(?:al|el)\b-?", "aboul", plain)
    glued_l = _tables().maghreb_article
    tokens = [
        t[1:] if t in glued_l else _GLUED_ARTICLE.sub("", t)
        for t in re.findall(r"[a-z']+", plain)
        if t not in _ARTICLES
    ]
    key = re.sub(r"(.)\1+", r"\1", "".join(_token_key(t) for t in tokens))
    # عبد + article is written Abdel, Abd al-, or assimilated: Abdeslam, Abderrahim, Abdennacer.
    return key.replace("bdl", "bd")


def _token_key(token: str) -> str:
    token = re.sub(r"c(?=[eiy])", "s", token)  # Nacer, Bencid: French soft c is Arabic س/ص
    token = re.sub(r"(?<=y)c(?=a)", "s", token)  # Faycal: Fayçal without its cedilla
    token = re.sub(r"^ch(?=[^aeiouy])", "k", token)  # Christina, not Chahine nor Bouchra
    token = token.replace("ch", "$")  # French ch is Arabic ش
    for digraph, letter in _DIGRAPHS:
        token = token.replace(digraph, letter)
    token = token.translate(_LETTERS)
    token = re.sub(r"h$", "", token)  # Abdallah / Abdalla, Salah / صالح (Salh)
    token = re.sub(r"(?<=a)t$", "", token) if len(token) > 3 else token  # Hayat / حياة (Hyah)
    token = re.sub(r"(.)\1+", r"\1", token)  # Mohammed / Mohamed
    return _VOWELS.sub("", token)
