"""A batch's names as numbers, kept from one slice of name pairs to the next (`name_measures`).

A million records' candidate name pairs come in dozens of slices, and the same names, words
and word pairs meet again in every one. Here each distinct name is parsed once into word
numbers, each distinct text of bits read once into numbers, and each distinct pair of words
compared once; a slice then asks for them with arrays. (Before, every slice parsed its names
again and looked its word pairs up in a dictionary of strings: most of a slice's time.)

Word pairs are kept by the numbers of their two words, with their similarity (`names.word_cell`),
in sorted arrays (`sorted_keys`, 16 bytes a pair), up to `CELL_LIMIT`; past it they start afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from jusoor.entities.resolution.linkage.rarity import parse_bits
from jusoor.entities.resolution.linkage.sorted_keys import SortedKeys
from jusoor.entities.resolution.normalise.namekeys import parse_name
from jusoor.entities.resolution.normalise.names import STRONG, WEAK, Cell, word_cell

CELL_LIMIT = 30_000_000  # word pairs kept (some 480 MB); past it they start afresh
# Names kept (some 300 bytes each with their words); past it the vocabulary starts afresh
# (`full`): a process that measures batch after batch (Spark's Python workers) stays bounded.
NAME_LIMIT = 3_000_000
_SHIFT = 32  # a word pair's key: the first word's number << 32 | the second's

_Ints = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]
Compare = Callable[[list[tuple[str, str]]], list[Cell]]


class _Rows:
    """Rows of numbers that grow as rows and as columns; missing cells hold `empty`."""

    def __init__(self, empty: float, dtype: Any) -> None:
        self.empty, self.dtype = empty, dtype
        self.values = np.full((1024, 4), empty, dtype)
        self.lengths = np.zeros(1024, np.int64)  # each row's cells before `empty`
        self.count = 0

    def append(self, lines: Sequence[Sequence[float]]) -> None:
        width = max((len(line) for line in lines), default=0)
        rows, columns = self.values.shape
        if self.count + len(lines) > rows or width > columns:
            grown = np.full(
                (max(rows * 2, self.count + len(lines)), max(columns, width)),
                self.empty,
                self.dtype,
            )
            grown[: self.count, :columns] = self.values[: self.count]
            self.values = grown
            self.lengths = np.resize(self.lengths, len(grown))
        for i, line in enumerate(lines, start=self.count):
            self.values[i, : len(line)] = line
            self.lengths[i] = len(line)
        self.count += len(lines)


class NameVocabulary:
    """The names, bits, words and compared word pairs of one batch."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._word_ids: dict[str, int] = {}
        self._name_ids: dict[str, int] = {}
        self._names = _Rows(-1, np.int64)  # a name's word numbers, in order
        self._bits_ids: dict[str, int] = {}
        self._bits = _Rows(np.nan, np.float64)  # a text of bits, as numbers
        # A slice's new word pairs are merged at once: the next slice asks for most of them.
        self._cells = SortedKeys(np.float64, np.nan, chunks=1)

    @property
    def name_words(self) -> _Ints:
        """Each name's word numbers (by `names`' numbering), -1 past its last word."""
        return self._names.values

    @property
    def word_counts(self) -> _Ints:
        """Each name's number of words."""
        return self._names.lengths

    @property
    def bit_values(self) -> _Floats:
        """Each text of bits (by `bits`' numbering) as numbers, NaN past its last."""
        return self._bits.values

    @property
    def bit_counts(self) -> _Ints:
        """How many numbers each text of bits holds."""
        return self._bits.lengths

    @property
    def full(self) -> bool:
        """Whether it holds `NAME_LIMIT` names or more: time to start afresh."""
        return len(self._name_ids) >= NAME_LIMIT or len(self._bits_ids) >= NAME_LIMIT

    def names(self, texts: list[str]) -> _Ints:
        """The number of each name, parsed into words the first time it is met."""
        return _numbered(
            texts,
            self._name_ids,
            self._names,
            lambda new: [[self._word(word) for word in parse_name(text).words] for text in new],
        )

    def _word(self, word: str) -> int:
        number = self._word_ids.get(word)
        if number is None:
            number = self._word_ids[word] = len(self.words)
            self.words.append(word)
        return number

    def bits(self, texts: list[str]) -> _Ints:
        """The number of each text of bits ("" for none), read the first time it is met."""
        return _numbered(
            texts, self._bits_ids, self._bits, lambda new: [parse_bits(text) for text in new]
        )

    def cells(self, keys: _Ints, compare: Compare) -> tuple[_Floats, _Floats]:
        """The similarity and evidence weight (`names.word_cell`) of each distinct word pair
        `keys` (`pair_keys`), comparing with `compare` the pairs not met before."""
        scores = self._find(keys)
        unknown = np.flatnonzero(np.isnan(scores))
        if len(unknown):
            words = self.words
            fresh = compare(
                [(words[k >> _SHIFT], words[k & 0xFFFFFFFF]) for k in keys[unknown].tolist()]
            )
            fresh_scores = np.fromiter((cell[0] for cell in fresh), np.float64, len(fresh))
            scores[unknown] = fresh_scores
            self._add(keys[unknown], fresh_scores)
        return scores, weights(scores)

    def known(self, keys: _Ints) -> Callable[[str, str], Cell]:
        """`names.word_cell` of two words, answered from the word pairs `keys` (compared
        already) where they are among them."""
        scores = self._find(keys)
        words = self.words
        cells = {
            (words[k >> _SHIFT], words[k & 0xFFFFFFFF]): (s, w)
            for k, s, w in zip(
                keys.tolist(), scores.tolist(), weights(scores).tolist(), strict=True
            )
        }

        def cell(a: str, b: str) -> Cell:
            found = cells.get((a, b))
            return found if found is not None else word_cell(a, b)

        return cell

    def _find(self, keys: _Ints) -> _Floats:
        found: _Floats = self._cells.find(keys)
        return found

    def _add(self, keys: _Ints, scores: _Floats) -> None:
        if len(self._cells) + len(keys) > CELL_LIMIT:
            self._cells.clear()
        self._cells.add(keys, scores)

    def __len__(self) -> int:
        """Word pairs kept."""
        return len(self._cells)


def _numbered(
    texts: list[str],
    known: dict[str, int],
    rows: _Rows,
    read: Callable[[list[str]], Sequence[Sequence[float]]],
) -> _Ints:
    """The number of each text in `known`; the texts not met before are `read` into `rows`
    and numbered in their order."""
    new = [text for text in dict.fromkeys(texts) if text not in known]
    if new:
        known.update(zip(new, range(rows.count, rows.count + len(new)), strict=True))
        rows.append(read(new))
    return np.fromiter((known[text] for text in texts), np.int64, len(texts))


def pair_keys(first: _Ints, second: _Ints) -> _Ints:
    """The key of each word pair (first[i], second[i]) of word numbers."""
    return (first << _SHIFT) | second


def weights(scores: _Floats) -> _Floats:
    """`names._weight` of each score, with the same operations: 0 below WEAK, all from STRONG,
    linear between."""
    return np.minimum(1.0, np.maximum(0.0, (scores - WEAK) / (STRONG - WEAK)))
