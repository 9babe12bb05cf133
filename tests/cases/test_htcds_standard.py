"""The HTCDS export follows the HTCDS 2.0 field standards (IOM): its header is the standard's
fields plus `jus_` columns, every value of a picklist column is in the standard's picklist, every
core field the node holds and may disclose is there, and no identifying field ever is."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jusoor.agencies.models import User
from jusoor.cases.access import ALL_FIELDS
from jusoor.cases.htcds import columns as htcds_columns
from jusoor.cases.htcds import export as htcds
from jusoor.cases.htcds import standard
from jusoor.cases.htcds.facts import CaseFacts, OutgoingReferral
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import (
    FORMS_OF_EXPLOITATION,
    MEANS_OF_CONTROL,
    RECRUITER_RELATIONS,
    Gender,
    Stage,
)
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.synth import demo
from tests.cases.support import actor

COLUMNS_YAML = Path(htcds_columns.__file__).with_name("columns.yaml")
# The standard's core fields a pseudonymised export never carries: they identify a person.
IDENTIFYING = {
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "cas_CaseOwner",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReferredPrimaryCaseWorker",
}
# Core fields left out for another reason, each explained in columns.yaml: not held by the node,
# free text, or an exact date / an incoming referral the node has no notion of.
NOT_EXPORTED = {
    "vic_MethodOfRecruitment",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_Vulnerabilities",
    "vic_DetailsOfVulnerabilities",
    "vic_TraffickingStatusDecisionMakingOrg",
    "cas_ReasonForCaseClosure",
    "cas_IncomingReferralDetails",
    "cas_OutgoingReferralDetails",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReasonForIncomingReferral",
    "cas_OutgoingReferralDate",
}


def _header() -> list[str]:
    return next(csv.reader(io.StringIO(htcds.render([], "csv"))))


def test_the_field_standards_sheet_is_read_whole() -> None:
    fields = standard.fields()
    assert len(fields) == 83 and sum(f.core for f in fields) == 40
    control = standard.by_name()["vic_MethodsOfControl"]
    assert control.multiple and control.section == "Person - Victim Context"
    assert "DebtBondage" in control.values  # the sheet writes "DebtBondage " (a stray space)
    assert "" not in standard.by_name()["spl_Type"].values  # nor its trailing empty line
    assert not standard.by_name()["prs_Citizenship"].picklist  # ISO 3166, not a closed list
    assert standard.by_name()["vic_RelationshipToTrafficker"].values == (
        "Familial",
        "Acquainted",
        "Unaquainted",  # [sic] in HTCDS 2.0
    )


def test_the_header_is_standard_fields_and_jus_columns_only() -> None:
    header = _header()
    known = set(standard.by_name())
    assert [c for c in header if not c.startswith("jus_") and c not in known] == []
    assert [c for c in header if c.startswith("jus_") and c[4:] in known] == []
    assert len(header) == len(set(header))


def test_every_core_field_the_node_may_disclose_is_exported() -> None:
    core = {f.name for f in standard.fields() if f.core}
    missing = core - set(_header())
    assert missing == IDENTIFYING | NOT_EXPORTED
    text = COLUMNS_YAML.read_text("utf-8")
    assert [name for name in sorted(NOT_EXPORTED) if name not in text] == []  # each explained


def test_no_identifying_or_free_text_field_is_ever_exported() -> None:
    fields = standard.by_name()
    exported = [fields[c] for c in _header() if c in fields]
    assert not IDENTIFYING & {f.name for f in exported}
    assert [f.name for f in exported if f.type in ("Text", "Long Text", "Date")] == []


def test_a_mapping_off_the_standard_is_refused_when_loaded() -> None:
    cols = htcds_columns.columns()
    relation = next(c for c in cols if c.column == "vic_RelationshipToTrafficker")
    off = relation.__class__(**{**relation.__dict__, "values": {"intimate_partner": "Partner"}})
    with pytest.raises(ValueError, match="vic_RelationshipToTrafficker: Partner is not a value"):
        htcds_columns.check_against_standard((off,))
    unknown = relation.__class__(**{**relation.__dict__, "column": "vic_Mood"})
    with pytest.raises(ValueError, match=r"vic_Mood is not a field of HTCDS 2\.0"):
        htcds_columns.check_against_standard((unknown,))


def _every_code_cases() -> list[Case]:
    """Hand-made cases between them holding every code of every coded field."""
    rows = []
    for gender, relation, form, means, stage in itertools.zip_longest(
        Gender, RECRUITER_RELATIONS, FORMS_OF_EXPLOITATION, MEANS_OF_CONTROL, Stage
    ):
        rows.append(
            Case(
                reference="MA-2026-000001",
                stage=stage or Stage.assistance,
                gender=gender or Gender.feminine,
                age_band="18-20",
                is_child=False,
                citizenship=["MA"],
                languages=["ar"],
                countries_of_origin=[],
                countries_of_transit=[],
                countries_of_exploitation=[],
                forms_of_exploitation=[form] if form else [],
                means_of_control=[means] if means else [],
                recruiter_relation=relation,
            )
        )
    return rows


FACTS = [
    CaseFacts(decision=decision, consents=consents, referrals=referrals)
    for decision, consents, referrals in [
        (None, (), ()),
        ("possible", ("assistance",), ()),
        ("actual", ("referral", "data_for_statistics"), ()),
        ("not_a_victim", (), ()),
    ]
] + [
    CaseFacts(
        referrals=(OutgoingReferral("MA-NGO", reason, dt.datetime(2026, 5, 1, tzinfo=dt.UTC)),)
    )
    for reason in ("service", "abroad")
]


def _picklist_problems(rows: list[dict[str, object]]) -> list[tuple[str, object]]:
    fields = standard.by_name()
    problems = []
    for row in rows:
        for column, value in row.items():
            field = fields.get(column)
            if field is None or not field.picklist or value in (None, []):
                continue
            for item in value if isinstance(value, list) else [value]:
                if item not in field.values:
                    problems.append((column, item))
    return problems


def test_every_value_of_every_code_is_in_the_standards_picklist() -> None:
    rows = [
        htcds.htcds_row(case, ALL_FIELDS, facts)
        for case, facts in itertools.product(_every_code_cases(), FACTS)
    ]
    assert _picklist_problems(rows) == []
    written = {v for row in rows for v in row["vic_TypeOfExploitation"]}  # type: ignore[attr-defined]
    assert written == set(standard.by_name()["vic_TypeOfExploitation"].values)
    statuses = {row["vic_TraffickingStatus"] for row in rows}
    assert statuses == set(standard.by_name()["vic_TraffickingStatus"].values)
    reasons = {row["cas_ReasonForOutgoingReferral"] for row in rows} - {None}
    assert reasons == {"AdditionalServicesRequired", "MigrationOrChangeOfLocation"}


def test_jusoors_finer_codes_are_kept_beside_the_standards_coarser_values() -> None:
    case = _every_code_cases()[0]
    case.forms_of_exploitation = ["forced_criminality", "other", "forced_labour"]
    case.recruiter_relation = "intimate_partner"
    row = htcds.htcds_row(case, ALL_FIELDS)
    assert row["vic_TypeOfExploitation"] == ["Other", "ForcedLabour"]
    assert row["jus_TypeOfExploitation"] == ["forced_criminality", "other", "forced_labour"]
    assert row["vic_RelationshipToTrafficker"] == "Acquainted"
    assert row["jus_RelationshipToTrafficker"] == "intimate_partner"
    case.recruiter_relation = "unknown"  # the standard has no value for it: left empty
    row = htcds.htcds_row(case, ALL_FIELDS)
    assert row["vic_RelationshipToTrafficker"] is None
    assert row["jus_RelationshipToTrafficker"] == "unknown"


def test_the_whole_demo_exports_inside_the_standard(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        demo.load(session, actor=system_actor("demo"), password="demo-password-2026", cases=30)
    rows: list[dict[str, object]] = []
    with demo_sqlite.unit_of_work() as session:
        users = session.scalars(select(User.username).where(User.is_demo.is_(True))).all()
        for username in users:  # every case worker and provider of the demo exports
            exporter = actor(session, username)
            if exporter.can("cases.export"):
                rows += htcds.export_cases(session, actor=exporter, fmt="csv").rows
        total = session.scalar(select(func.count()).select_from(Case))
    assert total and len({row["jus_CaseReference"] for row in rows}) == total
    assert _picklist_problems(rows) == []
    owned = [row for row in rows if "vic_TraffickingStatus" in row]  # owners see the timeline
    statuses = Counter(row["vic_TraffickingStatus"] for row in owned)
    # The demo's screenings decide some cases: the decisions on their timelines are exported.
    assert statuses["ActualVictimOfTrafficking"] and statuses["PossibleVictimOfTrafficking"]
    assert {row["jus_CaseSource"] for row in owned} == {"screening", "direct"}
    assert any(row["cas_ReferredOrganisation"] for row in owned)
