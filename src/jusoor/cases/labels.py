"""Names shown to people for the codes of a case file, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jusoor.cases import extensions
from jusoor.cases.fields import by_name
from jusoor.cases.vocabulary import ConsentPurpose, Gender, Stage
from jusoor.core.i18n import N_, format_date
from jusoor.core.i18n import gettext as _
from jusoor.web.labels import countries_label, languages_label

_STAGES = {
    Stage.identification: N_("Identification"),
    Stage.reasonable_grounds: N_("Reasonable grounds decision"),
    Stage.recovery_reflection: N_("Recovery and reflection period"),
    Stage.assistance: N_("Assistance and support"),
    Stage.return_reintegration: N_("Return and reintegration"),
    Stage.residence_inclusion: N_("Residence and social inclusion"),
    Stage.proceedings: N_("Criminal or civil proceedings and compensation"),
    Stage.closed: N_("Closed"),
}

_PURPOSES = {
    ConsentPurpose.assistance: N_("Assistance"),
    ConsentPurpose.referral: N_("Referral to an agency"),
    ConsentPurpose.data_for_statistics: N_("Data for statistics"),
    ConsentPurpose.cross_border_transfer: N_("Cross-border transfer"),
    ConsentPurpose.criminal_proceedings: N_("Cooperation with criminal proceedings"),
}

_GENDERS = {
    Gender.feminine: N_("Female"),
    Gender.masculine: N_("Male"),
    Gender.transgender_feminine: N_("Transgender female"),
    Gender.transgender_masculine: N_("Transgender male"),
    Gender.non_conforming: N_("Gender non-conforming"),
    Gender.unknown: N_("Not specified or unknown"),
}


def stage_label(stage: Stage | str) -> str:
    try:
        return _(_STAGES[Stage(stage)])
    except ValueError:
        return unknown_code(str(stage))


def purpose_label(purpose: ConsentPurpose | str) -> str:
    try:
        return _(_PURPOSES[ConsentPurpose(purpose)])
    except ValueError:
        return unknown_code(str(purpose))


def gender_label(gender: Gender | str) -> str:
    try:
        return _(_GENDERS[Gender(gender)])
    except ValueError:
        return unknown_code(str(gender))


_FORMS = {
    "forced_labour": N_("Forced labour"),
    "sexual_exploitation": N_("Sexual exploitation"),
    "child_labour": N_("Child labour"),
    "forced_marriage": N_("Forced marriage"),
    "servitude": N_("Servitude"),
    "forced_military_by_non_state_actors": N_("Forced recruitment by armed groups"),
    "organ_removal": N_("Removal of organs"),
    "forced_begging": N_("Forced begging"),
    "forced_adoption": N_("Forced adoption"),
    "surrogacy": N_("Forced surrogacy"),
    "forced_criminality": N_("Forced criminality"),
    "other": N_("Other"),
}

_MEANS = {
    "physical_threats": N_("Threats of violence"),
    "threats_law_enforcement": N_("Threats of denunciation to the authorities"),
    "threatens_children_family": N_("Threats against children or family"),
    "debt_bondage": N_("Debt bondage"),
    "false_promises": N_("False promises"),
    "physical_abuse": N_("Physical abuse"),
    "sexual_abuse": N_("Sexual abuse"),
    "takes_earnings": N_("Takes earnings"),
    "restricts_financial_access": N_("Restricts access to money"),
    "restricts_medical_care": N_("Restricts medical care"),
    "withholds_necessities": N_("Withholds food, water or sleep"),
    "psychological_abuse": N_("Psychological abuse"),
    "psychoactive_substance": N_("Forced use of drugs or alcohol"),
    "excessive_working_hours": N_("Excessive working hours"),
    "withholds_documents": N_("Withholds identity documents"),
    "other": N_("Other"),
}

_RELATIONS = {
    "familial": N_("Family member"),
    "intimate_partner": N_("Intimate partner"),
    "acquainted": N_("Acquaintance or friend"),
    "unacquainted": N_("Stranger"),
    "unknown": N_("Unknown"),
}

_EVENTS = {
    "opened": N_("Case opened"),
    "profile_edited": N_("Profile edited"),
    "note_added": N_("Note added"),
    "task_added": N_("Task added"),
    "task_done": N_("Task done"),
    "stage_moved": N_("Stage changed"),
    "consent_given": N_("Consent given"),
    "consent_withdrawn": N_("Consent withdrawn"),
    "consent_overridden": N_("Acted without consent (override)"),
    "reflection_ended_early": N_("Recovery and reflection period ended early (override)"),
    "guardian_recorded": N_("Guardian recorded"),
    "best_interests_recorded": N_("Best-interests step recorded"),
}


def code_label(kind: str, code: str) -> str:
    """The reader's name for a code of one vocabulary (`form`, `means`, `relation`, `event`)."""
    # Events other domains write are labelled by them (cases.extensions.register_case_events).
    events = {**_EVENTS, **extensions.case_events()}
    table = {"form": _FORMS, "means": _MEANS, "relation": _RELATIONS, "event": events}[kind]
    return _(table[code]) if code in table else unknown_code(code)


def unknown_code(code: str) -> str:
    """A code outside the vocabulary (another node's, an older version's) as words, not as
    `snake_case`: "domestic_servitude" -> "Domestic servitude"."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a form: `form`, `means`, `relation`, `gender`, `stage`, `purpose`."""
    if kind == "gender":
        return [(g.value, gender_label(g)) for g in Gender]
    if kind == "stage":
        return [(s.value, stage_label(s)) for s in Stage]
    if kind == "purpose":
        return [(p.value, purpose_label(p)) for p in ConsentPurpose]
    table = {"form": _FORMS, "means": _MEANS, "relation": _RELATIONS}[kind]
    return [(code, _(text)) for code, text in table.items()]


_YES, _NO = N_("Yes"), N_("No")


def value_label(field: str, value: Any) -> str:
    """A stored value of the case field `field` (`fields.yaml`) as the reader says it: countries
    and languages by name, codes by their label, lists joined; "" when there is none."""
    if value is None or value == "" or value == []:
        return ""
    spec = by_name().get(field)
    kind = spec.type if spec else None
    many = value if isinstance(value, list) else [value]
    if kind == "countries":
        return countries_label([str(v) for v in many])
    if kind == "languages":
        return languages_label([str(v) for v in many])
    if isinstance(value, bool):
        return _(_YES) if value else _(_NO)
    vocabulary = spec.vocabulary if spec else None
    if vocabulary == "stage":
        return ", ".join(stage_label(str(v)) for v in many)
    if vocabulary == "gender":
        return ", ".join(gender_label(str(v)) for v in many)
    if vocabulary in ("form", "means", "relation"):
        return ", ".join(code_label(vocabulary, str(v)) for v in many)
    return ", ".join(format_date(v) if isinstance(v, dt.date) else str(v) for v in many)
