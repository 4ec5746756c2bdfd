"""CRT afbouw ahead: when the CRT reaches its target, and the room regular teams have for it."""

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from queries.afbouw import in_scope, stock_per_month
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


_REGULIER = (
    "jeugdzorgwerkers in dienst in een regulier team op de peildatum, per regio (of in de "
    "gekozen regio)"
)
_POSITIEF = "Ruimte onder de caseloadnorm (norm min gewogen caseload, alleen waar positief)"
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
)  # fmt: skip
