"""Investigation and prosecution files as a domain of the node: pages, API, CLI, menu entry, and
the panels each kind of object adds to the file page."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.investigations import people_pages


def register() -> None:
    """The file page's panels and the timeline's words, one line per module that owns them."""
    people_pages.register()


DOMAIN = Domain(
    name="investigations",
    routers=(
        "jusoor.investigations.pages",
        "jusoor.investigations.people_pages",
        "jusoor.investigations.people_api",  # before api: /investigations/figures is no file id
        "jusoor.investigations.api",
    ),
    cli={"investigations": "jusoor.investigations.cli:app"},
    nav=(NavEntry("/investigations", N_("Investigations"), "investigations.read", order=45),),
    home={
        "/investigations": N_(
            "Investigation and prosecution files: suspects, charges, evidence, hearings, judgments."
        ),
    },
    models=("jusoor.investigations.models",),
    data_files=("jusoor.investigations.offences", "jusoor.investigations.workflow"),
    templates="jusoor.investigations",
    register=register,
)
