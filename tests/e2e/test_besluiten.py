"""Decisions on the Afbouw proposal in Chromium: the JBN demo's teammanager of Team
Noord-Drenthe accepts two proposed transfers into the own team and rejects one; after a load
in which one of them arrived the page shows it as aangekomen and the other as wacht. Its own
database and app, so that the decisions and the extra load leave the other browser tests alone."""

import shutil
from datetime import date, timedelta

import polars as pl
import pytest
from playwright.sync_api import expect

from etl.loader import load_source
from queries.audit import audit_log
from queries.config import load_config
from queries.gebruikers import demo_accounts
from queries.scope import Viewer, own_team
from queries.snapshot import load_snapshot
from queries.werktoedeling import voorstel
from store.engine import make_engine
from tests.e2e.conftest import open_page, option, own_jbn_db, serve, view_as

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def besluiten_db(tmp_path_factory, jbn_export) -> str:
    return own_jbn_db(tmp_path_factory, jbn_export, "e2e-besluiten")


@pytest.fixture(scope="module")
def base_url(besluiten_db):
    yield from serve(besluiten_db, "e2e-besluiten-app.log")


def arrived_export(source, target, maatregel_id: str, naar: str, team: str, op: date):
    """A copy of the export in which maatregel_id passes from its holder to naar on op."""
    shutil.copytree(source, target)
    path = target / "toewijzingen.csv"
    rows = pl.read_csv(path, infer_schema=False)
    current = (pl.col("maatregel_id") == maatregel_id) & pl.col("tot").is_null()
    assert rows.filter(current).height == 1
    handed = rows.with_columns(
        pl.when(current).then(pl.lit(op.isoformat())).otherwise(pl.col("tot")).alias("tot")
    )
    new = pl.DataFrame(
        [{"maatregel_id": maatregel_id, "medewerker_id": naar, "team_id": team,
          "rol": "jeugdzorgwerker", "vanaf": op.isoformat(), "tot": None}],
        schema=dict.fromkeys(rows.columns, pl.String),
    )  # fmt: skip
    pl.concat([handed, new]).write_csv(path)
    return target


def choose(page, label: str) -> None:
    page.click("#afbouw-besluit-keuze")
    option(page, label, exact=True).click()


def decide(page, label: str, button: str, reden: str | None = None) -> None:
    choose(page, label)
    if reden:
        page.fill("#afbouw-besluit-reden", reden)
    page.click(f"#afbouw-{button}")
    # The message names this measure once the redrawn proposal and controls are in place.
    expect(page.locator("#afbouw-besluit-melding")).to_contain_text(
        f"Vastgelegd: overdracht van {label.split()[0]} "
    )
    expect(page.locator("#afbouw-besluiten [data-dash-is-loading=true]")).to_have_count(0)


def stand(page, maatregel_id: str):
    row = page.locator("#afbouw-besluiten-stand .ag-center-cols-container .ag-row").filter(
        has_text=maatregel_id
    )
    return row.locator("[col-id=status_tekst]")


def test_a_teammanager_decides_and_the_next_load_shows_what_arrived(
    page, besluiten_db, jbn_export, tmp_path
):
    engine = make_engine(besluiten_db)
    snap, config = load_snapshot(engine), load_config()
    tm = next(a.viewer for a in demo_accounts(engine) if a.rol == "teammanager")
    day = snap.export_date
    plan = voorstel(snap, tm, day, config, "afbouw")
    mine = plan.filter(pl.col("naar_team_id") == own_team(snap, tm))
    assert mine.height >= 3, "de JBN-demo stelt minder dan drie overdrachten naar dit team voor"
    rows = list(mine.head(3).iter_rows(named=True))
    labels = [f"{r['maatregel_id']} naar {r['naar_naam']} ({r['naar_team_naam']})" for r in rows]

    view_as(page, "teammanager")
    open_page(page, "/afbouw", "#afbouw-besluit-keuze", "Afbouw CCP/CRT (besluiten)")
    decide(page, labels[0], "accepteren", "past bij de wijk")
    decide(page, labels[1], "accepteren")
    decide(page, labels[2], "afwijzen", "ontvanger kent het gezin niet")
    expect(stand(page, rows[0]["maatregel_id"])).to_have_text("wacht")
    expect(stand(page, rows[1]["maatregel_id"])).to_have_text("wacht")
    expect(page.locator("#afbouw-voorstel")).not_to_contain_text(rows[0]["maatregel_id"])

    # The next export: the first accepted transfer was registered the day after the decision.
    source, _ = jbn_export
    arrived = rows[0]
    later = arrived_export(source, tmp_path / "export", arrived["maatregel_id"],
                           arrived["naar_medewerker_id"], arrived["naar_team_id"],
                           day + timedelta(days=1))  # fmt: skip
    result = load_source(later, besluiten_db, day + timedelta(days=2), False, demo=True)
    assert result.status == "geslaagd", result.message
    open_page(page, "/afbouw", "#afbouw-besluiten-stand .ag-row", "Afbouw CCP/CRT (na de load)")
    expect(stand(page, rows[0]["maatregel_id"])).to_have_text("aangekomen")
    expect(stand(page, rows[1]["maatregel_id"])).to_have_text("wacht")

    log = audit_log(engine, Viewer("beheerder")).filter(pl.col("actie") == "besluit").sort("id")
    assert log.select("gebruikersnaam", "onderwerp").rows() == [
        ("demo-teammanager", r["maatregel_id"]) for r in rows
    ]
    assert [d.split(":")[0] for d in log["details"]] == [
        "geaccepteerd",
        "geaccepteerd",
        "afgewezen",
    ]
    engine.dispose()
