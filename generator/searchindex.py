"""The command line's search engine: a Whoosh index of the live search items, behind this one
module so the engine could be swapped (nothing else imports whoosh).

The index lives in a git-ignored cache folder and is brought up to date on every use by content
fingerprint: only added, changed and removed items are written. A missing, stale (other schema
or Whoosh version) or damaged index is rebuilt, never trusted. Queries are stemmed English over
title (boosted), summary, body, keywords and partnership; abbreviations are expanded to their
long forms and a theme's synonym also matches the theme.
"""

from __future__ import annotations

import hashlib
import math
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import whoosh
import whoosh.index
from whoosh import highlight, qparser, query, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from . import searchterms
from .searchdocs import SearchItem

# Any change to this module (schema, analysers) or to Whoosh makes the stored index stale: rebuilt.
STAMP = f"{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}, whoosh {whoosh.versionstring()}"
TEXT_FIELDS = {"title": 4.0, "keywords": 2.0, "summary": 1.5, "partnership": 1.5, "body": 1.0}
FACETS = ("themes", "regions", "harm", "type", "year")


def _schema() -> Schema:
    analyzer = StemmingAnalyzer(minsize=1)  # 'Child G' keeps its G
    return Schema(
        key=ID(stored=True, unique=True), id=STORED, kind=ID(stored=True), url=STORED, published=STORED,
        fingerprint=STORED, title=TEXT(analyzer=analyzer, stored=True, field_boost=TEXT_FIELDS["title"]),
        summary=TEXT(analyzer=analyzer, stored=True), body=TEXT(analyzer=analyzer),
        keywords=TEXT(analyzer=analyzer), partnership=TEXT(analyzer=analyzer, stored=True),
        spelling=KEYWORD(),  # each word once, unstemmed, for did-you-mean
        themes=KEYWORD(stored=True, commas=True, scorable=True), regions=KEYWORD(stored=True, commas=True),
        harm=KEYWORD(stored=True, commas=True), type=ID(stored=True), year=ID(stored=True))


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    title: str
    type: str
    published: str
    score: float
    url: str
    snippet: str = ""


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str = ""  # did you mean ...?


@dataclass(frozen=True)
class Refresh:
    added: int
    changed: int
    removed: int
    rebuilt: bool


class SearchIndex:
    """The items' index in `folder`; `refresh` first, then `search`, `similar` or `suggest_themes`."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.items: dict[str, SearchItem] = {}
        self.index = None

    # -- keeping the index up to date ---------------------------------------------------------------
    def refresh(self, items: Iterable[SearchItem], announce=None) -> Refresh:
        """Bring the index in line with `items`: only what changed is written; rebuilt if unusable."""
        self.items = {_key(item): item for item in items}
        rebuilt = False
        try:
            self.index = self._open()
            stored = {fields["key"]: fields["fingerprint"] for fields in self._stored()}
        except Exception:  # noqa: BLE001 - a damaged index, whatever the damage: rebuild it
            self.index, stored, rebuilt = self._create(), {}, True
        if self.index is None:
            self.index, stored, rebuilt = self._create(), {}, True
        removed = [key for key in stored if key not in self.items]
        writes = [item for key, item in self.items.items() if stored.get(key) != item.fingerprint]
        if announce and len(writes) > 200:
            announce(f"indexing {len(writes):,} items for search (only changes are indexed after this) ...")
        if removed or writes:
            writer = self.index.writer(limitmb=256)
            try:
                for key in removed:
                    writer.delete_by_term("key", key)
                for item in writes:
                    writer.update_document(**_document(item))
                writer.commit(merge=len(writes) + len(removed) > 50)
            except BaseException:
                writer.cancel()
                raise
        added = sum(_key(item) not in stored for item in writes)
        return Refresh(added, len(writes) - added, len(removed), rebuilt)

    def _open(self):
        if self.folder is None or not (self.folder / "STAMP").is_file():
            return None
        if (self.folder / "STAMP").read_text(encoding="utf-8") != STAMP or not whoosh.index.exists_in(self.folder):
            return None
        return whoosh.index.open_dir(str(self.folder))

    def _create(self):
        if self.folder is None:
            return RamStorage().create_index(_schema())
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        index = whoosh.index.create_in(str(self.folder), _schema())
        (self.folder / "STAMP").write_text(STAMP, encoding="utf-8")
        return index

    def _stored(self) -> list[dict]:
        with self.index.searcher() as searcher:
            return list(searcher.all_stored_fields())

    # -- searching ----------------------------------------------------------------------------------
    def search(self, text: str, filters: dict[str, str] | None = None, limit: int = 10) -> Results:
        """Ranked items for `text` (words, "phrases", AND/OR/NOT), with facet counts and a suggestion."""
        parsed = self._parse(text)
        with self.index.searcher() as searcher:
            results = self._run(searcher, parsed, filters or {}, limit)
            suggestion = ""
            if results.total < 3 and text.strip():
                suggestion = self._did_you_mean(searcher, text)
                if suggestion and self._run(searcher, self._parse(suggestion), filters or {}, 0).total <= results.total:
                    suggestion = ""
            results.suggestion = suggestion
            return results

    def _run(self, searcher, parsed, filters: dict[str, str], limit: int) -> Results:
        allowed = _filter_query(filters)
        facets = {name: sorting.FieldFacet(name, allow_overlap=name in ("themes", "regions", "harm"))
                  for name in FACETS}
        found = searcher.search(parsed, filter=allowed, limit=max(limit, 1), groupedby=facets, terms=True)
        found.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=60)
        found.formatter = _Marks()
        hits = []
        for hit in list(found)[:limit]:
            item = self.items.get(hit["key"])
            snippet = (_highlight(hit, "body", item.body) or _highlight(hit, "summary", item.summary)
                       or item.summary[:200]) if item else ""
            hits.append(Hit(hit["id"], hit["kind"], hit["title"], hit["type"], hit["published"],
                            round(hit.score, 3), hit["url"], " ".join(snippet.split())))
        counts = {}
        for name in FACETS:
            groups = found.groups(name)
            pairs = sorted(((str(v), len(docs)) for v, docs in groups.items() if v not in (None, "")),
                           key=lambda p: (-p[1], p[0]))
            if pairs:
                counts[name] = pairs
        return Results(hits, len(found), counts)

    def _did_you_mean(self, searcher, text: str) -> str:
        """The query with each word that no item uses replaced by the closest word items do use."""
        corrector = searcher.corrector("spelling")
        changed = False

        def correct(match: re.Match) -> str:
            nonlocal changed
            word = match.group(0)
            if word.startswith('"') or word in ("AND", "OR", "NOT") or len(word) < 4 \
                    or searcher.doc_frequency("spelling", word.lower()):
                return word
            better = corrector.suggest(word.lower(), limit=1, maxdist=2)
            changed = changed or bool(better)
            return better[0] if better else word
        corrected = _QUOTED_OR_WORD.sub(correct, text)
        return corrected if changed else ""

    def _parse(self, text: str):
        """The query with each abbreviation also as its long forms, and a theme's title or synonym
        also as the theme itself."""
        parser = qparser.MultifieldParser(list(TEXT_FIELDS), self.index.schema, fieldboosts=TEXT_FIELDS)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parsed = parser.parse(_expand_abbreviations(text))
        themes = _themes_named(text, self.items.values())
        if themes:
            parsed = query.Or([parsed, *[query.Term("themes", t, boost=2.0) for t in themes]])
        return parsed

    # -- related learning and theme suggestions ------------------------------------------------------
    def similar(self, text: str, exclude: str = "", kinds: tuple[str, ...] = ("review",), limit: int = 10) -> list[Hit]:
        """Items most like `text` (its key terms, scored by Whoosh), best first."""
        with self.index.searcher() as searcher:
            terms = searcher.key_terms_from_text("body", text, numterms=25)
            if not terms:
                return []
            wanted = query.Or([query.Term("body", word, boost=weight) for word, weight in terms])
            allowed = query.Or([query.Term("kind", k) for k in kinds])
            found = searcher.search(wanted, filter=allowed, limit=limit + 1)
            return [Hit(h["id"], h["kind"], h["title"], h["type"], h["published"], round(h.score, 3), h["url"])
                    for h in found if h["key"] != exclude][:limit]

    def suggest_themes(self, title: str, summary: str, body: str, limit: int = 8) -> list[tuple[str, float]]:
        """Theme ids for a text with scores from 0 to 1: half from the themes' own words (title,
        summary, synonyms) found in the text, half from the themes of the most similar reviews."""
        text = "\n".join([title, summary, body])
        own = Counter()
        lowered = " " + " ".join(searchterms.normalise(text).split()) + " "
        for item in (i for i in self.items.values() if i.kind == "theme"):
            names = [item.title, *(k for k in item.keywords if k not in ("theme",))]
            hits = sum(lowered.count(" " + " ".join(searchterms.normalise(n).split()) + " ") for n in names)
            if hits:
                own[item.id] = math.log1p(hits)
        neighbours = Counter()
        for hit in self.similar(text, limit=10):
            for theme in self.items[f"review:{hit.id}"].themes:
                neighbours[theme] += hit.score
        score = Counter()
        for counter in (own, neighbours):
            top = max(counter.values(), default=0)
            for theme, value in counter.items():
                score[theme] += 0.5 * value / top
        return [(theme, round(value, 2)) for theme, value in sorted(score.items(), key=lambda p: (-p[1], p[0]))][:limit]


def _highlight(hit, name: str, text: str) -> str:
    """The best passages of `text` with the matched words marked; '' when none (or when Whoosh's
    highlighter trips over a token without offsets, a known fault: the summary is shown instead)."""
    try:
        return hit.highlights(name, text=text, top=2)
    except (TypeError, ValueError):
        return ""


class _Marks(highlight.Formatter):
    """Matched words as **word**: readable in a terminal and in Markdown."""

    def format_token(self, text, token, replace=False):
        return "**" + highlight.get_text(text, token, replace) + "**"


def _key(item: SearchItem) -> str:
    return f"{item.kind}:{item.id}"


def _document(item: SearchItem) -> dict:
    return dict(key=_key(item), id=item.id, kind=item.kind, url=item.url, published=item.published,
                fingerprint=item.fingerprint, title=item.title, summary=item.summary, body=item.body,
                keywords="\n".join(item.keywords), partnership=item.partnership,
                spelling=" ".join(_distinct_words("\n".join([item.title, item.summary, *item.keywords, item.body]))),
                themes=",".join(item.themes),
                regions=",".join(item.regions), harm=",".join(item.harm), type=item.type, year=item.year)


def _distinct_words(text: str) -> list[str]:
    """Each word once: all did-you-mean needs of a body, at a fraction of the indexing."""
    return [w for w in dict.fromkeys(searchterms.normalise(text).split()) if len(w) > 2 and w.isalpha()]


def _filter_query(filters: dict[str, str]):
    """Facet filters ANDed; a region keeps the national reviews, which are England-wide."""
    parts = []
    for name, value in filters.items():
        if not value:
            continue
        if name == "region":
            parts.append(query.Or([query.Term("regions", value), query.Term("type", "national")]))
        elif name in ("theme", "harm"):
            parts.append(query.Term(name if name == "harm" else "themes", value))
        else:
            parts.append(query.Term(name, value))
    return query.And(parts) if parts else None


_QUOTED_OR_WORD = re.compile(r'"[^"]*"|[^\s()"]+')


def _expand_abbreviations(text: str) -> str:
    """'NAI babies' -> '(NAI OR "non-accidental injury" OR ...) babies'; quoted phrases are left alone."""
    def expand(match: re.Match) -> str:
        word = match.group(0)
        forms = searchterms.long_forms(word) if not word.startswith('"') else ()
        return "(" + " OR ".join([word, *(f'"{form}"' for form in forms)]) + ")" if forms else word
    return _QUOTED_OR_WORD.sub(expand, text)


def _themes_named(text: str, items: Iterable[SearchItem]) -> list[str]:
    """Themes whose title or a synonym is the whole query ('county lines')."""
    wanted = " ".join(searchterms.normalise(text.replace('"', " ")).split()).lower()
    found = []
    for item in items:
        if item.kind == "theme" and any(" ".join(searchterms.normalise(n).split()).lower() == wanted
                                        for n in (item.title, *item.keywords)):
            found.append(item.id)
    return found
