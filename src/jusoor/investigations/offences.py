"""The offences a file may charge, per country (`offences.yaml`), and their names in the reader's
language. A charge names an offence id of the file's country; anything else is refused."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import model_validator

from jusoor.cases.vocabulary import FORMS_OF_EXPLOITATION
from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.i18n import current_locale
from jusoor.investigations.vocabulary import OffenceType


class _Words(StrictModel):
    en: str
    ar: str
    fr: str

    def get(self, locale: str) -> str:
        return str(getattr(self, locale, None) or self.en)


class _Law(StrictModel):
    id: str
    title: _Words
    checked: bool


class _Offence(StrictModel):
    id: str
    law: str
    article: str
    type: OffenceType
    form: str | None = None  # a form of exploitation (cases vocabulary), trafficking only
    label: _Words
    checked: bool


class _Country(StrictModel):
    laws: tuple[_Law, ...]
    offences: tuple[_Offence, ...]

    @model_validator(mode="after")
    def _consistent(self) -> _Country:
        laws = {law.id for law in self.laws}
        if len(laws) != len(self.laws):
            raise ValueError("a law id is listed twice")
        seen: set[str] = set()
        for offence in self.offences:
            if offence.id in seen:
                raise ValueError(f"offence {offence.id!r} is listed twice")
            seen.add(offence.id)
            if offence.law not in laws:
                raise ValueError(f"offence {offence.id!r} names an unknown law {offence.law!r}")
            if offence.form is not None and offence.form not in FORMS_OF_EXPLOITATION:
                raise ValueError(f"offence {offence.id!r}: unknown form {offence.form!r}")
            if offence.form is not None and offence.type is not OffenceType.trafficking:
                raise ValueError(f"offence {offence.id!r}: only trafficking has a form")
        return self


class _File(StrictModel):
    countries: dict[str, _Country]


OFFENCES_FILE = declare("jusoor.investigations", "offences.yaml", _File)


@dataclass(frozen=True)
class Offence:
    """One offence as pages, services and figures use it, worded in the reader's language."""

    id: str
    country: str
    type: OffenceType
    form: str | None
    article: str
    label: str
    law: str
    checked: bool  # both the law and the article were verified

    @property
    def citation(self) -> str:
        return f"{self.law}, art. {self.article}"


def offences(country: str, locale: str | None = None) -> list[Offence]:
    """The offences of `country`'s law file, in file order (empty for a country not listed)."""
    entry = OFFENCES_FILE.load().countries.get(country)
    if entry is None:
        return []
    lang = locale or current_locale()
    laws = {law.id: law for law in entry.laws}
    return [
        Offence(
            id=o.id,
            country=country,
            type=o.type,
            form=o.form,
            article=o.article,
            label=o.label.get(lang),
            law=laws[o.law].title.get(lang),
            checked=o.checked and laws[o.law].checked,
        )
        for o in entry.offences
    ]


def offence(country: str, offence_id: str, locale: str | None = None) -> Offence | None:
    """The offence `offence_id` of `country`, or None when the country's file does not list it."""
    return next((o for o in offences(country, locale) if o.id == offence_id), None)


def countries() -> list[str]:
    return sorted(OFFENCES_FILE.load().countries)
