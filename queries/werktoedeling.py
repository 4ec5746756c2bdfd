"""Verantwoorde werktoedeling: one planner for who should hold a measure (CCP/CRT afbouw,
unassigned measures, a waarnemer for an unavailable holder) that never breaks a rule."""

from datetime import date

import polars as pl

from queries.afbouw import SPECIAAL, known_toewijzingen, with_team_names
from queries.caseload import active_on, held_active, weight
from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.scope import Viewer, beheerd_gebied
from queries.snapshot import Snapshot
from queries.tijd_in_crt import crt_stays
from queries.werktoedeling_regels import onbeschikbaar
from queries.werktoedeling_verdeling import OnReject, Planner, eenheden

SOORTEN = ("afbouw", "uitval", "niet_toegewezen")
BESLUITEN = ("geaccepteerd", "afgewezen")
BESLUIT_SCHEMA = {"maatregel_id": pl.String, "naar_medewerker_id": pl.String, "besluit": pl.String}

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
    needing = m.filter(
        pl.col("team_soort").is_in(SPECIAAL)
        | pl.col("medewerker_id").is_null()
        | pl.col("medewerker_id").is_in(list(away))
    )
    for r in needing.iter_rows(named=True):
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


def _plan(
    snap: Snapshot,
    as_of: date,
    config: Config,
    kind: str,
    besluiten: pl.DataFrame | None,
    on_reject: OnReject | None,
) -> pl.DataFrame:
    """The organisation's proposal of one kind, before scope."""
    # The measures and who needs a holder are the same for every kind and decision set.
    key = (as_of, config_key(config))
    m = snap.memo(
        ("werktoedeling-maatregelen", *key),
        lambda: _maatregelen(snap, as_of, config),
        chosen=True,
        shared=True,
    )
    needed = snap.memo(
        ("werktoedeling-te-plaatsen", *key),
        lambda: _te_plaatsen(m, snap, as_of, config),
        chosen=True,
    )
    open_ids = {mid for per in needed.values() for mid in per}
    accepted, rejected = _besluiten(besluiten)
    decided = m.filter(pl.col("maatregel_id").is_in(list(accepted)))
    holder = dict(decided.select("maatregel_id", "medewerker_id").iter_rows())
    # Accepted and arrived (the receiver holds it) is done: it may need a holder again.
    accepted = {
        mid: naar for mid, naar in accepted.items() if mid in open_ids and holder[mid] != naar
    }
    todo = needed[kind]
    rows = [
        {**r, "sinds": todo[r["maatregel_id"]][0], "oorzaak": todo[r["maatregel_id"]][1]}
        for r in m.filter(pl.col("maatregel_id").is_in(list(todo))).iter_rows(named=True)
        if r["maatregel_id"] not in accepted
    ]
    planner = Planner(snap, as_of, config, m, accepted, rejected, on_reject)
    out = []
    for u in eenheden(rows, m, open_ids):
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
            key,
            lambda: _plan(snap, as_of, config, kind, besluiten, None),
            chosen=True,
            shared=True,
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


def na_besluiten(proposal: pl.DataFrame) -> dict[str, int]:
    """Of a voorstel made with the app's decisions: rows placed and rows nobody may take."""
    placed = int(proposal["naar_medewerker_id"].is_not_null().sum())
    return {
        "voorstel_te_beslissen": placed,
        "niet_plaatsbaar_na_besluiten": proposal.height - placed,
    }


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
    # With the decisions taken in the app, which live outside the load: the Afbouw page.
    Figuur("voorstel_te_beslissen", "Voorstel, nog te beslissen", "voorraad", "aantal", 0,
           "Als 'Kan nu over volgens voorstel', na de besluiten in de app: geaccepteerde en nog "
           "niet aangekomen overdrachten tellen in de ruimte van de ontvanger en worden niet "
           "opnieuw voorgesteld; een afgewezen combinatie van maatregel en ontvanger komt niet "
           "terug.", hoger_beter=True),
    Figuur("niet_plaatsbaar_na_besluiten", "Niet plaatsbaar na besluiten", "voorraad",
           "aantal", 0, "Als 'Niet plaatsbaar', na de besluiten in de app.", hoger_beter=False),
    Figuur("ruimte_na", "Ruimte na", "voorraad", "aantal", 1,
           "Ruimte van de ontvanger na deze en de eerdere regels van het voorstel: norm maal "
           "fte maal capaciteitsdeel, min gewogen caseload, min geaccepteerde en nog niet "
           "aangekomen overdrachten."),
)  # fmt: skip
