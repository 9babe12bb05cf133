"""The HTCDS export writes exactly the bytes frozen when it was aligned on the HTCDS 2.0 field
standards (issue 17; first frozen before the field catalogue, issue 15): two fixed cases, one read
whole with its records (an identification decision, referrals, consents) and one through a narrow
grant, rendered as CSV and JSON and compared with the frozen files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jusoor.cases.access import ALL_FIELDS
from jusoor.cases.htcds import export as htcds
from jusoor.cases.htcds.facts import CaseFacts, OutgoingReferral
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import Gender, Stage

DATA = Path(__file__).parent / "data"


def _cases() -> list[tuple[Case, frozenset[str]]]:
    whole = Case(
        reference="MA-2026-000001",
        stage=Stage.assistance,
        gender=Gender.unknown,
        age=25,
        age_band=None,
        is_child=False,
        citizenship=["NG", "GH"],
        languages=["en", "ar", "ha"],
        countries_of_origin=["NG"],
        countries_of_transit=["NE", "DZ"],
        countries_of_exploitation=["MA"],
        forms_of_exploitation=["forced_labour", "forced_military_by_non_state_actors"],
        means_of_control=["debt_bondage", "withholds_documents"],
        recruiter_relation="unacquainted",
        name="Never Exported",
        contact="+212600000001",
        opened_at=dt.datetime(2026, 1, 31, 23, 0, tzinfo=dt.UTC),
    )
    shared = Case(
        reference="TN-2026-000002",
        stage=Stage.closed,
        gender=Gender.transgender_feminine,
        age=None,
        age_band="9-17",
        is_child=True,
        citizenship=["TN"],
        languages=["fr"],
        countries_of_origin=[],
        countries_of_transit=[],
        countries_of_exploitation=["TN", "LY"],
        forms_of_exploitation=["surrogacy", "forced_criminality"],
        means_of_control=[],
        recruiter_relation="intimate_partner",
        opened_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        closed_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    grant = frozenset(
        {"reference", "stage", "gender", "age_band", "is_child", "languages"}
        | {"forms_of_exploitation", "recruiter_relation"}
    )
    return [(whole, ALL_FIELDS), (shared, grant)]


FACTS = CaseFacts(
    decision="actual",
    referrals=(
        OutgoingReferral(
            "MA-SHELTER", "service", dt.datetime(2026, 2, 3, tzinfo=dt.UTC), "shelter"
        ),
        OutgoingReferral("NG", "abroad", dt.datetime(2026, 4, 5, tzinfo=dt.UTC)),
    ),
    consents=("assistance", "data_for_statistics"),
)


@pytest.mark.parametrize("fmt", htcds.FORMATS)
def test_export_bytes_are_unchanged(fmt: htcds.Format) -> None:
    rows = [htcds.htcds_row(case, fields, FACTS) for case, fields in _cases()]
    expected = (DATA / f"htcds_golden.{fmt}").read_text(encoding="utf-8")
    assert htcds.render(rows, fmt) == expected
