"""Name words spelled in one phonetic alphabet shared by Arabic and Latin script, and compared by
an edit distance that knows what transliteration changes cheaply (vowels, near consonants).

محمد → "mhmd", Mohamed → "mohamed", Mahmoud → "mahmUd", يوسف → "yUsf", Youcef → "yUsef":
the consonants agree across scripts, long vowels are kept, and short vowels, which Arabic script
does not write, cost almost nothing to insert across scripts (see phonetics.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from jusoor.entities.resolution.normalise.tables import PROFILES, VOWEL_KINDS, phonetics

_LATIN_VOWELS = frozenset("aeiouy")
_LONG = frozenset("AIUY")


def _collapse(symbols: str) -> str:
    """Runs of one symbol written once (Mohammed = Mohamed, عبد اللّه after shadda removal)."""
    out: list[str] = []
    for symbol in symbols:
        if not out or out[-1] != symbol:
            out.append(symbol)
    return "".join(out)


def arabic_sound(word: str) -> str:
    """The phonetic spelling of a normalised Arabic word."""
    table = phonetics().arabic
    out: list[str] = []
    i = 0
    while i < len(word):
        if word.startswith("تش", i):
            out.append(table["تش"])
            i += 2
            continue
        char = word[i]
        symbol = table.get(char, "")
        if i == 0 and symbol in ("A", "U", "I"):
            symbol = {"A": "@", "U": "w", "I": "y"}[symbol]  # initial alef is a hamza seat
        elif i == len(word) - 1 and char == "ه" and i > 1:
            symbol = ""  # taa marbuta or a final h that Latin spellings drop (Fatima, Abdalla)
        elif i == len(word) - 1 and char == "ي" and i > 0:
            symbol = "Y"  # ى folded to ي is read a (عيسى = Issa); ي is read i (علي = Ali)
        out.append(symbol)
        i += 1
    sound = _collapse("".join(out))
    # ع, ء and a hamza seat next to a long vowel are carried by that vowel (عائشة = Aisha).
    kept = [
        symbol
        for j, symbol in enumerate(sound)
        if symbol != "@"
        or not ((j > 0 and sound[j - 1] in _LONG) or (j + 1 < len(sound) and sound[j + 1] in _LONG))
    ]
    return _collapse("".join(kept))


@cache
def _latin_graphemes() -> tuple[tuple[int, ...], dict[str, str]]:
    """Lengths of the multi-letter graphemes, longest first, and the whole table."""
    table = dict(phonetics().latin)
    lengths = sorted({len(g) for g in table if len(g) > 1}, reverse=True)
    return tuple(lengths), table


def _latin_symbol(word: str, i: int) -> tuple[str, int]:
    """The symbols of the grapheme at `word[i]` and its length, with the context rules of Latin
    spelling: soft c, consonantal y, silent final h and French mute final e."""
    lengths, table = _latin_graphemes()
    for length in lengths:
        symbols = table.get(word[i : i + length]) if i + length <= len(word) else None
        if symbols is not None:
            return symbols, length
    char = word[i]
    after = word[i + 1] if i + 1 < len(word) else ""
    if char == "c" and after in ("e", "i", "y"):
        return "s", 1
    if char == "c":
        return "k", 1
    if char == "y":
        return ("y" if after in _LATIN_VOWELS else "i"), 1
    if char == "e" and i == len(word) - 1 and i > 2 and word[i - 1] not in _LATIN_VOWELS:
        return "", 1
    return table.get(char, ""), 1


def latin_sound(word: str) -> str:
    """The phonetic spelling of a normalised Latin word (lowercase ASCII; Arabizi digits)."""
    out: list[str] = []
    i = 0
    while i < len(word):
        symbols, length = _latin_symbol(word, i)
        out.append(symbols)
        i += length
    return _collapse("".join(out))


def skeleton(sound: str) -> str:
    """The consonants of a phonetic spelling: the recall-oriented key for blocking (محمد,
    Mohamed, Muhammad → "mhmd")."""
    kinds = phonetics().kinds
    consonants = ("consonant", "glottal")
    return _collapse("".join(symbol for symbol in sound if kinds.get(symbol) in consonants))


@lru_cache(maxsize=1 << 16)
def blocking_key(sound: str) -> str:
    """The coarse, recall-oriented key of a phonetic spelling for candidate generation: its
    skeleton with near consonants merged (t/d, s/sh, k/g/kh) and h dropped, cut short. A word
    whose only consonants are h (Yahia, يحيى) keeps them: without a key, its name could
    never be blocked on it."""
    table = phonetics()
    merged = "".join(
        table.blocking_merge.get(symbol, symbol)
        for symbol in skeleton(sound)
        if symbol not in table.blocking_drop
    )
    return _collapse(merged or skeleton(sound))[: table.blocking_length]


@dataclass(frozen=True)
class _Costs:
    insert: Mapping[str, float]
    substitute: Mapping[str, Mapping[str, float]]  # first symbol → second symbol → cost


def _substitution(first: str, second: str, profile: str) -> float:
    table = phonetics()
    if first == second:
        return 0.0
    if (first, second) in table.near:
        return table.near[(first, second)]
    kind_a, kind_b = table.kinds[first], table.kinds[second]
    costs = table.costs[profile]
    if kind_a in VOWEL_KINDS and kind_b in VOWEL_KINDS:
        vowel = table.vowel_substitution[profile]
        if "weak" in (kind_a, kind_b) or table.vowel_groups[first] & table.vowel_groups[second]:
            return vowel["same_quality"]
        short_a, short_b = kind_a == "short_vowel", kind_b == "short_vowel"
        if short_a and short_b:
            return vowel["short_short"]
        return vowel["long_short"] if short_a or short_b else vowel["long_long"]
    return max(costs[kind_a], costs[kind_b], 1.0)


@cache
def _costs(profile: str) -> _Costs:
    table = phonetics()
    symbols = list(table.kinds)
    return _Costs(
        insert={symbol: table.costs[profile][table.kinds[symbol]] for symbol in symbols},
        substitute={a: {b: _substitution(a, b, profile) for b in symbols} for a in symbols},
    )


def sound_distance(first: str, second: str, profile: str) -> float:
    """Weighted edit distance between two phonetic spellings under `profile`
    ("cross_script" or "same_script")."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    costs = _costs(profile)
    insert = costs.insert
    inserts = [insert[symbol] for symbol in second]
    previous = [0.0]
    for cost in inserts:
        previous.append(previous[-1] + cost)
    for symbol_a in first:
        cost_a = insert[symbol_a]
        substitute = costs.substitute[symbol_a]
        left = previous[0] + cost_a
        current = [left]
        for j, symbol_b in enumerate(second):
            left = min(
                previous[j + 1] + cost_a, left + inserts[j], previous[j] + substitute[symbol_b]
            )
            current.append(left)
        previous = current
    return previous[-1]


@lru_cache(maxsize=1 << 20)
def sound_similarity(first: str, second: str, profile: str) -> float:
    """1 minus the distance over the weight of the heavier spelling, in [0, 1]. Cached: many
    spellings of a batch share one sound (Mohamed, Mohammed)."""
    if first == second:
        return 1.0
    insert = _costs(profile).insert
    weight = max(sum(insert[s] for s in first), sum(insert[s] for s in second))
    if weight == 0:
        return 0.0
    return max(0.0, 1.0 - sound_distance(first, second, profile) / weight)
