"""CCP and CRT episodes fitted to each team's stock, and the team segments of every measure."""

import datetime as dt

from etl.demo.common import DAY, JB_SOORTEN, month_end
from etl.demo.jbn.model import Measure, Organisation
from etl.demo.jbn.targets import (
    CCP_START,
    EXPORT,
    PEIL,
    RECENT,
    SPECIAL_TEAMS,
    STOCK_KEYS,
    interpolate,
    months,
)


def fit_special_teams(org: Organisation) -> None:
    """Give measures CCP/CRT episodes so that each team's stock follows STOCK_KEYS exactly."""
    stock: dict[str, list[Measure]] = {t: [] for t, _, _, _ in SPECIAL_TEAMS}
    for period in _periods():
        for team, _, region, kind in SPECIAL_TEAMS:
            if period[0] >= _team_start(team):
                stock[team] = _fit_period(org, team, region, kind, period, stock[team])


def _periods():
    """Month periods from the CCP's start; February 2026 is split at the peildatum."""
    for first in months(CCP_START, dt.date(2026, 1, 31)):
        yield first, month_end(first), (first.year, first.month)
    yield dt.date(2026, 2, 1), PEIL, "P"
    yield PEIL + DAY, dt.date(2026, 2, 28), (2026, 2)
    yield dt.date(2026, 3, 1), EXPORT, None


def _team_start(team: str) -> dt.date:
    return min(dt.date(y, m, 1) for y, m in (k for k in STOCK_KEYS[team] if k != "P"))


def _stock_target(team: str, key) -> int | None:
    keys = STOCK_KEYS[team]
    if key is None:
        return None
    if key in keys:
        return keys[key]
    value = interpolate(keys, *key)
    return None if value is None else round(value)


def _inflow_base(team: str, first: dt.date, last: dt.date) -> int:
    part = (last - first).days / 30
    if team.endswith("CRT"):
        if first >= RECENT:
            return 0
        per_month = 10 if first.year == 2024 else 5
    elif first >= RECENT:
        per_month = 3 if team == "DRE-CCP" else 0
    else:
        per_month = 2
    return round(per_month * part)


def _fit_period(org: Organisation, team, region, kind, period, stock) -> list[Measure]:
    """One team in one period: episodes end with their measure, the surplus is transferred
    back to a regular team and the inflow fills the stock up to its target."""
    rng = org.rng
    first, last, key = period
    current = []
    for m in stock:
        if m.einde is not None and m.einde <= last:
            m.ep_tot, m.ep_exit = m.einde, "einde"
        else:
            current.append(m)
    target = _stock_target(team, key)
    inflow = _inflow_base(team, first, last)
    transfers = 0 if target is None else len(current) + inflow - target
    if transfers < 0:
        inflow -= transfers
        transfers = 0
    current.sort(key=lambda m: m.ep_vanaf)
    leaving = set()
    if transfers:
        pool = current[: max(transfers, int(len(current) * 0.6))]
        leaving = set(rng.sample(pool, transfers))
    for m in current:
        if m in leaving:
            m.ep_tot, m.ep_exit = org.wd.pick(rng, first, last), "transfer"
    staying = [m for m in current if m not in leaving]
    return staying + _entrants(org, team, region, kind, first, last, inflow)


def _entrants(org: Organisation, team, region, kind, first, last, count) -> list[Measure]:
    rng = org.rng
    if count == 0:
        return []

    def eligible(m: Measure) -> bool:
        return (
            m.region == region
            and m.ep_team is None
            and (m.einde is None or m.einde > last)
            and (kind == "CCP" or m.soort in JB_SOORTEN)
        )

    new = [m for m in org.measures if first <= m.start <= last and eligible(m)]
    if first >= RECENT and team != "DRE-CCP":
        new = []
    n_new = min(len(new), count if kind == "CCP" else (count + 1) // 2)
    chosen = rng.sample(new, n_new)
    for m in chosen:
        m.ep_team, m.ep_vanaf = team, m.start
    rest = count - n_new
    if rest:
        older = [m for m in org.measures if m.start < first and m.start < RECENT and eligible(m)]
        if len(older) < rest:
            raise RuntimeError(f"te weinig maatregelen voor {team} in {first}")
        for m in rng.sample(older, rest):
            m.ep_team, m.ep_vanaf = team, org.wd.pick(rng, first, last)
            chosen.append(m)
    return chosen


def build_segments(org: Organisation) -> None:
    """Cut each measure into the stretches one team holds it: regular, episode, regular again."""
    for m in org.measures:
        if m.ep_team is None:
            m.segments = [(m.team_reg, "jeugdzorgwerker", m.start, m.einde)]
            continue
        # _entrants gives an episode its team and its start together.
        assert m.ep_vanaf is not None
        m.segments = []
        if m.ep_vanaf > m.start:
            m.segments.append((m.team_reg, "jeugdzorgwerker", m.start, m.ep_vanaf))
        tot = m.ep_tot if m.ep_tot is not None else m.einde
        m.segments.append((m.ep_team, "contactpersoon", m.ep_vanaf, tot))
        if m.ep_exit == "transfer":
            m.segments.append((m.team_reg, "jeugdzorgwerker", m.ep_tot, m.einde))
