"""How two prepared person records are compared, field by field, in levels of agreement.

Every comparison is engine-independent SQL over the columns `prepare.prepare_record` writes. The
name comparison calls `NAME_LEVEL_SQL`, a function each engine registers (see `engines`) that
grades two names by Jusoor's `names.similarity` (cross-script, order-insensitive, particles set
aside) and the rarity of the words they agree on. The other
fields compare normalised values, so a level never has to guess at a format.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow  # type: ignore[import-untyped]
import pyarrow.compute  # type: ignore[import-untyped]
import splink.comparison_level_library as cll
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.comparison_library import CustomComparison

from jusoor.entities.resolution.linkage.name_measures import (
    NameMeasure,
    Texts,
    measure,
    measure_arrays,
    text_column,
)
from jusoor.entities.resolution.linkage.sorted_keys import SortedKeys

NAME_LEVEL_SQL = "jusoor_name_level"
# Cut points of the name similarity, strongest first (bench/names_eval.py: 0.5 separates the
# same person from a namesake sharing the given name).
NAME_LEVELS = (0.9, 0.75, 0.6)
# Within a similarity level, how many bits of rare words the names agree on (see `rarity`): a
# shared rare full name is far stronger evidence than a shared "Mohamed Ahmed".
# Three bits apart: on the independent generator's tuning part, cut at 20, 14 and 11 bits as
# before, the best any weights could do at precision 0.97 (recall by levels) was 0.776 at 5,000
# people and 0.689 at 20,000; at these cuts 0.789 and 0.716 (docs/LINKAGE.md §8c).
NAME_BITS: dict[float, tuple[float, ...]] = {
    0.9: (26.0, 23.0, 20.0, 17.0, 14.0, 11.0, 8.0),
    0.75: (20.0, 17.0, 14.0, 11.0, 8.0),
    0.6: (17.0, 14.0, 11.0, 8.0),
}
# (similarity cut, bits or None), strongest first, as the levels test them; after them come
# similar names with different given names, then the rest.
_GRADES: tuple[tuple[float, float | None], ...] = tuple(
    (cut, bits) for cut in NAME_LEVELS for bits in (*NAME_BITS.get(cut, ()), None)
)
DIFFERENT_GIVEN = len(_GRADES)  # similar names, different given names
UNLIKE = DIFFERENT_GIVEN + 1  # some name words in common, no more
NO_NAME_WORD = "no name word in common"
# Names that agree on no two words (see `prepare._key_pairs`; a one-word name on its word) share
# no pair: the engine does not call the function for them, which keeps random sampling fast.
# Names sharing one word only are a level of their own, in SQL alone.
SHARE_A_PAIR = "list_has_any(name_pairs_l, name_pairs_r)"
_SHARE_A_KEY = "list_has_any(name_keys_l, name_keys_r)"
# A pair of name words held by few records of the batch (`prepare.with_name_blocks`): beside the
# bits of single words, the rarity of the two together (a family's given and family name).
SHARE_A_RARE_PAIR = "list_has_any(name_blocks_l, name_blocks_r)"
RARE_PAIR_LABEL = ", sharing a rare pair of words"
# The given names, where the name order shows them (see `prepare`), have no key in common:
# brothers and sisters share every other name.
_GIVEN_DIFFERS = (
    "(len(given_keys_l) > 0 AND len(given_keys_r) > 0 "
    "AND NOT list_has_any(given_keys_l, given_keys_r))"
)
# The grade of two names (`name_level`); names that share no pair are unlike without asking.
_GRADE = (
    f"(CASE WHEN {SHARE_A_PAIR} THEN {NAME_LEVEL_SQL}"
    f"(name_l, name_r, name_bits_l, name_bits_r, {_GIVEN_DIFFERS}) ELSE {UNLIKE} END)"
)


# Grades of name pairs as the engine asks for them: keyed by the pair's four texts joined
# (`_key`), each a code of two grades (`_code`): with the given names not differing, and
# differing. Filled one pair at a time as the engine meets them (`_GRADED`, bounded: past the
# limit it starts afresh), or a batch at once (`measure_names`, into `_TABLE`).
_GRADED: dict[str, int] = {}
GRADED_LIMIT = 4_000_000


TABLE_LIMIT = 100_000_000  # pairs (some 1.2 GB); past it the table starts afresh


def forget_grades() -> None:
    """Let go of every grade kept (the batch's table and the pairs met one at a time)."""
    _GRADED.clear()
    _TABLE.clear()


def _hashes(keys: list[str | None]) -> Any:
    return np.fromiter((0 if key is None else hash(key) for key in keys), np.int64, len(keys))


_SEPARATOR = "\x1f"  # never in a normalised name (letters and spaces) or in bits
_BASE = 32  # a code holds two grades: grade * _BASE + grade when the given names differ
_MISSING_NAME, _NOT_GRADED = -1, -2
# The grades of a batch's name pairs, measured before the engine scores them, by the 64-bit
# hash of their key: 12 bytes a pair where the dictionary took some 150, so that the tens of
# millions of distinct name pairs of a million records fit. (Kept in the dictionary and cleared
# at its limit, most of a million records' grades were gone when the engine asked for them,
# and it then graded pairs one at a time for over an hour.) Two keys of one hash would share a
# grade; at 40 million pairs the odds of one such pair in a batch are about 1 in 20,000. The
# engine looks up from several threads at once; grades are added only by the batch
# (`add_grades`, `settle_grades`), never while the engine scores.
_TABLE = SortedKeys(np.int32, _NOT_GRADED)


def _key(a: str, b: str, bits_a: str | None, bits_b: str | None) -> str:
    return _SEPARATOR.join((a, b, bits_a or "", bits_b or ""))


def _code(found: NameMeasure) -> int:
    """The grades of a measured pair: the index of the first (similarity cut, bits) of `_GRADES`
    it reaches, else `UNLIKE`; and, where the given names differ, `DIFFERENT_GIVEN` when similar
    all the same, else `UNLIKE`."""
    similarity, information = found
    differs = DIFFERENT_GIVEN if similarity >= NAME_LEVELS[-1] else UNLIKE
    for grade, (cut, bits) in enumerate(_GRADES):
        if similarity >= cut and (bits is None or information >= bits):
            return grade * _BASE + differs
    return UNLIKE * _BASE + differs


def _graded(a: str, b: str, bits_a: str | None, bits_b: str | None) -> int:
    key = _key(a, b, bits_a, bits_b)
    code = _GRADED.get(key)
    if code is None:
        code = _code(measure(a, b, bits_a, bits_b))
        if len(_GRADED) >= GRADED_LIMIT:
            _GRADED.clear()
        _GRADED[key] = code
    return code


def name_level(
    a: str | None,
    b: str | None,
    bits_a: str | None,
    bits_b: str | None,
    given_differs: bool | None,
) -> int | None:
    """The grade of two names, as the engines call it: the index of the first (similarity cut,
    bits) of `_GRADES` they reach with their given names not differing, else `DIFFERENT_GIVEN`
    when similar all the same, else `UNLIKE`; None when either name is missing."""
    if a is None or b is None:
        return None
    code = _graded(a, b, bits_a, bits_b)
    return code % _BASE if given_differs else code // _BASE


def name_levels(names_a: Any, names_b: Any, bits_a: Any, bits_b: Any, given_differs: Any) -> Any:
    """`name_level` of each row of Arrow columns, as an Arrow column: what the engine calls. The
    engine asks for a pair's grade at every level it tests, so nearly every row is known: the
    lookups are made on joined keys, and the grades picked with arrays. Pairs not measured
    ahead (training's samples and blocks) are graded one at a time: measured together in
    calls of a hundred pairs or so, as training makes them, they took longer (a million
    records: EM 164 s → 253 s), each call paying for its arrays."""
    columns = [names_a, names_b, bits_a, bits_b]
    keys = _joined(*columns).to_pylist()
    codes = _TABLE.find(_hashes(keys)) if len(_TABLE) else np.full(len(keys), _NOT_GRADED)
    return _levels(columns, codes, given_differs, keys)


def known_name_levels(hashes: Any, given_differs: Any) -> Any:
    """The level of each pair of names measured ahead, by its hash as DuckDB computes it
    (`PAIR_HASH_SQL`, as `PersonLinkage._measure_names` kept them); null for the others, which
    the engine then asks `name_levels` for. Only a number and a flag cross into Python for
    each pair, where four texts did: the engine passes them for every level it tests."""
    found = np.asarray(hashes.fill_null(0), dtype=np.uint64).view(np.int64)
    codes = _TABLE.find(found) if len(_TABLE) else np.full(len(found), _NOT_GRADED)
    differs = pyarrow.compute.fill_null(given_differs, False).to_numpy(zero_copy_only=False)
    levels = np.where(differs, codes % _BASE, codes // _BASE)
    # A missing flag is left to `name_levels`, which the engine never calls with one (as it
    # never did): the level is then null.
    unknown = (codes == _NOT_GRADED) | given_differs.is_null().to_numpy(zero_copy_only=False)
    return pyarrow.array(levels, type=pyarrow.int32(), mask=unknown)


# The hash DuckDB keeps a pair of names by (`known_name_levels`, `PersonLinkage._measure_names`):
# missing bits as none, as `_key` writes them.
PAIR_HASH_SQL = "hash({0}, {1}, coalesce({2}, ''), coalesce({3}, ''))"


def _levels(columns: list[Any], codes: Any, given_differs: Any, keys: list[str | None]) -> Any:
    """The levels of rows whose codes the table gave, the others' found in `_GRADED` or
    graded (`keys`: the rows' joined keys)."""
    get = _GRADED.get
    for i in np.flatnonzero(codes == _NOT_GRADED).tolist():
        key = keys[i]
        codes[i] = _MISSING_NAME if key is None else get(key, _NOT_GRADED)
    for i in np.flatnonzero(codes == _NOT_GRADED).tolist():
        codes[i] = _graded(*(column[i].as_py() for column in columns))
    differs = pyarrow.compute.fill_null(given_differs, False).to_numpy(zero_copy_only=False)
    levels = np.where(differs, codes % _BASE, codes // _BASE)
    return pyarrow.array(levels, type=pyarrow.int32(), mask=codes == _MISSING_NAME)


def measure_names(
    names_a: Texts, names_b: Texts, bits_a: Texts, bits_b: Texts, hashes: Any = None
) -> int:
    """Measure the name pairs (names_a[i], names_b[i]) with their bits, all at once
    (`name_measures.measure_arrays`, far quicker than one by one), so that the engine's grades
    are answered from memory (`_TABLE`). Columns are lists or Arrow arrays of text, names
    present; `hashes`, the pairs' hashes if the engine gave them (`PAIR_HASH_SQL`). Returns
    how many distinct pairs were new."""
    columns = [text_column(texts) for texts in (names_a, names_b, bits_a, bits_b)]
    found = _hashes(_joined(*columns).to_pylist()) if hashes is None else _as_hashes(hashes)
    new = (
        np.flatnonzero(_TABLE.find(found) == _NOT_GRADED) if len(_TABLE) else np.arange(len(found))
    )
    if not len(new):
        return 0
    taken = pyarrow.array(new, pyarrow.int64())
    a, b, bits_of_a, bits_of_b = (column.take(taken) for column in columns)
    kept, codes_found = graded(a, b, bits_of_a, bits_of_b, found[new])
    add_grades(kept, codes_found)
    return len(kept)


def graded(
    names_a: Texts, names_b: Texts, bits_a: Texts, bits_b: Texts, hashes: Any = None
) -> tuple[Any, Any]:
    """The hashes of the distinct name pairs among (names_a[i], names_b[i], bits_a[i],
    bits_b[i]) and their grades' codes, for `add_grades`: the work of `measure_names` without
    the table, which a worker process can do on a slice of its own. `hashes`: the pairs'
    hashes as the engine gave them, else Python's of their keys."""
    columns = [text_column(texts) for texts in (names_a, names_b, bits_a, bits_b)]
    found = _hashes(_joined(*columns).to_pylist()) if hashes is None else _as_hashes(hashes)
    distinct = np.unique(found, return_index=True)[1]  # each distinct pair once
    if len(distinct) < len(found):
        taken = pyarrow.array(distinct, pyarrow.int64())
        columns, found = [column.take(taken) for column in columns], found[distinct]
    similarity, information = measure_arrays(*columns)
    return found, codes(similarity, information)


def _as_hashes(hashes: Any) -> Any:
    """The engine's unsigned 64-bit hashes (Arrow or numpy) as the table's signed ones."""
    if isinstance(hashes, pyarrow.ChunkedArray):
        hashes = hashes.combine_chunks()
    return np.asarray(hashes, dtype=np.uint64).view(np.int64)


def add_grades(hashes: Any, found: Any) -> None:
    """Keep the codes `found` of the name pairs `hashes` (from `graded`) for the engine."""
    if len(_TABLE) + len(hashes) > TABLE_LIMIT:
        _TABLE.clear()
    _TABLE.add(hashes, found)


def settle_grades() -> None:
    """Make the grades kept ready for the engine's threads (see `_TABLE`): once a batch's
    names are measured, before the engine scores."""
    _TABLE.settle(index=True)


def codes(similarity: Any, information: Any) -> Any:
    """`_code` of each measured pair (similarity[i], information[i]), as an array."""
    grade = np.full(len(similarity), UNLIKE, np.int32)
    for number, (cut, bits) in reversed(list(enumerate(_GRADES))):  # the first reached wins
        reached = similarity >= cut
        if bits is not None:
            reached &= information >= bits
        grade[reached] = number
    differs = np.where(similarity >= NAME_LEVELS[-1], DIFFERENT_GIVEN, UNLIKE)
    return (grade * _BASE + differs).astype(np.int32)


def _joined(names_a: Any, names_b: Any, bits_a: Any, bits_b: Any) -> Any:
    """The `_key` of each row, null where a name is missing."""
    no_bits = pyarrow.scalar("", pyarrow.string())
    return pyarrow.compute.binary_join_element_wise(
        names_a,
        names_b,
        pyarrow.compute.fill_null(bits_a, no_bits),
        pyarrow.compute.fill_null(bits_b, no_bits),
        _SEPARATOR,
    )


@lru_cache(maxsize=1 << 16)
def _measure(a: str, b: str, bits_a: str | None, bits_b: str | None) -> NameMeasure:
    return measure(a, b, bits_a, bits_b)


def name_similarity(a: str | None, b: str | None) -> float | None:
    """`names.similarity` to 4 decimals; None when either name is missing."""
    if a is None or b is None:
        return None
    return _measure(a, b, None, None)[0]


def name_information(
    a: str | None, b: str | None, bits_a: str | None, bits_b: str | None
) -> float | None:
    """The bits of the words names `a` and `b` agree on (`rarity`), given each name's word bits
    in this batch (`prepare` column `name_bits`); None when either name is missing."""
    if a is None or b is None:
        return None
    return _measure(a, b, bits_a, bits_b)[1]


def _name() -> ComparisonCreator:
    # The engine tests levels in order and, for each, asks Python for the pair's grade again
    # (a cached answer, but a crossing each time). So the cheap SQL levels come first, and the
    # grades follow from the most common among candidate pairs (unlike names) to the rarest
    # (the same rare full name). The order of levels is only the order of testing; each level's
    # weight is its own.
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("name"),
        cll.CustomLevel(f"NOT {_SHARE_A_KEY}", NO_NAME_WORD, base_dialect_str="duckdb"),
        cll.CustomLevel(
            f"{_GRADE} = {UNLIKE}", "some name words in common, no more", base_dialect_str="duckdb"
        ),
        cll.CustomLevel(
            f"{_GRADE} = {DIFFERENT_GIVEN}",
            "similar names, different given names",
            base_dialect_str="duckdb",
        ),
    ]
    for grade, (cut, bits) in reversed(list(enumerate(_GRADES))):
        label = f"name similarity at least {cut}" + (
            f", agreeing on {bits} bits" if bits is not None else ""
        )
        if bits is None and cut < NAME_LEVELS[0]:  # first: that grade, on a pair few records share
            levels.append(
                cll.CustomLevel(
                    f"{_GRADE} = {grade} AND {SHARE_A_RARE_PAIR}",
                    label + RARE_PAIR_LABEL,
                    base_dialect_str="duckdb",
                )
            )
        levels.append(cll.CustomLevel(f"{_GRADE} = {grade}", label, base_dialect_str="duckdb"))
    return CustomComparison(levels, "name", "Full name (any script, any order)")


def _date_of_birth() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.CustomLevel("dob_l IS NULL OR dob_r IS NULL", "date of birth missing").configure(
            is_null_level=True
        ),
        cll.CustomLevel("dob_full_l = dob_full_r", "same full date"),
        cll.CustomLevel("dob_swapped_l = dob_full_r", "day and month swapped"),
        cll.CustomLevel(
            "dob_year_l = dob_year_r AND (dob_full_l IS NULL OR dob_full_r IS NULL)",
            "same year, one date partial",
        ),
        cll.CustomLevel("dob_year_l = dob_year_r", "same year, different day"),
        # A year alone is often an estimate from a stated age: a year out is common for one
        # person, unlike two full dates a year apart (a typing slip, or two namesakes).
        cll.CustomLevel(
            "abs(CAST(dob_year_l AS INTEGER) - CAST(dob_year_r AS INTEGER)) <= 1 "
            "AND (dob_full_l IS NULL OR dob_full_r IS NULL)",
            "one year apart, one date partial",
        ),
        # One digit of the year mistyped, the day and month copied right.
        cll.CustomLevel(
            "substr(dob_full_l, 6) = substr(dob_full_r, 6)", "same day and month, another year"
        ),
        cll.CustomLevel(
            "abs(CAST(dob_year_l AS INTEGER) - CAST(dob_year_r AS INTEGER)) <= 1",
            "one year apart",
        ),
        cll.ElseLevel(),
    ]
    return CustomComparison(levels, "dob", "Date of birth")


def _exact_or_close(column: str, description: str, *, edits: int) -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column),
    ]
    if edits:
        levels.append(cll.LevenshteinLevel(column, edits))
    levels.append(cll.ElseLevel())
    return CustomComparison(levels, column, description)


def _phone() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("phone"),
        cll.ExactMatchLevel("phone"),
        cll.LevenshteinLevel("phone", 1),
        cll.CustomLevel("phone_stem_l = phone_stem_r", "same number but the last digits"),
        cll.ElseLevel(),
    ]
    return CustomComparison(levels, "phone", "Phone (E.164)")


# A file's document column mixes passports and identity cards: two numbers of different kinds
# (`documents.document_kind`) more than a character apart say nothing, as a missing one.
DOCUMENTS_APART = (
    "document_l IS NULL OR document_r IS NULL OR (document_kind_l <> document_kind_r "
    "AND levenshtein(document_l, document_r) > 1)"
)
DOCUMENTS_APART_LABEL = "document missing, or documents of different kinds"


def _document() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.CustomLevel(DOCUMENTS_APART, DOCUMENTS_APART_LABEL).configure(is_null_level=True),
        cll.ExactMatchLevel("document"),
        cll.LevenshteinLevel("document", 1),
        cll.ElseLevel(),  # two different numbers of one kind
    ]
    return CustomComparison(levels, "document", "Identity document number")


def _address() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("address"),
        cll.ExactMatchLevel("address"),
        cll.JaroWinklerLevel("address", 0.9),
        cll.JaroWinklerLevel("address", 0.75),
        cll.ElseLevel(),
    ]
    return CustomComparison(levels, "address", "Address (free text, normalised)")


def person_comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """The comparisons of Jusoor's person model, one per field."""
    return [
        _name(),
        _date_of_birth(),
        _exact_or_close("country", "Nationality (ISO 3166 alpha-2)", edits=0),
        _phone(),
        _document(),
        _address(),
    ]
