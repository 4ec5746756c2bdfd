"""Keyboard only, in Chromium: the skip link, and three walks without a mouse. A
jeugdzorgwerker's morning (a deadline's measure opened from the werklijst, its history
exported), a praktijkbegeleider's talk (from the team to one worker's page, a slicer changed,
an export) and MT's drill from a region to a team to a worker. Focus is visible at each stop."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import view_as
from tests.e2e.test_axe import settle, visit
from tests.e2e.test_pages import read_download

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
    const el = document.activeElement;
    let shown = 'none';
    for (let at = el, up = 0; at && up < 4 && shown === 'none'; up++, at = at.parentElement) {
        shown = getComputedStyle(at).outlineStyle;
    }
    const grid = el.closest('.ag-root-wrapper');
    return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim(),
            role: el.getAttribute('role') || '', outline: shown,
            grid: grid && grid.closest('[id]') ? grid.closest('[id]').id : '',
            link: el.querySelector ? !!el.querySelector('a[href]') : false};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit: int = 60) -> dict:
    """Press Tab until the focused element matches; fail when it never comes or shows no
    focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            assert now["outline"] != "none" or now["role"] == "columnheader", now
            return now
    pytest.fail("Niet met Tab te bereiken")


def into_grid(page, grid_id: str) -> dict:
    """Tab into a grid (its one tab stop is a column header), then down to the first row and
    right to the first cell that holds a link; returns that cell."""
    tab_to(page, lambda f: f["grid"] == grid_id)
    page.keyboard.press("ArrowDown")
    for _ in range(12):
        cell = focused(page)
        assert cell["role"] == "gridcell" and cell["grid"] == grid_id, cell
        if cell["link"]:
            return cell
        page.keyboard.press("ArrowRight")
    pytest.fail(f"geen link in de eerste rij van {grid_id}")


def followed(page, url: str) -> None:
    """After Enter on a link: the address is url, and focus waits at the new content."""
    expect(page).to_have_url(re.compile(url))
    settle(page)
    assert page.evaluate("document.getElementById('inhoud').contains(document.activeElement)")


def export_with_keyboard(page) -> None:
    tab_to(page, lambda f: f["tag"] == "BUTTON" and "CSV" in f["text"])
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert read_download(info.value).height > 0


def test_the_skip_link_leads_to_the_content(page):
    view_as(page, "jeugdzorgwerker")
    visit(page, "/mijn-caseload", "Mijn caseload (overslaan)")
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Naar de inhoud" and skip["outline"] != "none"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('inhoud').contains(document.activeElement)")


def test_a_jeugdzorgwerkers_morning(page):
    view_as(page, "jeugdzorgwerker")
    visit(page, "/mijn-caseload", "Mijn caseload (toetsenbord)")
    page.locator("body").focus()
    cell = into_grid(page, "mijn-caseload-termijnen")
    page.keyboard.press("Enter")
    followed(page, r"/maatregel\?maatregel=")
    expect(page.locator("#maatregel-titel")).to_contain_text(cell["text"])
    export_with_keyboard(page)


def test_a_praktijkbegeleiders_talk(page):
    view_as(page, "praktijkbegeleider")
    visit(page, "/team", "Team (toetsenbord)")
    page.locator("body").focus()
    worker = into_grid(page, "team-medewerkers")
    page.keyboard.press("Enter")
    followed(page, r"/caseloadgesprek\?.*medewerker=")
    expect(page.locator("#gesprek-medewerker")).to_contain_text(worker["text"])
    # The worker list opens and closes from the keyboard; the weeks slicer takes typed text.
    tab_to(page, lambda f: f["id"] == "gesprek-medewerker")
    page.keyboard.press("Enter")
    expect(page.get_by_role("radiogroup")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("radiogroup")).to_have_count(0)
    tab_to(page, lambda f: f["id"] == "gesprek-weken")
    page.keyboard.press("Control+A")
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    expect(page).to_have_url(re.compile(r"weken=9"))
    export_with_keyboard(page)


def test_mt_drills_from_region_to_worker(page):
    view_as(page, "manager")
    visit(page, "/organisatie", "Organisatie (toetsenbord)")
    page.locator("body").focus()
    region = into_grid(page, "organisatie-organisatie_regios")
    page.keyboard.press("Enter")
    followed(page, r"regio=" + re.escape(region["text"]))
    into_grid(page, "organisatie-organisatie_teams")
    page.keyboard.press("Enter")
    followed(page, r"/team\?.*team=")
    worker = into_grid(page, "team-medewerkers")
    page.keyboard.press("Enter")
    followed(page, r"/caseloadgesprek\?.*medewerker=")
    expect(page.locator("#gesprek-medewerker")).to_contain_text(worker["text"])
