"""The seam between Jusoor's linkage and the SQL engine Splink runs it on.

DuckDB (in process, the default) suits a node's batch up to a million records or so; its own
memory is bounded (`duckdb_memory_limit`: a sixth of the machine's, at most 4 GiB, or
$JUSOOR_DUCKDB_MEMORY_LIMIT) and what does not fit spills to a temporary directory
($JUSOOR_DUCKDB_TEMP_DIRECTORY, else the system's), removed with the engine. Spark
(`spark_engine`: local mode, or a cluster's master) suits data beyond one machine. Either way
the engine gets `comparisons.NAME_LEVEL_SQL`, and the model's SQL in its dialect
(`engine_sql`), so the same model runs on both:

    with engine_session("spark", records=len(rows)):   # Spark's session, stopped at the end
        api = open_engine("spark")
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas  # type: ignore[import-untyped]
import pyarrow  # type: ignore[import-untyped]
import pyarrow.compute  # type: ignore[import-untyped]
from duckdb import sqltypes
from duckdb.func import FunctionNullHandling, PythonUDFType
from splink.internals.database_api import DatabaseAPI
from splink.internals.duckdb.database_api import DuckDBAPI

from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.linkage import machine, spark_engine
from jusoor.entities.resolution.linkage.comparisons import (
    NAME_LEVEL_SQL,
    PAIR_HASH_SQL,
    known_name_levels,
    measure_names,
    name_levels,
)

MEMORY_VARIABLE = "JUSOOR_DUCKDB_MEMORY_LIMIT"  # e.g. 3GB: overrides the size below
TEMP_VARIABLE = "JUSOOR_DUCKDB_TEMP_DIRECTORY"  # where DuckDB spills (default: the system's)
SPILL_PREFIX = "jusoor-duckdb-"  # then the process id: jusoor-duckdb-4242-k2j4x
MEMORY_SHARE = 1 / 6  # of the machine's memory, for DuckDB's own buffers
MEMORY_RANGE_GIB = (1, 4)  # whatever the machine: what a million records need, spills beyond
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]i?B)\s*", re.IGNORECASE)


class EngineUnavailable(Exception):
    """The engine asked for cannot run here; the message says why, in the operator's language."""


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit for a batch, as DuckDB writes it ("3.8GiB"): `MEMORY_SHARE` of
    this machine's memory within `MEMORY_RANGE_GIB`, or $JUSOOR_DUCKDB_MEMORY_LIMIT (a size
    such as 3GB or 500MiB). DuckDB's default, 80% of the machine, leaves nothing to the rest
    of the batch. Raises `EngineUnavailable` naming the variable when its value is no size."""
    chosen = os.environ.get(MEMORY_VARIABLE, "").strip()
    if chosen:
        if not _SIZE.fullmatch(chosen):
            raise EngineUnavailable(
                _(
                    "%(variable)s=%(value)s is not a memory size: write it as 4GB or 500MB.",
                    variable=MEMORY_VARIABLE,
                    value=chosen,
                )
            )
        return chosen.replace(" ", "")
    total = machine.memory_gib(unknown=8.0)
    low, high = MEMORY_RANGE_GIB
    return f"{max(low, min(high, total * MEMORY_SHARE)):.1f}GiB"


def duckdb_temp_parent() -> str | None:
    """Where DuckDB's spill directory is made: $JUSOOR_DUCKDB_TEMP_DIRECTORY (which must be a
    directory), else None (the system's temporary directory)."""
    chosen = os.environ.get(TEMP_VARIABLE, "").strip()
    if chosen and not os.path.isdir(chosen):
        raise EngineUnavailable(
            _(
                "%(variable)s=%(value)s is not a directory: create it or unset the variable.",
                variable=TEMP_VARIABLE,
                value=chosen,
            )
        )
    return chosen or None


def remove_abandoned_spills(parent: str | None) -> None:
    """Remove the spill directories that runs killed from outside left in `parent` (the
    system's temporary directory when None): each is named after its process, and one whose
    process is gone is no one's. A run that ends, or fails, removes its own."""
    for path in Path(parent or tempfile.gettempdir()).glob(f"{SPILL_PREFIX}*"):
        pid = path.name.removeprefix(SPILL_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def out_of_memory(error: BaseException) -> bool:
    """Whether `error`, or one it was raised from (Splink wraps the engine's), is DuckDB
    running out of the memory it may use (`duckdb_memory_limit`)."""
    seen: BaseException | None = error
    for _depth in range(10):
        if seen is None:
            return False
        if isinstance(seen, duckdb.OutOfMemoryException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def check_engine_settings(name: str) -> None:
    """Refuse, before any work, settings the engine `name` would refuse (`EngineUnavailable`)."""
    if name == "duckdb":
        duckdb_memory_limit()
        duckdb_temp_parent()


def open_engine(name: str) -> DatabaseAPI[Any]:
    """A Splink database API on engine `name`, with Jusoor's SQL functions registered."""
    if name == "duckdb":
        return _duckdb()
    if name == "spark":
        return _spark()
    raise EngineUnavailable(_("Unknown engine %(engine)s: use duckdb or spark.", engine=name))


@contextmanager
def engine_session(
    name: str, *, records: int = 0, spark_master: str | None = None
) -> Iterator[None]:
    """The engine's resources for a batch of `records`, released at the end: for Spark, a
    session on `spark_master` (default `local[2]`) that `open_engine` uses, then stopped with
    its scratch files (`spark_engine.spark_session`); nothing for DuckDB."""
    if name != "spark":
        yield
        return
    with ExitStack() as stack:
        try:
            stack.enter_context(spark_engine.spark_session(records=records, master=spark_master))
        except spark_engine.SparkUnavailable as exc:
            raise EngineUnavailable(str(exc)) from None
        yield


KNOWN_NAME_LEVEL_SQL = "jusoor_known_name_level"
TEXT_NAME_LEVEL_SQL = "jusoor_text_name_level"


def _duckdb() -> DuckDBAPI:
    connection = duckdb.connect(":memory:")
    connection.execute("SET enable_progress_bar = false")  # the CLI draws its own
    parent = duckdb_temp_parent()
    remove_abandoned_spills(parent)
    spill = tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-", dir=parent)
    connection.execute("SET memory_limit = ?", [duckdb_memory_limit()])
    connection.execute("SET temp_directory = ?", [spill])
    # Vectorised: DuckDB passes a column of pairs per call (Arrow arrays). The engine asks for
    # a pair's grade once per level it tests, so most calls are answered from the cache, and
    # called row by row the crossing into Python would cost more than the answers. The model's
    # SQL calls NAME_LEVEL_SQL, a macro here: the level by the pair's hash, computed by DuckDB,
    # for the pairs measured ahead (`comparisons.known_name_levels`), and by the texts for the
    # others alone (coalesce asks its second argument only for the rows the first left null).
    connection.create_function(
        KNOWN_NAME_LEVEL_SQL,
        known_name_levels,
        [sqltypes.UBIGINT, sqltypes.BOOLEAN],
        sqltypes.INTEGER,
        type=PythonUDFType.ARROW,
        null_handling=FunctionNullHandling.SPECIAL,  # it answers null for the pairs it does not know
        side_effects=False,
    )
    connection.create_function(
        TEXT_NAME_LEVEL_SQL,
        name_levels,
        [*[sqltypes.VARCHAR] * 4, sqltypes.BOOLEAN],
        sqltypes.INTEGER,
        type=PythonUDFType.ARROW,
        side_effects=False,
    )
    pair_hash = PAIR_HASH_SQL.format("a", "b", "bits_a", "bits_b")
    connection.execute(
        f"CREATE MACRO {NAME_LEVEL_SQL}(a, b, bits_a, bits_b, differs) AS coalesce("
        f"{KNOWN_NAME_LEVEL_SQL}({pair_hash}, differs), "
        f"{TEXT_NAME_LEVEL_SQL}(a, b, bits_a, bits_b, differs))"
    )
    api = DuckDBAPI(connection)
    # The spill directory goes with the engine (the connection is the API's alone).
    weakref.finalize(api, shutil.rmtree, spill, ignore_errors=True)
    return api


def _spark() -> DatabaseAPI[Any]:
    """Splink's Spark API on the running session (`spark_engine.spark_session`), else on one
    started for the rest of the process, with the name function registered as a vectorised
    (Arrow) function. Splink's tables are cached (`persist`) rather than written as Parquet
    checkpoints, which would need a directory every executor shares."""
    try:
        session = spark_engine.start_session()
    except spark_engine.SparkUnavailable as exc:
        raise EngineUnavailable(str(exc)) from None
    functions = importlib.import_module("pyspark.sql.functions")
    types = importlib.import_module("pyspark.sql.types")
    spark_api = importlib.import_module("splink.internals.spark.database_api")
    grade = functions.pandas_udf(_pandas_name_levels, types.IntegerType())
    session.udf.register(NAME_LEVEL_SQL, grade)
    api: DatabaseAPI[Any] = spark_api.SparkAPI(
        spark_session=session, break_lineage_method="persist"
    )
    return api


def _pandas_name_levels(
    names_a: pandas.Series,
    names_b: pandas.Series,
    bits_a: pandas.Series,
    bits_b: pandas.Series,
    given_differs: pandas.Series,
) -> pandas.Series:
    """`comparisons.name_levels` over pandas series, as Spark calls a vectorised function (its
    type hints tell Spark so). Spark's Python workers run apart from the process that
    prepared the batch, so each measures the new name pairs of every vector it is given
    together (`comparisons.measure_names`, as DuckDB's batch is measured before `predict`)."""
    a, b, bits_of_a, bits_of_b = (
        pyarrow.array(c, pyarrow.string()) for c in (names_a, names_b, bits_a, bits_b)
    )
    present = pyarrow.compute.and_(pyarrow.compute.is_valid(a), pyarrow.compute.is_valid(b))
    measure_names(*(column.filter(present) for column in (a, b, bits_of_a, bits_of_b)))
    differs = pyarrow.array(given_differs, pyarrow.bool_())
    levels = name_levels(a, b, bits_of_a, bits_of_b, differs)
    return pandas.Series(levels.to_pandas(integer_object_nulls=True), dtype="Int32")
