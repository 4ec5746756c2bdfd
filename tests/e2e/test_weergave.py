"""How every page reads on a real screen: at 1366x768 every grid shows all its columns or
scrolls inside its own frame with its link and status columns in view and no name cut off; at
1024 px and at 200% zoom the page itself never scrolls sideways; one main landmark, headings
in order, grids that announce their size; the demo switch on one line; badges that say what
they count. Screenshots at each width are kept in artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from dashboard.components.theme import THEME
from tests.e2e.conftest import open_page, screenshot, view_as
from tests.e2e.test_axe import PAGES, READY, SUBJECTS, visit

pytestmark = pytest.mark.e2e

# Each page once, as the first role (in the app's order) that may open it.
ROLE_ORDER = ("jeugdzorgwerker", "praktijkbegeleider", "teammanager", "manager", "beheerder")
ONE_ROLE = [
    (path, next(r for r in ROLE_ORDER if r in roles))
    for path, roles in PAGES
    if any(r in roles for r in ROLE_ORDER)
]
# 200% browser zoom of a 1366x768 screen lays the page out in 683x384 CSS pixels.
WIDTHS = {"1024": (1024, 768), "zoom-200": (683, 384)}

# Per grid: its size as announced, whether it scrolls inside its frame, the columns a user acts
# on (a link or a status) that lie outside its visible part, and cells whose text is cut off.
GRIDS = """() => [...document.querySelectorAll('.ag-root-wrapper')].map(g => {
    const root = g.querySelector('[role=grid], [role=treegrid]');
    const frame = g.getBoundingClientRect();
    const scroll = g.querySelector('.ag-body-horizontal-scroll-viewport');
    const acted = new Set([...g.querySelectorAll('.ag-cell')]
        .filter(c => c.querySelector('a[href]') || c.classList.contains('cell-status'))
        .map(c => c.getAttribute('col-id')));
    const hidden = [...acted].filter(id => {
        const head = g.querySelector(`.ag-header-cell[col-id="${id}"]`);
        if (!head) return true;
        const r = head.getBoundingClientRect();
        return r.left < frame.left - 1 || r.right > frame.right + 1;
    });
    const cut = [...g.querySelectorAll('.ag-cell-value')]
        .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40));
    return {
        id: g.closest('[id]') ? g.closest('[id]').id : '',
        rows: root && root.getAttribute('aria-rowcount'),
        cols: root && root.getAttribute('aria-colcount'),
        columns: g.querySelectorAll('.ag-header-row-column .ag-header-cell').length,
        scrolls: scroll ? scroll.scrollWidth > scroll.clientWidth + 1 : false,
        scrollbar: scroll ? getComputedStyle(scroll.parentElement).display !== 'none'
            && scroll.parentElement.getBoundingClientRect().height > 0 : false,
        hidden, cut,
    };
})"""
PAGE_SCROLL = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
OUTLINE = """() => {
    const heads = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]));
    return {
        main: document.querySelectorAll('main, [role=main]').length,
        banner: [...document.querySelectorAll('header, [role=banner]')]
            .filter(h => !h.parentElement.closest('main, section, article, aside, nav')).length,
        nav: [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label')),
        heads,
        skipped: heads.filter((level, i) => i > 0 && level > heads[i - 1] + 1).length,
    };
}"""


def _open(page, snap, config, demo, path: str, role: str, label: str) -> None:
    view_as(page, role)
    subject = SUBJECTS.get(path)
    query = f"?{subject(snap, config, demo)}" if subject else ""
    visit(page, path + query, label)


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "start"


@pytest.mark.parametrize(("path", "role"), ONE_ROLE, ids=[p for p, _ in ONE_ROLE])
def test_grids_fit_at_1366(page, snap, config, demo, path, role):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, snap, config, demo, path, role, f"{path} op 1366 px")
    screenshot(page, f"weergave-1366-{_name(path)}")
    assert page.evaluate(PAGE_SCROLL)[0] <= page.evaluate(PAGE_SCROLL)[1]
    for grid in page.evaluate(GRIDS):
        print(grid)
        assert grid["rows"] and int(grid["rows"]) > 0, f"{grid['id']}: geen aria-rowcount"
        assert grid["cols"] and int(grid["cols"]) >= grid["columns"] > 0, grid["id"]
        if grid["scrolls"]:
            assert grid["scrollbar"], f"{grid['id']} schuift zonder zichtbare schuifbalk"
        assert grid["hidden"] == [], f"{grid['id']}: kolommen buiten beeld {grid['hidden']}"
        assert grid["cut"] == [], f"{grid['id']}: afgekapte tekst {grid['cut']}"


@pytest.mark.parametrize(("path", "role"), ONE_ROLE, ids=[p for p, _ in ONE_ROLE])
def test_no_sideways_page_scroll_at_1024_and_200_percent(page, snap, config, demo, path, role):
    _open(page, snap, config, demo, path, role, f"{path} smal")
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        scroll_width, client_width = page.evaluate(PAGE_SCROLL)
        screenshot(page, f"weergave-{name}-{_name(path)}")
        assert scroll_width <= client_width, f"{path} schuift zijwaarts bij {name}"


@pytest.mark.parametrize(("path", "role"), ONE_ROLE, ids=[p for p, _ in ONE_ROLE])
def test_landmarks_and_headings_in_order(page, snap, config, demo, path, role):
    _open(page, snap, config, demo, path, role, f"{path} structuur")
    outline = page.evaluate(OUTLINE)
    assert outline["main"] == 1 and outline["banner"] == 1
    assert "Hoofdmenu" in outline["nav"]
    assert outline["heads"][:1] == [1] and outline["heads"].count(1) == 1, outline["heads"]
    assert outline["skipped"] == 0, outline["heads"]


@pytest.mark.parametrize("role", ROLE_ORDER + ("gedragswetenschapper",))
def test_the_demo_switch_stays_on_one_line(page, demo, role):
    # Every role a page is for has a demo account; a missing one is a gap in the audit.
    assert role in demo, f"geen demo-account voor {role}"
    page.set_viewport_size({"width": 1366, "height": 768})
    view_as(page, role)
    page.wait_for_selector(READY)
    box = page.locator(".demo-selector").bounding_box()
    label = page.locator(".demo-label").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert box and label and brand
    # One line: the label is one line high, and the switch sits on the header's first row.
    assert label["height"] < 1.6 * 0.85 * 15 * 1.45
    assert box["y"] < brand["y"] + brand["height"]
    assert box["height"] < 60


# A deadline status in words; a tile that counts something else says it in its own words.
DEADLINE_WORDS = {spec["label"] for spec in THEME["status"].values()} - {
    "Boven norm",
    "Binnen norm",
}


@pytest.mark.parametrize(("path", "role"), ONE_ROLE, ids=[p for p, _ in ONE_ROLE])
def test_status_words_only_on_deadlines(page, snap, config, demo, path, role):
    _open(page, snap, config, demo, path, role, f"{path} badges")
    tiles = page.evaluate(
        """() => [...document.querySelectorAll('.kpi')].filter(k => k.querySelector('.badge'))
            .map(k => ({label: k.querySelector('.kpi-label').textContent,
                        figuur: (k.querySelector('[data-figuur]') || {dataset: {}}).dataset.figuur
                            || '',
                        badge: k.querySelector('.badge').textContent.slice(1).trim()}))"""
    )
    for tile in tiles:
        if tile["badge"] in DEADLINE_WORDS:
            about = (tile["label"] + " " + tile["figuur"]).lower()
            assert "termijn" in about or "gesprek" in about, tile


def test_the_audit_tiles_count_in_their_own_words(page):
    view_as(page, "beheerder")
    open_page(page, "/audit", "#tegel-login-mislukt", "Audit badges")
    failed = page.locator("#tegel-login-mislukt")
    expect(failed.locator(".badge")).to_be_visible()
    assert "Tijdig" not in failed.inner_text()
    assert "Tijdig" not in page.locator("#tegel-geweigerd").inner_text()
