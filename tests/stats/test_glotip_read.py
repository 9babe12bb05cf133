"""Reading UNODC's GLOTIP data file: "<5" and "1,757" read right, malformed values and rows
without a country reported (row number, text), never guessed; the real file streams whole."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.core.errors import Invalid
from jusoor.stats.glotip import REGION_FILE
from jusoor.stats.glotip.read import HEADER, SMALL, Reading, Value, parse_value, read
from tests.support.workbooks import workbook

# UNODC's published file (14/04/2025), its rows for North Africa, Western Asia, Mauritania and two
# of its neighbours, as the package ships it for the demo (jusoor.stats.glotip.REGION_FILE).
GLOTIP = REGION_FILE
REGION = ("MAR", "EGY", "TUN", "JOR", "KWT", "LBY", "MRT", "DZA", "LBN", "IRQ")


def row(iso3: str | None, value: object, *, category: str = "Total", sex: str = "Total",
        year: object = 2020) -> list[object]:  # fmt: skip
    return [iso3, "Morocco", "Africa", "Northern Africa", "Detected trafficking victims", "Total",
            category, sex, "Total", year, "Counts", value, "GLOTIP"]  # fmt: skip


def glotip_file(path: Path, rows: list[list[object]]) -> Path:
    return workbook(path, [["UNODC"], ["14/04/2025"], list(HEADER), *rows])


def test_small_counts_and_thousands_separators_read_right() -> None:
    assert parse_value("<5") == Value(None, SMALL)
    assert parse_value("1,757") == Value(1757)
    assert parse_value("12,345,678") == Value(12345678)
    assert parse_value("0") == Value(0)
    assert parse_value(" 42 ") == Value(42)
    assert parse_value(17) == Value(17)


@pytest.mark.parametrize("text", ["", "n/a", "1.757", "1,75", "12,3456", "-3", "<10", "5+", "x",
                                  None, 3.5, -1, True])  # fmt: skip
def test_what_is_not_a_count_is_not_guessed(text: object) -> None:
    assert parse_value(text) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_written_as_unodc_does_reads_back(n: int) -> None:
    assert parse_value(f"{n:,}") == Value(n)
    assert parse_value(str(n)) == Value(n)


def test_malformed_values_and_rows_without_country_are_reported_with_their_row(
    tmp_path: Path,
) -> None:
    path = glotip_file(tmp_path / "g.xlsx", [
        row("MAR", "<5"),
        row("MAR", "1,757", sex="Female"),
        row("MAR", "about 40", sex="Male"),
        row(None, "6", sex="Other"),
        row("MAR", "7", year="2020s"),
        row("EGY", 12),
    ])  # fmt: skip
    reading = read(path)
    assert [(r.iso3, r.sex, r.value) for r in reading.rows] == [
        ("MAR", "Total", Value(None, "<5")),
        ("MAR", "Female", Value(1757)),
        ("EGY", "Total", Value(12)),
    ]
    assert [(m.line, m.text, m.reason) for m in reading.malformed] == [
        (6, "about 40", "value"),
        (7, "Morocco", "country code"),
        (8, "2020s", "year"),
    ]
    assert str(reading.file_date) == "2025-04-14"


def test_a_file_without_unodc_columns_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "other.xlsx", [["a"], ["b"], ["Country", "Value"], ["MA", 3]])
    with pytest.raises(Invalid) as error:
        read(path)
    assert error.value.field == "file"
    assert "Iso3_code" in error.value.message


@pytest.mark.parametrize("name", ["data.csv", "data.xlsx"])
def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Iso3_code,txtVALUE\nMAR,<5\n")
    with pytest.raises(Invalid) as error:
        read(path)
    assert error.value.field == "file" and name in error.value.message


@cache
def published() -> Reading:
    return read(GLOTIP)


def test_the_real_file_reads_whole_and_matches_an_independent_reading() -> None:
    reading = published()
    frame = pd.read_excel(GLOTIP, header=2, dtype=str, keep_default_na=False)
    assert len(reading.rows) + len(reading.malformed) == len(frame)
    # The whole 14/04/2025 file's only unreadable rows are Sark's, which has no ISO code; the
    # region's rows have none.
    assert not reading.malformed
    ours = {(r.line, r.iso3): r for r in reading.rows if r.iso3 in REGION}
    theirs = frame[frame["Iso3_code"].isin(REGION)]
    assert len(theirs) == len(ours) > 500
    for index, item in theirs.iterrows():
        mine = ours[(int(str(index)) + 4, item["Iso3_code"])]
        assert (mine.indicator, mine.dimension, mine.category, mine.sex, mine.age, mine.year) == (
            item["Indicator"], item["Dimension"], item["Category"], item["Sex"], item["Age"],
            int(item["Year"]),
        )  # fmt: skip
        text = item["txtVALUE"]
        expected = Value(None, "<5") if text == "<5" else Value(int(text.replace(",", "")))
        assert mine.value == expected
