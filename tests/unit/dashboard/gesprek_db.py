"""A sample database for the recorded caseloadgesprek: the sample export plus a
praktijkbegeleider of another team (2002, Team Zuid) and a gedragswetenschapper of Sanne's team
(2003), with accounts; Marleen (2001) guides Sanne (1001). Shared by the tests of
dashboard.gesprek_vastleggen and dashboard.mijn_afspraken."""

import datetime as dt
import shutil

from etl.gebruikers import add_user
from etl.loader import load_source
from tests.frames import SAMPLE_EXPORT
from tests.unit.dashboard.logins import PASSWORD, client_for, login
from tests.unit.dashboard.test_forged_requests import callback, url_id

EXPORT_DATE = dt.date(2025, 11, 1)
SEARCH = "?medewerker=1001&peildatum=2025-11-01"
NOTE = "Werkdruk besproken, verlof in december"
ACCOUNTS = {
    "marleen": ("praktijkbegeleider", "2001"),
    "piet": ("praktijkbegeleider", "2002"),
    "gert": ("gedragswetenschapper", "2003"),
    "sanne": ("jeugdzorgwerker", "1001"),
}


def build_database(folder) -> str:
    """The sample export plus 2002 and 2003 loaded into folder, with the accounts; its URL."""
    export = folder / "export"
    shutil.copytree(SAMPLE_EXPORT, export)
    with (export / "medewerkers.csv").open("a") as out:
        out.write("2002,Piet Bakker,praktijkbegeleider,DRE-A,0.8,2019-04-01,,vast,,2024-04-01,"
                  "2027-04-01,ja,m2002@voorbeeld-gi.example\n"
                  "2003,Gert Mulder,gedragswetenschapper,GRN-A,0.8,2019-04-01,,vast,,"
                  "2024-04-01,2027-04-01,ja,m2003@voorbeeld-gi.example\n")  # fmt: skip
    url = f"sqlite:///{folder / 'gesprek.sqlite'}"
    result = load_source(export, url, EXPORT_DATE, False)
    assert result.status == "geslaagd", result.message
    for name, (rol, medewerker) in ACCOUNTS.items():
        add_user(url, name, rol, medewerker, PASSWORD)
    return url


def form(**rows) -> dict:
    """The record callback's values: the talk on the peildatum, a general note, one note on
    M2025-0101 and the afspraken given as n -> (text, owner, deadline)."""
    values = {
        ("gesprek-datum", "date"): "2025-11-01",
        ("gesprek-notitie", "value"): NOTE,
        ("gesprek-notitie-1-maatregel", "value"): "M2025-0101",
        ("gesprek-notitie-1-tekst", "value"): "Plan bijstellen",
        (url_id("gesprek"), "search"): SEARCH,
        ("gesprek-vastleggen", "n_clicks"): 1,
    }
    for n, (text, owner, deadline) in rows.items():
        i = n.removeprefix("a")
        values |= {
            (f"gesprek-afspraak-{i}-tekst", "value"): text,
            (f"gesprek-afspraak-{i}-eigenaar", "value"): owner,
            (f"gesprek-afspraak-{i}-deadline", "date"): deadline,
        }
    return values


def record_talk(url: str):
    """Marleen records a talk with Sanne with two afspraken, through the page's callback."""
    app, client = client_for(url)
    login(client, "marleen")
    response = callback(app, client, "gesprek-melding.children", form(
        a1=("Plan M2025-0101 bijstellen", "1001", "2025-11-14"),
        a2=("Intervisie plannen", "2001", "2025-11-21"),
    ))  # fmt: skip
    assert response.status_code == 200, response.text
    assert "Vastgelegd: caseloadgesprek van 01-11-2025 met 2 afspraken" in response.text
    return response
