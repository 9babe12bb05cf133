"""The reader's words for the criminal file's codes (stages, roles, origins, measures…)."""

from __future__ import annotations

import enum

from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.investigations import vocabulary as v

_LABELS: dict[type[enum.StrEnum], dict[str, str]] = {
    v.Stage: {
        "report": N_("Report received"),
        "preliminary_investigation": N_("Preliminary investigation"),
        "prosecution_decision": N_("Awaiting the prosecution's decision"),
        "no_charge": N_("Not charged"),
        "trial": N_("Trial"),
        "first_instance_judgment": N_("First-instance judgment"),
        "appeal": N_("Appeal"),
        "final": N_("Final judgment"),
        "closed": N_("Closed"),
    },
    v.Origin: {
        "victim_complaint": N_("Complaint by a victim"),
        "screening": N_("Screening of a presumed victim"),
        "nrm_referral": N_("Referral from the National Referral Mechanism"),
        "inspection": N_("Labour inspection"),
        "foreign_request": N_("Request from another country"),
        "proactive": N_("Proactive investigation"),
    },
    v.DefendantRole: {
        "recruiter": N_("Recruiter"),
        "transporter": N_("Transporter"),
        "harbourer": N_("Harbourer"),
        "exploiter": N_("Exploiter"),
        "financier": N_("Financier"),
        "document_forger": N_("Document forger"),
        "facilitator": N_("Facilitator"),
    },
    v.Sex: {"male": N_("Male"), "female": N_("Female"), "unknown": N_("Not known")},
    v.OffenceType: {
        "trafficking": N_("Trafficking in persons"),
        "smuggling": N_("Smuggling of migrants"),
        "related": N_("Related offence"),
    },
    v.ChargeStatus: {"charged": N_("Charged"), "withdrawn": N_("Withdrawn")},
    v.Instance: {"first_instance": N_("First instance"), "appeal": N_("Appeal")},
    v.Verdict: {"convicted": N_("Convicted"), "acquitted": N_("Acquitted")},
    v.HearingKind: {
        "first_appearance": N_("First appearance"),
        "evidence": N_("Hearing of evidence"),
        "victim_testimony": N_("Victim's testimony"),
        "pleadings": N_("Pleadings"),
        "verdict": N_("Verdict"),
        "appeal": N_("Appeal hearing"),
    },
    v.AssetKind: {
        "cash": N_("Cash"),
        "bank_account": N_("Bank account"),
        "real_estate": N_("Real estate"),
        "vehicle": N_("Vehicle"),
        "phone": N_("Phone"),
        "business": N_("Business"),
        "other": N_("Other"),
    },
    v.AssetStatus: {
        "seized": N_("Seized"),
        "frozen": N_("Frozen"),
        "confiscated": N_("Confiscated"),
        "released": N_("Released"),
    },
    v.ExhibitKind: {
        "document": N_("Document"),
        "phone": N_("Phone"),
        "computer": N_("Computer"),
        "storage_media": N_("Storage media"),
        "cash": N_("Cash"),
        "identity_document": N_("Identity document"),
        "other": N_("Other"),
    },
    v.InstrumentKind: {
        "search_warrant": N_("Search warrant"),
        "arrest_warrant": N_("Arrest warrant"),
        "court_order": N_("Court order"),
        "preservation_request": N_("Data preservation request"),
        "production_order": N_("Production order"),
        "freezing_order": N_("Freezing order"),
        "travel_ban": N_("Travel ban"),
    },
    v.InstrumentStatus: {
        "requested": N_("Requested"),
        "issued": N_("Issued"),
        "executed": N_("Executed"),
        "refused": N_("Refused"),
        "expired": N_("Expired"),
    },
    v.ProtectionMeasure: {
        "anonymity": N_("Anonymity"),
        "video_link": N_("Testimony by video link"),
        "protection_order": N_("Protection order"),
        "shelter_while_testifying": N_("Shelter while testifying"),
        "closed_hearing": N_("Hearing in camera"),
        "accompaniment": N_("Accompaniment by a support person"),
    },
    v.RequestKind: {
        "mla": N_("Mutual legal assistance"),
        "information": N_("Information request"),
        "joint_investigation": N_("Joint investigation"),
    },
    v.LinkRelation: {
        "related": N_("Related file"),
        "same_network": N_("Same network"),
        "joined": N_("Joined to this file"),
        "split_from": N_("Split from this file"),
    },
}


def label(kind: type[enum.StrEnum], code: enum.StrEnum | str | None) -> str:
    """The reader's name for `code` of the vocabulary `kind` ("—" when empty)."""
    if code is None or code == "":
        return "—"
    value = code.value if isinstance(code, enum.Enum) else str(code)
    text = _LABELS[kind].get(value)
    return _(text) if text else value


def choices(kind: type[enum.StrEnum]) -> list[tuple[str, str]]:
    """(code, label) pairs in the vocabulary's order, for a form's select."""
    return [(member.value, _(_LABELS[kind][member.value])) for member in kind]


def stage_label(stage: v.Stage | str) -> str:
    return label(v.Stage, stage)
