"""One person model: the trained linkage model as versioned data, and its answer to "is this the
same person?" for a pair, a batch, or one record against many (issue 20).

    model = PersonModel.train(records, region="JO")    # Splink, without labels
    model.save(Path("persons.model.json"))             # data: format, version, m and u
    model = PersonModel.load(Path("persons.model.json"))
    model.score(a, b)        # match probability of two records (dicts of INPUT_COLUMNS)
    model.explain(a, b)      # the same, field by field
    model.resolve(records)   # batch: every blocked pair scored by the engine, then clusters
    PersonIndex.from_model(model, records)   # one-record lookups (`linkage.lookup`)

A pair is scored in Python from the same levels and the same m and u the engine uses for a batch
(`levels`): the level of each field, its weight log2(m/u), the prior of the model. The test
`test_person_model.py` holds the two to the same answer on every candidate pair of a file. Names
are graded as the batch grades them; a pair scored alone has no batch to tell how rare its name
words are, so its name reaches only the levels that need no rarity (`name_bits` missing, and no
rare pair of words in `name_blocks`).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jusoor.entities.resolution.linkage.defaults import DEFAULT_THRESHOLD
from jusoor.entities.resolution.linkage.levels import FieldLevels, compile_levels
from jusoor.entities.resolution.linkage.outcome import Resolution
from jusoor.entities.resolution.linkage.prepare import Prepared, prepare_records

if TYPE_CHECKING:
    from jusoor.entities.resolution.linkage.linker import PersonLinkage

FORMAT = "jusoor-person-model"
# Raised when a saved model can no longer be read as it was trained: its comparisons, levels or
# the functions they call changed (`comparisons`, `prepare`).
VERSION = 4
Row = Mapping[str, Any]


class ModelFileError(ValueError):
    """A file that is not a saved person model, or one this version cannot use."""

    def __init__(self, path: Path, found: object = None) -> None:
        super().__init__(str(path))
        self.path = path
        self.found = found  # the version the file states, when it is a model of another version


@dataclass(frozen=True)
class FieldScore:
    """What one field of a pair said: the level it reached and its match weight in bits."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True)
class PairScore:
    probability: float
    weight: float
    fields: tuple[FieldScore, ...]


@dataclass(frozen=True)
class PersonModel:
    """A trained person model: Splink's settings with m and u (`splink`), the threshold that
    joins a record to its best match, and the region that reads local phone numbers."""

    splink: dict[str, Any]
    threshold: float = DEFAULT_THRESHOLD
    region: str | None = None
    _levels: tuple[FieldLevels, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._levels:
            object.__setattr__(self, "_levels", compile_levels(self.splink))

    # Data in and out.
    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "threshold": self.threshold,
            "region": self.region,
            "splink": self.splink,
        }

    def save(self, path: Path) -> None:
        """Write the model as JSON; `path` is replaced whole or not at all."""
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=1)
        _replace(path, text)

    @classmethod
    def load(cls, path: Path) -> PersonModel:
        """The model saved at `path`. Raises OSError when it cannot be read, `ModelFileError`
        when it is not a person model (`found` None) or one of another version (`found`)."""
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except ValueError:
            raise ModelFileError(path) from None
        if not isinstance(data, dict):
            raise ModelFileError(path)
        if data.get("format") != FORMAT:
            # Splink's own JSON, as earlier versions of Jusoor saved it.
            raise ModelFileError(path, "0" if "comparisons" in data else None)
        if data.get("version") != VERSION:
            raise ModelFileError(path, data.get("version", "?"))
        try:
            return cls(data["splink"], float(data["threshold"]), data.get("region"))
        except (KeyError, TypeError, ValueError):
            raise ModelFileError(path) from None

    # Training and batches (the engine).
    @classmethod
    def train(
        cls,
        records: Iterable[Mapping[str, str]],
        *,
        region: str | None = None,
        engine: str = "duckdb",
        threshold: float = DEFAULT_THRESHOLD,
    ) -> PersonModel:
        """A model trained on `records` without labels (`linkage.PersonLinkage.train`);
        raises `linker.TrainingFailed` when they cannot train one."""
        from jusoor.entities.resolution.linkage.linker import PersonLinkage

        linkage = PersonLinkage(prepare_records(records, region=region), engine=engine)
        linkage.train()  # its levels floored (`linkage.weight_floor`), as `resolve_file`'s are
        return cls(linkage.model(), threshold, region)

    def resolve(
        self,
        records: Iterable[Mapping[str, str]],
        *,
        engine: str = "duckdb",
        judgements: Mapping[tuple[str, str], str] | None = None,
    ) -> Resolution:
        """Each record's cluster and best match (dicts of `INPUT_COLUMNS`; see `resolve_rows`)."""
        return self.resolve_rows(
            prepare_records(records, region=self.region), engine=engine, judgements=judgements
        )

    def resolve_rows(
        self,
        rows: list[Prepared],
        *,
        engine: str = "duckdb",
        judgements: Mapping[tuple[str, str], str] | None = None,
    ) -> Resolution:
        """Score every blocked pair of prepared `rows` on `engine` and group them
        (`PersonLinkage.resolve`); people's judgements (`same` / `different`) win over the
        model (`linkage.clustering`). Raises `engines.EngineUnavailable`."""
        from jusoor.entities.resolution.linkage.linker import PersonLinkage

        linkage = PersonLinkage(rows, model=self.splink, engine=engine)
        return self.resolve_linkage(linkage, judgements)

    def resolve_linkage(
        self, linkage: PersonLinkage, judgements: Mapping[tuple[str, str], str] | None = None
    ) -> Resolution:
        """`resolve_rows` on a linker already holding the rows (the one just trained on them
        keeps the pairs it scored while training)."""
        result = linkage.resolve(self.threshold)
        if not judgements:
            return result
        clusters = linkage.clusters(list(result.clusters), result.pairs, self.threshold, judgements)
        return Resolution(clusters, result.best_match, result.pairs)

    def with_threshold(self, threshold: float) -> PersonModel:
        return PersonModel(self.splink, threshold, self.region, self._levels)

    # One pair (Python, the same levels and weights).
    @property
    def prior(self) -> float:
        """The log2 odds that two records picked at random are one person."""
        p = float(self.splink["probability_two_random_records_match"])
        return math.log2(p / (1 - p))

    def score_rows(self, a: Prepared | Row, b: Prepared | Row) -> PairScore:
        """The score of two prepared records (`prepare.prepare_record`)."""
        fields = tuple(FieldScore(*levels.grade(a, b)) for levels in self._levels)
        weight = self.prior + sum(f.weight for f in fields)
        return PairScore(_probability(weight), weight, fields)

    def score(self, a: Mapping[str, str], b: Mapping[str, str]) -> float:
        """The probability that records `a` and `b` (dicts of `INPUT_COLUMNS`) are one person."""
        return self.explain(a, b).probability

    def explain(self, a: Mapping[str, str], b: Mapping[str, str]) -> PairScore:
        """The probability of `a` and `b` being one person and each field's evidence."""
        left, right = prepare_records(
            [{"record_id": "a", **a}, {"record_id": "b", **b}], region=self.region
        )
        # Two records are no batch: their name words' rarity says nothing (see the module), nor
        # does a name pair they alone share.
        left["name_bits"] = right["name_bits"] = None
        left["name_blocks"] = right["name_blocks"] = []
        return self.score_rows(left, right)


def _probability(weight: float) -> float:
    if weight == -math.inf:
        return 0.0
    if weight > 1000:
        return 1.0
    return 1.0 / (1.0 + math.pow(2.0, -weight))


def _replace(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder: a reader never sees a
    half-written file, and a failure leaves the old one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
