"""CRT afbouw ahead: when the CRT reaches its target, and the room regular teams have for it."""

import calendar
import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from queries.afbouw import flows_per_month, in_scope, stock_per_month
from queries.caseload import caseload_lazy, held_active
from queries.config import Config
from queries.figuur import Figuur, Filters
from queries.scope import Viewer
from queries.snapshot import JB_SOORTEN, Snapshot


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


def capacity(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> pl.DataFrame:
    """Per region (or only regio): positive room of regular jeugdzorgwerkers (split _jb/_jr by
    function) against the CRT stock on as_of (split JB/JR); saldo = ruimte - crt_gewogen."""
    room = (
        regular_room(snap, viewer, as_of, config, regio)
        .with_columns(pl.col("ruimte").clip(lower_bound=0).alias("pos"))
        .group_by("regio")
        .agg(
            pl.len().alias("medewerkers_regulier"),
            (pl.col("ruimte") > 0).sum().alias("met_ruimte"),
            pl.col("pos").sum().alias("ruimte_positief"),
            pl.col("pos").filter(pl.col("functie") == "jeugdbeschermer").sum().alias("ruimte_jb"),
            pl.col("pos")
            .filter(pl.col("functie") == "jeugdreclasseerder")
            .sum()
            .alias("ruimte_jr"),
        )
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
    )
    return (
        room.join(crt, on="regio", how="full", coalesce=True)
        .with_columns(
            pl.col("medewerkers_regulier", "met_ruimte", "crt", "crt_jb", "crt_jr")
            .fill_null(0)
            .cast(pl.Int64),
            pl.col("ruimte_positief", "ruimte_jb", "ruimte_jr", "crt_gewogen")
            .fill_null(0.0)
            .round(4),
        )
        .with_columns((pl.col("ruimte_positief") - pl.col("crt_gewogen")).round(4).alias("saldo"))
        .sort("regio")
        .collect()
    )


def _capaciteit(key: str):
    """bereken of a capacity column: summed over the regions of the scope (or the one)."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        return capacity(snap, viewer, as_of, config, f.regio)[key].sum()

    return bereken


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


def _free_room(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None
) -> pl.DataFrame:
    """Per region: room of regular jeugdzorgwerkers above the buffer they keep for intake."""
    buffer = pl.col("fte") * config.werktoedeling_buffer_per_fte
    return (
        regular_room(snap, viewer, as_of, config, regio)
        .group_by("regio")
        .agg((pl.col("ruimte") - buffer).clip(lower_bound=0).sum().alias("vrije_ruimte"))
        .collect()
    )


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
    room = dict(_free_room(snap, viewer, as_of, config, regio).iter_rows())
    crt = capacity(snap, viewer, as_of, config, regio).select("regio", "crt")
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


def _nodig(key: str):
    """bereken of a capacity_needed column at the default what-if: summed over the regions of
    the scope; None when no region of it has a target."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        column = capacity_needed(snap, viewer, as_of, config, f.regio)[key]
        return None if column.null_count() == column.len() else column.sum()

    return bereken


def _doel(_snap: Snapshot, _viewer: Viewer, _as_of: date, config: Config, f: Filters):
    return crt_target(config, f.regio)


_REGULIER = (
    "jeugdzorgwerkers in dienst in een regulier team op de peildatum, per regio (of in de "
    "gekozen regio)"
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
    Figuur("met_ruimte", "Jeugdzorgwerkers met ruimte", "voorraad", "aantal", 0,
           f"Aantal {_REGULIER} met een gewogen caseload onder hun caseloadnorm.",
           _capaciteit("met_ruimte"), hoger_beter=True),
    Figuur("ruimte_positief", "Ruimte regulier", "voorraad", "aantal", 1,
           f"{_POSITIEF}, opgeteld over de {_REGULIER}.", _capaciteit("ruimte_positief"),
           hoger_beter=True),
    Figuur("ruimte_jb", "Ruimte regulier JB", "voorraad", "aantal", 1,
           f"{_POSITIEF}, opgeteld over de jeugdbeschermers onder de {_REGULIER}.",
           _capaciteit("ruimte_jb"), hoger_beter=True),
    Figuur("ruimte_jr", "Ruimte regulier JR", "voorraad", "aantal", 1,
           f"{_POSITIEF}, opgeteld over de jeugdreclasseerders onder de {_REGULIER}.",
           _capaciteit("ruimte_jr"), hoger_beter=True),
    Figuur("crt_jb", "In het CRT, JB", "voorraad", "aantal", 0,
           f"{_CRT}, van een soort jeugdbescherming (OTS, VOTS, voogdij, voorlopige voogdij).",
           _capaciteit("crt_jb"), hoger_beter=False),
    Figuur("crt_jr", "In het CRT, JR", "voorraad", "aantal", 0,
           f"{_CRT}, van soort jeugdreclassering.", _capaciteit("crt_jr"), hoger_beter=False),
    Figuur("crt_gewogen", "In het CRT, gewogen", "voorraad", "aantal", 1,
           f"{_CRT}, opgeteld naar hun gewicht in de caseload.", _capaciteit("crt_gewogen"),
           hoger_beter=False),
    Figuur("saldo", "Saldo ruimte en CRT", "voorraad", "aantal", 1,
           "Ruimte regulier min CRT gewogen op de peildatum, per regio (of in de gekozen "
           "regio); negatief: te weinig plek om het CRT over te dragen.", _capaciteit("saldo"),
           hoger_beter=True),
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
           "Ruimte onder de caseloadnorm boven de buffer voor nieuwe instroom (norm min gewogen "
           "caseload min buffer per fte maal fte, alleen waar positief), opgeteld over de "
           f"{_REGULIER}.", _nodig("vrije_ruimte"), hoger_beter=True),
    Figuur("capaciteit_tekort_maatregelen", "Tekort naar het CRT-doel", "voorraad", "aantal", 0,
           f"CRT-maatregelen die {_NAAR_DOEL} geen plek hebben in de vrije ruimte boven de "
           f"buffer: CRT min doel plus {_NETTO}, min de vrije ruimte; nooit onder 0.{_STANDAARD}",
           _nodig("capaciteit_tekort_maatregelen"), hoger_beter=False),
    Figuur("capaciteit_tekort_fte", "Tekort naar het CRT-doel in fte", "voorraad", "fte", 1,
           f"Fte jeugdzorgwerkers die {_NAAR_DOEL} nodig is: het tekort in maatregelen gedeeld "
           f"door de caseloadnorm min de buffer per fte; nooit onder 0.{_STANDAARD}",
           _nodig("capaciteit_tekort_fte"), hoger_beter=False),
)  # fmt: skip
