"""The timeline's time axis as plain data (marks with positions, names and links), drawn as SVG by a macro.

A day is a dot, an approximate single day a ring, an approximate span a bar across its days, a
month a band and a year a wider one, so the precision shows. Stretches of more than a month with
nothing dated are cut out of the axis and marked as a break, or a 2014 event would squeeze 2024
into a sliver. Every mark is a link at least `hit` units square, and marks whose hit areas would
touch go in lanes; when more than MAX_LANES lanes would be needed, marks are merged (same date,
then per week, month, year) into one mark with a count, so the axis stays small at any data size.

Sizes are SVG units. The page carries two drawings of one axis, a narrow and a wide Layout, and
CSS shows the one that fits the window; each is drawn at 100% of its column, never wider than its
width in px, so its marks stay at least 24 CSS px.
"""

import datetime as dt
from dataclasses import dataclass, field

from app.i18n import gettext, ngettext
from app.models import Precision
from app.vocabulary import day_and_month, day_label, month_label, short_month

PAD = 6
BREAK = 18
GAP_DAYS = 31
MAX_LANES = 10


@dataclass(frozen=True)
class Layout:
    """One drawing of the axis: `width` SVG units drawn over a column of at least `min_column` CSS px,
    where a `hit`-unit link area is still 24 CSS px or more (WCAG 2.2 target size)."""

    name: str
    width: int
    hit: int
    min_column: int
    font: int  # tick labels and counts, in SVG units

    @property
    def lane(self) -> int:
        return self.hit + 4

    @property
    def label_char(self) -> float:
        return self.font * 0.56

    @property
    def axis_space(self) -> int:  # the axis line and two rows of labels, below the lanes
        return 12 + 3 * self.font


# Phones and narrow windows: 48 units × 358 / 680 = 25 px in a 390 px viewport's column.
NARROW = Layout("narrow", width=680, hit=48, min_column=358, font=20)
# Wide windows (64rem and up, the undated strip beside it): 32 units × 712 / 860 = 26 px at 1024 px.
WIDE = Layout("wide", width=860, hit=32, min_column=712, font=14)
LEVELS = ("item", "date", "week", "month", "year")


@dataclass(frozen=True)
class Dated:
    """One dated item (or, in a big timeline, one group of items with the same date)."""

    start: dt.date
    end: dt.date
    precision: Precision
    href: str
    count: int = 1
    title: str = ""


@dataclass
class Mark:
    shape: str  # day | about | span | month | year | group
    start: dt.date
    end: dt.date
    count: int
    href: str
    name: str
    titles: list[str] = field(default_factory=list)
    x: float = 0
    width: float = 0
    lane: int = 0
    hit: int = NARROW.hit

    @property
    def hit_x(self) -> float:
        return min(self.x, self.x + self.width / 2 - self.hit / 2)

    @property
    def hit_width(self) -> float:
        return max(self.width, self.hit)

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def y(self) -> float:
        return self.lane * (self.hit + 4) + 2

    @property
    def mid_y(self) -> float:
        return self.y + self.hit / 2


@dataclass
class Segment:
    start: dt.date
    end: dt.date
    x: float = 0
    width: float = 0


@dataclass
class Label:
    x: float  # the middle of the text
    tick: float  # the date it names
    text: str
    row: int


@dataclass
class TimeAxis:
    marks: list[Mark]
    segments: list[Segment]
    breaks: list[tuple[float, str]]  # (x, what is left out, in words)
    labels: list[Label]
    level: str
    lanes: int
    layout: Layout

    @property
    def width(self) -> int:
        return self.layout.width

    @property
    def height(self) -> int:
        return self.lanes * self.layout.lane + self.layout.axis_space

    @property
    def axis_y(self) -> int:
        return self.lanes * self.layout.lane + 6

    @property
    def first_words(self) -> str:
        """The earliest date on the axis, at its precision ('2014', '6 November 2024')."""
        first = min(self.marks, key=lambda m: (m.start, m.end))
        return _date_words(first.shape, first.start, first.end, bare=True)

    @property
    def last_words(self) -> str:
        last = max(self.marks, key=lambda m: (m.end, m.start))
        return _date_words(last.shape, last.end if last.shape in ("day", "about", "span") else last.start, last.end, bare=True)

    @property
    def count(self) -> int:
        return sum(m.count for m in self.marks)


def day_words(day: dt.date) -> str:
    return day_label(day)


def span_words(start: dt.date, end: dt.date) -> str:
    """'between 16 and 26 December 2024', 'between 21 November and 31 December 2024'."""
    if start.year != end.year:
        first = day_words(start)
    elif start.month != end.month:
        first = day_and_month(start)
    else:
        first = str(start.day)
    return gettext("between %(start)s and %(end)s", start=first, end=day_words(end))


def _shape(item: Dated) -> str:
    if item.precision is Precision.approximate:
        return "span" if item.end > item.start else "about"
    return {Precision.day: "day", Precision.month: "month", Precision.year: "year"}[item.precision]


def _date_words(shape: str, start: dt.date, end: dt.date, bare: bool = False) -> str:
    if bare and shape in ("about", "span", "group"):  # an end of the axis: its first or last possible day
        return day_words(start)
    return {
        "day": lambda: day_words(start),
        "about": lambda: gettext("around %(day)s", day=day_words(start)),
        "span": lambda: span_words(start, end),
        "month": lambda: month_label(start),
        "year": lambda: str(start.year),
    }[shape]()


def _items(count: int, shape: str, words: str) -> str:
    """'3 items on 26 December 2024', '3 items in December 2024', '3 items between 16 and 26 December 2024'."""
    if shape == "day":
        return ngettext("%(num)s item on %(date)s", "%(num)s items on %(date)s", count, date=words)
    if shape in ("month", "year"):
        return ngettext("%(num)s item in %(date)s", "%(num)s items in %(date)s", count, date=words)
    # The words of a group, a span or an approximate day carry their own preposition.
    return ngettext("%(num)s item %(date)s", "%(num)s items %(date)s", count, date=words)


def _bucket(mark: Mark, level: str) -> tuple[str, dt.date, dt.date]:
    """The (shape, start, end) a mark is merged into at `level`; coarser dates keep their own."""
    s = mark.start
    if level == "date" or (level in ("week", "month") and mark.shape == "year") or (level == "week" and mark.shape == "month"):
        return mark.shape, mark.start, mark.end
    if level == "week":
        monday = s - dt.timedelta(days=s.weekday())
        return "group", monday, monday + dt.timedelta(days=6)
    if level == "month":
        first = s.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return "group", first, last
    return "group", s.replace(month=1, day=1), s.replace(month=12, day=31)


def _bucket_words(shape: str, start: dt.date, end: dt.date, level: str) -> str:
    if shape != "group":
        return _date_words(shape, start, end)
    if level == "week":
        return gettext("in the week of %(day)s", day=day_words(start))
    if level == "month":
        return gettext("in %(month)s", month=month_label(start))
    return gettext("in %(year)s", year=str(start.year))


def _merge(marks: list[Mark], level: str) -> list[Mark]:
    """The marks merged at `level`, unnamed (see _name): a crowded axis merges thousands at a level
    it then drops."""
    merged: dict[tuple[str, dt.date, dt.date], Mark] = {}
    for mark in marks:  # in timeline order, so a merged mark links to its first item
        key = _bucket(mark, level)
        if key in merged:
            merged[key].count += mark.count
            merged[key].titles += mark.titles
        else:
            merged[key] = Mark(*key, mark.count, mark.href, "", list(mark.titles))
    return sorted(merged.values(), key=lambda m: (m.start, m.end))


def _name(marks: list[Mark], level: str) -> None:
    for mark in marks:
        words = _bucket_words(mark.shape, mark.start, mark.end, level)
        if mark.count == 1 and mark.titles:
            mark.name = f"{mark.titles[0]} ({words})"
            continue
        mark.name = _items(mark.count, mark.shape, words)
        if mark.titles and len(mark.titles) <= 3:  # a few titles fit in a name; more would drown it
            mark.name += ": " + "; ".join(mark.titles)


def _segments(marks: list[Mark]) -> list[Segment]:
    segments: list[Segment] = []
    for mark in sorted(marks, key=lambda m: m.start):
        if segments and (mark.start - segments[-1].end).days <= GAP_DAYS:
            segments[-1].end = max(segments[-1].end, mark.end)
        else:
            segments.append(Segment(mark.start, mark.end))
    return segments


def _place(marks: list[Mark], segments: list[Segment], layout: Layout) -> None:
    """Give each segment a width (a minimum, the rest by how many marks it holds) and each mark its x."""
    least = layout.hit + 4
    room = layout.width - 2 * PAD - BREAK * (len(segments) - 1) - least * len(segments)
    crowd = [max(0, sum(1 for m in marks if s.start <= m.start <= s.end) - 1) for s in segments]
    x = float(PAD)
    for segment, extra in zip(segments, crowd):
        segment.x = x
        segment.width = least + (room * extra / sum(crowd) if sum(crowd) else room / len(segments))
        x += segment.width + BREAK
    for mark in marks:
        mark.hit = layout.hit
        segment = next(s for s in segments if s.start <= mark.start <= s.end)
        days = (segment.end - segment.start).days + 1
        per_day = segment.width / days
        mark.x = segment.x + (mark.start - segment.start).days * per_day
        mark.width = ((mark.end - mark.start).days + 1) * per_day
        if mark.shape in ("day", "about"):  # a dot sits on its day, whatever the day's width
            mark.x, mark.width = mark.x + per_day / 2, 0


def _most_per_lane(marks: list[Mark], layout: Layout) -> int:
    """The most placed marks one lane could hold: in a lane, hit areas start at least `hit` + 2 apart."""
    starts = [m.hit_x for m in marks]
    return int((max(starts) - min(starts)) // (layout.hit + 2)) + 1


def _lanes(marks: list[Mark], most: int | None = None) -> int:
    """First-fit lanes: a mark goes in the first lane where its hit area clears the last one's.

    With `most`, stops once more lanes than that are needed (the caller then merges the marks):
    a crowded axis would otherwise try thousands of marks against hundreds of lanes."""
    ends: list[float] = []
    for mark in sorted(marks, key=lambda m: (m.hit_x, -m.hit_width)):
        hit_x = mark.hit_x
        for lane, end in enumerate(ends):
            if hit_x >= end + 2:
                mark.lane, ends[lane] = lane, hit_x + mark.hit_width
                break
        else:
            mark.lane = len(ends)
            ends.append(hit_x + mark.hit_width)
            if most is not None and len(ends) > most:
                return len(ends)
    return len(ends)


def _ticks(segment: Segment, layout: Layout) -> list[tuple[float, str]]:
    """(x, text) of the dates worth a label on a segment: its year, its month, or month or year starts."""
    s, e = segment.start, segment.end
    per_day = segment.width / ((e - s).days + 1)
    x_of = lambda day: segment.x + (day - s).days * per_day  # noqa: E731
    if s.year == e.year and s.month == 1 and s.day == 1 and (e.month, e.day) == (12, 31):
        return [(segment.x + segment.width / 2, str(s.year))]
    if (s.year, s.month) == (e.year, e.month):
        return [(segment.x + segment.width / 2, short_month(s, with_year=True))]
    months = []
    day = s.replace(day=1)
    while day <= e:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    if per_day * 30 >= 2 * layout.label_char * 4:  # months are wide enough to name
        return [(x_of(max(m, s)), short_month(m, with_year=i == 0 or m.month == 1)) for i, m in enumerate(months)]
    years = [m for m in months if m.month == 1 or m == months[0]]
    return [(x_of(max(y, s)), str(y.year)) for y in years]


def _place_labels(segments: list[Segment], layout: Layout) -> list[Label]:
    """Tick labels in up to two rows, so neighbours never overlap; a label with no room is left out."""
    labels: list[Label] = []
    row_end = [-1e9, -1e9]
    for segment in segments:
        for x, text in _ticks(segment, layout):
            width = len(text) * layout.label_char
            left = min(max(x - width / 2, 0), layout.width - width)
            for row in (0, 1):
                if left >= row_end[row] + layout.label_char:
                    labels.append(Label(left + width / 2, x, text, row))
                    row_end[row] = left + width
                    break
    return labels


def build_axis(items: list[Dated], as_groups: bool = False, layout: Layout = NARROW) -> TimeAxis | None:
    """The axis over `items` (in timeline order); None when nothing is dated.

    `as_groups`: each item stands for `count` items of one date (a big timeline, read as counts),
    so it is named by its count rather than its title."""
    if not items:
        return None
    base = []
    for item in items:
        shape = _shape(item)
        titled = bool(item.title) and not as_groups
        # Groups are always merged (at least by date), and named then.
        name = "" if as_groups else _date_words(shape, item.start, item.end)
        name = f"{item.title} ({name})" if titled else name
        base.append(Mark(shape, item.start, item.end, item.count, item.href, name, [item.title] if titled else []))
    levels = LEVELS[1:] if as_groups else LEVELS
    for level in levels:
        marks = base if level == "item" else _merge(base, level)
        segments = _segments(marks)
        _place(marks, segments, layout)
        last = level == levels[-1]
        if not last and len(marks) > MAX_LANES * _most_per_lane(marks, layout):
            continue  # more marks than the lanes could hold: no need to try them
        lanes = _lanes(marks, None if last else MAX_LANES)
        if lanes <= MAX_LANES or last:
            break
    if level != "item":
        _name(marks, level)
    breaks = []
    for before, after in zip(segments, segments[1:]):
        gap_start, gap_end = before.end + dt.timedelta(days=1), after.start - dt.timedelta(days=1)
        breaks.append((before.x + before.width + BREAK / 2, gettext("nothing dated %(span)s", span=span_words(gap_start, gap_end))))
    return TimeAxis(marks=marks, segments=segments, breaks=breaks, labels=_place_labels(segments, layout), level=level, lanes=lanes, layout=layout)

