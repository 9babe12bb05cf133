"""Import limits: sizes checked before reading, a zip bomb refused from its directory alone."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from jusoor.core.config import get_settings
from jusoor.core.errors import Invalid
from jusoor.core.import_limits import (
    ImportLimits,
    check_zip,
    cli_limits,
    read_capped,
    web_limits,
)
from tests.support.workbooks import with_sheet, workbook


def _limits(**changes: int) -> ImportLimits:
    base = {
        "max_bytes": 10**8,
        "max_rows": 10**6,
        "max_unpacked_bytes": 10**9,
        "max_zip_ratio": 10**6,
        "max_zip_members": 1000,
    }
    return ImportLimits(**(base | changes))


def test_settings_give_the_two_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUSOOR_IMPORT_MAX_ROWS", "7")
    monkeypatch.setenv("JUSOOR_IMPORT_WEB_MAX_BYTES", "5000000")
    monkeypatch.setenv("JUSOOR_MAX_BODY_BYTES", "4000")
    get_settings.cache_clear()
    assert cli_limits().max_rows == 7
    assert cli_limits().max_bytes == 200_000_000
    assert web_limits().max_rows == 50_000
    assert web_limits().max_bytes == 4000  # never more than a request may carry


def test_a_file_over_the_limit_is_refused_without_reading_more(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(Invalid) as refused:
        read_capped(path, _limits(max_bytes=4999))
    assert "5,000 bytes" in refused.value.message
    assert "4,999" in refused.value.message
    assert read_capped(path, _limits(max_bytes=5000)) == b"x" * 5000


def test_a_zip_bomb_is_refused_from_its_directory_fast_and_small(tmp_path: Path) -> None:
    # ~60 MB of sheet XML in ~200 KB on disk: folded some 300 times.
    bomb = with_sheet(tmp_path / "bomb.xlsx", ["name", "birth"], 600_000)
    assert bomb.stat().st_size < 400_000
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(Invalid) as refused:
        check_zip(bomb, cli_limits())
    elapsed = time.perf_counter() - started
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "compressed" in refused.value.message
    assert elapsed < 0.5
    assert peak < 1_000_000  # nothing inflated: the directory alone was read


def test_the_unpacked_size_is_bounded_whatever_the_ratio(tmp_path: Path) -> None:
    bomb = with_sheet(tmp_path / "bomb.xlsx", ["name", "birth"], 200_000)
    with pytest.raises(Invalid) as refused:
        check_zip(bomb, _limits(max_unpacked_bytes=10_000_000))
    assert "unpack" in refused.value.message
    check_zip(bomb, _limits(max_unpacked_bytes=30_000_000))


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(30):
            archive.writestr(f"part{n}.xml", b"<a/>")
    with pytest.raises(Invalid) as refused:
        check_zip(path, _limits(max_zip_members=20))
    assert "30 parts" in refused.value.message


def test_an_ordinary_workbook_passes_and_a_non_zip_is_refused(tmp_path: Path) -> None:
    check_zip(workbook(tmp_path / "ok.xlsx", [["name"], ["Amina"]]), cli_limits())
    fake = tmp_path / "fake.xlsx"
    fake.write_text("name\nAmina\n", encoding="utf-8")
    with pytest.raises(Invalid) as refused:
        check_zip(fake, cli_limits())
    assert "not an XLSX" in refused.value.message
