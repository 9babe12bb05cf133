"""Names shown to people for the codes of this domain: kinds of service, states, actions."""

from __future__ import annotations

from jusoor.cases.fields import catalogue
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.referrals.models import ServiceKind

# Public: the exchange domain's transnational referral form names the same services.
SERVICE_KIND_LABELS: dict[str, str] = {
    ServiceKind.shelter: N_("Shelter"),
    ServiceKind.medical: N_("Medical care"),
    ServiceKind.psychosocial: N_("Psychosocial support"),
    ServiceKind.legal_aid: N_("Legal aid"),
    ServiceKind.interpretation: N_("Interpretation"),
    ServiceKind.education: N_("Education"),
    ServiceKind.vocational_training: N_("Vocational training"),
    ServiceKind.financial_support: N_("Financial support"),
    ServiceKind.family_tracing: N_("Family tracing"),
    ServiceKind.child_protection: N_("Child protection"),
    ServiceKind.return_reintegration: N_("Return and reintegration"),
}

_STATUSES = {
    "requested": N_("requested"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "revoked": N_("revoked"),
}

_ACTIONS = {
    "accept": N_("Accept"),
    "decline": N_("Decline"),
    "start": N_("Start the service"),
    "complete": N_("Mark as completed"),
    "revoke": N_("Withdraw the referral"),
}


def service_kind_label(kind: ServiceKind | str) -> str:
    try:
        return _(SERVICE_KIND_LABELS[ServiceKind(kind)])
    except ValueError:
        return str(kind)


def service_kind_choices() -> list[tuple[str, str]]:
    return [(str(kind), _(label)) for kind, label in SERVICE_KIND_LABELS.items()]


def status_label(status: str) -> str:
    return _(_STATUSES[status]) if status in _STATUSES else status


def action_label(action: str) -> str:
    return _(_ACTIONS[action]) if action in _ACTIONS else action


# Offered ticked on a new referral: what most services need, and nothing that identifies.
DEFAULT_SHARED = ("age_band", "gender", "languages", "is_child")


def _checklist() -> dict[str, str]:
    """The case fields a referral can show (`jusoor.cases.fields`), as the checklist names them."""
    return {f.name: f.checklist_label for f in catalogue() if f.shared != "owners"}


def field_label(field: str) -> str:
    labels = _checklist()
    return _(labels[field]) if field in labels else field


def field_choices(fields: frozenset[str]) -> list[tuple[str, str]]:
    """The checklist of shareable fields, in the order of the case file."""
    return [(key, _(label)) for key, label in _checklist().items() if key in fields]


def template_helpers() -> dict[str, object]:
    """The label functions this domain's templates call."""
    return {
        "service_kind_label": service_kind_label,
        "status_label": status_label,
        "action_label": action_label,
        "field_label": field_label,
    }
