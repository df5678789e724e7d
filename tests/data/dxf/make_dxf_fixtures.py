"""Writes the DXF fixtures of tests/dxf.rs with ezdxf (an independent DXF writer):

    pip install ezdxf && python3 tests/data/dxf/make_dxf_fixtures.py

The same drawing twice: lots_r2000.dxf (AutoCAD 2000, text in Windows-1258 as $DWGCODEPAGE
says) and lots_r2018.dxf (UTF-8). Coordinates are VN-2000 / TM-3 105-30 metres near Bac Ninh.
What tests/dxf.rs expects of them, by hand:

- LO DAT: a 100 m square (10 000 m2) with the TEXT "Lô Đất A-01" inside;
- LO DAT: a 100 x 50 m rectangle with a half disc of radius 50 m on top, drawn with a
  bulge of 1 (5 000 + pi 50^2 / 2 m2);
- KCN: a HATCH of a 200 m square (polyline path) with a circular hole of radius 20 m (an
  edge path of one full arc): 40 000 - pi 400 m2; an MTEXT with formatting inside;
- KCN: a HATCH whose edge path is three lines and a clockwise arc (a 100 x 100 square whose
  top side bulges up by a half disc of radius 50 m, drawn clockwise): 10 000 + pi 50^2 / 2 m2;
- a LINE, a CIRCLE, a POINT and an open LWPOLYLINE, left out.
"""

import math
import os

import ezdxf

X0, Y0 = 560_000.0, 2_340_000.0
HERE = os.path.dirname(os.path.abspath(__file__))


def drawing(version):
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 6
    if version == "R2000":
        doc.encoding = "cp1258"
    msp = doc.modelspace()
    msp.add_lwpolyline(
        [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)],
        close=True,
        dxfattribs={"layer": "LO DAT"},
    )
    # "ấ" as â + a combining acute: the form Windows-1258 writes.
    msp.add_text("Lô Đ\u00e2\u0301t A-01", dxfattribs={"layer": "SO LO", "height": 2.5}).set_placement(
        (X0 + 40, Y0 + 50)
    )
    x1 = X0 + 300
    msp.add_lwpolyline(
        [(x1, Y0, 0, 0, 0), (x1 + 100, Y0, 0, 0, 0), (x1 + 100, Y0 + 50, 0, 0, 1), (x1, Y0 + 50, 0, 0, 0)],
        format="xyseb",
        close=True,
        dxfattribs={"layer": "LO DAT"},
    )
    x2 = X0 + 600
    hatch = msp.add_hatch(color=3, dxfattribs={"layer": "KCN"})
    hatch.paths.add_polyline_path(
        [(x2, Y0), (x2 + 200, Y0), (x2 + 200, Y0 + 200), (x2, Y0 + 200)],
        is_closed=True,
        flags=ezdxf.const.BOUNDARY_PATH_EXTERNAL,
    )
    hole = hatch.paths.add_edge_path(flags=ezdxf.const.BOUNDARY_PATH_OUTERMOST)
    hole.add_arc((x2 + 100, Y0 + 100), radius=20, start_angle=0, end_angle=360, ccw=True)
    msp.add_mtext(
        r"{\fArial|b1;\H3;KCN Qu\U+1EBF V\U+00F5}\P(m\U+1EDF r\U+1ED9ng)",
        dxfattribs={"layer": "KCN", "insert": (x2 + 20, Y0 + 20)},
    )
    x3 = X0 + 1000
    d = msp.add_hatch(color=4, dxfattribs={"layer": "KCN"})
    path = d.paths.add_edge_path(flags=ezdxf.const.BOUNDARY_PATH_EXTERNAL)
    path.add_line((x3, Y0 + 100), (x3, Y0))
    path.add_line((x3, Y0), (x3 + 100, Y0))
    path.add_line((x3 + 100, Y0), (x3 + 100, Y0 + 100))
    # Clockwise from (x3 + 100, Y0 + 100) over the top to (x3, Y0 + 100).
    path.add_arc((x3 + 50, Y0 + 100), radius=50, start_angle=0, end_angle=180, ccw=False)
    msp.add_line((X0, Y0 - 50), (X0 + 50, Y0 - 50))
    msp.add_circle((X0, Y0 - 100), radius=5)
    msp.add_point((X0, Y0 - 150))
    msp.add_lwpolyline([(X0, Y0 - 200), (X0 + 10, Y0 - 200)])
    return doc


drawing("R2000").saveas(os.path.join(HERE, "lots_r2000.dxf"), encoding="cp1258")
doc = drawing("R2018")
doc.saveas(os.path.join(HERE, "lots_r2018.dxf"))
# The half disc's area, for the record.
print("bulge lot", 5000 + math.pi * 50**2 / 2, "hatch with hole", 40000 - math.pi * 400)
