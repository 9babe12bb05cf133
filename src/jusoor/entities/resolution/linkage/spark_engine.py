"""Spark for Splink: checked before any work, a session sized for the batch, stopped at the end.

    check_spark()                                   # SparkUnavailable: no pyspark, no Java 17+
    with spark_session(records=100_000) as session: # local[2] unless a master is given
        ...                                         # `engines.open_engine("spark")` uses it

Local mode (`local[2]`, the default) runs the driver and its executors in one JVM on this machine,
its logs quiet, its scratch files (shuffles, cached tables that spill, the warehouse) in a temporary
directory removed when the session stops. Another master (`spark://host:7077`, `yarn`, from
`--spark-master` or `SPARK_MASTER`) gets only what Jusoor needs (the application name, Splink's
jar, the Python to run the name function with); its sizes come
from the cluster's own `spark-defaults.conf` (`SPARK_CONF_DIR`). Spark 4 needs Java 17 or later
on the driver, and every executor must be able to import `jusoor` (the name function is
Python).

Nothing here imports pyspark before it is asked to: `jusoor` starts without it.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.linkage import machine

LOCAL_MASTER = "local[2]"
MASTER_VARIABLE = "SPARK_MASTER"
MEMORY_VARIABLE = "JUSOOR_SPARK_DRIVER_MEMORY"  # e.g. 6g: overrides the size below
MIN_JAVA = 17  # Spark 4
RECORDS_PER_PARTITION = 25_000
MAX_PARTITIONS = 64
MEMORY_SHARE = 0.6  # at most this share of the machine's memory for the local driver
# Quiet: Spark's own INFO and WARN lines (and Hadoop's native-library notice) would bury the
# command's progress. Errors still show. Spark's own loggers configured apart keep Spark from
# resetting the level to WARN, as it does for a Python driver, and from saying so.
LOG4J2 = """\
rootLogger.level = error
logger.spark.name = org.apache.spark
logger.spark.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
"""

DISTRIBUTION = "jusoor"  # the installed package whose pinned pyspark the message names


class SparkUnavailable(Exception):
    """Spark cannot run here; the message says what to install, in the operator's language."""


def check_spark() -> None:
    """Raise `SparkUnavailable` naming what is missing: pyspark, or Java 17 or later."""
    if importlib.util.find_spec("pyspark") is None:
        raise SparkUnavailable(
            _(
                "The Spark engine needs pyspark, which is not installed: install Jusoor's "
                "dependencies (make install, or pip install %(requirement)s), or use "
                "--engine duckdb.",
                requirement=_pyspark_requirement(),
            )
        )
    java = java_command()
    if java is None:
        raise SparkUnavailable(
            _(
                "The Spark engine needs Java %(version)s or later, which was not found: install "
                "it (Debian, Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME, "
                "or use --engine duckdb.",
                version=str(MIN_JAVA),
            )
        )
    found = java_version(java)
    if found is None or found < MIN_JAVA:
        raise SparkUnavailable(
            _(
                "The Spark engine needs Java %(version)s or later; %(java)s is Java %(found)s: "
                "install a newer one (Debian, Ubuntu: apt-get install openjdk-17-jre-headless) "
                "and set JAVA_HOME to it, or use --engine duckdb.",
                version=str(MIN_JAVA),
                java=java,
                found=str(found) if found is not None else "?",
            )
        )


def java_command() -> str | None:
    """The `java` Spark will start: $JAVA_HOME/bin/java, else the one on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def java_version(java: str) -> int | None:
    """The major version of `java` (8 for 1.8), None when it does not say."""
    try:
        done = subprocess.run(  # noqa: S603 - the java Spark itself would start
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if found is None:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def _pyspark_requirement() -> str:
    """pyspark as Jusoor pins it (from the installed package's metadata), else its name."""
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        requirements = []
    for requirement in requirements:
        if requirement.replace(" ", "").startswith("pyspark=="):
            return requirement.split(";")[0].replace(" ", "")
    return "pyspark"


def shuffle_partitions(records: int) -> int:
    """Spark's partitions after a shuffle: few for a small batch (each costs a task), one per
    `RECORDS_PER_PARTITION` records beyond, at least two per core of `local[2]`."""
    return max(4, min(MAX_PARTITIONS, math.ceil(records / RECORDS_PER_PARTITION)))


def driver_memory(records: int) -> str:
    """The local driver's heap: 1 GiB, and 1 GiB more per 50,000 records, at most
    `MEMORY_SHARE` of this machine's memory; `JUSOOR_SPARK_DRIVER_MEMORY` overrides it."""
    chosen = os.environ.get(MEMORY_VARIABLE)
    if chosen:
        return chosen
    wanted = 1 + records // 50_000
    total = machine.memory_gib(unknown=4.0)
    return f"{max(1, min(wanted, int(total * MEMORY_SHARE)))}g"


def spark_master(master: str | None = None) -> str:
    """The master asked for, else `SPARK_MASTER`, else `local[2]`."""
    return master or os.environ.get(MASTER_VARIABLE) or LOCAL_MASTER


@contextmanager
def spark_session(*, records: int = 0, master: str | None = None) -> Iterator[Any]:
    """A Spark session for a batch of `records` on `master` (`spark_master`): the one already
    running, left running; else one started here and stopped, with its scratch files, at the
    end. Raises `SparkUnavailable` first when Spark cannot run."""
    check_spark()
    sql = importlib.import_module("pyspark.sql")
    running = sql.SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    scratch = Path(tempfile.mkdtemp(prefix="jusoor-spark-"))
    try:
        session = _start(sql.SparkSession, spark_master(master), records, scratch)
        try:
            yield session
        finally:
            session.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def start_session(*, records: int = 0, master: str | None = None) -> Any:
    """The running Spark session, else one started for the rest of this process (its scratch
    files stay in a temporary directory); `spark_session` is the one that cleans up."""
    check_spark()
    sql = importlib.import_module("pyspark.sql")
    running = sql.SparkSession.getActiveSession()
    if running is not None:
        return running
    scratch = Path(tempfile.mkdtemp(prefix="jusoor-spark-"))
    return _start(sql.SparkSession, spark_master(master), records, scratch)


def _start(session_class: Any, master: str, records: int, scratch: Path) -> Any:
    jar = importlib.import_module("splink.internals.spark.jar_location").similarity_jar_location()
    (scratch / "log4j2.properties").write_text(LOG4J2, encoding="utf-8")
    java_options = (
        f"-Dlog4j2.configurationFile=file:{scratch / 'log4j2.properties'} "
        f"-Djava.io.tmpdir={scratch} -Dderby.system.home={scratch}"
    )
    builder = (
        session_class.builder.master(master)
        .appName("jusoor-linkage")
        .config("spark.jars", jar)
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.driver.extraJavaOptions", java_options)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
    )
    if master.startswith("local"):
        partitions = shuffle_partitions(records)
        builder = (
            builder.config("spark.driver.memory", driver_memory(records))
            .config("spark.local.dir", str(scratch / "local"))
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.default.parallelism", str(partitions))
            .config("spark.ui.enabled", "false")
        )
    # pyspark's launcher passes the environment to the JVM it starts; the Python workers it
    # forks read PYTHONPATH from it, so they import this very `jusoor`.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises its own errors, and Py4J's, when the JVM fails
        raise SparkUnavailable(
            _(
                "Spark did not start on %(master)s (%(reason)s): check Java and the master, "
                "or use --engine duckdb.",
                master=master,
                reason=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            )
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session
