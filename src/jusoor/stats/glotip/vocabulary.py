"""UNODC's GLOTIP vocabulary (`glotip.yaml`) and the conversions of Jusoor's codes into it."""

from __future__ import annotations

from functools import cache

import pycountry
from pydantic import model_validator

from jusoor.cases.vocabulary import FORMS_OF_EXPLOITATION, Gender
from jusoor.core.datafiles import StrictModel, declare


class GlotipFile(StrictModel):
    indicators: dict[str, str]
    dimensions: dict[str, str]
    sex: dict[str, str]
    age: dict[str, str]
    form: dict[str, str]
    nationals: str
    unknown: str
    country_names: dict[str, str]
    regions: dict[str, tuple[str, str]]

    @model_validator(mode="after")
    def _complete(self) -> GlotipFile:
        # Every code Jusoor may hold must have a UNODC category: nothing is dropped silently.
        missing = [c for c in FORMS_OF_EXPLOITATION if c not in self.form]
        missing += [g.value for g in Gender if g.value not in self.sex]
        missing += [a for a in ("child", "adult", "unknown") if a not in self.age]
        if missing:
            raise ValueError(f"no UNODC category for: {', '.join(missing)}")
        return self


GLOTIP_FILE = declare("jusoor.stats.glotip", "glotip.yaml", GlotipFile)


def vocabulary() -> GlotipFile:
    return GLOTIP_FILE.load()


def unodc_form(code: str) -> str | None:
    return vocabulary().form.get(code)


@cache
def country_name(iso2: str) -> str:
    """UNODC's (the UN's short) English name of a country."""
    names = vocabulary().country_names
    if iso2 in names:
        return names[iso2]
    found = pycountry.countries.get(alpha_2=iso2)
    return str(found.name) if found is not None else iso2


def citizenship(code: str, reporting: str) -> str:
    """The GLOTIP category of a victim's citizenship, seen from the reporting country."""
    if code in ("", "unknown"):
        return vocabulary().unknown
    if code == reporting:
        return vocabulary().nationals
    return country_name(code)
