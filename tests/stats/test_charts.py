"""Server-drawn charts: well-formed accessible SVG, a hidden figure drawn as a hatched stub with
its "<5" (never a bar of zero), mirrored in Arabic, written in the reader's digits."""

from __future__ import annotations

from xml.etree import ElementTree

from jusoor.core.i18n import use_locale
from jusoor.stats import chart_map, charts
from jusoor.stats.charts import Point
from jusoor.stats.disclosure import Shown

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [
    Point("Morocco", Shown(120, "120")),
    Point("Niger", Shown(None, "<5", "primary")),
    Point("Mali", Shown(None, "x", "secondary")),
]


def _parse(markup: str) -> ElementTree.Element:
    root = ElementTree.fromstring(str(markup))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def _texts(root: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_hidden_figures_are_hatched_stubs_with_their_text_not_zero_bars() -> None:
    with use_locale("en"):
        root = _parse(charts.bars("t", "Victims by citizenship", POINTS, unit="victims"))
    texts = _texts(root)
    assert "120" in texts and "<5" in texts and "x" in texts and "0" not in texts
    hatched = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "url(#t-hatch)"]
    assert len(hatched) == 2 and all(float(r.get("width", 0)) > 0 for r in hatched)
    assert "2 of them are hidden" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_arabic_mirrors_the_bars_and_uses_the_readers_digits() -> None:
    with use_locale("en"):
        ltr = _parse(charts.bars("a", "t", POINTS[:1], unit="victims"))
    with use_locale("ar", "arab"):
        rtl = _parse(charts.bars("a", "t", POINTS, unit="victims"))
    bar_ltr = next(r for r in ltr.iter(f"{SVG}rect") if r.get("fill") == charts.BAR)
    bar_rtl = next(r for r in rtl.iter(f"{SVG}rect") if r.get("fill") == charts.BAR)
    assert float(bar_ltr.get("x", 0)) == charts.LABEL_W  # grows rightwards from the labels
    right_edge = float(bar_rtl.get("x", 0)) + float(bar_rtl.get("width", 0))
    assert abs(right_edge - (charts.WIDTH - charts.LABEL_W)) < 0.2  # grows leftwards
    assert "١٢٠" in _texts(rtl) and "<٥" in _texts(rtl)


def test_a_time_series_runs_right_to_left_in_arabic() -> None:
    series = [Point("2025", Shown(10, "10")), Point("2026", Shown(20, "20"))]
    with use_locale("ar"):
        root = _parse(charts.columns("s", "t", series, unit="victims"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.BAR]
    assert float(bars[0].get("x", 0)) > float(bars[1].get("x", 0))  # the older one on the right


def test_the_map_shades_counted_countries_and_hatches_hidden_ones() -> None:
    figures = {"MA": Shown(40, "40"), "NE": Shown(None, "<5", "primary"), "ZZ": Shown(9, "9")}
    with use_locale("en"):
        root = _parse(chart_map.choropleth("m", "Origins", figures, unit="victims"))
    paths = {p.find(f"{SVG}title").text.split(":")[0]: p for p in root.iter(f"{SVG}path")  # type: ignore[union-attr]
             if p.find(f"{SVG}title") is not None}  # fmt: skip
    assert paths["Morocco"].get("fill") in chart_map.SHADES
    assert paths["Niger"].get("fill") == "url(#m-hatch)"
    assert paths["Tunisia"].get("fill") == chart_map.EMPTY
