import base64
import hashlib
import re

import pytest
import sqlalchemy as sa

from dashboard.app import create_app
from etl.migrations import upgrade

SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S)
# Dash's Internet Explorer warning sits in a conditional comment no current browser runs.
COMMENT = re.compile(r"<!--.*?-->", re.S)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _logged_in(client) -> None:
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post(
        "/login",
        data={"csrf": token, "gebruikersnaam": "demo-jeugdzorgwerker", "wachtwoord": "demo"},
    )
    assert answer.status_code == 303


def test_every_response_carries_the_security_headers(app):
    client = app.server.test_client()
    for path in ("/login", "/health", "/_dash-layout", "/bestaat-niet.js"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "'unsafe-eval'" not in csp and "script-src 'self' 'sha256-" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"


def test_the_policy_allows_exactly_the_inline_scripts_dash_puts_in_its_page(app):
    client = app.server.test_client()
    _logged_in(client)
    page = client.get("/mijn-caseload")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    inline = [
        body
        for attrs, body in SCRIPT.findall(COMMENT.sub("", page.get_data(as_text=True)))
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_health_answers_without_a_login(app):
    answer = app.server.test_client().get("/health")
    assert answer.status_code == 200
    assert answer.json["status"] == "ok"
    assert answer.json["run_id"] >= 1


def test_health_is_503_without_a_load_or_without_a_database(tmp_path):
    empty = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    upgrade(empty)
    answer = create_app(empty, demo=False).server.test_client().get("/health")
    assert answer.status_code == 503
    assert answer.json["status"] == "geen export"

    gone = f"sqlite:///{tmp_path / 'bestaat-niet' / 'weg.sqlite'}"
    answer = create_app(gone, demo=False).server.test_client().get("/health")
    assert answer.status_code == 503
    assert answer.json["status"] == "database niet bereikbaar"


@pytest.fixture
def failing_app(sample_url):
    app = create_app(sample_url, demo=True)

    @app.server.get("/kapot")
    def _broken():
        raise RuntimeError("geheim detail uit de code")

    @app.server.get("/database-weg")
    def _database_gone():
        raise sa.exc.OperationalError("SELECT geheim", {}, Exception("verbinding weg"))

    return app


def test_an_unexpected_error_is_a_dutch_page_without_a_trace(failing_app):
    client = failing_app.server.test_client()
    _logged_in(client)
    answer = client.get("/kapot", headers={"Accept": "text/html"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 500
    assert "Er ging iets mis" in body
    assert "geheim" not in body and "Traceback" not in body and "RuntimeError" not in body

    answer = client.get("/database-weg")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "De database is tijdelijk niet bereikbaar" in body
    assert "geheim" not in body and "SELECT" not in body


def test_a_broken_callback_request_gets_a_dutch_json_error(app):
    client = app.server.test_client()
    _logged_in(client)
    answer = client.post(
        "/_dash-update-component", data="{geen json", content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json == {"fout": "Dit verzoek klopt niet."}
    answer = client.post(
        "/_dash-update-component",
        json={"output": "bestaat-niet.children", "outputs": {}, "inputs": [], "changedPropIds": []},
    )
    assert answer.status_code == 403
    assert answer.get_data(as_text=True) == "Geen toegang: deze gegevens zijn niet voor uw rol."
    answer = client.post(
        "/_dash-update-component",
        json={"output": "..download.data...export-melding.children..", "outputs": {},
              "inputs": [], "changedPropIds": []},
    )  # fmt: skip
    assert answer.status_code == 500
    assert answer.json["fout"].startswith("Er ging iets mis")
    assert "Traceback" not in answer.get_data(as_text=True)


def test_an_unknown_file_is_a_dutch_404(app):
    answer = app.server.test_client().get("/assets/bestaat-niet.js")
    assert answer.status_code == 404
    assert "Deze pagina bestaat niet." in answer.get_data(as_text=True)


def test_assets_named_with_their_version_are_kept_by_the_browser(app):
    client = app.server.test_client()
    versioned = client.get("/assets/style.css?m=1")
    assert versioned.status_code == 200
    assert "immutable" in versioned.headers["Cache-Control"]
    plain = client.get("/assets/style.css")
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    assert client.get("/_dash-layout").headers["Cache-Control"] == "no-store"
