"""Investigation and prosecution files as a domain of the node: pages, API, CLI, menu entry, and
the panels each kind of object adds to the file page."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry


def register() -> None:
    """The file page's panels and the timeline's words, one line per module that owns them."""
    _register_requests()


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
    # The request routers first: their fixed words (/investigations/from-abroad/…) must come
    # before a file id at the same place (tests/architecture/test_registry.py).
    routers=(
        "jusoor.investigations.request_pages",
        "jusoor.investigations.request_api",
        "jusoor.investigations.pages",
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
