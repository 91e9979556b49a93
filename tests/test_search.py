"""Command-line search over a real Whoosh index: the search cases over the shipped content, only
live items, an incremental index that survives being garbled, facets, phrases, did-you-mean, and
suggest-themes (which never edits the file)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from whoosh import query
from whoosh.query.qcore import QueryError
import yaml

from conftest import TODAY, Project
from generator.searchindex import SearchIndex

ROOT = Path(__file__).resolve().parents[1]
CASES = yaml.safe_load((Path(__file__).with_name("search_cases.yml")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> SearchIndex:
    """The shipped content's index, built once, in a scratch cache (never the repository's)."""
    from generator import commands
    from generator.settings import load_settings

    root = tmp_path_factory.mktemp("shipped")
    for name in ("content", "mkdocs.yml", "retention.lock"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    return commands.search_index(load_settings(root))


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30 and len({case["query"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_search_case_with_whoosh(shipped: SearchIndex, case: dict) -> None:
    results = shipped.search(case["query"], limit=3)
    if "suggest" in case:
        assert results.hits == [] and results.suggestion == case["suggest"]
        results = shipped.search(results.suggestion, limit=3)
    top3 = [f"{hit.url.split('/')[0]}/{hit.id}" for hit in results.hits]
    for wanted in case.get("top3", []):
        assert wanted in top3, f"{case['query']!r}: {wanted} not in the top 3 {top3}"


def test_results_have_snippets_and_facets(shipped: SearchIndex) -> None:
    results = shipped.search("NAI", limit=5, facets=True)
    assert all("**" in hit.snippet for hit in results.hits)  # the matched words are marked
    assert dict(results.facets["type"])["national"] >= 1 and "themes" in results.facets
    counts = dict(results.facets["themes"])
    assert counts["non-accidental-injury-in-babies"] >= 2


def test_a_region_filter_keeps_national_reviews_and_briefings_which_apply_everywhere(shipped: SearchIndex) -> None:
    found = shipped.search("exploitation", {"region": "london"}, limit=50)
    assert {hit.id for hit in found.hits} >= {"waltham-forest-2020-jaden-moodie", "national-2020-it-was-hard-to-escape"}
    assert {hit.type for hit in found.hits} == {"local", "national", "briefing"}  # no theme page: it has no region
    everywhere = shipped.search("exploitation", {"type": "briefing"}, limit=50)
    assert {hit.id for hit in everywhere.hits} <= {hit.id for hit in found.hits} and everywhere.total > 0
    local = shipped.search("exploitation", {"region": "london", "type": "local"}, limit=20)
    assert [hit.id for hit in local.hits] == ["waltham-forest-2020-jaden-moodie"]


def test_search_command_json_and_text(project: Project) -> None:
    project.published(body="## Learning\n\nThe health visitor saw bruising: a non-accidental injury was missed.\n")
    project.review("kingsford-2027-embargoed", title='"Child E: bruising"', published="2027-01-10",
                   body="## Learning\n\nBruising again.\n")
    result = project.run("search", "bruising", "--json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"id": "kingsford-2026-child-a", "kind": "review",
                                          "title": "Child A: learning about information sharing", "type": "local",
                                          "published": "2026-03-05", "score": json.loads(result.stdout)[0]["score"],
                                          "url": "reviews/kingsford-2026-child-a/"}]
    text = project.run("search", "NAI", "--today", TODAY)
    assert text.lines[0] == "1 result for 'NAI':"
    assert "a **non**-**accidental** **injury** was missed" in text.stdout
    assert "themes: information-sharing (1), neglect (1)" in text.stdout
    missing = project.run("search", "brusing", "--today", TODAY)
    assert missing.stdout == "No results for 'brusing'. Did you mean: bruising?\n"


@pytest.mark.parametrize("option, value, message", [
    ("--region", "London", "'London' is not a known id; did you mean 'london'?"),
    ("--harm", "physical abuse", "did you mean 'physical-abuse'?"),
    ("--theme", "neglectt", "'neglectt' is not a known id; did you mean 'neglect'?"),
    ("--year", "26", "'26' is not a year; write it as YYYY"),
])
def test_search_refuses_a_filter_that_names_nothing(project: Project, option: str, value: str, message: str) -> None:
    project.published()
    result = project.run("search", "learning", option, value, "--today", TODAY)
    assert result.exit_code == 2 and message in result.stderr and option in result.stderr, result.stderr
    empty = project.run("search", " ", "--today", TODAY)
    assert empty.exit_code == 2 and "give the words to search for" in empty.stderr, empty.stderr


def test_search_takes_a_renamed_themes_former_id(project: Project) -> None:
    neglect = project.content / "themes" / "neglect.md"
    project.write("content/themes/neglect-and-deprivation.md",
                  neglect.read_text().replace("title:", "aliases: [neglect]\ntitle:", 1))
    neglect.unlink()
    project.published(themes="[neglect-and-deprivation]")
    by_old, by_new = (project.run("search", "learning", "--theme", theme, "--json", "--today", TODAY)
                      for theme in ("neglect", "neglect-and-deprivation"))
    assert by_old.exit_code == 0 and by_old.stdout == by_new.stdout and json.loads(by_old.stdout), by_old


def test_index_is_incremental_and_rebuilt_when_garbled(project: Project) -> None:
    from generator import commands
    from generator.settings import load_settings

    project.published()
    project.review("kingsford-2026-child-b", title='"Child B: learning"', body="## Learning\n\nZebra crossing.\n")
    assert project.sync().exit_code == 0
    settings = load_settings(project.root, today=dt.date(2026, 11, 23))
    first = commands.search_index(settings)
    assert first.search("zebra").total == 1
    again = SearchIndex(project.root / ".cache" / "search")
    again_refresh = again.refresh(first.items.values())
    assert (again_refresh.added, again_refresh.changed, again_refresh.removed, again_refresh.rebuilt) == (0, 0, 0, False)
    project.review("kingsford-2026-child-b", title='"Child B: learning"', body="## Learning\n\nGiraffe crossing.\n")
    index = SearchIndex(project.root / ".cache" / "search")
    from generator.corpus import load_corpus
    from generator.ledger import read_ledger
    from generator.searchdocs import search_items
    from generator.sitemodel import build_site_model

    model = build_site_model(load_corpus(project.content, project.root).corpus,
                             read_ledger(project.ledger, "retention.lock")[0], settings.today, settings.windows)
    refresh = index.refresh(search_items(model))
    assert (refresh.added, refresh.changed, refresh.removed, refresh.rebuilt) == (0, 1, 0, False)
    assert index.search("giraffe").total == 1 and index.search("zebra").total == 0
    for file in (project.root / ".cache" / "search").iterdir():  # garble every file of the index
        if file.name != "STAMP":
            file.write_bytes(b"\x00garbled" * 10)
    result = project.run("search", "giraffe", "--json", "--today", TODAY)
    assert result.exit_code == 0 and [hit["id"] for hit in json.loads(result.stdout)] == ["kingsford-2026-child-b"]


def test_suggest_themes_proposes_from_the_text_and_never_edits(project: Project) -> None:
    project.write("content/themes/domestic-abuse.md", '---\ntitle: "Domestic abuse"\ngroup: topic\n'
                  'summary: "Living with domestic abuse."\nsynonyms: ["coercive control", "MARAC"]\n---\n')
    project.published(themes="[domestic-abuse]", body="## Learning\n\nCoercive control by the father went unseen.\n")
    draft = project.review("kingsford-2026-child-c", themes="[neglect]",
                           body="## Learning\n\nThe mother described coercive control; no MARAC referral was made.\n")
    before = draft.read_bytes()
    result = project.run("suggest-themes", str(draft))
    assert result.exit_code == 0, result.stderr
    first = result.lines[0].split()
    assert first[1] == "domestic-abuse" and float(first[0]) > 0.5
    assert draft.read_bytes() == before


def test_broken_input_is_a_clear_error_never_a_traceback(project: Project) -> None:
    project.published(body="## Learning\n\nBruising was missed.\n")
    project.review("kingsford-2026-broken", themes="[no-such-theme]", summary=None)  # content errors: still searchable
    found = project.run("search", "bruising", "--json", "--today", TODAY)
    assert found.exit_code == 0 and [hit["id"] for hit in json.loads(found.stdout)] == ["kingsford-2026-child-a"]
    assert "note: 1 file with errors left out of search" in found.stderr
    draft = project.write("content/reviews/draft.md", "---\ntitle: \"Unclosed\"\n\nText.\n")
    result = project.run("suggest-themes", str(draft))
    assert result.exit_code == 1 and "content/reviews/draft.md:1: error:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    project.ledger.write_text("reviews: [not, a, mapping\n")
    for command in (["search", "bruising"], ["check-links"]):
        broken = project.run(*command, "--today", TODAY)
        assert broken.exit_code == 1 and broken.stderr.startswith("error: retention.lock:"), broken.stderr
        assert "Traceback" not in broken.stderr


def test_the_one_pass_analyzer_gives_whooshs_stemming_tokens() -> None:
    from whoosh.analysis import StemmingAnalyzer

    from generator.searchindex import EnglishAnalyzer

    whoosh_own, ours = StemmingAnalyzer(minsize=1), EnglishAnalyzer()
    options = [dict(positions=True), dict(chars=True, positions=True, removestops=False), dict(mode="query"),
               dict(positions=True, chars=True, start_pos=5, start_char=3)]
    for path in sorted((ROOT / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for kwargs in options:
            def tokens(analyzer):
                return [(t.text, t.stopped, t.pos if "positions" in kwargs else 0,
                         (t.startchar, t.endchar) if "chars" in kwargs else 0) for t in analyzer(text, **kwargs)]
            assert tokens(ours) == tokens(whoosh_own), (path.name, kwargs)


def test_indexed_text_gives_the_postings_of_whooshs_token_stream() -> None:
    from whoosh.fields import TEXT

    from generator.searchindex import ANALYZER, IndexedText

    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    texts += ["", "the of and", "Non-accidental injury (NAI): non accidental injury, sudden unexpected death in "
              "infancy; Child G's café, e-mail 2019 2019"]
    for boost in (1.0, 4.0):
        fast, plain = IndexedText(analyzer=ANALYZER, field_boost=boost), TEXT(analyzer=ANALYZER, field_boost=boost)
        for text in texts:
            assert list(fast.index(text)) == list(plain.index(text)), text[:60]
    assert any(word == b"nai" for word, *_ in fast.index(texts[-1]))


def test_a_long_form_is_indexed_as_its_abbreviation_too() -> None:
    from generator.searchindex import ANALYZER

    tokens = [(t.text, t.pos) for t in ANALYZER("Bruising: a non-accidental injury, then sudden unexpected death "
                                                "in infancy.", positions=True, mode="index")]
    place = dict(tokens)  # each word once here: its position
    assert place["nai"] == place["non"] and place["sudi"] == place["sudden"]  # at the long form's first word
    assert [text for text, _ in tokens].count("nai") == 1
    assert [t.text for t in ANALYZER("non-accidental injury", mode="query")] == ["non", "accident", "injuri"]


QUERIES = ["neglect", "information sharing", "NAI", "fathers OR babies", "neglect NOT babies",
           '"invisible men"', "exploitation AND (London OR Bradford)", "zzzz", "child NOT (school OR police)",
           '"child protection plan"', '"safer sleep" OR "co-sleeping"', '"the baby"', '"sleep sleep"',
           'neglect NOT "child protection"', '"domestic abuse" AND London', '"child protection" AND neglect', '"protection child"',
           '"child protection"~3']


@pytest.mark.parametrize("filters", [{}, {"region": "london"}, {"type": "national"}, {"theme": "neglect"}])
def test_counts_and_facets_agree_with_whooshs_own_matching(shipped: SearchIndex, filters) -> None:
    from whoosh import sorting

    from generator.searchindex import _filter_query

    searcher = shipped._searcher()
    for text in QUERIES:
        results = shipped.search(text, filters, limit=3, facets=True)
        found = searcher.search(shipped._parse(text), filter=_filter_query(filters), limit=None,
                                groupedby={"themes": sorting.FieldFacet("themes", allow_overlap=True)})
        assert results.total == len(found), text
        themes = {value: len(docs) for value, docs in found.groups("themes").items() if value}
        assert dict(results.facets.get("themes", [])) == themes, text
        assert [hit.id for hit in results.hits] == [hit["id"] for hit in found[:3]], text


def test_scores_from_posting_blocks_are_whooshs_own(shipped: SearchIndex, tmp_path) -> None:
    import dataclasses

    from generator.searchindex import _Scores

    changed = SearchIndex(tmp_path / "changed")  # a segment with deletions: postings one at a time
    items = list(shipped.items.values())
    changed.refresh(items)
    edited = dataclasses.replace(items[0], paragraphs=items[0].paragraphs + ("Neglect of babies.",))
    assert not changed.refresh([edited] + items[1:]).rebuilt
    assert changed.index.reader().has_deletions()
    for index in (shipped, changed):
        searcher = index._searcher()
        for text in QUERIES:
            parsed = index._parse(text)
            ours = _Scores(searcher).of(parsed)
            whooshs = {hit.docnum: hit.score for hit in searcher.search(parsed, limit=None)}
            if text.endswith("~3"):
                assert ours is None  # a looser phrase: Whoosh ranks it
                continue
            assert ours.keys() == whooshs.keys() and (ours or text in ("zzzz", '"sleep sleep"', '"protection child"')), text
            assert all(ours[doc] == score for doc, score in whooshs.items()), text  # the same floats
            # Whoosh's own top 10 (limit=10) can miss an edited item in a newer segment; all of its
            # ranking cannot
            best = sorted(whooshs, key=lambda doc: (-whooshs[doc], doc))[:10]
            assert [hit.id for hit in index.search(text, limit=10).hits] == \
                [searcher.stored_fields(doc)["id"] for doc in best], text


def test_an_empty_field_and_a_phrase_where_whoosh_keeps_no_positions_are_answered_as_whoosh_answers(
        tmp_path) -> None:
    import whoosh.index

    from generator.searchindex import _schema, _Scores

    index = whoosh.index.create_in(tmp_path, _schema())
    writer = index.writer()
    writer.add_document(key="a", id="a", title="neglect", summary="", body="neglect", keywords="k", themes="neglect")
    writer.add_document(key="b", id="b", title="other", summary="neglect", body="x", keywords="k", themes="abuse")
    writer.commit()
    with index.searcher() as searcher:
        for parsed in (query.Term("summary", "neglect"), query.Or([query.Term("summary", "neglect"),
                                                                   query.Phrase("body", ["neglect"])])):
            whooshs = {hit.docnum: hit.score for hit in searcher.search(parsed, limit=None)}
            assert _Scores(searcher).of(parsed) == whooshs and whooshs
        themes = query.Phrase("themes", ["neglect", "abuse"])  # no positions: Whoosh's own error
        assert _Scores(searcher).of(themes) is None
        with pytest.raises(QueryError):
            searcher.search(themes)


def test_a_full_index_in_worker_processes_finds_what_one_process_finds(shipped: SearchIndex, tmp_path,
                                                                       monkeypatch) -> None:
    from generator import searchindex

    monkeypatch.setattr(searchindex, "PARALLEL_FROM", 1)
    parallel = SearchIndex(tmp_path / "parallel")
    assert parallel.refresh(shipped.items.values()).rebuilt
    assert len(parallel.index.reader().leaf_readers()) >= 2  # one segment per worker
    for case in CASES:  # the same items with the same scores (equal scores may come in another order)
        def ranked(index):
            return sorted((-hit.score, hit.id) for hit in index.search(case["query"], limit=100).hits)
        assert ranked(parallel) == ranked(shipped), case["query"]


def test_an_index_written_with_lengths_read_once_holds_what_whooshs_own_writes(shipped: SearchIndex, tmp_path,
                                                                              monkeypatch) -> None:
    from whoosh.codec import whoosh3

    from generator import searchindex

    def contents(index: SearchIndex) -> list:
        """Every term's statistics (the lengths go into its minimum and maximum length) and, block
        by block, its postings and the block's own length and weight bounds."""
        reader, held = index.index.reader(), []
        for field_name, text in reader.all_terms():
            info = reader.term_info(field_name, text)
            held.append((field_name, text, info.weight(), info.doc_frequency(), info.min_length(),
                         info.max_length(), info.max_weight()))
            matcher = reader.postings(field_name, text)
            while matcher.is_active():
                held.append((matcher.block_min_length(), matcher.block_max_length(), matcher.block_max_weight(),
                             matcher.id(), matcher.weight()))
                matcher.next()
        return held

    ours = SearchIndex(tmp_path / "ours")
    ours.refresh(shipped.items.values())
    monkeypatch.setattr(whoosh3.W3PerDocReader, "doc_field_length_reader", searchindex.WHOOSHS_LENGTHS_READER)
    whooshs = SearchIndex(tmp_path / "whooshs")
    whooshs.refresh(shipped.items.values())
    held = contents(ours)
    assert len(held) > 10000 and held == contents(whooshs)


def test_the_encodings_kept_for_the_index_stay_bounded(monkeypatch) -> None:
    from generator import searchindex

    monkeypatch.setattr(searchindex, "CACHED_AT_MOST", 5)
    monkeypatch.setattr(searchindex, "_TERM_BYTES", {})
    monkeypatch.setattr(searchindex, "_ONE_PLACE", {})
    field = searchindex._schema()["body"]
    letters = "bcdfghjkmnpqrtvwxz"  # no vowel, s or y: stemming leaves them as they are
    words = " ".join(f"z{letters[i // 18]}{letters[i % 18]}" for i in range(40))  # 40 terms, each once
    postings = list(field.index(words))
    assert len(postings) == 40 and len(searchindex._TERM_BYTES) == 5 and len(searchindex._ONE_PLACE) == 5
    assert [term for term, *_ in postings] == [w.encode() for w in words.split()]  # all indexed, cached or not


def test_did_you_mean_mends_a_slip_in_the_first_letter_too(shipped: SearchIndex) -> None:
    # one edit away, though "reflect" (two away) is commoner: the nearest word wins, then the commonest
    assert shipped.search("meglect").suggestion == "neglect"
    assert shipped.search("neglectt").suggestion == "neglect"
