"""Staffing per team and month: formatie vs bezetting, verzuim, verloop, dienstverband, VOG/SKJ,
diplomas; and the staff figures of the registry."""

# medewerkers.team_id and fte are the export's current values (no history in the contract), so
# past months count people in service then with today's team and fte. A verzuim period runs
# from ziek_vanaf up to, not including, ziek_tot, and service up to, not including, uit_dienst
# (data contract), so a day count is the length of the intersection of half-open periods.

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters, Waarde
from queries.kalender import add_months
from queries.perioden import month_ends, month_windows
from queries.persoonsnormen import SKJ_FUNCTIES
from queries.scope import Viewer, in_service, scope_key, visible_medewerkers
from queries.snapshot import Snapshot

DIENSTVERBANDEN = ("vast", "tijdelijk", "zzp", "onbekend")
FUNCTIEGROEPEN = {
    "Jeugdzorgwerkers": ("jeugdbeschermer", "jeugdreclasseerder"),
    "Praktijkbegeleiders": ("praktijkbegeleider",),
    "Gedragswetenschappers": ("gedragswetenschapper",),
    "Management": ("teammanager", "manager"),
}
TOTAAL = "Totaal"
BOVEN, OP, ONDER = "boven formatie", "op formatie", "onder formatie"
VERLOOP_MAANDEN = 12
_ONE = timedelta(days=1)
# Sums of fte such as 0.8 + 0.2 carry float noise; a smaller difference is no difference.
_FTE_EPS = 1e-9


def _teams(snap: Snapshot) -> pl.LazyFrame:
    return snap["teams"].lazy().select("team_id", pl.col("naam").alias("team_naam"), "regio")


def _staff(
    snap: Snapshot, viewer: Viewer, regio: str | None = None, team_id: str | None = None
) -> pl.LazyFrame:
    """The viewer's medewerkers with their team's name and region, of regio / team_id if given."""
    staff = (
        visible_medewerkers(snap, viewer)
        .lazy()
        .with_columns(pl.col("fte").fill_null(0.0))
        .join(_teams(snap), on="team_id", how="left")
    )
    if regio is not None:
        staff = staff.filter(pl.col("regio") == regio)
    if team_id is not None:
        staff = staff.filter(pl.col("team_id") == team_id)
    return staff


def _group_keys(by: str | None) -> list[str]:
    if by not in ("team_id", "regio", None):
        raise ValueError(f"by moet team_id, regio of None zijn, niet {by!r}")
    return {"team_id": ["team_id", "team_naam", "regio"], "regio": ["regio"], None: []}[by]


def laatste_volle_maand(as_of: date) -> date:
    """The last day of the last complete calendar month on as_of: as_of itself when it is its
    month's last day, else the end of the month before."""
    if (as_of + _ONE).month != as_of.month:
        return as_of
    return as_of.replace(day=1) - _ONE


def verzuim_maand(as_of: date) -> str:
    """The month ("YYYY-MM") of the headline verzuim as of as_of."""
    return laatste_volle_maand(as_of).strftime("%Y-%m")


def _volle_maanden(as_of: date, months: int) -> pl.LazyFrame:
    """maand, maand_start, maand_einde of the `months` complete months up to the headline month."""
    return month_windows(laatste_volle_maand(as_of), months)


def bezetting(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, months: int = 13
) -> pl.DataFrame:
    """Per team and month: formatie_fte against bezetting_fte, the fte in service on the month's
    last day (on as_of for as_of's own month); scoped viewers get their medewerkers' teams,
    counting only those. Kept per day: the page's tiles, tables and charts each ask."""
    key = ("bezetting", scope_key(viewer), months)
    return snap.memo(
        key,
        partial(_bezetting, snap, viewer, as_of, months),
        day=as_of,
        shared=viewer.sees_everything,
    )


def _bezetting(snap: Snapshot, viewer: Viewer, as_of: date, months: int) -> pl.DataFrame:
    window = month_windows(as_of, months)
    staff = _staff(snap, viewer)
    teams = _teams(snap)
    if not viewer.sees_everything:
        teams = teams.join(staff.select("team_id"), on="team_id", how="semi")
    filled = (
        staff.join_where(window, in_service(pl.col("maand_einde")))
        .group_by("team_id", "maand")
        .agg(pl.col("fte").sum().alias("bezetting_fte"), pl.len().alias("medewerkers"))
    )
    formatie = snap["formatie"].lazy().select("team_id", "maand", "formatie_fte")
    return (
        teams.join(window.select("maand"), how="cross")
        .join(formatie, on=["team_id", "maand"], how="left")
        .join(filled, on=["team_id", "maand"], how="left")
        .with_columns(
            pl.col("bezetting_fte").fill_null(0.0).round(4),
            pl.col("medewerkers").fill_null(0).cast(pl.Int64),
        )
        .with_columns(
            (pl.col("bezetting_fte") - pl.col("formatie_fte")).round(4).alias("verschil_fte")
        )
        .sort("team_id", "maand")
        .collect()
    )


def formatie_bezetting(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 1,
    by: str | None = "team_id",
    regio: str | None = None,
    team_id: str | None = None,
) -> pl.DataFrame:
    """Per month and team/region/organisation: formatie_fte and bezetting_fte as bezetting
    counts them, their difference in fte and as % of formatie, and formatie_status (boven, op
    or onder formatie). A group with a team without formatie that month has no formatie."""
    keys = _group_keys(by)
    teams = bezetting(snap, viewer, as_of, config, months).lazy()
    if regio is not None:
        teams = teams.filter(pl.col("regio") == regio)
    if team_id is not None:
        teams = teams.filter(pl.col("team_id") == team_id)
    verschil = pl.col("formatie_verschil_fte")
    return (
        teams.group_by("maand", *keys)
        .agg(
            pl.when(pl.col("formatie_fte").is_not_null().all())
            .then(pl.col("formatie_fte").sum())
            .alias("formatie_fte"),
            pl.col("bezetting_fte").sum(),
            pl.col("medewerkers").sum().alias("medewerkers_in_dienst"),
        )
        .with_columns(
            (pl.col("bezetting_fte") - pl.col("formatie_fte")).alias("formatie_verschil_fte")
        )
        .with_columns(
            pl.when(pl.col("formatie_fte") > 0)
            .then(100 * verschil / pl.col("formatie_fte"))
            .alias("formatie_verschil_pct"),
            pl.when(verschil > _FTE_EPS)
            .then(pl.lit(BOVEN))
            .when(verschil < -_FTE_EPS)
            .then(pl.lit(ONDER))
            .when(verschil.is_not_null())
            .then(pl.lit(OP))
            .alias("formatie_status"),
        )
        .select(
            "maand",
            *keys,
            "formatie_fte",
            "bezetting_fte",
            "formatie_verschil_fte",
            "formatie_verschil_pct",
            "formatie_status",
            "medewerkers_in_dienst",
        )
        .sort("maand", *keys)
        .collect()
    )


def _days(starts: list[str | pl.Expr], ends: list[str | pl.Expr]) -> pl.Expr:
    """Calendar days in the intersection of half-open periods [start, end); an empty end is
    open (min_horizontal skips nulls), no overlap is 0 days."""
    span = pl.min_horizontal(*ends) - pl.max_horizontal(*starts)
    return span.dt.total_days().clip(lower_bound=0)


def _fte_dagen(
    snap: Snapshot, staff: pl.LazyFrame, windows: pl.LazyFrame, keys: list[str]
) -> pl.LazyFrame:
    """Per maand and keys: absent fte-days (fte x percentage/100, empty: 100) and fte-days in
    service, in calendar days of each window."""
    month_end = pl.col("maand_einde") + _ONE
    people = staff.select("medewerker_id", *keys, "fte", "in_dienst", "uit_dienst")
    available = (
        people.join(windows, how="cross")
        .with_columns(_days(["in_dienst", "maand_start"], ["uit_dienst", month_end]).alias("dagen"))
        .group_by("maand", *keys)
        .agg((pl.col("fte") * pl.col("dagen")).sum().alias("beschikbaar_fte_dagen"))
    )
    absent = (
        snap["verzuim"]
        .lazy()
        .join(people, on="medewerker_id")
        .join_where(
            windows,
            pl.col("ziek_vanaf") <= pl.col("maand_einde"),
            pl.col("ziek_tot").fill_null(date.max) > pl.col("maand_start"),
        )
        .with_columns(
            _days(
                ["ziek_vanaf", "in_dienst", "maand_start"], ["ziek_tot", "uit_dienst", month_end]
            ).alias("dagen")
        )
        .group_by("maand", *keys)
        .agg(
            (pl.col("fte") * pl.col("percentage").fill_null(100.0) / 100 * pl.col("dagen"))
            .sum()
            .alias("verzuim_fte_dagen")
        )
    )
    return available.join(absent, on=["maand", *keys], how="left", nulls_equal=True).with_columns(
        pl.col("verzuim_fte_dagen").fill_null(0.0)
    )


def _pct(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    return pl.when(whole > 0).then(100 * part / whole)


def verzuim(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 12,
    by: str | None = "team_id",
    regio: str | None = None,
    team_id: str | None = None,
) -> pl.DataFrame:
    """Verzuim % per complete calendar month (the `months` up to verzuim_maand(as_of); as_of's
    running month never) and team ("team_id"), region ("regio") or organisation (None)."""
    keys = _group_keys(by)

    def per_month() -> pl.DataFrame:
        staff = _staff(snap, viewer, regio, team_id)
        return (
            _fte_dagen(snap, staff, _volle_maanden(as_of, months), keys)
            .with_columns(
                _pct(pl.col("verzuim_fte_dagen"), pl.col("beschikbaar_fte_dagen")).alias(
                    "verzuim_pct"
                )
            )
            .select("maand", *keys, "verzuim_pct", "verzuim_fte_dagen", "beschikbaar_fte_dagen")
            .sort("maand", *keys)
            .collect()
        )

    # Every day of a month has the same complete months, as in _verzuim_over.
    key = ("verzuim_per_maand", scope_key(viewer), laatste_volle_maand(as_of), months, by)
    return snap.memo((*key, regio, team_id), per_month, chosen=True)


def _verzuim_over(
    snap: Snapshot, viewer: Viewer, as_of: date, months: int, regio: str | None, team_id: str | None
) -> float | None:
    """Verzuim % over the `months` complete months up to the headline month, days pooled."""
    # Every day of a month has the same headline month: a report's regions and trend months
    # ask for the same few, again and again.
    key = ("verzuim", scope_key(viewer), laatste_volle_maand(as_of), months, regio, team_id)

    def total() -> float | None:
        staff = _staff(snap, viewer, regio, team_id)
        pooled = _pct(pl.col("verzuim_fte_dagen").sum(), pl.col("beschikbaar_fte_dagen").sum())
        frame = _fte_dagen(snap, staff, _volle_maanden(as_of, months), []).select(pooled)
        return frame.collect().item()

    return snap.memo(key, total, chosen=True)


def verzuim_pct(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    team_id: str | None = None,
) -> float | None:
    """Verzuim % of the last complete calendar month on as_of (verzuim_maand), unrounded."""
    return _verzuim_over(snap, viewer, as_of, 1, regio, team_id)


def verzuim_12m_pct(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    team_id: str | None = None,
) -> float | None:
    """Verzuim % over the 12 complete calendar months up to verzuim_maand(as_of), pooled."""
    return _verzuim_over(snap, viewer, as_of, 12, regio, team_id)


def verloop(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    team_id: str | None = None,
) -> pl.DataFrame:
    """Per functiegroep and in total: vertrokken (uit_dienst in the 12 months up to as_of),
    gemiddelde_bezetting (mean headcount in service on those 12 month ends) and verloop_pct."""
    ends = _volle_maanden(as_of, VERLOOP_MAANDEN).select("maand_einde")
    groep = {f: g for g, functies in FUNCTIEGROEPEN.items() for f in functies}
    staff = _staff(snap, viewer, regio, team_id).select(
        pl.col("functie").replace_strict(groep, default=None).alias("functiegroep"),
        "in_dienst",
        "uit_dienst",
    )
    # Everyone counts in the total as well as in their group.
    staff = pl.concat([staff, staff.with_columns(pl.lit(TOTAAL).alias("functiegroep"))])
    left = pl.col("uit_dienst").is_between(add_months(as_of, -VERLOOP_MAANDEN), as_of, "right")
    vertrokken = staff.group_by("functiegroep").agg(left.sum().alias("vertrokken"))
    headcount = (
        staff.join_where(ends, in_service(pl.col("maand_einde")))
        .group_by("functiegroep")
        .agg((pl.len() / VERLOOP_MAANDEN).alias("gemiddelde_bezetting"))
    )
    return (
        pl.LazyFrame({"functiegroep": [*FUNCTIEGROEPEN, TOTAAL]})
        .join(vertrokken, on="functiegroep", how="left", maintain_order="left")
        .join(headcount, on="functiegroep", how="left", maintain_order="left")
        .with_columns(
            pl.col("vertrokken").fill_null(0).cast(pl.Int64),
            pl.col("gemiddelde_bezetting").fill_null(0.0),
        )
        .with_columns(
            _pct(pl.col("vertrokken"), pl.col("gemiddelde_bezetting")).alias("verloop_pct")
        )
        .collect()
    )


def verloop_pct(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    team_id: str | None = None,
) -> float | None:
    """Verloop % of all staff in the 12 months up to as_of (the Totaal row of verloop)."""
    frame = verloop(snap, viewer, as_of, config, regio, team_id)
    return frame.filter(pl.col("functiegroep") == TOTAAL)["verloop_pct"].item()


def dienstverband_mix(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, by: str | None = "team_id"
) -> pl.DataFrame:
    """Per team/region/organisation and dienstverband ("onbekend" when empty): medewerkers and
    fte in service on as_of, and the share of the group's fte."""
    keys = _group_keys(by)
    return (
        _staff(snap, viewer)
        .filter(in_service(as_of))
        .with_columns(pl.col("dienstverband").fill_null("onbekend"))
        .group_by(*keys, "dienstverband")
        .agg(pl.len().cast(pl.Int64).alias("medewerkers"), pl.col("fte").sum().round(4))
        .with_columns(
            (
                100
                * pl.col("fte")
                / (pl.col("fte").sum().over(keys) if keys else pl.col("fte").sum())
            ).alias("aandeel_fte_pct")
        )
        .sort(
            *keys,
            pl.col("dienstverband").replace_strict(
                DIENSTVERBANDEN, list(range(len(DIENSTVERBANDEN))), default=len(DIENSTVERBANDEN)
            ),
        )
        .collect()
    )


def expiring(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    maanden: int = 3,
    regio: str | None = None,
    team_id: str | None = None,
) -> pl.DataFrame:
    """Per medewerker in service: VOG (vog_datum + config.vog_maanden) and SKJ registration
    expiring by as_of + maanden; status "verlopen" (before as_of) or "verloopt"."""
    # A vog_datum after as_of was not known yet on as_of.
    horizon = pl.lit(as_of).dt.offset_by(f"{maanden}mo")
    staff = _staff(snap, viewer, regio, team_id).filter(in_service(as_of))
    cols = ("medewerker_id", "naam", "functie", "team_id", "team_naam", "regio")
    vog = staff.filter(pl.col("vog_datum") <= as_of).select(
        *cols,
        pl.lit("vog").alias("document"),
        pl.col("vog_datum").dt.offset_by(f"{config.vog_maanden}mo").alias("verloopt_op"),
    )
    skj = staff.filter(
        pl.col("functie").is_in(SKJ_FUNCTIES) & pl.col("skj_geldig_tot").is_not_null()
    ).select(*cols, pl.lit("skj").alias("document"), pl.col("skj_geldig_tot").alias("verloopt_op"))
    return (
        pl.concat([vog, skj])
        .filter(pl.col("verloopt_op") <= horizon)
        .with_columns(
            (pl.col("verloopt_op") - pl.lit(as_of)).dt.total_days().alias("dagen_tot"),
            pl.when(pl.col("verloopt_op") < as_of)
            .then(pl.lit("verlopen"))
            .otherwise(pl.lit("verloopt"))
            .alias("status"),
        )
        .sort("verloopt_op", "medewerker_id", "document")
        .collect()
    )


def missing_diplomas(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    team_id: str | None = None,
) -> pl.DataFrame:
    """Medewerkers in service in an SKJ function whose diploma is not known to be in the dossier."""
    return (
        _staff(snap, viewer, regio, team_id)
        .filter(
            in_service(as_of)
            & pl.col("functie").is_in(SKJ_FUNCTIES)
            & pl.col("diploma_in_dossier").fill_null(False).not_()
        )
        .select(
            "medewerker_id",
            "naam",
            "functie",
            "team_id",
            "team_naam",
            "regio",
            "diploma_in_dossier",
        )
        .sort("team_id", "naam", "medewerker_id")
        .collect()
    )


_FORMATIE_KEYS = (
    "formatie_fte",
    "bezetting_fte",
    "formatie_verschil_fte",
    "formatie_verschil_pct",
    "medewerkers_in_dienst",
)


def personeel_cijfers(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    team_id: str | None = None,
) -> dict:
    """The Personeel page's headline figures for the viewer, regio and team_id, unrounded."""
    staffing = formatie_bezetting(snap, viewer, as_of, config, 1, None, regio, team_id)
    row = staffing.row(0, named=True) if staffing.height else dict.fromkeys(staffing.columns)
    documents = expiring(snap, viewer, as_of, config, regio=regio, team_id=team_id)
    left = (
        verloop(snap, viewer, as_of, config, regio=regio, team_id=team_id)
        .filter(pl.col("functiegroep") == TOTAAL)
        .row(0, named=True)
    )
    return {
        **{key: row[key] for key in _FORMATIE_KEYS},
        "formatie_status": row["formatie_status"],
        "verzuim_maand": verzuim_maand(as_of),
        "verzuim_12m_vanaf": month_ends(laatste_volle_maand(as_of), 12)[0].strftime("%Y-%m"),
        "verzuim_pct": verzuim_pct(snap, viewer, as_of, config, regio=regio, team_id=team_id),
        "verzuim_12m_pct": verzuim_12m_pct(
            snap, viewer, as_of, config, regio=regio, team_id=team_id
        ),
        "verloop_pct": left["verloop_pct"],
        "vertrokken": left["vertrokken"],
        "gemiddelde_bezetting": left["gemiddelde_bezetting"],
        "vog_skj_verlopen": documents.filter(pl.col("status") == "verlopen").height,
        "vog_skj_binnenkort": documents.filter(pl.col("status") == "verloopt").height,
        "diploma_ontbreekt": missing_diplomas(
            snap, viewer, as_of, config, regio=regio, team_id=team_id
        ).height,
    }


def _cijfer(key: str) -> Callable[[Snapshot, Viewer, date, Config, Filters], Waarde]:
    """bereken for one key of personeel_cijfers, over one memoised call per scope and filters."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        row = snap.memo(
            ("personeel_cijfers", scope_key(viewer), as_of, f.regio, f.team_id, config_key(config)),
            partial(personeel_cijfers, snap, viewer, as_of, config, f.regio, f.team_id),
            chosen=True,
        )
        return row[key]

    return bereken


_VERZUIM = (
    "Afwezige fte-dagen gedeeld door fte-dagen in dienst, in kalenderdagen. Ziek van ziek_vanaf "
    "tot (niet tot en met) ziek_tot, naar rato van het verzuimpercentage (leeg: 100); in dienst "
    "van in_dienst tot (niet tot en met) uit_dienst; gewogen naar fte (leeg: 0)"
)
_BEZETTING = (
    "de fte van de medewerkers in dienst op de peildatum (in_dienst <= dag < uit_dienst), bij "
    "hun huidige team; in een eerdere maand op de laatste dag van die maand"
)
_FORMATIE = "de formatie (fte) van de teams voor de maand van de peildatum"
_GROEPEN = (
    "jeugdzorgwerkers (jeugdbeschermer, jeugdreclasseerder), praktijkbegeleiders, "
    "gedragswetenschappers en management (teammanager, manager)"
)
_VERLOOP = (
    "de 12 maanden tot en met de peildatum (peildatum min 12 maanden < uit_dienst <= peildatum)"
)
_DOCUMENTEN = (
    "VOG's (geldig tot het ingestelde aantal maanden na afgifte, standaard 36) en SKJ-registraties "
    "(geldig tot skj_geldig_tot) van medewerkers in dienst op de peildatum"
)
FIGUREN = (
    Figuur("verzuim_12m_pct", "Verzuim 12 maanden", "periode", "pct", 1,
           f"{_VERZUIM}. Opgeteld over de 12 volledige kalendermaanden tot en met de laatste "
           "volledige maand voor de peildatum (de maand van de peildatum zelf als die de "
           "laatste dag van de maand is): de dagen tellen samen, geen gemiddelde van "
           "maandpercentages.", _cijfer("verzuim_12m_pct"), hoger_beter=False),
    Figuur("formatie_fte", "Formatie", "voorraad", "fte", 2,
           f"De som van {_FORMATIE}. Een regio of de organisatie met een team zonder "
           "formatie die maand heeft geen formatie.", _cijfer("formatie_fte")),
    Figuur("bezetting_fte", "Bezetting", "voorraad", "fte", 2,
           f"De som van {_BEZETTING}.", _cijfer("bezetting_fte")),
    Figuur("formatie_verschil_fte", "Bezetting min formatie", "voorraad", "fte", 2,
           "Bezetting min formatie in fte: boven formatie als de bezetting groter is (een GI "
           "bezet soms bewust boven het budget, betaald door gemeenten), onder formatie als "
           "die kleiner is, op formatie als ze gelijk zijn.", _cijfer("formatie_verschil_fte")),
    Figuur("formatie_verschil_pct", "Bezetting min formatie (% van formatie)", "voorraad", "pct",
           1, "Bezetting min formatie als percentage van de formatie.",
           _cijfer("formatie_verschil_pct")),
    Figuur("medewerkers_in_dienst", "Medewerkers in dienst", "voorraad", "aantal", 0,
           f"Het aantal medewerkers dat meetelt in de bezetting: {_BEZETTING}.",
           _cijfer("medewerkers_in_dienst")),
    Figuur("verloop_pct", "Verloop", "stroom", "pct", 1,
           f"Het aantal medewerkers uit dienst in {_VERLOOP}, gedeeld door het gemiddelde "
           "aantal medewerkers in dienst op de 12 maandeinden van die periode, maal 100. Per "
           f"functiegroep: {_GROEPEN}; en voor alle medewerkers samen.",
           _cijfer("verloop_pct"), hoger_beter=False),
    Figuur("vertrokken", "Vertrokken medewerkers", "stroom", "aantal", 0,
           f"Het aantal medewerkers met uit_dienst in {_VERLOOP}.", _cijfer("vertrokken")),
    Figuur("gemiddelde_bezetting", "Gemiddelde bezetting (personen)", "periode", "aantal", 1,
           "Het gemiddelde aantal medewerkers in dienst op de laatste dagen van de 12 volledige "
           "kalendermaanden tot en met de peildatum.", _cijfer("gemiddelde_bezetting")),
    Figuur("vog_skj_verlopen", "VOG/SKJ verlopen", "voorraad", "aantal", 0,
           f"Het aantal {_DOCUMENTEN} dat voor de peildatum is verlopen.",
           _cijfer("vog_skj_verlopen"), hoger_beter=False),
    Figuur("vog_skj_binnenkort", "VOG/SKJ verloopt binnen 3 maanden", "voorraad", "aantal", 0,
           f"Het aantal {_DOCUMENTEN} dat vanaf de peildatum binnen 3 maanden verloopt.",
           _cijfer("vog_skj_binnenkort"), hoger_beter=False),
    Figuur("diploma_ontbreekt", "Diploma niet in dossier", "voorraad", "aantal", 0,
           "Het aantal medewerkers in dienst op de peildatum in een SKJ-functie (jeugdbeschermer, "
           "jeugdreclasseerder, praktijkbegeleider, gedragswetenschapper) van wie niet bekend is "
           "dat het diploma in het dossier zit.", _cijfer("diploma_ontbreekt"), hoger_beter=False),
)  # fmt: skip
