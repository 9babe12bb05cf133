"""Whole names: normalised, split into the words that identify a person and the particles that do
not, and reduced to order-insensitive keys for blocking candidate pairs in record linkage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from jusoor.entities.resolution.normalise.arabic import fold_arabic_letters
from jusoor.entities.resolution.normalise.latin import fold_latin_letters
from jusoor.entities.resolution.normalise.particles import is_article, is_connector, join_compounds
from jusoor.entities.resolution.normalise.phonetics import blocking_key
from jusoor.entities.resolution.normalise.scripts import words_of
from jusoor.entities.resolution.normalise.words import analyse

# Names known to be normalised already (`known_normal`), which normalising leaves as they are.
_NORMAL: set[str] = set()
NORMAL_LIMIT = 1 << 20


def normalize_name(text: str) -> str:
    """A name in any mix of Arabic and Latin script, normalised word by word (see
    `normalize_arabic` and `normalize_latin`). Word order is kept. Idempotent."""
    return text if text in _NORMAL else _normalize_name(text)


def known_normal(names: Iterable[str]) -> None:
    """Remember `names` as outputs of `normalize_name` (made in another process, say), so that
    normalising them again (parsing a prepared name) costs a lookup. Only for its outputs."""
    if len(_NORMAL) > NORMAL_LIMIT:
        _NORMAL.clear()
    _NORMAL.update(names)


@lru_cache(maxsize=1 << 18)
def _normalize_name(text: str) -> str:
    folded = fold_arabic_letters(fold_latin_letters(text))
    return " ".join(join_compounds(words_of(folded)))


@dataclass(frozen=True)
class ParsedName:
    """The words of a name that identify a person, and the particles that were set aside."""

    words: tuple[str, ...]
    particles: tuple[str, ...]


@lru_cache(maxsize=1 << 18)
def parse_name(text: str) -> ParsedName:
    """`text` normalised and split; a name made only of particles keeps them as its words."""
    all_words = normalize_name(text).split()
    words = [w for w in all_words if not (is_connector(w) or is_article(w))]
    if not words:
        return ParsedName(tuple(all_words), ())
    return ParsedName(tuple(words), tuple(w for w in all_words if w not in words))


@lru_cache(maxsize=1 << 16)
def word_keys(word: str) -> frozenset[str]:
    """Blocking keys of one normalised word: the coarse consonant key of each of its readings
    (with and without a glued article…), and its given-name group when listed."""
    analysis = analyse(word)
    keys = {blocking_key(sound) for sound in analysis.sounds}
    if analysis.group is not None:
        keys.add(f"={analysis.group}")
    keys.discard("")
    return frozenset(keys)


def blocking_keys(text: str) -> frozenset[str]:
    """Recall-oriented keys of a name: two records whose names share a key are worth comparing.

    One key per reading of each word, so "محمد الأمين ولد أكيك" and "OULD AKIK Mohamed Lamine"
    share "=muhammad", "lmn" and "kk". Frequent keys (Mohamed) make large blocks: combine them
    with other fields, or use `name_key`."""
    return frozenset(key for word in parse_name(text).words for key in word_keys(word))


@lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """An order-insensitive key of the whole name: the sorted blocking keys of the first reading
    of its words ("Mohamed Lamine Ould Akeik" and "محمد الامين ولد اكيك" → "k lmn mt")."""
    words = parse_name(text).words
    keys = (blocking_key(analyse(w).sounds[0]) for w in words if analyse(w).sounds)
    return " ".join(sorted(filter(None, keys)))
