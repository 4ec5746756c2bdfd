"""The measure's file: plans, hulp requests and risicotaxaties, calibrated on the peildatum."""

import datetime as dt

from etl.demo.common import DAY, HULP_SOORTEN, HULP_WEIGHTS, add_months, next_werkdag
from etl.demo.jbn.model import Measure, Organisation
from etl.demo.jbn.targets import EXPORT, PEIL, RECENT, TARGETS


def _active(org: Organisation) -> list[Measure]:
    return [m for m in org.measures if m.group in ("old", "recent")]


def _end(m: Measure) -> dt.date:
    return min(m.einde or EXPORT + DAY, EXPORT + DAY)


def _plan_deadline(m: Measure) -> dt.date:
    return next_werkdag(m.uitspraak + 42 * DAY)


def plans(org: Organisation) -> list[tuple]:
    """Every plan, by date: (measure, soort, vastgesteld)."""
    first = _first_plans_active(org)
    _first_plans_other(org, first)
    rows: list[tuple] = []
    for m in org.measures:
        day = first[m]
        if day is not None:
            _plan_series(org, m, day, rows)
    rows.sort(key=lambda r: (r[2], r[0].mid))
    return rows


def _first_plans_active(org: Organisation) -> dict[Measure, dt.date | None]:
    """First plans of the measures active on PEIL, with the shares in time set by TARGETS."""
    rng, wd = org.rng, org.wd
    active = _active(org)
    recent = [m for m in active if m.group == "recent"]
    old = [m for m in active if m.group == "old"]
    open_capable = [m for m in recent if _plan_deadline(m) >= PEIL]
    tijdig = _plans_in_time(org, recent, old, open_capable)
    first: dict[Measure, dt.date | None] = {}
    for m in active:
        deadline = _plan_deadline(m)
        if m in tijdig:
            first[m] = wd.pick(rng, m.uitspraak + 10 * DAY, min(deadline, PEIL))
        elif m in open_capable:
            later = wd.pick(rng, PEIL + DAY, EXPORT) if rng.random() < 0.3 else None
            first[m] = later if later and later <= deadline + 20 * DAY else None
        elif rng.random() < (0.95 if m.group == "old" else 0.85):
            lo = wd.step(deadline, 2)
            first[m] = wd.pick(rng, lo, min(PEIL, lo + 150 * DAY))
        else:
            first[m] = wd.pick(rng, PEIL + DAY, EXPORT) if rng.random() < 0.4 else None
    return first


def _plans_in_time(org: Organisation, recent: list, old: list, open_capable: list) -> set:
    rng = org.rng
    past_recent = [m for m in recent if m not in open_capable]
    eligible = [m for m in open_capable if org.wd.count(m.uitspraak + 10 * DAY, PEIL)]
    rng.shuffle(eligible)

    def error(n_early: int) -> float:
        n_recent = len(past_recent) + n_early
        n_all = n_recent + len(old)
        return max(
            abs(round(TARGETS[key] * n) / n - TARGETS[key])
            for key, n in (("plan_recent", n_recent), ("plan_all", n_all))
        )

    # About a third of those not yet due already have a plan; the exact number is the one
    # whose shares come closest to the targets.
    guess = round(0.35 * len(eligible))
    n_early = min(range(max(0, guess - 4), min(len(eligible), guess + 4) + 1), key=error)
    early = set(eligible[:n_early])
    t_recent = round(TARGETS["plan_recent"] * (len(past_recent) + n_early))
    t_all = round(TARGETS["plan_all"] * (len(past_recent) + n_early + len(old)))
    tijdig = set(early) | set(rng.sample(past_recent, t_recent - len(early)))
    tijdig |= set(rng.sample(old, t_all - t_recent))
    return tijdig


def _first_plans_other(org: Organisation, first: dict) -> None:
    rng, wd = org.rng, org.wd
    for m in org.measures:
        if m in first:
            continue
        deadline = _plan_deadline(m)
        share = 0.45 if m.start < dt.date(2024, 1, 1) else (0.3 if m.start < RECENT else 0.6)
        if rng.random() < share:
            day = wd.pick(rng, m.uitspraak + 10 * DAY, deadline)
        else:
            day = next_werkdag(deadline + rng.randint(3, 120) * DAY)
        first[m] = day if day is not None and day < _end(m) else None


def _plan_series(org: Organisation, m: Measure, day: dt.date, rows: list) -> None:
    """The first plan, then an evaluation or bijstelling about once a year (JR: half-year)."""
    rng = org.rng
    end = _end(m)
    soort = "eerste"
    while day < end:
        rows.append((m, soort, day))
        ok = (250, 365) if m.soort != "JR" else (120, 182)
        late = (366, 480) if m.soort != "JR" else (183, 260)
        gap = rng.randint(*(ok if rng.random() < 0.6 else late))
        day = next_werkdag(day + gap * DAY)
        soort = "evaluatie" if rng.random() < 0.65 else "bijstelling"


def hulp(org: Organisation) -> list[tuple]:
    """Every hulp request, by request date: (measure, soort, aangevraagd, gestart)."""
    rng, wd = org.rng, org.wd
    active = _active(org)
    asked = {}
    for m in active:
        if rng.random() < (0.5 if m.soort == "JR" else 0.75):
            lo = max(m.start, m.uitspraak + 5 * DAY)
            asked[m] = wd.draw(rng, lo, m.uitspraak + 60 * DAY)
    helped = [m for m in active if m in asked and asked[m] <= EXPORT]
    first = _first_hulp_other(org)
    first |= _first_hulp_helped(org, helped, asked)
    rows: list[tuple] = []
    for m in org.measures:
        if m in first:
            _hulp_series(org, m, *first[m], rows)
    rows.sort(key=lambda r: (r[2], r[0].mid))
    return rows


def _first_hulp_other(org: Organisation) -> dict[Measure, tuple[dt.date, dt.date | None]]:
    """First requests of the measures not active on PEIL, uncalibrated."""
    rng, wd = org.rng, org.wd
    first = {}
    for m in org.measures:
        if m.group not in ("old", "recent") and rng.random() < 0.65:
            day = wd.draw(rng, max(m.start, m.uitspraak + 5 * DAY), m.uitspraak + 60 * DAY)
            wait = rng.randint(10, 90) if rng.random() < 0.65 else rng.randint(91, 240)
            started = next_werkdag(day + wait * DAY)
            end = _end(m)
            if day < end:
                first[m] = (day, started if started < end else None)
    return first


def _first_hulp_helped(
    org: Organisation, helped: list, asked: dict
) -> dict[Measure, tuple[dt.date, dt.date | None]]:
    """First requests of the active measures, with the share started in time set by TARGETS."""
    rng, wd = org.rng, org.wd
    deadline = {m: next_werkdag(add_months(m.uitspraak, 3)) for m in helped}
    open_capable = [m for m in helped if deadline[m] >= PEIL]
    tijdig = _hulp_in_time(org, helped, asked, open_capable)
    first = {}
    for m in helped:
        if m in tijdig:
            started = wd.pick(rng, asked[m], min(deadline[m], PEIL))
        elif m in open_capable:
            later = wd.pick(rng, PEIL + DAY, EXPORT)
            started = later if asked[m] <= later and rng.random() < 0.3 else None
        elif rng.random() < 0.85:
            lo = wd.step(deadline[m], 1)
            started = wd.pick(rng, lo, min(PEIL, lo + 200 * DAY))
        else:
            started = None
        first[m] = (asked[m], started)
    return first


def _hulp_in_time(org: Organisation, helped: list, asked: dict, open_capable: list) -> set:
    rng = org.rng
    eligible = [m for m in open_capable if asked[m] <= PEIL - 5 * DAY]
    rng.shuffle(eligible)
    counted = [m for m in helped if m not in open_capable]
    target = TARGETS["hulp"]
    guess = round(0.4 * len(eligible))
    n_early = min(
        range(max(0, guess - 4), min(len(eligible), guess + 4) + 1),
        key=lambda e: abs(round(target * (len(counted) + e)) / (len(counted) + e) - target),
    )
    early = set(eligible[:n_early])
    goal = round(target * (len(counted) + n_early))
    return early | set(rng.sample(counted, goal - len(early)))


def _hulp_series(org: Organisation, m: Measure, asked, started, rows: list) -> None:
    """The first request, then up to two more once the previous hulp has started."""
    rng = org.rng
    rows.append((m, rng.choices(HULP_SOORTEN, HULP_WEIGHTS)[0], asked, started))
    end = _end(m)
    if started is None or started > PEIL:
        return
    for _ in range(rng.choices((0, 1, 2), (55, 30, 15))[0]):
        next_asked = next_werkdag(started + rng.randint(20, 300) * DAY)
        if next_asked >= end:
            break
        next_started: dt.date | None
        next_started = next_werkdag(next_asked + rng.randint(5, 120) * DAY)
        if next_started >= end or rng.random() < 0.15:
            next_started = None
        soort = rng.choices(HULP_SOORTEN, HULP_WEIGHTS)[0]
        rows.append((m, soort, next_asked, next_started))
        if next_started is None:
            break
        started = next_started


def taxaties(org: Organisation) -> list[tuple]:
    """Every risicotaxatie, by date: (measure, day, aanleiding)."""
    rng = org.rng
    window = add_months(PEIL, -3)
    active = _active(org)
    goal = round(TARGETS["taxatie"] * len(active))
    keyed = sorted(
        active,
        key=lambda m: rng.random() ** (1 / (1.5 if m.start >= window else 1.0)),
        reverse=True,
    )
    current = set(keyed[:goal])
    rows = []
    for m in org.measures:
        days = _taxatie_days(org, m, m in current, window)
        for k, d in enumerate(days):
            rows.append((m, d, _aanleiding(org, m, days, k)))
    rows.sort(key=lambda r: (r[1], r[0].mid))
    return rows


def _taxatie_days(org: Organisation, m: Measure, current: bool, window: dt.date) -> list:
    """One at the start, then every few months; `current` ones have one in the last three
    months before PEIL, other active ones none."""
    rng, wd = org.rng, org.wd
    end = _end(m)
    days = []
    day = wd.pick(rng, m.start, m.start + 45 * DAY)
    while day is not None and day < end:
        days.append(day)
        gap = rng.randint(60, 100) if rng.random() < 0.55 else rng.randint(101, 230)
        day = next_werkdag(day + gap * DAY)
    if current:
        lo = max(m.start, window)
        if not any(lo <= d <= PEIL for d in days):
            days.append(wd.draw(rng, lo, PEIL))
    elif m.group in ("old", "recent"):
        days = [d for d in days if not window <= d <= PEIL]
    return sorted(d for d in days if d == days[0] or d >= dt.date(2022, 7, 1))


def _aanleiding(org: Organisation, m: Measure, days: list, k: int) -> str:
    d = days[k]
    if k == 0 and d <= m.start + 45 * DAY:
        return "start"
    if m.einde is not None and k == len(days) - 1 and m.einde - d < 40 * DAY:
        return "afsluiting"
    return org.rng.choices(("evaluatie", "kernbesluit", "terugmelding"), (75, 18, 7))[0]
