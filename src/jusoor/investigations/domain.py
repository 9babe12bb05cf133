"""Investigation and prosecution files as a domain of the node: pages, API, CLI, menu entry, and
the panels each kind of object adds to the file page."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry


def register() -> None:
    """The file page's panels and the timeline's words, one line per module that owns them."""
    from jusoor.investigations import assets, attachments, exhibits, instruments, links
    from jusoor.investigations.panels import register_panel
    from jusoor.investigations.timeline import register_kinds

    evidence = (
        (assets, "_assets.html", 60),
        (exhibits, "_exhibits.html", 62),
        (instruments, "_instruments.html", 64),
        (attachments, "_attachments.html", 66),
        (links, "_links.html", 68),
    )
    for module, template, order in evidence:
        name = module.__name__.rsplit(".", 1)[-1]
        register_panel(name, module.panel, template=f"investigations/{template}", order=order)
        register_kinds(module.TIMELINE_KINDS, module.TIMELINE_DETAILS)


DOMAIN = Domain(
    name="investigations",
    routers=(
        "jusoor.investigations.pages",
        "jusoor.investigations.api",
        "jusoor.investigations.evidence_pages",
        "jusoor.investigations.evidence_api",
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
