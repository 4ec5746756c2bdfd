"""The HR files: formatie per team and month, verzuim, and caseloadgesprekken."""

import datetime as dt

from etl.demo.common import DAY, next_werkdag
from etl.demo.jbn.model import JZW, Organisation, Worker
from etl.demo.jbn.targets import EXPORT, HISTORY, REGULAR_TEAMS, TEAM_START, VERZUIM, months


def formatie(org: Organisation) -> list[tuple]:
    """Budgeted fte per team and month: a little above the fte actually serving on the 15th."""
    rows = []
    for team, kind in sorted(org.team_kind.items()):
        for first in months(TEAM_START[kind], EXPORT):
            mid = first.replace(day=15)
            bezetting = sum(w.fte for w in org.workers if w.team == team and w.serves(mid))
            budget = round(bezetting * org.rng.uniform(1.0, 1.1), 1)
            rows.append((team, f"{first.year}-{first.month:02d}", f"{budget:.1f}"))
    return rows


def caseloadgesprekken(org: Organisation) -> list[tuple]:
    """Every jeugdzorgwerker's talks with their praktijkbegeleider, about once a quarter."""
    rng = org.rng
    rows = []
    for w in org.workers:
        if w.functie not in JZW:
            continue
        end = min(w.uit or EXPORT + DAY, EXPORT + DAY)
        day = max(w.in_dienst, dt.date(2022, 10, 1)) + rng.randint(50, 95) * DAY
        while True:
            day = next_werkdag(day)
            if day >= end:
                break
            rows.append((w, org.pb[w.team], day))
            gap = rng.randint(70, 95) if rng.random() < 0.78 else rng.randint(100, 160)
            day += gap * DAY
    rows.sort(key=lambda r: (r[2], r[0].mid))
    return rows


def verzuim(org: Organisation) -> list[tuple]:
    """Every sick spell, per worker by start: (worker, vanaf, tot, percentage)."""
    rows: dict[Worker, list] = {w: [] for w in org.workers}
    # February 2025 and 2026 are placed by _february_verzuim, to hit the hertoets figures.
    blocked = tuple((dt.date(y, 2, 1), dt.date(y, 2, 28)) for y in VERZUIM)
    for w in org.workers:
        lo = max(w.in_dienst, HISTORY)
        hi = min(w.uit or EXPORT, EXPORT)
        if lo < hi:
            rows[w].extend(_without_overlap(_spells(org, lo, hi), hi, blocked))
    for year, (groningen, overall) in VERZUIM.items():
        _february_verzuim(org, year, groningen, overall, rows)
    out = []
    for w in org.workers:
        for start, end, pct in sorted(rows[w], key=lambda r: r[0]):
            out.append((w, start, end, pct))
    return out


def _poisson(org: Organisation, mean: float) -> int:
    count, total = 0, org.rng.expovariate(1)
    while total < mean:
        count += 1
        total += org.rng.expovariate(1)
    return count


def _spells(org: Organisation, lo: dt.date, hi: dt.date) -> list[tuple]:
    """Short spells of a few werkdagen, and long ones often followed by working half days."""
    rng, wd = org.rng, org.wd
    years = (hi - lo).days / 365
    spells = []
    for _ in range(_poisson(org, 2.0 * years)):
        start = wd.pick(rng, lo, hi)
        if start is None:
            continue
        k = rng.choices(range(1, 11), (20, 18, 14, 10, 12, 5, 4, 4, 3, 10))[0]
        spells.append((start, wd.step(start, k - 1), 100))
    for _ in range(_poisson(org, 0.35 * years)):
        start = wd.pick(rng, lo, hi)
        if start is None:
            continue
        full = start + rng.randint(20, 150) * DAY
        spells.append((start, full, 100))
        if rng.random() < 0.6:
            spells.append((full + DAY, full + rng.randint(20, 90) * DAY, 50))
    return spells


def _without_overlap(spells: list[tuple], hi: dt.date, blocked: tuple) -> list[tuple]:
    """The spells in order that end by `hi`, miss the blocked months and overlap no earlier one."""
    taken: list[tuple] = []
    for start, end, pct in sorted(spells):
        if end > hi:
            continue
        if any(start <= b and end >= a for a, b in blocked):
            continue
        if taken and start <= taken[-1][1]:
            continue
        taken.append((start, end, pct))
    return taken


def _february_verzuim(org: Organisation, year: int, groningen, overall, rows: dict) -> None:
    """Place February absences so that each half of the month hits its target exactly.

    Both halves (up to and after the 15th) get the target, so the figure is the same for
    the whole month and for the month up to the peildatum.
    """
    first, mid, last = dt.date(year, 2, 1), dt.date(year, 2, 15), dt.date(year, 2, 28)
    halves = ((first, mid), (mid + DAY, last))
    werkdagen = [org.wd.count(a, b) for a, b in halves]
    if werkdagen[0] != werkdagen[1]:
        raise RuntimeError("februarihelften met ongelijk aantal werkdagen")
    for w in org.workers:
        partial = (first < w.in_dienst <= last) or (w.uit is not None and first <= w.uit < last)
        if partial:
            raise RuntimeError("in- of uitdiensttreding in februari maakt verzuim dubbelzinnig")
    serving = [w for w in org.workers if w.serves(first) and w.serves(last)]
    goal = _february_goal(org, serving, werkdagen[0], groningen, overall)
    for region in REGULAR_TEAMS:
        people = [w for w in serving if org.team_region[w.team] == region]
        org.rng.shuffle(people)
        remaining, unused = _long_absences(org, year, people, goal[region], werkdagen[0], rows)
        for half in halves:
            _fill_half(org, half, remaining, unused, rows)


def _february_goal(org: Organisation, serving, werkdagen: int, groningen, overall) -> dict:
    """Fte-werkdagen of absence per region that give Groningen and the whole their targets."""
    denominator = {r: 0.0 for r in REGULAR_TEAMS}
    for w in serving:
        denominator[org.team_region[w.team]] += w.fte * werkdagen
    total = sum(denominator.values())
    goal = {"Groningen": groningen * denominator["Groningen"]}
    goal["Drenthe"] = overall * total - goal["Groningen"]
    return goal


def _long_absences(org: Organisation, year: int, people, remaining, werkdagen: int, rows):
    """Long absences from January on cover most of the goal; returns what is left of it
    and the people still free for short ones."""
    rng = org.rng
    unused = []
    for w in people:
        pct = 100 if rng.random() < 0.7 else 50
        start = org.wd.pick(rng, dt.date(year, 1, 5), dt.date(year, 1, 30))
        end: dt.date | None
        if year == 2025:
            end = dt.date(2025, 3, 2) + rng.randint(0, 7) * 7 * DAY
        else:
            end = dt.date(2026, 3, 1) if rng.random() < 0.4 else None
        share = w.fte * werkdagen * pct / 100
        free = not any(a <= (end or EXPORT) and b >= start for a, b, _ in rows[w])
        if free and remaining > 12 and remaining >= share:
            rows[w].append((start, end, pct))
            remaining -= share
        else:
            unused.append(w)
    return remaining, unused


def _fill_half(org: Organisation, half: tuple, left: float, unused: list, rows: dict) -> None:
    """Absences of one or two weeks from a Monday make up the rest of the goal in a half."""
    lo, hi = half
    mondays = [d for d in org.wd.between(lo, hi) if d.weekday() == 0]
    while left > 0.001:
        w = unused.pop()
        weeks = 2 if left >= w.fte * 10 and len(mondays) > 1 else 1
        monday = mondays[0] if weeks == 2 else org.rng.choice(mondays)
        pct = 100
        if left < w.fte * 5 * weeks:
            pct = round(100 * left / (w.fte * 5 * weeks))
            if pct < 1:
                return
        rows[w].append((monday, monday + (7 * weeks - 1) * DAY, pct))
        left -= w.fte * 5 * weeks * pct / 100
