"""A load has limits: a file wider than 100 columns or with a line over 64 KiB is refused before
it is parsed (quickly, in bounded memory, nothing changed); a reported value keeps 200
characters and its length; Datakwaliteit shows the reported rows a hundred at a time."""

import json
import subprocess
import sys
import textwrap

import openpyxl
import polars as pl
import pytest

from dashboard import data
from etl.__main__ import print_summary
from etl.loader import MISLUKT, clipped, load_source
from etl.reader import SourceError, read_source
from queries.laadhistorie import rejected_rows
from queries.scope import Viewer
from tests.ops import ROOT, database_state
from tests.unit.dashboard.logins import PASSWORD, client_for, csrf_of
from tests.unit.etl.fixtures import SAMPLE_EXPORT_DATE, append, copy_sample

BEHEERDER = Viewer("beheerder")
LONG = 60_000


@pytest.fixture
def loaded(db_url, tmp_path):
    """A database holding the sample export, and a fresh copy of it to spoil."""
    good = copy_sample(tmp_path, "goed")
    assert load_source(good, db_url, SAMPLE_EXPORT_DATE, False).status == "geslaagd"
    return db_url, copy_sample(tmp_path, "bron")


def _refused(url: str, source, expected: str) -> None:
    before = database_state(url)
    result = load_source(source, url, SAMPLE_EXPORT_DATE, False)
    assert result.status == MISLUKT
    assert expected in result.message, result.message
    after = database_state(url)
    assert {k: v for k, v in after.items() if k != "etl_runs"} == {
        k: v for k, v in before.items() if k != "etl_runs"
    }
    assert after["etl_runs"][0] == before["etl_runs"][0] + 1  # the refusal, logged


def test_a_file_with_more_than_100_columns_is_refused(loaded):
    url, source = loaded
    path = source / "teams.csv"
    lines = path.read_text().splitlines()
    lines[0] += "".join(f",extra{i}" for i in range(97))
    path.write_text("\n".join(lines) + "\n")
    _refused(
        url, source, "teams.csv is niet te lezen: de kopregel heeft 101 kolommen, meer dan de 100"
    )


def test_a_line_over_64_kib_is_refused_naming_it(loaded):
    url, source = loaded
    append(source, "teams", "T9,Team " + "x" * 70_000 + ",Groningen,regulier")
    _refused(
        url, source, "teams.csv is niet te lezen: regel 5 is 70.027 bytes lang, meer dan de 64 KiB"
    )


def test_a_million_columns_are_refused_at_once_in_little_memory(tmp_path):
    source = copy_sample(tmp_path)
    header = ",".join(f"k{i}" for i in range(1_000_000))
    (source / "contacten.csv").write_text(header + "\n" + ",".join("1" * 1_000_000) + "\n")
    probe = textwrap.dedent(
        f"""
        import json, resource, sys, time
        from pathlib import Path
        from etl.contract import SPECS
        from etl.reader import SourceError, read_source
        start = time.monotonic()
        try:
            read_source(Path({str(source)!r}), SPECS)
            message = None
        except SourceError as exc:
            message = str(exc)
        print(json.dumps({{"seconds": time.monotonic() - start, "message": message,
                          "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout)
    assert measured["message"].startswith("contacten.csv is niet te lezen: regel 1 is ")
    assert measured["seconds"] < 5
    assert measured["peak_kb"] < 1024 * 1024  # under 1 GB (was 6.3 GB)


def test_a_workbook_sheet_wider_than_100_columns_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "teams"
    book.active.append([f"kolom{i}" for i in range(150)])
    book.save(tmp_path / "export.xlsx")
    with pytest.raises(SourceError, match="tabblad teams is niet te lezen: de kopregel heeft meer"):
        read_source(tmp_path / "export.xlsx", ["teams"])


def test_a_long_rejected_value_is_stored_and_printed_as_200_characters_and_its_length(
    loaded, capsys
):
    url, source = loaded
    append(source, "teams", "T9,Team Negen,Groningen," + "s" * LONG)
    append(source, "toewijzingen", f"M2025-0101,{'9' * LONG},GRN-A,jeugdzorgwerker,2025-10-01,")
    result = load_source(source, url, SAMPLE_EXPORT_DATE, False)
    assert result.status == "gedeeltelijk"
    stored = rejected_rows(data_engine(url), BEHEERDER).sort("bestand")
    assert stored["waarde"].to_list() == [
        "s" * 200 + "…(60.000 tekens)",
        "9" * 200 + "…(60.000 tekens)",
    ]
    reason = stored.filter(pl.col("bestand") == "toewijzingen.csv")["reden"][0]
    assert reason.startswith("onbekende medewerker: " + "9" * 200 + "…(60.000 tekens) komt")
    print_summary(result, source)
    assert len(capsys.readouterr().out) < 5_000


def test_the_length_of_a_clipped_value_is_written_with_dots():
    frame = pl.DataFrame({"v": ["a" * 20_971_520, "b" * 201, "c" * 200, None]})
    shown = frame.select(clipped(pl.col("v")))["v"].to_list()
    assert shown == [
        "a" * 200 + "…(20.971.520 tekens)",
        "b" * 200 + "…(201 tekens)",
        "c" * 200,
        None,
    ]


def data_engine(url: str):
    data.configure(url)
    return data.engine()


def test_datakwaliteit_shows_the_reported_rows_a_hundred_at_a_time(loaded):
    url, source = loaded
    append(source, "teams", *(f"T{i},Team {i},Groningen,{'x' * 2_000}" for i in range(250)))
    result = load_source(source, url, SAMPLE_EXPORT_DATE, False)
    assert result.status == "gedeeltelijk" and len(result.rejected) == 250
    from etl.gebruikers import add_user

    add_user(url, "beheer", "beheerder", None, PASSWORD)
    _, client = client_for(url)
    token = csrf_of(client.get("/login").text)
    form = {"csrf": token, "gebruikersnaam": "beheer", "wachtwoord": PASSWORD}
    assert client.post("/login", data=form).status_code == 303
    from dashboard.pages import datakwaliteit

    for page, rows, first in (("1", 100, 5), ("3", 50, 205), ("9", 50, 205)):
        section = datakwaliteit.rejected_section(BEHEERDER, {"run": "2", "pagina": page})
        grid = _find(section, "datakwaliteit-afgewezen")
        assert len(grid.rowData) == rows
        assert grid.rowData[0]["regel"] == first
    answer = client.post(
        "/_dash-update-component",
        json={
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": "/datakwaliteit"},
                {"id": "_pages_location", "property": "search", "value": "?run=2"},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        },
    )
    assert answer.status_code == 200
    # 250 values of 2,000 characters, each once in the value and not in the reason: the
    # answer used to hold them all.
    assert len(answer.data) < 150_000
    assert answer.data.count(b"x" * 200) == 100


def _find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None
