"""Organisations named in a text, resolved to the gazetteer in `gazetteers/organizations.yaml`.

Only catalogued organisations are returned: a body the gazetteer does not know is left out rather
than invented. A name several national bodies share ("اللجنة الوطنية لمكافحة الاتجار بالبشر" is the
name of the committees of the UAE, Qatar, Oman and Sudan) is resolved by the countries the text
mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from jusoor.monitor.reading.gazetteer import PhraseIndex, Token, by_language, load


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    acronym: str | None
    kind: str
    country: str | None  # for national bodies, ISO 3166-1 alpha-2
    names: dict[str, tuple[str, ...]]

    @property
    def name(self) -> str:
        """The display name: the first English name (the CLI and pages translate later)."""
        for lang in ("en", "fr", "ar"):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.id


@dataclass(frozen=True, slots=True)
class OrganizationMention:
    organization: Organization
    text: str  # as written in the document
    start: int
    end: int


@cache
def catalogue() -> dict[str, Organization]:
    """Every catalogued organisation by id."""
    entries = load("organizations.yaml")["organizations"]
    return {
        e["id"]: Organization(
            id=e["id"],
            acronym=e.get("acronym"),
            kind=e["kind"],
            country=e.get("country"),
            names={lang: tuple(names) for lang, names in e["names"].items()},
        )
        for e in entries
    }


@cache
def _index(lang: str | None) -> PhraseIndex[Organization | None]:
    data = load("organizations.yaml")
    orgs = catalogue()
    index: PhraseIndex[Organization | None] = PhraseIndex()
    for entry in data["organizations"]:
        org = orgs[entry["id"]]
        for name in by_language(entry["names"], lang):
            index.add(name, org)
        for acronym in by_language(entry.get("acronyms"), lang):
            index.add(acronym, org, case_sensitive=True)
        if org.acronym and org.acronym.isupper() and len(org.acronym) >= 4:
            # Long upper-case acronyms are unambiguous in every language (UNODC, INTERPOL).
            index.add(org.acronym, org, case_sensitive=True)
    for name in by_language(data["not_organizations"], lang):
        index.add(name, None)
    return index


def find_organizations(
    tokens: list[Token], source: str, *, lang: str | None, countries: Sequence[str] = ()
) -> list[OrganizationMention]:
    """Catalogued organisations named in the text, once each, in order of first mention.

    `countries` (most relevant first) decides between national bodies that share a name.
    """
    seen: dict[str, OrganizationMention] = {}
    # Names in every language: the press quotes a body by its own name ("Saudi National Committee
    # to Combat Human Trafficking a organisé…"); a full name is never an ordinary phrase.
    for m in _index(None).find(tokens):
        if None in m.candidates:
            continue
        orgs = [o for o in m.candidates if o is not None]
        org = orgs[0] if len(orgs) == 1 else _by_country(orgs, countries)
        if org is not None and org.id not in seen:
            seen[org.id] = OrganizationMention(org, source[m.start : m.end], m.start, m.end)
    return list(seen.values())


def _by_country(orgs: list[Organization], countries: Sequence[str]) -> Organization | None:
    for code in countries:
        for org in orgs:
            if org.country == code:
                return org
    return None
