"""Jinja2 templates from every domain's `templates/` folder, with translation and formatting."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from jusoor import __version__
from jusoor.core import i18n
from jusoor.core.invisible import reveal
from jusoor.core.security import csrf
from jusoor.web import labels
from jusoor.web.context import RequestContext, context_of

# Every domain package whose `templates/` folder pages may use (a package without one is skipped).
TEMPLATE_PACKAGES = (
    "jusoor.web",
    "jusoor.auth",
    "jusoor.agencies",
    "jusoor.audit",
    "jusoor.screening",
    "jusoor.cases",
    "jusoor.referrals",
    "jusoor.monitor",
    "jusoor.exchange",
    "jusoor.entities",
    "jusoor.graph",
)


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    action: str | None  # permission needed to see it


# Labels are translated at render time (N_ only marks them for extraction).
NAV: tuple[NavItem, ...] = (
    NavItem("/", i18n.N_("Home"), None),
    NavItem("/admin/users", i18n.N_("Users"), "users.read"),
    NavItem("/admin/agencies", i18n.N_("Agencies"), "agencies.read"),
    NavItem("/screening", i18n.N_("Screening"), "screening.conduct"),
    NavItem("/cases", i18n.N_("Cases"), "cases.read"),
    NavItem("/audit", i18n.N_("Audit trail"), "audit.read"),
    NavItem("/referrals", i18n.N_("Referrals"), "referrals.read"),
    NavItem("/services", i18n.N_("Services"), "services.read"),
    NavItem("/monitor", i18n.N_("News monitoring"), "monitor.read"),
    NavItem("/exchange", i18n.N_("Cross-border exchange"), "exchange.read"),
    NavItem("/exchange/contacts", i18n.N_("Contact points abroad"), "exchange.directory.read"),
    NavItem("/exchange/peers", i18n.N_("Peer nodes"), "exchange.manage"),
    NavItem("/entities", i18n.N_("Entities"), "entities.read"),
    NavItem("/network", i18n.N_("Networks"), "entities.read"),
    NavItem("/entities/review", i18n.N_("Match review"), "entities.judge"),
    NavItem("/profile", i18n.N_("Profile"), "profile.manage"),
)


def _has_templates(package: str) -> bool:
    try:
        return resources.files(package).joinpath("templates").is_dir()
    except ModuleNotFoundError:
        return False


def _shown(value: Any) -> Any:
    return reveal(value) if type(value) is str else value  # Markup is already the page's own


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader(pkg, "templates") for pkg in TEMPLATE_PACKAGES if _has_templates(pkg)]
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
        role_label=labels.role_label,
        roles_label=labels.roles_label,
        kind_label=labels.kind_label,
        outcome_label=labels.outcome_label,
        country_name=labels.country_name,
    )
    env.filters["number"] = i18n.format_number
    env.filters["date"] = i18n.format_date
    return env


def nav_for(ctx: RequestContext) -> list[NavItem]:
    if ctx.actor is None:
        return []
    actor = ctx.actor
    return [item for item in NAV if item.action is None or actor.can(item.action)]


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
