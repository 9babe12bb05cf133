"""The person model Jusoor ships with, as data: what the app's suggestions, match review and
clusters score with (`entities.matching.evidence`).

`persons.model.json` beside this module is a `PersonModel` trained without labels on the
project's own synthetic person files (`synth.person_files`, `PEOPLE` people, seed `SEED`: the
tuning seed, not the held-out ones the tests and benchmarks score on). Rebuild it after a change
of `model.VERSION` (its loading then fails with `DefaultModelError`, naming both versions), from
the repository's root (the generator is in a higher layer than this package, so the command that
calls it lives with the tests):

    PYTHONPATH=src:. python -m tests.entities.build_default_model
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.model import VERSION, ModelFileError, PersonModel

PATH = Path(__file__).with_name("persons.model.json")
PEOPLE = 5000
SEED = 11
REBUILD = "python -m tests.entities.build_default_model"


class DefaultModelError(RuntimeError):
    """The shipped model cannot be used; the message says why and how to rebuild it."""


def load_default(path: Path = PATH) -> PersonModel:
    """The model saved at `path` (the shipped one by default), or `DefaultModelError`."""
    try:
        return PersonModel.load(path)
    except ModelFileError as exc:
        if exc.found is None:
            message = _("%(file)s is not a saved person model.", file=path.name)
        else:
            message = _(
                "%(file)s is a person model of version %(found)s; this Jusoor reads version "
                "%(expected)s: rebuild it with %(command)s.",
                file=path.name,
                found=str(exc.found),
                expected=str(VERSION),
                command=REBUILD,
            )
        raise DefaultModelError(message) from None
    except OSError as exc:
        raise DefaultModelError(
            _("%(file)s cannot be read (%(reason)s).", file=path.name, reason=exc.strerror)
        ) from None


@lru_cache(maxsize=1)
def default_model() -> PersonModel:
    """The shipped model, read once."""
    return load_default()


def build(
    records: Iterable[Mapping[str, str]], region: str | None, path: Path = PATH
) -> PersonModel:
    """Train the shipped model on `records` (the generator's) and save it at `path`."""
    model = PersonModel.train(records, region=region)
    model.save(path)
    return model
