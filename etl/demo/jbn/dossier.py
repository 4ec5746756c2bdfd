"""The measure's file: plans, hulp requests and risicotaxaties, calibrated on the peildatum."""

import datetime as dt

from etl.demo.common import DAY, HULP_SOORTEN, HULP_WEIGHTS, add_months, next_werkdag
from etl.demo.jbn.model import Measure, Organisation
from etl.demo.jbn.targets import EXPORT, PEIL, RECENT, TARGETS, TAXATIE_ON_TIME, interpolate

ARIJ_REASONS = ("evaluatie", "kernbesluit", "terugmelding")


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
        day = m.plan = first[m]
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
    chains = {m: _taxatie_chain(org, m) for m in org.measures}
    _calibrate_taxaties(org, chains)
    rows = [(m, d, reason) for m, chain in chains.items() for d, reason in chain]
    rows.sort(key=lambda r: (r[1], r[0].mid))
    return rows


def _taxatie_chain(org: Organisation, m: Measure) -> list[tuple[dt.date, str]]:
    """ARIJ (JB): at the start, then every 3 months when on time. LIJ (JR): at the start, at
    the plan, then every 6 months when on time. Often at afsluiting. Late gaps are long, and
    rarer the later the previous risicotaxatie (TAXATIE_ON_TIME)."""
    rng, wd = org.rng_taxatie, org.wd
    end = _end(m)
    jr = m.soort == "JR"
    first = wd.pick(rng, m.start, m.start + (20 if jr else 45) * DAY)
    chain = [] if first is None or first >= end else [(first, "start")]
    if jr and first is not None and chain and m.plan is not None and m.plan > first + 14 * DAY:
        day = wd.pick(rng, m.plan - 7 * DAY, m.plan)
        if day is not None and day < end:
            chain.append((day, "kernbesluit"))
    on_time, late = ((150, 182), (190, 280)) if jr else ((55, 91), (120, 420))
    while chain:
        last = chain[-1][0]
        p = interpolate(TAXATIE_ON_TIME, last.year, last.month)
        assert p is not None  # the keys start before any measure
        gap = rng.randint(*(on_time if rng.random() < p else late))
        day = next_werkdag(last + gap * DAY)
        if day >= end:
            break
        reason = "evaluatie" if jr else rng.choices(ARIJ_REASONS, (75, 18, 7))[0]
        chain.append((day, reason))
    if chain and m.einde is not None and m.einde <= EXPORT and rng.random() < (0.7 if jr else 0.4):
        day = wd.pick(rng, max(chain[-1][0] + 14 * DAY, m.einde - 25 * DAY), m.einde - DAY)
        if day is not None:
            chain.append((day, "afsluiting"))
    # The export reaches back to July 2022, and to every measure's first risicotaxatie.
    return [c for k, c in enumerate(chain) if k == 0 or c[0] >= dt.date(2022, 7, 1)]


def _calibrate_taxaties(org: Organisation, chains: dict) -> None:
    """Where the chains leave the share of active measures with a current risicotaxatie (at
    most 3 months old) on PEIL short of TARGETS['taxatie'], ad hoc ARIJs from December on
    make it up."""
    rng, wd = org.rng_taxatie, org.wd
    window = add_months(PEIL, -3)
    active = _active(org)

    def current(m: Measure) -> bool:
        return any(window <= d <= PEIL for d, _ in chains[m])

    missing = round(TARGETS["taxatie"] * len(active)) - sum(map(current, active))
    if missing <= 0:
        return
    since = {m: max(m.start, dt.date(PEIL.year - 1, 12, 1)) for m in active}
    candidates = [
        m for m in active if m.soort != "JR" and not current(m) and wd.count(since[m], PEIL)
    ]
    for m in rng.sample(candidates, min(missing, len(candidates))):
        day = wd.draw(rng, since[m], PEIL)
        chains[m] = sorted([*chains[m], (day, rng.choice(("kernbesluit", "terugmelding")))])
