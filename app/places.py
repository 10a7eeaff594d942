"""Places the proposals and events name: Ukraine's regions by ISO 3166-2 code, and a schematic tile map of them.

The codes and official names come from pycountry (ISO 3166-2); the short English names readers know
("Donetsk", "Crimea") and each region's tile are ours. In Ukrainian and Russian a region is named by
pycountry's translation of its official name ("Донецька область", "Донецкая область"), from the
iso3166-2 gettext catalogs pycountry ships, with its two-letter tile label in Cyrillic. The map is a schematic tile map (one equal
square per region, placed roughly where the region lies), not boundaries: no boundary data can be
fetched here, and a tile map claims no line it cannot back. The article gives no line of contact and
no demilitarised zone, so the map draws none.
"""

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry

from app import i18n

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
# The tile labels in Cyrillic, for the map on /uk/ and /ru/ pages.
_LABELS = {
    "uk": {
        "UA-07": "Во", "UA-56": "Рі", "UA-18": "Жи", "UA-32": "КО", "UA-74": "Чг", "UA-59": "Су", "UA-46": "Лв",
        "UA-61": "Те", "UA-68": "Хм", "UA-05": "Ві", "UA-30": "Кв", "UA-53": "По", "UA-63": "Хр", "UA-09": "Лу",
        "UA-21": "За", "UA-26": "ІФ", "UA-77": "Чв", "UA-71": "Чк", "UA-12": "Дп", "UA-14": "До", "UA-51": "Од",
        "UA-35": "Кі", "UA-23": "Зп", "UA-48": "Ми", "UA-65": "Хс", "UA-40": "Се", "UA-43": "Кр",
    },
    "ru": {
        "UA-07": "Во", "UA-56": "Ро", "UA-18": "Жи", "UA-32": "КО", "UA-74": "Чг", "UA-59": "Су", "UA-46": "Лв",
        "UA-61": "Те", "UA-68": "Хм", "UA-05": "Ви", "UA-30": "Кв", "UA-53": "По", "UA-63": "Хр", "UA-09": "Лу",
        "UA-21": "За", "UA-26": "ИФ", "UA-77": "Чв", "UA-71": "Чк", "UA-12": "Дп", "UA-14": "До", "UA-51": "Од",
        "UA-35": "Ки", "UA-23": "Зп", "UA-48": "Ни", "UA-65": "Хс", "UA-40": "Се", "UA-43": "Кр",
    },
}
# Where pycountry's catalog has no translation of a name (it keeps the English): ours.
_MISSING = {"ru": {"UA-48": "Николаевская область"}}
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


@cache
def _names_in(locale: str) -> dict[str, str]:
    """code -> the region's name in a language: pycountry's translation of the official name."""
    catalog = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale], fallback=True)
    names = {}
    for code, official in iso_names().items():
        translated = catalog.gettext(official)
        names[code] = _MISSING.get(locale, {}).get(code) or translated
    return names


def place_name(code: str) -> str:
    """The name a reader knows: 'Donetsk' on English pages, 'Донецька область' on Ukrainian ones."""
    locale = i18n.current_locale()
    if locale == i18n.DEFAULT_LOCALE:
        return _TILES[code][0]
    return _names_in(locale)[code]


def _tile_label(code: str) -> str:
    return _LABELS.get(i18n.current_locale(), {}).get(code) or _TILES[code][1]


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
        Tile(code, place_name(code), _tile_label(code), col * (TILE + GAP), row * (TILE + GAP), code in named)
        for code, (_name, _label, col, row) in sorted(_TILES.items())
    ]
