import gc
import subprocess
import sys
import threading
import time
import weakref
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from dashboard import data
from etl.loader import load_source
from queries.scope import regios
from tests.frames import SAMPLE_EXPORT
from tests.unit.dashboard.conftest import EXPORT_DATE

ROOT = Path(__file__).resolve().parents[3]


def _prepared(snap) -> set[str]:
    return {key[0] for key in (*snap._memo, *snap._recent)}


def test_warm_prepares_the_organisations_figures_and_then_each_regions(app):
    snap = data.snapshot()
    snap.forget_requests()
    assert data.warm() is snap
    assert {"termijnen", "kpi_stock"} <= _prepared(snap)

    def trend_regions() -> set:
        return {key[4] for key in snap._recent if key[0] == "kpi_stock" and key[5] is None}

    assert trend_regions() == {None}, "before ready only what Organisatie's view needs"
    data.warm_after_ready(snap)
    assert trend_regions() == {None, *regios(snap)}


def _day_keys(snap) -> set:
    return {(day, key) for day, store in snap._days.items() for key in store}


def test_the_warm_up_computes_the_day_figures_of_mt_s_first_visits(app, as_viewer):
    from dashboard.pages import afbouw, organisatie, personeel, team, voortgangsrapportage

    snap = data.snapshot()
    snap.forget_requests()
    data.warm()
    as_viewer("manager")
    # Organisatie, MT's first page, before /health says gereed; the others right after.
    before_ready = _day_keys(snap)
    organisatie.layout()
    assert before_ready and _day_keys(snap) == before_ready
    data.warm_after_ready(snap)
    warmed = _day_keys(snap)
    for page in (afbouw, team, personeel, voortgangsrapportage):
        page.layout()
    assert warmed > before_ready and _day_keys(snap) == warmed
    # Other peildata are computed on their first visit and do not push the warmed ones out.
    for days in (30, 60, 90):
        organisatie.layout(peildatum=(EXPORT_DATE - timedelta(days=days)).isoformat())
    assert _day_keys(snap) > warmed
    organisatie.layout()
    assert warmed <= _day_keys(snap)


def test_keep_warm_outlives_an_empty_database_and_warms_the_first_load(tmp_path):
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    data.configure(url)
    stop = threading.Event()
    thread = data.keep_warm(every=0.05, stop=stop)
    try:
        time.sleep(0.3)
        assert thread.is_alive()
        load_source(SAMPLE_EXPORT, url, export_date=EXPORT_DATE, progress=False)
        deadline = time.monotonic() + 30
        while "termijnen" not in _prepared(data.snapshot()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "termijnen" in _prepared(data.snapshot())
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_new_load_is_warmed_without_keeping_the_previous_one_alive(tmp_path):
    url = f"sqlite:///{tmp_path / 'twee.sqlite'}"
    load_source(SAMPLE_EXPORT, url, export_date=EXPORT_DATE, progress=False)
    data.configure(url)
    refs: list[weakref.ref] = []
    freed_while_warming = []

    def probe() -> None:
        if refs and data.snapshot().run_id == 2:
            gc.collect()
            freed_while_warming.append(refs[0]() is None)

    data.warm_view(probe, before_ready=True)
    stop = threading.Event()
    thread = data.keep_warm(every=0.05, stop=stop)

    def warmed(run_id: int) -> bool:
        deadline = time.monotonic() + 60
        while data.fully_warmed_run() != run_id and time.monotonic() < deadline:
            time.sleep(0.05)
        return data.fully_warmed_run() == run_id

    try:
        assert warmed(1)
        refs.append(weakref.ref(data.snapshot()))
        later = EXPORT_DATE + timedelta(days=1)
        load_source(SAMPLE_EXPORT, url, export_date=later, progress=False)
        assert warmed(2)
        # The previous load and its day figures are freed before the new load's pages warm.
        assert freed_while_warming == [True]
    finally:
        stop.set()
        thread.join(timeout=10)
        data._views["before_ready"].remove(probe)


def test_per_request_computes_once_within_a_request_and_anew_in_the_next(app):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    for _request in range(2):
        with app.server.test_request_context("/"):
            assert data.per_request(("k",), compute) == data.per_request(("k",), compute)
    assert len(calls) == 2
    # Outside a request (the command line, the warm-up thread) nothing is kept.
    data.per_request(("k",), compute)
    data.per_request(("k",), compute)
    assert len(calls) == 4


def test_a_page_asks_the_database_for_the_latest_load_once(app, as_viewer):
    from dashboard.pages import organisatie

    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "etl_runs" in statement:
            statements.append(statement)

    engine = data.engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        as_viewer("manager")
        organisatie.layout()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1


def test_keep_warm_imports_the_postgresql_reader_before_its_thread_starts(pg_url):
    # In a fresh process, with the loop told to stop at once: only keep_warm's own thread may
    # have done the import, and that must not be the one that does it.
    code = (
        "import sys, threading\n"
        "from dashboard import data\n"
        f"data.configure({pg_url!r})\n"
        "stop = threading.Event(); stop.set()\n"
        "data.keep_warm(stop=stop).join()\n"
        "print('adbc_driver_postgresql.dbapi' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.stdout.strip() == "True", done.stderr


def test_a_decision_forgets_what_the_request_built_on_the_decisions(app):
    with app.server.test_request_context("/"):
        data.per_request(("besluiten", "uitval", 1), lambda: "voor het besluit")
        data.per_request(("snapshot-achtig",), lambda: "blijft")
        data.forget_besluiten()
        assert data.per_request(("besluiten", "uitval", 1), lambda: "na") == "na"
        assert data.per_request(("snapshot-achtig",), lambda: "opnieuw") == "blijft"
