"""The printable report: the national (or agency) picture as a PDF, in Arabic, English or French.

The same key figures, charts and tables as the dashboard (published tables only), rendered from
`stats/report.html` in the language asked for and printed by WeasyPrint with DejaVu Sans, which
holds the Arabic glyphs; an Arabic report is laid out right to left.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jusoor import __version__
from jusoor.audit.service import record
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import LOCALES, current_digits, format_date, is_rtl, use_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.stats import dashboards, views
from jusoor.stats.publishing import Period, Protection
from jusoor.web.templating import environment


def html(
    session: Session, *, actor: Actor, period: Period, protection: Protection, locale: str
) -> str:
    """The report as a standalone HTML document in `locale` (checked: ar, en or fr)."""
    if locale not in LOCALES:
        raise Invalid("lang", _("The report is written in %(langs)s.", langs=", ".join(LOCALES)))
    with use_locale(locale, current_digits()):
        figures = dashboards.key_figures(session, actor, period, protection)
        results = dashboards.panels(session, actor, period, protection)
        values: dict[str, Any] = {
            "lang": locale,
            "dir": "rtl" if is_rtl(locale) else "ltr",
            "figures": figures,
            "panels": [views.panel_view(r) for r in results],
            "period": period,
            "protection": protection,
            "agency_view": dashboards.agency_view(actor),
            "printed": format_date(utcnow().date(), "long"),
            "version": __version__,
        }
        return environment().get_template("stats/report.html").render(values)


def pdf(
    session: Session, *, actor: Actor, period: Period, protection: Protection, locale: str
) -> bytes:
    """The report as a PDF; requires `stats.export`; audited as an export."""
    actor.require(Action.stats_export)
    document = html(session, actor=actor, period=period, protection=protection, locale=locale)
    record(
        session,
        actor=actor,
        action="stats.export",
        object_type="stats_report",
        object_id="national_picture",
        details={
            "lang": locale,
            "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None,
            "threshold": protection.threshold,
            "rounding": protection.rounding,
        },
    )
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded for reports only

    rendered: bytes = HTML(string=document).write_pdf()
    return rendered
