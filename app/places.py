"""Places the proposals and events name: Ukraine's regions by ISO 3166-2 code, and a schematic tile map of them.

The codes and official names come from pycountry (ISO 3166-2); the short English names readers know
("Donetsk", "Crimea") and each region's tile are ours. The map is a schematic tile map (one equal
square per region, placed roughly where the region lies), not boundaries: no boundary data can be
fetched here, and a tile map claims no line it cannot back. The article gives no line of contact and
no demilitarised zone, so the map draws none.
"""

from dataclasses import dataclass
from functools import cache

import pycountry

COUNTRY = "UA"
# code -> (short English name, two-letter tile label, column, row); 8 columns, 6 rows, north at the top.
_TILES: dict[str, tuple[str, str, int, int]] = {
    "UA-07": ("Volyn", "Vo", 1, 0),
    "UA-56": ("Rivne", "Ri", 2, 0),
    "UA-18": ("Zhytomyr", "Zh", 3, 0),
    "UA-32": ("Kyiv region", "KR", 4, 0),
    "UA-74": ("Chernihiv", "Ch", 5, 0),
    "UA-59": ("Sumy", "Su", 6, 0),
    "UA-46": ("Lviv", "Lv", 0, 1),
    "UA-61": ("Ternopil", "Te", 1, 1),
    "UA-68": ("Khmelnytskyi", "Km", 2, 1),
    "UA-05": ("Vinnytsia", "Vi", 3, 1),
    "UA-30": ("Kyiv", "Ky", 4, 1),
    "UA-53": ("Poltava", "Po", 5, 1),
    "UA-63": ("Kharkiv", "Kh", 6, 1),
    "UA-09": ("Luhansk", "Lu", 7, 1),
    "UA-21": ("Zakarpattia", "Za", 0, 2),
    "UA-26": ("Ivano-Frankivsk", "IF", 1, 2),
    "UA-77": ("Chernivtsi", "Cv", 2, 2),
    "UA-71": ("Cherkasy", "Ck", 4, 2),
    "UA-12": ("Dnipropetrovsk", "Dp", 5, 2),
    "UA-14": ("Donetsk", "Do", 6, 2),
    "UA-51": ("Odesa", "Od", 3, 3),
    "UA-35": ("Kirovohrad", "Ki", 4, 3),
    "UA-23": ("Zaporizhzhia", "Zp", 5, 3),
    "UA-48": ("Mykolaiv", "My", 4, 4),
    "UA-65": ("Kherson", "Ks", 5, 4),
    "UA-40": ("Sevastopol", "Se", 4, 5),
    "UA-43": ("Crimea", "Cr", 5, 5),
}
TILE = 56  # the side of a tile, in SVG units
GAP = 4
COLUMNS = 1 + max(col for _, _, col, _ in _TILES.values())
ROWS = 1 + max(row for _, _, _, row in _TILES.values())
MAP_WIDTH = COLUMNS * TILE + (COLUMNS - 1) * GAP
MAP_HEIGHT = ROWS * TILE + (ROWS - 1) * GAP


@cache
def iso_names() -> dict[str, str]:
    """Ukraine's ISO 3166-2 codes and their official names, from pycountry."""
    return {s.code: s.name for s in pycountry.subdivisions.get(country_code=COUNTRY)}


def place_error(code: str) -> str | None:
    """Why `code` is not a place a seed may name, or None when it is one."""
    if code in iso_names() and code in _TILES:
        return None
    return (
        f"{code!r} is not the ISO 3166-2 code of a region of Ukraine; write it as UA- and two digits, "
        f"one of: " + ", ".join(f"{c} ({_TILES[c][0]})" for c in sorted(_TILES))
    )


def place_name(code: str) -> str:
    return _TILES[code][0]


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str
    x: int
    y: int
    named: bool


def map_tiles(codes: list[str]) -> list[Tile]:
    """Every region's tile, in code order, with the ones in `codes` marked as named."""
    named = set(codes)
    return [
        Tile(code, name, label, col * (TILE + GAP), row * (TILE + GAP), code in named)
        for code, (name, label, col, row) in sorted(_TILES.items())
    ]
