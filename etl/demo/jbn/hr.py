"""The HR files: formatie per team and month, verzuim, and caseloadgesprekken."""

import datetime as dt

from etl.demo.common import DAY, month_end, next_werkdag
from etl.demo.jbn.model import JZW, Organisation, Worker
from etl.demo.jbn.targets import (
    ABOVE_FORMATIE,
    EXPORT,
    HISTORY,
    REGULAR_TEAMS,
    TEAM_START,
    VERZUIM,
    months,
)


def formatie(org: Organisation) -> list[tuple]:
    """Budgeted fte per team and month: a little above the fte serving on the 15th, until the
    gemeenten funded staff above formatie; from then on below the fte serving at month end."""
    rows = []
    for team, kind in sorted(org.team_kind.items()):
        for first in months(TEAM_START[kind], EXPORT):
            draw = org.rng.uniform(1.0, 1.1)
            if first < ABOVE_FORMATIE[0]:
                day, factor = first.replace(day=15), draw
            else:
                # The one draw per month is mapped, not redrawn, to keep the stream as it was.
                low, high = ABOVE_FORMATIE[1]
                day = min(month_end(first), EXPORT)
                factor = 1 / (low + (high - low) * (draw - 1.0) / 0.1)
            bezetting = sum(w.fte for w in org.workers if w.team == team and w.serves(day))
            budget = round(bezetting * factor, 1)
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
    """Every sick spell, per worker by start: (worker, ziek_vanaf, ziek_tot, percentage), with
    ziek_tot the first day back (empty: still absent); all within the worker's service."""
    rows: dict[Worker, list] = {w: [] for w in org.workers}
    # February 2025 and 2026 are placed by _february_verzuim, to hit the hertoets figures.
    blocked = tuple((dt.date(y, 2, 1), dt.date(y, 3, 1)) for y in VERZUIM)
    for w in org.workers:
        lo = max(w.in_dienst, HISTORY)
        hi = min(w.uit or EXPORT, EXPORT)
        if lo < hi:
            rows[w].extend(_without_overlap(_spells(org, lo, hi), w.uit or EXPORT + DAY, blocked))
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
        spells.append((start, wd.step(start, k - 1) + DAY, 100))
    for _ in range(_poisson(org, 0.35 * years)):
        start = wd.pick(rng, lo, hi)
        if start is None:
            continue
        back = start + rng.randint(21, 151) * DAY
        spells.append((start, back, 100))
        if rng.random() < 0.6:
            spells.append((back, back + rng.randint(20, 90) * DAY, 50))
    return spells


def _without_overlap(spells: list[tuple], back_by: dt.date, blocked: tuple) -> list[tuple]:
    """The spells in order that are over by `back_by`, miss the blocked months and overlap no
    earlier one."""
    taken: list[tuple] = []
    for start, back, pct in sorted(spells):
        if back > back_by:
            continue
        if any(start < b and back > a for a, b in blocked):
            continue
        if taken and start < taken[-1][1]:
            continue
        taken.append((start, back, pct))
    return taken


def _february_verzuim(org: Organisation, year: int, groningen, overall, rows: dict) -> None:
    """Place February absences so that each half of the month hits its target exactly, in
    calendar days.

    Both halves (up to and after the 15th) get the target, so the figure is the same for
    the whole month and for the month up to the peildatum.
    """
    first, last = dt.date(year, 2, 1), dt.date(year, 2, 28)
    halves = ((first, dt.date(year, 2, 16)), (dt.date(year, 2, 16), last + DAY))
    for w in org.workers:
        partial = (first < w.in_dienst <= last) or (w.uit is not None and first < w.uit <= last)
        if partial:
            raise RuntimeError("in- of uitdiensttreding in februari maakt verzuim dubbelzinnig")
    serving = [w for w in org.workers if w.serves(first) and w.serves(last)]
    goal = _february_goal(org, serving, groningen, overall)
    for region in REGULAR_TEAMS:
        people = [w for w in serving if org.team_region[w.team] == region]
        org.rng_verzuim.shuffle(people)
        remaining, unused = _long_absences(org, year, people, goal[region], rows)
        for lo, hi in halves:
            _fill_half(org, (lo, hi), remaining * (hi - lo).days, unused, rows)


def _february_goal(org: Organisation, serving, groningen, overall) -> dict:
    """Fte absent on each February day per region that gives Groningen and the whole their
    targets."""
    fte = {r: 0.0 for r in REGULAR_TEAMS}
    for w in serving:
        fte[org.team_region[w.team]] += w.fte
    goal = {"Groningen": groningen * fte["Groningen"]}
    goal["Drenthe"] = overall * sum(fte.values()) - goal["Groningen"]
    return goal


def _long_absences(org: Organisation, year: int, people, remaining, rows):
    """Long absences from January on cover most of the goal; returns the fte of it left
    and the people still free for short ones."""
    rng = org.rng_verzuim
    unused = []
    for w in people:
        pct = 100 if rng.random() < 0.7 else 50
        start = org.wd.pick(rng, max(dt.date(year, 1, 5), w.in_dienst), dt.date(year, 1, 30))
        back: dt.date | None
        if year == 2025:
            back = dt.date(2025, 3, 3) + rng.randint(0, 7) * 7 * DAY
        else:
            back = dt.date(2026, 3, 2) if rng.random() < 0.4 else None
        if w.uit is not None:
            back = min(back or w.uit, w.uit)
        share = w.fte * pct / 100
        free = start is not None and not any(
            a < (back or dt.date.max) and (b or dt.date.max) > start for a, b, _ in rows[w]
        )
        if free and remaining > 1.2 and remaining >= share:
            rows[w].append((start, back, pct))
            remaining -= share
        else:
            unused.append(w)
    return remaining, unused


def _fill_half(org: Organisation, half: tuple, left: float, unused: list, rows: dict) -> None:
    """Absences of one or two weeks from a Monday, back at the latest when the half is over,
    make up the rest of the goal (`left` fte-days) in a half."""
    lo, hi = half
    mondays = [d for d in (lo + k * DAY for k in range((hi - lo).days)) if d.weekday() == 0]
    while left > 0.001:
        w = unused.pop()
        weeks = 2 if left >= w.fte * 14 and len(mondays) > 1 else 1
        monday = mondays[0] if weeks == 2 else org.rng_verzuim.choice(mondays)
        back = min(monday + 7 * weeks * DAY, hi)
        days = (back - monday).days
        pct = 100
        if left < w.fte * days:
            pct = round(100 * left / (w.fte * days))
            if pct < 1:
                return
        rows[w].append((monday, back, pct))
        left -= w.fte * days * pct / 100
