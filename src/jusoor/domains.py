"""Where the domains register with the extension points of the layers below them, in one place.

A lower package never imports a higher one (DESIGN.md "Layers"): cases offers a grant-source
registry, case-page panels and an on-saved hook, and the domains built on it are wired in here,
explicitly. `register_all()` is called by the app factory (`jusoor.app.create_app`), by the
CLI's root callback (`jusoor.cli.main`) and by the test fixtures; never by an import side effect.
"""

from __future__ import annotations

from jusoor.cases import access, extensions
from jusoor.entities import case_persons, review_pages
from jusoor.exchange import case_pages as exchange_case_pages
from jusoor.referrals import case_pages as referral_case_pages
from jusoor.referrals import grants


def register_all() -> None:
    """Register every domain's extensions; calling it again changes nothing."""
    # Referrals share case fields with the receiving agency (cases.access, need-to-know).
    access.register_grant_source(grants.SOURCE)
    # The case page's panels, in the order the page has always merged them.
    extensions.register_case_panel("referrals", referral_case_pages.case_panel)
    extensions.register_case_panel("exchange", exchange_case_pages.case_panel)
    extensions.register_case_panel("entities", review_pages.case_matches_panel)
    # The person of a saved case is indexed, so that other cases find it.
    extensions.register_on_case_saved("entities", case_persons.index_case)
    extensions.mark_registered()
