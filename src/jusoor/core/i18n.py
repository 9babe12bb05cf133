"""Languages: Arabic (default, right-to-left), English and French.

English strings in the code are the message ids; `locale/<lang>/LC_MESSAGES/messages.po` hold the
translations (edited with Babel's tools: `jusoor i18n update`). The active locale lives in a context
variable set per request (or per CLI command), so services can raise already-translated errors.
Whole sentences with named placeholders only — never concatenated fragments — so Arabic word order works.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALES: tuple[str, ...] = ("ar", "en", "fr")
RTL_LOCALES = frozenset({"ar"})
DIGITS = ("latn", "arab")
SOURCE_LOCALE = "en"
LOCALE_NAMES = {"ar": "العربية", "en": "English", "fr": "Français"}

_locale: ContextVar[str] = ContextVar("jusoor_locale", default=SOURCE_LOCALE)
_digits: ContextVar[str] = ContextVar("jusoor_digits", default="latn")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@cache
def catalog(locale: str) -> Catalog | None:
    """The translations of `locale`, read once from its .po file (None for the source language)."""
    if locale == SOURCE_LOCALE:
        return None
    path = resources.files("jusoor").joinpath("locale", locale, "LC_MESSAGES", "messages.po")
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def current_locale() -> str:
    return _locale.get()


def current_digits() -> str:
    return _digits.get()


def is_rtl(locale: str | None = None) -> bool:
    return (locale or current_locale()) in RTL_LOCALES


@contextmanager
def use_locale(locale: str, digits: str = "latn") -> Iterator[None]:
    """Run a block in `locale` (used by requests, CLI commands and tests)."""
    token_l = _locale.set(locale if locale in LOCALES else SOURCE_LOCALE)
    token_d = _digits.set(digits if digits in DIGITS else "latn")
    try:
        yield
    finally:
        _locale.reset(token_l)
        _digits.reset(token_d)


def _lookup(message: str, locale: str) -> str | tuple[str, ...] | None:
    cat = catalog(locale)
    if cat is None:
        return None
    entry = cat.get(message)
    if entry is None or not entry.string or entry.fuzzy:
        return None
    value = entry.string
    return value if isinstance(value, str) else tuple(value)


def gettext(message: str, **params: Any) -> str:
    """Translate `message` into the current locale; `%(name)s` placeholders are filled from params."""
    found = _lookup(message, current_locale())
    text = found if isinstance(found, str) else message
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """Plural-aware translation; `%(num)s` is available in the message."""
    locale = current_locale()
    cat = catalog(locale)
    params.setdefault("num", format_number(n))
    if cat is not None:
        entry = cat.get(singular)
        if entry is not None and isinstance(entry.string, tuple) and all(entry.string):
            index = _plural_index(locale, n)
            forms: tuple[str, ...] = entry.string
            return forms[min(index, len(forms) - 1)] % params
    return (singular if n == 1 else plural) % params


@cache
def _plural_rule(locale: str) -> Callable[[int], int]:
    cat = catalog(locale)
    rule: Callable[[int], int] = gettext_module.c2py(cat.plural_expr if cat else "(n != 1)")
    return rule


def _plural_index(locale: str, n: int) -> int:
    return _plural_rule(locale)(n)


def lazy_gettext(message: str) -> str:
    """Mark a string for extraction where it cannot be translated yet (module level); translate later."""
    return message


N_ = lazy_gettext


def negotiate(*candidates: str | None, accept_language: str | None = None) -> str:
    """First supported locale among explicit candidates (user setting, cookie), then Accept-Language."""
    for candidate in candidates:
        if candidate:
            code = candidate.split("-")[0].split("_")[0].lower()
            if code in LOCALES:
                return code
    if accept_language:
        wanted: list[tuple[float, str]] = []
        for part in accept_language.split(","):
            pieces = part.strip().split(";q=")
            try:
                q = float(pieces[1]) if len(pieces) > 1 else 1.0
            except ValueError:
                continue
            wanted.append((q, pieces[0].strip()))
        for _q, tag in sorted(wanted, key=lambda item: -item[0]):
            code = tag.split("-")[0].lower()
            if code in LOCALES:
                return code
    from jusoor.core.config import get_settings

    default = get_settings().default_locale
    return default if default in LOCALES else SOURCE_LOCALE


def babel_locale(locale: str | None = None) -> Locale:
    try:
        return Locale.parse(locale or current_locale())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LOCALE)


def localize_digits(text: str) -> str:
    """Arabic-Indic digits when the user prefers them (a per-user setting), else unchanged."""
    return text.translate(_ARABIC_INDIC) if current_digits() == "arab" else text


def format_number(value: int | float) -> str:
    return localize_digits(babel_numbers.format_decimal(value, locale=babel_locale()))


# "short" and "medium" are shown the same way: the month by its name, never "12/7/26" (which is
# 12 July or 7 December depending on the reader), and the time to the minute.
_UNAMBIGUOUS = ("short", "medium")
_DAY = "yMMMd"  # CLDR skeleton: "12 Jul 2026", "12 juil. 2026", "12 يوليو 2026"


def _day(value: dt.date, locale: Locale) -> str:
    return babel_dates.format_skeleton(_DAY, value, locale=locale)


def format_datetime(value: dt.datetime | None, tz: str = "UTC", fmt: str = "medium") -> str:
    """A UTC time shown in the user's time zone and locale, with the month by its name."""
    if value is None:
        return ""
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    local = value.astimezone(zone)
    locale = babel_locale()
    if fmt not in _UNAMBIGUOUS:
        return localize_digits(babel_dates.format_datetime(local, fmt, locale=locale))
    time = babel_dates.format_time(local, "short", locale=locale)
    pattern = str(locale.datetime_formats["medium"])
    return localize_digits(pattern.replace("{1}", _day(local, locale)).replace("{0}", time))


def format_date(value: dt.date | None, fmt: str = "medium") -> str:
    """A date in the user's locale, with the month by its name ("12 يوليو 2026")."""
    if value is None:
        return ""
    locale = babel_locale()
    if fmt in _UNAMBIGUOUS:
        return localize_digits(_day(value, locale))
    return localize_digits(babel_dates.format_date(value, fmt, locale=locale))
