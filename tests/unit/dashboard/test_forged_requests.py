"""Requests posted straight to Dash's callback endpoint, the way an attacker would: the scope
always follows the logged-in account, and every attempt outside it is in the audit log."""

import base64
import io
import json

import polars as pl
import pypdf
import pytest

from dashboard.components.pagestate import control_prop
from tests.ops import download_payload
from tests.unit.dashboard.logins import build_database, client_for, events, last_event_id, login


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("forged"))


def _id(raw: str):
    return json.loads(raw) if raw.startswith("{") else raw


def _prop_id(component_id) -> str:
    """A component id as Dash names it in changedPropIds: a plain id as it is, a dict as JSON."""
    return component_id if isinstance(component_id, str) else json.dumps(component_id)


def callback(app, client, output_part: str, values: dict):
    """Post the callback whose output names output_part, with the given input/state values
    ((id, property) -> value; the rest None); returns the HTTP response."""
    key = next(k for k in app.callback_map if output_part in k)
    spec = app.callback_map[key]

    def items(group):
        return [
            {"id": _id(i["id"]), "property": i["property"],
             "value": values.get((i["id"], i["property"]))}
            for i in spec[group]
        ]  # fmt: skip

    outputs = [
        {"id": _id(part.split(".")[0]), "property": part.split(".")[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]
    inputs = items("inputs")
    payload = {
        "output": key,
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": [f"{_prop_id(inputs[0]['id'])}.{inputs[0]['property']}"],
        "state": items("state"),
    }
    return client.post("/_dash-update-component", json=payload)


def url_id(page: str) -> str:
    return json.dumps({"page": page, "type": "pagina-url"}, separators=(",", ":"))


def page_callback(app, client, page: str, controls: dict, search: str = ""):
    values = {(f"{page}-{k}", control_prop(k)): v for k, v in controls.items()}
    values[(url_id(page), "search")] = search
    values[(url_id(page), "pathname")] = f"/{page}"
    return callback(app, client, f"{page}-body.children", values)


def download(app, client, table: str, page: str, search: str):
    payload = download_payload(table, search, page)
    response = client.post("/_dash-update-component", json=payload)
    if response.status_code != 200:
        return response, None
    file = response.json["response"]["download"]["data"]
    content = base64.b64decode(file["content"])
    return response, pl.read_csv(io.BytesIO(content), separator=";", infer_schema=False)


def refusals(url: str, after: int) -> list[tuple]:
    log = events(url, after).filter(pl.col("actie") == "geweigerd")
    return log.select("gebruikersnaam", "onderwerp").rows()


def test_a_jeugdzorgwerker_asking_for_another_workers_caseload_sees_only_their_own(url):
    app, client = client_for(url)
    login(client, "sanne")
    before = last_event_id(url)
    response = page_callback(
        app, client, "mijn-caseload",
        {"peildatum": "2025-11-01", "medewerker": "1002"}, "?medewerker=1002",
    )  # fmt: skip
    assert response.status_code == 200
    body = response.text
    assert "M2025-0103" not in body and "Youssef" not in body  # 1002's measure and name
    assert "M2025-0101" in body  # her own
    assert ("sanne", "medewerker 1002") in refusals(url, before)
    shown = events(url, before).filter(pl.col("actie") == "medewerker_bekeken")
    assert shown["onderwerp"].to_list() == ["1001"]


def test_a_forged_download_for_another_worker_holds_only_own_rows_and_is_logged(url):
    app, client = client_for(url)
    login(client, "sanne")
    before = last_event_id(url)
    _, rows = download(app, client, "mijn_maatregelen", "mijn-caseload", "?medewerker=1002")
    assert set(rows["Maatregel"]) == {"M2025-0101", "M2025-0102"}
    assert ("sanne", "medewerker 1002") in refusals(url, before)
    exported = events(url, before).filter(pl.col("actie") == "export").row(0, named=True)
    assert (exported["onderwerp"], exported["details"]) == ("mijn_maatregelen", "2 rijen, csv")


def test_a_teammanager_asking_for_another_team_gets_nothing_of_it(url):
    app, client = client_for(url)
    login(client, "teamleider")
    before = last_event_id(url)
    response = page_callback(
        app, client, "team", {"peildatum": "2025-11-01", "regio": None, "team": "DRE-A"},
        "?team=DRE-A",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Youssef" not in response.text and "1002" not in response.text
    _, rows = download(app, client, "team", "team", "?team=DRE-A")
    assert rows.height == 0
    _, own = download(app, client, "team", "team", "?team=GRN-A")
    assert own.height > 0 and "Youssef El Amrani" not in own.to_series(0).to_list()
    assert refusals(url, before).count(("teamleider", "team DRE-A")) >= 2


def test_opening_a_page_the_role_may_not_open_shows_no_data_and_is_logged(url):
    app, client = client_for(url)
    login(client, "sanne")
    before = last_event_id(url)
    for path in ("/datakwaliteit", "/audit"):
        response = callback(
            app, client, "_pages_content.children",
            {("_pages_location", "pathname"): path, ("_pages_location", "search"): ""},
        )  # fmt: skip
        assert response.status_code == 200
        assert "niet bedoeld voor uw rol" in response.text
        assert "Laadgeschiedenis" not in response.text and "Auditlog" not in response.text
    assert refusals(url, before) == [("sanne", "/datakwaliteit"), ("sanne", "/audit")]
    response, log = download(app, client, "audit_log", "audit", "")
    assert response.status_code == 403 and log is None


def test_page_views_are_logged_with_the_page_and_its_parameters(url):
    app, client = client_for(url)
    login(client, "teamleider")
    before = last_event_id(url)
    callback(
        app, client, "_pages_content.children",
        {("_pages_location", "pathname"): "/caseloadgesprek",
         ("_pages_location", "search"): "?medewerker=1001"},
    )  # fmt: skip
    logged = events(url, before).select("actie", "onderwerp", "details").rows()
    assert ("pagina", "/caseloadgesprek", "medewerker=1001") in logged
    # Once per page, however many of its sections and slicers ask whose caseload it is.
    assert [row for row in logged if row[0] == "medewerker_bekeken"] == [
        ("medewerker_bekeken", "1001", None)
    ]


def test_without_a_session_every_forged_request_is_refused_and_logged(url):
    app, client = client_for(url)
    before = last_event_id(url)
    assert page_callback(app, client, "mijn-caseload", {"medewerker": "1002"}).status_code == 401
    response, rows = download(app, client, "mijn_maatregelen", "mijn-caseload", "")
    assert response.status_code == 401 and response.data == b"" and rows is None
    # One row for both: anonymous refusals are folded per client address and minute.
    assert refusals(url, before) == [(None, "/_dash-update-component")]
    assert events(url, before)["aantal"].to_list() == [2]


def test_the_beheerder_reads_the_audit_log_and_exports_it(url):
    app, client = client_for(url)
    login(client, "sanne")
    page_callback(app, client, "mijn-caseload", {"peildatum": "2025-11-01", "medewerker": "1002"})
    client.delete_cookie("session")
    login(client, "beheer")
    response = page_callback(app, client, "audit", {"dagen": "1", "actie": "geweigerd"})
    assert response.status_code == 200 and "medewerker 1002" in response.text
    _, log = download(app, client, "audit_log", "audit", "?dagen=1&actie=geweigerd")
    assert log.height > 0 and set(log["Actie"]) == {"Geweigerd"}
    assert "medewerker 1002" in log["Onderwerp"].to_list()


def test_the_report_workbook_download_is_logged_as_an_export(url):
    app, client = client_for(url, demo=True)
    login(client, "demo-manager", "demo")
    before = last_event_id(url)
    clicked = {
        ("voortgang-excel", "n_clicks"): 1,
        (url_id("voortgang"), "search"): "",
    }
    response = callback(app, client, "voortgang-download.data", clicked)
    assert response.status_code == 200
    assert response.json["response"]["voortgang-download"]["data"]["filename"].endswith(".xlsx")
    exported = events(url, before).filter(pl.col("actie") == "export")
    assert exported.select("gebruikersnaam", "onderwerp", "details").rows() == [
        ("demo-manager", "voortgangsrapportage", "werkboek, xlsx")
    ]


def test_a_jeugdzorgwerker_asking_for_another_workers_measure_gets_nothing_of_it(url):
    app, client = client_for(url)
    login(client, "sanne")
    before = last_event_id(url)
    response = page_callback(
        app, client, "maatregel", {"maatregel": "M2025-0103", "peildatum": "2025-11-01"},
        "?maatregel=M2025-0103",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Deze maatregel is er niet of u mag hem niet zien" in response.text
    assert "Youssef" not in response.text and "Termijnen en hun geschiedenis" not in response.text
    _, rows = download(app, client, "maatregel_termijnen", "maatregel", "?maatregel=M2025-0103")
    assert rows.height == 0
    assert refusals(url, before) == [("sanne", "maatregel M2025-0103")] * 2
    assert events(url, before).filter(pl.col("actie") == "maatregel_bekeken").height == 0
    response = page_callback(
        app, client, "maatregel", {"maatregel": "M2025-0101", "peildatum": "2025-11-01"}
    )  # fmt: skip
    assert "Termijnen en hun geschiedenis" in response.text
    shown = events(url, before).filter(pl.col("actie") == "maatregel_bekeken")
    assert shown.select("gebruikersnaam", "onderwerp").rows() == [("sanne", "M2025-0101")]


def pdf_download(client, table: str, page: str, search: str):
    """The PDF button of a page pressed, or forged: the shared download with fmt pdf."""
    payload = json.loads(
        json.dumps(download_payload(table, search, page)).replace('"fmt": "csv"', '"fmt": "pdf"')
    )
    button = payload["inputs"][0][0]["id"]
    payload["changedPropIds"] = [json.dumps(button, separators=(",", ":"), sort_keys=True)
                                 + ".n_clicks"]  # fmt: skip
    response = client.post("/_dash-update-component", json=payload)
    if response.status_code != 200:
        return response, None
    file = response.json["response"]["download"]["data"]
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(file["content"])))
    return response, " ".join(p.extract_text() for p in reader.pages)


def test_a_forged_pdf_of_a_talk_holds_only_what_the_account_may_see_and_is_logged(url):
    app, client = client_for(url)
    login(client, "sanne")
    response, _ = pdf_download(client, "gesprek_document", "gesprek", "?medewerker=1001")
    assert response.status_code == 403
    client.delete_cookie("session")
    login(client, "teamleider")
    before = last_event_id(url)
    response, text = pdf_download(client, "gesprek_document", "gesprek", "?medewerker=1002")
    assert response.status_code == 200
    assert "M2025-0103" not in text and "Youssef" not in text  # 1002's measure and name
    assert ("teamleider", "medewerker 1002") in refusals(url, before)
    exported = events(url, before).filter(pl.col("actie") == "export")
    assert exported.select("onderwerp").rows() == [("gesprek_document",)]
    assert exported["details"][0].endswith("rijen, pdf")


def vaststellen_request(app, client, toelichting: str):
    values = {(url_id("voortgang"), "search"): "", ("voortgang-vaststellen", "n_clicks"): 1,
              ("voortgang-toelichting-0", "value"): toelichting}  # fmt: skip
    return callback(app, client, "voortgang-vaststelling-melding.children", values)


def test_only_mt_may_vaststellen_the_report_even_by_a_forged_request(url):
    from queries.rapportversies import versies
    from queries.scope import MANAGER
    from store.engine import make_engine

    app, client = client_for(url, demo=True)
    login(client, "teamleider")
    before = last_event_id(url)
    assert vaststellen_request(app, client, "Vervalst").status_code == 403
    clicked = {("voortgang-versie-pdf", "n_clicks"): 1, ("voortgang-versie", "value"): 1}
    assert callback(app, client, "voortgang-versie-download.data", clicked).status_code == 403
    response, _ = pdf_download(client, "voortgangsrapportage", "voortgang", "")
    assert response.status_code == 403
    assert [r[0] for r in refusals(url, before)] == ["teamleider"] * 3
    engine = make_engine(url)
    try:
        assert versies(engine, MANAGER).height == 0
        client.delete_cookie("session")
        login(client, "demo-manager", "demo")
        response = vaststellen_request(app, client, "Eerste versie voor de inspecties.")
        assert response.status_code == 200 and "Vastgesteld als versie" in response.text
        kept = versies(engine, MANAGER)
    finally:
        engine.dispose()
    assert kept["vastgesteld_door"].to_list() == ["demo-manager"]
    assert "Eerste versie voor de inspecties." in kept["toelichting"][0]
    done = events(url, before).filter(pl.col("actie") == "vastgesteld")
    assert done["gebruikersnaam"].to_list() == ["demo-manager"]
    versie = int(kept["id"][0])
    clicked = {("voortgang-versie-pdf", "n_clicks"): 1, ("voortgang-versie", "value"): versie}
    response = callback(app, client, "voortgang-versie-download.data", clicked)
    file = response.json["response"]["voortgang-versie-download"]["data"]
    assert file["filename"] == f"voortgangsrapportage_versie_{versie}.pdf"
    assert base64.b64decode(file["content"]).startswith(b"%PDF")
    exported = events(url, before).filter(pl.col("actie") == "export")
    assert exported.select("onderwerp", "details").rows()[-1] == (f"rapportversie {versie}", "pdf")
    # Whatever a forger puts in the choice, the callback answers without failing.
    forged = clicked | {("voortgang-versie", "value"): "1; DROP TABLE"}
    response = callback(app, client, "voortgang-versie-download.data", forged)
    assert response.status_code == 200 and "voortgang-versie-download" not in response.text
