"""A page's roles hold for every callback and download of that page, not only for opening it:
a request forged straight to Dash's callback endpoint gets 403 where the session's role may not
use the page, and each refusal is one line in the audit log.

The oracle is the page registry: the roles each page gave dash.register_page, and which page a
callback or a download belongs to (its ids start with the page's PAGE, its table is built in
the page's module).
"""

import json
import sys

import dash
import polars as pl
import pytest
from dash import Input, Output
from dash._callback import GLOBAL_CALLBACK_LIST, GLOBAL_CALLBACK_MAP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import data
from dashboard.app import create_app
from dashboard.components.exports import EXPORT_ROLES, EXPORTS
from dashboard.components.guard import REFUSED, UndeclaredCallbackError, declare, undeclared
from etl.gebruikers import add_user
from etl.loader import load_source
from queries.scope import ROLES
from tests.frames import SAMPLE_EXPORT
from tests.ops import download_payload
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.logins import PASSWORD, client_for, events, last_event_id, login

CALLBACK_PATH = "/_dash-update-component"
DOWNLOAD = "..download.data...export-melding.children.."
ROUTER = ".._pages_content.children..._pages_store.data.."


# rol -> medewerker_id: 1001 works in team GRN-A, 2001 is its praktijkbegeleider.
PEOPLE = {
    "jeugdzorgwerker": "1001",
    "praktijkbegeleider": "2001",
    "gedragswetenschapper": "2001",
    "teammanager": "2001",
    "manager": None,
    "beheerder": None,
}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    """The sample database with a (real, not demo) account for every role."""
    url = f"sqlite:///{tmp_path_factory.mktemp('rollen') / 'rollen.sqlite'}"
    result = load_source(SAMPLE_EXPORT, url, export_date=EXPORT_DATE, progress=False)
    assert result.status == "geslaagd", result.message
    for rol in ROLES:
        add_user(url, f"rol-{rol}", rol, PEOPLE[rol], PASSWORD)
    return url


@pytest.fixture(scope="module")
def site(url):
    """One app, and a client logged in for every role."""
    app, _client = client_for(url)
    clients = {}
    for rol in ROLES:
        clients[rol] = app.server.test_client()
        assert login(clients[rol], f"rol-{rol}").status_code == 303
    return app, clients


@pytest.fixture(autouse=True)
def _this_database(url):
    data.configure(url)


def _id(raw: str):
    return json.loads(raw) if raw.startswith("{") else raw


def _prop_id(item: dict) -> str:
    cid = item["id"]
    text = json.dumps(cid, separators=(",", ":"), sort_keys=True) if isinstance(cid, dict) else cid
    return f"{text}.{item['property']}"


def forge(client, app, key: str, values: dict):
    """Post callback `key` as a browser would, with the given (id, property) -> value for its
    inputs and state (None for the rest), triggered by its first input."""
    spec = app.callback_map[key]

    def items(group):
        return [
            {"id": _id(i["id"]), "property": i["property"],
             "value": values.get((i["id"], i["property"]))}
            for i in spec[group]
        ]  # fmt: skip

    outputs = [
        {"id": _id(part.rsplit(".", 1)[0]), "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]
    inputs = items("inputs")
    payload = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": [_prop_id(inputs[0])],
        "state": items("state"),
    }
    return client.post(CALLBACK_PATH, json=payload)


def download(client, table: str, search: str = ""):
    """The CSV button of `table` pressed; the page's URL component holds `search`."""
    payload = download_payload(table, search)
    return client.post(CALLBACK_PATH, json=payload)


def page_roles() -> dict[str, tuple[str, ...]]:
    """The PAGE prefix of each page's ids -> the roles the page registered with."""
    out = {}
    for page in dash.page_registry.values():
        prefix = getattr(sys.modules[page["module"]], "PAGE", None)
        if prefix:
            out[prefix] = tuple(page["roles"])
    return out


def roles_of_callback(key: str) -> tuple[str, ...]:
    """Who may use the page a callback belongs to; the Pages router serves every page."""
    if key == ROUTER:
        return ROLES
    first = _id(key.strip(".").split("...")[0].rsplit(".", 1)[0])
    pages = page_roles()
    if isinstance(first, dict):
        return pages[first["page"]]
    owners = [p for p in pages if first.startswith(f"{p}-")]
    assert len(owners) == 1, f"callback {key} hoort niet bij precies één pagina"
    return pages[owners[0]]


def roles_of_table(table: str) -> tuple[str, ...]:
    """Who may use the page whose module builds the table; a section shared by pages (a talk's
    afspraken) is open to the narrower roles it registered, never beyond a page's."""
    build = EXPORTS[table]
    module = getattr(build, "func", build).__module__
    if module in dash.page_registry:
        return tuple(dash.page_registry[module]["roles"])
    roles = EXPORT_ROLES[table]
    widest = {r for page in dash.page_registry.values() for r in page["roles"]}
    assert set(roles) <= widest, f"export {table} staat open voor rollen zonder pagina"
    return roles


def values_for(app, key: str) -> dict:
    """Inputs a browser on the callback's page would send: its path, an empty query."""
    spec = app.callback_map[key]
    pathname = "/"
    for page in dash.page_registry.values():
        prefix = getattr(sys.modules[page["module"]], "PAGE", None)
        if prefix and prefix in key:
            pathname = page["path"]
    values = {}
    for item in spec["inputs"] + spec["state"]:
        if item["property"] == "pathname":
            values[(item["id"], "pathname")] = pathname
        elif item["property"] == "search":
            values[(item["id"], "search")] = ""
    return values


def refusals(url: str, after: int) -> pl.DataFrame:
    return events(url, after).filter(pl.col("actie") == "geweigerd")


def server_callbacks(app) -> list[str]:
    """Callbacks the server runs (clientside ones have no function here), but the shared
    download, which is drawn per table."""
    return [k for k, spec in app.callback_map.items() if "callback" in spec and k != DOWNLOAD]


# More examples than roles x targets (about 200): Hypothesis does not draw the same choice
# twice, so every pair is tried.
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(choice=st.data())
def test_a_forged_callback_or_download_is_refused_exactly_where_the_page_is_not_for_the_role(
    site, url, choice
):
    app, clients = site
    rol = choice.draw(st.sampled_from(ROLES), label="rol")
    target = choice.draw(
        st.sampled_from(
            [("callback", k) for k in server_callbacks(app)]
            + [("export", t) for t in sorted(EXPORTS)]
        ),
        label="doel",
    )
    kind, name = target
    before = last_event_id(url)
    if kind == "callback":
        allowed = rol in roles_of_callback(name)
        response = forge(clients[rol], app, name, values_for(app, name))
    else:
        allowed = rol in roles_of_table(name)
        response = download(clients[rol], name)
    refused = refusals(url, before)
    if allowed:
        assert response.status_code != 403, (rol, target)
        assert refused.height == 0, (rol, target, refused.rows())
    else:
        assert response.status_code == 403, (rol, target)
        assert response.text == REFUSED
        assert refused.select("gebruikersnaam", "rol").rows() == [(f"rol-{rol}", rol)]


def test_every_callback_the_app_serves_has_declared_roles(site):
    app, _clients = site
    assert ROUTER in app.callback_map  # Dash Pages adds it on the first request
    assert undeclared(app) == []


@pytest.mark.parametrize("rol", ["praktijkbegeleider", "gedragswetenschapper"])
def test_the_personeel_page_is_refused_to_a_role_without_it_however_it_is_asked(site, url, rol):
    app, clients = site
    key = next(k for k in app.callback_map if k.startswith("..personeel-body.children"))
    asked = values_for(app, key) | {("personeel-peildatum", "date"): EXPORT_DATE.isoformat()}
    names = data.snapshot()["medewerkers"]["naam"].to_list()
    before = last_event_id(url)

    response = forge(clients[rol], app, key, asked)

    assert response.status_code == 403
    assert not [n for n in names if n in response.text]
    assert refusals(url, before).select("rol", "onderwerp", "details").rows() == [
        (rol, "personeel-body.children", f"callback niet voor de rol {rol}")
    ]
    # The same request from a teammanager is a real one: it shows their team's staff.
    shown = forge(clients["teammanager"], app, key, asked)
    assert shown.status_code == 200 and [n for n in names if n in shown.text]


def test_a_jeugdzorgwerker_downloading_mt_tables_is_refused_and_logged(site, url):
    app, clients = site
    before = last_event_id(url)
    for table in ("organisatie_teams", "personeel_vog_skj", "afbouw_voorstel"):
        response = download(clients["jeugdzorgwerker"], table)
        assert response.status_code == 403 and b"content" not in response.data
    workbook = next(k for k in app.callback_map if k.startswith("..voortgang-download.data"))
    clicked = {("voortgang-excel", "n_clicks"): 1}
    assert forge(clients["jeugdzorgwerker"], app, workbook, clicked).status_code == 403
    logged = events(url, before)
    assert logged.filter(pl.col("actie") == "export").height == 0
    assert logged.select("actie", "gebruikersnaam", "onderwerp").rows() == [
        ("geweigerd", "rol-jeugdzorgwerker", "export organisatie_teams"),
        ("geweigerd", "rol-jeugdzorgwerker", "export personeel_vog_skj"),
        ("geweigerd", "rol-jeugdzorgwerker", "export afbouw_voorstel"),
        ("geweigerd", "rol-jeugdzorgwerker", "voortgang-download.data"),
    ]
    # Their own page's table is theirs to download.
    assert download(clients["jeugdzorgwerker"], "mijn_termijnen").status_code == 200


def test_a_download_naming_a_second_table_is_refused_unless_both_are_the_roles(site, url):
    _app, clients = site
    own = {"fmt": "csv", "table": "team", "type": "export"}
    other = {"fmt": "csv", "table": "personeel_vog_skj", "type": "export"}
    payload = {
        "output": DOWNLOAD,
        "outputs": [
            {"id": "download", "property": "data"},
            {"id": "export-melding", "property": "children"},
        ],
        "inputs": [[{"id": own, "property": "n_clicks", "value": 1},
                    {"id": other, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(b, separators=(",", ":"), sort_keys=True) + ".n_clicks"
                           for b in (own, other)],
        "state": [[]],
    }  # fmt: skip
    response = clients["praktijkbegeleider"].post(CALLBACK_PATH, json=payload)
    assert response.status_code == 403
    payload["changedPropIds"] = {p: 1 for p in payload["changedPropIds"]}
    assert clients["praktijkbegeleider"].post(CALLBACK_PATH, json=payload).status_code == 403


def test_an_unknown_output_is_refused_and_logged(site, url):
    _app, clients = site
    before = last_event_id(url)
    response = clients["manager"].post(CALLBACK_PATH, json={"output": "geheim.children"})
    assert response.status_code == 403
    assert refusals(url, before).select("onderwerp", "details").rows() == [
        ("geheim.children", "callback zonder toegestane rollen")
    ]


def test_a_role_name_that_does_not_exist_is_refused_when_declared():
    with pytest.raises(ValueError, match="managr"):
        declare("iets.children", ("managr",))


@pytest.fixture
def clean_callback_list():
    """Whatever a test registers with dash.callback is gone afterwards."""
    saved_list, saved_map = list(GLOBAL_CALLBACK_LIST), dict(GLOBAL_CALLBACK_MAP)
    yield
    GLOBAL_CALLBACK_LIST[:] = saved_list
    GLOBAL_CALLBACK_MAP.clear()
    GLOBAL_CALLBACK_MAP.update(saved_map)


def test_the_app_refuses_to_start_with_a_callback_without_roles(url, clean_callback_list):
    dash.callback(Output("zonder-rollen", "children"), Input("zonder-rollen-knop", "n_clicks"))(
        lambda clicks: clicks
    )
    with pytest.raises(UndeclaredCallbackError, match=r"zonder-rollen\.children"):
        create_app(url)
