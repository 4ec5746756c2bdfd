"""The app benchmark runs end to end on the JBN demo: start, MT's pages, memory, a new load."""

import re

import pytest

from bench.app import run
from etl.gebruikers import create_demo_accounts
from etl.loader import load_source

pytestmark = pytest.mark.e2e


def test_the_app_bench_prints_start_pages_memory_and_the_workers_on_a_new_load(
    tmp_path, jbn_export
):
    source, export_date = jbn_export
    url = f"sqlite:///{tmp_path / 'jbn.sqlite'}"
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    create_demo_accounts(url, export_date)
    lines = run(url, workers=2, new_load=source)
    text = "\n".join(lines)
    assert re.search(r"^app gereed \(start tot /health gereed\) [\d.]+ s$", text, re.M), text
    warmed = r"^alle MT-pagina's voorbereid \(start tot alles_gereed\) [\d.]+ s$"
    assert re.search(warmed, text, re.M), text
    assert re.search(r"^elke werker alles_gereed \(40 op rij\) [\d.]+ s$", text, re.M), text
    for page in ("/organisatie", "/afbouw", "/team", "/personeel", "/voortgangsrapportage"):
        # The parts drawn when scrolled near are timed when the window did not reach them.
        scrolled = r"(, onderste delen na scrollen \d+ ms)?"
        shown = rf"^pagina {page}: op het scherm \d+ ms per adres, \d+ ms via het menu{scrolled}; "
        assert re.search(shown, text, re.M), text
    assert re.search(r"^werkers samen PSS [1-9]\d* MB$", text, re.M), text
    assert re.search(r"^nieuwe lading in \d+ s: Geslaagd \(run 2\)", text, re.M), text
    assert re.search(r"^na de commit gereed: eerste antwoord [\d.]+ s, 40 op rij", text, re.M), text
    assert re.search(r"^piek RSS \(grootste proces\) [1-9]\d* MB$", text, re.M), text
