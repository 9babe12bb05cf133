"""Every YAML data file under src/jusoor loads through its declared strict model, and a fault is
one line naming file, line and field (OWASP ASVS 4.0.3 V14.1, V5.1.3)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import jusoor
from jusoor.core import datafiles
from jusoor.core.datafiles import DataFileError, StrictModel, check_all, declared, parse

SRC = Path(jusoor.__file__).parent
# The modules that declare data files (at start-up the app imports them all).
OWNERS = (
    "jusoor.core.permissions",
    "jusoor.cases.htcds",
    "jusoor.cases.workflow",
    "jusoor.referrals.workflow",
    "jusoor.entities.schemata",
    "jusoor.screening.catalogue",
    "jusoor.screening.rules",
    "jusoor.screening.questionnaire",
    "jusoor.monitor.reading.gazetteer_files",
    "jusoor.monitor.views.map",
    "jusoor.entities.resolution.table_files",
    "jusoor.synth.data_files",
)


@pytest.fixture(scope="module")
def registry() -> dict[Path, datafiles.DataFile[object]]:
    for module in OWNERS:
        importlib.import_module(module)
    return declared()


def test_every_yaml_file_is_declared_with_a_model(registry: dict[Path, object]) -> None:
    on_disk = {str(p.relative_to(SRC)) for p in SRC.rglob("*.yaml")}
    by_model = {str(p.relative_to(SRC)) for p in registry}
    assert len(on_disk) >= 23
    assert by_model == on_disk


def test_every_declared_file_loads(registry: dict[Path, datafiles.DataFile[object]]) -> None:
    for data_file in registry.values():
        assert isinstance(data_file.load(), data_file.model)
    assert check_all() == len(declared()) >= len(OWNERS)


# One line naming file, line and field, for each style of fault ---------------------------------


class Grant(StrictModel):
    role: str
    days: int


class Table(StrictModel):
    name: str
    grants: list[Grant]


GOOD = "name: demo\ngrants:\n  - role: admin\n    days: 3\n  - role: screener\n    days: 5\n"


def _fault(text: str) -> str:
    with pytest.raises(DataFileError) as raised:
        parse(Table, text, name="demo.yaml")
    message = raised.value.message
    assert "\n" not in message
    return message


def test_a_good_file_parses() -> None:
    assert parse(Table, GOOD, name="demo.yaml").grants[1].days == 5


def test_an_unknown_field_names_file_line_and_field() -> None:
    text = GOOD.replace("    days: 5\n", "    days: 5\n    colour: red\n")
    assert _fault(text).startswith("demo.yaml, line 7: grants.1.colour: Extra inputs")


def test_a_wrong_type_names_file_line_and_field() -> None:
    text = GOOD.replace("days: 5", "days: five")
    message = _fault(text)
    assert message.startswith("demo.yaml, line 6: grants.1.days: Input should be a valid integer")
    assert "found 'five'" in message


def test_a_missing_field_names_file_line_of_its_parent_and_field() -> None:
    text = GOOD.replace("  - role: screener\n", "  - role_name: screener\n")
    assert _fault(text).startswith("demo.yaml, line 5: grants.1.role: ")


def test_broken_yaml_names_file_and_line() -> None:
    assert _fault(GOOD + "  - [unclosed\n").startswith("demo.yaml, line 8")


def test_a_model_validator_runs_under_python_optimised() -> None:
    """Checks are validators raising DataFileError, not asserts that `python -O` strips."""
    script = (
        "from jusoor.core.permissions import parse_matrix, PERMISSIONS_FILE\n"
        "import yaml\n"
        "data = yaml.safe_load(PERMISSIONS_FILE.path.read_text())\n"
        "data['roles'].append('superuser')\n"
        "try:\n"
        "    parse_matrix(data)\n"
        "except ValueError as e:\n"
        "    print('refused', str(e).splitlines()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("refused")


def test_htcds_fields_refuse_a_duplicate_or_misnamed_column_without_asserts() -> None:
    from jusoor.cases.htcds import HtcdsFieldsFile

    text = (
        "columns:\n"
        "  - {column: jus_CaseReference, field: reference, kind: text}\n"
        "  - {column: jus_CaseReference, field: stage, kind: code}\n"
    )
    with pytest.raises(DataFileError, match="duplicate HTCDS column"):
        parse(HtcdsFieldsFile, text, name="htcds_fields.yaml")
    misnamed = text.replace("jus_CaseReference, field: stage", "CaseStatus, field: stage")
    with pytest.raises(DataFileError, match=r"line 3: columns\.1\.column: String should match"):
        parse(HtcdsFieldsFile, misnamed, name="htcds_fields.yaml")
    unknown_kind = text.replace("kind: code", "kind: colour")
    with pytest.raises(DataFileError, match=r"line 3: columns\.1\.kind: Input should be"):
        parse(HtcdsFieldsFile, unknown_kind, name="htcds_fields.yaml")


def test_check_all_stops_start_up_on_a_file_that_breaks_its_model(
    registry: dict[Path, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check_all()` (for the app factory and `jusoor init`) raises the first fault, one line."""
    wrong = datafiles.DataFile("jusoor.core", "permissions.yaml", Table)
    monkeypatch.setitem(datafiles._DECLARED, Path("/nowhere/wrong.yaml"), wrong)
    with pytest.raises(DataFileError) as raised:
        check_all()
    assert raised.value.message.startswith("jusoor/core/permissions.yaml, line ")
    assert "\n" not in raised.value.message
