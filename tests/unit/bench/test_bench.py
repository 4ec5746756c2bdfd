"""The benchmark's peers must compute the same figures as ours, or its ratios mean nothing."""

import re
from datetime import date

import pytest

from bench.__main__ import (
    DL_COLS,
    KEY,
    DuckPeer,
    PandasPeer,
    _same_dict,
    _same_frame,
    planner_line,
    verzuim,
    without_verzuim,
)
from queries.afbouw import stock_per_month
from queries.config import load_config
from queries.kpis import kpis
from queries.scope import MANAGER, Viewer
from queries.termijnen import termijnen, werklijst
from tests.frames import sample_snapshot

DAYS = [date(2025, 7, 1), date(2025, 9, 15), date(2025, 10, 1), date(2025, 11, 1)]


@pytest.fixture(scope="module")
def setup():
    snap = sample_snapshot(date(2025, 11, 1))
    cfg = load_config()
    years = (2020, 2030)
    return snap, cfg, PandasPeer(snap.tables, cfg, years), DuckPeer(snap.tables, cfg, years)


@pytest.mark.parametrize("as_of", DAYS)
def test_peers_give_our_deadlines(setup, as_of):
    snap, cfg, pandas_peer, duck_peer = setup
    ours = termijnen(snap, MANAGER, as_of, cfg).select(DL_COLS)
    assert ours.height > 0
    _same_frame("deadlines", ours, pandas_peer.termijnen(as_of), "pandas", ordered=KEY)
    _same_frame("deadlines", ours, duck_peer.termijnen(as_of), "duckdb", ordered=KEY)


# On 2025-07-01 only the CRT contactpersoon 1003 holds a measure; later 1001 holds two.
@pytest.mark.parametrize("as_of, worker", [(DAYS[0], "1003")] + [(d, "1001") for d in DAYS[1:]])
def test_peers_give_our_worklist(setup, as_of, worker):
    snap, cfg, pandas_peer, duck_peer = setup
    ours = werklijst(snap, Viewer("jeugdzorgwerker", worker), as_of, cfg).select(DL_COLS)
    assert ours.height > 0
    _same_frame("worklist", ours, pandas_peer.werklijst(as_of, worker), "pandas")
    _same_frame("worklist", ours, duck_peer.werklijst(as_of, worker), "duckdb")


@pytest.mark.parametrize("as_of", DAYS[1:])
def test_peers_give_our_kpis_and_stock(setup, as_of):
    snap, cfg, pandas_peer, duck_peer = setup
    since, month = date(2025, 7, 1), date(2025, 9, 1)
    ours = without_verzuim(kpis(snap, MANAGER, as_of, cfg, since, month))
    _same_dict("kpis", ours, pandas_peer.kpis(as_of, since, month), "pandas")
    _same_dict("kpis", ours, duck_peer.kpis(as_of, since, month), "duckdb")
    cols = ["maand_einde", "actief", "vaste_jzw", "ccp", "crt", "niet_toegewezen"]
    stock = stock_per_month(snap, MANAGER, as_of, cfg, months=6).select(cols)
    _same_frame("afbouw", stock, pandas_peer.stock(as_of, 6), "pandas")
    _same_frame("afbouw", stock, duck_peer.stock(as_of, 6), "duckdb")


# Headline months August (no verzuim yet), September, October (31 Oct is its month's last day)
# and October.
@pytest.mark.parametrize("as_of", [*DAYS[1:], date(2025, 10, 31)])
def test_peers_give_our_verzuim(setup, as_of):
    snap, cfg, pandas_peer, duck_peer = setup
    ours = verzuim(snap, MANAGER, as_of, cfg)
    assert ours["verzuim_pct"] is not None and ours["verzuim_12m_pct"] is not None
    _same_dict("verzuim", ours, pandas_peer.verzuim(as_of), "pandas")
    _same_dict("verzuim", ours, duck_peer.verzuim(as_of), "duckdb")


def test_a_wrong_peer_is_caught(setup):
    snap, cfg, pandas_peer, _ = setup
    as_of = DAYS[-1]
    ours = termijnen(snap, MANAGER, as_of, cfg).select(DL_COLS)
    wrong = pandas_peer.termijnen(as_of)
    wrong.loc[0, "status"] = "tijdig" if wrong.loc[0, "status"] != "tijdig" else "open"
    with pytest.raises(AssertionError):
        _same_frame("deadlines", ours, wrong, "pandas", ordered=KEY)


def test_planner_line_times_the_planner_alone(setup):
    snap, cfg, _, _ = setup
    # On 30 September the sample's CRT holds one measure, which 1001 can take.
    line = planner_line(snap, date(2025, 9, 30), cfg, repeat=1)
    assert re.fullmatch(
        r"planner \d+\.\d ms: 1 maatregelen \(CCP/CRT en niet toegewezen\), 1 geplaatst; "
        r"geen pandas- of DuckDB-tegenhanger \(toewijzing een voor een\)",
        line,
    )
