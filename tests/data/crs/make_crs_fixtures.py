#!/usr/bin/env python3
"""Generate the coordinate-system fixtures of tests/crs.rs with pyproj (the independent
reference): the same land written in each coordinate system ZoneAtlas reads, and what PROJ
says it is in WGS84.

    /work/bench-data/peer-venv/bin/python tests/data/crs/make_crs_fixtures.py
    (any Python with pyproj; written with pyproj 3.7.2 / PROJ 9.5.1)

For each system (EPSG code) it writes, into this folder:

- `<code>.geojson`: a FeatureCollection with a legacy `crs` member naming the system (the
  member's form varies: {"type":"name"} with "EPSG:x" or "urn:ogc:def:crs:EPSG::x", or the old
  {"type":"EPSG","properties":{"code":x}}), whose features are industrial-zone-sized polygons
  in the north, centre and south of Vietnam that lie in the system's area of use, one of them
  concave with a hole and one a MultiPolygon, some positions 3-D; projected coordinates are
  written to the millimetre, VN-2000 degrees to 10 decimals (as real files are);
- `<code>.wgs84.geojson`: the same features, each position converted to WGS84 by PROJ (the
  transformation of `national()` below: for VN-2000 the national Helmert, EPSG:6960), with
  full double precision, and no `crs` member.

Plus `3405-feature.geojson`, a single Feature with its own `crs` member, and its
`.wgs84.geojson`. The files are committed: the tests need no Python.
"""

import json
import math
import os

import pyproj
from pyproj import CRS, Transformer

HERE = os.path.dirname(os.path.abspath(__file__))

SYSTEMS = [3857, 32648, 32649, 4756, 3405, 3406] + list(range(5896, 5900)) + list(range(9205, 9219))

# Places (lon, lat) of real industrial areas; each system uses those in its area of use.
PLACES = [
    ("bac-ninh", 106.05, 21.12),
    ("hai-phong", 106.70, 20.85),
    ("da-nang", 108.20, 16.05),
    ("binh-duong", 106.65, 11.05),
    ("quang-ngai", 108.80, 15.30),
]

# A concave (L-shaped) outline about 1.6 km across, in metres east/north of its place, and a hole.
L_SHAPE = [(0, 0), (1600, 0), (1600, 700), (650, 700), (650, 1500), (0, 1500), (0, 0)]
HOLE = [(200, 200), (200, 450), (450, 450), (450, 200), (200, 200)]  # clockwise
# A two-part zone (MultiPolygon): two rectangles, some positions 3-D.
PART_A = [(2000, 0), (2800, 0), (2800, 600), (2000, 600), (2000, 0)]
PART_B = [(2000, 900), (2500, 900), (2500, 1300), (2000, 1300), (2000, 900)]


def offset(lon, lat, ring):
    """Metres east/north of (lon, lat) → WGS84 degrees (a local approximation: the land is
    whatever these degrees say; they are the reference, not the metres)."""
    m_per_deg_lat = 110_950.0
    m_per_deg_lon = 111_320.0 * math.cos(math.radians(lat))
    return [(lon + x / m_per_deg_lon, lat + y / m_per_deg_lat) for x, y in ring]


def crs_member(code, k):
    forms = [
        {"type": "name", "properties": {"name": f"EPSG:{code}"}},
        {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{code}"}},
        {"type": "EPSG", "properties": {"code": code}},
    ]
    return forms[k % len(forms)]


def features_wgs84(code):
    area = CRS.from_epsg(code).area_of_use
    west, south, east, north = area.west, area.south, area.east, area.north
    places = [p for p in PLACES if west + 0.05 < p[1] < east - 0.1 and south + 0.05 < p[2] < north - 0.05]
    if not places:
        places = [(f"zone-{code}", round((west + east) / 2, 3), round((south + north) / 2, 3))]
    feats = []
    for name, lon, lat in places:
        feats.append(
            (
                f"{name}-l",
                {"type": "Polygon", "coordinates": [offset(lon, lat, L_SHAPE), offset(lon, lat, HOLE)]},
            )
        )
        a = offset(lon, lat, PART_A)
        a = [(x, y, 12.5) for x, y in a]  # 3-D positions: Z is kept as written
        feats.append(
            (
                f"{name}-multi",
                {"type": "MultiPolygon", "coordinates": [[a], [offset(lon, lat, PART_B)]]},
            )
        )
    return feats


def map_positions(geometry, f):
    def walk(c):
        if c and isinstance(c[0], (int, float)):
            return f(c)
        return [walk(x) for x in c]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def collection(features, crs=None):
    out = {"type": "FeatureCollection", "name": "crs-fixture"}
    if crs is not None:
        out["crs"] = crs
    out["features"] = [
        {"type": "Feature", "id": fid, "properties": {"zone_id": fid, "name": fid}, "geometry": g}
        for fid, g in features
    ]
    return out


def write(name, obj):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def national(source, target):
    """PROJ's transformation between two systems, pinned, for VN-2000, to the national
    parameters of QĐ 05/2007/QĐ-BTNMT (EPSG:6960, "VN-2000 to WGS 84 (2)"). Left to choose,
    PROJ 9.5 switches to EPSG:5194 ("VN-2000 to WGS 84 (1)", an oil-industry transformation for
    the Mekong delta blocks DBSCL 02 and 03) inside 104.24–107.11° E, 9.35–11.04° N, about a
    metre away; ZoneAtlas applies the national parameters everywhere."""
    group = pyproj.transformer.TransformerGroup(source, target, always_xy=True)
    for t in group.transformers:
        if "VN-2000" not in t.description or "VN-2000 to WGS 84 (2)" in t.description:
            return t
    raise SystemExit(f"no national transformation for {source} -> {target}")


def main():
    for k, code in enumerate(SYSTEMS):
        fwd = national(4326, code)
        inv = national(code, 4326)
        digits = 10 if CRS.from_epsg(code).is_geographic else 3

        def to_system(p):
            x, y = fwd.transform(p[0], p[1])
            return [round(x, digits), round(y, digits)] + list(p[2:])

        def to_wgs84(p):
            lon, lat = inv.transform(p[0], p[1])
            return [lon, lat] + list(p[2:])

        system = [(fid, map_positions(g, to_system)) for fid, g in features_wgs84(code)]
        expected = [(fid, map_positions(g, to_wgs84)) for fid, g in system]
        write(f"{code}.geojson", collection(system, crs_member(code, k)))
        write(f"{code}.wgs84.geojson", collection(expected))
        if code == 3405:
            fid, g = system[0]
            single = {
                "type": "Feature",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3405"}},
                "id": fid,
                "properties": {"zone_id": fid},
                "geometry": g,
            }
            write("3405-feature.geojson", single)
            write("3405-feature.wgs84.geojson", collection(expected[:1]))
    with open(os.path.join(HERE, "VERSIONS"), "w") as f:
        f.write(f"pyproj {pyproj.__version__}, PROJ {pyproj.proj_version_str}\n")
        for code in SYSTEMS:
            t = national(code, 4326)
            f.write(f"{code} -> 4326: {t.description}\n")
        f.write(national(4756, 4326).definition + "\n")


if __name__ == "__main__":
    main()
