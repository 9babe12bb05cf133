"""The seam between Jusoor's linkage and the SQL engine Splink runs it on.

DuckDB (in process, the default) suits a node's batch of up to a few hundred thousand records;
Spark suits a national archive, and is used only where pyspark is installed. Either way the engine
gets `comparisons.NAME_LEVEL_SQL`, so the same model runs on both.
"""

from __future__ import annotations

import importlib
from typing import Any

import duckdb
from duckdb import sqltypes
from duckdb.func import PythonUDFType
from splink.internals.database_api import DatabaseAPI
from splink.internals.duckdb.database_api import DuckDBAPI

from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.linkage.comparisons import NAME_LEVEL_SQL, name_level, name_levels


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
    # Vectorised: DuckDB passes a column of pairs per call (Arrow arrays). The engine asks for
    # a pair's grade once per level it tests, so most calls are answered from the cache, and
    # called row by row the crossing into Python would cost more than the answers.
    connection.create_function(
        NAME_LEVEL_SQL,
        name_levels,
        [*[sqltypes.VARCHAR] * 4, sqltypes.BOOLEAN],
        sqltypes.INTEGER,
        type=PythonUDFType.ARROW,
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
    session.udf.register(NAME_LEVEL_SQL, name_level, types.IntegerType())
    api: DatabaseAPI[Any] = spark_api.SparkAPI(spark_session=session)
    return api
