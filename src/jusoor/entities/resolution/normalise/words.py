"""One name word against another, in any two scripts: how alike they are and in what way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from jusoor.entities.resolution.normalise.particles import (
    ARABIC_ARTICLE,
    split_tail,
    without_glued_prefix,
)
from jusoor.entities.resolution.normalise.phonetics import (
    arabic_sound,
    latin_sound,
    skeleton,
    sound_similarity,
)
from jusoor.entities.resolution.normalise.scripts import Script, script_of
from jusoor.entities.resolution.normalise.tables import given_names

VARIANT_SCORE = 0.96  # listed regional forms of one name (Mamadou = Muhammad)
DISTINCT_CAP = 0.45  # listed forms of two different names (Hassan, Hussein): no evidence
INITIAL_SCORE = 0.75  # "M." against Mohamed: compatible, weak evidence
STRIPPED_FACTOR = 0.97  # a match found only after removing a glued article or prefix

# "abd" + the article in its Latin spellings (abdel, abdul, abdoul, abder-rahman…), and the
# article alone at the start of a compound tail (eddine, uddin, allah).
_LATIN_ABD = re.compile(r"^abd(?:[aeiou]{1,2}l?)?")
_LATIN_ARTICLE = re.compile(r"^[aeiou]{1,2}l?")
_ARABIC_ABD = "عبد"


class MatchKind(StrEnum):
    """How two name words were found to correspond."""

    EXACT = "exact"  # the same normalised spelling
    VARIANT = "variant"  # regional forms of one name listed in given_names.yaml
    KEY = "key"  # same consonant skeleton across spellings or scripts (محمد ~ Mohamed)
    FUZZY = "fuzzy"  # close phonetic spellings
    INITIAL = "initial"  # an initial against a word it could abbreviate
    UNMATCHED = "unmatched"
    PARTICLE = "particle"  # a connector or article, ignored by the score


@dataclass(frozen=True)
class NameWord:
    """A normalised name word with its phonetic spellings: the word as written first, then other
    readings (without a glued article or prefix: الامين → امين, Benali → ali; without a final h
    or t that may be a taa marbuta)."""

    text: str
    script: Script
    sounds: tuple[str, ...]
    forms: tuple[str, ...]
    group: str | None
    skeleton: str  # the consonants of the first reading (`phonetics.skeleton`)


def _sound(text: str, script: Script) -> str:
    """The phonetic spelling of a word; in compounds the article between the parts is left out,
    since Latin spellings assimilate or drop it (Abderrahmane = عبد الرحمن, Noureddine)."""
    if script is Script.ARABIC:
        if text.startswith(_ARABIC_ABD) and len(text) > len(_ARABIC_ABD) + 1:
            rest = text[len(_ARABIC_ABD) :].removeprefix(ARABIC_ARTICLE)
            return arabic_sound(_ARABIC_ABD) + arabic_sound(rest)
        parts = split_tail(text)
        if parts is not None:
            return arabic_sound(parts[0]) + arabic_sound(parts[1].removeprefix(ARABIC_ARTICLE))
        return arabic_sound(text)
    if script is Script.LATIN:
        abd = _LATIN_ABD.match(text)
        if abd and abd.end() < len(text):
            return latin_sound("abd") + latin_sound(text[abd.end() :])
        parts = split_tail(text)
        if parts is not None:
            return latin_sound(parts[0]) + latin_sound(_LATIN_ARTICLE.sub("", parts[1]))
        return latin_sound(text)
    return ""


def _latin_endings(sound: str) -> list[str]:
    """Readings of a Latin word without a final h or t that may stand for taa marbuta
    (Fatimah = فاطمة, Hayat = حياة) but may also be a letter (Saleh = صالح, Medhat = مدحت)."""
    if len(sound) > 3 and sound[-2] in "aeiouOE" and sound[-1] in "ht":
        return [sound[:-1]]
    return []


# A c before a, o or u read s: the cedilla Latin records drop (Fayçal written Faycal = فيصل).
_DROPPED_CEDILLA = re.compile(r"c(?=[aou])")
# Hassaniya and West-African forms of a name with a suffix: Aichetou, Khadijetou, Aminetou are
# Aicha, Khadija, Amina; Zeinebou, Hamidou are Zeineb, Hamid.
_SUFFIXED_A = re.compile(r"^(\w{3,})[ae]tou$")
_SUFFIXED = re.compile(r"^(\w{3,}[^aeiou])ou$")


def _latin_spellings(text: str) -> list[str]:
    """Other spellings a Latin name word may stand for: without a dropped cedilla, and the
    name without a Hassaniya or West-African suffix."""
    spellings = []
    if _DROPPED_CEDILLA.search(text):
        spellings.append(_DROPPED_CEDILLA.sub("s", text))
    suffixed = _SUFFIXED_A.match(text)
    if suffixed:
        spellings.append(suffixed.group(1) + "a")
    suffixed = _SUFFIXED.match(text)
    if suffixed:
        spellings.append(suffixed.group(1))
    return spellings


@lru_cache(maxsize=65536)
def analyse(text: str) -> NameWord:
    """The phonetic analysis of one normalised name word."""
    script = script_of(text)
    forms = [text]
    stripped = without_glued_prefix(text)
    if stripped is not None:
        forms.append(stripped)
    readings: list[str] = []
    for form in forms:
        sound = _sound(form, script)
        readings.append(sound)
        if script is Script.LATIN:
            readings.extend(_latin_endings(sound))
            readings.extend(_sound(other, script) for other in _latin_spellings(form))
    sounds = tuple(dict.fromkeys(s for s in readings if s))
    key = skeleton(sounds[0]) if sounds else ""
    return NameWord(text, script, sounds, tuple(forms), given_names().get(text), key)


def _initial(short: NameWord, long: NameWord) -> tuple[float, MatchKind]:
    if long.script is short.script:
        same = long.text.startswith(short.text)
    else:
        same = bool(short.skeleton) and long.skeleton.startswith(short.skeleton)
    return (INITIAL_SCORE, MatchKind.INITIAL) if same else (0.0, MatchKind.UNMATCHED)


def _same_text(a: NameWord, b: NameWord) -> float:
    best = 0.0
    for i, form_a in enumerate(a.forms):
        for j, form_b in enumerate(b.forms):
            score = Levenshtein.normalized_similarity(form_a, form_b)
            best = max(best, score if i == j == 0 else score * STRIPPED_FACTOR)
    return best


def _phonetic(a: NameWord, b: NameWord) -> float:
    profile = "same_script" if a.script is b.script else "cross_script"
    best = 0.0
    for i, sound_a in enumerate(a.sounds):
        for j, sound_b in enumerate(b.sounds):
            score = sound_similarity(sound_a, sound_b, profile)
            best = max(best, score if i == j == 0 else score * STRIPPED_FACTOR)
    return best


def _spelling_score(a: NameWord, b: NameWord) -> float:
    """Arabic against Arabic letter by letter (its spelling is already phonetic); any pair
    involving Latin script through the phonetic alphabet."""
    if a.script is b.script and a.script is not Script.LATIN:
        return _same_text(a, b)
    return _phonetic(a, b)


@lru_cache(maxsize=1 << 20)
def compare_words(first: str, second: str) -> tuple[float, MatchKind]:
    """How alike two normalised name words are, in [0, 1], and the kind of match. Symmetric."""
    if first == second:
        return 1.0, MatchKind.EXACT
    a, b = analyse(first), analyse(second)
    if a.group is not None and a.group == b.group:
        return VARIANT_SCORE, MatchKind.VARIANT
    if a.group is not None and b.group is not None:
        return min(DISTINCT_CAP, _spelling_score(a, b)), MatchKind.FUZZY
    if len(a.text) == 1 or len(b.text) == 1:
        short, long = (a, b) if len(a.text) <= len(b.text) else (b, a)
        return _initial(short, long) if len(long.text) > 1 else (0.0, MatchKind.UNMATCHED)
    score = _spelling_score(a, b)
    same_key = bool(a.skeleton) and a.skeleton == b.skeleton
    return score, MatchKind.KEY if same_key else MatchKind.FUZZY
