"""Keyboard and labels in Chromium: every control on every page has a name a screen reader can
read, and a jeugdzorgwerker can reach the menu, the peildatum and an export with Tab alone and
see where the focus is."""

import pytest
from playwright.sync_api import expect

from queries.termijnen import werklijst
from tests.e2e.conftest import open_page, view_as
from tests.e2e.test_pages import read_download

pytestmark = pytest.mark.e2e

# Visible controls without an accessible name: no aria-label, no <label>, no aria-labelledby,
# no text of their own and no title. What a component hides from screen readers on purpose
# (aria-hidden, such as the dropdown's internal focus target) has no name to give.
UNNAMED = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button, a[href], [role=combobox]')]
  .filter(el => el.offsetParent !== null && !el.closest('[aria-hidden=true]'))
  .filter(el => {
    const byId = (el.getAttribute('aria-labelledby') || '').split(' ')
      .map(id => document.getElementById(id)).filter(Boolean)
      .map(ref => ref.textContent).join('');
    const names = [el.getAttribute('aria-label'), byId, el.getAttribute('title'),
      [...(el.labels || [])].map(l => l.textContent).join(''),
      el.matches('button, a') ? el.textContent : ''];
    return !names.some(name => name && name.trim());
  })
  .map(el => el.outerHTML.slice(0, 160))"""

# The page each role opens, and what shows it is ready.
PAGES = (
    ("jeugdzorgwerker", "/mijn-caseload", "#tegel-verlopen"),
    ("praktijkbegeleider", "/caseloadgesprek", "#tegel-verlopen"),
    ("praktijkbegeleider", "/team", "#team-medewerkers .ag-row"),
    ("manager", "/organisatie", "#organisatie-organisatie_teams .ag-row"),
    ("manager", "/afbouw", "#afbouw-voorstel .ag-row"),
    ("manager", "/personeel", "#personeel-bezetting .ag-row"),
    ("manager", "/voortgangsrapportage", "#voortgang-tabel-5 .ag-row"),
    ("beheerder", "/datakwaliteit", "#tegel-run"),
)


@pytest.mark.parametrize(("role", "path", "ready"), PAGES, ids=[p[1] for p in PAGES])
def test_every_control_has_a_name(page, role, path, ready):
    view_as(page, role)
    open_page(page, path, ready, f"{path} (labels)")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(UNNAMED) == []


def _focused(page) -> dict:
    """The focused element, and the outline that shows it: its own or its frame's (a picker
    draws focus on the frame around its input)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            let shown = 'none';
            let at = el;
            for (let up = 0; at && up < 4 && shown === 'none'; up++) {
                shown = getComputedStyle(at).outlineStyle;
                at = at.parentElement;
            }
            return {id: el.id, text: (el.textContent || '').trim(), tag: el.tagName,
                    label: el.getAttribute('aria-label') || '', outline: shown};
        }"""
    )


def _tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element matches; fail when it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    pytest.fail("Niet met Tab te bereiken")


def test_a_jeugdzorgwerker_works_the_page_with_the_keyboard(page, snap, config, demo):
    view_as(page, "jeugdzorgwerker")
    open_page(page, "/mijn-caseload", "#tegel-verlopen", "Mijn caseload (toetsenbord)")
    page.wait_for_load_state("networkidle")
    page.locator("body").focus()
    menu = _tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Mijn caseload")
    assert menu["outline"] != "none", "focus is not visible on the menu"
    date = _tab_to(page, lambda f: f["id"] == "mijn-caseload-peildatum")
    assert date["outline"] != "none", "focus is not visible on the peildatum"
    export = _tab_to(page, lambda f: f["tag"] == "BUTTON" and "CSV" in f["text"])
    assert export["outline"] != "none", "focus is not visible on the export button"
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert read_download(info.value).height > 0
    expect(page.locator("#tegel-verlopen")).to_be_visible()


def test_the_maatregel_page_names_its_controls(page, snap, config, demo):
    viewer = demo["jeugdzorgwerker"]
    mine = werklijst(snap, viewer, snap.export_date, config)["maatregel_id"][0]
    view_as(page, "jeugdzorgwerker")
    open_page(page, f"/maatregel?maatregel={mine}", "#maatregel-titel", "Maatregel (labels)")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(UNNAMED) == []
