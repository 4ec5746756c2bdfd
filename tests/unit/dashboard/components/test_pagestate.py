from datetime import date

from dashboard.components import widgets as w
from dashboard.components.pagestate import control_prop
from tests.unit.dashboard.logins import client_for

PAGES_WITH_PEILDATUM = {
    "mijn-caseload", "gesprek", "team", "organisatie", "afbouw", "personeel", "voortgang",
    "maatregel",
}  # fmt: skip


def test_the_peildatum_is_read_from_the_pickers_date_other_slicers_from_value():
    picker = w.peildatum_slicer("p", date(2026, 3, 4), date(2026, 3, 4)).children[1]
    assert control_prop("peildatum") == "date"
    assert getattr(picker, control_prop("peildatum")) == "2026-03-04"
    assert control_prop("regio") == control_prop("medewerker") == "value"


def test_every_page_listens_to_and_moves_the_pickers_date(sample_url):
    app, _client = client_for(sample_url)
    inputs, outputs = set(), set()
    for key, spec in app.callback_map.items():
        inputs |= {(i["id"], i["property"]) for i in spec["inputs"] if "peildatum" in i["id"]}
        outputs |= {part.split("@")[0] for part in key.split("...") if "peildatum" in part}
    assert inputs == {(f"{page}-peildatum", "date") for page in PAGES_WITH_PEILDATUM}
    assert outputs == {f"{page}-peildatum.date" for page in PAGES_WITH_PEILDATUM}


def test_the_reports_trend_start_is_a_picker_too(sample_url):
    app, _client = client_for(sample_url)
    inputs = {
        (i["id"], i["property"])
        for spec in app.callback_map.values()
        for i in spec["inputs"]
        if i["id"] == "voortgang-vanaf"
    }
    assert inputs == {("voortgang-vanaf", "date")}
