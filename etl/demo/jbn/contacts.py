"""Contacts: each measure's calibrated first face-to-face contact, then the contact rhythm."""

import datetime as dt

from etl.contract import CONTACT_MET, CONTACT_VORMEN
from etl.demo.common import DAY, next_werkdag
from etl.demo.jbn.model import Measure, Organisation
from etl.demo.jbn.targets import CONTACT_MEAN_KEYS, EXPORT, TARGETS, interpolate

VORM_WEIGHTS = (45, 25, 7, 10, 11, 2)
MET_WEIGHTS = (22, 32, 18, 12, 16)


def first_contacts(org: Organisation) -> None:
    """Every measure's first face-to-face contact; March 2025 and February 2026 exactly."""
    for m in org.measures:
        day = _draw_first_contact(org, m)
        if day <= EXPORT and (m.einde is None or day < m.einde):
            m.first_contact = day
    march = [m for m in org.measures if (m.start.year, m.start.month) == (2025, 3)]
    items = []
    for m in march:
        if m.first_contact is not None:
            hi = min(EXPORT, m.start + 120 * DAY, (m.einde or EXPORT + DAY) - DAY)
            items.append((m, m.start + DAY, hi))
    _calibrate_mean(org, items, TARGETS["contact_mean_2025_03"])
    _february_cohort(org)


def _draw_first_contact(org: Organisation, m: Measure) -> dt.date:
    """Within 5 werkdagen for a share that follows CONTACT_MEAN_KEYS, else some weeks later."""
    rng, wd = org.rng, org.wd
    mu = interpolate(CONTACT_MEAN_KEYS, m.start.year, m.start.month)
    # CONTACT_MEAN_KEYS start in 2005, before any measure.
    assert mu is not None
    share = min(0.9, max(0.2, 1.05 - mu / 20))
    deadline = wd.step(m.start, 5)
    if rng.random() < share:
        return wd.draw(rng, m.start + DAY, deadline)
    late_extra = max(2.0, (mu - share * 4.5) / (1 - share) - 8)
    delay = 8 + min(110, int(rng.expovariate(1 / late_extra)))
    return next_werkdag(m.start + delay * DAY)


def _february_cohort(org: Organisation) -> None:
    """Design the February 2026 cohort: share within 5 werkdagen and mean days, exactly."""
    rng, wd = org.rng, org.wd
    cohort = [m for m in org.measures if (m.start.year, m.start.month) == (2026, 2)]
    can_be_open = [m for m in cohort if wd.step(m.start, 5) >= EXPORT]
    n_open, n_tijdig = _february_counts(len(cohort), len(can_be_open))
    open_ = set(rng.sample(can_be_open, n_open))
    rest = sorted((m for m in cohort if m not in open_), key=lambda m: m.start)
    late = set(rest[: len(rest) - n_tijdig])
    items = []
    for m in cohort:
        deadline = wd.step(m.start, 5)
        if m in open_:
            m.first_contact = None
        elif m in late:
            lo = wd.step(deadline, 1)
            m.first_contact = wd.pick(rng, lo, min(lo + 14 * DAY, EXPORT))
            items.append((m, lo, EXPORT))
        else:
            hi = min(deadline, EXPORT)
            m.first_contact = wd.pick(rng, m.start + DAY, hi)
            items.append((m, m.start + DAY, hi))
    _calibrate_mean(org, items, TARGETS["contact_mean_2026_02"])


def _february_counts(n_cohort: int, n_can_be_open: int) -> tuple[int, int]:
    """How many stay without a contact (about 3) and how many are in time, to hit the share."""
    target = TARGETS["contact_share_2026_02"]
    for n_open in sorted(range(n_can_be_open + 1), key=lambda o: abs(o - 3)):
        counted = n_cohort - n_open
        tijdig = round(target * counted)
        if counted and abs(tijdig / counted - target) < 0.004:
            return n_open, tijdig
    raise RuntimeError("februari-cohort niet te kalibreren")


def _calibrate_mean(org: Organisation, items, target_mean: float) -> None:
    """Shift first contacts werkdag by werkdag until their mean delay hits the target."""
    rng, wd = org.rng, org.wd
    goal = round(target_mean * len(items))
    total = sum((m.first_contact - m.start).days for m, _, _ in items)
    for _ in range(20000):
        diff = goal - total
        if diff == 0:
            break
        m, lo, hi = items[rng.randrange(len(items))]
        new = wd.step(m.first_contact, 1 if diff > 0 else -1)
        delta = (new - m.first_contact).days
        if lo <= new <= hi and abs(diff - delta) < abs(diff):
            m.first_contact = new
            total += delta
    if abs(goal - total) / len(items) > 0.1:
        raise RuntimeError("gemiddelde eerste-contacttermijn niet te kalibreren")


def contacts(org: Organisation) -> list[tuple]:
    """Every contact, by date: (measure, worker, day, vorm, met, jeugdige alleen gezien)."""
    rows = []

    def add(m, day, vorm, met):
        worker = m.holder(day)
        if worker is None:
            return
        alone = None
        if vorm == "face-to-face" and met in ("jeugdige", "jeugdige_en_ouder"):
            alone = org.rng.random() < 0.55
        rows.append((m, worker, day, vorm, met, alone))

    for m in org.measures:
        _measure_contacts(org, m, add)
    rows.sort(key=lambda r: (r[2], r[0].mid))
    return rows


def _measure_contacts(org: Organisation, m: Measure, add) -> None:
    """A call to the parents before the first visit, the first visit, then the rhythm."""
    rng = org.rng
    end = min(m.einde or EXPORT + DAY, EXPORT + DAY)
    fc = m.first_contact
    if rng.random() < 0.5:
        call = org.wd.pick(rng, m.start, (fc or end) - DAY)
        if call is not None and call >= dt.date(2022, 1, 1):
            add(m, call, "telefonisch", "ouder")
    if fc is None:
        return
    met = rng.choices(("jeugdige", "ouder", "jeugdige_en_ouder"), (30, 25, 45))[0]
    add(m, fc, "face-to-face", met)
    voogdij = m.soort in ("voogdij", "voorlopige_voogdij")
    weak = rng.random() < 0.2
    day = max(fc, dt.date(2022, 7, 1))
    if voogdij:
        _voogdij_rhythm(org, m, day, end, weak, add)
    else:
        _rhythm(org, m, day, end, add)


def _special(org: Organisation, m: Measure, day: dt.date) -> bool:
    return org.team_kind[m.holding_team(day) or m.team_reg] != "regulier"


def _rhythm(org: Organisation, m: Measure, day: dt.date, end: dt.date, add) -> None:
    rng = org.rng
    while True:
        special = _special(org, m, day)
        low, high = (25, 70) if special else ((7, 28) if m.soort == "JR" else (9, 32))
        day = next_werkdag(day + rng.randint(low, high) * DAY)
        if day >= end:
            break
        vorm = rng.choices(CONTACT_VORMEN, VORM_WEIGHTS)[0]
        met = rng.choices(CONTACT_MET, MET_WEIGHTS)[0]
        add(m, day, vorm, met)


def _voogdij_rhythm(org: Organisation, m: Measure, day, end, weak: bool, add) -> None:
    """A voogd sees the child on its own rhythm, and parents, network and partners on another."""
    rng = org.rng
    child_day = day
    while True:
        special = _special(org, m, day)
        low, high = (80, 170) if weak else (45, 95)
        child_day = next_werkdag(child_day + rng.randint(low, high) * DAY)
        if child_day < end:
            vorm = "face-to-face" if rng.random() < 0.85 else "video"
            add(m, child_day, vorm, rng.choice(("jeugdige", "jeugdige_en_ouder")))
        gap = rng.randint(20, 60) if not special else rng.randint(35, 80)
        day = next_werkdag(day + gap * DAY)
        if day >= end and child_day >= end:
            break
        if day < end:
            met = rng.choices(("ouder", "netwerk", "ketenpartner"), (50, 20, 30))[0]
            add(m, day, rng.choices(CONTACT_VORMEN, VORM_WEIGHTS)[0], met)
