"""The measures, designed group by group around the peildatum, and the children they belong to."""

import datetime as dt

from etl.demo.common import DAY, add_months, is_werkdag, month_end, next_werkdag
from etl.demo.jbn.model import Child, Measure, Organisation
from etl.demo.jbn.targets import (
    ACTIVE_OLD,
    AFTER_PEIL,
    ENDED,
    EXPORT,
    HISTORY,
    PEIL,
    RECENT,
    RECENT_PER_MONTH,
    REGULAR_TEAMS,
)

ALL_SOORTEN = ("OTS", "JR", "voogdij", "VOTS", "voorlopige_voogdij")


def build(org: Organisation) -> None:
    """The measures: exactly the active ones on PEIL, those that ended, those started after."""
    _add_old(org)
    _add_recent(org)
    _add_ended(org)
    _add_after_peil(org)
    org.measures.sort(key=lambda m: (m.start, m.group, m.region, m.soort))
    for m in org.measures:
        _set_uitspraak(org, m)
    _end_provisional(org)


def _snap(org: Organisation, day: dt.date, before: dt.date | None = None) -> dt.date:
    """The first werkdag on or after `day`, or the last one before `before`."""
    day = next_werkdag(day)
    if before is not None and day >= before:
        day = org.wd.step(next_werkdag(before), -1)
    return day


def _add(org: Organisation, start: dt.date, soort: str, einde: dt.date | None, group: str) -> None:
    region = "Groningen" if org.rng.random() < 0.56 else "Drenthe"
    team = org.rng.choice(REGULAR_TEAMS[region])[0]
    org.measures.append(Measure(region, soort, start, einde, group, team_reg=team))


def _add_old(org: Organisation) -> None:
    rng = org.rng
    for _ in range(ACTIVE_OLD):
        soort = rng.choices(("OTS", "JR", "voogdij"), (60, 15, 25))[0]
        # Survivors thin out with age as the measures end: mean remaining life per soort.
        mean_age = {"OTS": 800, "JR": 330, "voogdij": 1800}[soort]
        earliest = {"OTS": 2015, "JR": 2023, "voogdij": 2010}[soort]
        while True:
            start = RECENT - DAY - int(rng.expovariate(1 / mean_age)) * DAY
            if start.year >= earliest:
                break
        einde = org.wd.pick(rng, PEIL + DAY, EXPORT) if rng.random() < 0.025 else None
        _add(org, _snap(org, start, RECENT), soort, einde, "old")


def _add_recent(org: Organisation) -> None:
    rng = org.rng
    for year, month, count in RECENT_PER_MONTH:
        first = dt.date(year, month, 1)
        last = min(month_end(first), PEIL)
        for _ in range(count):
            start = org.wd.draw(rng, first, last)
            if start >= dt.date(2025, 11, 24):
                soort = rng.choices(ALL_SOORTEN, (50, 20, 7, 15, 8))[0]
            else:
                soort = rng.choices(("OTS", "JR", "voogdij"), (62, 26, 12))[0]
            einde = None
            if start < PEIL - 30 * DAY and rng.random() < 0.03:
                einde = org.wd.pick(rng, PEIL + DAY, EXPORT)
            _add(org, start, soort, einde, "recent")


def _add_ended(org: Organisation) -> None:
    rng = org.rng
    for _ in range(ENDED):
        einde = org.wd.draw(rng, HISTORY, PEIL)
        soort = rng.choices(ALL_SOORTEN, (50, 27, 8, 10, 5))[0]
        if soort == "OTS":
            years = rng.choices((1, 2, 3, 4, 5), (35, 30, 20, 10, 5))[0]
            length = max(60, years * 365 + rng.randint(-90, 30))
        else:
            low, high = {
                "JR": (150, 560),
                "voogdij": (300, 3650),
                "VOTS": (14, 92),
                "voorlopige_voogdij": (20, 150),
            }[soort]
            length = rng.randint(low, high)
        _add(org, _snap(org, einde - length * DAY, einde), soort, einde, "ended")


def _add_after_peil(org: Organisation) -> None:
    for (month, day), count in sorted(AFTER_PEIL.items()):
        for _ in range(count):
            soort = org.rng.choices(ALL_SOORTEN, (50, 20, 8, 14, 8))[0]
            _add(org, dt.date(2026, month, day), soort, None, "after")


def _set_uitspraak(org: Organisation, m: Measure) -> None:
    options = [(k, w) for k, w in zip(range(4), (25, 45, 20, 10), strict=True)]
    options = [(k, w) for k, w in options if is_werkdag(m.start - k * DAY)]
    k = org.rng.choices([k for k, _ in options], [w for _, w in options])[0]
    m.uitspraak = m.start - k * DAY


def _end_provisional(org: Organisation) -> None:
    """Most recent VOTS and voorlopige voogdij end on their planned day, three months on."""
    for m in org.measures:
        if m.group == "recent" and m.soort in ("VOTS", "voorlopige_voogdij"):
            planned = add_months(m.uitspraak, 3)
            if planned <= EXPORT and org.rng.random() < 0.7:
                m.einde = _snap(org, planned, EXPORT + DAY)


def add_children(org: Organisation) -> None:
    """One child per measure, except that an OTS or voogdij often follows a child's
    VOTS or voorlopige voogdij; birth dates keep every child under 18 while measured."""
    for n, child in enumerate(_link_children(org)):
        child.birth = _birth(org, child)
        child.jid = f"J{100001 + n:06d}"


def _link_children(org: Organisation) -> list[Child]:
    followers: dict[tuple[str, str, dt.date], list[int]] = {}
    for i, m in enumerate(org.measures):
        if m.soort in ("OTS", "voogdij"):
            followers.setdefault((m.region, m.soort, m.start), []).append(i)
    children = []
    for m in org.measures:
        if m.child is not None:
            continue
        child = Child([m])
        m.child = child
        children.append(child)
        if m.soort in ("VOTS", "voorlopige_voogdij") and m.einde is not None:
            _follow(org, child, m, followers)
    return children


def _follow(org: Organisation, child: Child, m: Measure, followers: dict) -> None:
    """Often the child's next measure is the OTS or voogdij starting as `m` ends."""
    follow = "OTS" if m.soort == "VOTS" else "voogdij"
    # Only a measure that ended is followed.
    assert m.einde is not None
    for k in range(0, 6):
        cands = followers.get((m.region, follow, m.einde + k * DAY), [])
        cands = [j for j in cands if org.measures[j].child is None]
        if cands and org.rng.random() < 0.6:
            j = cands[0]
            org.measures[j].child = child
            child.measures.append(org.measures[j])
            return


def _birth(org: Organisation, child: Child) -> dt.date:
    rng = org.rng
    first = min(m.start for m in child.measures)
    last = max(m.einde or EXPORT for m in child.measures)
    soort = child.measures[0].soort
    if soort == "JR":
        age = rng.choices(range(12, 18), (2, 5, 10, 15, 15, 10))[0]
    elif soort in ("voogdij", "voorlopige_voogdij"):
        age = rng.randint(0, 15)
    else:
        age = rng.choices(range(18), [10] * 12 + [9, 8, 7, 6, 4, 2])[0]
    birth = first.replace(year=first.year - age, day=1) - rng.randint(0, 360) * DAY
    lowest = add_months(last, -216) + DAY
    return min(max(birth, lowest), first)
