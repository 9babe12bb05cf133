"""Referrals and the service directory as a domain of the node, and what they add to cases:
the fields a referral shares, the case page's referrals panel and the `referral` timeline event."""

from __future__ import annotations

from jusoor.audit import sentences
from jusoor.cases import access, extensions
from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.referrals import case_pages, grants, labels, service


def register() -> None:
    # Referrals share case fields with the receiving agency (cases.access, need-to-know).
    access.register_grant_source(grants.SOURCE)
    extensions.register_case_panel(
        "referrals", case_pages.case_panel, template="referrals/_case_referrals.html"
    )
    extensions.register_case_events("referrals", {service.CASE_EVENT: N_("Referral")})
    # How the audit trail says a referral's states and a service's kind.
    sentences.register_detail_words("referral.", "from", labels.status_label)
    sentences.register_detail_words("referral.", "to", labels.status_label)
    sentences.register_detail_words("referral.", "status", labels.status_label)
    sentences.register_detail_words("service.", "kind", labels.service_kind_label)
    sentences.register_detail_words("referral.create", "shared", labels.field_label)


DOMAIN = Domain(
    name="referrals",
    routers=("jusoor.referrals.pages", "jusoor.referrals.api"),
    cli={
        "services": "jusoor.referrals.cli:services_app",
        "referrals": "jusoor.referrals.cli:referrals_app",
    },
    nav=(
        NavEntry("/referrals", N_("Referrals"), "referrals.read", order=70),
        NavEntry("/services", N_("Services"), "services.read", order=80),
    ),
    home={
        "/referrals": N_(
            "Referrals to and from your agency: answer them, record the services given."
        ),
        "/services": N_(
            "The directory of shelters, medical, legal and other services, with capacity."
        ),
    },
    models=("jusoor.referrals.models",),
    data_files=("jusoor.referrals.workflow",),
    templates="jusoor.referrals",
    register=register,
)
