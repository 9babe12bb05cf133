"""Investigation entities as a domain of the node, and what they add to cases: the possible
matches panel of the case page, and the person index kept up to date on every saved case."""

from __future__ import annotations

from jusoor.cases import extensions
from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.entities import case_persons, review_pages


def register() -> None:
    extensions.register_case_panel(
        "entities",
        review_pages.case_matches_panel,
        template="entities/_case_matches_card.html",
        place="after_profile",
    )
    # The same matches inside the profile form, fed by review_pages.case_matches as typed.
    extensions.register_profile_fragment("entities", template="entities/_case_matches_profile.html")
    # The person of a saved case is indexed, so that other cases find it.
    extensions.register_on_case_saved("entities", case_persons.index_case)
    # The case list finds a case by its person's whole name or alias, through the blind index.
    extensions.register_case_search("entities", case_persons.case_ids_named)


DOMAIN = Domain(
    name="entities",
    routers=(
        "jusoor.entities.review_pages",  # before any /entities/{id} route: "review" is no id
        "jusoor.entities.pages",
        "jusoor.entities.api",
    ),
    cli={
        "names": "jusoor.entities.resolution.cli:app",
        "resolve": "jusoor.entities.resolution.persons_cli:app",
        "entities": "jusoor.entities.cli:app",
    },
    nav=(
        NavEntry("/entities", N_("Entities"), "entities.read", order=130),
        NavEntry("/entities/review", N_("Match review"), "entities.judge", order=150),
    ),
    home={
        "/entities": N_("Suspects, phones, documents and accounts: their links and their sources."),
        "/entities/review": N_(
            "Records that may be one person: confirm or reject the matches, or undo a decision."
        ),
    },
    models=("jusoor.entities.models",),
    data_files=("jusoor.entities.schemata", "jusoor.entities.resolution.normalise.table_files"),
    templates="jusoor.entities",
    register=register,
    # The person model the case page's matches score with (0.3-0.7 s: it brings Splink).
    warm=("jusoor.entities.matching.evidence:current_model",),
)
