"""One figure, one number: every registered figure read from what the user gets (tile text,
grid rows, CSV and Excel cells, the report screen and workbook, the command line), parsed from
the Dutch format and never by asking the registry again, is the same number wherever it is
shown for the same scope and peildatum. On the JBN demo at the issue's three peildata."""

import base64
import io
import json
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from dash.development.base_component import Component

from dashboard import data
from dashboard.components.exports import EXPORTS, export_file
from dashboard.viewer import current_viewer
from etl.loader import load_source
from queries.figuren import REGISTER
from queries.rapportage import SUMMARY_KEYS, column_name
from tests.unit.dashboard.helpers import drawn_deferred, walk

ROOT = Path(__file__).resolve().parents[3]
PEILDATA = (date(2025, 9, 30), date(2026, 2, 15), date(2026, 3, 4))
# A grid row is about the most specific of these it names (a measure, a worker, a team, a
# region); rows naming none (a month, a soort
# of hulp, a holder kind) are breakdowns, compared in their own tests.
SCOPE_COLUMNS = ("maatregel_id", "medewerker_id", "team_id", "regio")
ORGANISATIE = ()


def dutch_number(text) -> float | None:
    """'82,6%', '8,0 dagen', '1.234', '–' as the number a reader takes from it."""
    if isinstance(text, int | float) or text is None:
        return text
    word = str(text).strip().split(" ")[0].rstrip("%")
    if word in ("–", "-", ""):
        return None
    return float(word.replace(".", "").replace(",", "."))


class Seen:
    """What each place showed: (figure, scope, peildatum) -> [(place, value)]."""

    def __init__(self) -> None:
        self.values: dict[tuple, list[tuple[str, float | None]]] = defaultdict(list)

    def add(self, key: str, scope: tuple, day: date, place: str, value) -> None:
        number = dutch_number(value)
        self.values[(key, scope, day)].append((place, None if number is None else float(number)))

    def disagreements(self) -> list[str]:
        out = []
        for (key, scope, day), shown in self.values.items():
            if len({v for _, v in shown}) > 1:
                out.append(f"{key} {dict(scope) or 'organisatie'} op {day}: {shown}")
        return out


def row_scope(row: dict) -> tuple | None:
    """The most specific scope a grid row names; None for a breakdown row."""
    for column in SCOPE_COLUMNS:
        if row.get(column) is not None:
            return ((column, row[column]),)
    return None


def _is_chart(node: Component) -> bool:
    """A chart names the figure it draws; its series are months, not the peildatum's number."""
    return any(getattr(n, "figure", None) is not None for n in walk(node))


def _shown(node: Component):
    """The number an element naming a figure shows: its text, or its tile's big number."""
    if isinstance(node.children, str | int | float):
        return node.children
    value = next((n for n in walk(node) if getattr(n, "className", None) == "kpi-value"), None)
    assert value is not None, f"{getattr(node, 'data-figuur')}: geen getal in {node}"
    return value.children


def collect_tree(seen: Seen, tree, page: str, scope: tuple, day: date) -> None:
    """Tiles (data-figuur) at the page's scope; grid cells of figure columns at their row's."""
    for node in walk(tree):
        if not isinstance(node, Component):
            continue
        key = getattr(node, "data-figuur", None)
        if key in REGISTER and not _is_chart(node):
            seen.add(key, scope, day, f"{page} tegel", _shown(node))
        columns = getattr(node, "columnDefs", None)
        rows = getattr(node, "rowData", None)
        if columns and rows:
            fields = [c["field"] for c in columns if c.get("field") in REGISTER]
            for row in rows:
                where = row_scope(row)
                for field in fields if where is not None else ():
                    seen.add(field, where, day, f"{page} tabel {node.id}", row[field])


def collect_export(seen: Seen, table: str, viewer, params: dict, day: date) -> None:
    """The CSV and Excel files of an exported table, read back by their Dutch headers."""
    _df, columns = EXPORTS[table](viewer, params)
    header_key = {c["headerName"]: c["field"] for c in columns if c.get("field") in REGISTER}
    exported = {c.get("exportField", c["field"]): c["headerName"] for c in columns}
    # A team is exported by its name; read back as the team it names.
    team_ids = dict(data.snapshot()["teams"].select("naam", "team_id").iter_rows())
    for fmt in ("csv", "xlsx"):
        raw = base64.b64decode(export_file(table, fmt, viewer, params)["content"])
        if fmt == "csv":
            frame = pl.read_csv(io.BytesIO(raw), separator=";", infer_schema=False)
            rows = frame.to_dicts()
        else:
            sheet = list(openpyxl.load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True))
            rows = [dict(zip(sheet[0], r, strict=True)) for r in sheet[1:]]
        for row in rows:
            scope = _export_scope(row, exported, team_ids)
            for header, key in header_key.items():
                if scope is not None and header in row:
                    seen.add(key, scope, day, f"{table}.{fmt}", _cell(row[header]))


def _export_scope(row: dict, exported: dict, team_ids: dict) -> tuple | None:
    """The most specific scope an exported row names, as the screen's rows name it."""
    for column in SCOPE_COLUMNS:
        if column == "team_id" and "team_id" not in exported and "team_naam" in exported:
            name = row.get(exported["team_naam"])
            if name is not None and "medewerker_id" not in exported:
                return (("team_id", team_ids[name]),)
        header = exported.get(column)
        if header is not None and row.get(header) is not None:
            return ((column, row[header]),)
    return None


def _cell(value):
    """A CSV cell (text with a decimal comma, no thousands dot) or an Excel cell (a number)."""
    if isinstance(value, str):
        return float(value.replace(",", ".")) if value else None
    return value


def collect_report(seen: Seen, page_module, viewer, day: date) -> None:
    """The report's Samenvatting and Per regio, on screen and in the workbook."""
    params = {"peildatum": day.isoformat()}
    tree = page_module.layout(**params)
    summary = next(n for n in walk(tree) if getattr(n, "id", None) == "voortgang-samenvatting")
    for key, row in zip(SUMMARY_KEYS, summary.rowData, strict=True):
        seen.add(key, ORGANISATIE, day, "rapport scherm", row["k2"])
    regions = next(n for n in walk(tree) if getattr(n, "id", None) == "voortgang-regios")
    names = {c["headerName"]: c["field"] for c in regions.columnDefs}
    for row in regions.rowData:
        scope = ORGANISATIE if row["k0"] == "Hele organisatie" else (("regio", row["k0"]),)
        for key in SUMMARY_KEYS:
            seen.add(key, scope, day, "rapport scherm per regio", row[names[column_name(key)]])
    file, _ = page_module.download(1, f"?peildatum={day.isoformat()}")
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"])))
    sheet = list(book["Samenvatting"].iter_rows(values_only=True))
    waarde = sheet[0].index("Waarde")
    for key, row in zip(SUMMARY_KEYS, sheet[1:], strict=True):
        seen.add(key, ORGANISATIE, day, "rapport Excel", row[waarde])
    per_regio = list(book["Per regio"].iter_rows(values_only=True))
    for row in per_regio[1:]:
        scope = ORGANISATIE if row[0] == "Hele organisatie" else (("regio", row[0]),)
        for key in SUMMARY_KEYS:
            seen.add(
                key,
                scope,
                day,
                "rapport Excel per regio",
                row[per_regio[0].index(column_name(key))],
            )


@pytest.fixture(scope="module")
def jbn_url(tmp_path_factory, jbn_export) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('een-getal') / 'jbn.sqlite'}"
    source, export_date = jbn_export
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    return url


@pytest.mark.parametrize("day", PEILDATA, ids=str)
def test_every_figure_is_one_number_wherever_it_is_shown(app, as_viewer, jbn_url, day):
    from dashboard.pages import organisatie, personeel, team, voortgangsrapportage

    data.configure(jbn_url)
    as_viewer("manager")
    viewer = current_viewer()
    seen = Seen()
    params = {"peildatum": day.isoformat()}
    # Organisatie with the parts it draws when scrolled near.
    tree = drawn_deferred(organisatie, organisatie.layout(**params), viewer)
    collect_tree(seen, tree, "organisatie", ORGANISATIE, day)
    for regio in ("Groningen", "Drenthe"):
        tree = drawn_deferred(organisatie, organisatie.layout(**params, regio=regio), viewer)
        collect_tree(seen, tree, f"organisatie {regio}", (("regio", regio),), day)
    for table in ("organisatie_regios", "organisatie_teams"):
        collect_export(seen, table, viewer, params, day)
    collect_report(seen, voortgangsrapportage, viewer, day)
    collect_tree(seen, personeel.layout(**params), "personeel", ORGANISATIE, day)
    teams = data.snapshot()["teams"]
    for team_id in teams.sort("team_id")["team_id"].head(3).to_list():
        tree = team.layout(**params, team=team_id)
        collect_tree(seen, tree, f"team {team_id}", (("team_id", team_id),), day)
    cli = subprocess.run(
        [sys.executable, "-m", "queries", "kpis", "--as-of", day.isoformat(), "--db", jbn_url],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=180,
    ).stdout  # fmt: skip
    for key, value in json.loads(cli).items():
        if key in REGISTER:
            seen.add(key, ORGANISATIE, day, "python -m queries kpis", value)

    disagreements = seen.disagreements()
    assert disagreements == [], "\n".join(disagreements)
    # The comparison is about figures shown in more than one place, and there are many.
    shared = [k for k, shown in seen.values.items() if len({p for p, _ in shown}) > 1]
    assert len({key for key, _, _ in shared}) >= 15
