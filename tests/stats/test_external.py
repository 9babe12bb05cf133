"""Tables from CTDC and HTCDS files, without the database: for each CTDC codebook (2017 v6, 2021
v7.1 k-anonymised, 2024 synthetic) the counts equal pandas group-bys of the same file read
independently; "NA" is Namibia, "-99" and "" are missing; binary indicators make one multi-valued
form; ISO alpha-3 becomes alpha-2; an unknown code, a `--by` that is neither mapped nor a column,
and a bad file are refused with a message naming them; the HTCDS mapping uses the standard's own
picklist value names; the console's `stats table` prints JSON with the disclosure applied."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jusoor.cases.htcds import standard
from jusoor.cli.main import app as cli
from jusoor.core.errors import Invalid
from jusoor.stats.external import FORMATS, table_from_file

DATA = Path(__file__).parent / "data"
V2017, V2021, V2024 = (DATA / f for f in
                       ("ctdc_v6_2017.csv", "ctdc_v7_1_2021.csv", "ctdc_synthetic_2024.csv"))  # fmt: skip
# The HTCDS 2.0 field standards sheet, as the package ships it (IOM, CC BY 4.0).
HTCDS_STANDARD = Path(standard.__file__).with_name("field_standards.csv")
MISSING = {"", "-99", "NULL"}
# Written here from the codebooks, apart from the YAML the reader uses.
SEX = {"Female": "female", "Male": "male", "Woman": "female", "Man": "male",
       "Transgender/NonConforming": "other", "Trans/Transgender/NonConforming": "other",
       "Unknown": "unknown"}  # fmt: skip
FORM_FLAGS = {"isForcedLabour": ["forced_labour"], "isSexualExploit": ["sexual_exploitation"],
              "isOtherExploit": ["other"], "isSexAndLabour": ["sexual_exploitation", "forced_labour"],
              "isForcedMarriage": ["forced_marriage"], "isForcedMilitary": ["forced_military"],
              "isOrganRemoval": ["organ_removal"], "isSlaveryAndPractices": ["slavery"]}  # fmt: skip


def frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def mapped(series: pd.Series, mapping: dict[str, str] | None = None) -> Counter[str]:
    out: Counter[str] = Counter()
    for value in series:
        out["unknown" if value in MISSING else (mapping or {}).get(value, value)] += 1
    return out


@pytest.mark.parametrize("path", [V2017, V2021, V2024], ids=["2017", "2021", "2024"])
def test_counts_by_sex_equal_a_pandas_group_by(path: Path) -> None:
    table = table_from_file(path, "ctdc", ["sex"])
    assert Counter({k[0]: n for k, n in table.cells.items()}) == mapped(frame(path)["gender"], SEX)
    assert table.total == len(frame(path)) and table.additive


def test_namibia_is_not_missing_and_minus_99_and_zz_are() -> None:
    table = table_from_file(V2017, "ctdc", ["citizenship"])
    data = frame(V2017)["citizenship"]
    expected = Counter("unknown" if v in MISSING | {"ZZ"} else v for v in data)
    assert {k[0]: n for k, n in table.cells.items()} == expected
    assert table.count("NA") == (data == "NA").sum() > 0


def test_alpha_3_countries_of_2024_become_alpha_2() -> None:
    table = table_from_file(V2024, "ctdc", ["citizenship"])
    alpha2 = {"NAM": "NA", "MAR": "MA", "EGY": "EG", "UKR": "UA", "PHL": "PH"}
    expected = Counter("unknown" if v == "" else alpha2[v] for v in frame(V2024)["citizenship"])
    assert {k[0]: n for k, n in table.cells.items()} == expected


@pytest.mark.parametrize("path", [V2017, V2021, V2024], ids=["2017", "2021", "2024"])
def test_binary_indicators_make_one_multi_valued_form(path: Path) -> None:
    data = frame(path)
    table = table_from_file(path, "ctdc", ["form"])
    expected: Counter[str] = Counter()
    for _, row in data.iterrows():
        forms = {f for col, fs in FORM_FLAGS.items() if row.get(col) == "1" for f in fs}
        expected.update(forms or {"unknown"})
    assert {k[0]: n for k, n in table.cells.items()} == expected
    assert table.total == len(data)
    assert not table.additive  # a victim with two forms is in both cells


def test_two_dimensions_equal_a_pandas_cross_tab() -> None:
    data = frame(V2021)
    table = table_from_file(V2021, "ctdc", ["sex", "age_group"])
    age = {"Minor": "child", "Adult": "adult", "Unknown": "unknown"}
    expected = Counter(
        ("unknown" if s in MISSING else SEX[s], "unknown" if a in MISSING else age[a])
        for s, a in zip(data["gender"], data["majorityStatus"], strict=True)
    )
    assert table.cells == dict(expected)
    assert table.margins[0] == dict(mapped(data["gender"], SEX))


def test_2024_age_group_comes_from_the_age_band() -> None:
    data = frame(V2024)
    table = table_from_file(V2024, "ctdc", ["age_group"])
    child = (data["ageBroad"].isin(["0--8", "9--17"])).sum()
    assert table.count("child") == child
    assert table.count("unknown") == (data["ageBroad"] == "").sum()


def test_a_file_column_is_a_dimension_by_its_own_name_or_its_raw_values() -> None:
    by_column = table_from_file(V2017, "ctdc", ["gender"])
    assert by_column.cells == {
        (k[0],): n for k, n in table_from_file(V2017, "ctdc", ["sex"]).cells.items()
    }
    raw = table_from_file(V2017, "ctdc", ["typeOfExploitConcatenated"])
    assert raw.cells == {("Forced labour",): len(frame(V2017))}


def test_a_by_that_is_neither_mapped_nor_a_column_is_refused_by_name() -> None:
    with pytest.raises(Invalid) as error:
        table_from_file(V2021, "ctdc", ["sex", "shoe_size"])
    assert error.value.field == "by" and "shoe_size" in error.value.message
    assert "form" in error.value.message  # it lists what may be chosen


def test_an_unknown_code_names_column_code_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("gender,citizenship,isForcedLabour\nFemale,NA,1\nFemme,MA,0\n")
    with pytest.raises(Invalid) as error:
        table_from_file(bad, "ctdc", ["sex"])
    assert "Line 3" in error.value.message and "gender" in error.value.message
    assert "'Femme'" in error.value.message
    bad.write_text("gender,citizenship,isForcedLabour\nFemale,XQ,1\n")
    with pytest.raises(Invalid, match="XQ"):
        table_from_file(bad, "ctdc", ["citizenship"])
    bad.write_text("gender,citizenship,isForcedLabour\nFemale,MA,yes\n")
    with pytest.raises(Invalid, match="isForcedLabour"):
        table_from_file(bad, "ctdc", ["form"])


def test_htcds_codes_are_the_standards_picklist_value_names() -> None:
    with HTCDS_STANDARD.open(encoding="utf-8-sig") as handle:
        picklists = {r["Field Name including Prefix"]: {v.strip() for v in
                     r["Value Names (if picklist)"].splitlines() if v.strip()}
                     for r in csv.DictReader(handle)}  # fmt: skip
    spec = FORMATS["htcds"].load()
    checked = 0
    for dimension in spec.dimensions.values():
        for source in dimension.sources:
            if source.column and source.column.startswith(("prs_", "vic_", "cas_")):
                assert source.column in picklists, source.column
                if source.codes:
                    assert set(source.codes) == picklists[source.column], source.column
                    checked += 1
    assert checked >= 5


def test_an_htcds_file_is_counted_by_its_multi_select_picklists(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "jus_CaseReference,prs_Gender,prs_Citizenship,vic_TypeOfExploitation,cas_Status\n"
        "C1,Feminine,MA;NA,ForcedLabour;SexualExploitation,Active\n"
        "C2,Masculine,EG,ForcedLabour,Closed\n"
        "C3,NonSpecifiedUnknown,,,Active\n"
    )
    table = table_from_file(path, "htcds", ["form", "case_status"])
    assert table.cells == {("forced_labour", "active"): 1, ("sexual_exploitation", "active"): 1,
                           ("forced_labour", "closed"): 1, ("unknown", "active"): 1}  # fmt: skip
    assert table.total == 3
    assert table_from_file(path, "htcds", ["citizenship"]).count("NA") == 1


def test_the_console_applies_the_minimum_count_and_prints_json() -> None:
    args = ["stats", "table", "--from", str(V2021), "--format", "ctdc", "--by", "sex,form"]
    result = CliRunner().invoke(cli, [*args, "--min-count", "5", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["threshold"] == 5 and data["by"] == ["sex", "form"]
    exact = table_from_file(V2021, "ctdc", ["sex", "form"])
    for cell in data["cells"]:
        n = exact.cells[tuple(cell["key"])]
        if 0 < n < 5:
            assert cell["value"] is None and cell["text"] == "<5"
        elif cell["value"] is not None:
            assert cell["value"] == n
    plain = CliRunner().invoke(cli, [*args, "--json"])
    assert json.loads(plain.output)["total"] == exact.total


@pytest.mark.parametrize(("extra", "named"), [
    (["--by", "sex,shoe_size"], "shoe_size"),
    (["--by", "sex", "--min-count", "1"], "min_count"),
    (["--by", "sex", "--format", "xls"], "ctdc, htcds"),
])  # fmt: skip
def test_the_console_refuses_bad_input_with_one_line(extra: list[str], named: str) -> None:
    args = ["stats", "table", "--from", str(V2021), "--format", "ctdc", *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert named in result.output
