"""`jusoor stats table` on the node's records: the counts of the --as user's scope, always through
disclosure control (counts under 5 shown as <5), equal to counts made directly in the database;
a period, an unknown dimension and a user without stats.read handled; the table is audited."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case
from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from tests.stats.test_glotip_export import YEAR, seed


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["stats", "table", *args])
    return result.exit_code, result.output


def test_the_national_table_matches_the_database_with_small_cells_suppressed(
    demo_db: Database,
) -> None:
    seed(demo_db)
    code, output = run("--by", "sex", "--as", "coordinator.ma", "--year", str(YEAR), "--json")
    assert code == 0, output
    data = json.loads(output)
    with demo_db.unit_of_work() as s:
        direct = Counter(
            g.value for g in s.scalars(select(Case.gender).where(Case.country == "MA"))
        )
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "stats.table")).first()
    cells = {c["key"][0]: c for c in data["cells"]}
    assert set(cells) == set(direct)
    for gender, n in direct.items():
        shown = cells[gender]
        assert shown["text"] == ("<5" if n < 5 else str(n)) or shown["suppressed"] == "secondary"
    assert data["total"]["value"] == sum(direct.values())


def test_bad_requests_get_one_line(demo_sqlite: Database) -> None:
    code, output = run("--by", "shoe_size", "--as", "coordinator.ma")
    assert code == 1 and "shoe_size" in output
    code, output = run("--by", "sex", "--as", "auditor.ma")
    assert code == 1
    code, output = run("--by", "sex")
    assert code == 1 and "--as" in output
    code, output = run("--by", "sex", "--as", "coordinator.ma", "--from-date", "2026-13-01")
    assert code == 1 and "2026-13-01" in output
    code, output = run("--by", "sex", "--as", "coordinator.ma")
    assert code == 0 and "Total" in output
