"""Bodies that try to run script or restyle the page: validate names each at its line, and the
sanitiser alone (the second line of defence) leaves nothing executable either."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import bodies
from generator.bodies import _remember
from generator.htmlcheck import check_html, locate, reading, url_scheme

from conftest import Project
from hostile import VECTORS

PATH = "content/reviews/kingsford-2026-child-a.md"


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_validate_names_the_vector_at_its_line(project: Project, name: str) -> None:
    payload, message, offset = VECTORS[name]
    file = project.review(body=f"## Learning\n\nIntro.\n\n{payload}\n")
    line = file.read_text().split("\n").index(payload.split("\n")[0]) + 1 + offset
    result = project.validate()
    assert result.exit_code == 1
    assert any(text.startswith(f"{PATH}:{line}: error: not allowed in the body: {message}") for text in result.lines), \
        result.stdout


def test_validate_names_every_occurrence_at_its_own_line(project: Project) -> None:
    """The same problem twice is two errors, and a token met earlier in another form (`<style>`
    before a style attribute) does not pull a later problem up to that line."""
    lines = ["## Learning", "", "<style>x{}</style>", "", "[x](JaVaScRiPt:alert(1))", "", "Text.", "",
             "[y](javascript:alert(2))", "", '<p style="color:red">z</p>', "", "<style>y{}</style>", ""]
    file = project.review(body="\n".join(lines))
    first = file.read_text().split("\n").index(lines[0]) + 1
    result = project.validate()
    found = [text.split(": error: not allowed in the body: ")[0].rsplit(":", 1)[1] + " " +
             text.split(": error: not allowed in the body: ")[1].split(" (")[0]
             for text in result.lines if "not allowed in the body" in text]
    assert found == [f"{first + 2} element <style>", f"{first + 4} 'javascript:' address",
                     f"{first + 8} 'javascript:' address", f"{first + 10} 'style' attribute",
                     f"{first + 12} element <style>"], result.stdout


@pytest.mark.parametrize("body, lines", [
    # a reference link's address is defined below the problems after it: they keep their own lines
    ('See [the guidance][g].\n\n<span style="color:red">one</span>\n\n<span style="color:blue">two</span>\n\n'
     "[g]: javascript:alert(1)", [7, 3, 5]),
    ('Intro.\n\nMore.\n\n<div markdown="1" onclick>\ntext\n</div>', [5]),  # written back as onclick="onclick"
    ("# Learning\n\nSome text.\n\n![Map of the area](m.png)", [5]),  # an image in Markdown has no <img
    ("The [chart](https://ex.org/chart.png) says so.\n\nText.\n\n![chart](https://ex.org/chart.png)", [5]),
    ("![a](https://ex.org/a.png)\n\n<img src=x>\n\n![b](https://ex.org/b.png)", [1, 3, 5]),
])
def test_each_problem_is_located_at_its_own_line(body: str, lines: list[int]) -> None:
    verdict, _ = bodies.judge_now(body)
    assert [line for line, _ in locate(list(verdict.findings), body, 1)] == lines


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_sanitiser_alone_leaves_nothing_executable(name: str) -> None:
    payload = VECTORS[name][0]
    assert check_html(bodies.render(f"Intro.\n\n{payload}\n").html) == []


def test_safe_markdown_passes_unchanged() -> None:
    body = ("## Findings {: #findings }\n\nSee [the report](https://example.org/r.pdf \"Report\"), "
            "<https://example.org/>, [mail](mailto:a@example.org) and [a page](../themes/neglect/).\n\n"
            "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n!!! note \"Remember\"\n    Share early.\n\n"
            "<details><summary>More</summary>\n\nHidden.\n\n</details>\n")
    markup, _ = bodies.convert(body)
    assert check_html(markup) == []
    assert reading(bodies.sanitise(markup)) == reading(markup)


def test_toc_names_are_escaped_text() -> None:
    rendered = bodies.render("## &lt;img src=x onerror=alert(1)&gt; and <i>x</i>\n")
    assert rendered.toc[0]["name"] == "&lt;img src=x onerror=alert(1)&gt; and x"


@pytest.mark.parametrize("value, scheme", [("javascript:x", "javascript"), (" java\tscript:x", "javascript"),
                                           ("JAVA\nSCRIPT:x", "javascript"), ("https://x", "https"),
                                           ("../reviews/x/", ""), ("#top", ""), ("x:y", "x")])
def test_url_scheme_as_a_browser_reads_it(value: str, scheme: str) -> None:
    assert url_scheme(value) == scheme


FRAGMENTS = st.sampled_from(["<", ">", "<a ", "<img ", "<svg", "href=", "src=", "on", "error=", "click=",
                             "javascript:", "&#106;", "&colon;", "\"", "'", "{: ", " }", "[x]", "(", ")", "\n",
                             "\n\n", "<div markdown=\"1\">", "</div>", "style=", "!!! ", "    ", "*", "=", "x"])


@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_sanitised_output_always_passes_the_check(body: str) -> None:
    assert check_html(bodies.render(body).html) == []


@pytest.mark.parametrize("body, message", [
    ("[" * 1_000_000, "the body is 1,000,001 characters long; at most 500,000 are allowed"),
    ("<" * 100_000, "line is 100,000 characters long; at most 20,000 are allowed"),
    ("\n".join(["[" * 200] * 100), "this paragraph has too many unclosed '[', '(' or '<'"),
    ("\n".join(["<a " * 60] * 400), "this paragraph has too many unclosed '[', '(' or '<'"),
    ("word " * 120_000, "the body is 600,001 characters long; at most 500,000 are allowed"),
    (("[" * 19_000 + "\n") * 25, "this paragraph has too many unclosed '[', '(' or '<' for the Markdown converter"),
    (("[" * 900 + "\n\n") * 400, "the body has too many unclosed '[', '(' or '<' for the Markdown converter"),
    # each inline element Python-Markdown finds copies the rest of its paragraph: 160 KB of `code` took 8 s
    ("\n".join(["`x` " * 25] * 1600), "this paragraph holds too much inline markup for its length"),
    ("\n".join(["*x* and _y_ " * 8] * 1600), "this paragraph holds too much inline markup for its length"),
    ("\n".join(["[x](y) " * 14] * 1600), "this paragraph holds too much inline markup for its length"),
    ("\n".join(["<b>x</b> &amp; " * 7] * 1600), "this paragraph holds too much inline markup for its length"),
    ("text  \n" * 30_000, "this paragraph holds too much inline markup for its length"),  # hard line breaks
    (("\n".join(["`x` " * 25] * 180) + "\n\n") * 20, "the body holds too much inline markup for its length"),
    # an md_in_html element parsed as a span is one text across blank lines: 92 KB of '[' took 8 minutes
    ('<p markdown="1">\n' + "\n\n".join(["`x` " * 25] * 300) + "\n</p>",
     "the body cannot be converted: this passage holds too much inline markup for its length"),
    ('<p markdown="1">\n' + "\n\n".join(["[a " * 30] * 100) + "\n</p>",
     "the body cannot be converted: this passage has too many unclosed '[', '(' or '<'"),
])
def test_bodies_markdown_would_choke_on_are_refused_quickly(project: Project, body: str, message: str) -> None:
    project.review(body=body)
    start = time.perf_counter()
    result = project.validate()
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1 and f"error: {message}" in result.stdout
    assert elapsed < 30, "a guard against hanging, not a speed test"


@pytest.mark.parametrize("body, line", [
    ("## Learning\n\nIntro.\n\n\n" + "\n".join(["`x` " * 25] * 1600), 19),  # its first line, not the blank
    ('Intro.\n\n<p markdown="1">\n\nSome words.\n\n' + "\n\n".join(["`x` " * 25] * 300) + "\n</p>", 18),
])
def test_too_much_inline_markup_is_reported_where_it_starts(project: Project, body: str, line: int) -> None:
    project.review(body=body)
    errors = [text for text in project.validate().lines if "too much inline markup" in text]
    assert len(errors) == 1 and errors[0].startswith(f"content/reviews/kingsford-2026-child-a.md:{line}: error:"), errors


@pytest.mark.parametrize("body", ["".join("    " * i + "- x\n" for i in range(300)), "*" * 3000 + "a" + "*" * 3000])
def test_nesting_too_deep_for_markdown_is_an_error_not_a_traceback(project: Project, body: str) -> None:
    project.review(body=body)
    result = project.validate()
    assert result.exit_code == 1
    assert "error: the body cannot be converted: lists, quotes or emphasis are nested too deeply" in result.stdout


def test_a_reused_converter_converts_each_body_as_a_fresh_one_would() -> None:
    """One converter per thread, reset between bodies: no heading id, table of contents or half-done
    state carries over, not even from a body too deeply nested to convert."""
    import markdown

    def fresh(body: str):
        converter = markdown.Markdown(extensions=list(bodies.EXTENSIONS), extension_configs=bodies.EXTENSION_CONFIGS)
        return converter.convert(body), tuple(bodies._safe_toc(converter.toc_tokens))

    repeated = "## Learning\n\nText.\n\n## Learning\n\n<div markdown>\n## Inside\n</div>\n\n!!! note\n    Kept.\n"
    assert bodies.convert(repeated) == bodies.convert(repeated) == fresh(repeated)
    assert [entry["id"] for entry in bodies.convert(repeated)[1]] == ["learning", "learning_1", "inside"]
    with pytest.raises(bodies.BodyTooComplex):
        bodies.convert("".join("    " * i + "- x\n" for i in range(300)))
    assert bodies.convert(repeated) == fresh(repeated)


def markdowns_own(body: str, pattern=None) -> str:
    """The HTML Python-Markdown itself makes of `body`, with its own inline pass (and `pattern`
    among its inline patterns, if given)."""
    import markdown

    converter = markdown.Markdown(extensions=list(bodies.EXTENSIONS), extension_configs=bodies.EXTENSION_CONFIGS)
    if pattern is not None:
        converter.inlinePatterns.register(pattern, "mark", 70)
    return converter.convert(body)


EVERY_INLINE_PATTERN = (  # each of Markdown's 14 inline patterns, alone, nested and next to its neighbours
    "Use `code` and ``a ` tick`` and \\`not code\\` and \\\\`odd`.\n\n"
    "Escaped \\*stars\\*, \\[brackets\\], \\<tag\\>, \\&amp; and a lone \\ backslash.\n\n"
    "[a link](https://example.org \"title\"), [a reference][r], [r], [r][] and ![an image](x.png) ![ref][r].\n\n"
    "<https://example.org/a?b=c&d=e> and <someone@example.org> and <b>bold</b> <!-- note --> <br/>\n\n"
    "&copy; &#169; &#xA9; &notanentity AT&T; a &amp b.\n\n"
    "*em* **strong** ***both*** _em_ __strong__ ___both___ snake_case_word 2 * 3 * 4 a*b*c **[link](u)**.  \n"
    "A hard break above, and text with none of them at all.\n\n"
    "| a | *b* |\n|---|---|\n| `c` | [d](e) |\n\n"
    "!!! note \"*Title*\"\n    Inside `code` and _em_.\n\n"
    "<div markdown=\"1\">\n*inside* a [link](u)\n</div>\n\n"
    "## A *heading* with `code` {: #custom }\n\n"
    "[r]: https://example.org/ref \"Ref\"\n"
)


def test_the_quick_inline_pass_makes_exactly_markdowns_own_html() -> None:
    """QuickInline skips a pattern on a text without any of its literal prefixes: the HTML must be
    Markdown's own, for every pattern, alone and together (and the corpus: bench/bodies.py)."""
    for text in [EVERY_INLINE_PATTERN, *EVERY_INLINE_PATTERN.split("\n\n"), *(p for p, _, _ in VECTORS.values())]:
        assert bodies.convert(text)[0] == markdowns_own(text), text


@given(st.text(alphabet="*_`[]()<>&\\!#-:|{}=\"'. \n\tab1", max_size=120))
def test_the_quick_inline_pass_agrees_with_markdown_on_any_markup(text: str) -> None:
    try:
        quick = bodies.convert(text)[0]
    except bodies.BodyTooComplex:
        return
    assert quick == markdowns_own(text)


def test_the_quick_inline_pass_knows_a_prefix_for_every_inline_pattern_of_this_markdown() -> None:
    """Else a Markdown upgrade silently loses the speed (never the HTML): read its patterns again."""
    import markdown

    converter = markdown.Markdown(extensions=list(bodies.EXTENSIONS), extension_configs=bodies.EXTENSION_CONFIGS)
    quick = bodies.QuickInline(converter)
    prefixes = [quick.prefixes[pattern.getCompiledRegExp()] for pattern in converter.inlinePatterns]
    assert len(prefixes) >= 14 and all(prefixes), quick.prefixes
    assert {"`", "\\", "[", "![", "<", "  \n", "&", "*", "_"} == set().union(*prefixes)


def test_a_pattern_whose_expression_is_rebuilt_is_read_again() -> None:
    """An extension may rebuild a pattern's expression after the pass is made (Markdown's own
    delimiters can be added to): the prefixes follow the expression, never the pattern it was."""
    import markdown
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    converter = markdown.Markdown(extensions=list(bodies.EXTENSIONS), extension_configs=bodies.EXTENSION_CONFIGS)
    marked = SimpleTagInlineProcessor(r"(==)(.+?)==", "mark")
    converter.inlinePatterns.register(marked, "mark", 70)
    converter.treeprocessors.register(bodies.QuickInline(converter), "inline", 20)
    assert converter.convert("==a== and ++b++") == "<p><mark>a</mark> and ++b++</p>"
    marked.compiled_re = re.compile(r"(\+\+)(.+?)\+\+", re.DOTALL | re.UNICODE)  # '++' marks text now, '==' not
    converter.reset()
    assert converter.convert("++b++") == markdowns_own("++b++", marked) == "<p><mark>b</mark></p>"


@pytest.mark.parametrize("expression, flags, prefixes", [
    (r"\!\[", 0, {"!["}), (r"  \n", 0, {"  \n"}), (r"(?<!\!)\[", 0, {"["}), (r"\*|_", 0, {"*", "_"}),
    (r"(&(?:\#[0-9]+|[a-z]+);)", 0, {"&"}), (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", 0, {"\\", "`"}),
    (r"ab+c", 0, {"a"}), (r"[ab]c", 0, {"a", "b"}),
    (r"a*b", 0, None), (r"[a-z]", 0, None), (r"(?i)abc", 0, None), (r"abc", re.IGNORECASE, None),
    (r"(?i:a)b", 0, None), (r"\w+", 0, None), (r"(?=a)|b", 0, None), (r"(", 0, None),
])
def test_literal_prefixes_are_what_every_match_starts_with_or_none(expression, flags, prefixes) -> None:
    found = bodies.literal_prefixes(expression, flags)
    assert (set(found) if found is not None else None) == prefixes


def test_a_conversion_that_fails_half_way_leaves_nothing_for_the_next_body(monkeypatch) -> None:
    """Markdown.reset() does not clear the block parser's state: a failure inside a list item
    would make the next body's paragraphs run together, so the converter goes with the failure."""
    from markdown import blockprocessors

    original = blockprocessors.HashHeaderProcessor.run

    def failing(self, parent, blocks):
        if "BOOM" in blocks[0]:
            raise ValueError("a fault inside Python-Markdown")
        return original(self, parent, blocks)

    monkeypatch.setattr(blockprocessors.HashHeaderProcessor, "run", failing)
    with pytest.raises(ValueError):
        bodies.convert("- ## BOOM\n")
    monkeypatch.setattr(blockprocessors.HashHeaderProcessor, "run", original)
    markup, _ = bodies.convert("First paragraph.\n\nSecond paragraph.\n\n- a\n\n    more of a\n")
    assert markup.startswith("<p>First paragraph.</p>\n<p>Second paragraph.</p>\n<ul>"), markup


def test_the_disk_cache_gives_the_same_verdict_and_survives_damage(project: Project) -> None:
    from generator import commands

    project.review(body="## Learning\n\n<a href=\"#x\" onclick=alert(1)>x</a>\n")
    project.review("clean-review", body="## Learning\n\nText.\n")
    cold = project.validate()
    cache = project.root / commands.CACHE_FILE
    assert cache.is_file() and "onclick" in cold.stdout
    bodies._verdicts.clear()
    bodies._renders.clear()  # a new process: only the disk cache remembers
    assert project.validate().stdout == cold.stdout
    cache.write_bytes(b"not a database" * 100)
    bodies._verdicts.clear()
    assert project.validate().stdout == cold.stdout


def test_judging_on_every_core_gives_the_same_verdicts(project: Project, monkeypatch) -> None:
    for name, (payload, _, _) in sorted(VECTORS.items())[:6]:
        project.review(f"hostile-{name}", body=f"## Learning\n\n{payload}\n")
    project.review("clean-review")
    sequential = project.validate().stdout
    bodies._verdicts.clear()
    bodies._renders.clear()
    (project.root / ".cache" / "bodies.sqlite").unlink()
    monkeypatch.setattr(bodies, "PARALLEL_FROM", 2)
    judged = []
    monkeypatch.setattr(bodies, "_remember", lambda key, *result: judged.append(key) or _remember(key, *result))
    assert project.validate().stdout == sequential and len(judged) == 8  # 7 reviews, 4 themes with one body
