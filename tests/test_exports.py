"""The schema's derivatives agree with it: docs, the contract's tables, JSON Schema, scaffolds."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.exports import field_reference, generated_files, json_schema, theme_choices
from generator.frontmatter import Mapping, Sequence, read_document
from generator.schema import KINDS

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT.parent / "shared" / "contract.md"


def test_committed_schemas_and_field_reference_are_generated_from_schema() -> None:
    files = generated_files(theme_choices(ROOT / "content"))
    assert sorted(files) == ["docs/front-matter.md", "schemas/briefing.json", "schemas/review.json",
                             "schemas/theme.json"]
    for name, text in files.items():
        assert (ROOT / name).read_text(encoding="utf-8") == text, "run: python -m generator schema --write"
    assert files["docs/front-matter.md"] == field_reference(theme_choices(ROOT / "content"))


def contract_tables() -> dict[str, dict[str, str]]:
    """key -> 'required' column, per kind, from the contract's Markdown tables."""
    text = CONTRACT.read_text(encoding="utf-8")
    tables = {}
    for heading, folder in (("### Review", "reviews"), ("### Briefing", "briefings"), ("### Theme", "themes")):
        section = text.split(heading, 1)[1].split("\n#", 1)[0]
        rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| ")][1:]
        tables[folder] = {key.strip(): row[2].strip() for row in rows for key in row[0].split(",")}
    return tables


@pytest.mark.skipif(not CONTRACT.exists(), reason="../shared/contract.md is not beside the repository")
@pytest.mark.parametrize("folder", sorted(KINDS))
def test_contract_tables_agree_with_schema(folder: str) -> None:
    contract = contract_tables()[folder]
    kind = KINDS[folder]
    assert sorted(contract) == sorted(kind.keys)
    for f in kind.fields:
        ours = f.required.describe(f.is_list, f.default)
        assert _required_class(contract[f.key]) == _required_class(ours), f.key
        conditional = re.match(r"(local): ", contract[f.key])
        assert bool(conditional) == bool(f.required.when), f.key


def _required_class(text: str) -> str:
    return "optional" if text.startswith("no") else "required"


def plain(node):
    """Front-matter nodes to the JSON an editor would validate: scalars as YAML 1.2 resolves them
    (numbers, booleans, null; a date stays a string)."""
    if isinstance(node, Mapping):
        return {k: plain(e.value) for k, e in node.entries.items()}
    if isinstance(node, Sequence):
        return [plain(i) for i in node.items]
    return yaml.safe_load(node.text) if node.tag.endswith((":int", ":float", ":bool", ":null")) else node.text


@pytest.mark.parametrize("folder", sorted(KINDS))
def test_json_schema_is_valid_and_accepts_shipped_content(folder: str) -> None:
    schema = json_schema(KINDS[folder])
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted((ROOT / "content" / folder).glob("*.md"))
    for file in files:
        doc, problems = read_document(file, file.name, folder)
        jsonschema.validate(plain(doc.meta), schema)


def test_json_schema_rejects_what_validate_rejects() -> None:
    schema = json_schema(KINDS["reviews"])
    good = {"title": "T", "type": "local", "published": "2026-03", "partnership": "P", "regions": ["london"],
            "themes": ["neglect"], "harm": ["neglect"], "summary": "S", "report_url": "https://example.org/r.pdf"}
    jsonschema.validate(good, schema)
    for change in ({"theme": ["neglect"]}, {"type": "serious"}, {"regions": []}, {"report_url": "ftp://x"},
                   {"published": "5 March 2026"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, **change}, schema)
    national = {k: v for k, v in good.items() if k not in ("partnership", "regions", "harm")}
    jsonschema.validate({**national, "type": "national"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in good.items() if k != "report_url"}, schema)
    jsonschema.validate({**{k: v for k, v in good.items() if k != "report_url"}, "publication": "improvements-only"},
                        schema)


def test_schema_lists_theme_ids_and_refuses_others() -> None:
    themes = theme_choices(ROOT / "content")
    schema = json_schema(KINDS["reviews"], themes)
    assert schema["properties"]["themes"]["items"]["enum"] == sorted(themes) and "neglect" in themes
    good = {"title": "T", "type": "national", "published": "2026-03", "themes": ["neglect"], "summary": "S",
            "report_url": "https://example.org/r.pdf"}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "themes": ["neglekt"]}, schema)
