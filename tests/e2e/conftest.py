"""Browser tests: `python app.py` on loopback against a SQLite file with the JBN demo, driven by
Debian's Chromium through Playwright. Any console error or page error fails the test; every
test saves screenshots to artifacts/screenshots/ and the timings are printed at the end."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from bench import app as bench_app
from etl.gebruikers import DEMO_PASSWORD, create_demo_accounts
from etl.loader import load_source
from queries.config import load_config
from queries.gebruikers import demo_accounts
from queries.snapshot import load_snapshot
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=nl-NL",
]
TIMINGS: list[tuple[str, float]] = []
# axe-core per page visit: (visit, serious or critical nodes, all nodes), printed at the end.
AXE_COUNTS: list[tuple[str, int, int]] = []
# Generous waits: the machine is shared, and a slow page is measured, not failed.
expect.set_options(timeout=20_000)


def pytest_terminal_summary(terminalreporter):
    if AXE_COUNTS:
        terminalreporter.section("axe-core (WCAG 2.1 AA): knooppunten per pagina")
        terminalreporter.write_line(f"{'bezoek':<60} {'ernstig':>8} {'totaal':>8}")
        for visit, serious, total in AXE_COUNTS:
            terminalreporter.write_line(f"{visit:<60} {serious:>8} {total:>8}")
    if not TIMINGS:
        return
    terminalreporter.section("Gemeten tijden in de browser (JBN-demo)")
    for label, seconds in TIMINGS:
        terminalreporter.write_line(f"{label:<60} {seconds * 1000:8.0f} ms")


def record(label: str, seconds: float) -> None:
    """Measure and print, never assert: the machine is shared."""
    TIMINGS.append((label, seconds))
    print(f"{label}: {seconds * 1000:.0f} ms")


def _broken_sample(target: Path) -> Path:
    """The sample export with two rows that break the contract, for the rejected-rows view."""
    shutil.copytree(SAMPLE_EXPORT, target)
    with (target / "contacten.csv").open("a", encoding="utf-8") as f:
        f.write("K9,M9999-0001,1001,2025-10-01,face-to-face,jeugdige,ja\n")
        f.write("K10,M2025-0101,1001,31-02-2025,face-to-face,jeugdige,ja\n")
    return target


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory, jbn_export) -> str:
    """Run 1: a sample export with rejected rows; run 2 (the latest): the JBN demo."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'jbn.sqlite'}"
    # A demo database throughout: demo accounts exist only where every load was a demo.
    first = load_source(_broken_sample(folder / "kapot"), url, date(2025, 11, 1), False, demo=True)
    assert first.status == "gedeeltelijk", first.message
    source, export_date = jbn_export
    demo = load_source(source, url, export_date, False, force=True, demo=True)
    assert demo.status == "geslaagd", demo.message
    create_demo_accounts(url, export_date)
    return url


@pytest.fixture(scope="session")
def snap(e2e_db):
    engine = make_engine(e2e_db)
    yield load_snapshot(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def demo(e2e_db):
    """The demo accounts the app offers (created by `python -m etl demo`), by role."""
    engine = make_engine(e2e_db)
    accounts = demo_accounts(engine)
    engine.dispose()
    return {a.rol: a.viewer for a in accounts}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_jbn_db(tmp_path_factory, jbn_export, name: str) -> str:
    """A JBN demo database with the demo accounts, for a test whose writes (decisions, an extra
    load) must leave the shared browser database alone."""
    url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'jbn.sqlite'}"
    source, export_date = jbn_export
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    create_demo_accounts(url, export_date)
    return url


def serve(db_url: str, log_name: str = "e2e-app.log"):
    """`python app.py` in a subprocess against db_url, the way a user starts it; yields its URL."""
    port = _free_port()
    env = os.environ | {
        "CASELOAD_DB_URL": db_url,
        "CASELOAD_SECRET_KEY": "e2e-test-sleutel",
        "CASELOAD_DEMO": "1",
    }
    log = (ROOT / "artifacts").joinpath(log_name)
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"app.py startte niet; zie {log}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def base_url(e2e_db):
    yield from serve(e2e_db)


# Package scope: Playwright's sync API must be stopped before another suite (the load test)
# starts its own, or that one finds this one's event loop still running.
@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: installeer het Debian-pakket chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh browser context (no session yet); fails the test on console or page errors."""
    context = browser.new_context(
        base_url=base_url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1366, "height": 900},
        accept_downloads=True,
    )
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    yield tab
    context.close()
    assert not errors, "Fouten in de browserconsole:\n" + "\n".join(errors)


def view_as(page, key: str) -> None:
    """Log in as the demo account of role `key` through the real login form."""
    page.goto("/login")
    page.fill("#gebruikersnaam", f"demo-{key}")
    page.fill("#wachtwoord", DEMO_PASSWORD)
    page.click("#inloggen")
    page.wait_for_url(lambda url: "/login" not in url)


def option(page, name, exact: bool = False):
    """The option of an open dropdown whose radio (or checkbox) is named `name`: its label, which
    is what a user clicks (the input itself is drawn zero wide)."""
    choice = page.get_by_role("radio", name=name, exact=exact).or_(
        page.get_by_role("checkbox", name=name, exact=exact)
    )
    return page.locator("label.dash-options-list-option").filter(has=choice)


def open_page(page, path: str, ready: str, label: str) -> None:
    """Navigate and wait until the page's content is on screen; records the load time."""
    start = time.perf_counter()
    page.goto(path)
    page.wait_for_selector(ready, state="visible")
    record(f"laden {label}", time.perf_counter() - start)


def reveal_deferred(page, timeout: float = 60) -> None:
    """Scroll to each part the page draws only when scrolled near, until every one is drawn."""
    if not bench_app.reveal_deferred(page, timeout):
        pytest.fail(f"een uitgesteld deel niet getekend binnen {timeout} s")


def wait_until(page, expression: str, timeout: float = 20) -> None:
    """Poll a JavaScript expression until it is true. page.wait_for_function would compile it
    with new Function once it polls, which the app's CSP (no unsafe-eval) refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"{expression} werd niet waar binnen {timeout} s")
        page.wait_for_timeout(100)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reveal_deferred(page)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
