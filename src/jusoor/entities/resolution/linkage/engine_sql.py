"""The model's SQL in the dialect of the engine that runs it, and back.

The person model's levels and blocking rules are written, trained and saved in DuckDB's SQL: a
saved model is the same file whichever engine trained it. Spark gets a translation (sqlglot,
as Splink itself uses), with the functions sqlglot does not carry over mapped by hand: DuckDB's
`list_has_any` (sqlglot writes `&&`, which Spark does not know), `len` of a list (sqlglot writes
the length of a string) and `jaro_winkler_similarity` (Splink's jar registers `jaro_winkler`):

    dialect = EngineDialect("spark")
    linker = Linker(table, dialect.settings(person_settings()), ...)
    saved = dialect.neutral(linker.misc.save_model_to_json())   # DuckDB's SQL again

In the model's SQL `len` only ever measures a list (of name keys); strings are compared whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlglot
from splink import SettingsCreator
from sqlglot import exp

from jusoor.entities.resolution.linkage.comparisons import NAME_LEVEL_SQL

MODEL_DIALECT = "duckdb"  # the dialect the model's SQL is written and saved in
Settings = SettingsCreator | Path | dict[str, Any]


def _spark_lists(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ArrayOverlaps):
        return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
    if isinstance(node, exp.Length):
        return exp.Anonymous(this="size", expressions=[node.this])
    if isinstance(node, exp.JarowinklerSimilarity):  # Splink's jar registers it on Spark
        return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
    return node


def _guard_python(node: exp.Expression) -> exp.Expression:
    """In a CASE branch, the name function gets its first argument only where the branch's
    condition holds. DuckDB calls it only for those rows; Spark evaluates a Python function on
    every row before the CASE, and a missing name is answered at once (`name_levels`)."""
    if not isinstance(node, exp.If):
        return node
    for call in node.args["true"].find_all(exp.Anonymous):
        if call.name.lower() == NAME_LEVEL_SQL and call.expressions:
            first = call.expressions[0]
            guarded = exp.If(this=node.this.copy(), true=first.copy(), false=exp.Null())
            first.replace(guarded)
    return node


def to_spark(sql: str) -> str:
    """A condition or blocking rule in DuckDB's SQL, in Spark's."""
    if sql.strip().upper() == "ELSE":  # Splink's own word for the last level
        return sql
    tree = sqlglot.parse_one(sql, read=MODEL_DIALECT).transform(_spark_lists)
    return tree.transform(_guard_python).sql(dialect="spark")


class EngineDialect:
    """Translation of a model's settings to one engine's SQL (`settings`) and of the trained
    settings back to the model's own (`neutral`); for DuckDB both are the identity."""

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self._originals: dict[str, str] = {}  # engine's SQL → the model's

    def _translate(self, sql: str) -> str:
        translated = to_spark(sql)
        self._originals[translated] = sql
        return translated

    def settings(self, settings: Settings) -> Settings:
        """`settings` (a creator, a saved JSON file or its dictionary, in DuckDB's SQL) as the
        engine runs them."""
        if self.engine == MODEL_DIALECT:
            return settings
        data = _as_dict(settings)
        for comparison in data.get("comparisons", []):
            for level in comparison["comparison_levels"]:
                level["sql_condition"] = self._translate(level["sql_condition"])
        rules = data.get("blocking_rules_to_generate_predictions", [])
        for i, rule in enumerate(rules):
            if isinstance(rule, str):  # Splink also reads a rule as bare SQL
                rules[i] = rule = {"blocking_rule": rule}
            rule["blocking_rule"] = self._translate(rule["blocking_rule"])
            rule["sql_dialect"] = self.engine
        data["sql_dialect"] = self.engine
        return data

    def neutral(self, saved: dict[str, Any]) -> dict[str, Any]:
        """Settings the engine saved (`Linker.misc.save_model_to_json`), in the model's SQL."""
        if self.engine == MODEL_DIALECT:
            return saved
        for comparison in saved.get("comparisons", []):
            for level in comparison["comparison_levels"]:
                level["sql_condition"] = self._original(level["sql_condition"])
        for rule in saved.get("blocking_rules_to_generate_predictions", []):
            rule["blocking_rule"] = self._original(rule["blocking_rule"])
            rule["sql_dialect"] = MODEL_DIALECT
        saved["sql_dialect"] = MODEL_DIALECT
        return saved

    def _original(self, sql: str) -> str:
        try:
            return self._originals[sql]
        except KeyError:
            raise ValueError(f"SQL this dialect did not translate: {sql}") from None


def _as_dict(settings: Settings) -> dict[str, Any]:
    """A fresh dictionary of `settings`, in the model's dialect."""
    if isinstance(settings, SettingsCreator):
        return settings.create_settings_dict(MODEL_DIALECT)
    if isinstance(settings, Path):
        loaded: dict[str, Any] = json.loads(settings.read_text(encoding="utf-8"))
        return loaded
    copied: dict[str, Any] = json.loads(json.dumps(settings))
    return copied
