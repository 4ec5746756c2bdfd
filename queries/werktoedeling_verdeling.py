"""The sequential assignment of the planner: measures grouped into units (one, or the
siblings of a family), each in turn to the best receiver that breaks no rule."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from queries.config import Config, config_key
from queries.snapshot import VOOGDIJ_SOORTEN, Snapshot
from queries.werktoedeling_regels import FUNCTIE, REGELS, Ontvanger, ontvangers

OnReject = Callable[[str], None]
# Room is a sum of fte fractions and weights: compare with a little slack.
_EPS = 1e-9


@dataclass
class Eenheid:
    """Measures placed together: one, or the siblings of one family (JB)."""

    leden: list[dict]
    functie: str
    # The only allowed receivers (a sibling's vaste jeugdzorgwerker), else empty.
    vast: frozenset[str]
    # Workers of the family, preferred first.
    gezin: frozenset[str]


@dataclass(frozen=True)
class _Feiten:
    """What the rules ask of a unit, worked out once for all its candidates."""

    # Receivers rejected for one of the unit's measures.
    afgewezen: frozenset[str]
    voogdij: bool

    @classmethod
    def of(cls, u: Eenheid, rejected: set[tuple[str, str]]) -> "_Feiten":
        ids = {r["maatregel_id"] for r in u.leden}
        return cls(
            frozenset(naar for mid, naar in rejected if mid in ids),
            any(r["soort"] in VOOGDIJ_SOORTEN for r in u.leden),
        )


def eenheden(rows: list[dict], m: pl.DataFrame, open_ids: set[str]) -> list[Eenheid]:
    """rows grouped into units, in the order they are placed: longest waiting first."""
    held = m.filter(
        (pl.col("rol") == "jeugdzorgwerker")
        & (pl.col("team_soort") == "regulier")
        & ~pl.col("maatregel_id").is_in(list(open_ids))
        & pl.col("gezin_id").is_in([r["gezin_id"] for r in rows if r["gezin_id"]])
    )
    family_jb: dict[str, set[str]] = defaultdict(set)
    family_all: dict[str, set[str]] = defaultdict(set)
    for r in held.iter_rows(named=True):
        family_all[r["gezin_id"]].add(r["medewerker_id"])
        if r["soort"] != "JR":
            family_jb[r["gezin_id"]].add(r["medewerker_id"])
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        jb = r["soort"] != "JR"
        key = ("gezin", r["gezin_id"]) if jb and r["gezin_id"] else ("los", r["maatregel_id"])
        groups[key].append(r)
    units = []
    for leden in groups.values():
        leden.sort(key=lambda r: r["maatregel_id"])
        first = leden[0]
        g = first["gezin_id"]
        jb = first["soort"] != "JR"
        vast = frozenset(family_jb.get(g, ())) if jb and g else frozenset()
        units.append(
            Eenheid(
                leden=leden,
                functie=FUNCTIE["JB" if jb else "JR"],
                vast=vast,
                gezin=vast or frozenset(family_all.get(g, ()) if g else ()),
            )
        )
    units.sort(key=lambda u: min((r["sinds"] or date.max, r["maatregel_id"]) for r in u.leden))
    return units


def _txt(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


class Planner:
    """The sequential assignment: units in order, each to the best receiver that breaks no rule."""

    def __init__(
        self,
        snap: Snapshot,
        as_of: date,
        config: Config,
        m: pl.DataFrame,
        accepted: dict[str, str],
        rejected: set[tuple[str, str]],
        on_reject: OnReject | None,
    ) -> None:
        self.config, self.rejected = config, rejected
        self.on_reject = on_reject or (lambda _rule: None)
        self.staff = snap.memo(
            ("werktoedeling-ontvangers", as_of, config_key(config)),
            lambda: ontvangers(snap, as_of, config),
            chosen=True,
        )
        self.room = {k: w.norm - w.gewogen for k, w in self.staff.items()}
        gewicht = dict(m.select("maatregel_id", "gewicht").iter_rows())
        for mid, naar in accepted.items():
            if naar in self.room:
                self.room[naar] -= gewicht[mid]
        self.groups: dict[tuple, list[Ontvanger]] = defaultdict(list)
        for w in sorted(self.staff.values(), key=lambda w: w.medewerker_id):
            self.groups[(w.regio, w.functie)].append(w)
        held = m.filter(pl.col("medewerker_id").is_not_null() & pl.col("gemeente").is_not_null())
        self.local: dict[tuple[str, str], int] = {
            (w, g): n for w, g, n in held.group_by("medewerker_id", "gemeente").len().iter_rows()
        }
        self.group_rules: dict[tuple[str, str], tuple[str, ...]] = {}
        self.team_names = dict(snap["teams"].select("team_id", "naam").iter_rows())

    def _fire_group_rules(self, regio: str, functie: str) -> None:
        """The rules that rule out whole groups of workers for this unit: region, function and
        each receiver's own rules."""
        if (regio, functie) not in self.group_rules:
            rules = [w.afgewezen for w in self.groups.get((regio, functie), []) if w.afgewezen]
            for r, f in self.groups:
                if f == functie and r != regio:
                    rules.append("regio")
                if r == regio and f != functie:
                    rules.append("functie")
            self.group_rules[(regio, functie)] = tuple(sorted(set(rules)))
        for rule in self.group_rules[(regio, functie)]:
            self.on_reject(rule)

    def _check(self, u: Eenheid, w: Ontvanger, total: float, facts: _Feiten) -> str | None:
        """The first rule of this unit that rules w out, or None."""
        if u.vast and w.medewerker_id not in u.vast:
            return "gezin"
        if w.medewerker_id in facts.afgewezen:
            return "afgewezen"
        if w.inwerk and facts.voogdij and not self.config.werktoedeling_inwerk_voogdij:
            return "inwerk_voogdij"
        buffer = self.config.werktoedeling_buffer_per_fte * w.fte
        if self.room[w.medewerker_id] - total < buffer - _EPS:
            return "ruimte"
        return None

    def _key(self, u: Eenheid, w: Ontvanger) -> tuple:
        mid = w.medewerker_id
        return (
            -(mid in u.gezin),
            -sum(r["vorig_team"] == w.team_id for r in u.leden),
            -sum(self.local.get((mid, r["gemeente"]), 0) for r in u.leden),
            -self.room[mid],
            mid,
        )

    def plaats(self, u: Eenheid) -> tuple[Ontvanger | None, str]:
        """The receiver of the unit and why, or None and why nobody."""
        regios = {r["regio"] for r in u.leden}
        if None in regios:
            return None, "regio onbekend"
        if len(regios) > 1:
            return None, f"gezin verdeeld over regio's {' en '.join(sorted(regios))}"
        (regio,) = regios
        self._fire_group_rules(regio, u.functie)
        group = self.groups.get((regio, u.functie), [])
        total = sum(r["gewicht"] for r in u.leden)
        facts = _Feiten.of(u, self.rejected)
        why: dict[str, str] = {}
        fits = []
        for w in group:
            rule = w.afgewezen or self._check(u, w, total, facts)
            if rule is None:
                fits.append(w)
            else:
                why[w.medewerker_id] = rule
                if w.afgewezen is None:
                    self.on_reject(rule)
        if fits:
            best = min(fits, key=lambda w: self._key(u, w))
            return best, self._reden(u, best, regio)
        return None, self._geen(u, regio, group, why)

    def _reden(self, u: Eenheid, w: Ontvanger, regio: str) -> str:
        mid, n = w.medewerker_id, len(u.leden)
        previous = [r["vorig_team"] for r in u.leden if r["vorig_team"] == w.team_id]
        local = [(self.local.get((mid, r["gemeente"]), 0), r["gemeente"] or "") for r in u.leden]
        count, gemeente = max(local)
        if mid in u.vast:
            text = "broer of zus al bij deze jeugdzorgwerker"
        elif mid in u.gezin:
            text = "gezinslid al bij deze jeugdzorgwerker"
        elif previous:
            text = f"terug naar vorig team {self.team_names.get(previous[0], previous[0])}"
        elif count:
            text = f"meeste maatregelen in {gemeente} ({count})"
        else:
            text = f"meeste ruimte in regio {regio} ({_txt(self.room[mid])})"
        return text + (f"; gezin van {n} samen" if n > 1 else "")

    def _geen(self, u: Eenheid, regio: str, group: list[Ontvanger], why: dict) -> str:
        n = len(u.leden)
        if not group:
            return f"geen {u.functie} in regio {regio}"
        if all(w.afgewezen for w in group):
            return f"geen beschikbare {u.functie} in regio {regio}"
        if u.vast:
            names = ", ".join(f"{m} ({REGELS[self._waarom(m, u, why)]})" for m in sorted(u.vast))
            return f"broer of zus ligt bij {names}"
        if n > 1:
            return f"gezin van {n} past bij niemand in regio {regio}"
        dynamic = [why[w.medewerker_id] for w in group if w.afgewezen is None]
        if all(rule == "afgewezen" for rule in dynamic):
            return f"afgewezen door alle beschikbare {u.functie}s in regio {regio}"
        return f"geen ruimte in regio {regio}"

    def _waarom(self, mid: str, u: Eenheid, why: dict[str, str]) -> str:
        """The rule that ruled out the sibling's worker mid for this unit."""
        if mid in why:
            return why[mid]
        w = self.staff.get(mid)
        return "regio" if w is not None and w.functie == u.functie else "functie"

    def take(self, w: Ontvanger, gewicht: float) -> tuple[float, float]:
        before = self.room[w.medewerker_id]
        self.room[w.medewerker_id] = before - gewicht
        return before, before - gewicht
