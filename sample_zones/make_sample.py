#!/usr/bin/env python3
"""Generate ZoneAtlas's built-in sample data set: an ILLUSTRATIVE province of 16 industrial
zones modelled on the figures the Bắc Ninh board published for late 2023.

    python3 sample_zones/make_sample.py          # writes zones.geojson and parcels.geojson
                                                 # beside this script and prints a summary

Standard library only, deterministic (fixed seed): running it again writes byte-identical files.

The geometry is invented (plausible places, shapes and sizes, not surveyed boundaries) and so are
the lots and their tenants. What is NOT approximate are the totals, which the generator hits
exactly (to well under 1 m²) on the coordinates as written (rounded to 1e-7 degrees):

* Σ geodesic (WGS84 ellipsoidal) area of the 16 zone geometries      = 6,397.68 ha
* Σ over zones of area((∪ leased industrial parcels) ∩ zone)         = 2,481.57 ha
* Σ industrial_land_ha over the 16 zones                               = 4,133.19 ha
  so the industrial-land fill rate is 2,481.57 / 4,133.19 = 60.04 %
* 12 zones operating, 3 under construction, 1 planned (not yet established); the 15
  established zones measure 5,946.99 ha.

Areas are computed on the authalic sphere of WGS84 (see ring_area_m2), which matches the WGS84
geodesic area of these polygons to about 1e-7; pyproj's Geod(ellps="WGS84") agrees with the
totals above to about 0.0004 ha.

The planted data errors are listed in README.md (and printed at the end of a run).
"""

import json
import math
import os
import random

# ----------------------------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------------------------

SEED = 20231231
HERE = os.path.dirname(os.path.abspath(__file__))
ZONES_PATH = os.path.join(HERE, "zones.geojson")
PARCELS_PATH = os.path.join(HERE, "parcels.geojson")

PROVINCE = "Bắc Ninh"
TARGET_ZONE_AREA_HA = 6397.68       # Σ geodesic zone area
TARGET_LEASED_HA = 2481.57          # Σ leased industrial ground inside zones
TARGET_INDUSTRIAL_HA = 4133.19      # Σ industrial_land_ha
COORD_DECIMALS = 7                  # ~1 cm

# WGS84
WGS84_A = 6378137.0
WGS84_F = 1.0 / 298.257223563
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
WGS84_E = math.sqrt(WGS84_E2)

# Lot layout (metres in each zone's local frame)
EDGE_MARGIN_M = 30.0                # perimeter road / green belt inside the zone boundary
BLOCK_DEPTHS_M = (150, 180, 200, 220, 250, 280, 320)
ROAD_WIDTHS_M = (24, 28, 32, 40)
CROSS_ROAD_M = 24.0                 # a cross road every ~CROSS_ROAD_EVERY_M along a block
CROSS_ROAD_EVERY_M = (650.0, 1100.0)
MIN_LOT_HA, MAX_LOT_HA = 0.5, 30.0
MIN_LOT_WIDTH_M = 40.0            # no sliver lots
MIN_INTERVAL_M = 90.0

# How much of a zone's height is laid out in lots, by status (phase 1 only when not operating)
LAYOUT_FRACTION = {"operating": 1.0, "under_construction": 0.6, "planned": 0.45}

TODAY = (2024, 1, 1)                # the "as of" date of the sample (figures are for late 2023)

# ----------------------------------------------------------------------------------------------
# The 16 zones.
#   area_ha   exact geodesic area of the geometry (2 decimals; they add up to 6,397.68 ha)
#   ind       industrial_land_ha as a share of area (GB2 takes the remainder to reach 4,133.19)
#   fill      intended leased / industrial_land_ha (scaled together to reach 2,481.57 ha)
#   shape     parts in a nominal local frame (u east, v north, before rotation and scaling);
#             each part is [outer ring, hole, ...]; rings counter-clockwise, holes any way.
# ----------------------------------------------------------------------------------------------

def rect(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


ZONES = [
    dict(zone_id="BN-QV1", short="QV1", name="KCN Quế Võ", status="operating",
         status_text="operating", lon=106.1600, lat=21.1500, rot=-12.0, area_ha=611.37,
         ind=0.655, fill=0.90, service=0.05, zone_type="general",
         developer="Tổng công ty Phát triển Đô thị Kinh Bắc – CTCP (KBC)",
         decision_no="1129/QĐ-TTg", decision_date="2002-07-11", ww=(True, 15000),
         notes="Khu công nghiệp tổng hợp; đã lấp đầy phần lớn diện tích.",
         # L-shape with a notch on the south side (a pumping station left out)
         shape=[[[(0, 0), (900, 0), (900, 260), (1300, 260), (1300, 0), (2600, 0),
                  (2600, 1300), (1500, 1300), (1500, 2300), (0, 2300)]]]),
    dict(zone_id="BN-QV2", short="QV2", name="KCN Quế Võ II", status="operating",
         status_text="Đang hoạt động", lon=106.1780, lat=21.1080, rot=8.0, area_ha=269.48,
         ind=0.630, fill=0.66, service=0.06, zone_type="general",
         developer="Công ty CP Phát triển Hạ tầng KCN Quế Võ II",
         decision_no="2431/QĐ-UBND", decision_date="2008-11-20", ww=(True, 4000),
         notes="Giáp KCN Quế Võ; kết nối QL18.",
         shape=[[[(0, 0), (1900, 0), (1900, 1100), (1200, 1500), (0, 1500)]]]),
    dict(zone_id="BN-QV3", short="QV3", name="KCN Quế Võ III", status="operating",
         status_text="operating", lon=106.2300, lat=21.1380, rot=15.0, area_ha=305.12,
         ind=0.650, fill=0.58, service=0.05, zone_type="supporting_industry",
         developer="Công ty CP Đầu tư Phát triển KCN Quế Võ III",
         decision_no="1018/QĐ-UBND", decision_date="2008-08-14", ww=(True, 5000),
         notes="Ưu tiên công nghiệp hỗ trợ ngành điện tử.",
         shape=[[[(0, 0), (2000, 0), (2000, 900), (1000, 900), (1000, 1700), (0, 1700)]]]),
    dict(zone_id="BN-TS", short="TS", name="KCN Tiên Sơn", status="operating",
         status_text="operating", lon=105.9980, lat=21.1380, rot=-20.0, area_ha=348.66,
         ind=0.680, fill=0.80, service=0.04, zone_type="general",
         developer="Tổng công ty Viglacera – CTCP",
         decision_no="1129/QĐ-TTg", decision_date="1998-12-21", ww=(True, 6000),
         notes="Khu dân cư thôn Đồng Xép được giữ lại bên trong khu (không thuộc KCN).",
         # rectangle with a cut corner and a village left out (hole)
         shape=[[[(0, 0), (2200, 0), (2200, 1100), (1700, 1600), (0, 1600)],
                 [(550, 700), (950, 680), (1000, 1000), (820, 1150), (560, 1080)]]]),
    dict(zone_id="BN-YP1", short="YP1", name="KCN Yên Phong", status="operating",
         status_text="operating", lon=105.9550, lat=21.2150, rot=5.0, area_ha=658.91,
         ind=0.660, fill=0.89, service=0.05, zone_type="general",
         developer="Tổng công ty Viglacera – CTCP",
         decision_no="1037/QĐ-UBND", decision_date="2006-04-19", ww=(True, 20000),
         notes="Gồm khu chính và phần Yên Phong mở rộng tách rời phía đông.", phase="I + mở rộng",
         # MultiPolygon: notched main body + the detached "mở rộng" extension to the east
         shape=[[[(0, 0), (2800, 0), (2800, 1400), (2200, 1400), (2200, 1900), (0, 1900)]],
                [[(3150, 250), (3950, 250), (3950, 1150), (3150, 1150)]]]),
    dict(zone_id="BN-YP2A", short="YP2A", name="KCN Yên Phong II-A", status="operating",
         status_text="operating", lon=106.0120, lat=21.2420, rot=-6.0, area_ha=159.80,
         ind=0.640, fill=0.62, service=0.05, zone_type="specialised",
         developer="Tổng công ty Viglacera – CTCP",
         decision_no="2019/QĐ-UBND", decision_date="2008-12-29", ww=(True, 3000),
         notes="Chuyên ngành điện tử và linh kiện.",
         shape=[[rect(0, 0, 1500, 1050)]]),
    dict(zone_id="BN-YP2B", short="YP2B", name="KCN Yên Phong II-B", status="under_construction",
         status_text="under_construction", lon=105.9050, lat=21.1900, rot=10.0, area_ha=275.33,
         ind=0.640, fill=0.12, service=0.05, zone_type="general",
         developer="Công ty CP Phát triển Hạ tầng Yên Phong II-B",
         decision_no="1576/QĐ-TTg", decision_date="2019-10-23", ww=(False, None),
         notes="Đang giải phóng mặt bằng giai đoạn 2.",
         # notch on the west side (a cemetery left out)
         shape=[[[(0, 0), (2100, 0), (2100, 1300), (0, 1300), (0, 900), (420, 900),
                  (420, 500), (0, 500)]]]),
    dict(zone_id="BN-YP2C", short="YP2C", name="KCN Yên Phong II-C", status="operating",
         status_text="operating", lon=106.0480, lat=21.2000, rot=-3.0, area_ha=621.23,
         ind=0.645, fill=0.85, service=0.05, zone_type="general",
         developer="Công ty TNHH Phát triển Khu công nghiệp Yên Phong II-C",
         decision_no="1432/QĐ-TTg", decision_date="2016-07-22", ww=(True, 12000),
         notes=None,
         shape=[[[(0, 0), (3000, 0), (3300, 2000), (1700, 2000), (1700, 1650), (1250, 1650),
                  (1250, 2000), (300, 2000)]]]),
    dict(zone_id="BN-VSIP", short="VSIP", name="KCN VSIP Bắc Ninh", status="operating",
         status_text="operating", lon=105.9850, lat=21.0850, rot=18.0, area_ha=700.64,
         ind=0.630, fill=0.76, service=0.08, zone_type="general",
         developer="Công ty TNHH VSIP Bắc Ninh",
         decision_no="1854/QĐ-TTg", decision_date="2007-12-28", ww=(True, 14000),
         notes="Khu công nghiệp, đô thị và dịch vụ; liên doanh Việt Nam – Singapore.",
         # U-shape: the bay on the north side is the zone's housing area (not part of the KCN)
         shape=[[[(0, 0), (3200, 0), (3200, 2400), (2100, 2400), (2100, 1300), (1300, 1300),
                  (1300, 2400), (0, 2400)]]]),
    dict(zone_id="BN-DDHS", short="DDHS", name="KCN Đại Đồng – Hoàn Sơn", status="operating",
         status_text="operating", lon=106.0540, lat=21.1420, rot=-8.0, area_ha=366.17,
         ind=0.650, fill=0.68, service=0.05, zone_type="general",
         developer="Công ty CP Tập đoàn Tân Phát Hoàn Sơn",
         decision_no="1856/QĐ-UBND", decision_date="2006-12-26", ww=(True, 6000),
         notes="Hai giai đoạn tách rời bởi tỉnh lộ 276.", phase="Giai đoạn I, II",
         shape=[[rect(0, 0, 1400, 1300)],
                [[(1650, -200), (2900, -200), (2900, 900), (2300, 1100), (1650, 1100)]]]),
    dict(zone_id="BN-TT2", short="TT2", name="KCN Thuận Thành II", status="operating",
         status_text="operating", lon=106.0800, lat=21.0620, rot=4.0, area_ha=252.76,
         ind=0.660, fill=0.50, service=None, zone_type="general",
         developer="Công ty CP Đầu tư Phát triển Hạ tầng Thuận Thành II",
         decision_no="1287/QĐ-UBND", decision_date="2008-10-06", ww=(False, None),
         notes="Nhà máy xử lý nước thải tập trung đang xây dựng, dự kiến vận hành 2024.",
         shape=[[[(0, 0), (1800, 0), (1800, 1000), (900, 1500), (0, 1400)]]]),
    dict(zone_id="BN-TT3", short="TT3", name="KCN Thuận Thành III", status="under_construction",
         status_text="Đang xây dựng hạ tầng", lon=106.0250, lat=21.0300, rot=-14.0,
         area_ha=604.07, ind=0.630, fill=0.14, service=0.06, zone_type="general",
         developer="Công ty CP Phát triển Hạ tầng Thuận Thành III",
         decision_no="1608/QĐ-UBND", decision_date="2018-11-07", ww=(True, 3000),
         notes="Phân khu B đang san nền.",
         planned_area_off=1.08,   # planted finding: recorded planned area ~8 % too large
         shape=[[[(0, 0), (3200, 0), (3200, 1200), (1600, 1200), (1600, 2300), (0, 2300)]]]),
    dict(zone_id="BN-NSHL", short="NSHL", name="KCN Nam Sơn – Hạp Lĩnh", status="operating",
         status_text="Đang hoạt động", lon=106.1050, lat=21.1720, rot=22.0, area_ha=297.58,
         ind=0.630, fill=0.45, service=0.05, zone_type="general",
         developer="Tổng công ty Phát triển Đô thị Kinh Bắc – CTCP (KBC)",
         decision_no="1243/QĐ-UBND", decision_date="2008-09-26", ww=(True, 5000),
         notes="Hồ điều hoà giữ nguyên hiện trạng, không tính vào diện tích KCN.",
         # pentagon with a lake left out (hole)
         shape=[[[(0, 0), (2100, 0), (2300, 900), (2000, 1500), (0, 1500)],
                 [(900, 500), (1300, 450), (1450, 750), (1150, 1000), (850, 850)]]]),
    dict(zone_id="BN-HNK", short="HNK", name="KCN Hanaka", status="operating",
         status_text="operating", lon=105.9430, lat=21.1200, rot=-2.0, area_ha=153.92,
         ind=0.650, fill=0.80, service=None, zone_type="supporting_industry",
         developer="Công ty CP Tập đoàn Hanaka",
         decision_no="0957/QĐ-UBND", decision_date="2007-09-10", ww=(True, 2500),
         notes="Công nghiệp hỗ trợ ngành điện, cơ khí.", foreign={"ma_so_thue": "2300235688"},
         shape=[[rect(0, 0, 1400, 1100)]]),
    dict(zone_id="BN-GB1", short="GB1", name="KCN Gia Bình", status="under_construction",
         status_text="under_construction", lon=106.2000, lat=21.0500, rot=6.0, area_ha=321.95,
         ind=0.640, fill=0.08, service=None, zone_type="general",
         developer="Công ty CP Đầu tư Phát triển Hạ tầng Gia Bình",
         decision_no="0412/QĐ-TTg", decision_date="2020-04-03", ww=(False, None),
         notes=None, string_industrial=True,  # industrial_land_ha written as a string
         shape=[[[(0, 0), (2200, 0), (2400, 1500), (0, 1500)]]]),
    dict(zone_id="BN-GB2", short="GB2", name="KCN Gia Bình II", status="planned",
         status_text="Đã quy hoạch", lon=106.2620, lat=21.0640, rot=-10.0, area_ha=450.69,
         ind=None, fill=0.0, service=0.05, zone_type="eco",
         developer=None, decision_no=None, decision_date=None, ww=(False, None),
         notes="Trong quy hoạch tỉnh; chưa có quyết định thành lập.",
         shape=[[[(0, 0), (2600, 0), (2600, 1300), (2200, 1700), (0, 1700)]]]),
]

# ----------------------------------------------------------------------------------------------
# Tenants
# ----------------------------------------------------------------------------------------------

# Household-name tenants (illustrative placements, not real lease records):
# zone short id -> [(tenant, country, industry, number of large lots)]
ANCHOR_TENANTS = {
    "YP1": [("Công ty TNHH Samsung Electronics Việt Nam", "Hàn Quốc", "Điện tử", 8),
            ("Công ty TNHH Samsung SDI Việt Nam", "Hàn Quốc", "Pin, linh kiện điện tử", 3)],
    "QV1": [("Công ty TNHH Canon Việt Nam", "Nhật Bản", "Thiết bị văn phòng", 3),
            ("Công ty TNHH Fukang Technology (Foxconn)", "Đài Loan", "Điện tử", 4)],
    "TS": [("Công ty TNHH Canon Việt Nam", "Nhật Bản", "Thiết bị văn phòng", 2)],
    "QV3": [("Công ty TNHH Goertek Vina", "Trung Quốc", "Linh kiện âm thanh", 3)],
    "YP2C": [("Công ty TNHH Amkor Technology Việt Nam", "Hoa Kỳ", "Bán dẫn", 4),
             ("Công ty TNHH Luxshare-ICT Việt Nam", "Trung Quốc", "Linh kiện điện tử", 2)],
    "VSIP": [("Công ty TNHH Hana Micron Vina", "Hàn Quốc", "Bán dẫn", 2),
             ("Công ty TNHH Pepsico Việt Nam", "Hoa Kỳ", "Thực phẩm, đồ uống", 1)],
    "YP2A": [("Công ty TNHH Sumitomo Electric Interconnect Products Việt Nam", "Nhật Bản",
              "Linh kiện điện tử", 1)],
}

COUNTRY_WEIGHTS = [("Hàn Quốc", 34), ("Trung Quốc", 16), ("Nhật Bản", 12), ("Đài Loan", 8),
                   ("Singapore", 4), ("Hoa Kỳ", 3), ("Hồng Kông", 2), ("Việt Nam", 21)]

NAME_PARTS = {
    "Hàn Quốc": (["Dae", "Sung", "Woo", "Jin", "Hyun", "Min", "Seo", "Dong", "Young", "Kwang",
                  "Il", "Hae", "Sam", "Yoon"],
                 ["jin", "won", "hwa", "il", "shin", "kwang", "woo", "chang", "do", "san"],
                 ["Vina", "Electronics Vina", "Tech Vina", "Precision Vina", "Hi-Tech Vina",
                  "Display Vina"]),
    "Nhật Bản": (["Taka", "Nishi", "Yama", "Kawa", "Fuji", "Mori", "Hoshi", "Shin", "Kita",
                  "Oka"],
                 ["moto", "hara", "shima", "da", "zaki", "mura", "ta", "gawa"],
                 ["Seiki Việt Nam", "Precision Việt Nam", "Kogyo Việt Nam",
                  "Electric Việt Nam", "Mold Việt Nam"]),
    "Trung Quốc": (["Hua", "Xin", "Jia", "Long", "Sheng", "Tian", "Hong", "Rui", "Kang", "Yu"],
                   ["tai", "xing", "feng", "da", "cheng", "yuan", "hua", "sheng"],
                   ["Technology (Việt Nam)", "Electronics Việt Nam",
                    "Precision Industry Việt Nam", "New Material Việt Nam"]),
    "Đài Loan": (["Chia", "Fu", "Wei", "Kuo", "Hsin", "Yung", "Tai", "Chung"],
                 ["hsing", "lien", "yang", "tek", "sheng", "mao"],
                 ["Precision Việt Nam", "Electronics (Việt Nam)", "Industrial Việt Nam"]),
    "Singapore": (["Asia", "Pacific", "Orchid", "Straits", "Lion", "Sentosa"],
                  ["", ""],
                  ["Logistics Việt Nam", "Packaging Việt Nam", "Components Việt Nam"]),
    "Hoa Kỳ": (["Allied", "Summit", "Pioneer", "Keystone", "Liberty"],
               ["", ""],
               ["Technologies Việt Nam", "Materials Việt Nam", "Circuits Việt Nam"]),
    "Hồng Kông": (["Golden", "Pearl", "Victoria", "Harbour"],
                  ["", ""],
                  ["Garment Việt Nam", "Plastics Việt Nam", "Trading Việt Nam"]),
}
VN_TRADES = ["Cơ khí", "Bao bì", "Nhựa", "Thực phẩm", "Dược phẩm", "Điện tử", "Vật liệu xây dựng",
             "Logistics", "May mặc", "Thép", "Hoá chất", "Giấy"]
VN_NAMES = ["Hưng Thịnh", "Minh Phát", "Thành Đạt", "An Phú", "Đông Á", "Kinh Bắc", "Tân Long",
            "Hoàng Gia", "Phú Thành", "Việt Tiến", "Hồng Hà", "Bình Minh", "Quang Minh",
            "Đại Phát", "Thuận An", "Lạc Hồng", "Trường Sơn", "Nam Việt"]
INDUSTRIES_FDI = ["Linh kiện điện tử", "Điện tử", "Cơ khí chính xác", "Nhựa kỹ thuật", "Khuôn mẫu",
                  "Bao bì", "Vật liệu mới", "Thiết bị điện", "Dệt may", "Bán dẫn"]
VN_TRADE_INDUSTRY = {"Cơ khí": "Cơ khí", "Bao bì": "Bao bì", "Nhựa": "Nhựa", "Thực phẩm":
                     "Thực phẩm", "Dược phẩm": "Dược phẩm", "Điện tử": "Điện tử",
                     "Vật liệu xây dựng": "Vật liệu xây dựng", "Logistics": "Logistics",
                     "May mặc": "Dệt may", "Thép": "Luyện kim", "Hoá chất": "Hoá chất",
                     "Giấy": "Giấy"}
# service-land tenants: (company name prefix, industry)
SERVICE_USES = [("Công ty CP Dịch vụ KCN", "Dịch vụ"),
                ("Công ty CP Nhà ở công nhân", "Nhà ở"),
                ("Công ty CP Kho vận", "Logistics"),
                ("Công ty CP Xăng dầu", "Dịch vụ"),
                ("Công ty CP Trung tâm Thương mại", "Dịch vụ")]

# ----------------------------------------------------------------------------------------------
# Ellipsoidal area
#
# The shoelace area on the cylindrical equal-area projection (Snyder eq. 3-12) treats edges as
# straight lines of that projection, not geodesics; for parcels (edges of a few hundred metres)
# the two agree to ~1e-9, but for zones with kilometre-long edges of unequal length (L-shapes,
# U-shapes) they differ by up to ~2e-5 (about 170 m² on a 700 ha zone).  So areas here are taken
# on the authalic sphere (same q(φ) as the equal-area projection: sin β = q(φ)/q(90°), radius
# R_q² = a²·q(90°)/2) with great-circle edges, i.e. the exact spherical-excess formula; that
# matches the WGS84 geodesic area of these polygons to ~1e-7 (well under 1 m² per zone).
# ----------------------------------------------------------------------------------------------


def q_authalic(lat_deg):
    """Snyder eq. 3-12."""
    s = math.sin(math.radians(lat_deg))
    e = WGS84_E
    return (1 - WGS84_E2) * (s / (1 - WGS84_E2 * s * s)
                             - (1 / (2 * e)) * math.log((1 - e * s) / (1 + e * s)))


Q_POLE = q_authalic(90.0)
AUTHALIC_R2 = WGS84_A ** 2 * Q_POLE / 2


def ring_area_m2(ring):
    """Unsigned ellipsoidal area of a lon/lat ring (closed or not), m²: spherical excess on the
    authalic sphere, summed edge by edge (tan(E/2) formula, exact for great-circle edges)."""
    pts = [(math.radians(lon), math.asin(q_authalic(lat) / Q_POLE)) for lon, lat in ring]
    if pts[0] == pts[-1]:
        pts = pts[:-1]
    excess = 0.0
    for (l1, b1), (l2, b2) in zip(pts, pts[1:] + pts[:1]):
        t1, t2 = math.tan(b1 / 2), math.tan(b2 / 2)
        excess += 2 * math.atan2(math.tan((l2 - l1) / 2) * (t1 + t2), 1 + t1 * t2)
    return abs(excess) * AUTHALIC_R2


def polygon_area_m2(rings):
    return ring_area_m2(rings[0]) - sum(ring_area_m2(h) for h in rings[1:])


def multipolygon_area_m2(parts):
    return sum(polygon_area_m2(p) for p in parts)


# ----------------------------------------------------------------------------------------------
# Planar helpers in a zone's local frame
# ----------------------------------------------------------------------------------------------


def signed_area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2


def centroid_of_parts(parts):
    """Area centroid of parts (outer rings minus holes)."""
    ax = ay = at = 0.0
    for part in parts:
        for k, ring in enumerate(part):
            sign = 1.0 if k == 0 else -1.0
            a = abs(signed_area(ring))
            cx = cy = 0.0
            sa = signed_area(ring)
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                c = x1 * y2 - x2 * y1
                cx += (x1 + x2) * c
                cy += (y1 + y2) * c
            cx /= 6 * sa
            cy /= 6 * sa
            ax += sign * a * cx
            ay += sign * a * cy
            at += sign * a
    return ax / at, ay / at


def point_in_rings(p, rings):
    """Even-odd test against all rings of one polygon (outer and holes)."""
    x, y = p
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y):
                if x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def line_intervals(rings, v):
    """Intervals of u where the horizontal line at v is inside the polygon."""
    xs = []
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 <= v < y2) or (y2 <= v < y1):
                xs.append(x1 + (v - y1) * (x2 - x1) / (y2 - y1))
    xs.sort()
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]


def intersect_intervals(a, b):
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return sorted(out)


def strip_intervals(rings, v0, v1):
    """Intervals of u where the whole strip v0..v1 lies inside the polygon."""
    levels = [v0, v1 - 1e-6]
    for ring in rings:
        for _, y in ring:
            if v0 < y < v1:
                levels += [y - 1e-6, y + 1e-6]
    result = None
    for lv in levels:
        iv = line_intervals(rings, lv)
        result = iv if result is None else intersect_intervals(result, iv)
    return result or []


def lot_inside(rings, u0, v0, u1, v1, step=10.0):
    """Sampled containment test of an axis-parallel lot, plus no polygon vertex inside it."""
    for ring in rings:
        for x, y in ring:
            if u0 < x < u1 and v0 < y < v1:
                return False
    nu = max(2, int((u1 - u0) / step) + 1)
    nv = max(2, int((v1 - v0) / step) + 1)
    pts = [(u0 + (u1 - u0) * i / (nu - 1), v) for i in range(nu) for v in (v0, v1)]
    pts += [(u, v0 + (v1 - v0) * j / (nv - 1)) for j in range(nv) for u in (u0, u1)]
    return all(point_in_rings(p, rings) for p in pts)


# ----------------------------------------------------------------------------------------------
# Local frame -> longitude/latitude
# ----------------------------------------------------------------------------------------------


def metres_per_degree(lat_deg):
    s = math.sin(math.radians(lat_deg))
    w = 1 - WGS84_E2 * s * s
    m_lon = math.radians(1) * WGS84_A * math.cos(math.radians(lat_deg)) / math.sqrt(w)
    m_lat = math.radians(1) * WGS84_A * (1 - WGS84_E2) / w ** 1.5
    return m_lon, m_lat


class Frame:
    """A zone's local frame: (u, v) metres, rotated by rot degrees, scaled by s about the
    zone centre (lon0, lat0)."""

    def __init__(self, lon0, lat0, rot_deg):
        self.lon0, self.lat0 = lon0, lat0
        self.c, self.s_ = math.cos(math.radians(rot_deg)), math.sin(math.radians(rot_deg))
        self.m_lon, self.m_lat = metres_per_degree(lat0)
        self.scale = 1.0

    def to_lonlat(self, u, v, scale=None):
        k = self.scale if scale is None else scale
        x = (u * self.c - v * self.s_) * k
        y = (u * self.s_ + v * self.c) * k
        return (round(self.lon0 + x / self.m_lon, COORD_DECIMALS),
                round(self.lat0 + y / self.m_lat, COORD_DECIMALS))

    def ring(self, ring, scale=None):
        return [self.to_lonlat(u, v, scale) for u, v in ring]


def close(ring):
    return [list(p) for p in ring] + [list(ring[0])]


def oriented(ring, ccw=True):
    """Ring in the requested orientation (in lon/lat, east-north axes)."""
    return ring if (signed_area(ring) > 0) == ccw else ring[::-1]


# ----------------------------------------------------------------------------------------------
# Clipping (for the parcel that straddles its zone's boundary)
# ----------------------------------------------------------------------------------------------


def clip_by_convex(subject, clip):
    """Sutherland–Hodgman: subject ring (any simple polygon) clipped by a convex CCW ring.
    Planar in lon/lat, as GeoJSON edges are straight there; good for the area of the result."""
    def inside(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def cross(p1, p2, a, b):
        x1, y1 = p1
        x2, y2 = p2
        x3, y3 = a
        x4, y4 = b
        d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))

    out = list(subject)
    for a, b in zip(clip, clip[1:] + clip[:1]):
        inp, out = out, []
        for i, p in enumerate(inp):
            prev = inp[i - 1]
            if inside(p, a, b):
                if not inside(prev, a, b):
                    out.append(cross(prev, p, a, b))
                out.append(p)
            elif inside(prev, a, b):
                out.append(cross(prev, p, a, b))
    return out


# ----------------------------------------------------------------------------------------------
# Building the zones
# ----------------------------------------------------------------------------------------------


def build_zone(z):
    """Centre the nominal shape on its centroid and normalise it to the target area, place it
    (rotation, scale about the zone centre), then make the area of the rounded coordinates exact
    by nudging two outer-ring vertices by a few 1e-7° steps."""
    parts = [[[(float(x), float(y)) for x, y in ring] for ring in part] for part in z["shape"]]
    cx, cy = centroid_of_parts(parts)
    parts = [[[(x - cx, y - cy) for x, y in ring] for ring in part] for part in parts]
    planar = sum(abs(signed_area(p[0])) - sum(abs(signed_area(h)) for h in p[1:]) for p in parts)
    k = math.sqrt(z["area_ha"] * 1e4 / planar)
    parts = [[[(x * k, y * k) for x, y in ring] for ring in part] for part in parts]
    z["local"] = parts

    frame = Frame(z["lon"], z["lat"], z["rot"])
    target = z["area_ha"] * 1e4

    def area(scale):
        return multipolygon_area_m2([[frame.ring(r, scale) for r in part] for part in parts])

    s = 1.0
    for _ in range(4):                               # Newton-like on the smooth part
        s *= math.sqrt(target / area(s))
    frame.scale = s
    z["frame"] = frame
    parts_ll = [[frame.ring(r) for r in part] for part in parts]
    # Rounding to 1e-7° leaves an error of some m²: nudge the two outer-ring vertices with the
    # longest chords by a few grid steps (cm) to take it out.
    outer = parts_ll[0][0]
    rest = multipolygon_area_m2(parts_ll) - ring_area_m2(outer)
    for k in chord_vertices(outer)[:2]:
        outer[:] = nudge_to_area(outer, target - rest, k)
    z["geom_parts"] = parts_ll
    z["area_err_m2"] = multipolygon_area_m2(parts_ll) - target


def chord_vertices(ring):
    """Vertex indices, those whose neighbours are farthest apart (moves change area most) first."""
    n = len(ring)
    return sorted(range(n), key=lambda i: -math.dist(ring[i - 1], ring[(i + 1) % n]))


def nudge_to_area(ring, target_m2, k, reach=40):
    """Move vertex k of a lon/lat ring by whole 1e-7° steps (at most reach steps, ~40 cm) so
    that the ring's area is as close as possible to target_m2.  Returns the new ring."""
    lon, lat = ring[k]
    step = 10.0 ** -COORD_DECIMALS
    best = None
    for i in range(-reach, reach + 1):
        for j in range(-reach, reach + 1):
            trial = list(ring)
            trial[k] = (round(lon + i * step, COORD_DECIMALS), round(lat + j * step, COORD_DECIMALS))
            err = abs(ring_area_m2(trial) - target_m2)
            if best is None or err < best[0]:
                best = (err, trial)
    return best[1]


def zone_geometry(z):
    parts = []
    for part in z["geom_parts"]:
        rings = [close(oriented(part[0], True))] + [close(oriented(h, False)) for h in part[1:]]
        parts.append(rings)
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def check_zones_apart(zones, gap_deg=0.004):
    boxes = []
    for z in zones:
        pts = [p for part in z["geom_parts"] for p in part[0]]
        boxes.append((min(p[0] for p in pts), min(p[1] for p in pts),
                      max(p[0] for p in pts), max(p[1] for p in pts)))
    for i in range(len(zones)):
        for j in range(i + 1, len(zones)):
            a, b = boxes[i], boxes[j]
            if not (a[2] + gap_deg < b[0] or b[2] + gap_deg < a[0]
                    or a[3] + gap_deg < b[1] or b[3] + gap_deg < a[1]):
                raise SystemExit(f"zones too close: {zones[i]['zone_id']} {zones[j]['zone_id']}")
        assert 105.85 < boxes[i][0] and boxes[i][2] < 106.32, zones[i]["zone_id"]
        assert 20.98 < boxes[i][1] and boxes[i][3] < 21.27, zones[i]["zone_id"]


# ----------------------------------------------------------------------------------------------
# Lots
# ----------------------------------------------------------------------------------------------


def draw_lot_ha(rng):
    r = rng.random()
    if r < 0.06:
        return rng.uniform(0.5, 1.0)
    if r < 0.90:
        return math.exp(rng.uniform(math.log(1.0), math.log(10.0)))
    return rng.uniform(10.0, 24.0)


def layout_lots(z, rng):
    """Rows of lots: blocks (strips in v) separated by roads, each block cut into lots along u,
    with cross roads now and then.  Returns lots as dicts with local rectangles."""
    lots = []
    block_no = 0
    frac = LAYOUT_FRACTION[z["status"]]
    for part_no, part in enumerate(z["local"]):
        vs = [y for _, y in part[0]]
        vmin, vmax = min(vs), max(vs)
        vlimit = vmin + frac * (vmax - vmin)
        v = vmin + EDGE_MARGIN_M
        while True:
            depth = rng.choice(BLOCK_DEPTHS_M)
            v0, v1 = v, v + depth
            if v1 > min(vmax - EDGE_MARGIN_M, vlimit):
                break
            ivs = strip_intervals(part, v0 - EDGE_MARGIN_M, v1 + EDGE_MARGIN_M)
            block_used = False
            lot_no = 0
            for a, b in ivs:
                a, b = a + EDGE_MARGIN_M, b - EDGE_MARGIN_M
                if b - a < MIN_INTERVAL_M:
                    continue
                if not block_used:
                    block_no += 1
                    block_used = True
                u = a
                run = 0.0
                next_cross = rng.uniform(*CROSS_ROAD_EVERY_M)
                while b - u > 1.0:
                    w = draw_lot_ha(rng) * 1e4 / depth
                    w = max(MIN_LOT_WIDTH_M, min(w, MAX_LOT_HA * 1e4 / depth))
                    min_w = max(MIN_LOT_WIDTH_M, MIN_LOT_HA * 1e4 / depth)
                    if b - u - w < min_w + 20:                    # too little left: take it all
                        w = b - u
                    if w < min_w:
                        break                                      # leave a green strip
                    lot_no += 1
                    lots.append(dict(part=part_no, block=block_no, lot=lot_no,
                                     u0=u, u1=u + w, v0=v0, v1=v1))
                    u += w
                    run += w
                    if run > next_cross and b - u > 300:
                        u += CROSS_ROAD_M
                        run = 0.0
                        next_cross = rng.uniform(*CROSS_ROAD_EVERY_M)
            v = v1 + rng.choice(ROAD_WIDTHS_M)
    for lot in lots:
        rings = z["local"][lot["part"]]
        assert lot_inside(rings, lot["u0"], lot["v0"], lot["u1"], lot["v1"]), (z["zone_id"], lot)
        lot["zone"] = z
        lot["pid"] = f"{z['short']}-B{lot['block']:02d}-{lot['lot']:02d}"
    return lots


def lot_ring(lot):
    """Lon/lat ring of a lot, counter-clockwise, not closed."""
    f = lot["zone"]["frame"]
    if "ring_override" in lot:          # the trimmed lot, nudged to an exact area
        return list(lot["ring_override"])
    u0, u1, v0, v1 = lot["u0"], lot["u1"], lot["v0"], lot["v1"]
    return f.ring([(u0, v0), (u1, v0), (u1, v1), (u0, v1)])


def lot_area_ha(lot):
    return ring_area_m2(lot_ring(lot)) / 1e4


# ----------------------------------------------------------------------------------------------
# The whole data set
# ----------------------------------------------------------------------------------------------


def assign_planning_attributes(zones):
    total = 0.0
    for z in zones:
        if z["ind"] is not None:
            z["industrial_land_ha"] = round(z["area_ha"] * z["ind"], 2)
            total += z["industrial_land_ha"]
    rest = [z for z in zones if z["ind"] is None]
    assert len(rest) == 1
    rest[0]["industrial_land_ha"] = round(TARGET_INDUSTRIAL_HA - total, 2)
    share = rest[0]["industrial_land_ha"] / rest[0]["area_ha"]
    assert 0.58 < share < 0.72, share
    for z in zones:
        z["service_land_ha"] = round(z["area_ha"] * z["service"], 2) if z["service"] else None
        z["planned_area_ha"] = round(z["area_ha"] * z.get("planned_area_off", 1.0), 2)
    # leased targets per zone, scaled to hit the province total
    raw = sum(z["industrial_land_ha"] * z["fill"] for z in zones)
    for z in zones:
        z["leased_target"] = z["industrial_land_ha"] * z["fill"] * TARGET_LEASED_HA / raw


def thin_and_designate(z, lots, rng):
    """Drop lots to leave green/utility gaps, mark service lots, then statuses by a greedy fill
    towards the zone's leased target (lots nearer the entrance, low v, lease first)."""
    want_ind = max(z["industrial_land_ha"] * rng.uniform(0.97, 1.02), z["leased_target"] / 0.95)
    want = want_ind + (z["service_land_ha"] or 0) * 0.9
    floor = z["leased_target"] / 0.95 + (z["service_land_ha"] or 0) * 0.9
    have = sum(lot_area_ha(l) for l in lots)
    order = list(range(len(lots)))
    rng.shuffle(order)
    drop = set()
    for i in order:
        if have <= want:
            break
        if lots[i]["lot"] == 1:          # keep the first lot of each block (no ragged starts)
            continue
        if have - lot_area_ha(lots[i]) < floor:
            continue
        drop.add(i)
        have -= lot_area_ha(lots[i])
    lots = [l for i, l in enumerate(lots) if i not in drop]

    for l in lots:
        l["use"] = "industrial"
        l["status"] = "vacant"
    # service lots: the blocks nearest the entrance (lowest v), smaller lots first
    if z["service_land_ha"]:
        need = z["service_land_ha"] * rng.uniform(0.8, 0.95)
        cand = sorted((l for l in lots if lot_area_ha(l) < 6), key=lambda l: (l["v0"], l["u0"]))
        got = 0.0
        for l in cand:
            a = lot_area_ha(l)
            if got + a > need:
                continue
            l["use"] = "service"
            got += a
        for l in lots:
            if l["use"] == "service":
                l["status"] = "leased" if rng.random() < 0.7 else "vacant"

    ind = [l for l in lots if l["use"] == "industrial"]
    ind_area = sum(lot_area_ha(l) for l in ind)
    assert z["leased_target"] <= 0.985 * ind_area, (z["zone_id"], z["leased_target"], ind_area)
    key = {id(l): l["v0"] + rng.uniform(0, 600) for l in ind}
    got = 0.0
    for l in sorted(ind, key=lambda l: key[id(l)]):
        a = lot_area_ha(l)
        if got + a <= z["leased_target"]:
            l["status"] = "leased"
            got += a
    for l in ind:
        if l["status"] == "vacant" and rng.random() < (0.5 if z["status"] == "planned" else 0.18):
            l["status"] = "reserved"
    return lots


def leased_ha(l):
    """What a lot adds to its zone's leased industrial ground (see the planted errors)."""
    if l.get("status") != "leased" or l["use"] != "industrial" or l.get("no_area"):
        return 0.0
    if l.get("straddle_clip") is not None:
        return l["straddle_clip"]()
    return lot_area_ha(l)


def plant_errors(zones, lots_by_zone, rng):
    """Plant the data errors (see README.md).  Returns {error: parcel id}."""
    planted = {}
    by_short = {z["short"]: z for z in zones}

    def free(l):
        return not l.get("special")

    # 1. a leased parcel straddling its zone's outer boundary (KCN Quế Võ): a lot at the east
    #    end of its block, pushed 45 m past the boundary.
    z = by_short["QV1"]
    lots = lots_by_zone["QV1"]
    ends = {}
    for l in lots:
        k = (l["block"], l["part"])
        if k not in ends or l["u1"] > ends[k]["u1"]:
            ends[k] = l
    cands = []
    for l in ends.values():
        rings = z["local"][l["part"]]
        vm = (l["v0"] + l["v1"]) / 2
        out_u = l["u1"] + EDGE_MARGIN_M + 45
        # must cross the outer ring once and stay outside beyond it (no concave re-entry)
        if (l["status"] == "leased" and l["use"] == "industrial"
                and all(not point_in_rings((out_u + d, v), rings)
                        for d in (0, 100, 400, 800) for v in (l["v0"], vm, l["v1"]))
                and lot_area_ha(l) > 3):
            cands.append(l)
    l = sorted(cands, key=lambda l: l["v0"])[len(cands) // 2]
    l["u1"] += EDGE_MARGIN_M + 45
    l["special"] = "straddle"
    outer = z["geom_parts"][l["part"]][0]

    def clip(l=l, outer=outer):
        return ring_area_m2(clip_by_convex(oriented(outer), lot_ring(l))) / 1e4
    l["straddle_clip"] = clip
    planted["straddles its zone's outer boundary (only the inside part counts as leased)"] = l["pid"]

    # 2. duplicate record: a leased parcel lying within two adjacent leased lots (KCN Yên Phong)
    lots = lots_by_zone["YP1"]
    pairs = [(a, b) for a, b in zip(lots, lots[1:])
             if a["block"] == b["block"] and a["part"] == b["part"] and a["u1"] == b["u0"]
             and a["status"] == b["status"] == "leased" and a["use"] == b["use"] == "industrial"
             and free(a) and free(b) and a["u1"] - a["u0"] > 120 and b["u1"] - b["u0"] > 120]
    a, b = pairs[len(pairs) // 3]
    a["special"] = b["special"] = "dup-neighbour"
    last = max(x["lot"] for x in lots if x["block"] == a["block"])
    dup = dict(a)
    dup.update(u0=a["u1"] - 0.45 * (a["u1"] - a["u0"]), u1=b["u0"] + 0.40 * (b["u1"] - b["u0"]),
               v0=a["v0"] + 12, v1=a["v1"] - 12, lot=last + 1,
               pid=f"YP1-B{a['block']:02d}-{last + 1:02d}", special="duplicate", no_area=True,
               tenant_from=a)
    lots.insert(lots.index(b) + 1, dup)
    planted[f"duplicate record: leased, lies entirely within the adjacent leased lots {a['pid']} "
            f"and {b['pid']} (adds no leased ground)"] = dup["pid"]

    # 3. two parcels written with clockwise exterior rings
    for short, nth in (("VSIP", 7), ("QV3", 3)):
        c = [x for x in lots_by_zone[short] if free(x) and x["status"] == "leased"
             and x["use"] == "industrial"]
        c[nth]["special"] = "clockwise"
        planted.setdefault("clockwise exterior ring", [])
        planted["clockwise exterior ring"].append(c[nth]["pid"])

    # 4. one parcel with "geometry": null (a leased lot not yet digitised, KCN Đại Đồng – Hoàn Sơn)
    lots = lots_by_zone["DDHS"]
    blk = max(x["block"] for x in lots)
    nul = dict(lots[-1])
    nul.update(lot=99, pid=f"DDHS-B{blk:02d}-99", special="null_geometry", no_area=True,
               status="leased", use="industrial")
    lots.append(nul)
    planted['"geometry": null'] = nul["pid"]

    # 5. zone_id naming no zone (typo BN-QV9 for BN-QV1); vacant, so no total depends on how it
    #    is resolved
    c = [x for x in lots_by_zone["QV1"] if free(x) and x["status"] == "vacant"
         and x["use"] == "industrial"]
    c[len(c) // 2]["special"] = "bad_zone_id"
    planted['zone_id "BN-QV9" names no zone (lies inside KCN Quế Võ, BN-QV1); vacant'] = \
        c[len(c) // 2]["pid"]

    # 6. no zone_id property at all (leased; its zone is found spatially: KCN Tiên Sơn)
    c = [x for x in lots_by_zone["TS"] if free(x) and x["status"] == "leased"
         and x["use"] == "industrial"]
    c[5]["special"] = "no_zone_id"
    planted["no zone_id property (leased; lies inside KCN Tiên Sơn, BN-TS)"] = c[5]["pid"]

    # 7. duplicate parcel_id: two different lots of KCN Yên Phong II-C carry the same id;
    #    the first is leased, the second (the next lot of the block) vacant
    lots = lots_by_zone["YP2C"]
    pairs = [(a, b) for a, b in zip(lots, lots[1:])
             if a["block"] == b["block"] and free(a) and free(b) and a["status"] == "leased"
             and b["status"] in ("vacant", "reserved") and a["use"] == b["use"] == "industrial"]
    a, b = pairs[len(pairs) // 2]
    b["status"] = "vacant"
    a["special"] = b["special"] = "dup_id"
    b["pid_written"] = a["pid"]
    planted[f"duplicate parcel_id (two different lots; the first leased, the second vacant — "
            f"the second should be {b['pid']})"] = a["pid"]
    return planted


def hit_leased_total(zones, lots_by_zone, rng):
    """Make Σ leased ground exactly TARGET_LEASED_HA: flip lots of operating zones with room,
    then trim one vacant lot, turned leased, to the exact remainder."""
    all_lots = [l for z in zones for l in lots_by_zone[z["short"]]]

    def total():
        return sum(leased_ha(l) for l in all_lots)

    def zone_fill(z, extra=0.0):
        return (sum(leased_ha(l) for l in lots_by_zone[z["short"]]) + extra) / z["industrial_land_ha"]

    operating = [z for z in zones if z["status"] == "operating"]
    deficit = TARGET_LEASED_HA - total()
    # need a deficit of at least 1.5 ha so that the trimmed lot is a plausible lot
    while deficit < 1.5:
        c = [l for z in operating for l in lots_by_zone[z["short"]]
             if not l.get("special") and l["status"] == "leased" and l["use"] == "industrial"
             and zone_fill(l["zone"], -lot_area_ha(l)) > 0.45]
        l = min(c, key=lambda l: abs(lot_area_ha(l) - (2.0 - deficit)))
        l["status"] = "vacant"
        deficit = TARGET_LEASED_HA - total()
    while True:
        c = [l for z in operating for l in lots_by_zone[z["short"]]
             if not l.get("special") and l["status"] == "vacant" and l["use"] == "industrial"
             and zone_fill(l["zone"], deficit) < 0.95]
        fits = [l for l in c if lot_area_ha(l) >= deficit * 1.05]
        if fits:
            adj = min(fits, key=lambda l: lot_area_ha(l))
            break
        big = max(c, key=lambda l: lot_area_ha(l))
        big["status"] = "leased"
        deficit = TARGET_LEASED_HA - total()
    adj["status"] = "leased"
    adj["special"] = "trimmed"
    others = total() - lot_area_ha(adj)
    need_m2 = (TARGET_LEASED_HA - others) * 1e4
    # trim the lot's east side: proportional steps on the smooth part, then a vertex nudge
    u0, u1 = adj["u0"], adj["u1"]

    def area_at(x):
        adj["u1"] = x
        return lot_area_ha(adj) * 1e4

    x = u0 + (u1 - u0) * need_m2 / area_at(u1)
    for _ in range(3):
        x = u0 + (x - u0) * need_m2 / area_at(x)
    adj["u1"] = x
    assert x <= u1
    # take out the rounding error by nudging its north-east corner (free: it borders the gap
    # left by the trimming) by a few 1e-7° steps
    adj["ring_override"] = nudge_to_area(lot_ring(adj), need_m2, 2)
    return adj


def pick_country(rng):
    total = sum(w for _, w in COUNTRY_WEIGHTS)
    r = rng.uniform(0, total)
    for c, w in COUNTRY_WEIGHTS:
        r -= w
        if r <= 0:
            return c
    return COUNTRY_WEIGHTS[-1][0]


def make_tenant(rng, used):
    while True:
        country = pick_country(rng)
        if country == "Việt Nam":
            trade = rng.choice(VN_TRADES)
            form = rng.choice(["Công ty CP", "Công ty TNHH", "Công ty CP"])
            name = f"{form} {trade} {rng.choice(VN_NAMES)}"
            industry = VN_TRADE_INDUSTRY[trade]
        else:
            a, b, sfx = NAME_PARTS[country]
            first, second = rng.choice(a), rng.choice(b)
            if first.lower() == second:
                continue
            core = first + second
            name = f"Công ty TNHH {core} {rng.choice(sfx)}"
            industry = rng.choice(INDUSTRIES_FDI)
            if "Electronics" in name or "Display" in name:
                industry = rng.choice(["Điện tử", "Linh kiện điện tử"])
            elif "Logistics" in name:
                industry = "Logistics"
            elif "Packaging" in name:
                industry = "Bao bì"
            elif "Garment" in name:
                industry = "Dệt may"
        if name not in used:
            used.add(name)
            return name, country, industry


def add_months(date, months):
    y, m, d = date
    m0 = y * 12 + (m - 1) + months
    return (m0 // 12, m0 % 12 + 1, min(d, 28))


def iso(date):
    return f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"


def assign_tenants(zones, lots_by_zone, rng):
    """Tenants, countries, capital, employees and lease dates for leased lots."""
    used = set()
    expired = []
    for z in zones:
        lots = lots_by_zone[z["short"]]
        leased = [l for l in lots if l["status"] == "leased" and "tenant_from" not in l]
        # lease years: lots near the entrance (low v) first
        if z["decision_date"]:
            first = max(2003, int(z["decision_date"][:4]) + 1)
        else:
            first = 2024
        if z["status"] != "operating":
            first = max(first, 2021)
        order = sorted(leased, key=lambda l: l["v0"] + rng.uniform(0, 500))
        for i, l in enumerate(order):
            frac = i / max(1, len(order) - 1)
            year = min(2024, int(first + frac * (2024 - first) + rng.uniform(-1, 1.5)))
            year = max(first, year)
            month = rng.randint(1, 12) if year < 2024 else rng.randint(1, 3)
            l["lease_start"] = (year, month, rng.randint(1, 28))
        # anchors take the largest industrial lots of their zone
        ind = sorted((l for l in leased if l["use"] == "industrial"), key=lot_area_ha,
                     reverse=True)
        k = 0
        for name, country, industry, n in ANCHOR_TENANTS.get(z["short"], []):
            start = min((l["lease_start"] for l in ind[k:k + n]))
            for l in ind[k:k + n]:
                l.update(tenant=name, country=country, industry=industry, anchor=True)
                l["lease_start"] = start if rng.random() < 0.5 else l["lease_start"]
            k += n
        prev = None
        for l in sorted(leased, key=lambda l: (l["part"], l["block"], l["u0"])):
            if "tenant" in l:
                prev = l
                continue
            if l["use"] == "service":
                what, industry = rng.choice(SERVICE_USES)
                l.update(tenant=f"{what} {rng.choice(VN_NAMES)}", country="Việt Nam",
                         industry=industry)
                prev = None
                continue
            # a neighbour's tenant expanding into the next lot, now and then
            if (prev is not None and prev["use"] == "industrial" and not prev.get("anchor")
                    and prev["block"] == l["block"] and abs(prev["u1"] - l["u0"]) < 1e-9
                    and rng.random() < 0.22):
                l.update(tenant=prev["tenant"], country=prev["country"],
                         industry=prev["industry"])
            else:
                l["tenant"], l["country"], l["industry"] = make_tenant(rng, used)
            prev = l
        for l in leased:
            ha = lot_area_ha(l)
            fdi = l["country"] != "Việt Nam"
            if l.get("anchor"):
                per_ha, staff = rng.uniform(12, 40), rng.uniform(200, 600)
            elif fdi:
                per_ha, staff = rng.uniform(1.0, 6.0), rng.uniform(30, 150)
            else:
                per_ha, staff = rng.uniform(0.3, 2.0), rng.uniform(15, 80)
            if l["use"] == "service":
                per_ha, staff = rng.uniform(0.3, 2), rng.uniform(5, 40)
            l["capital"] = round(per_ha * ha, 1)
            l["employees"] = int(round(staff * ha, -1 if staff * ha > 100 else 0))
            l["itype"] = "FDI" if fdi else "DDI"
            l["lease_end"] = add_months(l["lease_start"], 12 * 50 - rng.choice((0, 0, 0, 6, 12, 24)))
    # copies inherit their original's attributes
    for z in zones:
        for l in lots_by_zone[z["short"]]:
            if "tenant_from" in l:
                for k in ("tenant", "country", "industry", "capital", "employees", "itype",
                          "lease_start", "lease_end"):
                    l[k] = l["tenant_from"][k]
    # a few leases already ended (short terms) but the lots are still written as leased
    cands = [l for z in zones if z["status"] == "operating"
             for l in lots_by_zone[z["short"]] if l["status"] == "leased" and not l.get("anchor")
             and not l.get("special") and l["use"] == "industrial"
             and l["lease_start"][0] <= 2010]
    rng.shuffle(cands)
    for l in cands[:3]:
        y0 = l["lease_start"][0]
        l["lease_end"] = (rng.randint(y0 + 10, TODAY[0] - 1), rng.randint(1, 12), rng.randint(1, 28))
        expired.append(l["pid"])
    return expired


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------

VN_STATUS = {"leased": "Đã cho thuê", "vacant": "Chưa cho thuê"}


def zone_feature(z):
    props = {
        "zone_id": z["zone_id"],
        "name": z["name"],
        "province": PROVINCE,
        "status": z["status_text"],
        "zone_type": z["zone_type"],
        "planned_area_ha": z["planned_area_ha"],
        "industrial_land_ha": (f"{z['industrial_land_ha']:.2f}" if z.get("string_industrial")
                               else z["industrial_land_ha"]),
    }
    if z["service_land_ha"] is not None:
        props["service_land_ha"] = z["service_land_ha"]
    props.update({
        "developer": z["developer"],
        "decision_no": z["decision_no"],
        "decision_date": z["decision_date"],
    })
    if z.get("phase"):
        props["phase"] = z["phase"]
    props["wastewater_plant"] = z["ww"][0]
    props["wastewater_capacity_m3_day"] = z["ww"][1]
    props["notes"] = z["notes"]
    props.update(z.get("foreign", {}))
    return {"type": "Feature", "properties": props, "geometry": zone_geometry(z)}


def parcel_feature(l, vn_status):
    z = l["zone"]
    props = {"parcel_id": l.get("pid_written", l["pid"])}
    if l.get("special") == "bad_zone_id":
        props["zone_id"] = "BN-QV9"
    elif l.get("special") != "no_zone_id":
        props["zone_id"] = z["zone_id"]
    props["status"] = VN_STATUS[l["status"]] if vn_status else l["status"]
    props["land_use"] = l["use"]
    leased = l["status"] == "leased"
    props.update({
        "tenant": l["tenant"] if leased else None,
        "investor_country": l["country"] if leased else None,
        "investment_type": l["itype"] if leased else None,
        "capital_musd": l["capital"] if leased else None,
        "lease_start": iso(l["lease_start"]) if leased else None,
        "lease_end": iso(l["lease_end"]) if leased else None,
        "industry": l["industry"] if leased else None,
        "employees": l["employees"] if leased else None,
    })
    if l.get("special") == "null_geometry":
        geom = None
    else:
        ring = lot_ring(l)
        ring = oriented(ring, ccw=l.get("special") != "clockwise")
        geom = {"type": "Polygon", "coordinates": [close(ring)]}
    return {"type": "Feature", "properties": props, "geometry": geom}


def write_collection(path, features):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False, separators=(",", ":"))
                           for ft in features))
        f.write("\n]}\n")


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def main():
    rng = random.Random(SEED)
    zones = [dict(z) for z in ZONES]
    assert abs(sum(z["area_ha"] for z in zones) - TARGET_ZONE_AREA_HA) < 1e-6
    assert sum(z["status"] == "operating" for z in zones) == 12
    for z in zones:
        build_zone(z)
    check_zones_apart(zones)
    assign_planning_attributes(zones)

    lots_by_zone = {}
    for z in zones:
        lots = layout_lots(z, rng)
        lots_by_zone[z["short"]] = thin_and_designate(z, lots, rng)
    planted = plant_errors(zones, lots_by_zone, rng)
    adj = hit_leased_total(zones, lots_by_zone, rng)
    expired = assign_tenants(zones, lots_by_zone, rng)

    # a few statuses in Vietnamese wording, as real files have them
    vn = {}
    flat = [l for z in zones for l in lots_by_zone[z["short"]] if not l.get("special")]
    for status in ("leased", "vacant"):
        c = [l["pid"] for l in flat if l["status"] == status]
        for pid in rng.sample(c, 4):
            vn[pid] = VN_STATUS[status]

    zone_features = [zone_feature(z) for z in zones]
    parcel_features = [parcel_feature(l, l["pid"] in vn)
                       for z in zones for l in lots_by_zone[z["short"]]]
    write_collection(ZONES_PATH, zone_features)
    write_collection(PARCELS_PATH, parcel_features)

    # ---- summary ----
    tot_area = sum(multipolygon_area_m2(z["geom_parts"]) for z in zones) / 1e4
    tot_leased = 0.0
    print(f"{'zone':8} {'status':19} {'area ha':>9} {'ind ha':>8} {'leased':>8} {'fill':>6} lots")
    for z in zones:
        lots = lots_by_zone[z["short"]]
        le = sum(leased_ha(l) for l in lots)
        tot_leased += le
        print(f"{z['zone_id']:8} {z['status']:19} {multipolygon_area_m2(z['geom_parts']) / 1e4:9.4f}"
              f" {z['industrial_land_ha']:8.2f} {le:8.3f} {100 * le / z['industrial_land_ha']:5.1f}%"
              f" {len(lots)}")
    ind = sum(z["industrial_land_ha"] for z in zones)
    print(f"zones: {len(zones)}, operating {sum(z['status'] == 'operating' for z in zones)}")
    print(f"Σ zone area      {tot_area:.5f} ha  (target {TARGET_ZONE_AREA_HA})")
    print(f"Σ leased ground  {tot_leased:.5f} ha  (target {TARGET_LEASED_HA})")
    print(f"Σ industrial     {ind:.2f} ha  (target {TARGET_INDUSTRIAL_HA})")
    print(f"fill rate        {100 * tot_leased / ind:.2f} %")
    print(f"parcels: {len(parcel_features)}; file {os.path.getsize(PARCELS_PATH)} bytes")
    print("planted errors:")
    for k, v in planted.items():
        print(f"  {v}: {k}")
    print(f"lot trimmed to hit the leased total: {adj['pid']}")
    print(f"expired leases still written as leased: {expired}")
    for word in VN_STATUS.values():
        print(f"parcels with status {word!r}: {sorted(p for p, w in vn.items() if w == word)}")
    assert abs(tot_area - TARGET_ZONE_AREA_HA) < 0.0005
    assert abs(tot_leased - TARGET_LEASED_HA) < 0.0005
    assert abs(ind - TARGET_INDUSTRIAL_HA) < 1e-6


if __name__ == "__main__":
    main()
