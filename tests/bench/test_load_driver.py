"""The load test's driver and journeys run end to end (bench/load_test.py, bench/load/): a demo
node on SQLite, one Locust user per role walking its journey once, and a table with every journey's pages
and no error. Timing is not asserted: the figures are the benchmark's (docs/SCALE.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodes

ROOT = Path(__file__).resolve().parents[2]

# One page of each role's journey at least, and the writes (bench/load/locustfile.py JOURNEYS).
PAGES = (
    "POST /login",
    "POST /login/second-factor",
    "GET /",
    "GET /cases",
    "GET /cases/{id}",
    "GET /cases/{id}/profile",
    "POST /cases/{id}/notes",
    "GET /referrals",
    "GET /referrals/{id}",
    "GET /screening",
    "GET /identification",
    "GET /entities?q= (search)",
    "GET /exchange",
    "GET /audit",
    "GET /stats",
    "GET /healthz",
)


def test_the_load_test_signs_in_every_role_and_walks_their_pages_without_error(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load_test.py"),
            "--users", "10",  # one of each role (admin first, then case work)
            "--tour",  # each walks its journey once, then the run ends
            "--seconds", "240",  # the limit on a loaded machine; the tour ends when all are done
            "--think", "0.05-0.1",
            "--spawn-rate", "10",  # all ten at once: the test is about the journeys, not pace
            "--demo-cases", "60",
            "--out", str(tmp_path),
            "--name", "load.md",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )  # fmt: skip
    table = (tmp_path / "load.md").read_text(encoding="utf-8")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    rows = {
        line.split("`")[1]: line.rsplit("|", 2)[-2].strip()
        for line in table.splitlines()
        if line.startswith("| `")
    }
    missing = [page for page in PAGES if page not in rows]
    assert not missing, table
    assert set(rows.values()) == {"0"}, table  # the errors column
    assert "0 errors; node errors logged: 0" in table
