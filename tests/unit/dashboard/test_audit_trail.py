"""dashboard.audit_trail: what a request asks for, whose address it is, and what is logged."""

import flask
import pytest

from dashboard import audit_trail
from queries.gebruikers import Account
from queries.scope import Viewer
from tests.unit.dashboard.logins import events, last_event_id

SANNE = Account("sanne", "jeugdzorgwerker", "1001")
PB = Viewer("praktijkbegeleider", "2001")


def test_requested_params_read_the_url_and_the_slicers_of_a_callback():
    body = {
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/team"},
            {"id": "_pages_location", "property": "search", "value": "?peildatum=2025-10-01"},
            [{"id": {"type": "pagina-url", "page": "team"}, "property": "search",
              "value": "?regio=Drenthe"}],
        ],
        "state": [{"id": "caseloadgesprek-medewerker", "property": "value", "value": "1002"}],
    }  # fmt: skip
    params, pathname, search = audit_trail.requested_params(body)
    assert (pathname, search) == ("/team", "?peildatum=2025-10-01")
    assert params == {"peildatum": "2025-10-01", "regio": "Drenthe", "medewerker": "1002"}


@pytest.mark.parametrize(
    "hops, forwarded, expected",
    [
        ("", "6.6.6.6", "10.0.0.9"),  # no proxy: what the client wrote is never trusted
        ("1", "6.6.6.6, 192.0.2.7", "192.0.2.7"),  # the proxy's own hop
        ("2", "6.6.6.6, 192.0.2.7, 10.1.1.1", "192.0.2.7"),
        ("1", "", "10.0.0.9"),
        ("x", "192.0.2.7", "10.0.0.9"),
    ],
)
def test_the_client_address_trusts_only_the_proxies_it_is_told_of(
    app, monkeypatch, hops, forwarded, expected
):
    monkeypatch.setenv(audit_trail.PROXY_HOPS_ENV, hops)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    environ = {"REMOTE_ADDR": "10.0.0.9"}
    with app.server.test_request_context("/", headers=headers, environ_base=environ):
        assert audit_trail.client_address() == expected


def test_a_request_outside_the_scope_is_refused_and_logged_once(app, sample_url):
    before = last_event_id(sample_url)
    with app.server.test_request_context("/"):
        flask.g.account = Account("pb", PB.role, PB.medewerker_id)
        for _ in range(2):
            refused = audit_trail.check_scope(PB, {"medewerker": "9999", "team": "GRN-A"}, "/team")
            assert refused == ["medewerker 9999"]
    logged = events(sample_url, before)
    assert logged.select("actie", "onderwerp", "details").rows() == [
        ("geweigerd", "medewerker 9999", "buiten bereik (/team)")
    ]


def test_a_page_opened_is_a_view_or_a_refusal_by_role(app, sample_url):
    before = last_event_id(sample_url)
    with app.server.test_request_context("/"):
        flask.g.account = SANNE
        audit_trail.page_view(SANNE.viewer, "/mijn-caseload", "?peildatum=2025-10-01")
        audit_trail.page_view(SANNE.viewer, "/personeel", "")
        audit_trail.page_view(SANNE.viewer, "/bestaat-niet", "")
    logged = events(sample_url, before).select("actie", "onderwerp", "details").rows()
    assert logged == [
        ("pagina", "/mijn-caseload", "peildatum=2025-10-01"),
        ("geweigerd", "/personeel", "pagina niet voor deze rol"),
    ]
