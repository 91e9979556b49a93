"""/insights/: every figure on the page, checked against the open data file the same build wrote
(data/reviews.json), with the charts' numbers and their tables read from the HTML."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from html.parser import HTMLParser

import pytest

from conftest import Project, THEMES
from generator import vocab
from generator.insights import ENDING_DAYS, EXPECTED_MONTHS, MONTH_DAYS
from test_site import build_fixture_site

TODAY = dt.date(2026, 11, 23)  # the fixture site's `today`


class Tables(HTMLParser):
    """Each table's rows as (row header, cells), and the figures each chart's SVG draws."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[tuple[str, list[str]]]] = []
        self.svg_numbers: dict[str, list[str]] = {}
        self._cell: list[str] | None = None
        self._row: list[str] = []
        self._svg: str | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "svg" and "sg-chart__svg" in (attrs.get("class") or ""):
            self._svg = attrs.get("aria-labelledby", "")
            self.svg_numbers[self._svg] = []
        elif tag == "text" and self._svg is not None and attrs.get("class") == "sg-chart__value":
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self.tables and self._row:
            self.tables[-1].append((self._row[0], self._row[1:]))
        elif tag == "svg":
            self._svg = None
        elif tag == "text" and self._text is not None:
            self.svg_numbers[self._svg].append("".join(self._text).strip())
            self._text = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._text is not None:
            self._text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Tables, dict]:
    project = Project(tmp_path_factory.mktemp("insights") / "project")
    project.review("timely-t", published="2026-05-01", initiated="2026-01-15", title='"Child T: timely"')
    project.review("slow-s", published="2026-03-01", initiated="2024-10-01", regions="[north-west]",
                   title='"Child S: slow"', themes="[critical-thinking]", harm="[sudi]")
    project.review("ending-soon", published="2025-12-20", title='"Child E: window ends soon"')
    project.review("exact-six", published="2026-02-28", initiated="2025-08-31", title='"Child X: six months to the day"')
    project.review("edge-six", published="2026-03-03", initiated="2025-09-01", title='"Child Y: six months and two days"')
    result = build_fixture_site(project)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    parsed = Tables()
    parsed.html = (site / "insights" / "index.html").read_text(encoding="utf-8")
    parsed.feed(parsed.html)
    return parsed, json.loads((site / "data" / "reviews.json").read_text(encoding="utf-8"))


def table(parsed: Tables, first_header: str) -> dict[str, list[str]]:
    for rows in parsed.tables:
        if rows and rows[0][0] == first_header:
            return {header: cells for header, cells in rows[1:] if cells}
    raise AssertionError(f"no table headed {first_header!r}")


def test_reviews_by_year_and_type_match_the_data(built) -> None:
    parsed, data = built
    counts = Counter((r["published"][:4], r["type"]) for r in data["reviews"])
    years = range(min(int(y) for y, _ in counts), max(int(y) for y, _ in counts) + 1)
    expected = {str(y): [str(counts[str(y), "local"]), str(counts[str(y), "national"]),
                         str(counts[str(y), "local"] + counts[str(y), "national"])] for y in years}
    assert table(parsed, "Year") == expected
    assert parsed.svg_numbers["by-year-title"] == [cells[2] for cells in expected.values()]


def test_reviews_by_theme_harm_and_region_match_the_data(built) -> None:
    parsed, data = built
    themes = Counter(t for r in data["reviews"] for t in r["themes"])
    harm = Counter(h for r in data["reviews"] for h in r["harm"])
    regions = Counter(g for r in data["reviews"] if r["type"] == "local" for g in r["regions"])
    by_category = {}
    for rows in parsed.tables:
        by_category.update({header: cells for header, cells in rows if len(cells) == 1})
    for theme_id, (title, _) in THEMES.items():
        assert by_category[title] == [str(themes[theme_id])], title
    for harm_id, (label, _) in vocab.HARM.items():
        assert by_category[label] == [str(harm[harm_id])], label
    assert table(parsed, "Region") == {label: [str(regions[region])] for region, label in vocab.REGIONS.items()}
    practice = [t for t, (_, group) in THEMES.items() if group == "practice"]
    theme_bars = parsed.svg_numbers["by-theme-title"]
    assert theme_bars[:len(practice)] == sorted((str(themes[t]) for t in practice), key=int, reverse=True)
    assert sum(map(int, parsed.svg_numbers["by-harm-title"])) == sum(harm.values())


def test_timeliness_matches_the_data(built) -> None:
    parsed, data = built
    months = [round((dt.date.fromisoformat(r["published"]) - dt.date.fromisoformat(r["initiated"])).days / MONTH_DAYS, 1)
              for r in data["reviews"] if r["initiated"] and len(r["published"]) == 10]
    assert len(months) == 4
    rows = table(parsed, "Months")
    # within six calendar months of the decision: timely-t, and exact-six (31 August to 28 February);
    # edge-six is two days late; slow-s took 17 months
    assert rows == {"Up to 6 months": ["2"], "6 to 12 months": ["1"], "12 to 18 months": ["1"],
                    "18 to 24 months": ["0"], "Over 24 months": ["0"]}
    assert sum(int(cells[0]) for cells in rows.values()) == len(months)
    assert parsed.svg_numbers["timeliness-title"] == [cells[0] for cells in rows.values()]


def test_the_caption_gives_the_share_on_time_and_the_median(built) -> None:
    parsed, data = built
    months = [round((dt.date.fromisoformat(r["published"]) - dt.date.fromisoformat(r["initiated"])).days / MONTH_DAYS, 1)
              for r in data["reviews"] if r["initiated"] and len(r["published"]) == 10]
    text = " ".join(parsed.html.split())
    assert (f"Statutory guidance expects publication within {EXPECTED_MONTHS} months: "
            f"2 of {len(months)} were. "
            f"The median is {statistics.median(months):.1f} months.") in text


def test_windows_ending_soon_match_the_data(built) -> None:
    parsed, data = built
    soon = [r for r in data["reviews"] if r["status"] == "live"
            and TODAY <= dt.date.fromisoformat(r["available_until"]) <= TODAY + dt.timedelta(days=ENDING_DAYS)]
    assert "ending-soon" in [r["id"] for r in soon] and "slow-s" not in [r["id"] for r in soon]
    assert "hostile-h" in [r["id"] for r in soon]  # its title, full of markup, is read back as text
    assert "<script>alert" not in parsed.html
    rows = table(parsed, "Review")
    assert list(rows) == [r["title"] for r in sorted(soon, key=lambda r: (r["available_until"], r["id"]))]
    for r in soon:
        assert rows[r["title"]][0] == (r["partnership"] or "National review")
        assert rows[r["title"]][2] == str((dt.date.fromisoformat(r["available_until"]) - TODAY).days)


def test_the_tile_map_links_every_region_with_its_count(built) -> None:
    parsed, data = built
    regions = Counter(g for r in data["reviews"] if r["type"] == "local" for g in r["regions"])
    assert parsed.svg_numbers["by-region-title"] == [str(regions[region]) for region in
                                                     ("north-east", "north-west", "yorkshire-and-the-humber",
                                                      "west-midlands", "east-midlands", "east-of-england",
                                                      "south-west", "london", "south-east")]


def test_a_hostile_label_is_text_in_the_svg() -> None:
    """Theme titles come from content files: in a chart they stay text, never markup."""
    import xml.etree.ElementTree as ET

    from generator.insights import Bar, Chart, _drawn

    label = 'Theme </text><script>alert(1)</script><text> & "co"'
    chart = _drawn(Chart("x", "X", "", ("Reviews",), (("<b>group</b>", (Bar(label, (3,)),)),)))
    svg = ET.fromstring(chart.svg)  # well-formed: nothing the label holds closes an element
    assert [t.text for t in svg.iter("text")] == ["<b>group</b>", label, "3"]
    assert not list(svg.iter("script"))


def test_two_series_differ_by_more_than_colour() -> None:
    """WCAG 1.4.1: national reviews are striped as well as teal, in the bars and the key, and a
    white edge parts the two segments of a bar."""
    from xml.etree import ElementTree

    from generator.insights import Bar, Chart, _drawn

    chart = _drawn(Chart("by-year", "Reviews by year and type", "", ("Local reviews", "National reviews"),
                         (("", (Bar("2020", (2, 1)), Bar("2021", (0, 3)))),)))
    svg = ElementTree.fromstring(chart.svg)
    ns = "{http://www.w3.org/2000/svg}"
    rects = [r for r in svg.iter() if r.tag in ("rect", ns + "rect") and r.get("stroke") == "#fff"]
    assert [r.get("fill") for r in rects] == ["#3f51b5", "url(#by-year-stripes)", "url(#by-year-stripes)"]
    patterns = [p for p in svg.iter() if p.tag in ("pattern", ns + "pattern")]
    assert [p.get("id") for p in patterns] == ["by-year-stripes"]
    legend = [r.get("fill") for r in svg.iter() if r.tag in ("rect", ns + "rect") and r.get("width") == "14"]
    assert legend == ["#3f51b5", "url(#by-year-stripes)"]
