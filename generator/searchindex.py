"""The command line's search engine: a Whoosh index of the live search items, behind this one
module so the engine could be swapped (nothing else imports whoosh).

The index lives in a git-ignored cache folder and is brought up to date on every use by content
fingerprint: only added, changed and removed items are written. A missing, stale (other schema,
abbreviations or Whoosh version) or damaged index is rebuilt, never trusted, in worker processes
when it is big. Queries are stemmed English over title (boosted), summary, body and keywords
(which hold the partnership, region and theme words); an abbreviation matches its long forms,
indexed as the abbreviation, and a theme's synonym also matches the theme.
"""

from __future__ import annotations

import difflib
import heapq
import hashlib
import math
import os
import pickle
import re
import shutil
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import whoosh
import whoosh.index
from whoosh import highlight, qparser, query, scoring
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.system import pack_uint

from . import searchterms

if TYPE_CHECKING:  # searchdocs needs the site model, which needs related learning, which needs this
    from .searchdocs import SearchItem

# Any change to this module (schema, analysers) or to Whoosh makes the stored index stale: rebuilt.
STAMP = (f"{hashlib.sha256(Path(__file__).read_bytes() + searchterms.ABBREVIATIONS_FILE.read_bytes()).hexdigest()[:16]}"
         f", whoosh {whoosh.versionstring()}")
TEXT_FIELDS = {"title": 4.0, "keywords": 2.0, "summary": 1.5, "body": 1.0}  # keywords hold partnership too
FACETS = ("themes", "regions", "harm", "type", "year")
WRITER_MB = 1024  # memory for each writer's postings before it spills to disk (5,000 reviews fit)
PARALLEL_FROM, MAX_PROCS = 400, 4  # a full index of this many items runs in worker processes
SNIPPET_SOURCE = 3000  # characters of matching paragraphs the highlighter reads per hit


class EnglishAnalyzer(Tokenizer):
    """Whoosh's StemmingAnalyzer (words, lower case, stop words, Porter stems; 'Child G' keeps its
    G) in one pass with an unbounded stem cache: the same tokens at about a third of the cost of
    its chain of generators, which is most of the time of indexing full text.

    When indexing, an abbreviation's long form also yields the abbreviation at the place of its
    first word ("non-accidental injury" is indexed as "nai" too), so a query for NAI is one term,
    counted as often as the text says it in either form, instead of a phrase search per field."""

    WORD = re.compile(r"[\w*]+(?:\.?[\w*]+)*")

    def __init__(self):
        self._stems: dict[str, str] = {}
        self._long_forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for short, forms in searchterms.abbreviations().items():
            for form in forms:
                stems = tuple(t.text for t in self(form, mode="query"))
                known = self._long_forms.setdefault(stems[-1], [])
                if len(stems) > 1 and (stems, short.lower()) not in known:  # forms alike once stemmed: once
                    known.append((stems, short.lower()))

    def __eq__(self, other):
        return type(other) is type(self)

    def __getstate__(self):  # the schema is pickled into the index: leave the tables out
        return {}

    def __setstate__(self, state):
        self.__init__()

    def stem(self, word: str) -> str:
        return next(iter(self(word, mode="query")), Token(text=word.lower())).text

    def stem_word(self, word: str) -> str:
        """The stem of one lower-case word."""
        stemmed = self._stems.get(word)
        if stemmed is None:
            stemmed = self._stems[word] = porter_stem(word)
        return stemmed

    def __call__(self, value: str, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a whole value as one token (Whoosh asks this of some queries)
            token.original = token.text = value
            token.boost, token.stopped, token.pos = 1.0, False, start_pos
            token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        stems, kept = self._stems, None  # stop words keep their place; kept words are renumbered
        recent: deque = deque(maxlen=8)  # the last kept stems and places, to spot long forms
        expand = mode == "index" and not chars
        for raw, match in enumerate(self.WORD.finditer(value), start_pos):
            word = match.group(0).lower()
            token.boost = 1.0
            if keeporiginal:
                token.original = match.group(0)
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            if word in STOP_WORDS:
                if removestops:
                    continue
                token.text, token.stopped, token.pos = word, True, raw
                yield token
                continue
            stemmed = stems.get(word)
            if stemmed is None:
                stemmed = stems[word] = porter_stem(word)
            kept = raw if kept is None else kept + 1
            token.text, token.stopped, token.pos = stemmed, False, kept
            yield token
            if expand:
                recent.append((stemmed, kept))
                for short, first in self._abbreviations_ending(recent, stemmed):
                    token.text, token.pos = short, first
                    yield token

    def places(self, value: str) -> dict[str, list[int]]:
        """Each indexed term of the text with its places, in order of first use: what `__call__`
        yields in index mode, gathered without a token per word (most of a full index's time)."""
        stems, found, kept = self._stems, {}, None
        recent: deque = deque(maxlen=8)
        long_forms, stops = self._long_forms, STOP_WORDS
        for raw, word in enumerate(self.WORD.findall(value.lower())):
            if word in stops:
                continue
            stemmed = stems.get(word)
            if stemmed is None:
                stemmed = stems[word] = porter_stem(word)
            kept = raw if kept is None else kept + 1
            found.setdefault(stemmed, []).append(kept)
            recent.append((stemmed, kept))
            if stemmed in long_forms:
                for short, first in self._abbreviations_ending(recent, stemmed):
                    found.setdefault(short, []).append(first)
        return found

    def _abbreviations_ending(self, recent: deque, stemmed: str) -> Iterator[tuple[str, int]]:
        for form, short in self._long_forms.get(stemmed, ()):
            size = len(form)
            if len(recent) >= size and all(recent[i - size][0] == form[i] for i in range(size)):
                yield short, recent[-size][1]


ANALYZER = EnglishAnalyzer()


def term_counts(text: str) -> Counter:
    """How often the text uses each stem (stop words out): the index's words, counted at the speed
    of a regular expression and a dictionary rather than a token stream."""
    words = Counter(EnglishAnalyzer.WORD.findall(text.lower()))
    stems: Counter = Counter()
    for word, count in words.items():
        if word not in STOP_WORDS:
            stems[ANALYZER.stem_word(word)] += count
    return stems


class IndexedText(TEXT):
    """Whoosh's TEXT field, its postings built from `EnglishAnalyzer.places`: the same terms,
    frequencies, weights and bytes as TEXT's token stream (a test compares them) at less cost."""

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost, once, encoded = self.format.field_boost, _ONE_PLACE, _TERM_BYTES
        for word, places in ANALYZER.places(value).items():
            term = encoded.get(word) or _kept(encoded, word, word.encode("utf-8"))
            if len(places) == 1:  # most terms of a document: their few values encoded once per process
                place = places[0]
                yield term, 1, boost, once.get(place) or _kept(once, place, _positions([place]))
            else:
                deltas = [places[0]] + [b - a for a, b in zip(places, places[1:])]
                yield term, len(places), len(places) * boost, _positions(deltas)


def _positions(deltas: list[int]) -> bytes:
    """Whoosh's Positions format for a posting's position deltas."""
    return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


_ONE_PLACE: dict[int, bytes] = {}  # a term's single position -> its encoding
_TERM_BYTES: dict[str, bytes] = {}  # the index's terms as bytes: a vocabulary, not a document, in size
CACHED_AT_MOST = 200_000  # entries in each: a file of made-up words cannot grow a long `serve` without end


def _kept(cache: dict, key, value: bytes) -> bytes:
    if len(cache) < CACHED_AT_MOST:
        cache[key] = value
    return value


def _lengths_read_once(self, fieldname: str, default: int = 0):
    """W3PerDocReader.doc_field_length_reader, its column read once into a list: writing a
    segment asks for the field length of every posting, and Whoosh's own reader seeks and reads
    the column file each time (an eighth of a full index). The same values: a test compares them."""
    column = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return lambda docnum: default
    table = [whoosh3.byte_to_length(b) if (b := column[docnum]) else None for docnum in range(self._doccount)]
    size = len(table)
    return lambda docnum: table[docnum] if docnum < size else None


WHOOSHS_LENGTHS_READER = whoosh3.W3PerDocReader.doc_field_length_reader
whoosh3.W3PerDocReader.doc_field_length_reader = _lengths_read_once  # in the worker processes too


def _schema() -> Schema:
    analyzer = ANALYZER
    return Schema(
        key=ID(stored=True, unique=True, sortable=True), id=STORED, kind=ID(stored=True), url=STORED, published=STORED,
        published_on=STORED, fingerprint=STORED,
        title=IndexedText(analyzer=analyzer, stored=True, field_boost=TEXT_FIELDS["title"]),
        summary=IndexedText(analyzer=analyzer, stored=True), body=IndexedText(analyzer=analyzer),
        keywords=IndexedText(analyzer=analyzer),
        themes=KEYWORD(stored=True, commas=True, scorable=True), regions=KEYWORD(stored=True, commas=True),
        harm=KEYWORD(stored=True, commas=True), type=ID(stored=True), year=ID(stored=True))


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    title: str
    type: str
    published: str  # as the site shows it
    score: float
    url: str
    snippet: str = ""
    published_on: str = ""  # as the front matter writes it: YYYY-MM-DD, YYYY-MM or YYYY ("" for a theme)


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
        self._open_searcher, self._scores = None, None
        self._facet_values: dict[str, list[tuple[str, ...]]] | None = None  # facet -> each document's values

    # -- keeping the index up to date ---------------------------------------------------------------
    def refresh(self, items: Iterable[SearchItem], announce=None) -> Refresh:
        """Bring the index in line with `items`: only what changed is written; rebuilt if unusable,
        or from nothing when most items changed (one pass over every core beats many updates)."""
        self.items = {_key(item): item for item in items}
        self.close()
        try:
            self.index = self._open()
            stored = dict(self._fingerprints()) if self.index is not None else {}
        except Exception:  # noqa: BLE001 - a damaged index, whatever the damage: rebuild it
            self.index, stored = None, {}
        removed = [key for key in stored if key not in self.items]
        writes = [item for key, item in self.items.items() if stored.get(key) != item.fingerprint]
        added = sum(_key(item) not in stored for item in writes)
        rebuilt = self.index is None or len(writes) > len(self.items) / 2
        if announce and len(writes) > 200:
            announce(f"indexing {len(writes):,} items for search (only changes are indexed after this) ...")
        if rebuilt:
            self.index = self._create()
            self._write_all(list(self.items.values()))
        elif removed or writes:
            self._update(removed, writes)
        return Refresh(added, len(writes) - added, len(removed), rebuilt)

    def _write_all(self, items: list[SearchItem]) -> None:
        """A new index of `items`: big ones are analysed on every core, each writing its own segment."""
        procs = min(os.cpu_count() or 1, MAX_PROCS) if len(items) >= PARALLEL_FROM and self.folder else 1
        options = dict(procs=procs, multisegment=True, start_method="spawn",
                       batchsize=max(1, min(100, len(items) // procs))) if procs > 1 else {}
        writer = self.index.writer(limitmb=WRITER_MB, **options)
        try:
            for item in items:
                writer.add_document(**_document(item))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

    def _update(self, removed: list[str], writes: list[SearchItem]) -> None:
        writer = self.index.writer(limitmb=WRITER_MB)
        try:
            for key in removed:
                writer.delete_by_term("key", key)
            for item in writes:
                writer.update_document(**_document(item))
            writer.commit(merge=len(writes) + len(removed) > 50)
        except BaseException:
            writer.cancel()
            raise

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

    def _fingerprints(self) -> Iterator[tuple[str, str]]:
        with self.index.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield fields["key"], fields["fingerprint"]

    # -- searching ----------------------------------------------------------------------------------
    def search(self, text: str, filters: dict[str, str] | None = None, limit: int = 10,
               facets: bool = False) -> Results:
        """Ranked items for `text` (words, "phrases", AND/OR/NOT), with a suggestion when little is
        found, and the facet counts of everything found when asked for."""
        searcher = self._searcher()
        results = self._run(self._parse(text), filters or {}, limit, facets)
        if results.total < 3 and text.strip():
            suggestion = self._did_you_mean(searcher, text)
            if suggestion and self._run(self._parse(suggestion), filters or {}, 0).total > results.total:
                results.suggestion = suggestion
        return results

    def _searcher(self):
        """One searcher for every query until the next refresh: opening one costs more than a query."""
        if self._open_searcher is None:
            self._open_searcher = self.index.searcher()
            self._scores, self._facet_values = _Scores(self._open_searcher), None
        return self._open_searcher

    def close(self) -> None:
        if self._open_searcher is not None:
            self._open_searcher.close()
            self._open_searcher = None

    def _run(self, parsed, filters: dict[str, str], limit: int, facets: bool = False) -> Results:
        searcher, scorer = self._searcher(), self._scores
        allowed = _filter_query(filters)
        scores = scorer.of(parsed)
        docs = set(scores) if scores is not None else _matching(searcher, parsed)
        if allowed is not None:
            docs &= scorer.allowed(allowed)
        hits = []
        if limit and docs:
            terms = _highlight_terms(parsed)
            if scores is not None:
                best = heapq.nsmallest(limit, docs, key=lambda d: (-scores[d], d))  # Whoosh's order
                found = [(searcher.stored_fields(d), scores[d]) for d in best]
            else:  # phrases and the rest: Whoosh's own ranking
                found = [(hit.fields(), hit.score) for hit in searcher.search(parsed, filter=allowed, limit=limit)]
            for fields, score in found:
                item = self.items.get(fields["key"])
                hits.append(Hit(fields["id"], fields["kind"], fields["title"], fields["type"], fields["published"],
                                round(score, 3), fields["url"], _snippet(item, terms) if item else "",
                                fields["published_on"]))
        return Results(hits, len(docs), self._facets(searcher, docs) if facets else {})

    def _facets(self, searcher, docs: set[int]) -> dict[str, list[tuple[str, int]]]:
        """Counts of each facet value over everything found, from the items in memory: each
        document's values are looked up once per searcher, then counted in one pass per facet."""
        if self._facet_values is None:
            keys = searcher.reader().column_reader("key")
            items = [self.items.get(keys[docnum]) for docnum in range(searcher.doc_count_all())]
            self._facet_values = {name: [_values(getattr(item, name)) if item else () for item in items]
                                  for name in FACETS}
        counts = {name: Counter(chain.from_iterable(map(values.__getitem__, docs)))
                  for name, values in self._facet_values.items()}
        return {name: sorted(counter.items(), key=lambda p: (-p[1], p[0]))
                for name, counter in counts.items() if counter}

    def _did_you_mean(self, searcher, text: str) -> str:
        """The query with each word that no item uses replaced by the closest word items do use:
        found among the indexed stems, then written as the items write it."""
        corrector = searcher.corrector("body")
        changed = False

        def correct(match: re.Match) -> str:
            nonlocal changed
            word = match.group(0)
            if word.startswith('"') or word in ("AND", "OR", "NOT") or len(word) < 4:
                return word
            stem = ANALYZER.stem(word)
            if any(searcher.doc_frequency(name, stem) for name in TEXT_FIELDS):
                return word
            # the nearest words first (Whoosh ranks every word within `maxdist` by frequency alone, so
            # "meglect" became the commoner "reflect"); one slip after a right first letter, the most
            # common typing error, is looked for among that letter's words: a thirtieth of the work
            better = (corrector.suggest(stem, limit=1, maxdist=1, prefix=1)
                      or corrector.suggest(stem, limit=1, maxdist=1) or corrector.suggest(stem, limit=1, maxdist=2))
            if not better:
                return word
            changed = True
            return self._written_form(searcher, better[0], word)
        corrected = _QUOTED_OR_WORD.sub(correct, text)
        return corrected if changed else ""

    def _written_form(self, searcher, stem: str, typed: str) -> str:
        """The word, among those items write with this stem, closest to what was typed."""
        forms = set()
        for docnum in list(searcher.postings("body", stem).all_ids())[:3]:
            item = self.items.get(searcher.stored_fields(docnum)["key"])
            if item is not None:
                words = EnglishAnalyzer.WORD.findall(" ".join([item.title, item.summary, item.body]).lower())
                forms.update(word for word in set(words)  # a stem keeps its word's first letters
                             if word[:2] == stem[:2] and ANALYZER.stem_word(word) == stem)
        return max(sorted(forms), key=lambda form: difflib.SequenceMatcher(None, form, typed.lower()).ratio(),
                   default=stem)

    def _parse(self, text: str):
        """The query over every text field, and a theme's title or synonym also as the theme itself
        (abbreviations need nothing here: the index holds them wherever a long form is written)."""
        parser = qparser.MultifieldParser(list(TEXT_FIELDS), self.index.schema, fieldboosts=TEXT_FIELDS)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parsed = parser.parse(text)
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
            return [Hit(h["id"], h["kind"], h["title"], h["type"], h["published"], round(h.score, 3), h["url"],
                        published_on=h["published_on"]) for h in found if h["key"] != exclude][:limit]

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


def _matching(searcher, parsed) -> set[int]:
    """Every document a query matches, by set operations on posting lists (counting through
    Whoosh's matchers walks each document in Python: most of a query's time)."""
    if isinstance(parsed, query.Term):
        return _term_documents(searcher, parsed.fieldname, parsed.text)
    if isinstance(parsed, query.Or):
        return set().union(*(_matching(searcher, part) for part in parsed.subqueries))
    if isinstance(parsed, query.And):
        wanted = [part for part in parsed.subqueries if not isinstance(part, query.Not)]
        unwanted = [part.query for part in parsed.subqueries if isinstance(part, query.Not)]
        if wanted:
            parts = sorted((_matching(searcher, part) for part in wanted), key=len)
            return parts[0].intersection(*parts[1:]).difference(*(_matching(searcher, q) for q in unwanted))
    if isinstance(parsed, query.AndNot):
        return _matching(searcher, parsed.a) - _matching(searcher, parsed.b)
    if _plain_phrase(parsed, searcher.schema):
        return _phrase_documents(searcher, parsed.fieldname, parsed.words)
    if parsed is query.NullQuery:
        return set()
    return set(searcher.docs_for_query(parsed))  # the rest: Whoosh's own matching


def _plain_phrase(parsed, schema) -> bool:
    """A phrase of words next to each other ("child protection plan") in a field that keeps
    positions: not a looser "words"~N, nor a field Whoosh refuses a phrase in (themes:"a b")."""
    return (isinstance(parsed, query.Phrase) and parsed.slop == 1 and bool(parsed.words)
            and parsed.fieldname in schema and schema[parsed.fieldname].format.supports("positions"))


def _phrase_documents(searcher, field_name: str, words) -> set[int]:
    """The documents where the words stand next to each other in this order: Whoosh's own answer
    (its span matcher, with slop 1), found by intersecting the words' documents first, then
    reading positions a block at a time, word by word, only for the documents still in the
    running. Whoosh walks every document that holds all the words through a tree of span
    matchers: 50 to 80 ms for "child protection plan" at 5,000 reviews."""
    field = searcher.schema[field_name]
    try:
        terms = [field.to_bytes(word) for word in words]
    except ValueError:
        return set()
    reader = searcher.reader()
    if any((field_name, term) not in reader for term in terms):
        return set()
    running = set.intersection(*(_term_documents(searcher, field_name, term) for term in set(terms)))
    if len(terms) == 1 or not running:
        return running
    starts = {doc: list(places) for doc, places in _places_in(searcher, field_name, terms[0], running).items()}
    for offset, term in enumerate(terms[1:], start=1):
        following = _places_in(searcher, field_name, term, set(starts))
        starts = {doc: kept for doc, places in starts.items()
                  if (kept := [start for start in places if start + offset in following[doc]])}
    return set(starts)


def _term_documents(searcher, field_name: str, term) -> set[int]:
    """Every document that holds a term (its text or bytes), read a block of ids at a time."""
    found: set[int] = set()
    for matcher, offset in _leaf_postings(searcher, field_name, term):
        if isinstance(matcher, W3LeafMatcher):
            while matcher.is_active():
                matcher._read_ids()
                found.update(doc + offset for doc in matcher._ids[matcher._i:])
                matcher._next_block()
        else:
            found.update(doc + offset for doc in matcher.all_ids())
    return found


def _places_in(searcher, field_name: str, term: bytes, docs: set[int]) -> dict[int, frozenset[int]]:
    """Where a term stands in each of `docs` (each known to hold it), decoded for those only."""
    decode, places = searcher.schema[field_name].format.decode_positions, {}
    for matcher, offset in _leaf_postings(searcher, field_name, term):
        if isinstance(matcher, W3LeafMatcher):
            while matcher.is_active():
                matcher._read_ids()
                first = matcher._i
                wanted = [n for n, doc in enumerate(matcher._ids[first:], start=first) if doc + offset in docs]
                if wanted:
                    matcher._read_values()
                    for n in wanted:
                        places[matcher._ids[n] + offset] = frozenset(decode(matcher._values[n]))
                matcher._next_block()
        else:
            while matcher.is_active():
                if matcher.id() + offset in docs:
                    places[matcher.id() + offset] = frozenset(matcher.value_as("positions"))
                matcher.next()
    return places


def _leaf_postings(searcher, field_name: str, term) -> Iterator[tuple[object, int]]:
    """Each segment's matcher for a term, with the segment's first document number."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (field_name, term) in reader:
            yield reader.postings(field_name, term), offset


def _tree_sum(scores: list[float]) -> float:
    """Scores added up as Whoosh's binary tree of matchers adds them (a + (b + c)): the same float."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])


class _Scores:
    """Whoosh's BM25F scores of every document a query of words (AND, OR, NOT) matches, summed
    over posting lists a block at a time: the same scores and order as `searcher.search`, which
    walks each matching document through a tree of matchers in Python (most of a query's time).
    Phrases of adjacent words too (`_phrase_documents`); looser phrases ("a b"~3) and other
    queries give None: Whoosh ranks those itself."""

    def __init__(self, searcher):
        self.searcher, self.model = searcher, searcher.weighting
        self.norms: dict[str, list[float]] = {}
        self.filters: dict[object, set[int]] = {}

    def allowed(self, filter_query) -> set[int]:
        """The documents a filter lets through, kept while the searcher lives: readers filter by
        the same few regions and types again and again."""
        if filter_query not in self.filters:
            if len(self.filters) >= 64:  # bounded: a long-lived process may see many
                self.filters.clear()
            self.filters[filter_query] = _matching(self.searcher, filter_query)
        return self.filters[filter_query]

    def of(self, parsed) -> dict[int, float] | None:
        if not isinstance(self.model, scoring.BM25F):
            return None
        try:
            return self._scores(parsed)
        except _Unscorable:
            return None

    def _scores(self, parsed) -> dict[int, float]:
        if isinstance(parsed, query.Term):
            return self._term(parsed.fieldname, parsed.text, parsed.boost)
        if isinstance(parsed, query.Or) and parsed.boost == 1.0 and not parsed.minmatch and parsed.scale is None:
            total: dict[int, float] = {}
            for number, part in enumerate(parsed.subqueries):
                scores = self._scores(part)
                if number == 0:  # 0.0 + score is score: the first part is copied whole, in C
                    total = dict(scores)
                    continue
                for doc, score in scores.items():  # summed in Whoosh's order: the same float scores
                    total[doc] = total.get(doc, 0.0) + score
            return total
        if isinstance(parsed, query.And) and parsed.boost == 1.0:
            wanted = [part for part in parsed.subqueries if not isinstance(part, query.Not)]
            nots = [part.query for part in parsed.subqueries if isinstance(part, query.Not)]
            if not wanted:
                raise _Unscorable
            unwanted = set().union(*(_matching(self.searcher, part) for part in nots))
            parts = [self._scores(part) for part in wanted]
            common = set(parts[0]).intersection(*parts[1:]) - unwanted
            # Whoosh's matcher for each NOT scores 1.0 on every document it lets through. Whoosh adds
            # three or more parts in a tree ordered by their estimated sizes: the sum here, left to
            # right, can differ from its float in the last bit (1 in 10^16; found by a review's fuzzing),
            # which could only swap two documents whose scores tie that closely
            return {doc: sum(part[doc] for part in parts) + len(nots) for doc in common}
        if isinstance(parsed, query.AndNot) and parsed.boost == 1.0:
            unwanted = _matching(self.searcher, parsed.b)
            return {doc: score for doc, score in self._scores(parsed.a).items() if doc not in unwanted}
        if _plain_phrase(parsed, self.searcher.schema):  # Whoosh scores a phrase as the AND of its words, times its boost
            docs = _phrase_documents(self.searcher, parsed.fieldname, parsed.words)
            words = [self._term(parsed.fieldname, word, 1.0) for word in parsed.words] if docs else []
            return {doc: _tree_sum([scores[doc] for scores in words]) * parsed.boost for doc in docs}
        if parsed is query.NullQuery:
            return {}
        raise _Unscorable

    def _term(self, field_name: str, text, boost: float) -> dict[int, float]:
        searcher = self.searcher
        btext = text if isinstance(text, bytes) else searcher.schema[field_name].to_bytes(text)
        if (field_name, btext) not in searcher.reader():
            return {}
        if searcher.schema[field_name].scorable:
            norms = self._norms(field_name)
            idf, k1_plus_one = searcher.idf(field_name, btext), self.model.K1 + 1
            return {doc: idf * ((w * k1_plus_one) / (w + norms[doc])) * boost
                    for doc, w in _weighted_postings(searcher, field_name, btext)}  # scoring.bm25, inline
        return {doc: w * boost for doc, w in _weighted_postings(searcher, field_name, btext)}

    def _norms(self, field_name: str) -> list[float]:
        """BM25's length normalisation of each document in the field, k1 * ((1 - b) + b * length /
        average), worked out once per searcher in the order bm25 works it (the same floats)."""
        if field_name not in self.norms:
            length = self.searcher.doc_field_length
            k1, b = self.model.K1, self.model._field_B.get(field_name, self.model.B)
            average = self.searcher.avg_field_length(field_name) or 1
            # a document with nothing in the field has no length (None), and no posting to score
            self.norms[field_name] = [k1 * ((1 - b) + b * (length(doc, field_name, 1) or 0) / average)
                                      for doc in range(self.searcher.doc_count_all())]
        return self.norms[field_name]


def _values(value) -> tuple[str, ...]:
    """A facet's values for one item: its tuple (themes, regions, harm) or its one value (type, year)."""
    return value if isinstance(value, tuple) else (value,) if value else ()


class _Unscorable(Exception):
    """A query `_Scores` leaves to Whoosh."""


def _weighted_postings(searcher, field_name: str, btext: bytes) -> Iterator[tuple[int, float]]:
    """(document, weight) of each posting of a term: a block at a time from Whoosh's own leaf
    matchers, one at a time from any other (a segment with deletions wraps its matcher)."""
    for matcher, offset in _leaf_postings(searcher, field_name, btext):
        if isinstance(matcher, W3LeafMatcher):
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                yield from zip([doc + offset for doc in matcher._ids[matcher._i:]], matcher._weights[matcher._i:])
                matcher._next_block()
        else:
            while matcher.is_active():
                yield matcher.id() + offset, matcher.weight()
                matcher.next()


def _highlight_terms(parsed) -> frozenset[str]:
    """The stems to mark in a snippet: the query's words, and an abbreviation's long-form words."""
    words = {t.decode("utf-8") if isinstance(t, bytes) else str(t)
             for name, t in parsed.iter_all_terms() if name in TEXT_FIELDS}
    for short in [w for w in words if searchterms.long_forms(w)]:
        for form in searchterms.long_forms(short):
            words.update(ANALYZER.stem(w) for w in form.split())
    return frozenset(words)


def _snippet(item: SearchItem, terms: frozenset[str]) -> str:
    """The best passages with the matched words marked, read only from the paragraphs that hold
    a matched word (highlighting a whole long report costs more than the search)."""
    prefixes = tuple(word[:max(3, len(word) - 1)] for word in terms)
    source, size = [], 0
    for paragraph in (item.summary, *item.paragraphs):
        if size < SNIPPET_SOURCE and any(p in paragraph.lower() for p in prefixes):
            source.append(paragraph)
            size += len(paragraph)
    snippet = ""
    if source:
        try:
            snippet = highlight.highlight("\n".join(source)[:SNIPPET_SOURCE], terms, ANALYZER,
                                          highlight.ContextFragmenter(maxchars=200, surround=60), _Marks(), top=2)
        except (TypeError, ValueError):  # Whoosh's highlighter can trip on an odd token: show the summary
            snippet = ""
    return " ".join((snippet or item.summary[:200]).split())


class _Marks(highlight.Formatter):
    """Matched words as **word**: readable in a terminal and in Markdown."""

    def format_token(self, text, token, replace=False):
        return "**" + highlight.get_text(text, token, replace) + "**"


def _key(item: SearchItem) -> str:
    return f"{item.kind}:{item.id}"


def _document(item: SearchItem) -> dict:
    return dict(key=_key(item), id=item.id, kind=item.kind, url=item.url, published=item.published,
                published_on=item.published_on, fingerprint=item.fingerprint, title=item.title, summary=item.summary,
                body=item.body,
                keywords="\n".join(item.keywords), themes=",".join(item.themes),
                regions=",".join(item.regions), harm=",".join(item.harm), type=item.type, year=item.year)


def _filter_query(filters: dict[str, str]):
    """Facet filters ANDed; a region keeps the national reviews and the briefings, which apply in
    every region (as on the web)."""
    parts = []
    for name, value in filters.items():
        if not value:
            continue
        if name == "region":
            parts.append(query.Or([query.Term("regions", value), query.Term("type", "national"),
                                   query.Term("type", "briefing")]))
        elif name in ("theme", "harm"):
            parts.append(query.Term(name if name == "harm" else "themes", value))
        else:
            parts.append(query.Term(name, value))
    return query.And(parts) if parts else None


_QUOTED_OR_WORD = re.compile(r'"[^"]*"|[^\s()"]+')


def _themes_named(text: str, items: Iterable[SearchItem]) -> list[str]:
    """Themes whose title or a synonym is the whole query ('county lines')."""
    wanted = " ".join(searchterms.normalise(text.replace('"', " ")).split()).lower()
    found = []
    for item in items:
        if item.kind == "theme" and any(" ".join(searchterms.normalise(n).split()).lower() == wanted
                                        for n in (item.title, *item.keywords)):
            found.append(item.id)
    return found
