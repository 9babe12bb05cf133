"""Reading the screening data files: strict models, and any fault as one line naming file and place.

Shared by the catalogue (`indicators.yaml` and country files), the rules (`rules.yaml`) and the
questionnaire (`questions.yaml`); the reading itself is `jusoor.core.datafiles` (one loader for every
data file), which this module specialises with `CatalogueError`.

`LocalText`, one text in the three languages, is what the files' `{en, ar, fr}` texts become.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import BaseModel, StringConstraints

from jusoor.core import datafiles
from jusoor.core.datafiles import DataFileError, StrictModel
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _

__all__ = [
    "CatalogueError",
    "Key",
    "LocalText",
    "NonEmpty",
    "SourceKey",
    "StrictModel",
    "TextModel",
    "fault",
    "read_validated",
]


class CatalogueError(DataFileError):
    """A catalogue or rules file that does not have the documented shape."""


@dataclass(frozen=True)
class LocalText:
    """One text in the three languages of Jusoor."""

    en: str
    ar: str
    fr: str

    def get(self, locale: str | None = None) -> str:
        """The text in `locale` (the current one by default), English when it is not one of ours."""
        return {"ar": self.ar, "fr": self.fr}.get(locale or current_locale(), self.en)

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "ar": self.ar, "fr": self.fr}


Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
SourceKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


class TextModel(StrictModel):
    en: NonEmpty
    ar: NonEmpty
    fr: NonEmpty

    def local(self) -> LocalText:
        return LocalText(self.en, self.ar, self.fr)


Model = TypeVar("Model", bound=BaseModel)


def read_validated(model: type[Model], path: Path) -> Model:
    """Parse a YAML file into `model`; any problem is one `CatalogueError` naming file and line."""
    return datafiles.read(model, path, error=CatalogueError)


def fault(path: Path, problem: str) -> CatalogueError:
    return CatalogueError(path.name, _("%(file)s: %(problem)s", file=path, problem=problem))
