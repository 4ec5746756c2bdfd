"""Verantwoorde werktoedeling: one planner for who should hold a measure (CCP/CRT afbouw,
unassigned measures, a waarnemer for an unavailable holder) that never breaks a rule."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from queries.afbouw import SPECIAAL, known_toewijzingen, with_team_names
from queries.caseload import active_on, held_active, weight
from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.scope import Viewer, beheerd_gebied
from queries.snapshot import Snapshot
from queries.termijnen import VOOGDIJ_SOORTEN
from queries.tijd_in_crt import crt_stays
from queries.werktoedeling_regels import FUNCTIE, REGELS, Ontvanger, onbeschikbaar, ontvangers

SOORTEN = ("afbouw", "uitval", "niet_toegewezen")
BESLUITEN = ("geaccepteerd", "afgewezen")
BESLUIT_SCHEMA = {"maatregel_id": pl.String, "naar_medewerker_id": pl.String, "besluit": pl.String}
# Room is a sum of fte fractions and weights: compare with a little slack.
_EPS = 1e-9

VOORSTEL_SCHEMA = {
    "maatregel_id": pl.String,
    "soort": pl.String,
    "gezin_id": pl.String,
    "regio": pl.String,
    "van_medewerker_id": pl.String,
    "van_team_id": pl.String,
    "oorzaak": pl.String,
    "sinds": pl.Date,
    "dagen": pl.Int64,
    "gewicht": pl.Float64,
    "naar_medewerker_id": pl.String,
    "naar_naam": pl.String,
    "naar_team_id": pl.String,
    "ruimte_voor": pl.Float64,
    "ruimte_na": pl.Float64,
    "reden": pl.String,
}
OnReject = Callable[[str], None]


def _maatregelen(snap: Snapshot, as_of: date, config: Config) -> pl.DataFrame:
    """Active measures on as_of with holder, regio (holder's team, else the last holder's),
    gezin, gemeente, gewicht, the last regular team and since when in CCP/CRT or unassigned."""
    t = known_toewijzingen(snap, as_of).sort("maatregel_id", "vanaf", "tot", "team_id")
    last = t.group_by("maatregel_id").agg(
        pl.col("regio").last().alias("laatste_regio"), pl.col("tot").last().alias("laatste_tot")
    )
    regular = (
        t.filter(pl.col("team_soort") == "regulier")
        .group_by("maatregel_id")
        .agg(pl.col("team_id").last().alias("vorig_team"))
    )
    spec = (
        crt_stays(t, SPECIAAL)
        .filter(pl.col("tot").is_null())
        .group_by("maatregel_id")
        .agg(pl.col("crt_sinds").max().alias("spec_sinds"))
    )
    holder = held_active(snap, as_of, config).select(
        "maatregel_id", "medewerker_id", "team_id", "rol", "team_soort", "regio"
    )
    kids = snap["jeugdigen"].lazy().select("jeugdige_id", "gezin_id", "gemeente")
    return (
        snap["maatregelen"]
        .lazy()
        .filter(active_on(as_of))
        .select(
            "maatregel_id", "jeugdige_id", "soort", "start", weight(as_of, config).alias("gewicht")
        )
        .join(kids, on="jeugdige_id", how="left")
        .join(holder, on="maatregel_id", how="left")
        .join(last, on="maatregel_id", how="left")
        .join(regular, on="maatregel_id", how="left")
        .join(spec, on="maatregel_id", how="left")
        .with_columns(pl.coalesce("regio", "laatste_regio").alias("regio"))
        .sort("maatregel_id")
        .collect()
    )


def _te_plaatsen(m: pl.DataFrame, snap: Snapshot, as_of: date, config: Config) -> dict:
    """Per kind, the measures that need a holder: maatregel_id -> (sinds, oorzaak)."""
    away = onbeschikbaar(snap, as_of, config)
    out: dict[str, dict] = {k: {} for k in SOORTEN}
    for r in m.iter_rows(named=True):
        mid, holder = r["maatregel_id"], r["medewerker_id"]
        if r["team_soort"] in SPECIAAL:
            out["afbouw"][mid] = (r["spec_sinds"], f"in {r['team_soort']}")
        if holder is None:
            out["niet_toegewezen"][mid] = (r["laatste_tot"] or r["start"], "niet toegewezen")
        elif holder in away:
            oorzaak, sinds = away[holder]
            out["uitval"][mid] = (sinds, oorzaak)
    return out


def _besluiten(besluiten: pl.DataFrame | None) -> tuple[dict[str, str], set[tuple[str, str]]]:
    if besluiten is None:
        return {}, set()
    b = besluiten.select(list(BESLUIT_SCHEMA)).cast(BESLUIT_SCHEMA)  # type: ignore[arg-type]
    unknown = set(b["besluit"].unique().to_list()) - set(BESLUITEN)
    if unknown:
        raise ValueError(f"onbekend besluit {sorted(unknown)}; kies uit {list(BESLUITEN)}")
    accepted = b.filter(pl.col("besluit") == "geaccepteerd").sort(list(BESLUIT_SCHEMA))
    rejected = b.filter(pl.col("besluit") == "afgewezen")
    return (
        dict(accepted.select("maatregel_id", "naar_medewerker_id").iter_rows()),
        set(rejected.select("maatregel_id", "naar_medewerker_id").iter_rows()),
    )


@dataclass
class _Eenheid:
    """Measures placed together: one, or the siblings of one family (JB)."""

    leden: list[dict]
    functie: str
    # The only allowed receivers (a sibling's vaste jeugdzorgwerker), else empty.
    vast: frozenset[str]
    # Workers of the family, preferred first.
    gezin: frozenset[str]


def _eenheden(rows: list[dict], m: pl.DataFrame, open_ids: set[str]) -> list[_Eenheid]:
    """rows grouped into units, in the order they are placed: longest waiting first."""
    held = m.filter(
        (pl.col("rol") == "jeugdzorgwerker")
        & (pl.col("team_soort") == "regulier")
        & ~pl.col("maatregel_id").is_in(list(open_ids))
        & pl.col("gezin_id").is_not_null()
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
            _Eenheid(
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


class _Planner:
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
        self.staff = ontvangers(snap, as_of, config)
        self.room = {k: w.norm - w.gewogen for k, w in self.staff.items()}
        gewicht = dict(m.select("maatregel_id", "gewicht").iter_rows())
        holder = dict(m.select("maatregel_id", "medewerker_id").iter_rows())
        for mid, naar in accepted.items():
            if mid in gewicht and holder[mid] != naar and naar in self.room:
                self.room[naar] -= gewicht[mid]
        self.groups: dict[tuple, list[Ontvanger]] = defaultdict(list)
        for w in sorted(self.staff.values(), key=lambda w: w.medewerker_id):
            self.groups[(w.regio, w.functie)].append(w)
        self.local: dict[tuple[str, str], int] = defaultdict(int)
        held = m.filter(pl.col("medewerker_id").is_not_null() & pl.col("gemeente").is_not_null())
        for r in held.iter_rows(named=True):
            self.local[(r["medewerker_id"], r["gemeente"])] += 1
        self.team_names = dict(snap["teams"].select("team_id", "naam").iter_rows())

    def _fire_group_rules(self, regio: str, functie: str) -> None:
        """The rules that rule out whole groups of workers for this unit: region, function and
        each receiver's own rules."""
        for (r, f), workers in self.groups.items():
            if workers and f == functie and r != regio:
                self.on_reject("regio")
            if workers and r == regio and f != functie:
                self.on_reject("functie")
        for w in self.groups.get((regio, functie), []):
            if w.afgewezen is not None:
                self.on_reject(w.afgewezen)

    def _check(self, u: _Eenheid, w: Ontvanger, total: float) -> str | None:
        """The first rule of this unit that rules w out, or None."""
        if u.vast and w.medewerker_id not in u.vast:
            return "gezin"
        if any((r["maatregel_id"], w.medewerker_id) in self.rejected for r in u.leden):
            return "afgewezen"
        voogdij = any(r["soort"] in VOOGDIJ_SOORTEN for r in u.leden)
        if w.inwerk and voogdij and not self.config.werktoedeling_inwerk_voogdij:
            return "inwerk_voogdij"
        buffer = self.config.werktoedeling_buffer_per_fte * w.fte
        if self.room[w.medewerker_id] - total < buffer - _EPS:
            return "ruimte"
        return None

    def _key(self, u: _Eenheid, w: Ontvanger) -> tuple:
        mid = w.medewerker_id
        return (
            -(mid in u.gezin),
            -sum(r["vorig_team"] == w.team_id for r in u.leden),
            -sum(self.local.get((mid, r["gemeente"]), 0) for r in u.leden),
            -self.room[mid],
            mid,
        )

    def plaats(self, u: _Eenheid) -> tuple[Ontvanger | None, str]:
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
        why: dict[str, str] = {}
        fits = []
        for w in group:
            rule = w.afgewezen or self._check(u, w, total)
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

    def _reden(self, u: _Eenheid, w: Ontvanger, regio: str) -> str:
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

    def _geen(self, u: _Eenheid, regio: str, group: list[Ontvanger], why: dict) -> str:
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

    def _waarom(self, mid: str, u: _Eenheid, why: dict[str, str]) -> str:
        """The rule that ruled out the sibling's worker mid for this unit."""
        if mid in why:
            return why[mid]
        w = self.staff.get(mid)
        return "regio" if w is not None and w.functie == u.functie else "functie"

    def take(self, w: Ontvanger, gewicht: float) -> tuple[float, float]:
        before = self.room[w.medewerker_id]
        self.room[w.medewerker_id] = before - gewicht
        return before, before - gewicht


def _plan(
    snap: Snapshot,
    as_of: date,
    config: Config,
    kind: str,
    besluiten: pl.DataFrame | None,
    on_reject: OnReject | None,
) -> pl.DataFrame:
    """The organisation's proposal of one kind, before scope."""
    m = _maatregelen(snap, as_of, config)
    needed = _te_plaatsen(m, snap, as_of, config)
    open_ids = {mid for per in needed.values() for mid in per}
    accepted, rejected = _besluiten(besluiten)
    accepted = {mid: naar for mid, naar in accepted.items() if mid in open_ids}
    todo = needed[kind]
    rows = [
        {**r, "sinds": todo[r["maatregel_id"]][0], "oorzaak": todo[r["maatregel_id"]][1]}
        for r in m.iter_rows(named=True)
        if r["maatregel_id"] in todo and r["maatregel_id"] not in accepted
    ]
    planner = _Planner(snap, as_of, config, m, accepted, rejected, on_reject)
    out = []
    for u in _eenheden(rows, m, open_ids):
        w, reden = planner.plaats(u)
        for r in u.leden:
            voor, na = planner.take(w, r["gewicht"]) if w else (None, None)
            sinds = r["sinds"]
            out.append(
                {
                    "maatregel_id": r["maatregel_id"],
                    "soort": r["soort"],
                    "gezin_id": r["gezin_id"],
                    "regio": r["regio"],
                    "van_medewerker_id": r["medewerker_id"],
                    "van_team_id": r["team_id"],
                    "oorzaak": r["oorzaak"],
                    "sinds": sinds,
                    "dagen": None if sinds is None else (as_of - sinds).days,
                    "gewicht": r["gewicht"],
                    "naar_medewerker_id": w.medewerker_id if w else None,
                    "naar_naam": w.naam if w else None,
                    "naar_team_id": w.team_id if w else None,
                    "ruimte_voor": voor,
                    "ruimte_na": na,
                    "reden": reden,
                }
            )
    return pl.DataFrame(out, schema=VOORSTEL_SCHEMA, orient="row")


def _memo_key(besluiten: pl.DataFrame | None) -> tuple:
    if besluiten is None:
        return ()
    return tuple(besluiten.select(list(BESLUIT_SCHEMA)).sort(list(BESLUIT_SCHEMA)).iter_rows())


def voorstel(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    kind: str = "afbouw",
    regio: str | None = None,
    besluiten: pl.DataFrame | None = None,
    on_reject: OnReject | None = None,
) -> pl.DataFrame:
    """Who should hold each measure that needs a holder on as_of: kind "afbouw" (held in CCP
    or CRT), "niet_toegewezen" (no holder) or "uitval" (holder absent at or above the verzuim
    threshold, out of service, or without valid SKJ: a waarnemer).

    One row per measure (VOORSTEL_SCHEMA, with van_/naar_team_naam) in the order they were
    placed; naar_medewerker_id empty: nobody may take it, reden says why. besluiten (optional)
    has maatregel_id, naar_medewerker_id, besluit in BESLUITEN: an accepted transfer of a
    measure that still needs a holder counts in the receiver's room and is not proposed again;
    a rejected measure-receiver pair is never proposed. on_reject(rule) is called whenever a
    rule of REGELS rules out a candidate. MT sees the organisation, a teammanager their
    region, anyone else nothing; regio narrows to one region."""
    if kind not in SOORTEN:
        raise ValueError(f"onbekende soort voorstel {kind!r}; kies uit {list(SOORTEN)}")
    allowed, area = beheerd_gebied(snap, viewer)
    if on_reject is None:
        key = ("werktoedeling", as_of, config_key(config), kind, _memo_key(besluiten))
        plan = snap.memo(
            key, lambda: _plan(snap, as_of, config, kind, besluiten, None), chosen=True
        )
    else:
        plan = _plan(snap, as_of, config, kind, besluiten, on_reject)
    for only in (area, regio):
        if only is not None:
            plan = plan.filter(pl.col("regio") == only)
    if not allowed:
        plan = plan.clear()
    return with_team_names(snap, plan, "van_team_id", "naar_team_id")


def _count(placed: bool):
    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters) -> int:
        naar = voorstel(snap, viewer, as_of, config, "afbouw", f.regio)["naar_medewerker_id"]
        return int(naar.is_not_null().sum() if placed else naar.is_null().sum())

    return bereken


FIGUREN = (
    Figuur("voorstel_aantal", "Kan nu over volgens voorstel", "voorraad", "aantal", 0,
           "Maatregelen in het CCP of CRT die op de peildatum naar een jeugdzorgwerker van een "
           "regulier team in hun regio kunnen zonder een regel van verantwoorde werktoedeling "
           "te breken (beschikbaar, geldige SKJ en VOG, ruimte met buffer, gezin bij elkaar).",
           _count(True), hoger_beter=True),
    Figuur("niet_plaatsbaar", "Niet plaatsbaar", "voorraad", "aantal", 0,
           "Maatregelen in het CCP of CRT waarvoor op de peildatum niemand in een regulier team "
           "van hun regio volgens die regels plek heeft.",
           _count(False), hoger_beter=False),
    Figuur("ruimte_na", "Ruimte na", "voorraad", "aantal", 1,
           "Ruimte van de ontvanger na deze en de eerdere regels van het voorstel: norm maal "
           "fte maal capaciteitsdeel, min gewogen caseload, min geaccepteerde en nog niet "
           "aangekomen overdrachten."),
)  # fmt: skip
