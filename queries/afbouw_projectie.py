"""CRT afbouw ahead: when the CRT reaches its target, and the room regular teams have for it."""

import calendar
import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from queries.afbouw import flows_per_month, in_scope, stock_per_month
from queries.caseload import caseload_lazy, held_active
from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.scope import Viewer, beheerd_gebied
from queries.snapshot import JB_SOORTEN, Snapshot
from queries.werktoedeling import voorstel
from queries.werktoedeling_regels import ontvangers

_EPS = 1e-9


def crt_target(config: Config, regio: str | None = None) -> int | None:
    """The CRT target size for the scope: the organisation's without regio, else the region's
    own; None when that region has none (the organisation's target is not split over regions)."""
    if regio is None:
        return config.crt_doel
    return dict(config.crt_doel_regio).get(regio)


@dataclass(frozen=True)
class Projection:
    """When the CRT reaches its target at the mean net decrease of the last months; crt_doel
    None: no target for the scope, so no projection."""

    crt_nu: int
    crt_doel: int | None
    tempo_per_maand: float
    maanden_nodig: int | None
    maand: str | None
    toelichting: str


def projection(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> Projection:
    """Month (YYYY-MM) the CRT stock (with regio: that region's) reaches crt_target at the
    mean net monthly decrease over the last config.afbouw_tempo_maanden month ends; None when
    it is not decreasing or there is no target."""
    n = config.afbouw_tempo_maanden
    crt = stock_per_month(snap, viewer, as_of, config, months=n + 1, regio=regio)["crt"].to_list()
    now, doel = crt[-1], crt_target(config, regio)
    pace = (crt[0] - now) / n
    if doel is None:
        return Projection(now, None, pace, None, None, "Geen regiodoel ingesteld.")
    if now <= doel:
        return Projection(now, doel, pace, 0, as_of.strftime("%Y-%m"), "Doel bereikt.")
    if pace <= 0:
        return Projection(now, doel, pace, None, None, "Niet bij dit tempo.")
    needed = math.ceil((now - doel) / pace)
    month_index = as_of.year * 12 + as_of.month - 1 + needed
    maand = f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    pace_txt = f"{pace:.1f}".replace(".", ",")
    return Projection(now, doel, pace, needed, maand, f"Bij {pace_txt} minder per maand: {maand}.")


def regular_room(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.LazyFrame:
    room = caseload_lazy(snap, viewer, as_of, config).filter(pl.col("team_soort") == "regulier")
    return room if regio is None else room.filter(pl.col("regio") == regio)


def crt_now(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.LazyFrame:
    held = held_active(snap, as_of, config).filter(pl.col("team_soort") == "CRT")
    return in_scope(held, snap, viewer, regio)


def _vrij(snap: Snapshot, as_of: date, config: Config) -> list[dict]:
    """The planner's receivers who may take a measure on as_of (queries.werktoedeling_regels:
    available, valid SKJ and VOG, in a regular team, the inwerk share) with their room above
    the buffer they keep for intake: norm - weighted caseload - buffer x fte, never below 0."""
    staff = snap.memo(
        ("werktoedeling-ontvangers", as_of, config_key(config)),
        lambda: ontvangers(snap, as_of, config),
        chosen=True,
    )
    buffer = config.werktoedeling_buffer_per_fte
    return [
        {
            "regio": o.regio,
            "functie": o.functie,
            "vrij": max(0.0, o.norm - o.gewogen - buffer * o.fte),
        }
        for o in staff.values()
        if o.afgewezen is None and o.regio is not None
    ]


def _free_room(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.DataFrame:
    """Per region where the viewer plans (queries.scope.beheerd_gebied): the room above the
    buffer of the planner's receivers, in all (vrije_ruimte) and of jeugdbeschermers (_jb) and
    jeugdreclasseerders (_jr), and how many have any (met_ruimte)."""
    allowed, area = beheerd_gebied(snap, viewer)
    rows = [
        r
        for r in _vrij(snap, as_of, config)
        if allowed and all(only in (None, r["regio"]) for only in (area, regio))
    ]
    schema = {"regio": pl.String, "functie": pl.String, "vrij": pl.Float64}
    vrij = pl.col("vrij")
    return (
        pl.DataFrame(rows, schema=schema, orient="row")
        .group_by("regio")
        .agg(
            (vrij > _EPS).sum().cast(pl.Int64).alias("met_ruimte"),
            vrij.sum().alias("vrije_ruimte"),
            vrij.filter(pl.col("functie") == "jeugdbeschermer").sum().alias("vrije_ruimte_jb"),
            vrij.filter(pl.col("functie") == "jeugdreclasseerder").sum().alias("vrije_ruimte_jr"),
        )
    )


def _can_move(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.DataFrame:
    """Per region: the afbouw proposal's placed rows (voorstel_aantal) and unplaceable ones."""
    plan = voorstel(snap, viewer, as_of, config, "afbouw", regio)
    placed = pl.col("naar_medewerker_id").is_not_null()
    return plan.group_by("regio").agg(
        placed.sum().cast(pl.Int64).alias("voorstel_aantal"),
        (~placed).sum().cast(pl.Int64).alias("niet_plaatsbaar"),
    )


def capacity(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> pl.DataFrame:
    """Per region (or only regio): what the planner can move now (voorstel_aantal, without the
    app's decisions) and cannot, its receivers' room above the buffer (_free_room), beside the
    regular jeugdzorgwerkers and the CRT stock on as_of (split JB/JR and weighted)."""
    staff = (
        regular_room(snap, viewer, as_of, config, regio)
        .group_by("regio")
        .agg(pl.len().alias("medewerkers_regulier"))
        .collect()
    )
    crt = (
        crt_now(snap, viewer, as_of, config, regio)
        .group_by("regio")
        .agg(
            pl.len().alias("crt"),
            pl.col("soort").is_in(JB_SOORTEN).sum().alias("crt_jb"),
            (pl.col("soort") == "JR").sum().alias("crt_jr"),
            pl.col("gewicht").sum().alias("crt_gewogen"),
        )
        .collect()
    )
    counts = ("medewerkers_regulier", "met_ruimte", "voorstel_aantal", "niet_plaatsbaar")
    out = staff
    for part in (
        _free_room(snap, viewer, as_of, config, regio),
        _can_move(snap, viewer, as_of, config, regio),
        crt,
    ):
        out = out.join(part, on="regio", how="full", coalesce=True)
    return (
        out.with_columns(
            pl.col(*counts, "crt", "crt_jb", "crt_jr").fill_null(0).cast(pl.Int64),
            pl.col("vrije_ruimte", "vrije_ruimte_jb", "vrije_ruimte_jr", "crt_gewogen")
            .fill_null(0.0)
            .cast(pl.Float64),
        )
        .select(
            "regio",
            *counts,
            "vrije_ruimte",
            "vrije_ruimte_jb",
            "vrije_ruimte_jr",
            "crt",
            "crt_jb",
            "crt_jr",
            "crt_gewogen",
        )
        .sort("regio")
    )


def _capaciteit(key: str):
    """bereken of a capacity column: summed over the regions of the scope (or the one)."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        return capacity(snap, viewer, as_of, config, f.regio)[key].sum()

    return bereken


def _ruimte_positief(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
    room = regular_room(snap, viewer, as_of, config, f.regio)
    return room.select(pl.col("ruimte").clip(lower_bound=0).sum()).collect().item()


def _tempo(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters) -> float:
    return projection(snap, viewer, as_of, config, f.regio).tempo_per_maand


# Capacity needed: the fte of regular jeugdzorgwerkers that brings each region's CRT to its
# target by a chosen date, and what an extra fte or a change of the inflow does to it.

DOEL_MAANDEN = 12


@dataclass(frozen=True)
class WatAls:
    """The what-if of the capacity, the same for every region: extra fte in its regular teams,
    a change of its CRT inflow per month, and the target date (None: see doeldatum)."""

    extra_fte: float = 0.0
    instroom_wijziging: float = 0.0
    doeldatum: date | None = None


def doeldatum(as_of: date, wat_als: WatAls = WatAls()) -> date:
    """The target date of the capacity: the what-if's, else the end of the month DOEL_MAANDEN
    after as_of's."""
    if wat_als.doeldatum is not None:
        return wat_als.doeldatum
    index = as_of.year * 12 + as_of.month - 1 + DOEL_MAANDEN
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def months_until(as_of: date, doel: date) -> int:
    """Whole calendar months from as_of's month to doel's; 0 when doel is not later."""
    return max(0, (doel.year - as_of.year) * 12 + doel.month - as_of.month)


def _pace(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str
) -> tuple[float, float]:
    """Mean CRT inflow and outflow by ending per month over the last tempo_maanden months."""
    n = config.afbouw_tempo_maanden
    flows = flows_per_month(snap, viewer, as_of, config, months=n, regio=regio)
    return float(flows["instroom_crt"].sum()) / n, float(flows["uitstroom_crt"].sum()) / n


def capacity_needed(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    wat_als: WatAls = WatAls(),
) -> pl.DataFrame:
    """Per region (or only regio): the CRT shortfall at the target date in measures and fte,
    never below 0, beside the month the recent pace reaches the target; nulls: no target.

    tekort_fte = (crt - doel + (instroom + wijziging - uitstroom) x maanden) / (norm - buffer)
    - vrije_ruimte / (norm - buffer) - extra_fte; the measures are tekort_fte x (norm - buffer).
    """
    per_fte = config.caseload_norm_per_fte - config.werktoedeling_buffer_per_fte
    maanden = months_until(as_of, doeldatum(as_of, wat_als))
    cap = capacity(snap, viewer, as_of, config, regio)
    room = dict(cap.select("regio", "vrije_ruimte").iter_rows())
    crt = cap.select("regio", "crt")
    rows = []
    for name, now in crt.iter_rows():
        doel = crt_target(config, name)
        instroom, uitstroom = _pace(snap, viewer, as_of, config, name)
        p = projection(snap, viewer, as_of, config, name)
        tekort = None
        if doel is not None and per_fte > 0:
            net = instroom + wat_als.instroom_wijziging - uitstroom
            extra = wat_als.extra_fte * per_fte
            tekort = max(0.0, now - doel + net * maanden - room.get(name, 0.0) - extra)
        rows.append(
            {
                "regio": name,
                "crt": now,
                "crt_doel": doel,
                "crt_instroom_per_maand": instroom,
                "crt_uitstroom_per_maand": uitstroom,
                "vrije_ruimte": room.get(name, 0.0),
                "capaciteit_tekort_maatregelen": tekort,
                "capaciteit_tekort_fte": None if tekort is None else tekort / per_fte,
                "op_doel_maand": p.maand,
            }
        )
    schema = {
        "regio": pl.String,
        "crt": pl.Int64,
        "crt_doel": pl.Int64,
        "crt_instroom_per_maand": pl.Float64,
        "crt_uitstroom_per_maand": pl.Float64,
        "vrije_ruimte": pl.Float64,
        "capaciteit_tekort_maatregelen": pl.Float64,
        "capaciteit_tekort_fte": pl.Float64,
        "op_doel_maand": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def scope_tekort(needed: pl.DataFrame) -> dict[str, float | None]:
    """A capacity_needed frame's shortfall in measures and fte, summed over its regions; None
    when no region of it has a target."""
    return {
        key: None if needed[key].null_count() == needed.height else float(needed[key].sum())
        for key in ("capaciteit_tekort_maatregelen", "capaciteit_tekort_fte")
    }


def _nodig(key: str):
    """bereken of the shortfall at the default what-if, over the regions of the scope."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        return scope_tekort(capacity_needed(snap, viewer, as_of, config, f.regio))[key]

    return bereken


def _doel(_snap: Snapshot, _viewer: Viewer, _as_of: date, config: Config, f: Filters):
    return crt_target(config, f.regio)


_REGULIER = (
    "jeugdzorgwerkers in dienst in een regulier team op de peildatum, per regio (of in de "
    "gekozen regio)"
)
_ONTVANGER = (
    "volgens de regels van verantwoorde werktoedeling een maatregel mogen krijgen (regulier "
    "team, in dienst, niet afwezig, geldige SKJ en VOG)"
)
_POSITIEF = "Ruimte onder de caseloadnorm (norm min gewogen caseload, alleen waar positief)"
_PER_MAAND = "Gemiddeld aantal per maand"
_TEMPO = (
    ", per regio met een CRT-doel (of in de gekozen regio), over de laatste maanden tot en met "
    "de peildatum (standaard 3 maanden)."
)
_NAAR_DOEL = "per regio met een CRT-doel (of in de gekozen regio) om het doel te halen"
_NETTO = "instroom min uitstroom per maand maal de maanden tot de doeldatum"
_STANDAARD = (
    " Standaard tot het einde van de maand 12 maanden na de peildatum, zonder extra fte of "
    "andere instroom; op de pagina Afbouw te kiezen."
)
_CRT = "Actieve maatregelen in het CRT op de peildatum, per regio (of in de gekozen regio)"
FIGUREN = (
    Figuur("medewerkers_regulier", "Jeugdzorgwerkers regulier", "voorraad", "aantal", 0,
           f"Aantal {_REGULIER}.", _capaciteit("medewerkers_regulier")),
    Figuur("met_ruimte", "Jeugdzorgwerkers met vrije ruimte", "voorraad", "aantal", 0,
           f"Aantal jeugdzorgwerkers die {_ONTVANGER} met ruimte boven de buffer voor nieuwe "
           "instroom, per regio (of in de gekozen regio).", _capaciteit("met_ruimte"),
           hoger_beter=True),
    Figuur("ruimte_positief", "Ruimte regulier", "voorraad", "aantal", 1,
           f"{_POSITIEF}, opgeteld over de {_REGULIER}; zonder buffer en zonder de regels van "
           "verantwoorde werktoedeling.", _ruimte_positief, hoger_beter=True),
    Figuur("vrije_ruimte_jb", "Vrije ruimte JB", "voorraad", "aantal", 1,
           "Als 'Vrije ruimte boven de buffer', van de jeugdbeschermers.",
           _capaciteit("vrije_ruimte_jb"), hoger_beter=True),
    Figuur("vrije_ruimte_jr", "Vrije ruimte JR", "voorraad", "aantal", 1,
           "Als 'Vrije ruimte boven de buffer', van de jeugdreclasseerders.",
           _capaciteit("vrije_ruimte_jr"), hoger_beter=True),
    Figuur("crt_jb", "In het CRT, JB", "voorraad", "aantal", 0,
           f"{_CRT}, van een soort jeugdbescherming (OTS, VOTS, voogdij, voorlopige voogdij).",
           _capaciteit("crt_jb"), hoger_beter=False),
    Figuur("crt_jr", "In het CRT, JR", "voorraad", "aantal", 0,
           f"{_CRT}, van soort jeugdreclassering.", _capaciteit("crt_jr"), hoger_beter=False),
    Figuur("crt_gewogen", "In het CRT, gewogen", "voorraad", "aantal", 1,
           f"{_CRT}, opgeteld naar hun gewicht in de caseload.", _capaciteit("crt_gewogen"),
           hoger_beter=False),
    Figuur("crt_afname_per_maand", "Afname CRT per maand", "stroom", "aantal", 1,
           "Gemiddelde netto afname per maand van de actieve maatregelen in het CRT (of van "
           "de gekozen regio) over de laatste maandeinden tot en met de peildatum (standaard "
           "3 maanden); negatief: het CRT groeit.", _tempo, hoger_beter=True),
    Figuur("crt_doel", "Doel CRT", "voorraad", "aantal", 0,
           "Het doel voor het aantal actieve maatregelen in het CRT: van de organisatie, of "
           "het eigen doel van de gekozen regio (geen: de regio heeft geen doel).",
           _doel),
    Figuur("crt_instroom_per_maand", "Instroom CRT per maand", "stroom", "aantal", 1,
           f"{_PER_MAAND} maatregelen die in het CRT kwamen{_TEMPO}", _nodig(
               "crt_instroom_per_maand"), hoger_beter=False),
    Figuur("crt_uitstroom_per_maand", "Uitstroom CRT per maand", "stroom", "aantal", 1,
           f"{_PER_MAAND} maatregelen die eindigden terwijl het CRT ze had{_TEMPO}",
           _nodig("crt_uitstroom_per_maand")),
    Figuur("vrije_ruimte", "Vrije ruimte boven de buffer", "voorraad", "aantal", 1,
           "Ruimte onder de caseloadnorm boven de buffer voor nieuwe instroom (norm maal fte "
           "maal capaciteitsdeel, min gewogen caseload, min buffer per fte maal fte, alleen "
           f"waar positief), opgeteld over de jeugdzorgwerkers die {_ONTVANGER}, per regio (of "
           "in de gekozen regio).", _capaciteit("vrije_ruimte"), hoger_beter=True),
    Figuur("capaciteit_tekort_maatregelen", "Tekort naar het CRT-doel", "voorraad", "aantal", 0,
           f"CRT-maatregelen die {_NAAR_DOEL} geen plek hebben in de vrije ruimte boven de "
           f"buffer: CRT min doel plus {_NETTO}, min de vrije ruimte; nooit onder 0.{_STANDAARD}",
           _nodig("capaciteit_tekort_maatregelen"), hoger_beter=False),
    Figuur("capaciteit_tekort_fte", "Tekort naar het CRT-doel in fte", "voorraad", "fte", 1,
           f"Fte jeugdzorgwerkers die {_NAAR_DOEL} nodig is: het tekort in maatregelen gedeeld "
           f"door de caseloadnorm min de buffer per fte; nooit onder 0.{_STANDAARD}",
           _nodig("capaciteit_tekort_fte"), hoger_beter=False),
)  # fmt: skip
