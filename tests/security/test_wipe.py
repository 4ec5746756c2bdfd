"""Finding 6: a load that would wipe good data stops, unless forced; the demo always forces."""

import datetime as dt
import shutil

import pytest
import sqlalchemy as sa

from etl.__main__ import main
from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT

DAY = dt.date(2025, 11, 1)


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        counts = {
            t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
            for t in ("contacten", "medewerkers", "maatregelen")
        }
        counts["runs"] = conn.execute(sa.text("SELECT COUNT(*) FROM etl_runs")).scalar()
    engine.dispose()
    return counts


def _export(tmp_path, emptied: str, keep: int = 0):
    source = tmp_path / "export"
    shutil.copytree(SAMPLE_EXPORT, source)
    path = source / f"{emptied}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[: 1 + keep]) + "\n", encoding="utf-8")
    return source


def test_a_header_only_file_stops_the_load_and_changes_nothing(db_url, tmp_path, capsys):
    assert load_source(SAMPLE_EXPORT, db_url, DAY, False).status == "geslaagd"
    before = _counts(db_url)
    source = _export(tmp_path, "contacten")
    code = main(["load", str(source), "--db", db_url, "--export-date", "2025-11-02"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Mislukt, er is niets veranderd" in out
    assert "contacten: 0 rijen om te laden, de vorige lading had er 4" in out
    assert "--force" in out
    after = _counts(db_url)
    assert after == before | {"runs": before["runs"] + 1}


def test_a_file_whose_every_row_fails_is_a_wipe_too(sqlite_url, tmp_path):
    assert load_source(SAMPLE_EXPORT, sqlite_url, DAY, False).status == "geslaagd"
    source = tmp_path / "export"
    shutil.copytree(SAMPLE_EXPORT, source)
    path = source / "medewerkers.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    # Every fte out of range: each row is rejected, so no staff would be left.
    bad = [",".join(v if i != 4 else "9" for i, v in enumerate(r.split(","))) for r in rows]
    path.write_text("\n".join([header, *bad]) + "\n", encoding="utf-8")
    result = load_source(source, sqlite_url, DAY, False)
    assert result.exit_code == 1
    assert "medewerkers: 0 rijen om te laden, de vorige lading had er 4" in result.message
    assert _counts(sqlite_url)["medewerkers"] == 4


@pytest.mark.parametrize("keep, refused", [(1, True), (2, False)])
def test_under_half_of_the_previous_rows_is_refused(sqlite_url, tmp_path, keep, refused):
    assert load_source(SAMPLE_EXPORT, sqlite_url, DAY, False).status == "geslaagd"
    result = load_source(_export(tmp_path, "contacten", keep), sqlite_url, DAY, False)
    assert (result.exit_code == 1) is refused
    assert _counts(sqlite_url)["contacten"] == (4 if refused else keep)


def test_force_loads_a_gi_that_really_shrank(sqlite_url, tmp_path, capsys):
    assert load_source(SAMPLE_EXPORT, sqlite_url, DAY, False).status == "geslaagd"
    source = _export(tmp_path, "contacten")
    code = main(["load", str(source), "--db", sqlite_url, "--export-date", "2025-11-02", "--force"])
    assert code == 0, capsys.readouterr().out
    assert _counts(sqlite_url)["contacten"] == 0


def test_the_first_load_has_nothing_to_wipe(sqlite_url, tmp_path):
    result = load_source(_export(tmp_path, "contacten"), sqlite_url, DAY, False)
    assert result.status == "geslaagd", result.message


def test_the_scheduled_load_never_forces_and_logs_the_refusal(sqlite_url, tmp_path, caplog):
    from etl import schedule

    assert load_source(SAMPLE_EXPORT, sqlite_url, DAY, False).status == "geslaagd"
    source = _export(tmp_path, "contacten")
    with caplog.at_level("ERROR", logger="etl.schedule"):
        assert schedule.run_once(source, sqlite_url) == 1
    assert "contacten: 0 rijen om te laden, de vorige lading had er 4" in caplog.text
    assert _counts(sqlite_url)["contacten"] == 4
