"""Deciding on the proposed waarnemer on the Team page, on the JBN demo at its export date:
two measures held in Groningen's GRN-2 have a waarnemer proposed in GRN-1."""

import polars as pl
import pytest

from dashboard import data
from dashboard import uitval as section
from queries.besluiten import read_besluiten
from queries.gebruikers import Account
from queries.scope import MANAGER
from tests.unit.dashboard.helpers import figuur_value, find, text
from tests.unit.dashboard.logins import events, last_event_id

HOLDERS = {"team": "GRN-2"}


@pytest.fixture
def team(jbn):
    """The Team page on a fresh copy of the JBN database, MT's session pushed."""
    from dashboard.pages import team

    return team


def teammanager_of(team_id: str) -> Account:
    staff = data.snapshot()["medewerkers"]
    boss = staff.filter((pl.col("team_id") == team_id) & (pl.col("functie") == "teammanager"))
    return Account(f"tm-{team_id}", "teammanager", boss["medewerker_id"][0])


def proposed(page, viewer, params=HOLDERS) -> pl.DataFrame:
    df, _ = page.uitval_rows(viewer, params)
    return df.filter(pl.col("naar_medewerker_id").is_not_null())


def test_the_receiving_teammanager_accepts_and_the_waarnemer_is_kept(team):
    first = proposed(team, MANAGER).row(0, named=True)
    tm = teammanager_of(first["naar_team_id"])
    f = team._uitval_filters(tm.viewer, HOLDERS)
    assert first["maatregel_id"] in section.decidable(tm.viewer, HOLDERS, f)["maatregel_id"]
    undecided = proposed(team, tm.viewer).height
    before = team.team_uitval(tm.viewer, HOLDERS)
    assert figuur_value(before, "uitval_te_beslissen") == str(undecided)
    message = section.decide(tm, HOLDERS, f, first["maatregel_id"], "geaccepteerd", " ken de wijk ")
    assert "Vastgelegd" in text(message)
    kept = read_besluiten(data.engine())
    assert kept.select("maatregel_id", "naar_medewerker_id", "soort", "reden").rows() == [
        (first["maatregel_id"], first["naar_medewerker_id"], "uitval", "ken de wijk")
    ]
    # The signal keeps the measure with its accepted waarnemer; it is decided, so not offered.
    row = proposed(team, tm.viewer).filter(pl.col("maatregel_id") == first["maatregel_id"])
    assert row.select("naar_medewerker_id", "besluit").rows() == [
        (first["naar_medewerker_id"], "geaccepteerd")
    ]
    assert first["maatregel_id"] not in section.decidable(tm.viewer, HOLDERS, f)["maatregel_id"]
    rendered = team.team_uitval(tm.viewer, HOLDERS)
    assert figuur_value(rendered, "uitval_te_beslissen") == str(undecided - 1)
    stand = find(rendered, "team-uitval-besluiten-stand").rowData
    assert [(r["maatregel_id"], r["status_tekst"]) for r in stand] == [
        (first["maatregel_id"], "wacht")
    ]
    export, _ = section.decisions_export(tm.viewer, HOLDERS)
    assert export["Maatregel"].to_list() == [first["maatregel_id"]]


def test_a_rejected_waarnemer_is_not_proposed_again(team):
    first = proposed(team, MANAGER).row(0, named=True)
    mt = Account("mt", "manager", "1157")
    f = team._uitval_filters(MANAGER, HOLDERS)
    assert "Vastgelegd" in text(
        section.decide(mt, HOLDERS, f, first["maatregel_id"], "afgewezen", None)
    )
    again, _ = team.uitval_rows(MANAGER, HOLDERS)
    row = again.filter(pl.col("maatregel_id") == first["maatregel_id"]).row(0, named=True)
    assert row["naar_medewerker_id"] != first["naar_medewerker_id"]
    assert read_besluiten(data.engine())["soort"].to_list() == ["uitval"]


def test_the_holders_teammanager_gets_no_buttons_and_is_refused(team):
    first = proposed(team, MANAGER).row(0, named=True)
    tm = teammanager_of(first["van_team_id"])
    assert first["naar_team_id"] != first["van_team_id"]
    f = team._uitval_filters(tm.viewer, {})
    assert section.decidable(tm.viewer, {}, f).height == 0
    assert find(team.team_uitval(tm.viewer, {}), "team-uitval-accepteren") is None
    before = last_event_id(data.engine().url.render_as_string(hide_password=False))
    message = section.decide(tm, {}, f, first["maatregel_id"], "geaccepteerd", None)
    assert "Niet vastgelegd" in text(message) and "eigen team" in text(message)
    assert read_besluiten(data.engine()).height == 0
    log = events(data.engine().url.render_as_string(hide_password=False), before)
    assert log.select("gebruikersnaam", "actie").rows() == [(tm.gebruikersnaam, "geweigerd")]


def test_mt_decides_on_the_organisatie_page_too(team):
    from dashboard.pages import organisatie

    first = proposed(team, MANAGER).row(0, named=True)
    rendered = organisatie.organisatie_uitval(MANAGER, {})
    choice = find(rendered, "organisatie-uitval-besluit-keuze")
    assert first["maatregel_id"] in [o["value"] for o in choice.options]
    assert find(rendered, "organisatie-uitval-besluit-reden").maxLength == 500
    mt = Account("mt", "manager", "1157")
    f = organisatie._filters({})
    section.decide(mt, {}, f, first["maatregel_id"], "geaccepteerd", None)
    stand = find(organisatie.organisatie_uitval(MANAGER, {}), "organisatie-uitval-besluiten-stand")
    assert [r["maatregel_id"] for r in stand.rowData] == [first["maatregel_id"]]


def test_a_waarnemer_decision_stays_off_the_afbouw_decisions(team):
    from dashboard.pages import afbouw

    first = proposed(team, MANAGER).row(0, named=True)
    f = team._uitval_filters(MANAGER, HOLDERS)
    manager = Account("mt", "manager", "1157")
    assert "Vastgelegd" in text(
        section.decide(manager, HOLDERS, f, first["maatregel_id"], "geaccepteerd", None)
    )
    shown = afbouw.decisions_section(MANAGER, {})
    assert first["maatregel_id"] not in text(shown)
    assert "Nog geen geaccepteerde overdrachten" in text(shown)
    assert figuur_value(shown, "besluiten_geaccepteerd") == "0"
