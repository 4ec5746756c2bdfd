"""Who may receive a measure on a day, and with how much room: the rules of verantwoorde
werktoedeling that depend on the receiver alone (queries.werktoedeling applies them)."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from types import MappingProxyType

import polars as pl

from queries.caseload import held_active
from queries.config import Config, config_key
from queries.kalender import add_months
from queries.persoonsnormen import SKJ_FUNCTIES
from queries.snapshot import Snapshot

FUNCTIE = {"JB": "jeugdbeschermer", "JR": "jeugdreclasseerder"}
# Every rule by name, as on_reject reports it, with the Dutch words a reason uses for it.
REGELS = {
    "functie": "andere functie",
    "regulier_team": "niet in een regulier team",
    "regio": "andere regio",
    "in_dienst": "niet in dienst",
    "vertrek": "vertrekt binnenkort",
    "verzuim": "afwezig",
    "skj": "geen geldige SKJ",
    "vog": "geen geldige VOG",
    "inwerk_voogdij": "in inwerkperiode (geen voogdij)",
    "afgewezen": "eerder afgewezen",
    "gezin": "broer of zus ligt bij een ander",
    "ruimte": "geen ruimte",
}


@dataclass(frozen=True)
class Ontvanger:
    """A possible receiver: afgewezen names the first rule of their own that rules them out."""

    medewerker_id: str
    naam: str | None
    functie: str
    team_id: str | None
    regio: str | None
    fte: float
    inwerk: bool
    # norm per fte x fte x capacity share (partial absence, return, inwerkperiode).
    norm: float
    gewogen: float
    afgewezen: str | None


def regels_uit(snap: Snapshot, config: Config) -> tuple[str, ...]:
    """The availability rules ("skj", "vog") that are off: the export carries no such date at
    all and config.werktoedeling_zonder_datums_uit says to switch them off then."""
    if not config.werktoedeling_zonder_datums_uit:
        return ()
    staff = snap["medewerkers"]
    return tuple(
        regel
        for regel, col in (("skj", "skj_geldig_tot"), ("vog", "vog_datum"))
        if staff[col].null_count() == staff.height
    )


@dataclass(frozen=True)
class Verzuim:
    """Absence on a day: percentage (periods covering it added up), since when, and whether a
    long absence ended recently (the return share)."""

    pct: float
    sinds: date | None
    terug: bool


def verzuim_op(snap: Snapshot, as_of: date, config: Config) -> Mapping[str, Verzuim]:
    """Per medewerker: percentage absent on as_of, since when at or above the threshold, and
    whether such an absence ended less than terugkeer_weken before (kept per day: the planner,
    the receivers' checks and the decisions' status each ask)."""
    key = ("verzuim_op", config_key(config))
    return snap.memo(key, partial(_verzuim_op, snap, as_of, config), day=as_of)


def _verzuim_op(snap: Snapshot, as_of: date, config: Config) -> Mapping[str, Verzuim]:
    drempel = config.werktoedeling_verzuim_drempel_pct
    terug_vanaf = as_of - timedelta(weeks=config.werktoedeling_terugkeer_weken)
    pct: dict[str, float] = defaultdict(float)
    sinds: dict[str, date] = {}
    terug: set[str] = set()
    rows = snap["verzuim"].filter(pl.col("ziek_vanaf") <= as_of)
    for r in rows.iter_rows(named=True):
        p = 100.0 if r["percentage"] is None else float(r["percentage"])
        mid, tot = r["medewerker_id"], r["ziek_tot"]
        if tot is None or tot > as_of:
            pct[mid] += p
            sinds[mid] = min(sinds.get(mid, r["ziek_vanaf"]), r["ziek_vanaf"])
        elif p >= drempel and tot > terug_vanaf:
            terug.add(mid)
    return MappingProxyType(
        {mid: Verzuim(pct.get(mid, 0.0), sinds.get(mid), mid in terug) for mid in {*pct, *terug}}
    )


def skj_geldig(r: dict, as_of: date) -> bool:
    return r["skj_geldig_tot"] is not None and r["skj_geldig_tot"] >= as_of


def vog_geldig(r: dict, as_of: date, config: Config) -> bool:
    d = r["vog_datum"]
    return d is not None and d <= as_of <= add_months(d, config.vog_maanden)


def _eigen_regel(r: dict, absent: Verzuim | None, as_of: date, config: Config, uit: tuple):
    """The first rule of the receiver's own that rules them out, or None."""
    horizon = as_of + timedelta(weeks=config.werktoedeling_horizon_weken)
    if r["team_soort"] != "regulier":
        return "regulier_team"
    if r["in_dienst"] > as_of or (r["uit_dienst"] is not None and r["uit_dienst"] <= as_of):
        return "in_dienst"
    if r["uit_dienst"] is not None and r["uit_dienst"] <= horizon:
        return "vertrek"
    if absent is not None and absent.pct >= config.werktoedeling_verzuim_drempel_pct:
        return "verzuim"
    if "skj" not in uit and not skj_geldig(r, as_of):
        return "skj"
    if "vog" not in uit and not vog_geldig(r, as_of, config):
        return "vog"
    return None


def ontvangers(snap: Snapshot, as_of: date, config: Config) -> dict[str, Ontvanger]:
    """Every jeugdbeschermer and jeugdreclasseerder with their capacity on as_of: norm x fte,
    times (1 - percentage) when partly absent, the return share after a long absence and the
    inwerk share; gewogen is their weighted caseload (queries.caseload)."""
    uit = regels_uit(snap, config)
    absent = verzuim_op(snap, as_of, config)
    load = dict(
        held_active(snap, as_of, config)
        .group_by("medewerker_id")
        .agg(pl.col("gewicht").sum())
        .collect()
        .iter_rows()
    )
    teams = snap["teams"].select("team_id", pl.col("soort").alias("team_soort"), "regio")
    staff = (
        snap["medewerkers"]
        .filter(pl.col("functie").is_in(tuple(FUNCTIE.values())))
        .join(teams, on="team_id", how="left")
    )
    out = {}
    for r in staff.iter_rows(named=True):
        mid, fte = r["medewerker_id"], float(r["fte"] or 0.0)
        a = absent.get(mid)
        share = 1.0
        if a is not None:
            share *= max(0.0, 1 - a.pct / 100)
            if a.terug:
                share *= config.werktoedeling_terugkeer_capaciteit
        inwerk = as_of < add_months(r["in_dienst"], config.werktoedeling_inwerk_maanden)
        if inwerk:
            share *= config.werktoedeling_inwerk_aandeel
        out[mid] = Ontvanger(
            medewerker_id=mid,
            naam=r["naam"],
            functie=r["functie"],
            team_id=r["team_id"],
            regio=r["regio"],
            fte=fte,
            inwerk=inwerk,
            norm=config.caseload_norm_per_fte * fte * share,
            gewogen=float(load.get(mid, 0.0)),
            afgewezen=_eigen_regel(r, a, as_of, config, uit),
        )
    return out


def onbeschikbaar(
    snap: Snapshot, as_of: date, config: Config
) -> dict[str, tuple[str, date | None]]:
    """Per medewerker who cannot hold measures on as_of: why (Dutch) and since when; absent at
    or above the threshold, out of service, or (rule on) without a valid SKJ."""
    absent = verzuim_op(snap, as_of, config)
    skj_aan = "skj" not in regels_uit(snap, config)
    out: dict[str, tuple[str, date | None]] = {}
    for r in snap["medewerkers"].iter_rows(named=True):
        mid = r["medewerker_id"]
        a = absent.get(mid)
        if r["uit_dienst"] is not None and r["uit_dienst"] <= as_of:
            out[mid] = ("uit dienst", r["uit_dienst"])
        elif r["in_dienst"] > as_of:
            out[mid] = ("nog niet in dienst", None)
        elif a is not None and a.pct >= config.werktoedeling_verzuim_drempel_pct:
            out[mid] = (f"afwezig ({a.pct:g}%)", a.sinds)
        elif skj_aan and r["functie"] in SKJ_FUNCTIES and not skj_geldig(r, as_of):
            verlopen = r["skj_geldig_tot"]
            sinds = None if verlopen is None else verlopen + timedelta(days=1)
            out[mid] = ("SKJ onbekend" if verlopen is None else "SKJ verlopen", sinds)
    return out
