"""Who the people are: workers' names, contracts and papers, children's gemeente and family."""

import datetime as dt

from etl.demo.common import DAY, FIRST_NAMES, GEMEENTEN, SURNAMES
from etl.demo.jbn.model import Child, Organisation, Worker
from etl.demo.jbn.targets import EXPORT


def describe_workers(org: Organisation) -> dict[Worker, tuple]:
    """Number every worker; per worker (naam, dienstverband, VOG, SKJ geldig tot, diploma)."""
    rng = org.rng
    attrs = {}
    used = set()
    for n, w in enumerate(org.workers):
        w.mid = str(1001 + n)
        while True:
            naam = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if naam not in used:
                used.add(naam)
                break
        dienst = _dienstverband(org, w)
        vog = _vog(org, w)
        skj = _skj(org, w)
        diploma = rng.random() > 0.04
        attrs[w] = (naam, dienst, vog, skj, diploma)
    return attrs


def _dienstverband(org: Organisation, w: Worker) -> str:
    rng = org.rng
    if org.team_kind[w.team] == "CRT":
        dienst = rng.choices(("vast", "tijdelijk", "zzp"), (45, 25, 30))[0]
    elif w.in_dienst >= dt.date(2024, 6, 1):
        dienst = rng.choices(("vast", "tijdelijk", "zzp"), (55, 38, 7))[0]
    else:
        dienst = rng.choices(("vast", "tijdelijk", "zzp"), (92, 3, 5))[0]
    return "vast" if w.functie == "manager" else dienst


def _vog(org: Organisation, w: Worker) -> dt.date:
    """Recent hires show a VOG from just before they came; a few older ones are overdue."""
    rng = org.rng
    roll = rng.random()
    if w.in_dienst >= dt.date(2023, 3, 5):
        return w.in_dienst - rng.randint(5, 60) * DAY
    if roll < 0.08:
        return dt.date(2023, 3, 5) + rng.randint(0, 90) * DAY
    if roll < 0.1:
        return dt.date(2022, 6, 1) + rng.randint(0, 270) * DAY
    return dt.date(2023, 6, 10) + rng.randint(0, 950) * DAY


def _skj(org: Organisation, w: Worker) -> dt.date | None:
    """SKJ registration for all but managers; a few expire soon or have expired."""
    if w.functie in ("teammanager", "manager"):
        return None
    rng = org.rng
    roll = rng.random()
    if roll < 0.08:
        return EXPORT + rng.randint(1, 90) * DAY
    if roll < 0.1:
        return EXPORT - rng.randint(1, 120) * DAY
    return EXPORT + rng.randint(91, 1800) * DAY


def email(org: Organisation, w: Worker) -> str | None:
    """A work address in a reserved domain; a few people have none on file."""
    return None if org.rng_extra.random() < 0.02 else f"m{w.mid}@jbn-demo.example"


def gemeenten_of(org: Organisation, children: list[Child]) -> dict[Child, str]:
    """A gemeente per child, in the region of their first measure, weighted by size."""
    chosen = {}
    for child in children:
        region = child.measures[0].region
        names, weights = zip(*GEMEENTEN[region], strict=True)
        chosen[child] = org.rng.choices(names, weights)[0]
    return chosen


def families(org: Organisation, children: list[Child], gemeenten: dict) -> dict[Child, str]:
    """A gezin_id per child: children of one gemeente whose first measures start within
    six weeks of each other are often siblings (up to three, JB and JR mixed)."""
    rng = org.rng_extra
    first = {c: min(m.start for m in c.measures) for c in children}
    order = sorted(children, key=lambda c: (gemeenten[c], first[c], c.jid))
    members: list[Child]
    gezin, members, n = {}, [], 0
    for child in order:
        head = members[0] if members else None
        joins = (
            head is not None
            and len(members) < 3
            and gemeenten[head] == gemeenten[child]
            and (first[child] - first[head]).days <= 42
            and rng.random() < 0.35
        )
        if not joins:
            n += 1
            members = []
        members.append(child)
        gezin[child] = f"G{n:06d}"
    return gezin
