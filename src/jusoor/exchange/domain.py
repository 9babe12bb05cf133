"""Cross-border exchange as a domain of the node, and what it adds to cases: the panel of
referrals abroad on the case page and the `referral_abroad` timeline event."""

from __future__ import annotations

from jusoor.audit import sentences
from jusoor.cases import extensions
from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.exchange import arrival, case_pages, referral
from jusoor.exchange.labels import LABELS


def register() -> None:
    extensions.register_case_panel(
        "exchange", case_pages.case_panel, template="exchange/_case_exchange.html"
    )
    extensions.register_case_events(
        "exchange",
        {
            referral.CASE_EVENT: N_("Transnational referral"),
            arrival.CASE_EVENT: N_("Referral from abroad accepted"),
        },
    )
    # How the audit trail says the kind of a message and of a contact point.
    sentences.register_detail_words("exchange.", "type", LABELS.type)
    sentences.register_detail_words("exchange.contact.", "kind", LABELS.contact_kind)


DOMAIN = Domain(
    name="exchange",
    routers=("jusoor.exchange.api", "jusoor.exchange.pages"),
    cli={"exchange": "jusoor.exchange.cli:app"},
    nav=(
        NavEntry("/exchange", N_("Cross-border exchange"), "exchange.read", order=100),
        NavEntry(
            "/exchange/contacts", N_("Contact points abroad"), "exchange.directory.read", order=110
        ),
        NavEntry("/exchange/peers", N_("Peer nodes"), "exchange.manage", order=120),
    ),
    home={
        "/exchange": N_(
            "Requests to and from other countries: legal assistance, information, referrals."
        ),
        "/exchange/contacts": N_("Competent authorities and contact points of each country."),
        "/exchange/peers": N_("Other countries' nodes this node exchanges with, and their keys."),
    },
    models=("jusoor.exchange.models",),
    data_files=("jusoor.exchange.threads",),
    templates="jusoor.exchange",
    register=register,
)
