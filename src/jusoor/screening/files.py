"""Reading the screening data files: strict models, and any fault as one line naming file and place.

Shared by the catalogue (`indicators.yaml` and country files) and the rules (`rules.yaml`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.screening.vocabulary import LocalText


class CatalogueError(Invalid):
    """A catalogue or rules file that does not have the documented shape."""


Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
SourceKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextModel(StrictModel):
    en: NonEmpty
    ar: NonEmpty
    fr: NonEmpty

    def local(self) -> LocalText:
        return LocalText(self.en, self.ar, self.fr)


Model = TypeVar("Model", bound=BaseModel)


def read_validated(model: type[Model], path: Path) -> Model:
    """Parse a YAML file into `model`; any problem is one `CatalogueError` naming file and place."""
    try:
        with path.open(encoding="utf-8") as fh:
            data: Any = yaml.safe_load(fh)
        return model.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CatalogueError(
            path.name, _("%(file)s: %(problem)s", file=path, problem=problem)
        ) from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "/"
        problem = error["msg"]
        if isinstance(error.get("input"), str | int | float | bool):
            problem = _("%(problem)s, found %(found)s", problem=problem, found=repr(error["input"]))
        message = _("%(file)s: %(where)s: %(problem)s", file=path, where=where, problem=problem)
        raise CatalogueError(path.name, message) from exc


def fault(path: Path, problem: str) -> CatalogueError:
    return CatalogueError(path.name, _("%(file)s: %(problem)s", file=path, problem=problem))
