#!/usr/bin/env python3
"""Writes vni_windows.txt: every Vietnamese letter outside ASCII and its VNI-Windows bytes.

Worked out by hand from the VNI-Windows layout (VNI Software's VNI fonts: a base letter followed
by one mark byte; a few letters are single bytes), written independently of ZoneAtlas's Rust
tables. Python's standard library only: python3 make_vni_table.py > vni_windows.txt
"""
import unicodedata

# Mark bytes, (lower-case form, upper-case form), by mark.
TONE = {"grave": (0xF8, 0xD8), "acute": (0xF9, 0xD9), "hook": (0xFB, 0xDB),
        "tilde": (0xF5, 0xD5), "dot": (0xEF, 0xCF)}
CIRCUMFLEX = {None: (0xE2, 0xC2), "grave": (0xE0, 0xC0), "acute": (0xE1, 0xC1),
              "hook": (0xE5, 0xC5), "tilde": (0xE3, 0xC3), "dot": (0xE4, 0xC4)}
BREVE = {None: (0xEA, 0xCA), "grave": (0xE8, 0xC8), "acute": (0xE9, 0xC9),
         "hook": (0xFA, 0xDA), "tilde": (0xFC, 0xDC), "dot": (0xEB, 0xCB)}
# Letters that are one byte of their own: (lower, upper).
SINGLE = {("d", "stroke", None): (0xF1, 0xD1), ("o", "horn", None): (0xF4, 0xD4),
          ("u", "horn", None): (0xF6, 0xD6), ("i", None, "grave"): (0xEC, 0xCC),
          ("i", None, "acute"): (0xED, 0xCD), ("i", None, "hook"): (0xE6, 0xC6),
          ("i", None, "tilde"): (0xF3, 0xD3), ("i", None, "dot"): (0xF2, 0xD2),
          ("y", None, "dot"): (0xEE, 0xCE)}
COMBINING = {"grave": "\u0300", "acute": "\u0301", "hook": "\u0309", "tilde": "\u0303",
             "dot": "\u0323", "circumflex": "\u0302", "breve": "\u0306", "horn": "\u031b"}


def letter(base, quality, tone, upper):
    s = base + (COMBINING[quality] if quality else "") + (COMBINING[tone] if tone else "")
    s = unicodedata.normalize("NFC", s)
    return s.upper() if upper else s


def vni(base, quality, tone, upper):
    k = 1 if upper else 0
    b = base.upper() if upper else base
    if (base, quality, tone) in SINGLE:
        return [SINGLE[(base, quality, tone)][k]]
    if quality in ("horn",):
        return [SINGLE[(base, "horn", None)][k], TONE[tone][k]]
    if quality == "circumflex":
        return [ord(b), CIRCUMFLEX[tone][k]]
    if quality == "breve":
        return [ord(b), BREVE[tone][k]]
    return [ord(b), TONE[tone][k]]


rows = []
for base, qualities in [("a", [None, "breve", "circumflex"]), ("e", [None, "circumflex"]),
                        ("i", [None]), ("o", [None, "circumflex", "horn"]),
                        ("u", [None, "horn"]), ("y", [None])]:
    for quality in qualities:
        for tone in [None, "grave", "hook", "tilde", "acute", "dot"]:
            if quality is None and tone is None:
                continue
            for upper in (False, True):
                rows.append((letter(base, quality, tone, upper), vni(base, quality, tone, upper)))
for upper in (False, True):
    rows.append(("Đ" if upper else "đ", [SINGLE[("d", "stroke", None)][1 if upper else 0]]))

print("# Vietnamese letter, its code point, its VNI-Windows bytes (hex). See README.md.")
for ch, bs in rows:
    print(f"{ch} U+{ord(ch):04X} {' '.join(f'{b:02X}' for b in bs)}")
