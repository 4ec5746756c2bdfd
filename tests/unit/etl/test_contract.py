"""etl/contract.py mirrors the shared data contract and the database schema."""

import re
from pathlib import Path

import pytest

from etl.contract import FILES, SPECS, identifier
from store.schema import DATA_TABLES, metadata

CONTRACT_MD = Path(__file__).resolve().parents[3] / "docs" / "data-contract.md"


def _contract_table() -> dict[str, list[tuple[str, bool, tuple[str, ...]]]]:
    """file -> [(column, required, codes)] as the markdown table states them."""
    files = {}
    for line in CONTRACT_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] not in {s.name for s in FILES}:
            continue
        # Split on commas outside parentheses: "soort (`a` | `b`), naam".
        parts = re.split(r",\s*(?![^()]*\))", "|".join(cells[2:]))
        columns = []
        for part in parts:
            m = re.match(r"\s*(\*\*)?(\w+)(\*\*)?\s*(\((.*)\))?", part)
            codes = tuple(re.findall(r"`([^`]+)`", m.group(5) or ""))
            columns.append((m.group(2), bool(m.group(1)), codes))
        files[cells[0]] = columns
    return files


def test_every_contract_file_has_a_spec_and_a_table():
    documented = _contract_table()
    assert set(documented) == set(SPECS) == {t.name for t in DATA_TABLES}
    assert documented["teams"][3] == ("soort", True, ("regulier", "CCP", "CRT"))


@pytest.mark.parametrize("name", [s.name for s in FILES])
def test_spec_matches_the_markdown_contract(name):
    documented = _contract_table()[name]
    spec = SPECS[name]
    assert [c for c, _, _ in documented] == list(spec.column_names)
    assert [c for c, req, _ in documented if req] == list(spec.required_columns)
    for column, _, codes in documented:
        if codes and spec.column(column).kind == "code":
            assert spec.column(column).codes == codes


@pytest.mark.parametrize("name", [s.name for s in FILES])
def test_table_has_the_contract_columns(name):
    table = [c.name for c in metadata.tables[name].columns]
    assert [c for c in table if c != "id"] == list(SPECS[name].column_names)


def test_references_point_at_files_with_one_identifier():
    for spec in FILES:
        for ref in spec.refs:
            assert identifier(ref.target) in SPECS[ref.target].column_names


def test_references_only_point_backwards_in_load_order():
    order = [s.name for s in FILES]
    for spec in FILES:
        for ref in spec.refs:
            assert order.index(ref.target) <= order.index(spec.name)


def test_only_the_praktijkbegeleider_link_is_dropped_instead_of_rejecting():
    optional = [(s.name, r.column) for s in FILES for r in s.refs if r.drop_link]
    assert optional == [("medewerkers", "begeleider_id")]
    assert not SPECS["medewerkers"].column("begeleider_id").required


def test_rejecting_references_point_at_files_validated_earlier():
    # The loader checks them against the accepted rows of files it has already validated.
    order = [s.name for s in FILES]
    for spec in FILES:
        for ref in spec.refs:
            if not ref.drop_link:
                assert order.index(ref.target) < order.index(spec.name), (spec.name, ref)
