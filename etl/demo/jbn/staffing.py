"""Staffing: jeugdzorgwerkers hired and leaving to follow the caseload, and the fte growth."""

import datetime as dt

from etl.demo.common import DAY, month_end
from etl.demo.jbn.model import JZW, Organisation, Worker
from etl.demo.jbn.targets import (
    EXPORT,
    HISTORY,
    LOAD_KEYS,
    PEIL,
    TARGETS,
    TEAM_START,
    YEAR_BEFORE,
    interpolate,
    months,
)


def staff(org: Organisation) -> None:
    """Staff every team: jeugdzorgwerkers month by month after the demand, then the rest."""
    need = _demand(org)
    for team, kind in org.team_kind.items():
        for functie in JZW:
            if kind != "CRT" or functie != "jeugdreclasseerder":
                _staff_functie(org, team, kind, functie, need)
    leaving = [
        w
        for w in org.workers
        if w.team == "GRN-1" and w.functie == "jeugdbeschermer" and w.uit is None
        and w.in_dienst < dt.date(2024, 6, 1)
    ]  # fmt: skip
    leaving[0].uit = dt.date(2026, 1, 31)
    _staff_support(org)


def _hire(org: Organisation, functie, team, in_dienst, fte=None) -> Worker:
    rng = org.rng
    if fte is None:
        hours = rng.choices((24, 28, 32, 36), (10, 20, 35, 35))[0]
        fte = round(hours / 36, 2)
    worker = Worker(functie, team, fte, in_dienst, factor=rng.uniform(0.82, 1.3))
    org.workers.append(worker)
    return worker


def _demand(org: Organisation) -> dict:
    """Per (team, functie, month): segments open on the 15th."""
    need: dict = {}
    for m in org.measures:
        functie = "jeugdreclasseerder" if m.soort == "JR" else "jeugdbeschermer"
        for team, _, vanaf, tot in m.segments:
            f = functie if org.team_kind[team] != "CRT" else "jeugdbeschermer"
            for first in months(max(vanaf, HISTORY), min(tot or EXPORT, EXPORT)):
                mid = first.replace(day=15)
                if vanaf <= mid and (tot is None or tot > mid):
                    key = (team, f, first.year, first.month)
                    need[key] = need.get(key, 0) + 1
    return need


def _staff_functie(org: Organisation, team: str, kind: str, functie: str, need: dict) -> None:
    """One functie of one team: some leave at a month's end, hires fill up to the target fte."""
    rng = org.rng
    team_start = TEAM_START[kind]
    people: list[Worker] = []
    for first in months(team_start, EXPORT):
        mid = first.replace(day=15)
        load = need.get((team, functie, first.year, first.month), 0)
        target = _target_fte(kind, functie, load, first)
        serving = [p for p in people if p.serves(mid)]
        current = sum(p.fte for p in serving)
        last = month_end(first)
        if first.month != 2 and first > team_start and last < EXPORT:
            hazard = 0.009 if current <= target + 1.2 else 0.06
            for p in serving:
                if rng.random() < hazard:
                    p.uit = last
                    current -= p.fte
        while current < target - 0.45:
            in_dienst = first
            if first == HISTORY:
                in_dienst = dt.date(2006, 1, 1) + rng.randint(0, 6200) * DAY
            p = _hire(org, functie, team, in_dienst)
            people.append(p)
            current += p.fte


def _target_fte(kind: str, functie: str, load: int, first: dt.date) -> float:
    if kind == "regulier":
        per_fte = interpolate(LOAD_KEYS, first.year, first.month)
        # LOAD_KEYS start in 2005, before any team.
        assert per_fte is not None
        target = load / per_fte
    elif kind == "CRT":
        target = load / 20
    else:
        target = load / 9
    if load or (kind != "regulier" and functie == "jeugdbeschermer"):
        target = max(target, 0.7)
    return target


def _staff_support(org: Organisation) -> None:
    """Each team's praktijkbegeleider, gedragswetenschapper and teammanager; two managers."""
    rng = org.rng
    for team, kind in org.team_kind.items():
        start = dt.date(2006, 1, 1) + rng.randint(0, 5500) * DAY
        if kind != "regulier":
            start = TEAM_START[kind]
        org.pb[team] = _hire(org, "praktijkbegeleider", team, start, rng.choice((0.78, 0.89)))
        _hire(org, "gedragswetenschapper", team, start, rng.choice((0.67, 0.78, 0.89)))
        _hire(org, "teammanager", team, start, rng.choice((0.89, 1.0)))
    for team in ("GRN-1", "DRE-1"):
        _hire(org, "manager", team, dt.date(2012, 9, 1) + rng.randint(0, 3000) * DAY, 1.0)


def _jzw_fte(org: Organisation, day: dt.date) -> float:
    return sum(w.fte for w in org.workers if w.functie in JZW and w.serves(day))


def calibrate_fte(org: Organisation) -> None:
    """Bring jeugdzorgwerker fte on PEIL to TARGETS['fte_growth'] times a year earlier."""
    target = TARGETS["fte_growth"]
    steps = (0.67, 0.78, 0.89, 1.0)
    jzw = [w for w in org.workers if w.functie in JZW]
    for _ in range(500):
        before, now = _jzw_fte(org, YEAR_BEFORE), _jzw_fte(org, PEIL)
        ratio = now / before
        if abs(ratio - target) < 0.0015:
            return
        new = [w for w in jzw if w.serves(PEIL) and not w.serves(YEAR_BEFORE)]
        if ratio > target:
            lower = [w for w in new if w.fte > steps[0]]
            if lower:
                w = org.rng.choice(lower)
                w.fte = steps[steps.index(w.fte) - 1]
            else:
                org.rng.choice(new).in_dienst = dt.date(2025, 1, 1)
        else:
            higher = [w for w in new if w.fte < steps[-1]]
            if higher:
                w = org.rng.choice(higher)
                w.fte = steps[steps.index(w.fte) + 1]
            else:
                team = org.rng.choice(sorted(org.regular))
                _hire(org, "jeugdbeschermer", team, dt.date(2025, 9, 1), 1.0)
                jzw = [w for w in org.workers if w.functie in JZW]
    raise RuntimeError("fte-groei niet te kalibreren")
