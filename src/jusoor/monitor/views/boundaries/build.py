"""Build `countries.json`, the bundled country outlines of the monitor's map, from Natural Earth.

The source is `countries-110m.json` (TopoJSON) from the npm package `world-atlas@2` — Natural Earth
1:110m Admin 0 countries, public domain. Run once, offline, whenever the list of countries changes:

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python -m jusoor.monitor.views.boundaries.build /tmp/package/countries-110m.json

The output maps ISO 3166-1 alpha-2 codes (numeric ids resolved with pycountry) to polygons; each
polygon is a list of rings and each ring a flat list `[lon, lat, lon, lat, ...]` in tenths of a
degree, simplified (Ramer–Douglas–Peucker) so that the whole file stays a few tens of kilobytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry

OUTPUT = Path(__file__).with_name("countries.json")

# The Middle East and North Africa, the Sahel and the Horn, the Mediterranean and the European
# neighbours whose cities host regional meetings (Vienna, Geneva, Brussels, Strasbourg, The Hague).
REGIONS = {
    "mena": "MA DZ TN LY EG EH MR SD SS PS IL JO LB SY IQ KW SA AE QA BH OM YE IR TR CY",
    "sahel_horn_west_africa": "ML NE TD BF SN GM GN GW SL LR CI GH TG BJ NG CM CF ER ET DJ SO KE UG",
    "europe": "ES PT FR IT GR AL ME BA HR SI MK RS XK BG RO MD HU SK CZ AT CH DE BE NL LU DK PL UA GB IE",
    "caucasus_central_asia": "GE AM AZ AF PK TM",
}
COUNTRIES = frozenset(code for codes in REGIONS.values() for code in codes.split())
UNNUMBERED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}
TOLERANCE = 1.5  # tenths of a degree: at 1:110m finer detail is noise
# Polygons wholly outside this box (French Guiana, say) are dropped: west, south, east, north.
REGION_BOX = (-260, -120, 700, 620)
# Lines are Natural Earth's, unchanged: its Western Sahara (EH) is the territory east of the berm
# and the rest is drawn with Morocco. A body that needs other lines rebuilds from other data.
Point = tuple[int, int]


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode the delta-encoded, quantised arcs into longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[Point]:
    ring: list[Point] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        for lon, lat in points[1:] if ring else points:
            ring.append((round(lon * 10), round(lat * 10)))
    return ring


def _distance(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return float(((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
    return float(abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5)


def simplify(points: list[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Ramer–Douglas–Peucker, iterative; the first and last points are kept."""
    if len(points) < 3:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, 0
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def _code(geometry: dict[str, Any]) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry:
        return UNNUMBERED.get(name)
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_2 if country else None


def _inside(ring: list[int]) -> bool:
    west, south, east, north = REGION_BOX
    lons, lats = ring[0::2], ring[1::2]
    return max(lons) >= west and min(lons) <= east and max(lats) >= south and min(lats) <= north


def build(topology: dict[str, Any]) -> dict[str, list[list[list[int]]]]:
    arcs = _arcs(topology)
    shapes: dict[str, list[list[list[int]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _code(geometry)
        if code not in COUNTRIES:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings = [simplify(_ring(ring, arcs)) for ring in polygon]
            flat = [[c for point in ring for c in point] for ring in rings if len(ring) >= 4]
            if flat and _inside(flat[0]):
                shapes.setdefault(code, []).append(flat)
    return dict(sorted(shapes.items()))


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(
            "usage: python -m jusoor.monitor.views.boundaries.build countries-110m.json"
        )
    shapes = build(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    OUTPUT.write_text(json.dumps(shapes, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(shapes)} countries, {OUTPUT.stat().st_size} bytes -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
