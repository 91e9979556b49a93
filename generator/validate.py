"""One document against its kind's schema: a record plus every problem in that file.

Only what can be judged from the file alone is checked here (types, required keys, the id,
rules across two fields). Whether referenced themes and reviews exist, and unique ids, need the
whole corpus (corpus.py); retention windows need the ledger and today (retention.py).
"""

from __future__ import annotations

import bisect
import html
import re
import urllib.parse
from typing import Any, NamedTuple

from . import bodies, characters, dates, htmlcheck
from .anonymise import Identifier, find_identifiers
from .exports import SCAFFOLD_INSTRUCTIONS
from .fieldtypes import ID_PATTERN, ID_RULE, RESERVED_IDS, Invalid, InvalidItems, Ref, Text, item_lines, slugify
from .frontmatter import INVISIBLE, INVISIBLE_HINT, Document, invisible_characters, invisible_pattern
from .model import RECORD_CLASSES
from .problems import Problem, did_you_mean, error, warning
from .schema import KINDS, Field, Kind

PANEL_NOTICE_WORKING_DAYS = 7
EXAMPLE_IDS = {"reviews": "kingsford-2026-child-d", "briefings": "seven-minute-briefing-neglect",
               "themes": "professional-curiosity"}


def validate_document(doc: Document) -> tuple[Any, list[Problem]]:
    """Parse every field of `doc`; return its record (invalid values left empty) and problems.

    A record is returned even when there are errors, so that cross-references in the rest of
    the file can still be checked and every problem is reported in one run.
    """
    kind = KINDS[doc.kind]
    problems = _check_id(doc) + _unknown_keys(doc, kind)
    values: dict[str, Any] = {}
    for field in kind.fields:
        entry = doc.meta.get(field.key)
        if entry is not None and not _is_blank(entry.value):
            values[field.key] = _parse_field(doc, field, entry.value, problems)
    failed = {k for k, v in values.items() if v is None}
    values = {f.key: values[f.key] if values.get(f.key) is not None else f.empty for f in kind.fields}
    problems += _missing_keys(doc, kind, values, failed)
    problems += RULES.get(kind.folder, _no_rules)(doc, values) + body_problems(doc) + template_leftovers(doc)
    problems += free_text_problems(doc, kind, values)
    record = RECORD_CLASSES[kind.folder](
        id=doc.id, path=doc.path, body=doc.body, body_line=doc.body_line,
        lines={k: e.line for k, e in doc.meta.entries.items()},
        item_lines={k: item_lines(e.value) for k, e in doc.meta.entries.items()},
        **values)
    return record, problems


def _is_blank(node: Any) -> bool:
    return getattr(node, "is_null", False)


def _parse_field(doc: Document, field: Field, node: Any, problems: list[Problem]) -> Any:
    try:
        return field.type.parse(node)
    except Invalid as exc:
        problems.append(error(doc.path, exc.line, f"{field.key}: {exc.message}", field.key, exc.hint))
    except InvalidItems as exc:
        problems += [error(doc.path, p.line, f"{field.key}: {p.message}", field.key, p.hint) for p in exc.problems]
        return exc.values or None
    return None


def _check_id(doc: Document) -> list[Problem]:
    if ID_PATTERN.match(doc.id):
        return []
    if doc.id in RESERVED_IDS:  # its page would be written over the section's own list page
        kind = KINDS[doc.kind]
        return [error(doc.path, 1, f"file name '{doc.id}.md' is reserved: its page would replace the list of "
                      f"all {kind.folder} at /{kind.folder}/", "id",
                      f"name the file after the {kind.name}, e.g. '{EXAMPLE_IDS[kind.folder]}.md'")]
    suggestion = slugify(doc.id)
    hint = f"rename the file to '{suggestion}.md'" if ID_PATTERN.match(suggestion) else f"ids are {ID_RULE}"
    return [error(doc.path, 1, f"file name '{doc.id}' is not a valid id ({ID_RULE})", "id", hint)]


def _unknown_keys(doc: Document, kind: Kind) -> list[Problem]:
    problems = []
    for key, entry in doc.meta.entries.items():
        if key not in kind.keys:
            hint = did_you_mean(key, kind.keys) or f"a {kind.name} may have: {', '.join(kind.keys)}"
            problems.append(error(doc.path, entry.line, f"unknown key '{key}' for a {kind.name}", key, hint))
    return problems


def _missing_keys(doc: Document, kind: Kind, values: dict[str, Any], failed: set[str]) -> list[Problem]:
    """Required keys that are absent or empty (not those already reported as invalid)."""
    problems = []
    for field in kind.fields:
        if field.key in failed or values[field.key] not in (None, ()) or not field.required.applies(values):
            continue
        line = doc.line_of(field.key)
        condition = f" for a {field.required.when[1]} review" if field.required.when else ""
        hint = f"{field.help}, e.g. {field.key}: {_example(field)}"
        if field.required.warn:
            problems.append(warning(doc.path, line, f"'{field.key}' is missing", field.key, hint))
        elif field.required.only_warns(values):  # an older review: allowed where the public facts lack it
            problems.append(warning(doc.path, line, f"'{field.key}' is missing (allowed before "
                                    f"{field.required.warn_if_published_before} only where the public facts "
                                    f"name none)", field.key, hint))
        elif field.is_list:
            problems.append(error(doc.path, line, f"'{field.key}' needs at least one item{condition}",
                                  field.key, hint))
        else:
            problems.append(error(doc.path, line, f"'{field.key}' is required{condition}", field.key, hint))
    return problems


def _example(field: Field) -> str:
    item = getattr(field.type, "item", field.type)
    if isinstance(item, Ref):
        return "[a-theme-id]" if item.kind == "themes" else "[an-id]"
    if isinstance(item, Text):  # and its kinds (PageName)
        return "[...]" if field.is_list else "..."
    return f"[{item.example()}]" if field.is_list else item.example()


MAX_FINDINGS = 20  # per file: enough to act on, without flooding a pull request


def body_problems(doc: Document) -> list[Problem]:
    """The body's limits, then the HTML Markdown makes of it, judged element by element."""
    limits = bodies.limit_problems(doc.body)
    if limits:
        return [error(doc.path, doc.body_line + offset, message, "body", hint) for offset, message, hint in limits]
    judged = bodies.judge(bodies.published_markdown(doc.kind, doc.body))
    if judged.unconvertible:
        where = htmlcheck.locate([htmlcheck.Finding("", judged.token)], doc.body, doc.body_line)[0][0] \
            if judged.token else doc.body_line
        return [error(doc.path, where, f"the body cannot be converted: {judged.unconvertible}", "body", judged.hint)]
    return [error(doc.path, line, f"not allowed in the body: {finding.message}", "body",
                  finding.hint or (IMAGE_HINT if finding.message == htmlcheck.IMAGE else UNSAFE_HINT))
            for line, finding in htmlcheck.locate(list(judged.findings[:MAX_FINDINGS]), doc.body, doc.body_line)]


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")


def template_leftovers(doc: Document) -> list[Problem]:
    """What `new` wrote for the writer to replace, still there: its instructions (an error: they
    would be published as the review's words) and headings with nothing under them (a warning)."""
    problems = []
    for instruction in SCAFFOLD_INSTRUCTIONS:
        at = doc.body.find(instruction)
        if at >= 0:
            problems.append(error(doc.path, doc.body_line + doc.body.count("\n", 0, at),
                                  "the template's instructions are still in the body", "body",
                                  "replace them with your own text"))
    lines = doc.body.split("\n")
    headings = [(i, _HEADING.match(line)) for i, line in enumerate(lines)]
    headings = [(i, m) for i, m in headings if m]
    for n, (i, match) in enumerate(headings):
        ends = next((j for j, m in headings[n + 1:] if len(m.group(1)) <= len(match.group(1))), len(lines))
        if not any(line.strip() for line in lines[i + 1:ends]):
            problems.append(warning(doc.path, doc.body_line + i, f"section '{match.group(2)}' is empty", "body",
                                    "write it, or remove the heading"))
    return problems


UNSAFE_HINT = "write the body in plain Markdown: scripts, styles, frames, forms and event handlers are never published"
IMAGE_HINT = "describe what it shows in words, or link to it: [what it shows](https://...)"


class FreeText(NamedTuple):
    """The body or one free-text value, as written and as the page shows it."""

    text: str
    line: int  # its first line in the file
    key: str
    shown: str  # a value: as written (pages escape it); the body: its HTML's text, if bodies.judge kept it


def free_text_problems(doc: Document, kind: Kind, values: dict[str, Any]) -> list[Problem]:
    """The anonymisation guard, and what could hide a passage from it, over the body and every
    free-text field of every kind (a theme's text is published too)."""
    texts = _free_texts(doc, kind, values)
    return identifying_details(doc, kind, values, texts) + lookalike_letters(doc, texts) + \
        invisible_references(doc, texts[0].shown)


def _free_texts(doc: Document, kind: Kind, values: dict[str, Any]) -> list[FreeText]:
    """The body and every free-text field's value or item."""
    texts = [FreeText(doc.body, doc.body_line, "body", _shown_body(doc))]
    for field in kind.fields:
        item = getattr(field.type, "item", field.type)
        if field.key == "allow" or not isinstance(item, Text) or not values.get(field.key):
            continue
        items = values[field.key] if field.is_list else (values[field.key],)
        texts += [FreeText(value, _item_line(doc, field.key, value) or doc.line_of(field.key), field.key, value)
                  for value in items]
    # shown too, as text (a citation, a permanent link, a QR code) or as an address: an id, a former id
    # (its own redirect page) and the report's address, decoded as a browser shows it
    texts.append(FreeText(doc.id, 1, "id", doc.id))
    texts += [FreeText(alias, _item_line(doc, "aliases", alias) or doc.line_of("aliases"), "aliases", alias)
              for alias in values.get("aliases") or ()]
    if values.get("report_url"):
        url = values["report_url"]
        texts.append(FreeText(url, doc.line_of("report_url"), "report_url", urllib.parse.unquote_plus(url)))
    return texts


def _shown_body(doc: Document) -> str:
    """The text the body's page shows, when bodies.judge kept it: only if there may be something
    to find in it ('' too when the body is over a limit or cannot be converted)."""
    if bodies.limit_problems(doc.body):
        return ""
    return bodies.judge(bodies.published_markdown(doc.kind, doc.body)).shown


ANONYMISE_HINT = "anonymise it, or quote it under allow: if it is not identifying"
NO_ALLOW_HINT = "anonymise or remove it: a {name} describes practice, never one family, so it has no allow: list"
HIDDEN_HINT = "the source hides it with markup, character references, invisible or look-alike characters; "


def identifying_details(doc: Document, kind: Kind, values: dict[str, Any], texts: list[FreeText]) -> list[Problem]:
    """The anonymisation guard over each text as written and as the page shows it. Only the file's
    `allow:` list (reviews and briefings have one), quoting the passage exactly, lets a possible
    identifier through, so a pull request's reviewer sees every exception; an `allow:` entry that
    lets nothing through is a warning."""
    allow, used, reported = values.get("allow") or (), set(), []
    too_many = [error(doc.path, _item_line(doc, "allow", allow[MAX_ALLOW]) or doc.line_of("allow"),
                      f"allow: lists {len(allow)} passages; at most {MAX_ALLOW} are read", "allow",
                      "anonymise the text instead: an exception is for a few passages a reviewer can check")
                ] if len(allow) > MAX_ALLOW else []
    allow = allow[:MAX_ALLOW]
    forms = {hidden: [(p, q) for p in allow for q in _as_found(p, hidden) if q] for hidden in (False, True)}
    occurrences: dict[tuple[str, str], list[int]] = {}
    for free in texts:
        for found, within, hidden in _possible_identifiers(free):
            passage = next((p for p, q in forms[hidden] if _covers(occurrences, within, q, found)), None)
            if passage is not None:
                used.add(passage)
            elif len(reported) < MAX_FINDINGS:
                reported.append((free, found, hidden))
    hint = ANONYMISE_HINT if "allow" in kind.keys else NO_ALLOW_HINT.format(name=kind.name)
    return too_many + [error(doc.path, line, f"possible {found.kind} '{found.text}'" + (" as the page shows it" if hidden else ""),
                  free.key, HIDDEN_HINT + hint if hidden else hint)
            for line, (free, found, hidden) in zip(_finding_lines(doc, reported), reported)] + [
        warning(doc.path, _item_line(doc, "allow", p) or doc.line_of("allow"), f"allow: '{p}' lets nothing through", "allow",
                "remove it: no possible identifier in this file is inside it") for p in allow if p not in used]


def _possible_identifiers(free: FreeText):
    """(identifier, the text it was found in, whether the source hides it) for each possible
    identifier in the text as written, then each other one in the text as shown, read in
    `characters.latin_form` (once each: a passage the source hides may show twice, as a link's text
    and its address)."""
    written = find_identifiers(free.text)
    yield from ((found, free.text, False) for found in written)
    latin = characters.latin_form(free.shown)
    if latin == free.text:
        return  # shown as written: nothing more to find
    known = {characters.letters_and_digits(characters.latin_form(found.text)) for found in written}
    for found in find_identifiers(latin):
        if characters.letters_and_digits(found.text) not in known:
            known.add(characters.letters_and_digits(found.text))
            yield found, latin, True


def _finding_lines(doc: Document, reported: list[tuple[FreeText, Identifier, bool]]) -> list[int]:
    """The line of each reported identifier: counted in the text it was written in, or, for one the
    source hides, the line it was most likely written on. Only for those reported (MAX_FINDINGS),
    since locating one the source hides reads the whole body."""
    in_body = [found.text for free, found, hidden in reported if hidden and free.key == "body"]
    body_lines = iter(htmlcheck.locate_text(in_body, doc.body, doc.body_line, characters.latin_form) if in_body else ())
    lines = []
    for free, found, hidden in reported:
        if not hidden:
            lines.append(free.line + free.text.count("\n", 0, found.start))
        else:
            lines += [next(body_lines)] if free.key == "body" else _passage_lines(doc, free, [found.text],
                                                                                   characters.latin_form)
    return lines


def _passage_lines(doc: Document, free: FreeText, passages: list[str], form) -> list[int]:
    """The line each passage of the shown text, in `form`, was most likely written on."""
    if free.key == "body":
        return htmlcheck.locate_text(passages, doc.body, doc.body_line, form) if passages else []
    formed = form(free.text)
    return [free.line + formed.count("\n", 0, max(formed.find(passage), 0)) for passage in passages]


LOOKALIKE_HINT = ("retype it in Latin letters: a letter of another alphabet drawn like a Latin one hides a name or a "
                  "number from the anonymisation guard and from search")


def lookalike_letters(doc: Document, texts: list[FreeText]) -> list[Problem]:
    """Words that mix Latin letters with a Cyrillic letter or a Greek look-alike ('Jоhn' with a
    Cyrillic 'о') in the text as shown: the guard reads them as Latin, but a reader searching the
    source for what it reported, or a search box for the word, would not find them."""
    problems = []
    for free in texts:
        words = characters.mixed_alphabet_words(free.shown)[:MAX_FINDINGS]  # each one located reads the text
        lines = _passage_lines(doc, free, [word for word, _ in words], characters.visible)
        problems += [error(doc.path, line, f"'{word}' mixes Latin letters with {characters.describe_letter(letter)}",
                           free.key, LOOKALIKE_HINT) for line, (word, letter) in zip(lines, words)]
    return problems[:MAX_FINDINGS]


def invisible_references(doc: Document, shown: str) -> list[Problem]:
    """Invisible characters the body writes as character references ('&#8203;'): the reader refuses
    them typed (frontmatter.INVISIBLE), but sees only '&', '#' and digits. Each line's first."""
    if not invisible_pattern(shown).search(shown):
        return []
    found = [found for offset, line in enumerate(doc.body.split("\n")) if "&" in line and not INVISIBLE.search(line)
             for found in invisible_characters(html.unescape(line), doc.body_line + offset)]
    return [error(doc.path, line, f"line contains {what} written as a character reference", "body", INVISIBLE_HINT)
            for line, what in found[:MAX_FINDINGS]]


def _item_line(doc: Document, key: str, value: str) -> int | None:
    return item_lines(doc.meta.get(key).value).get(value) if doc.meta.get(key) else None


def _as_found(passage: str, hidden: bool) -> tuple[str, ...]:
    """An `allow:` passage in the form of the text an identifier was found in: as written, or as the
    page shows it, quoted from the source ('07700&nbsp;900123') or from the message ('07700 900123')."""
    return (characters.latin_form(html.unescape(passage)), characters.latin_form(passage)) if hidden else (passage,)


MAX_ALLOW = 50


def _covers(occurrences: dict, text: str, passage: str, found: Identifier) -> bool:
    """Whether an occurrence of `passage` in `text` contains the identifier `found`. Each passage's
    occurrences in a text are found once (kept in `occurrences`), then looked up by bisection:
    thousands of identifiers against every passage stay linear in the text."""
    key = (text, passage)  # the text itself, not its id: a text freed may leave its id to the next
    if key not in occurrences:
        starts, at = [], text.find(passage)
        while at != -1:
            starts.append(at)
            at = text.find(passage, at + 1)
        occurrences[key] = starts
    starts = occurrences[key]
    index = bisect.bisect_right(starts, found.start) - 1
    return index >= 0 and starts[index] + len(passage) >= found.end


def _no_rules(doc: Document, values: dict[str, Any]) -> list[Problem]:
    return []


def review_rules(doc: Document, values: dict[str, Any]) -> list[Problem]:
    """Rules that join two fields of a review."""
    return _initiated_not_after_published(doc, values) + _withdrawal_together(doc, values) \
        + _sent_to_panel_in_time(doc, values)


def _initiated_not_after_published(doc: Document, values: dict[str, Any]) -> list[Problem]:
    initiated, published = values["initiated"], values["published"]
    if initiated and published and initiated > published.last_day:
        return [error(doc.path, doc.line_of("initiated"),
                      f"initiated ({initiated}) is after published ({published})", "initiated",
                      "the decision to initiate comes before publication: check both dates")]
    return []


def _withdrawal_together(doc: Document, values: dict[str, Any]) -> list[Problem]:
    on, reason = values["withdrawn_on"], values["withdrawn_reason"]
    if bool(on) == bool(reason):
        return []
    present, absent = ("withdrawn_on", "withdrawn_reason") if on else ("withdrawn_reason", "withdrawn_on")
    return [error(doc.path, doc.line_of(present), f"'{present}' is given without '{absent}'", absent,
                  f"a withdrawal needs both; add {absent}:")]


def _sent_to_panel_in_time(doc: Document, values: dict[str, Any]) -> list[Problem]:
    sent, published = values["sent_to_panel"], values["published"]
    if not sent or not published or published.approximate:
        return []  # a month- or year-only publication date cannot be counted back in working days
    deadline = dates.working_days_before(published.first_day, PANEL_NOTICE_WORKING_DAYS)
    if sent <= deadline:
        return []
    return [warning(doc.path, doc.line_of("sent_to_panel"),
                    f"sent_to_panel ({sent}) is later than {PANEL_NOTICE_WORKING_DAYS} working days before "
                    f"publication ({published}); the latest was {deadline}", "sent_to_panel",
                    "statutory guidance: send a copy to the Panel and the Secretary of State at least "
                    "7 working days before publishing")]


RULES = {"reviews": review_rules}
