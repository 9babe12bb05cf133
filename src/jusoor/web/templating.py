"""Jinja2 templates from every domain's `templates/` folder, with translation and formatting."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from jusoor import __version__
from jusoor.core import i18n, typed_dates
from jusoor.core.invisible import reveal
from jusoor.core.registry import NavEntry
from jusoor.core.security import csrf
from jusoor.web import labels, questions
from jusoor.web.context import RequestContext, context_of

# Filled at the top (`jusoor.domains.register_all`) from what each domain declares: web knows no
# domain, it offers these two extension points.
_TEMPLATE_PACKAGES: tuple[str, ...] = ()
_NAV: tuple[NavEntry, ...] = ()


def set_template_packages(packages: Sequence[str]) -> None:
    """Packages whose `templates/` folder pages may use (one without it is skipped)."""
    global _TEMPLATE_PACKAGES
    if tuple(packages) != _TEMPLATE_PACKAGES:
        _TEMPLATE_PACKAGES = tuple(packages)
        environment.cache_clear()


def set_navigation(entries: Sequence[NavEntry]) -> None:
    """The menu, in order; labels are msgids, translated at render time."""
    global _NAV
    _NAV = tuple(entries)


def navigation() -> tuple[NavEntry, ...]:
    return _NAV


def _has_templates(package: str) -> bool:
    try:
        return resources.files(package).joinpath("templates").is_dir()
    except ModuleNotFoundError:
        return False


def _shown(value: Any) -> Any:
    return reveal(value) if type(value) is str else value  # Markup is already the page's own


def warm() -> int:
    """Compile every page template now (about a second for the node's hundred and ten), not on
    each one's first view; how many. Jinja keeps 400 compiled templates, more than there are."""
    env = environment()
    names = env.list_templates(extensions=["html"])
    for name in names:
        env.get_template(name)
    return len(names)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader(pkg, "templates") for pkg in _TEMPLATE_PACKAGES if _has_templates(pkg)]
        ),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Every value printed shows a stored bidi override or isolate as U+FFFD: an old name
        # cannot reorder the page, and the reader sees something was hidden (core.invisible).
        finalize=_shown,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message, **kw: i18n.gettext(message, **kw),
        lambda s, p, n, **kw: i18n.ngettext(s, p, n, **kw),
        newstyle=True,
    )
    env.globals.update(
        version=__version__,
        locales=i18n.LOCALES,
        locale_names=i18n.LOCALE_NAMES,
        translate=i18n.gettext,
        confirm_question=questions.confirm_question,
        role_label=labels.role_label,
        roles_label=labels.roles_label,
        kind_label=labels.kind_label,
        outcome_label=labels.outcome_label,
        country_name=labels.country_name,
        country_choices=labels.country_choices,
        money=labels.money,
        language_choices=labels.language_choices,
        timezone_choices=labels.timezone_choices,
        date_example=typed_dates.example,
        typed_date=typed_dates.shown,
    )
    env.filters["number"] = i18n.format_number
    env.filters["date"] = i18n.format_date
    # One filter per kind of stored code, shown as words in the reader's language.
    env.filters["country"] = labels.country_name
    env.filters["countries"] = labels.countries_label
    env.filters["language"] = labels.language_name
    env.filters["languages"] = labels.languages_label
    env.filters["timezone"] = labels.timezone_name
    env.filters["role"] = labels.role_label
    env.filters["currency"] = labels.currency_name
    env.filters["roles"] = labels.roles_label
    return env


def nav_for(ctx: RequestContext) -> list[NavEntry]:
    if ctx.actor is None:
        return []
    actor = ctx.actor
    return [item for item in _NAV if item.action is None or actor.can(item.action)]


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page in the request's language and direction, with its CSRF token and navigation."""
    ctx = context_of(request)
    values: dict[str, Any] = {
        "request": request,
        "ctx": ctx,
        "lang": ctx.locale,
        "dir": "rtl" if i18n.is_rtl(ctx.locale) else "ltr",
        "csrf_token": csrf.token_for(ctx.csrf_binding) if ctx.csrf_binding else "",
        "nav": nav_for(ctx),
        "path": request.url.path,
        "when": lambda value, fmt="medium": i18n.format_datetime(value, ctx.timezone, fmt),
        "htmx": request.headers.get("hx-request") == "true",
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers={"cache-control": "no-store"})
