"""The case field catalogue (`fields.yaml`): every field of a case file once, with its type,
vocabulary, encryption, who it may be shared with and its label.

Need-to-know (`access`), the profile form (`forms`), the API view (`views`), the HTCDS columns
(`htcds.columns`) and the referral share checklist read their field lists from here, so a new field is
one entry here (and its column, schema field and migration), not six edits.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import model_validator

from jusoor.cases.vocabulary import (
    AGE_BANDS,
    FORMS_OF_EXPLOITATION,
    MEANS_OF_CONTROL,
    RECRUITER_RELATIONS,
    Gender,
    Stage,
)
from jusoor.core.datafiles import StrictModel, declare

FieldType = Literal[
    "text", "code", "codes", "countries", "languages", "date", "bool", "int", "guardian", "records"
]
Vocabulary = Literal["stage", "gender", "age_band", "form", "means", "relation"]
Sharing = Literal["always", "grant", "owners"]
CODED: frozenset[str] = frozenset({"code", "codes"})


def vocabulary_codes(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The codes a vocabulary of `jusoor.cases.vocabulary` accepts, in their order."""
    if vocabulary == "stage":
        return tuple(s.value for s in Stage)
    if vocabulary == "gender":
        return tuple(g.value for g in Gender)
    if vocabulary == "age_band":
        return tuple(AGE_BANDS)
    return {
        "form": FORMS_OF_EXPLOITATION,
        "means": MEANS_OF_CONTROL,
        "relation": RECRUITER_RELATIONS,
    }[vocabulary]


class CaseField(StrictModel):
    """One entry of `fields.yaml`."""

    name: str
    type: FieldType
    vocabulary: Vocabulary | None = None
    profile: bool = False
    encrypted: bool = False
    shared: Sharing = "grant"
    column: str | None = None
    label: str | None = None
    share_label: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CaseField:
        if (self.type in CODED) != (self.vocabulary is not None):
            raise ValueError("a vocabulary is given for code and codes fields, and only for them")
        if self.shared != "owners" and not self.label:
            raise ValueError("a field shown to anyone but its owners needs a label")
        if self.type == "records" and (self.profile or self.shared != "owners"):
            raise ValueError("records are not profile fields and stay with the owners")
        return self

    @property
    def model_column(self) -> str | None:
        """The `Case` column holding this field (None for records kept in their own tables)."""
        return None if self.type == "records" else self.column or self.name

    @property
    def checklist_label(self) -> str:
        """The msgid naming this field in the share checklist."""
        return self.share_label or self.label or self.name


class FieldsFile(StrictModel):
    """`fields.yaml`; checks are validators (not asserts), so they hold under `python -O`."""

    fields: tuple[CaseField, ...]

    @model_validator(mode="after")
    def _unique_names(self) -> FieldsFile:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("duplicate case field")
        return self


FIELDS_FILE = declare("jusoor.cases", "fields.yaml", FieldsFile)


@cache
def catalogue() -> tuple[CaseField, ...]:
    """Every field of a case file, in the order of the case file."""
    return FIELDS_FILE.load().fields


@cache
def by_name() -> dict[str, CaseField]:
    return {f.name: f for f in catalogue()}


def names(*, shared: Sharing | None = None, profile: bool | None = None) -> tuple[str, ...]:
    """The field names, in catalogue order, narrowed to one kind of sharing and/or the profile."""
    return tuple(
        f.name
        for f in catalogue()
        if (shared is None or f.shared == shared) and (profile is None or f.profile == profile)
    )


def profile_fields(*types: FieldType) -> tuple[CaseField, ...]:
    """The profile fields (of the given types, or all), in catalogue order."""
    return tuple(f for f in catalogue() if f.profile and (not types or f.type in types))


def profile_names(*types: FieldType) -> tuple[str, ...]:
    return tuple(f.name for f in profile_fields(*types))
