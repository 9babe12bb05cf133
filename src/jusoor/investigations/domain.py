"""Investigation and prosecution files as a domain of the node: pages, API, CLI, menu entry, and
the panels each kind of object adds to the file page."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.investigations import identification


def register() -> None:
    """The file page's panels and the timeline's words, one line per module that owns them."""
    from jusoor.investigations import court_panels, panels, timeline

    # The workspace's "Awaiting formal identification": screening's queue of the country.
    identification.provide_identification(identification.screening_queue)

    panels.register_panel(
        "charges", court_panels.charges_panel, template="investigations/_charges.html", order=30
    )
    panels.register_panel(
        "hearings", court_panels.hearings_panel, template="investigations/_hearings.html", order=35
    )
    timeline.register_kinds(court_panels.TIMELINE_KINDS, court_panels.TIMELINE_DETAILS)


DOMAIN = Domain(
    name="investigations",
    # The workspace first: its path would otherwise be read as a file id.
    routers=(
        "jusoor.investigations.workspace_pages",
        "jusoor.investigations.pages",
        "jusoor.investigations.api",
        "jusoor.investigations.court_pages",
        "jusoor.investigations.court_api",
    ),
    cli={"investigations": "jusoor.investigations.cli:app"},
    nav=(
        NavEntry("/investigations/workspace", N_("My work"), "investigations.read", order=44),
        NavEntry("/investigations", N_("Investigations"), "investigations.read", order=45),
    ),
    home={
        "/investigations/workspace": N_(
            "Start your day: files waiting on you, hearings this week, deadlines, recent activity."
        ),
        "/investigations": N_(
            "Investigation and prosecution files: suspects, charges, evidence, hearings, judgments."
        ),
    },
    models=("jusoor.investigations.models",),
    data_files=("jusoor.investigations.offences", "jusoor.investigations.workflow"),
    templates="jusoor.investigations",
    register=register,
)
