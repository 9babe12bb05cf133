"""Strict CSV: well-formed files read back exactly; a malformed row is refused by its number."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.core.errors import Invalid
from jusoor.core.import_limits import ImportLimits
from jusoor.core.strict_csv import RowError, strict_rows

LIMITS = ImportLimits(
    max_bytes=10**6, max_rows=1000, max_unpacked_bytes=10**7, max_zip_ratio=100, max_zip_members=50
)
# Text a person's record may hold: any letter, digit, punctuation or space, no control character.
CELL = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029"),
    max_size=12,
)


def _read(text: str, limits: ImportLimits = LIMITS) -> list[list[str]]:
    lines = io.StringIO(text, newline="")
    return [cells for _n, cells in strict_rows(lines, file="f.csv", limits=limits)]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@given(st.integers(1, 5).flatmap(lambda w: st.lists(st.lists(CELL, min_size=w, max_size=w))))
def test_any_well_formed_file_reads_back_exactly(rows: list[list[str]]) -> None:
    header = [f"c{i}" for i in range(len(rows[0]) if rows else 1)]
    table = [header, *rows]
    assert _read(_csv(table)) == table


@given(
    st.lists(st.lists(CELL.filter(str.strip), min_size=3, max_size=3), min_size=1, max_size=6),
    st.data(),
)
def test_a_control_character_is_refused_naming_its_row_and_column(
    rows: list[list[str]], data: st.DataObject
) -> None:
    row = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.integers(0, 2))
    bad = data.draw(st.sampled_from(["\x00", "\x1b", "\x07", "\x7f", "\x85"]))
    rows[row][column] = rows[row][column][:1] + bad + rows[row][column][1:]
    with pytest.raises(RowError) as refused:
        _read(_csv([["a", "b", "c"], *rows]))
    assert (refused.value.row, refused.value.column) == (row + 2, "abc"[column])
    assert f"U+{ord(bad):04X}" in refused.value.message


def test_an_unclosed_quote_that_swallows_the_next_row_is_refused() -> None:
    text = 'name,birth\n"Amina Diallo,1990\nOmar Ba",1991\nSara,1992\n'
    with pytest.raises(RowError) as refused:
        _read(text)
    assert refused.value.row == 2
    assert "quote" in refused.value.message


def test_a_quote_left_open_to_the_end_is_refused() -> None:
    with pytest.raises(RowError) as refused:
        _read('name,birth\nAmina,1990\n"Omar,1991\n')
    assert refused.value.row == 3


def test_a_quote_inside_a_cell_is_refused() -> None:
    with pytest.raises(RowError) as refused:
        _read('name,birth\n"Omar" Ba,1991\n')
    assert refused.value.row == 2


@pytest.mark.parametrize(("line", "found"), [("Amina,1990,MA", 3), ("Amina", 1)])
def test_a_ragged_row_is_refused_with_both_counts(line: str, found: int) -> None:
    with pytest.raises(RowError) as refused:
        _read(f"name,birth\nOmar,1991\n{line}\n")
    assert refused.value.row == 3
    assert f"{found} cells" in refused.value.message
    assert "2" in refused.value.message


def test_blank_rows_pass_as_blank() -> None:
    assert _read("name,birth\n\n,\nOmar,1991\n") == [
        ["name", "birth"],
        [],
        ["", ""],
        ["Omar", "1991"],
    ]


def test_rows_past_the_limit_are_refused_while_streaming() -> None:
    small = ImportLimits(10**6, 3, 10**7, 100, 50)
    assert len(_read("a\n1\n2\n3\n", small)) == 4
    seen = []
    with pytest.raises(Invalid) as refused:
        for number, _cells in strict_rows(
            io.StringIO("a\n" + "x\n" * 10_000), file="f.csv", limits=small
        ):
            seen.append(number)
    assert "more than 3 rows" in refused.value.message
    assert seen == [1, 2, 3, 4]  # refused at the fourth data row, not after reading them all
