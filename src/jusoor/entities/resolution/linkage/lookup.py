"""Candidate lookup: the likely matches of ONE new person record among many already indexed.

    index = PersonIndex.build(records, region="MR")      # records: dicts of `prepare.INPUT_COLUMNS`
    index.candidates({"full_name": "OULD AKIK Mohamed Lamine", ...}, limit=10)
    # → [(record_id, probability, explanation), ...], most likely first

Batch linkage (`linkage`) compares every blocked pair of a file; a case worker entering one person
needs the few records worth a look, at once. Each record is reduced (`prepare.prepare_record`) to
the keys batch linkage blocks on — cross-script name key, pairs of name word keys (alone and with
the birth year), phone, phone stem, document, full date of birth — and the index keeps them as one
sorted array of 64-bit key hashes beside the record positions: a lookup is a binary search per
key, and the memory is about 12 bytes a key. Keys shared by too many records (a common pair such
as "Mohamed Ahmed") are skipped; their year-qualified form still finds the person. Candidates
sharing the rarest keys are then scored field by field, with `names.similarity` for the names, and
the evidence is summed as match weights (log2 Bayes factors, `WEIGHTS`) into a probability.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

from jusoor.entities.resolution.linkage.comparisons import name_similarity
from jusoor.entities.resolution.linkage.linker import FieldEvidence
from jusoor.entities.resolution.linkage.prepare import Prepared, prepare_record

if TYPE_CHECKING:
    from jusoor.entities.resolution.model import PersonModel

MAX_POSTING = 2500  # a key shared by more records than this finds nobody in particular
SCORED = 250  # candidates (sharing the rarest keys) scored in full
INDEX_PAIRS = 8  # name-word pairs indexed per record (the given and family names come first)
MATCHES_PER_RECORD = 1.0  # other records of the same person an indexed set holds, on average
# Match weights of each field level: log2(m/u) of the batch model trained without labels on
# synthetic files (tuning seed 11, not the held-out one), rounded; disagreements are capped at -10
# (the trained model is surer than any real file allows). Missing fields weigh 0.
WEIGHTS: dict[str, dict[str, float]] = {
    "name": {
        "exact": 11.8,
        "key": 11.0,
        "0.9": 10.9,
        "0.75": 9.4,
        "0.6": 7.8,
        "0.45": 1.6,
        "else": -8.2,
    },
    "dob": {"full": 11.4, "swapped": 11.2, "year_partial": 4.9, "year": 0.0, "near": 0.3},
    "country": {"same": 2.0, "else": -10.0},
    "phone": {"same": 11.3, "stem": 9.6, "else": -10.0},
    "document": {"same": 11.6, "else": -10.0},
}
WEIGHTS["dob"]["else"] = -10.0
Candidate = tuple[str, float, tuple[FieldEvidence, ...]]
_FIELDS = (
    "name",
    "name_key",
    "dob_full",
    "dob_year",
    "dob_swapped",
    "country",
    "phone",
    "phone_stem",
    "document",
)


def _keys(row: Prepared) -> list[str]:
    """The lookup keys of a prepared record (see the module's description)."""
    pairs = cast(list[str], row["name_pairs"] or [])[:INDEX_PAIRS]
    year = row["dob_year"]
    keys = [f"p{pair}" for pair in pairs]
    if year is not None:
        keys += [f"y{year}{pair}" for pair in pairs]
    for prefix, column in (
        ("k", "name_key"),
        ("t", "phone"),
        ("s", "phone_stem"),
        ("d", "document"),
        ("b", "dob_full"),
    ):
        if row[column]:
            keys.append(f"{prefix}{row[column]}")
    return keys


def _hashes(keys: Iterable[str]) -> npt.NDArray[np.int64]:
    return np.fromiter((hash(key) for key in keys), dtype=np.int64)


@dataclass(frozen=True)
class _Record:
    record_id: str
    name: str | None
    name_key: str | None
    dob_full: str | None
    dob_year: str | None
    dob_swapped: str | None
    country: str | None
    phone: str | None
    phone_stem: str | None
    document: str | None


def _record(row: Prepared) -> _Record:
    values = {field: cast(str | None, row[field]) for field in _FIELDS}
    return _Record(str(row["unique_id"]), **values)


class PersonIndex:
    """An in-memory index of person records for `candidates` lookups."""

    def __init__(
        self,
        records: list[_Record],
        keys: npt.NDArray[np.int64],
        positions: npt.NDArray[np.int32],
        region: str | None,
        model: tuple[PersonModel, list[Prepared]] | None = None,
    ) -> None:
        self._records = records
        self._keys = keys
        self._positions = positions
        self._region = region
        self._model = model

    @classmethod
    def from_model(cls, model: PersonModel, records: Iterable[Mapping[str, str]]) -> PersonIndex:
        """Index `records` to be scored by `model` itself (`PersonModel.score_rows`: its levels,
        m, u and prior), reading phones in the model's region. As for one pair scored alone,
        name words carry no rarity (`resolution.model`)."""
        rows: list[Prepared] = []
        index = cls.build(records, region=model.region, keep=rows)
        for row in rows:
            row["name_bits"] = None
        return cls(index._records, index._keys, index._positions, model.region, (model, rows))

    @classmethod
    def build(
        cls,
        records: Iterable[Mapping[str, str]],
        *,
        region: str | None = None,
        keep: list[Prepared] | None = None,
    ) -> PersonIndex:
        """Index `records` (dicts with `prepare.INPUT_COLUMNS`; `region` reads local phones),
        scored with the weights of `WEIGHTS`; `keep` receives the prepared records."""
        kept: list[_Record] = []
        hashes: list[npt.NDArray[np.int64]] = []
        owners: list[npt.NDArray[np.int32]] = []
        for position, record in enumerate(records):
            row = prepare_record(record, region=region)
            kept.append(_record(row))
            if keep is not None:
                keep.append(row)
            keyed = _hashes(_keys(row))
            hashes.append(keyed)
            owners.append(np.full(len(keyed), position, dtype=np.int32))
        all_keys = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.int64)
        all_owners = np.concatenate(owners) if owners else np.empty(0, dtype=np.int32)
        order = np.argsort(all_keys, kind="stable")
        return cls(kept, all_keys[order], all_owners[order], region)

    def __len__(self) -> int:
        return len(self._records)

    def candidates(self, record: Mapping[str, str], limit: int = 10) -> list[Candidate]:
        """The `limit` indexed records most likely the same person as `record`, most likely
        first: (record_id, match probability, the evidence each field added)."""
        row = prepare_record({"record_id": "", **record}, region=self._region)
        wanted = _hashes(_keys(row))
        starts = np.searchsorted(self._keys, wanted, side="left")
        ends = np.searchsorted(self._keys, wanted, side="right")
        spans = [(s, e) for s, e in zip(starts, ends, strict=True) if 0 < e - s <= MAX_POSTING]
        if not spans:
            return []
        # A shared key counts for more the fewer records share it (a phone, not a common name).
        found = np.concatenate([self._positions[s:e] for s, e in spans])
        rarity = np.concatenate([np.full(e - s, 1.0 / (e - s)) for s, e in spans])
        positions, inverse = np.unique(found, return_inverse=True)
        strength = np.bincount(inverse, weights=rarity)
        best = positions[np.argsort(-strength, kind="stable")[:SCORED]]
        if self._model is not None:
            row["name_bits"] = None
            scored = [self._score_by_model(row, int(p)) for p in best]
            scored.sort(key=lambda candidate: -candidate[1])
            return scored[:limit]
        query = _record(row)
        prior = math.log2(MATCHES_PER_RECORD / max(len(self._records), 2))
        scored = [self._score(query, self._records[int(p)], prior) for p in best]
        scored.sort(key=lambda candidate: -candidate[1])
        return scored[:limit]

    def scan(self, record: Mapping[str, str], limit: int = 10) -> list[Candidate]:
        """`candidates` without the index: every record scored (the baseline it is measured
        against in bench/lookup_bench.py; linear in the size of the set)."""
        query = _record(prepare_record({"record_id": "", **record}, region=self._region))
        prior = math.log2(MATCHES_PER_RECORD / max(len(self._records), 2))
        scored = [self._score(query, other, prior) for other in self._records]
        scored.sort(key=lambda candidate: -candidate[1])
        return scored[:limit]

    def _score_by_model(self, row: Prepared, position: int) -> Candidate:
        model, rows = cast(tuple["PersonModel", list[Prepared]], self._model)
        found = model.score_rows(row, rows[position])
        evidence = tuple(FieldEvidence(f.field, f.level, f.weight) for f in found.fields)
        return self._records[position].record_id, found.probability, evidence

    @staticmethod
    def _score(query: _Record, other: _Record, prior: float) -> Candidate:
        evidence = tuple(
            FieldEvidence(field, level, WEIGHTS[field][level])
            for field, level in _levels(query, other)
        )
        weight = prior + sum(item.weight for item in evidence)
        probability = 1.0 / (1.0 + math.pow(2.0, -weight))
        return other.record_id, probability, evidence


def _levels(a: _Record, b: _Record) -> list[tuple[str, str]]:
    """The level each field of two records reaches (fields missing on either side left out)."""
    levels: list[tuple[str, str]] = []
    if a.name and b.name:
        levels.append(("name", _name_level(a, b)))
    if a.dob_year and b.dob_year:
        levels.append(("dob", _dob_level(a, b)))
    if a.country and b.country:
        levels.append(("country", "same" if a.country == b.country else "else"))
    if a.phone and b.phone:
        stem = a.phone_stem is not None and a.phone_stem == b.phone_stem
        levels.append(("phone", "same" if a.phone == b.phone else "stem" if stem else "else"))
    if a.document and b.document:
        levels.append(("document", "same" if a.document == b.document else "else"))
    return levels


def _name_level(a: _Record, b: _Record) -> str:
    if a.name == b.name:
        return "exact"
    if a.name_key and a.name_key == b.name_key:
        return "key"
    similarity = name_similarity(a.name, b.name) or 0.0
    return next((c for c in ("0.9", "0.75", "0.6", "0.45") if similarity >= float(c)), "else")


def _dob_level(a: _Record, b: _Record) -> str:
    if a.dob_full and a.dob_full == b.dob_full:
        return "full"
    if a.dob_swapped and a.dob_swapped == b.dob_full:
        return "swapped"
    if a.dob_year == b.dob_year:
        return "year_partial" if not (a.dob_full and b.dob_full) else "year"
    if abs(int(cast(str, a.dob_year)) - int(cast(str, b.dob_year))) <= 1:
        return "near"
    return "else"
