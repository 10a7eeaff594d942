"""Share cards: a 1200×630 PNG per proposal, drawn with Pillow, in the request's language
(/uk/proposals/{slug}/card.png is the Ukrainian card: app.i18n's current locale).

`layout_card` decides what text goes where (and is what the tests inspect); `render_card` draws
that layout. Both are pure: no HTTP, no database, no disk writes. The fonts ship with the package
(app/fonts, DejaVu Sans, which has the Cyrillic letters too) so no system font package is needed.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.i18n import N_, gettext as _, localized_path, ngettext
from app.models import Position
from app.schemas import POSITIONS, ProposalDetail
from app.vocabulary import POSITION_ICONS, POSITION_LABELS, PROPOSER_UNKNOWN

WIDTH, HEIGHT = 1200, 630
MARGIN_X = 64
CONTENT_RIGHT = WIDTH - MARGIN_X

FONTS_DIR = Path(__file__).parent / "fonts"
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}

BACKGROUND = (251, 250, 247)
INK = (17, 24, 39)  # near-black: 16:1 on the background
MUTED = (55, 65, 81)  # dark grey: 10:1
FAINT = (75, 85, 99)  # for "none reported": 7:1
RULE = (209, 213, 219)
TOP_BAND = (17, 24, 39)
TOP_BAND_HEIGHT = 10

# The position is always said in words and with a glyph; the colour only repeats it.
GROUP_COLOURS = {
    Position.supports: (21, 101, 52),  # green, 7:1 on the background
    Position.conditional: (146, 64, 14),  # amber-brown, 7:1
    Position.rejects: (153, 27, 27),  # red, 8:1
}

FOOTER_TEXT = N_("Truce Explorer · state of play as reported in late 2024")
TITLE_SIZES = (54, 48, 42)  # largest that fits in TITLE_MAX_LINES wins; the smallest is truncated
TITLE_MAX_LINES = 3
PROPOSERS_MAX_LINES = 2
BODY_SIZE = 26
BODY_LINE = 36
FOOTER_SIZES = (20, 18)
BAR_WIDTH = 6
LABEL_X = MARGIN_X + BAR_WIDTH + 18
GROUP_GAP = 16
FOOTER_RULE_Y = HEIGHT - 78
FOOTER_Y = FOOTER_RULE_Y + 22
ELLIPSIS = "…"


@cache
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS_DIR / FONT_FILES[weight]), size)


@dataclass(frozen=True)
class TextLine:
    """One line of text as laid out: what it says, where it starts, and the box its ink fills."""

    text: str
    role: str  # title | proposers | label | names | footer | url
    x: int
    y: int
    weight: str
    size: int
    fill: tuple[int, int, int]
    box: tuple[int, int, int, int]  # left, top, right, bottom of the inked text, in card pixels
    position: Position | None = None


Colour = tuple[int, int, int]


def _line(
    text: str, role: str, x: int, y: int, weight: str, size: int, fill: Colour, position: Position | None = None
) -> TextLine:
    left, top, right, bottom = font(weight, size).getbbox(text)
    return TextLine(text, role, x, y, weight, size, fill, (x + left, y + top, x + right, y + bottom), position)


def _width(text: str, f: ImageFont.FreeTypeFont) -> float:
    return f.getlength(text)


def ellipsize(text: str, f: ImageFont.FreeTypeFont, width: float) -> str:
    """The text if it fits, else as much of it as fits followed by an ellipsis (cut at a word if possible)."""
    if _width(text, f) <= width:
        return text
    cut = text
    while cut and _width(cut.rstrip(" ,;:–—") + ELLIPSIS, f) > width:
        space = cut.rfind(" ")
        # Drop whole words while that still leaves something; otherwise drop characters.
        cut = cut[:space] if space > 0 else cut[:-1]
    return cut.rstrip(" ,;:–—") + ELLIPSIS


def wrap_words(text: str, f: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most max_lines lines; the last line ends in an ellipsis if text is left over."""
    words = text.split()
    lines: list[str] = []
    current = ""
    start = 0  # index of the first word on the current line
    for i, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if _width(candidate, f) <= width:
            current = candidate
            continue
        if not current:
            # A single word wider than the line is cut rather than overflowing.
            current = ellipsize(word, f, width)
            continue
        if len(lines) == max_lines - 1:
            # The last line allowed: everything from its first word on, cut to fit.
            return [*lines, ellipsize(" ".join(words[start:]), f, width)]
        lines.append(current)
        current, start = word, i
        if _width(current, f) > width:
            current = ellipsize(current, f, width)
    if current:
        lines.append(current)
    return lines


def _pack(items: list[str], f: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Comma-separated items, greedily packed into lines; an item never breaks across lines."""
    lines: list[str] = []
    current = ""
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        candidate = f"{current} {piece}" if current else piece
        if _width(candidate, f) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = piece if _width(piece, f) <= width else ellipsize(piece, f, width)
    if current:
        lines.append(current)
    return lines


def wrap_names(
    names: list[str], f: ImageFont.FreeTypeFont, width: float, max_lines: int, prefix: str = ""
) -> list[str]:
    """Names separated by commas in at most max_lines lines; if they do not all fit, the last ones
    become "+N more". `prefix` (e.g. "Proposed by") is glued to the first name."""
    if not names:
        return []

    def items(kept: list[str], more: int) -> list[str]:
        out = list(kept) + ([ngettext("+%(num)s more", "+%(num)s more", more)] if more else [])
        if prefix and out:
            out[0] = f"{prefix} {out[0]}"
        return out

    lines = _pack(items(names, 0), f, width)
    if len(lines) <= max_lines:
        return lines
    for keep in range(len(names) - 1, 0, -1):
        lines = _pack(items(names[:keep], len(names) - keep), f, width)
        if len(lines) <= max_lines:
            return lines
    # Not even one name fits beside "+N more": shorten that name (with "…") rather than drop the count.
    words = names[0].split()
    for cut in range(len(words) - 1, 0, -1):
        lines = _pack(items([" ".join(words[:cut]) + "…"], len(names) - 1), f, width)
        if len(lines) <= max_lines:
            return lines
    return _pack(items(names[:1], len(names) - 1), f, width)[:max_lines]


def group_label(position: Position) -> str:
    return f"{POSITION_ICONS[position]} {_(POSITION_LABELS[position])}:"


def _title_lines(title: str, width: float) -> tuple[int, list[str]]:
    for size in TITLE_SIZES:
        f = font("bold", size)
        lines = wrap_words(title, f, width, TITLE_MAX_LINES + 1)
        if len(lines) <= TITLE_MAX_LINES:
            return size, lines
    size = TITLE_SIZES[-1]
    return size, wrap_words(title, font("bold", size), width, TITLE_MAX_LINES)


def _allot_lines(needed: list[int], budget: int) -> list[int]:
    """Share `budget` lines among the groups: one each, then one more at a time, in order, to those that need it."""
    alloc = [1] * len(needed)
    budget -= len(needed)
    while budget > 0 and any(a < n for a, n in zip(alloc, needed)):
        for i, n in enumerate(needed):
            if budget > 0 and alloc[i] < n:
                alloc[i] += 1
                budget -= 1
    return alloc


def layout_card(detail: ProposalDetail) -> list[TextLine]:
    """Every line of text on the card, top to bottom, with the box it occupies."""
    lines: list[TextLine] = []
    content_width = CONTENT_RIGHT - MARGIN_X

    # Title, up to three lines.
    title_size, title_lines = _title_lines(detail.title, content_width)
    title_line_height = round(title_size * 1.22)
    y = TOP_BAND_HEIGHT + 40
    for text in title_lines:
        lines.append(_line(text, "title", MARGIN_X, y, "bold", title_size, INK))
        y += title_line_height

    # Who proposed it.
    y += 12
    body = font("regular", BODY_SIZE)
    proposer_names = [a.name for a in detail.proposers]
    proposer_lines = wrap_names(proposer_names, body, content_width, PROPOSERS_MAX_LINES, prefix=_("Proposed by"))
    for text in proposer_lines or [_(PROPOSER_UNKNOWN) if detail.proposer_unknown else _("Proposer not recorded")]:
        lines.append(_line(text, "proposers", MARGIN_X, y, "regular", BODY_SIZE, MUTED))
        y += BODY_LINE

    # Supports / conditional / rejects: a label column and a names column.
    y += 22
    label_font = font("bold", BODY_SIZE)
    label_width = max(_width(group_label(p), label_font) for p in POSITIONS)
    names_x = LABEL_X + round(label_width) + 20
    names_width = CONTENT_RIGHT - names_x
    # An inferred or reported stance says so in words, as on every page.
    groups = {p: [a.label for a in getattr(detail.stance, p.value)] for p in POSITIONS}
    needed = [max(1, len(_pack(groups[p], body, names_width))) for p in POSITIONS]
    groups_bottom = FOOTER_RULE_Y - 24
    budget = (groups_bottom - y - GROUP_GAP * (len(POSITIONS) - 1)) // BODY_LINE
    allotted = _allot_lines(needed, budget)
    wrapped = [wrap_names(groups[p], body, names_width, n) for p, n in zip(POSITIONS, allotted)]
    # Spare height loosens the block: a little more room above it and between the groups.
    used = sum(max(1, len(names)) for names in wrapped) * BODY_LINE + GROUP_GAP * (len(POSITIONS) - 1)
    extra = max(0, min(24, (groups_bottom - y - used) // len(POSITIONS)))
    y += extra
    for position, names in zip(POSITIONS, wrapped):
        colour = GROUP_COLOURS[position]
        lines.append(_line(group_label(position), "label", LABEL_X, y, "bold", BODY_SIZE, colour, position))
        if not names:
            lines.append(_line(_("none reported"), "names", names_x, y, "regular", BODY_SIZE, FAINT, position))
        for i, text in enumerate(names):
            lines.append(_line(text, "names", names_x, y + i * BODY_LINE, "regular", BODY_SIZE, INK, position))
        y += max(1, len(names)) * BODY_LINE + GROUP_GAP + extra

    # Footer: what this is and as of when, and the page's address. Both go on one line, in a
    # smaller size if need be; a very long address drops to a second line.
    footer_text, url = _(FOOTER_TEXT), localized_path(detail.url)
    for size in FOOTER_SIZES:
        footer_font, url_font = font("regular", size), font("bold", size)
        url_text = ellipsize(url, url_font, content_width)
        url_width = round(_width(url_text, url_font))
        if _width(footer_text, footer_font) + 32 + url_width <= content_width:
            lines.append(_line(footer_text, "footer", MARGIN_X, FOOTER_Y, "regular", size, MUTED))
            lines.append(_line(url_text, "url", CONTENT_RIGHT - url_width, FOOTER_Y, "bold", size, INK))
            return lines
    top = FOOTER_RULE_Y + 12
    lines.append(_line(footer_text, "footer", MARGIN_X, top, "regular", size, MUTED))
    lines.append(_line(url_text, "url", MARGIN_X, top + 26, "bold", size, INK))
    return lines


def group_bars(lines: list[TextLine]) -> dict[Position, tuple[int, int, int, int]]:
    """The accent bar beside each group, spanning its lines."""
    bars = {}
    for position in POSITIONS:
        group = [line for line in lines if line.position is position]
        top = min(line.y for line in group) + 2
        bottom = max(line.y for line in group) + BODY_LINE - 8
        bars[position] = (MARGIN_X, top, MARGIN_X + BAR_WIDTH, bottom)
    return bars


def render_card(detail: ProposalDetail) -> bytes:
    """The card as PNG bytes."""
    lines = layout_card(detail)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, TOP_BAND_HEIGHT - 1), fill=TOP_BAND)
    for position, bar in group_bars(lines).items():
        draw.rectangle(bar, fill=GROUP_COLOURS[position])
    draw.line((MARGIN_X, FOOTER_RULE_Y, CONTENT_RIGHT, FOOTER_RULE_Y), fill=RULE, width=2)
    for line in lines:
        draw.text((line.x, line.y), line.text, font=font(line.weight, line.size), fill=line.fill)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
