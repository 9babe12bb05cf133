"""One loader for the YAML data files that hold Jusoor's rules (permissions, state machines,
vocabularies, gazetteers): strict Pydantic models, and any fault as ONE line naming file, line and
field.

Each owner module declares its file once (`declare(package, filename, Model)`) and reads it with
`.load()`; `check_all()` loads every declared file, so a bad file stops start-up instead of failing
on the first request that needs it (OWASP ASVS 4.0.3 V14.1 build and configuration checks; V5.1.3
positive input validation of configuration data). Semantic checks are model validators, never
`assert`, so they also run under `python -O`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _


class DataFileError(Invalid):
    """A data file that does not have the documented shape; the message is one line."""


class StrictModel(BaseModel):
    """Base of data-file models: unknown keys are errors, loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Model = TypeVar("Model", bound=BaseModel)


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the deepest YAML node on the path `loc`, or None if unparsable."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # A key that is itself wrong points at the key; its value at the value.
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = max(line, node.start_mark.line + 1)
    return line


def parse(
    model: type[Model], text: str, *, name: str, error: type[DataFileError] = DataFileError
) -> Model:
    """Validate YAML `text` against `model`; any problem is one `error` line naming `name`."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise error(
            name,
            _("%(file)s, line %(line)s: %(problem)s", file=name, line=line, problem=problem),
        ) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(part) for part in loc) or "/"
        problem = " ".join(str(first["msg"]).split())
        if isinstance(first.get("input"), str | int | float | bool):
            problem = _("%(problem)s, found %(found)s", problem=problem, found=repr(first["input"]))
        line = _line_of(text, loc) or "?"
        message = _(
            "%(file)s, line %(line)s: %(where)s: %(problem)s",
            file=name,
            line=line,
            where=where,
            problem=problem,
        )
        raise error(where, message) from exc


def read(model: type[Model], path: Path, *, error: type[DataFileError] = DataFileError) -> Model:
    """Load a data file from disk (an operator's file, e.g. a country's indicators); not cached."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise error(path.name, _("%(file)s: %(problem)s", file=path, problem=problem)) from exc
    return parse(model, text, name=str(path), error=error)


@cache
def load(model: type[Model], package: str, filename: str) -> Model:
    """Load `filename` shipped in `package` into `model`, once per process."""
    text = resources.files(package).joinpath(filename).read_text("utf-8")
    return parse(model, text, name=f"{package.replace('.', '/')}/{filename}")


@cache
def load_plain(model: type[BaseModel], package: str, filename: str) -> Any:
    """Check `filename` against `model`, then return the plain parsed YAML, unchanged.

    For readers that still index the mapping (the gazetteers, the resolution tables): the file is
    held to its strict model, the data they receive is exactly what they read before.
    """
    load(model, package, filename)
    return yaml.safe_load(resources.files(package).joinpath(filename).read_text("utf-8"))


@dataclass(frozen=True)
class DataFile(Generic[Model]):
    """A data file shipped in a package and the model it must match."""

    package: str
    filename: str
    model: type[Model]

    def load(self) -> Model:
        return cast(Model, load(self.model, self.package, self.filename))

    def plain(self) -> Any:
        return load_plain(self.model, self.package, self.filename)

    @property
    def path(self) -> Path:
        return Path(str(resources.files(self.package).joinpath(self.filename)))


_DECLARED: dict[Path, DataFile[Any]] = {}


def declare(package: str, filename: str, model: type[Model]) -> DataFile[Model]:
    """Record that `filename` in `package` is read through `model`; return its handle."""
    data_file = DataFile(package, filename, model)
    previous = _DECLARED.get(data_file.path)
    if previous is not None and previous.model is not model:
        raise ValueError(f"{data_file.path} is declared with two models")
    _DECLARED[data_file.path] = data_file
    return data_file


def declared() -> dict[Path, DataFile[Any]]:
    """Every declared data file by its path on disk (those of the modules imported so far)."""
    return dict(_DECLARED)


def check_all() -> int:
    """Load every declared data file (raising the first `DataFileError`); return how many.

    Call at start-up (app factory, `jusoor init`) after the domains are imported.
    """
    for data_file in _DECLARED.values():
        data_file.load()
    return len(_DECLARED)
