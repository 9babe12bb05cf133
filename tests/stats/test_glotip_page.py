"""`/stats/glotip`: the coordinator reads Morocco's published series beside the node's own victims
(small counts "<5") and beside its UNODC subregion's countries; in Arabic with Arabic-Indic digits
when chosen; a user without stats.read is refused; another country is refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.core.db import Database
from jusoor.stats.glotip import series
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, in_english
from tests.stats.test_glotip_export import YEAR, seed
from tests.stats.test_glotip_read import glotip_file, row
from tests.support.web import login, translated


def load(db: Database, tmp_path: Path) -> None:
    rows = [row("MAR", "49"), row("MAR", "1,757", sex="Female"),
            [*row("MAR", "<5")[:9], YEAR - 3, *row("MAR", "<5")[10:]],
            ["EGY", "Egypt", "Africa", "Northern Africa", "Detected trafficking victims", "Total",
             "Total", "Total", "Total", 2020, "Counts", "101", "GLOTIP"],
            ["JOR", "Jordan", "Asia", "Western Asia", "Detected trafficking victims", "Total",
             "Total", "Total", "Total", 2020, "Counts", "77", "GLOTIP"]]  # fmt: skip
    with db.unit_of_work() as s:
        series.import_series(
            s, actor=actor(s, "analyst.ma"), path=glotip_file(tmp_path / "g.xlsx", rows)
        )


def test_the_coordinator_sees_published_own_and_neighbours(
    client: TestClient, demo_db: Database, tmp_path: Path
) -> None:
    load(demo_db, tmp_path)
    seed(demo_db)
    in_english(demo_db, "coordinator.ma")
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    page = client.get("/stats/glotip")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Morocco" in text and "Northern Africa" in text
    assert '<th scope="col">Egypt</th>' in text and "Jordan" not in text  # another subregion
    # 2020: published 49; the node recorded nothing before its first case ("—", not 0).
    assert '<td><bdi dir="ltr">49</bdi></td><td><bdi dir="ltr">—</bdi></td>' in text
    assert '<td><bdi dir="ltr">101</bdi></td>' in text  # Egypt's, 2020
    assert '<td><bdi dir="ltr">28</bdi></td>' in text  # the node's own victims this year
    assert '<td><bdi dir="ltr">&lt;5</bdi></td>' in text  # published "<5"


def test_arabic_with_arabic_indic_digits(
    client: TestClient, demo_db: Database, tmp_path: Path
) -> None:
    load(demo_db, tmp_path)
    with demo_db.unit_of_work() as s:
        user = s.scalars(select(User).where(User.username == "coordinator.ma")).one()
        user.locale, user.digits = "ar", "arab"
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    text = client.get("/stats/glotip").text
    assert 'dir="rtl"' in text
    # The page's own new sentences reach Arabic when the lead merges /work/i18n/formats.json.
    assert f'<th scope="col">{translated("Year", "ar")}</th>' in text
    assert "٤٩" in text and "٢٠٢٠" in text


def test_refusals(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "auditor.ma", DEMO_PASSWORD)
    assert client.get("/stats/glotip").status_code == 403
    client.post("/logout", follow_redirects=False)
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    assert client.get("/stats/glotip?country=EG").status_code == 403
