"""The case field catalogue (`cases/fields.yaml`) agrees with the model, the schemas and the
labels, and what is derived from it is what was written out by hand before (issue 15)."""

from __future__ import annotations

import pytest

from jusoor.cases import access, fields, forms, views
from jusoor.cases.models import Case
from jusoor.cases.schemas import CaseProfile
from jusoor.core import catalogs
from jusoor.core.crypto import EncryptedText
from jusoor.core.datafiles import DataFileError, parse
from jusoor.core.i18n import gettext, use_locale
from jusoor.referrals import labels as referral_labels

PROFILE_TEXT = {
    "gender": "Gender",
    "age": "Age",
    "age_band": "Age band",
    "date_of_birth": "Date of birth",
    "is_child": "Child (under 18)",
    "citizenship": "Citizenship",
    "languages": "Languages",
    "countries_of_origin": "Countries of origin",
    "countries_of_transit": "Countries of transit",
    "countries_of_exploitation": "Countries of exploitation",
    "forms_of_exploitation": "Forms of exploitation",
    "means_of_control": "Means of control",
    "recruiter_relation": "Relation to the recruiter",
    "name": "Name",
    "aliases": "Other names",
    "contact": "Contact",
    "identity_documents": "Identity documents",
    "health_notes": "Health notes",
}
# The share checklist as referrals/labels.py wrote it out before the catalogue, in its order.
CHECKLIST = [
    ("reference", "Case reference"),
    ("stage", "Stage"),
    ("gender", "Gender"),
    ("age", "Age"),
    ("age_band", "Age band"),
    ("is_child", "Child"),
    ("citizenship", "Citizenship"),
    ("languages", "Languages"),
    ("countries_of_origin", "Countries of origin"),
    ("countries_of_transit", "Countries of transit"),
    ("countries_of_exploitation", "Countries of exploitation"),
    ("forms_of_exploitation", "Forms of exploitation"),
    ("means_of_control", "Means of control"),
    ("recruiter_relation", "Relation to the recruiter"),
    ("name", "Name"),
    ("aliases", "Other names"),
    ("date_of_birth", "Date of birth"),
    ("contact", "Contact"),
    ("identity_documents", "Identity documents"),
    ("health_notes", "Health notes"),
    ("guardian", "Guardian"),
]


def test_encrypted_fields_are_exactly_the_models_encrypted_columns() -> None:
    encrypted_columns = {
        column.name for column in Case.__table__.columns if isinstance(column.type, EncryptedText)
    }
    declared = {f.model_column for f in fields.catalogue() if f.encrypted}
    assert declared == encrypted_columns
    for field in fields.catalogue():
        if field.model_column is not None:
            assert field.model_column in Case.__table__.columns, field.name


def test_the_profile_schema_and_the_api_view_hold_the_catalogues_fields() -> None:
    assert set(CaseProfile.model_fields) == set(fields.profile_names())
    assert {f.name for f in fields.catalogue()} <= set(views.CaseRead.model_fields)


def test_need_to_know_sets_are_those_written_out_before() -> None:
    assert sorted(access.SHAREABLE_FIELDS) == sorted(name for name, _ in CHECKLIST[2:])
    assert {"reference", "stage"} == access.ALWAYS_SHARED
    assert (
        access.SHAREABLE_FIELDS | access.ALWAYS_SHARED | {"notes", "tasks", "consents", "timeline"}
    ) == access.ALL_FIELDS


def test_the_profile_form_reads_the_same_fields_with_the_same_labels() -> None:
    assert set(forms.TEXT_FIELDS) == {
        "gender", "age", "age_band", "date_of_birth", "recruiter_relation",
        "name", "aliases", "contact", "identity_documents", "health_notes",
    }  # fmt: skip
    assert forms.LIST_FIELDS == (
        "citizenship",
        "languages",
        "countries_of_origin",
        "countries_of_transit",
        "countries_of_exploitation",
    )
    assert forms.CHECKED_FIELDS == ("forms_of_exploitation", "means_of_control")
    labels = forms.labels()
    assert {k: labels[k] for k in PROFILE_TEXT} == PROFILE_TEXT
    assert labels["stage"] == "New stage"  # the stage form's own label, not the field's


def test_the_share_checklist_is_unchanged_in_labels_and_order() -> None:
    every = access.SHAREABLE_FIELDS | access.ALWAYS_SHARED
    assert referral_labels.field_choices(every) == CHECKLIST
    assert referral_labels.field_label("is_child") == "Child"
    assert referral_labels.field_label("notes") == "notes"


def test_catalogue_labels_are_extracted_from_the_data_file_and_translated() -> None:
    located = {
        m.id
        for m in catalogs.extract()
        if any(loc[0].endswith("cases/fields.yaml") for loc in m.locations)
    }
    labels = {f.label for f in fields.catalogue() if f.label}
    labels |= {f.share_label for f in fields.catalogue() if f.share_label}
    assert labels and labels == located
    for locale in ("ar", "fr"):
        with use_locale(locale):
            untranslated = [label for label in sorted(labels) if gettext(label) == label]
        assert not untranslated, locale


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{name: age, type: code, profile: true, label: Age}", r"line 2: fields\.0: Value error"),
        ("{name: age, type: decimal, label: Age}", r"line 2: fields\.0\.type: Input should be"),
        ("{name: age, type: int}", r"line 2: fields\.0: Value error, a field shown"),
    ],
)
def test_a_bad_entry_is_one_line_naming_the_line_and_field(entry: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=problem) as caught:
        parse(fields.FieldsFile, f"fields:\n  - {entry}\n", name="cases/fields.yaml")
    assert "\n" not in str(caught.value.message)


def test_entities_mirror_only_catalogued_fields() -> None:
    from jusoor.entities.scope import CASE_FIELDS, OWNERS_ONLY

    for schema, needed in CASE_FIELDS.items():
        assert needed <= access.SHAREABLE_FIELDS, schema
    assert set(OWNERS_ONLY) <= set(fields.names(shared="owners"))
