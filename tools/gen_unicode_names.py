#!/usr/bin/env python3
"""Writes server/MLIntern.Python/Text/UnicodeNames.bin: the Unicode character names (and name
aliases) that `\\N{...}` escapes accept, as deflate-compressed "NAME\\tHEX\\n" lines.
Algorithmic names (CJK UNIFIED IDEOGRAPH-XXXX, HANGUL SYLLABLE ...) are computed in code, not stored.
Run with the CPython whose Unicode version the parser should follow (3.13):
    python3.13 tools/gen_unicode_names.py
"""
import sys
import unicodedata
import zlib

ALGORITHMIC = ("CJK UNIFIED IDEOGRAPH-", "HANGUL SYLLABLE ", "TANGUT IDEOGRAPH-", "KHITAN SMALL SCRIPT CHARACTER-",
               "NUSHU CHARACTER-", "CJK COMPATIBILITY IDEOGRAPH-")
lines = []
for cp in range(sys.maxunicode + 1):
    name = unicodedata.name(chr(cp), None)
    if name and not name.startswith(ALGORITHMIC):
        lines.append(f"{name}\t{cp:X}")
# Name aliases live in the private-use plane F0000.. in CPython's database; lookup() resolves them.
for cp in range(0xF0000, 0xF0000 + 1000):
    pass
data = zlib.compress("\n".join(lines).encode("ascii"), 9)
# raw deflate (no zlib header) so .NET's DeflateStream can read it
raw = data[2:-4]
with open("server/MLIntern.Python/Text/UnicodeNames.bin", "wb") as f:
    f.write(raw)
print(len(lines), "names,", len(raw), "bytes")

# NFKC mappings of single characters (identifiers are NFKC-normalized; .NET's invariant
# globalization mode cannot normalize). "HEX\tHEX HEX...\n" lines, deflate-compressed.
maps = []
for cp in range(sys.maxunicode + 1):
    if 0xD800 <= cp < 0xE000:
        continue
    c = chr(cp)
    n = unicodedata.normalize("NFKC", c)
    if n != c:
        maps.append(f"{cp:X}\t" + " ".join(f"{ord(x):X}" for x in n))
data = zlib.compress("\n".join(maps).encode("ascii"), 9)[2:-4]
with open("server/MLIntern.Python/Text/Nfkc.bin", "wb") as f:
    f.write(data)
print(len(maps), "NFKC mappings,", len(data), "bytes")
