"""The seam between Jusoor's linkage and the SQL engine Splink runs it on.

DuckDB (in process, the default) suits a node's batch of up to a few hundred thousand records;
Spark suits a national archive, and is used only where pyspark is installed. Either way the engine
gets `comparisons.NAME_SIMILARITY_SQL` and `NAME_INFORMATION_SQL`, so the same model runs on both.
"""

from __future__ import annotations

import importlib
from typing import Any

import duckdb
from duckdb import sqltypes
from splink.internals.database_api import DatabaseAPI
from splink.internals.duckdb.database_api import DuckDBAPI

from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.comparisons import (
    NAME_INFORMATION_SQL,
    NAME_SIMILARITY_SQL,
    name_information,
    name_similarity,
)


class EngineUnavailable(Exception):
    """The engine asked for cannot run here; the message says why, in the operator's language."""


def open_engine(name: str) -> DatabaseAPI[Any]:
    """A Splink database API on engine `name`, with Jusoor's SQL functions registered."""
    if name == "duckdb":
        return _duckdb()
    if name == "spark":
        return _spark()
    raise EngineUnavailable(_("Unknown engine %(engine)s: use duckdb or spark.", engine=name))


def _duckdb() -> DuckDBAPI:
    connection = duckdb.connect(":memory:")
    connection.execute("SET enable_progress_bar = false")  # the CLI draws its own
    connection.create_function(
        NAME_SIMILARITY_SQL,
        name_similarity,
        [sqltypes.VARCHAR, sqltypes.VARCHAR],
        sqltypes.DOUBLE,
        side_effects=False,
    )
    connection.create_function(
        NAME_INFORMATION_SQL,
        name_information,
        [sqltypes.VARCHAR] * 4,
        sqltypes.DOUBLE,
        side_effects=False,
    )
    return DuckDBAPI(connection)


def _spark() -> DatabaseAPI[Any]:
    try:
        sql = importlib.import_module("pyspark.sql")
        types = importlib.import_module("pyspark.sql.types")
    except ImportError:
        raise EngineUnavailable(
            _("The Spark engine needs pyspark, which is not installed: use --engine duckdb.")
        ) from None
    spark_api = importlib.import_module("splink.internals.spark.database_api")
    session = sql.SparkSession.builder.appName("jusoor-linkage").getOrCreate()
    session.udf.register(NAME_SIMILARITY_SQL, name_similarity, types.DoubleType())
    session.udf.register(NAME_INFORMATION_SQL, name_information, types.DoubleType())
    api: DatabaseAPI[Any] = spark_api.SparkAPI(spark_session=session)
    return api
