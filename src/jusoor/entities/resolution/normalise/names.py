"""Similarity of two personal names in any script and any word order, and the reasons for it.

    >>> similarity("محمد الأمين ولد أكيك", "OULD AKIK Mohamed Lamine") > 0.8
    True

Each word of one name is paired with at most one word of the other so that the total evidence is
largest; particles (bin, ould, ال, el…) are set aside. A pair adds its word similarity once that
similarity is past `WEAK` (fully from `STRONG` on), and the total is divided by the mean number of
words of the two names, so a missing word costs less than a contradicting one.

On three-word names assembled from real Wikidata Arabic↔Latin pairs, a cut at 0.5 separated the
same person from a namesake sharing the given name best (F1 0.995; bench/names_eval.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from jusoor.entities.resolution.normalise.namekeys import parse_name
from jusoor.entities.resolution.normalise.words import MatchKind, compare_words

WEAK = 0.55  # below this a word pair is no evidence at all
STRONG = 0.75  # from this on a word pair counts in full
MAX_EXACT_COLUMNS = 12  # beyond, words are paired greedily

Cell = tuple[float, float]  # a word pair's similarity, and how much of it counts as evidence
Placement = tuple[float, tuple[tuple[int, int], ...]]  # total evidence, (row, column) pairs


@dataclass(frozen=True)
class TokenMatch:
    """One line of an explanation: a word of each name (or None), how they matched, and the word
    similarity."""

    a: str | None
    b: str | None
    kind: MatchKind
    score: float


@dataclass(frozen=True)
class NameComparison:
    a: str
    b: str
    score: float
    tokens: tuple[TokenMatch, ...]

    def as_dict(self) -> dict[str, object]:
        """The comparison as plain JSON-ready data: {"a", "b", "score", "tokens": [...]}."""
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "tokens": [
                {**asdict(token), "kind": str(token.kind), "score": round(token.score, 4)}
                for token in self.tokens
            ],
        }


def _weight(score: float) -> float:
    """How much of a word pair counts as evidence: 0 below WEAK, all from STRONG, linear between."""
    return min(1.0, max(0.0, (score - WEAK) / (STRONG - WEAK)))


def _greedy_pairs(matrix: list[list[float]]) -> list[tuple[int, int]]:
    cells = sorted(
        ((score, r, c) for r, line in enumerate(matrix) for c, score in enumerate(line)),
        reverse=True,
    )
    used_rows: set[int] = set()
    used_columns: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _score, r, c in cells:
        if r not in used_rows and c not in used_columns:
            pairs.append((r, c))
            used_rows.add(r)
            used_columns.add(c)
    return pairs


def _row_maxima(matrix: list[list[float]]) -> list[tuple[int, int]] | None:
    """Each row on its best column, when no two rows with evidence want the same column: then
    no placement can do better (the usual case, which spares the search)."""
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for r, line in enumerate(matrix):
        top = max(line)
        if top <= 0:
            continue
        c = line.index(top)
        if c in taken:
            return None
        taken.add(c)
        pairs.append((r, c))
    return pairs


def _best_pairs(matrix: list[list[float]]) -> list[tuple[int, int]]:
    """Row → column pairs with the largest total of `matrix`, the evidence of each word pair
    (rows ≤ columns): at once when rows do not compete (`_row_maxima`), else exact, by dynamic
    programming over the sets of columns taken, or greedy for very long names."""
    columns = len(matrix[0]) if matrix else 0
    chosen = _row_maxima(matrix)
    if chosen is not None:
        return chosen
    if columns > MAX_EXACT_COLUMNS:
        return _greedy_pairs(matrix)
    # best[mask]: the best placement of the rows so far on the columns in mask
    best: dict[int, Placement] = {0: (0.0, ())}
    for r, line in enumerate(matrix):
        following: dict[int, Placement] = {}
        for mask, (total, pairs) in best.items():
            for c, evidence in enumerate(line):
                key = mask | (1 << c)
                if key == mask:
                    continue
                candidate = (total + evidence, (*pairs, (r, c)))
                if key not in following or candidate[0] > following[key][0]:
                    following[key] = candidate
        best = following
    return list(max(best.values(), key=lambda placement: placement[0])[1]) if best else []


def explain(a: str, b: str) -> NameComparison:
    """The similarity of names `a` and `b` with the word alignment behind it."""
    words_a, words_b = parse_name(a).words, parse_name(b).words
    found = agreement(a, b)
    tokens: list[TokenMatch] = []
    for i, j, _evidence_weight in found.pairs:
        score, kind = compare_words(words_a[i], words_b[j])
        tokens.append(TokenMatch(words_a[i], words_b[j], kind, score))
    paired_a = {i for i, _j, _w in found.pairs}
    paired_b = {j for _i, j, _w in found.pairs}
    tokens += [
        TokenMatch(w, None, MatchKind.UNMATCHED, 0.0)
        for i, w in enumerate(words_a)
        if i not in paired_a
    ]
    tokens += [
        TokenMatch(None, w, MatchKind.UNMATCHED, 0.0)
        for i, w in enumerate(words_b)
        if i not in paired_b
    ]
    tokens += [TokenMatch(p, None, MatchKind.PARTICLE, 0.0) for p in parse_name(a).particles]
    tokens += [TokenMatch(None, p, MatchKind.PARTICLE, 0.0) for p in parse_name(b).particles]
    return NameComparison(a, b, found.score, tuple(tokens))


def similarity(a: str, b: str) -> float:
    """How likely names `a` and `b` denote the same person, in [0, 1]: any script on either side,
    any word order, particles ignored. Symmetric; 1.0 for names with the same normalised words.
    The score of `agreement` (and of `explain`)."""
    return agreement(a, b).score


@dataclass(frozen=True)
class Agreement:
    """`similarity` of two names and the words it paired: (index in a, index in b, how much of
    the pair counts as evidence, 0–1), indices into `parse_name(...).words`."""

    score: float
    pairs: tuple[tuple[int, int, float], ...]

    def information(self, bits_a: Sequence[float], bits_b: Sequence[float]) -> float:
        """The bits of the words the names agree on (see `rarity`): each pair counts the rarer
        reading of its less rare word, scaled by how well the two words match."""
        total = 0.0
        for i, j, weight in self.pairs:
            if i < len(bits_a) and j < len(bits_b):
                total += weight * min(bits_a[i], bits_b[j])
        return total


def agreement(a: str, b: str, cell: Callable[[str, str], Cell] | None = None) -> Agreement:
    """`similarity(a, b)` with the word pairs behind it (the alignment `explain` shows).
    `cell` compares two words as `word_cell` does (a caller may hold the answers already)."""
    cell = cell or word_cell
    words_a, words_b = parse_name(a).words, parse_name(b).words
    swapped = len(words_a) > len(words_b)
    rows, columns = (words_b, words_a) if swapped else (words_a, words_b)
    size = (len(words_a) + len(words_b)) / 2
    if not size or not rows:
        return Agreement(0.0, ())
    cells = [[cell(row, column) for column in columns] for row in rows]
    evidence = [[weight * score for score, weight in line] for line in cells]
    pairs = _best_pairs(evidence)
    total = sum(evidence[r][c] for r, c in pairs)
    kept = tuple(
        ((c, r) if swapped else (r, c)) + (cells[r][c][1],) for r, c in pairs if cells[r][c][1] > 0
    )
    return Agreement(min(1.0, total / size), kept)


@lru_cache(maxsize=1 << 20)
def word_cell(a: str, b: str) -> Cell:
    """The similarity of two words and how much of it counts as evidence (`_weight`): linkage
    compares the same words millions of times."""
    score = compare_words(a, b)[0]
    return score, _weight(score)
