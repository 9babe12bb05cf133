"""Charts drawn on the server as accessible SVG: no script, no CDN, readable by a screen reader.

Every chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>` (which
says the figures are in the table that follows it). Figures come from a *published* table only
(`stats.disclosure.Published`): a suppressed figure is drawn as a hatched, outlined stub carrying
its text ("<5" or "x"), never as a bar of zero. In a right-to-left language the chart is mirrored
(labels on the right, bars growing leftwards, time running from right to left), and numbers are
written with the reader's digits (`core.i18n.format_number`). Colours are presentation attributes,
not style attributes, so that the pages' strict CSP allows them and WeasyPrint prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

from jusoor.core.i18n import format_number, is_rtl, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.stats.disclosure import Shown

INK, BAR, MUTED, GRID = "#1f2933", "#2f6f8f", "#52606d", "#d9e2ec"
# Small on purpose: the chart is scaled to the screen, and on a 390 px phone a 460-unit-wide
# drawing keeps its 15-unit text readable (about 12 px).
WIDTH = 460
ROW = 30  # height of one bar's row
LABEL_W = 170  # room for a category's name
VALUE_W = 48  # room for the figure after a bar
STUB = 18  # width of the hatched stub standing for a suppressed figure


@dataclass(frozen=True)
class Point:
    """One figure of a chart: the reader's label and the published figure."""

    label: str
    shown: Shown


def figure_text(shown: Shown) -> str:
    """A published figure as the reader reads it: a number in their digits, or "<5" / "x"."""
    if shown.value is None:
        return localize_digits(shown.text)
    return format_number(shown.value)


def _open(key: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{key}-t {key}-d" font-family="DejaVu Sans, sans-serif" font-size="15">',
        f'<title id="{key}-t">{escape(title)}</title>',
        f'<desc id="{key}-d">{escape(desc)}</desc>',
        f'<defs><pattern id="{key}-hatch" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<path d="M0 6L6 0" stroke="{MUTED}" stroke-width="1.2"/></pattern></defs>',
    ]


def _describe(points: Sequence[Point], unit: str) -> str:
    hidden = sum(1 for p in points if p.shown.value is None)
    text = _("%(n)s figures of %(unit)s; the table after the chart gives each of them.",
             n=format_number(len(points)), unit=unit)  # fmt: skip
    if hidden:
        text += " " + _("%(n)s of them are hidden to protect the people counted.",
                        n=format_number(hidden))  # fmt: skip
    return text


def _text(
    x: float, y: float, content: str, anchor: str, fill: str = INK, extra: str = "", font: int = 0
) -> str:
    size = f' font-size="{font}"' if font else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{size}{extra}>'
        f"{escape(content)}</text>"
    )


def _stub(key: str, x: float, y: float, height: float) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{STUB}" height="{height:.1f}" '
        f'fill="url(#{key}-hatch)" stroke="{MUTED}" stroke-dasharray="3 2"/>'
    )


def bars(key: str, title: str, points: Sequence[Point], *, unit: str) -> Markup:
    """Horizontal bars, one per category, longest scale at the largest published figure."""
    rtl = is_rtl()
    height = max(1, len(points)) * ROW + 8
    out = _open(key, title, _describe(points, unit), WIDTH, height)
    top = max((p.shown.value or 0 for p in points), default=0) or 1
    span = WIDTH - LABEL_W - VALUE_W - 8
    for i, point in enumerate(points):
        y = 4 + i * ROW
        mid = y + ROW / 2 + 4
        length = STUB if point.shown.value is None else span * point.shown.value / top
        if rtl:
            # Mirrored: with direction="rtl", an anchor at "start" is the text's right edge.
            label_x, x, value_x = WIDTH - 4, WIDTH - LABEL_W - length, WIDTH - LABEL_W - length - 4
            label_anchor = value_anchor = "start"
        else:
            label_x, x, value_x = LABEL_W - 8, LABEL_W, LABEL_W + length + 4
            label_anchor, value_anchor = "end", "start"
        out.append(f"<g><title>{escape(point.label)}: {escape(figure_text(point.shown))}</title>")
        out.append(_text(label_x, mid, _shorten(point.label), label_anchor, extra=_dir(rtl)))
        if point.shown.value is None:
            out.append(_stub(key, x, y + 4, ROW - 8))
        else:
            out.append(
                f'<rect x="{x:.1f}" y="{y + 4:.1f}" width="{length:.1f}" '
                f'height="{ROW - 8}" fill="{BAR}"/>'
            )
        out.append(_text(value_x, mid, figure_text(point.shown), value_anchor, extra=_dir(rtl)))
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every text and attribute above is escaped


def columns(key: str, title: str, points: Sequence[Point], *, unit: str) -> Markup:
    """A time series as columns, one per period, oldest first (on the right in RTL)."""
    rtl = is_rtl()
    plot_h, base_y = 180, 200
    height = base_y + 34
    out = _open(key, title, _describe(points, unit), WIDTH, height)
    top = max((p.shown.value or 0 for p in points), default=0) or 1
    n = max(1, len(points))
    slot = (WIDTH - 16) / n
    width = max(4.0, min(48.0, slot * 0.7))
    out.append(
        f'<line x1="8" y1="{base_y}" x2="{WIDTH - 8}" y2="{base_y}" stroke="{GRID}" '
        f'stroke-width="1"/>'
    )
    step = max(1, round(n / 6))  # a label every `step` columns, so that labels never overlap
    for i, point in enumerate(points):
        place = n - 1 - i if rtl else i
        cx = 8 + slot * place + slot / 2
        out.append(f"<g><title>{escape(point.label)}: {escape(figure_text(point.shown))}</title>")
        if point.shown.value is None:
            out.append(
                f'<rect x="{cx - width / 2:.1f}" y="{base_y - STUB:.1f}" width="{width:.1f}" '
                f'height="{STUB}" fill="url(#{key}-hatch)" stroke="{MUTED}" '
                f'stroke-dasharray="3 2"/>'
            )
            bar_top: float = base_y - STUB
        else:
            h = plot_h * point.shown.value / top
            bar_top = base_y - h
            out.append(
                f'<rect x="{cx - width / 2:.1f}" y="{bar_top:.1f}" width="{width:.1f}" '
                f'height="{h:.1f}" fill="{BAR}"/>'
            )
        out.append(_text(cx, bar_top - 4, figure_text(point.shown), "middle", font=13))
        if i % step == 0:
            out.append(_text(cx, base_y + 18, point.label, "middle", MUTED, font=13))
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every text and attribute above is escaped


def _dir(rtl: bool) -> str:
    return ' direction="rtl"' if rtl else ""


def _shorten(label: str, limit: int = 22) -> str:
    # The full name is in the bar's tooltip and in the table; the chart keeps its width.
    return label if len(label) <= limit else label[: limit - 1] + "…"
