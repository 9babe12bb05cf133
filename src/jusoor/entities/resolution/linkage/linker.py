"""Batch linkage of person records with Splink: train without labels, predict, cluster, explain.

    linker = PersonLinkage(prepare_records(rows, region="MR"))
    linker.train()                          # or PersonLinkage(prepared, model=Path("m.json"))
    linker.save(Path("m.json"))
    result = linker.resolve(threshold=0.6)  # record_id → cluster, best match probability
    linker.explain("rec-1", "rec-2")        # the evidence each field added

The same class runs any Splink settings over any prepared columns (the generic baselines in
`bench/linkage_baselines.py` use it too); Jusoor's own model is `settings.person_settings`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import pyarrow  # type: ignore[import-untyped]
from splink import Linker, SettingsCreator
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.duckdb.database_api import DuckDBAPI
from splink.internals.exceptions import EMTrainingException
from splink.internals.splink_dataframe import SplinkDataFrame

from jusoor.entities.resolution.linkage import settings as person_model
from jusoor.entities.resolution.linkage.arrow_rows import as_arrow, prepared_row, scored_pairs
from jusoor.entities.resolution.linkage.clustering import cluster
from jusoor.entities.resolution.linkage.comparisons import (
    NAME_LEVEL_SQL,
    PAIR_HASH_SQL,
    SHARE_A_PAIR,
    forget_grades,
)
from jusoor.entities.resolution.linkage.contrast import contrast_u
from jusoor.entities.resolution.linkage.defaults import DEFAULT_THRESHOLD
from jusoor.entities.resolution.linkage.engine_sql import EngineDialect
from jusoor.entities.resolution.linkage.engines import open_engine
from jusoor.entities.resolution.linkage.evidence import both_sides, pair_weights
from jusoor.entities.resolution.linkage.name_measures import forget_word_pairs
from jusoor.entities.resolution.linkage.name_slices import measure_slices
from jusoor.entities.resolution.linkage.outcome import Resolution
from jusoor.entities.resolution.linkage.rising_weights import rank, rising_u
from jusoor.entities.resolution.linkage.weight_floor import M_PSEUDO_SHARE, floored_m

EDGE_FLOOR = 0.05  # pairs scored below this are not kept as edges at all
U_SAMPLE_PAIRS = 4e5  # random pairs for Splink's u, which EM starts from (then `contrast`)
ASSUMED_RULE_RECALL = 0.6  # share of true pairs the deterministic rules are taken to find
CONTRAST_PAIRS = 2e6  # random pairs for `contrast`: the rarest name levels need many
CALIBRATION_FLOOR = 0.001  # candidate pairs below this probability count as no match at all
CALIBRATION_ROUNDS = 50
# Distinct candidate name pairs measured per slice (`_measure_names`): the Python side of one
# slice (its keys, its word arrays) stays bounded whatever the batch. DuckDB hands out at most
# a row group (122,880 rows) at a time, so a larger slice would be cut unevenly.
NAME_SLICE = 122_880
NAME_PAIRS_TABLE = "__jusoor_name_pairs"  # the distinct candidate name pairs, while measured
Row = dict[str, Any]
Step = Callable[[str, int, int], object]  # step, done, total: what the CLI's progress shows
# Columns only Jusoor's prepared records have: the generic baselines
# (`bench/linkage_baselines.py`) group their pairs without the model's conflicts, as generic
# Splink would.
JUSOOR_COLUMNS = ("name_pairs", "name_bits")
# Two records whose fields the model weighs this far against one person (odds of 1 to 8) are
# never grouped together (see `PersonLinkage.clusters`). On the held-out files, 3 bits kept
# precision above 0.97 at 100,000 records where 10 did not, at no cost in recall (5,000
# people, 100,000 records, Febrl3/4 alike).
CONFLICT_BITS = 3.0


@dataclass(frozen=True)
class TrainingPlan:
    """How a model's parameters are estimated without labels."""

    em_rules: Sequence[BlockingRuleCreator | str]
    deterministic_rules: Sequence[BlockingRuleCreator | str]
    seed: int = 1
    calibrate: bool = False  # re-estimate the match rate from the model (`calibrate_match_rate`)
    # u of each field counted where its witness field disagrees (`contrast`); empty: Splink's
    witnesses: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # Each m drawn towards its u by this pseudo-count once trained (`weight_floor`); None: as
    # estimated (the generic baselines).
    m_floor_share: float | None = None


JUSOOR_PLAN = TrainingPlan(
    person_model.training_rules(),
    person_model.deterministic_rules(),
    calibrate=True,
    witnesses=person_model.U_WITNESSES,
    m_floor_share=M_PSEUDO_SHARE,
)


@dataclass(frozen=True)
class FieldEvidence:
    """What one field of a pair said: the level it reached and the match weight (log2 of the
    Bayes factor) it added; positive is evidence for the same person."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True)
class PairExplanation:
    record_a: str
    record_b: str
    probability: float
    weight: float
    fields: tuple[FieldEvidence, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "record_a": self.record_a,
            "record_b": self.record_b,
            "match_probability": round(self.probability, 6),
            "match_weight": round(self.weight, 3),
            "fields": [
                {"field": f.field, "level": f.level, "weight": round(f.weight, 3)}
                for f in self.fields
            ],
        }


class TrainingFailed(ValueError):
    """The records cannot train a model without labels: too few, or too few pairs that share
    what the training compares (a birth date, a name, a document), or all alike."""


class PersonLinkage:
    """A Splink linker over prepared rows (each with a `unique_id`) on one engine.

    The rows are given as dictionaries or, for a large batch, as one Arrow table of them
    (`as_arrow`): a million prepared records take some 2 GB as dictionaries and a tenth of
    that as columns. `on_step` hears each step of training and scoring (step, done, total)."""

    def __init__(
        self,
        rows: list[Row] | Any,
        *,
        model: SettingsCreator | Path | dict[str, Any] | None = None,
        engine: str = "duckdb",
        on_step: Step | None = None,
    ) -> None:
        records = rows if isinstance(rows, pyarrow.Table) else as_arrow(rows)
        self.records = records
        self.ids: list[str] = (
            [str(i) for i in records.column("unique_id").to_pylist()] if records.num_rows else []
        )
        self._checks_conflicts = records.num_rows > 0 and all(
            c in records.column_names for c in JUSOOR_COLUMNS
        )
        self._step: Step = on_step or (lambda step, done, total: None)
        api = open_engine(engine)
        self._api = api
        self.table = api.register(records, dataset_display_name="persons")
        chosen = person_model.person_settings() if model is None else model
        # The model's SQL is DuckDB's; another engine gets it translated (`engine_sql`).
        self._dialect = EngineDialect(engine)
        settings = self._dialect.settings(chosen)
        self.linker = Linker(
            self.table,
            str(settings) if isinstance(settings, Path) else settings,
            log_level=logging.ERROR,
        )
        self._scored: list[tuple[str, str, float]] | None = None  # by `calibrate_match_rate`

    def train(self, plan: TrainingPlan = JUSOOR_PLAN) -> None:
        """Estimate the model: the match rate from deterministic rules, u from random pairs,
        m by expectation maximisation on the plan's blocks, then u again from contrasting pairs
        where the plan names witnesses (`contrast`). No labels are used. Raises
        `TrainingFailed` when the records cannot train a model (see the class)."""
        try:
            self._train(plan)
        except (ZeroDivisionError, EMTrainingException, ValueError) as exc:
            # Splink divides by the pairs found, refuses EM on an empty block, and refuses a
            # match rate above what the rules' recall allows: each says the data is too thin.
            raise TrainingFailed(str(exc)) from exc

    def _train(self, plan: TrainingPlan) -> None:
        training = self.linker.training
        self._step("match_rate", 0, 1)
        training.estimate_probability_two_random_records_match(
            list(plan.deterministic_rules), recall=ASSUMED_RULE_RECALL
        )
        self._step("match_rate", 1, 1)
        self._step("u", 0, 1)
        training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=plan.seed)
        self._step("u", 1, 1)
        self._step("em", 0, len(plan.em_rules))
        for rule in plan.em_rules:
            self._measure_training_names(rule)
            training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0
            )
            self._step("em", 1, len(plan.em_rules))
        # u from contrasting pairs replaces Splink's after EM, not before: on the tuning and the
        # held-out seeds alike, m estimated against Splink's u and then scored against the
        # contrasting u gave the better recall at the same precision (bench/linkage_bench.py).
        if plan.witnesses:
            self._step("contrast", 0, 1)
            self._set_u(self._contrast_estimates(plan.witnesses, plan.seed))
            self._step("contrast", 1, 1)
        # Floored before the match rate is calibrated: the rate is that of the model used, and
        # the pairs calibration scores are the ones `resolve` groups.
        if plan.m_floor_share is not None:
            self._floor_m(plan.m_floor_share)
        self._rising_name_weights()
        if plan.calibrate:
            self.calibrate_match_rate()

    def _contrast_estimates(
        self, witnesses: Mapping[str, tuple[str, str]], seed: int
    ) -> dict[str, dict[int, float]]:
        """u, field by field, counted among random pairs whose witness field disagrees
        outright (see `contrast`): u free of the true matches in the sample."""
        return contrast_u(
            self.linker,
            self.table.physical_name,
            self.ids,
            witnesses,
            pairs=CONTRAST_PAIRS,
            seed=seed,
        )

    def _floor_m(self, share: float) -> None:
        """Every level's m drawn towards its u (`weight_floor`): no field vetoes a pair."""
        for comparison in self.linker._settings_obj.comparisons:
            for level in comparison.comparison_levels:
                if level.is_null_level:  # Splink keeps no m for it
                    continue
                m, u = level.m_probability, level.u_probability
                if m is not None and u is not None:
                    level.m_probability = floored_m(m, u, share)

    def _rising_name_weights(self) -> None:
        """Within each similarity cut, a name level no random pair reached weighs at least
        what the levels of fewer bits weigh (`rising_weights`)."""
        tiers: dict[float, list[tuple[float, Any]]] = {}
        for comparison in self.linker._settings_obj.comparisons:
            if comparison.output_column_name != "name":
                continue
            for level in comparison.comparison_levels:
                ranked = rank(level.label_for_charts)
                if ranked is not None and level.m_probability and level.u_probability:
                    tiers.setdefault(ranked[0], []).append((ranked[1], level))
        for tier in tiers.values():
            tier.sort(key=lambda item: item[0])
            levels = [level for _bits, level in tier]
            pairs = [(level.m_probability, level.u_probability) for level in levels]
            for level, u in zip(levels, rising_u(pairs), strict=True):
                level.u_probability = u

    def _set_u(self, estimates: Mapping[str, Mapping[int, float]]) -> None:
        for comparison in self.linker._settings_obj.comparisons:
            for level in comparison.comparison_levels:
                found = estimates.get(comparison.output_column_name, {})
                if not level.is_null_level and int(level.comparison_vector_value) in found:
                    level.u_probability = found[int(level.comparison_vector_value)]

    def calibrate_match_rate(self) -> float:
        """Re-estimate how rare a match is from the model itself, without labels.

        The deterministic rules find only part of the true pairs, so their guess of the share
        of matching pairs is low, and every probability with it. Given m and u, the expected
        number of matches is the sum of the candidate pairs' match probabilities, which
        depend on that share: iterate to the fixed point (the EM update of λ alone), with
        pairs outside the blocks taken as non-matches. Returns the new share."""
        settings = self.linker._settings_obj
        prior = settings._probability_two_random_records_match
        predictions = self._predict(CALIBRATION_FLOOR)
        table = predictions.physical_name  # Splink's own name, not input
        sql = f"SELECT round(match_weight, 2) AS w, count(*) AS n FROM {table} GROUP BY 1"  # noqa: S608
        histogram = self.linker.misc.query_sql(sql).as_record_list()  # type: ignore[no-untyped-call]
        n = len(self.ids)
        all_pairs = n * (n - 1) / 2
        prior_log_odds = math.log2(prior / (1 - prior))
        factors = [(2 ** (float(row["w"]) - prior_log_odds), int(row["n"])) for row in histogram]
        rate = prior
        for _ in range(CALIBRATION_ROUNDS):
            odds = rate / (1 - rate)
            expected = sum(count * f * odds / (1 + f * odds) for f, count in factors)
            rate = min(max(expected / all_pairs, 1 / all_pairs), 0.5)
        settings._probability_two_random_records_match = rate
        # The pairs scored here, rescored at the new rate, spare `resolve` scoring them again.
        shift = math.log2(rate / (1 - rate)) - prior_log_odds
        floor = math.log2(EDGE_FLOOR / (1 - EDGE_FLOOR)) - shift
        sql = (
            f"SELECT unique_id_l, unique_id_r, 1 / (1 + pow(2, -(match_weight + {shift!r}))) "  # noqa: S608
            f"AS match_probability FROM {table} WHERE match_weight >= {floor!r}"
        )
        kept = self._query_arrow(sql)
        predictions.drop_table_from_database_and_remove_from_cache()
        self._scored = scored_pairs(kept)
        return rate

    def _query_arrow(self, sql: str) -> Any:
        """The result of `sql` on the engine as an Arrow table (no dictionary per row)."""
        found = self.linker.misc.query_sql(sql)  # type: ignore[no-untyped-call]
        try:
            return found.as_pyarrow_table()
        finally:
            found.drop_table_from_database_and_remove_from_cache()

    def _predict(self, floor: float) -> SplinkDataFrame:
        """Splink's predictions down to probability `floor`, the candidate pairs' names measured
        all at once beforehand where the engine runs in this process (`_measure_names`)."""
        self._step("block", 0, 0)
        blocked = self.linker.inference.compute_blocked_pairs_for_predict()
        counted = self.linker.misc.query_sql(  # type: ignore[no-untyped-call]
            f"SELECT count(*) AS n FROM {blocked.physical_name}"  # noqa: S608 - Splink's name
        )
        candidates = int(counted.as_record_list()[0]["n"])
        counted.drop_table_from_database_and_remove_from_cache()
        self._step("block", candidates, candidates)  # the total is the candidate pairs found
        try:
            self._measure_names(blocked.physical_name)
            self._step("score", 0, 1)
            # Only the ids and the weight are read from the predictions: the matching columns
            # and every level's weight, kept by default for each of tens of millions of pairs,
            # are not asked for (`explain` scores its pair apart, and keeps them).
            settings = self.linker._settings_obj
            kept = (
                settings._retain_matching_columns,
                settings._retain_intermediate_calculation_columns,
            )
            settings._retain_matching_columns = False
            settings._retain_intermediate_calculation_columns = False
            try:
                scored = self.linker.inference.predict(
                    threshold_match_probability=floor, warning_mode="never"
                )
            finally:
                (
                    settings._retain_matching_columns,
                    settings._retain_intermediate_calculation_columns,
                ) = kept
            self._step("score", 1, 1)
            return scored
        finally:
            blocked.drop_table_from_database_and_remove_from_cache()

    def _measure_names(self, blocked: str) -> None:
        """Measure the distinct name pairs among the candidate pairs in `blocked` together
        (`_measure_pairs`)."""
        table = self.table.physical_name
        self._measure_pairs(
            f"{blocked} AS q JOIN {table} AS l ON l.unique_id = q.join_key_l "
            f"JOIN {table} AS r ON r.unique_id = q.join_key_r"
        )

    def _measure_training_names(self, rule: BlockingRuleCreator | str) -> None:
        """Measure the distinct name pairs of a training rule's pairs together, as Splink's
        expectation maximisation will make them (each pair once, the lesser id on the left):
        graded one at a time as the engine met them, they took half of training's time."""
        sql = rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
        table = self.table.physical_name
        self._measure_pairs(
            f"{table} AS l JOIN {table} AS r ON ({sql}) WHERE l.unique_id < r.unique_id",
            step=None,  # heard as training's step
        )

    def _measure_pairs(self, pairs: str, step: str | None = "names") -> None:
        """Measure the distinct name pairs of the record pairs `pairs` (SQL: what follows FROM,
        records `l` and `r`) together (`name_slices`), before the engine asks for them: graded
        one at a time as it meets them, they would take most of a large batch's time. The
        distinct pairs stay in the engine (which spills to disk past its memory limit,
        `engines`) and come out `NAME_SLICE` at a time, measured in worker processes when
        many, so that the Python side of a million records' pairs stays bounded; a pair's
        measure does not depend on its slice. Only for Jusoor's model on DuckDB, whose name
        function runs in this process. `step`: the step that hears each slice measured."""
        if not isinstance(self._api, DuckDBAPI) or NAME_LEVEL_SQL not in json.dumps(self.model()):
            return
        forget_grades()  # an earlier batch's: memory for this one's
        sides = both_sides(["name", "name_bits", "name_pairs"])
        connection = self._api.duckdb_con
        connection.execute(f"""
            CREATE OR REPLACE TEMP TABLE {NAME_PAIRS_TABLE} AS
            WITH p AS (SELECT {sides} FROM {pairs})
            SELECT DISTINCT name_l, name_r, name_bits_l, name_bits_r,
                {PAIR_HASH_SQL.format("name_l", "name_r", "name_bits_l", "name_bits_r")} AS h
            FROM p
            WHERE name_l IS NOT NULL AND name_r IS NOT NULL AND {SHARE_A_PAIR}
        """)  # noqa: S608 - table names are Splink's; columns are the prepared names
        try:
            total = int(connection.sql(f"SELECT count(*) FROM {NAME_PAIRS_TABLE}").fetchall()[0][0])  # noqa: S608
            if step is not None:
                self._step(step, 0, total)
            reader = connection.sql(f"SELECT * FROM {NAME_PAIRS_TABLE}").to_arrow_reader(NAME_SLICE)  # noqa: S608
            measure_slices(
                reader,
                total,
                None if step is None else lambda count: self._step(step, count, total),
            )
        finally:
            connection.execute(f"DROP TABLE IF EXISTS {NAME_PAIRS_TABLE}")
            forget_word_pairs()  # the engine asks for the names' grades, not their words'

    def save(self, path: Path) -> None:
        """Write the trained model (settings and parameters) as JSON, replacing `path`."""
        path.write_text(json.dumps(self.model(), indent=2), encoding="utf-8")

    def model(self) -> dict[str, Any]:
        """The model as Splink saves it, with the m and u Splink falls back on where training
        left a level without an estimate written out, so that the data alone scores a pair as
        this linker does (`resolution.model`)."""
        result = self._dialect.neutral(self.linker.misc.save_model_to_json())
        live = self.linker._settings_obj.comparisons
        for saved, comparison in zip(result["comparisons"], live, strict=True):
            for level_data, level in zip(
                saved["comparison_levels"], comparison.comparison_levels, strict=True
            ):
                if level.is_null_level:
                    continue
                for name in ("m_probability", "u_probability"):
                    value = getattr(level, name)
                    if level_data.get(name) is None and value is not None:
                        level_data[name] = value
        return result

    def resolve(self, threshold: float = DEFAULT_THRESHOLD) -> Resolution:
        """Score the blocked pairs and group records: sure pairs (see `clustering`) join freely,
        weaker ones down to `threshold` only as a record's best match."""
        if self._scored is not None and threshold >= EDGE_FLOOR:
            pairs = self._scored
        else:
            predictions = self._predict(min(EDGE_FLOOR, threshold))
            table = predictions.physical_name  # Splink's own name, not input
            sql = f"SELECT unique_id_l, unique_id_r, match_probability FROM {table}"  # noqa: S608
            kept = self._query_arrow(sql)
            predictions.drop_table_from_database_and_remove_from_cache()
            pairs = scored_pairs(kept)
        self._step("cluster", 0, 1)
        clusters = self.clusters(self.ids, pairs, threshold)
        self._step("cluster", 1, 1)
        best: dict[str, float] = dict.fromkeys(self.ids, 0.0)
        for a, b, probability in pairs:
            best[a] = max(best[a], probability)
            best[b] = max(best[b], probability)
        return Resolution(clusters, best, pairs)

    def clusters(
        self,
        records: list[str],
        pairs: list[tuple[str, str, float]],
        threshold: float,
        judgements: Mapping[tuple[str, str], str] | None = None,
    ) -> dict[str, str]:
        """`clustering.cluster`, keeping apart records the model itself tells apart, and
        those people judged `different` (`judgements`, which win over the model).

        A first grouping ignores contradictions; then the model weighs every pair of records
        grouped together (`evidence.pair_weights`: blocked or not, every field at its level),
        and the grouping is made again with the pairs it weighs at `CONFLICT_BITS` or more
        against one person as conflicts. Groups can only split: the first grouping holds every
        pair the second could join."""
        if not self._checks_conflicts:
            return cluster(records, pairs, threshold, judgements=judgements)
        first = cluster(records, pairs, threshold, judgements=judgements)
        members: dict[str, list[str]] = {}
        for record, group in first.items():
            members.setdefault(group, []).append(record)
        # A scored pair is a candidate above EDGE_FLOOR: far from a conflict. Weigh the others.
        scored = {(a, b) if a < b else (b, a) for a, b, p in pairs if p >= EDGE_FLOOR}
        grouped = [
            (a, b)
            for group in members.values()
            if len(group) > 2
            for a, b in combinations(sorted(group), 2)
            if (a, b) not in scored
        ]
        weights = pair_weights(self.linker, self.table.physical_name, grouped)

        def against(a: str, b: str) -> bool:
            return weights.get((a, b) if a < b else (b, a), 0.0) <= -CONFLICT_BITS

        return cluster(records, pairs, threshold, against, judgements)

    def row(self, record_id: str) -> Row:
        """The prepared record `record_id`, as a dictionary (`KeyError` when there is none)."""
        return prepared_row(self.records, record_id)

    def explain(self, record_a: str, record_b: str) -> PairExplanation:
        """The match probability of two records and the evidence each field added to it."""
        left, right = self.row(record_a), self.row(record_b)
        scored = self.linker.inference.score_pair(left, right).as_record_list()[0]
        fields = []
        for comparison in self.model()["comparisons"]:
            name = comparison["output_column_name"]
            gamma = int(scored[f"gamma_{name}"])
            fields.append(
                FieldEvidence(
                    name,
                    _level_label(comparison["comparison_levels"], gamma),
                    float(scored[f"mw_{name}"]),
                )
            )
        return PairExplanation(
            record_a,
            record_b,
            float(scored["match_probability"]),
            float(scored["match_weight"]),
            tuple(fields),
        )


def _level_label(levels: list[dict[str, Any]], gamma: int) -> str:
    """The label of the level with comparison vector value `gamma` (-1 is the null level;
    the other levels count down from the strongest)."""
    if gamma == -1:
        return "missing"
    ordinary = [level for level in levels if not level.get("is_null_level")]
    level = ordinary[len(ordinary) - 1 - gamma]
    return str(level.get("label_for_charts") or level["sql_condition"])
