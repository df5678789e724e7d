#!/usr/bin/env python3
"""An offline MBTiles basemap for the sample's corner of the Red River delta.

ZoneAtlas's README shows the sample over a basemap. These machines reach no tile server, and the
README may only show imagery whose licence allows it, so this script draws one from open data:

- rivers and river banks: GSHHG's WDBII rivers at full resolution (Wessel & Smith, LGPL-3.0),
  read with GMT's `gmt coast` (Debian: `apt-get install gmt gmt-gshhg-full`);
- towns: the GeoNames gazetteer (CC BY 4.0), the handful in view copied below with their
  Vietnamese spelling.

It needs Pillow (`pip install pillow`) and writes an MBTiles file (zoom 8 to 13, PNG tiles):

    python3 sample_zones/make_basemap.py /tmp/bac-ninh.mbtiles
    cargo run --release -- --basemap /tmp/bac-ninh.mbtiles

Each zoom level is drawn as one picture and then cut into tiles, so a label that crosses a tile
edge is whole on both sides. Widths are in metres on the ground, so rivers widen as one zooms in.
"""

import io
import math
import sqlite3
import subprocess
import sys

from PIL import Image, ImageDraw, ImageFont

# West, south, east, north: Bắc Ninh and its neighbours, with room for a wide window.
BOUNDS = (105.55, 20.80, 106.55, 21.50)
ZOOMS = range(8, 14)
TILE = 256

LAND = (242, 239, 233)
WATER = (160, 203, 222)
RIVER = (120, 175, 205)
TOWN = (90, 90, 90)
HALO = (255, 255, 255)
TEXT = (60, 60, 60)
RIVER_TEXT = (50, 110, 150)

# GSHHG river levels: 0 double-lined (banks), 1 permanent major, 2 additional major,
# 3 additional, 4 minor. Width on the ground in metres; level 0 is a bank line.
# The widths are a little wider than the rivers, so they read at the zooms of a province.
RIVER_WIDTH_M = {0: 60.0, 1: 700.0, 2: 600.0, 3: 450.0, 4: 260.0}

# GeoNames (geonames.org, CC BY 4.0), cities1000: latitude, longitude, name with its
# diacritics, and a rank (1 a city, 2 a town, 3 a small town) choosing the zoom it shows from.
TOWNS = [
    (21.0245, 105.84117, "Hà Nội", 1),
    (21.18608, 106.07631, "Bắc Ninh", 1),
    (21.27307, 106.1946, "Bắc Giang", 1),
    (20.94099, 106.33302, "Hải Dương", 1),
    (21.30891, 105.60489, "Vĩnh Yên", 2),
    (21.23695, 105.70483, "Phúc Yên", 2),
    (21.13962, 105.84926, "Đông Anh", 2),
    (21.25782, 105.84894, "Sóc Sơn", 2),
    (21.01951, 105.93694, "Trâu Quỳ", 2),
    (21.14388, 106.02018, "Lim", 3),
    (21.19491, 105.95471, "Chờ", 3),
    (21.15328, 106.15164, "Phố Mới", 3),
    (21.06308, 106.0857, "Hồ", 3),
    (21.05938, 106.17468, "Gia Bình", 3),
    (21.01937, 106.20044, "Thứa", 3),
    (20.98167, 105.98486, "Như Quỳnh", 3),
    (20.93653, 106.05711, "Bần Yên Nhân", 3),
    (20.94301, 105.93119, "Văn Giang", 3),
    (20.91007, 106.14771, "Kẻ Sặt", 3),
    (20.99205, 106.33613, "Nam Sách", 3),
    (21.20048, 106.24739, "Neo", 3),
    (21.1831, 105.72041, "Mê Linh", 3),
]

# River names, each set along the river line nearest to a point chosen by hand (lon, lat).
RIVERS = [
    (105.86, 21.06, "Sông Hồng"),
    (106.02, 21.08, "Sông Đuống"),
    (106.14, 21.205, "Sông Cầu"),
    (106.33, 21.06, "Sông Thái Bình"),
]

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_ITALIC = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"


def world_px(lon, lat, z):
    """Web Mercator pixel of a point at zoom z (the XYZ scheme's, y down)."""
    n = TILE * 2**z
    x = (lon + 180.0) / 360.0 * n
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n
    return x, y


def metres_per_px(lat, z):
    return 40075016.686 * math.cos(math.radians(lat)) / (TILE * 2**z)


def gshhg_rivers():
    """Each river line as (level, [(lon, lat), ...]), from `gmt coast -M`."""
    w, s, e, n = BOUNDS
    out = subprocess.run(
        ["gmt", "coast", f"-R{w - 0.1}/{e + 0.1}/{s - 0.1}/{n + 0.1}", "-Df", "-Ia", "-M"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines, level, points = [], None, []
    for row in out.splitlines():
        if row.startswith(">"):
            if level is not None and len(points) > 1:
                lines.append((level, points))
            level, points = int(row.split()[-1]), []
        elif row.strip():
            lon, lat = row.split()[:2]
            points.append((float(lon), float(lat)))
    if level is not None and len(points) > 1:
        lines.append((level, points))
    return lines


def along_river(rivers, lon, lat, z, px):
    """The point of a river line (not a bank) nearest to (lon, lat), in pixels, and the angle in
    degrees that sets a label along the line there, upright."""
    tx, ty = px(lon, lat)
    best = None
    for level, points in rivers:
        if level == 0:
            continue
        xy = [px(a, b) for a, b in points]
        for i, (x, y) in enumerate(xy):
            d = (x - tx) ** 2 + (y - ty) ** 2
            if best is None or d < best[0]:
                best = (d, xy, i)
    _, xy, i = best
    # The direction over a stretch about as long as a label, so a bend does not tilt it.
    reach = 60
    a, b = i, i
    while a > 0 and math.dist(xy[a], xy[i]) < reach:
        a -= 1
    while b < len(xy) - 1 and math.dist(xy[b], xy[i]) < reach:
        b += 1
    dx, dy = xy[b][0] - xy[a][0], xy[b][1] - xy[a][1]
    angle = -math.degrees(math.atan2(dy, dx))
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return xy[i], angle


def label(draw, xy, text, font, fill, halo_px, anchor="ls"):
    draw.text(xy, text, font=font, fill=fill, anchor=anchor,
              stroke_width=halo_px, stroke_fill=HALO)


def render(z, rivers):
    w, s, e, n = BOUNDS
    x0, y0 = world_px(w, n, z)
    x1, y1 = world_px(e, s, z)
    tx0, ty0 = int(x0 // TILE), int(y0 // TILE)
    tx1, ty1 = int(x1 // TILE), int(y1 // TILE)
    ox, oy = tx0 * TILE, ty0 * TILE
    width, height = (tx1 - tx0 + 1) * TILE, (ty1 - ty0 + 1) * TILE
    image = Image.new("RGB", (width, height), LAND)
    draw = ImageDraw.Draw(image)
    mid_lat = (s + n) / 2
    m_px = metres_per_px(mid_lat, z)

    def px(lon, lat):
        x, y = world_px(lon, lat, z)
        return x - ox, y - oy

    for level, points in sorted(rivers, key=lambda r: -r[0]):
        stroke = max(2 if level else 1, round(RIVER_WIDTH_M.get(level, 200.0) / m_px))
        colour = RIVER if level == 0 else WATER
        xy = [px(lon, lat) for lon, lat in points]
        draw.line(xy, fill=colour, width=stroke, joint="curve")
        if stroke > 3:
            r = stroke / 2
            for x, y in (xy[0], xy[-1]):
                draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    scale = 1.0 + 0.18 * (z - 10)
    if z >= 10:
        font = ImageFont.truetype(FONT_ITALIC, round(12 * scale))
        for lon, lat, name in RIVERS:
            (x, y), angle = along_river(rivers, lon, lat, z, px)
            size = draw.textbbox((0, 0), name, font=font, anchor="lt")
            halo = 2
            patch = Image.new("RGBA", (size[2] + 2 * halo + 4, size[3] + 2 * halo + 4), (0, 0, 0, 0))
            ImageDraw.Draw(patch).text((halo + 2, halo + 2), name, font=font, anchor="lt",
                                       fill=RIVER_TEXT, stroke_width=halo,
                                       stroke_fill=WATER + (255,))
            patch = patch.rotate(angle, expand=True, resample=Image.BICUBIC)
            image.paste(patch, (round(x - patch.width / 2), round(y - patch.height / 2)), patch)

    shown = [t for t in TOWNS if t[3] <= {8: 1, 9: 1, 10: 2}.get(z, 3)]
    for lat, lon, name, rank in shown:
        size = round({1: 15, 2: 12.5, 3: 11}[rank] * max(scale, 0.8))
        font = ImageFont.truetype(FONT_BOLD if rank == 1 else FONT, size)
        x, y = px(lon, lat)
        r = {1: 4, 2: 3, 3: 2.5}[rank] * max(scale, 0.8)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=TOWN, outline=HALO, width=1)
        label(draw, (x + r + 3, y - r - 1), name, font, TEXT, 2)
    return image, tx0, ty0


def png(tile):
    """A tile as a palette PNG: the basemap has few colours, so this keeps the file small."""
    out = io.BytesIO()
    tile.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main(path):
    rivers = gshhg_rivers()
    db = sqlite3.connect(path)
    db.executescript(
        """
        DROP TABLE IF EXISTS metadata; DROP TABLE IF EXISTS tiles;
        CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,
                            tile_data BLOB);
        CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
        """
    )
    w, s, e, n = BOUNDS
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [
            ("name", "Bắc Ninh rivers and towns"),
            ("format", "png"),
            ("type", "baselayer"),
            ("version", "1"),
            ("minzoom", str(min(ZOOMS))),
            ("maxzoom", str(max(ZOOMS))),
            ("bounds", f"{w},{s},{e},{n}"),
            ("center", f"{(w + e) / 2},{(s + n) / 2},11"),
            ("attribution", "Rivers: GSHHG (Wessel & Smith, LGPL) · Towns: GeoNames (CC BY 4.0)"),
        ],
    )
    count = 0
    for z in ZOOMS:
        image, tx0, ty0 = render(z, rivers)
        for j in range(image.height // TILE):
            for i in range(image.width // TILE):
                tile = image.crop((i * TILE, j * TILE, (i + 1) * TILE, (j + 1) * TILE))
                row = 2**z - 1 - (ty0 + j)  # MBTiles rows count from the south (TMS)
                db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, tx0 + i, row, png(tile)))
                count += 1
    db.commit()
    db.close()
    print(f"{path}: {count} tiles, zoom {min(ZOOMS)}-{max(ZOOMS)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_basemap.py OUT.mbtiles")
    main(sys.argv[1])
