"""The shape of the learning (`/insights/`): figures counted from the site model and drawn at
build time as inline SVG, each chart with the same figures as a table. No chart library and no
request to anyone: the page is plain HTML that prints as it shows.

Counts are of the reviews the site lists (live ones and the catalogue records of retired ones),
the same records `data/reviews.json` holds, so anyone can check a figure against the data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from dataclasses import dataclass
from html import escape

from . import vocab
from .ledger import LIVE
from .pages import counted
from .sitemodel import SiteModel

EXPECTED_MONTHS = 6  # statutory guidance: publish within six months of the decision to initiate
ENDING_DAYS = 90  # a partnership's notice: minimum windows ending this soon
MONTH_DAYS = 365.25 / 12
TIMELINESS_BUCKETS = ((6, "Up to 6 months"), (12, "6 to 12 months"), (18, "12 to 18 months"),
                      (24, "18 to 24 months"), (None, "Over 24 months"))
SERIES_COLOURS = ("#3f51b5", "#00796b")  # indigo, teal: each over 5:1 against white
# Colour alone must not tell the series apart (WCAG 1.4.1): the second is striped, darker on teal.
STRIPES = ('<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
           '<rect width="6" height="6" fill="#00796b"/><rect width="3" height="6" fill="#003d33"/></pattern>')
TILE_COLOURS = ("#e8eaf6", "#c5cae9", "#7986cb", "#3949ab", "#1a237e")  # light to dark, by count
TILES = {"north-east": (1, 0), "north-west": (0, 1), "yorkshire-and-the-humber": (1, 1), "west-midlands": (0, 2),
         "east-midlands": (1, 2), "east-of-england": (2, 2), "south-west": (0, 3), "london": (1, 3),
         "south-east": (2, 3)}  # (column, row): England's nine regions, roughly where they lie


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series of its chart
    href: str = ""  # the page that lists these reviews, relative to the site root

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    caption: str
    series: tuple[str, ...]
    groups: tuple[tuple[str, tuple[Bar, ...]], ...]  # (heading, or "" for none; its bars)
    svg: str = ""


def insights(model: SiteModel, base: str = "") -> dict:
    """Everything the insights page shows: the charts, drawn, and the windows ending soon.
    `base`: the path from the page back to the site root, for the tile map's links."""
    reviews = list(model.listings.values())
    charts = [by_year(reviews), by_theme(model, reviews), by_harm(reviews), timeliness(model)]
    return dict(charts=[_drawn(chart) for chart in charts], regions=by_region(reviews, base),
                ending=windows_ending(model), total=len(reviews))


def by_year(reviews) -> Chart:
    found = sorted(int(item.year) for item in reviews)
    years = [str(year) for year in range(found[0], found[-1] + 1)] if found else []  # a year without any shows
    counts = {year: tuple(sum(1 for i in reviews if i.year == year and i.type == kind) for kind in vocab.REVIEW_TYPES)
              for year in years}
    bars = tuple(Bar(year, counts[year], f"years/{year}/" if sum(counts[year]) else "") for year in years)
    return Chart("by-year", "Reviews by year and type", f"{counted(len(reviews), 'review')} by year of publication: "
                 "local reviews by safeguarding partnerships and national reviews by the Panel.",
                 tuple(f"{label}s" for label in vocab.REVIEW_TYPES.values()), (("", bars),))


def by_theme(model: SiteModel, reviews) -> Chart:
    groups = []
    for group, name in vocab.THEME_GROUPS.items():
        themes = [t for t in model.corpus.themes.values() if t.group == group]
        bars = [Bar(t.title, (sum(1 for i in reviews if t.id in i.themes),), f"themes/{t.id}/") for t in themes]
        groups.append((f"{name}s", tuple(sorted(bars, key=lambda b: (-b.total, b.label)))))
    return Chart("by-theme", "Reviews by theme", "How many reviews carry each theme; a review may carry several. "
                 "The Panel's six key practice themes come first.", ("Reviews",), tuple(groups))


def by_harm(reviews) -> Chart:
    groups = []
    for group, name in vocab.HARM_GROUPS.items():
        bars = tuple(Bar(label, (sum(1 for i in reviews if harm in i.harm),), f"harm/{harm}/")
                     for harm, (label, in_group) in vocab.HARM.items() if in_group == group)
        groups.append((name, bars))
    return Chart("by-harm", "Reviews by harm category", "Grouped as the Panel's Annual Report groups incidents: "
                 "deaths and serious harm. A review may name several categories; older reviews may name none.",
                 ("Reviews",), tuple(groups))


def timeliness(model: SiteModel) -> Chart:
    dates = decided_and_published(model)
    months = [round((published - initiated).days / MONTH_DAYS, 1) for initiated, published in dates]
    buckets = [_bucket(initiated, published) for initiated, published in dates]
    bars = [Bar(label, (buckets.count(n),)) for n, (_, label) in enumerate(TIMELINESS_BUCKETS)]
    if months:
        within = sum(1 for initiated, published in dates if published <= add_months(initiated, EXPECTED_MONTHS))
        caption = (f"Months from the decision to initiate a review to its publication, for the {counted(len(months), 'review')} "
                   f"that record both days. Statutory guidance expects publication within {EXPECTED_MONTHS} months: "
                   f"{within} of {len(months)} were. The median is {statistics.median(months):.1f} months.")
    else:
        caption = "No review here records both the day it was initiated and the day it was published."
    return Chart("timeliness", "Time from decision to publication", caption, ("Reviews",), (("", tuple(bars)),))


def decided_and_published(model: SiteModel) -> list[tuple[dt.date, dt.date]]:
    """(initiated, published) for each live review that gives both to the day."""
    return [(item.record.initiated, item.published.first_day) for item in model.listings.values()
            if item.status == LIVE and item.record is not None and item.record.initiated
            and not item.published.approximate]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day if it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _bucket(initiated: dt.date, published: dt.date) -> int:
    """Which of TIMELINESS_BUCKETS a review falls in, by calendar months ("within six months")."""
    for n, (limit, _) in enumerate(TIMELINESS_BUCKETS):
        if limit is None or published <= add_months(initiated, limit):
            return n
    raise AssertionError("the last bucket has no limit")


def by_region(reviews, base: str = "") -> dict:
    """Local reviews per region (national reviews apply everywhere: counted once, apart)."""
    counts = {region: sum(1 for i in reviews if i.type == "local" and region in i.regions) for region in vocab.REGIONS}
    national = sum(1 for i in reviews if i.type == "national")
    caption = (f"Local reviews by the region of the partnership that published them. The {counted(national, 'national review')} "
               "apply in every region and are not counted here.")
    return dict(id="by-region", title="Local reviews by region", caption=caption, counts=counts,
                svg=_tile_map(counts, base))


def windows_ending(model: SiteModel, days: int = ENDING_DAYS) -> list[tuple]:
    """(listing, days left) for live reviews whose minimum window ends within `days`, soonest first."""
    end = model.today + dt.timedelta(days=days)
    found = [(i, (i.available_until - model.today).days) for i in model.listings.values()
             if i.status == LIVE and model.today <= i.available_until <= end]
    return sorted(found, key=lambda pair: (pair[0].available_until, pair[0].id))


ROW, BAR, HEADING, WIDTH, LABEL_GAP = 40, 16, 30, 400, 4
BAR_ROOM = 330  # the longest bar; its number follows it


def _drawn(chart: Chart) -> Chart:
    """The chart as SVG: each bar under its label (long theme names need the whole width, and a
    phone's too), stacked by series, its figure after it."""
    most = max((bar.total for _, bars in chart.groups for bar in bars), default=0)
    if not most:  # nothing to draw: the caption says so
        return chart
    parts, y = [], 0
    striped = f"{chart.id}-stripes"
    fills = (SERIES_COLOURS[0], f"url(#{striped})")
    if len(chart.series) > 1:
        parts.append("<defs>" + STRIPES.format(id=striped) + "</defs>")
        x = 0
        for colour, name in zip(fills, chart.series):
            parts.append(f'<rect x="{x}" y="{y + 4}" width="14" height="14" fill="{colour}"/>'
                         f'<text x="{x + 20}" y="{y + 16}">{escape(name)}</text>')
            x += 40 + 8 * len(name)
        y += HEADING
    for heading, bars in chart.groups:
        if heading:
            parts.append(f'<text x="0" y="{y + 20}" font-weight="bold">{escape(heading)}</text>')
            y += HEADING
        for bar in bars:
            parts.append(f'<text x="0" y="{y + 14}">{escape(bar.label)}</text>')
            x = 0.0
            for colour, value in zip(fills, bar.values):
                width = BAR_ROOM * value / most
                if width:  # a white edge parts two series' segments
                    parts.append(f'<rect x="{x:.1f}" y="{y + 18}" width="{width:.1f}" height="{BAR}" fill="{colour}" '
                                 'stroke="#fff" stroke-width="1"/>')
                x += width
            parts.append(f'<text class="sg-chart__value" x="{x + LABEL_GAP:.1f}" y="{y + 31}">{bar.total}</text>')
            y += ROW
    svg = (f'<svg class="sg-chart__svg" viewBox="0 0 {WIDTH} {y + 4}" width="{WIDTH}" height="{y + 4}" role="img" '
           f'aria-labelledby="{chart.id}-title" font-size="13" fill="#1a1a1a">' + "".join(parts) + "</svg>")
    return Chart(chart.id, chart.title, chart.caption, chart.series, chart.groups, svg)


TILE, TILE_GAP = 120, 6


def _tile_map(counts: dict[str, int], base: str) -> str:
    """England's nine regions as tiles, darker for more reviews, each a link to its region page."""
    most = max(counts.values(), default=0) or 1
    tiles = []
    for region, (column, row) in TILES.items():
        count = counts[region]
        shade = 0 if not count else 1 + min(3, int(3 * count / most))
        text = "#ffffff" if shade >= 3 else "#1a1a1a"
        x, y = column * (TILE + TILE_GAP), row * (TILE * 0.6 + TILE_GAP)
        name = vocab.REGIONS[region]
        words = name.replace(" and the ", " and the|").replace("Yorkshire ", "Yorkshire|").split("|")
        lines = "".join(f'<tspan x="{x + 8}" dy="{0 if n == 0 else 15}">{escape(w)}</tspan>' for n, w in enumerate(words))
        tiles.append(f'<a href="{escape(base)}regions/{region}/" aria-label="{escape(name)}: {counted(count, "local review")}">'
                     f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE * 0.6}" rx="4" fill="{TILE_COLOURS[shade]}" '
                     f'stroke="#1a237e"/><text x="{x + 8}" y="{y + 20}" fill="{text}">{lines}</text>'
                     f'<text class="sg-chart__value" x="{x + TILE - 8}" y="{y + TILE * 0.6 - 10}" text-anchor="end" font-size="20" '
                     f'font-weight="bold" fill="{text}">{count}</text></a>')
    width, height = 3 * TILE + 2 * TILE_GAP, 4 * (TILE * 0.6 + TILE_GAP)
    return (f'<svg class="sg-chart__svg sg-chart__map" viewBox="0 0 {width} {height:.0f}" width="{width}" '
            f'height="{height:.0f}" aria-labelledby="by-region-title" font-size="13">' + "".join(tiles) + "</svg>")
