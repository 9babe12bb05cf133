"""The translation catalogs: extract every user-visible string, update the .po files, find gaps.

English strings in the code and templates are the message ids. `jusoor i18n update` refreshes
`locale/messages.pot` and merges it into `locale/<ar|fr>/LC_MESSAGES/messages.po`; translators fill
those in. A test fails when a string lacks its Arabic or French translation (`missing`).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

import jusoor
from jusoor.core.i18n import LOCALES, SOURCE_LOCALE

PACKAGE_DIR = Path(jusoor.__file__).parent
LOCALE_DIR = PACKAGE_DIR / "locale"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "lazy_gettext": None,
}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2"),
    ("**.py", "python"),
    ("**/fields.yaml", "jusoor.core.catalogs:extract_yaml_labels"),
]
OPTIONS_MAP = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Keys whose plain-string values in a field catalogue (`fields.yaml`) are English msgids.
YAML_MSGID_KEYS = frozenset({"label", "share_label", "help"})
_YAML_MSGID = re.compile(r"^\s*(?:-\s+)?(\w+):\s*(\S.*?)\s*(?:#.*)?$")


@dataclass(frozen=True)
class Gap:
    locale: str
    msgid: str
    problem: str  # "missing" | "fuzzy" | "placeholders"


def extract_yaml_labels(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor for a data file's labels: `label: Some text` lines are msgids (one line,
    unquoted plain scalars, which is how the catalogues write them)."""
    for lineno, raw in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        found = _YAML_MSGID.match(raw)
        if found and found.group(1) in YAML_MSGID_KEYS:
            yield lineno, None, found.group(2), []


def extract() -> Catalog:
    """Every translatable string of the package, with where it comes from."""
    catalog = Catalog(project="Jusoor", version=jusoor.__version__, locale=SOURCE_LOCALE)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR),
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def target_locales() -> tuple[str, ...]:
    return tuple(locale for locale in LOCALES if locale != SOURCE_LOCALE)


def read(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="Jusoor")
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)


def update() -> dict[str, int]:
    """Write the template and merge it into each language; returns untranslated counts."""
    template = extract()
    write(template, LOCALE_DIR / "messages.pot")
    counts: dict[str, int] = {}
    for locale in target_locales():
        catalog = read(locale)
        catalog.update(template, no_fuzzy_matching=True)
        write(catalog, po_path(locale))
        counts[locale] = sum(1 for g in gaps(template, catalog) if g.problem == "missing")
    return counts


def gaps(template: Catalog, catalog: Catalog) -> Iterator[Gap]:
    """Strings of `template` that `catalog` does not translate properly."""
    locale = str(catalog.locale)
    single = single_number_forms(catalog.plural_expr)
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        ids = _forms(message.id)
        strings = () if found is None else _forms(found.string)
        if found is None or not strings or not all(strings):
            yield Gap(locale, ids[0], "missing")
        elif found.fuzzy:
            yield Gap(locale, ids[0], "fuzzy")
        elif not all(
            _placeholders_fit(form, ids[0], index in single) for index, form in enumerate(strings)
        ):
            yield Gap(locale, ids[0], "placeholders")


def single_number_forms(plural_expr: str, *, upto: int = 1000) -> frozenset[int]:
    """The plural forms of a language that stand for one number only (Arabic's forms for 0, 1
    and 2): such a form may leave the count out, as the language writes it ("حالة أخرى", not
    "1 حالة أخرى"; "حالتان", not "2 حالتان")."""
    form_of = gettext.c2py(plural_expr)
    numbers: dict[int, list[int]] = {}
    for n in range(upto):
        numbers.setdefault(form_of(n), []).append(n)
    return frozenset(form for form, ns in numbers.items() if len(ns) == 1)


def _placeholders_fit(form: str, msgid: str, single_number: bool) -> bool:
    """A translation names exactly the msgid's placeholders; a form for one number only may
    leave out the count (`num`), never add a name."""
    wanted, found = set(PLACEHOLDER.findall(msgid)), set(PLACEHOLDER.findall(form))
    if single_number:
        return found <= wanted and wanted - found <= {"num"}
    return found == wanted


def _forms(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """A message id or translation as a tuple of its forms (one, or one per plural form)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def missing() -> list[Gap]:
    """Every gap in every target language, against what the code holds now."""
    template = extract()
    return [gap for locale in target_locales() for gap in gaps(template, read(locale))]
