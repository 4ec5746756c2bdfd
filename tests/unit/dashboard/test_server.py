import base64
import hashlib
import re
import threading
import time

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


def test_health_says_ready_once_this_process_warmed_the_latest_load(app):
    from dashboard import data

    stop = threading.Event()
    client = app.server.test_client()
    before = client.get("/health").json
    data._warmed.update(run_id=None, alles=None)
    health = client.get("/health").json
    assert health["gereed"] is False and health["alles_gereed"] is False
    data.keep_warm(every=0.05, stop=stop)
    try:
        for _ in range(600):
            if client.get("/health").json["alles_gereed"]:
                break
            time.sleep(0.1)
        assert client.get("/health").json["gereed"] is True
        assert client.get("/health").json["alles_gereed"] is True
    finally:
        stop.set()
    assert before["run_id"] == data.warmed_run() == data.fully_warmed_run()
    # Pointed at a database anew, the process has warmed nothing there yet.
    data.configure(str(data._state["url"]))
    health = client.get("/health").json
    assert health["gereed"] is False and health["alles_gereed"] is False


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


# Python, Dash, plotly, werkzeug, Flask and gunicorn versions, as a header or page would name
# them: "Werkzeug/3.1.8", "Python/3.11.7", "dash 4.4.1", "?v=4.4.1".
VERSION = re.compile(
    r"(werkzeug|python|dash|plotly|flask|gunicorn)\W{0,2}v?\d+\.\d+|v=\d+\.\d+", re.I
)


def test_the_login_and_error_pages_allow_no_inline_style(failing_app):
    """Finding 10: 'unsafe-inline' only where plotly.js and AG Grid need it, on Dash's pages."""
    client = failing_app.server.test_client()
    strict = {
        "/login": client.get("/login"),
        "404": client.get("/assets/bestaat-niet.css"),
        "500": client.get("/kapot", headers={"Accept": "text/html"}),
    }
    strict["405"] = client.post("/health")
    _logged_in(client)
    for name, answer in strict.items():
        csp = answer.headers["Content-Security-Policy"]
        assert "style-src 'self';" in csp and "unsafe-inline" not in csp, name
        assert "style=" not in answer.get_data(as_text=True), name
    page = client.get("/mijn-caseload")
    assert page.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in page.headers["Content-Security-Policy"]


def test_the_login_and_error_pages_name_no_version(failing_app):
    """Finding 10 (the Server headers are replayed in tests/security/test_login_hardening)."""
    client = failing_app.server.test_client()
    for path in ("/login", "/health", "/assets/bestaat-niet.js", "/kapot"):
        answer = client.get(path, headers={"Accept": "text/html"})
        assert not VERSION.search(answer.get_data(as_text=True)), path
        assert not VERSION.search(str(answer.headers)), path


def test_health_tells_details_only_to_this_machine_and_the_beheerder(app):
    """Finding 10: /health told anyone the latest run id and export date."""
    client = app.server.test_client()
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    bare = client.get("/health", environ_base=outside)
    assert bare.status_code == 200 and bare.data == b""
    relayed = client.get("/health", headers={"X-Forwarded-For": "203.0.113.9"})
    assert relayed.status_code == 200 and relayed.data == b""
    assert client.get("/health").json["status"] == "ok"  # loopback: the compose healthcheck

    _logged_in(client)  # a jeugdzorgwerker
    assert client.get("/health", environ_base=outside).data == b""
    beheer = app.server.test_client()
    token = CSRF.search(beheer.get("/login").get_data(as_text=True)).group(1)
    form = {"csrf": token, "gebruikersnaam": "demo-beheerder", "wachtwoord": "demo"}
    assert beheer.post("/login", data=form).status_code == 303
    assert beheer.get("/health", environ_base=outside).json["run_id"] >= 1


def test_health_without_a_load_is_a_bare_503_from_outside(tmp_path):
    empty = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    upgrade(empty)
    client = create_app(empty, demo=False).server.test_client()
    answer = client.get("/health", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert answer.status_code == 503 and answer.data == b""
