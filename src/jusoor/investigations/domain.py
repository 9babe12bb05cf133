"""Investigation and prosecution files as a domain of the node: pages, API, CLI, menu entry, and
the panels each kind of object adds to the file page."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.investigations import audit_words, from_screening, identification, people_pages
from jusoor.screening.result_actions import register_result_action


def register() -> None:
    """The file page's panels and the timeline's words, one line per module that owns them."""
    from jusoor.investigations import (
        assets,
        attachments,
        court_panels,
        exhibits,
        instruments,
        links,
        panels,
        timeline,
    )

    # Defendants, victims (by case reference), the network; the case page's witness panel.
    people_pages.register()
    # The audit trail names a file by its reference.
    audit_words.register()
    # The workspace's "Awaiting formal identification": screening's queue of the country.
    identification.provide_identification(identification.screening_queue)
    # The screening result page's "Open an investigation file", and the screening it came from
    # on the file's timeline.
    register_result_action("investigations", from_screening.result_action)
    timeline.register_kinds({}, {"opened": from_screening.opened_detail})

    panels.register_panel(
        "charges",
        court_panels.charges_panel,
        template="investigations/_charges.html",
        order=30,
        opened=True,
    )
    panels.register_panel(
        "hearings", court_panels.hearings_panel, template="investigations/_hearings.html", order=35
    )
    timeline.register_kinds(court_panels.TIMELINE_KINDS, court_panels.TIMELINE_DETAILS)
    evidence = (
        (assets, "_assets.html", 60),
        (exhibits, "_exhibits.html", 62),
        (instruments, "_instruments.html", 64),
        (attachments, "_attachments.html", 66),
        (links, "_links.html", 68),
    )
    for module, template, order in evidence:
        name = module.__name__.rsplit(".", 1)[-1]
        panels.register_panel(
            name, module.panel, template=f"investigations/{template}", order=order
        )
        timeline.register_kinds(module.TIMELINE_KINDS, module.TIMELINE_DETAILS)
    _register_requests()
    _register_uploads()


def _register_uploads() -> None:
    """Documents are larger than the node's cap on a request: their two routes, and only they,
    take a document's worth (web.body_limits)."""
    from jusoor.investigations import attachments
    from jusoor.web import body_limits

    for method, path in attachments.UPLOAD_ROUTES:
        body_limits.allow(
            method,
            path,
            limit=attachments.upload_limit,
            field="file",
            message=attachments.too_large,
        )


def _register_requests() -> None:
    """Requests abroad: the file's panel and timeline words, and the exchange's extension points
    (exchange sits below investigations and calls up only through them)."""
    from jusoor.exchange import extensions as exchange
    from jusoor.investigations import panels, request_pages, request_received, request_threads
    from jusoor.investigations.timeline import register_kinds

    panels.register_panel(
        "requests", request_pages.panel, template="investigations/_requests.html", order=80
    )
    register_kinds(request_threads.KINDS, request_threads.DETAILS)
    exchange.register_draft_note("investigations", request_received.draft_note)
    exchange.register_on_draft_sent("investigations", request_threads.on_draft_sent)
    exchange.register_on_thread_message("investigations", request_threads.on_thread_message)
    exchange.register_thread_panel(
        "investigations",
        request_received.thread_panel,
        template="investigations/_thread_files.html",
    )


DOMAIN = Domain(
    name="investigations",
    # Routes with a fixed word under /investigations (workspace, from-abroad, figures,
    # instruments/deadlines) come before those reading a file id at the same place
    # (tests/architecture/test_registry.py).
    routers=(
        "jusoor.investigations.workspace_pages",
        "jusoor.investigations.figures_pages",
        "jusoor.investigations.from_screening_api",
        "jusoor.investigations.request_pages",
        "jusoor.investigations.request_api",
        "jusoor.investigations.pages",
        "jusoor.investigations.evidence_pages",
        "jusoor.investigations.evidence_api",
        "jusoor.investigations.people_pages",
        "jusoor.investigations.people_api",
        "jusoor.investigations.api",
        "jusoor.investigations.court_pages",
        "jusoor.investigations.court_api",
    ),
    cli={"investigations": "jusoor.investigations.cli:app"},
    nav=(
        NavEntry("/investigations/workspace", N_("My work"), "investigations.read", order=44),
        NavEntry("/investigations", N_("Investigations"), "investigations.read", order=45),
        NavEntry(
            "/investigations/figures",
            N_("Criminal-justice figures"),
            "investigations.figures",
            order=95,
        ),
    ),
    home={
        "/investigations/workspace": N_(
            "Start your day: files waiting on you, hearings this week, deadlines, recent activity."
        ),
        "/investigations": N_(
            "Investigation and prosecution files: suspects, charges, evidence, hearings, judgments."
        ),
        "/investigations/figures": N_(
            "The year's persons brought into formal contact, prosecuted and convicted, as UNODC asks."
        ),
    },
    models=("jusoor.investigations.models",),
    data_files=("jusoor.investigations.offences", "jusoor.investigations.workflow"),
    templates="jusoor.investigations",
    register=register,
)
