"""WCAG 2.1 AA with axe-core in Chromium: every registered page for every role that may open it
(read from dash.page_registry, so a page or section added later is audited too), the login
page, print views, empty and error states, an open dropdown and an open date picker. A serious
or critical violation fails the visit and is printed (rule, element, help); the count of nodes
per visit is printed at the end and kept in artifacts/axe/ for the README's list."""

import json
import re
from collections.abc import Callable

import dash
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dashboard.app import create_app
from queries.scope import ROLES
from queries.termijnen import werklijst
from tests.e2e.conftest import (
    AXE_COUNTS,
    ROOT,
    open_page,
    reveal_deferred,
    screenshot,
    view_as,
    wait_until,
)

pytestmark = pytest.mark.e2e

AXE = Axe()
# The WCAG 2.1 A and AA rules, and axe's best practices (landmarks, headings) beside them.
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING = ("serious", "critical")
# Serious findings left open, each with its reason in the README ("Remaining findings"):
# (rule, a piece of the element's HTML).
KNOWN: set[tuple[str, str]] = set()
FINDINGS = ROOT / "artifacts" / "axe"
READY = "#inhoud h1"
# Dash marks a component whose callback is running; a page is settled when none is.
SETTLED = "document.querySelector('[data-dash-is-loading=\"true\"]') === null"


def registered_pages() -> list[tuple[str, tuple[str, ...]]]:
    """(path, roles) of every page the app registers for a role, in path order."""
    create_app("sqlite://", demo=True)
    return sorted(
        (p["path"], tuple(p["roles"])) for p in dash.page_registry.values() if p.get("roles")
    )


PAGES = registered_pages()
VISITS = [(path, role) for path, roles in PAGES for role in ROLES if role in roles]


def _own_measure(snap, config, demo) -> str:
    return (
        "maatregel="
        + werklijst(snap, demo["jeugdzorgwerker"], snap.export_date, config)["maatregel_id"][0]
    )


# A page that shows a subject named in its URL gets one here; without it, its empty state.
SUBJECTS: dict[str, Callable] = {"/maatregel": _own_measure}


def visit(page, path: str, label: str) -> None:
    """open_page with a minute's patience: the first visit of a session warms the app's caches
    on a shared machine."""
    page.set_default_timeout(60_000)
    open_page(page, path, READY, label)
    settle(page)


def settle(page) -> None:
    """Wait until the page's content and every callback it started are done."""
    page.wait_for_selector(READY, state="visible")
    # Axe reads the whole page, so the parts drawn only when scrolled near are drawn first.
    reveal_deferred(page)
    page.wait_for_load_state("networkidle")
    wait_until(page, SETTLED)
    page.wait_for_timeout(300)


def audit(page, visit: str, context: str | None = None) -> list[str]:
    """Run axe on the page (or the part context selects); the serious and critical nodes, each
    as 'rule (impact) element: help'. Every finding is written to artifacts/axe/."""
    violations = AXE.run(page, context=context, options=OPTIONS).response["violations"]
    found = [
        (v["id"], node.get("impact") or v["impact"], " ".join(map(str, node["target"])), v["help"])
        for v in violations
        for node in v["nodes"]
    ]
    html = [node["html"] for v in violations for node in v["nodes"]]
    serious = [
        f"{rule} ({impact}) {target}: {help_}"
        for (rule, impact, target, help_), snippet in zip(found, html, strict=True)
        if impact in FAILING and not any(r == rule and part in snippet for r, part in KNOWN)
    ]
    for (rule, impact, target, _), snippet in zip(found, html, strict=True):
        if any(r == rule and part in snippet for r, part in KNOWN):
            print(f"{visit}: bekend, zie README: {rule} ({impact}) {target}")
    AXE_COUNTS.append((visit, len(serious), len(found)))
    FINDINGS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", visit.lower()).strip("-")
    (FINDINGS / f"{name}.json").write_text(
        json.dumps(
            [dict(zip(("rule", "impact", "element", "help"), f, strict=True)) for f in found],
            indent=1,
        )
    )
    for line in serious:
        print(f"{visit}: {line}")
    return serious


@pytest.mark.parametrize(("path", "role"), VISITS, ids=[f"{p}-{r}" for p, r in VISITS])
def test_every_page_for_every_role(page, snap, config, demo, path, role):
    # Every role a page is for has a demo account; a missing one is a gap in the audit.
    assert role in demo, f"geen demo-account voor {role}"
    view_as(page, role)
    subject = SUBJECTS.get(path)
    query = f"?{subject(snap, config, demo)}" if subject else ""
    visit(page, path + query, f"{path} als {role} (axe)")
    assert audit(page, f"{path} als {role}") == []


def test_the_login_page(page):
    page.goto("/login")
    page.wait_for_selector("#gebruikersnaam")
    assert audit(page, "/login") == []
    page.fill("#gebruikersnaam", "demo-jeugdzorgwerker")
    page.fill("#wachtwoord", "fout")
    page.click("#inloggen")
    expect(page.get_by_text("onjuist")).to_be_visible()
    assert audit(page, "/login na een fout wachtwoord") == []


@pytest.mark.parametrize(
    ("role", "path"),
    [("jeugdzorgwerker", "/bestaat-niet"), ("jeugdzorgwerker", "/maatregel?maatregel=M0")],
    ids=["niet-gevonden", "onbekende-maatregel"],
)
def test_error_states(page, role, path):
    view_as(page, role)
    page.goto(path)
    settle(page)
    assert audit(page, f"{path} als {role} (fout)") == []


def test_empty_states(page, snap):
    """The first day the data allows: most tables are empty and show their empty state."""
    view_as(page, "jeugdzorgwerker")
    visit(page, "/mijn-caseload?peildatum=2020-01-01", "lege toestand (axe)")
    expect(page.locator(".empty-state").first).to_be_visible()
    assert audit(page, "/mijn-caseload leeg als jeugdzorgwerker") == []


@pytest.mark.parametrize(
    ("role", "path"),
    [("praktijkbegeleider", "/caseloadgesprek"), ("manager", "/voortgangsrapportage")],
)
def test_print_views(page, role, path):
    view_as(page, role)
    visit(page, path, f"{path} afdruk (axe)")
    page.emulate_media(media="print")
    assert audit(page, f"{path} als {role} (afdruk)") == []
    screenshot(page, f"afdruk{path.replace('/', '-')}")


def test_an_open_dropdown_and_date_picker(page):
    view_as(page, "manager")
    visit(page, "/organisatie", "Organisatie open keuzelijst (axe)")
    page.locator("#organisatie-regio").click()
    expect(page.get_by_role("radiogroup")).to_be_visible()
    assert audit(page, "/organisatie met open keuzelijst Regio") == []
    page.keyboard.press("Escape")
    page.locator("#bekijk-als").click()
    expect(page.get_by_role("radiogroup")).to_be_visible()
    assert audit(page, "/organisatie met open keuzelijst Bekijk als") == []
    page.keyboard.press("Escape")
    page.locator("#organisatie-peildatum").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert audit(page, "/organisatie met open datumkiezer") == []
