"""The similarity and shared information of many name pairs at once, as `names.agreement` gives
them one pair at a time.

A batch linkage grades hundreds of thousands of candidate name pairs (`comparisons.name_level`).
One at a time, each pair costs its word alignment in Python. Here the words of all pairs are
compared once per distinct pair of words (in worker processes for large batches), and the
alignments are taken with array operations:

- every word of the shorter name takes its best word of the other (the first best, as
  `names._row_maxima` does) when no two words with evidence want the same one, the usual case;
- the other pairs, where words compete, are aligned one by one by `names.agreement` itself.

The results are the very floats the pair-by-pair path computes (same operations in the same
order), so a grade never depends on which path measured it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow  # type: ignore[import-untyped]
import pyarrow.compute  # type: ignore[import-untyped]

from jusoor.entities.resolution.linkage.name_vocabulary import NameVocabulary, pair_keys
from jusoor.entities.resolution.linkage.rarity import BIT_DECIMALS, parse_bits, total_bits
from jusoor.entities.resolution.linkage.workers import forked_pool, worker_count
from jusoor.entities.resolution.normalise.namekeys import parse_name
from jusoor.entities.resolution.normalise.names import Cell, agreement, word_cell

PARALLEL_FROM = 50_000  # distinct word pairs from which they are compared in several processes
_CHUNK = 20_000  # word pairs per worker task
# A shorter name (two words or more) whose words are paired with this share of their evidence
# is graded as at least this similar (`contained`).
CONTAINED_COVERAGE, CONTAINED_SIMILARITY = 0.9, 0.75
# Names, bits and word pairs met, kept from one call to the next: a large batch's names are
# measured in slices (`PersonLinkage._measure_names`), and the same names and words come back
# in every slice (`name_vocabulary`).
_VOCABULARY = NameVocabulary()

Texts = Sequence[str | None] | Any  # or an Arrow array of text
_Ints = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]


# `names.similarity` of two names, to 4 decimals, and the bits of the words they agree on
# (`names.Agreement.information`, summed as `rarity.total_bits` writes it). A plain pair: a
# batch makes hundreds of thousands of them.
NameMeasure = tuple[float, float]


def measure(
    a: str,
    b: str,
    bits_a: str | None,
    bits_b: str | None,
    cell: Callable[[str, str], Cell] | None = None,
) -> NameMeasure:
    """The measure of one pair, by `names.agreement` (with the word pairs compared already
    that `cell` gives, if given)."""
    found = agreement(a, b, cell)
    information = total_bits([found.information(parse_bits(bits_a), parse_bits(bits_b))])
    counts = (len(parse_name(a).words), len(parse_name(b).words))
    return round(contained(found.score, min(counts), sum(counts) / 2), 4), information


def contained(score: float, shorter: int, size: float) -> float:
    """`score` (`names.similarity`, the paired words' evidence over the mean word count), or
    `CONTAINED_SIMILARITY` when more: when a name of two words or more is all but wholly found
    in a longer one. An intake's "Reda Ould Ebnou" against a register's "رضا ولد جابر ولد ابنو"
    pairs both its words, yet scores 0.74 for the father's name it does not give (against a
    chain of four names, two words fall below 0.6); the rarity of the words paired
    (`information`) still tells a common name from a rare one."""
    if shorter >= 2 and score * size / shorter >= CONTAINED_COVERAGE:
        return max(score, CONTAINED_SIMILARITY)
    return score


def measure_pairs(
    names_a: Texts, names_b: Texts, bits_a: Texts, bits_b: Texts
) -> list[NameMeasure]:
    """`measure` of each pair (names_a[i], names_b[i], bits_a[i], bits_b[i]), in order,
    computed together. Columns are lists or Arrow arrays of text; names are present, bits may
    be missing."""
    similarity, information = measure_arrays(names_a, names_b, bits_a, bits_b)
    return list(zip(similarity.tolist(), information.tolist(), strict=True))


def measure_arrays(
    names_a: Texts, names_b: Texts, bits_a: Texts, bits_b: Texts
) -> tuple[_Floats, _Floats]:
    """`measure_pairs` as two arrays: the similarities and the bits, rounded as `measure`
    rounds them. Names, bits and word pairs met in an earlier call of the batch are not read
    or compared again (`_VOCABULARY`, until `forget_word_pairs`)."""
    count = len(names_a)
    if not count:
        return np.zeros(0), np.zeros(0)
    if _VOCABULARY.full:
        forget_word_pairs()
    vocabulary = _VOCABULARY
    (a, b), names = _factorise(names_a, names_b)
    (bits_of_a, bits_of_b), bit_texts = _factorise(bits_a, bits_b)
    name_number = vocabulary.names(names)
    bits_number = vocabulary.bits(bit_texts)
    a, b = name_number[a], name_number[b]
    bits_of = (bits_number[bits_of_a], bits_number[bits_of_b])
    name_words, bit_values = vocabulary.name_words, vocabulary.bit_values
    word_counts, bit_counts = vocabulary.word_counts, vocabulary.bit_counts
    width = name_words.shape[1]

    count_a, count_b = word_counts[a], word_counts[b]
    swapped = count_a > count_b  # rows are the shorter name's words, as in `names.agreement`
    row_name, column_name = np.where(swapped, b, a), np.where(swapped, a, b)
    row_bits = np.where(swapped, bits_of[1], bits_of[0])
    column_bits = np.where(swapped, bits_of[0], bits_of[1])
    rows, columns = np.minimum(count_a, count_b), np.maximum(count_a, count_b)
    size = (count_a + count_b) / 2

    # Name pairs by shape (words of each name), each shape with its word pairs' keys.
    shapes = rows * (width + 1) + columns
    groups = [np.flatnonzero(shapes == shape) for shape in np.unique(shapes[rows > 0])]
    keys = [
        pair_keys(
            name_words[row_name[g], : rows[g[0]], None],
            name_words[column_name[g], None, : columns[g[0]]],
        )
        for g in groups
    ]
    distinct = (
        np.unique(np.concatenate([k.ravel() for k in keys])) if keys else np.zeros(0, np.int64)
    )
    scores, weights = vocabulary.cells(distinct, _compare_all)

    similarity = np.zeros(count)
    information = np.zeros(count)
    competing = np.zeros(count, dtype=bool)
    for g, group_keys in zip(groups, keys, strict=True):
        where = np.searchsorted(distinct, group_keys)
        weight = weights[where]
        evidence = weight * scores[where]
        best = evidence.argmax(axis=2)  # the first best column, like `list.index(max(...))`
        top = np.take_along_axis(evidence, best[:, :, None], axis=2)[:, :, 0]
        pair_weight = np.take_along_axis(weight, best[:, :, None], axis=2)[:, :, 0]
        kept = top > 0
        lines = best.shape[1]
        for r in range(lines):
            for later in range(r + 1, lines):
                competing[g] |= kept[:, r] & kept[:, later] & (best[:, r] == best[:, later])
        # The total, row by row, as `names.agreement` sums it; then the information: each kept
        # pair's weight times the lesser bits of its two words, where both names have bits.
        total = np.zeros(len(g))
        found = np.zeros(len(g))
        row_line, column_line = row_bits[g], column_bits[g]
        for r in range(lines):
            total += np.where(kept[:, r], top[:, r], 0.0)
            column = best[:, r]
            usable = kept[:, r] & (r < bit_counts[row_line]) & (column < bit_counts[column_line])
            lesser = np.fmin(bit_values[row_line, r], bit_values[column_line, column])
            found += np.where(usable, pair_weight[:, r] * np.nan_to_num(lesser), 0.0)
        score = np.minimum(1.0, total / size[g])
        # `contained`, row by row, with the same operations
        whole = (rows[g] >= 2) & (score * size[g] / rows[g] >= CONTAINED_COVERAGE)
        similarity[g] = np.where(whole, np.maximum(score, CONTAINED_SIMILARITY), score)
        information[g] = found

    # round(n, BIT_DECIMALS) is `total_bits([n])`, without building the list; Python's round,
    # not numpy's, which can differ in the last place.
    similarity = np.array([round(s, 4) for s in similarity.tolist()])
    information = np.array([round(n, BIT_DECIMALS) for n in information.tolist()])
    fallback = np.flatnonzero(competing)
    if len(fallback):
        # the word pairs of these name pairs, compared already, for `names.agreement`
        met = [k[np.isin(g, fallback)].ravel() for g, k in zip(groups, keys, strict=True)]
        cell = vocabulary.known(np.unique(np.concatenate(met)))
        for i in fallback.tolist():
            pair = (_text(names_a, i), _text(names_b, i), _text(bits_a, i), _text(bits_b, i))
            similarity[i], information[i] = measure(
                pair[0] or "", pair[1] or "", pair[2], pair[3], cell
            )
    return similarity, information


def _factorise(left: Texts, right: Texts) -> tuple[tuple[_Ints, _Ints], list[str]]:
    """Both columns as numbers into one list of their distinct values (missing as "")."""
    column = pyarrow.concat_arrays([text_column(left), text_column(right)]).fill_null("")
    encoded = pyarrow.compute.dictionary_encode(column)
    numbers = np.asarray(encoded.indices, dtype=np.int64)
    return (numbers[: len(left)], numbers[len(left) :]), encoded.dictionary.to_pylist()


def text_column(texts: Texts) -> Any:
    """`texts` as one Arrow array of text (a list, an Arrow array or a chunked one)."""
    if isinstance(texts, pyarrow.ChunkedArray):
        return texts.combine_chunks().cast(pyarrow.string())
    if isinstance(texts, pyarrow.Array):
        return texts.cast(pyarrow.string())
    return pyarrow.array(texts, pyarrow.string())


def _text(texts: Texts, i: int) -> str | None:
    value = texts[i]
    return value.as_py() if isinstance(value, pyarrow.Scalar) else value


def forget_word_pairs() -> None:
    """Let go of the names, bits and word pairs kept between calls (`_VOCABULARY`), once a
    batch is measured."""
    global _VOCABULARY  # one batch's memory, let go whole
    _VOCABULARY = NameVocabulary()


def _compare_all(word_pairs: list[tuple[str, str]]) -> list[Cell]:
    with forked_pool(worker_count(len(word_pairs), PARALLEL_FROM)) as pool:
        if pool is None:
            return _compare_chunk(word_pairs)
        chunks = [word_pairs[i : i + _CHUNK] for i in range(0, len(word_pairs), _CHUNK)]
        return [cell for part in pool.map(_compare_chunk, chunks) for cell in part]


def _compare_chunk(word_pairs: list[tuple[str, str]]) -> list[Cell]:
    return [word_cell(x, y) for x, y in word_pairs]
