"""Victims' cases as a domain of the node: pages, API, CLI, menu entry, tables and data files.

Cases registers with the audit trail how its cases and codes are said (`cases.audit_words`); the
domains built on it register with `cases.extensions`.
"""

from __future__ import annotations

from jusoor.cases import audit_words
from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry


def register() -> None:
    audit_words.register()


DOMAIN = Domain(
    name="cases",
    routers=(
        "jusoor.cases.pages",
        "jusoor.cases.htcds.api",  # before cases.api: /cases/export is not a case id
        "jusoor.cases.api",
    ),
    cli={"cases": "jusoor.cases.cli:app"},
    nav=(NavEntry("/cases", N_("Cases"), "cases.read", order=50),),
    home={
        "/cases": N_(
            "Follow victims' cases through the referral mechanism: consent, stages, tasks and notes."
        ),
    },
    models=("jusoor.cases.models",),
    data_files=("jusoor.cases.fields", "jusoor.cases.workflow", "jusoor.cases.htcds.columns"),
    templates="jusoor.cases",
    register=register,
)
