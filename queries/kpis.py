"""The organisation's headline figures as of a day, as the inspection reads them."""

from datetime import date, timedelta
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.kalender import add_months, is_werkdag
from queries.perioden import covers
from queries.scope import Viewer, in_service, region_teams, scope_key, visible_medewerkers
from queries.snapshot import Snapshot
from queries.termijnen import ENGINE
from queries.tijdigheid import figures, maatregel_cijfers, of_soort

KEYS = (
    "actieve_maatregelen",
    "vaste_jzw",
    "ccp",
    "crt",
    "niet_toegewezen",
    "eerste_contact_tijdig_pct",
    "gem_dagen_eerste_contact",
    "plan_tijdig_pct",
    "plan_tijdig_pct_cohort",
    "hulp_tijdig_pct",
    "risicotaxatie_actueel_pct",
    "verzuim_pct",
)


def _month_start(start_month: str | date | None, as_of: date) -> date:
    if start_month is None:
        return as_of.replace(day=1)
    if isinstance(start_month, date):
        return start_month.replace(day=1)
    return date.fromisoformat(f"{start_month}-01")


def verzuim_pct(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> float | None:
    """Absent fte over available fte, summed over the werkdagen of as_of's month up to as_of
    (with regio: the medewerkers of that region's teams)."""
    # As queries.personeel: a period runs from ziek_vanaf up to, not including, ziek_tot; an
    # empty percentage is 100; only medewerkers in service on a day count for it.
    first = as_of.replace(day=1)
    days = [
        first + timedelta(days=i)
        for i in range((as_of - first).days + 1)
        if is_werkdag(first + timedelta(days=i), config)
    ]
    if not days:
        return None
    grid = pl.LazyFrame({"dag": days})
    staff = visible_medewerkers(snap, viewer)
    if regio is not None:
        staff = staff.filter(pl.col("team_id").is_in(region_teams(snap, regio).implode()))
    people = staff.lazy().select(
        "medewerker_id", pl.col("fte").fill_null(0.0), "in_dienst", "uit_dienst"
    )
    present = people.join(grid, how="cross").filter(in_service(pl.col("dag")))
    available = present.select(pl.col("fte").sum())
    absent = (
        snap["verzuim"]
        .lazy()
        .join(present, on="medewerker_id")
        .filter(covers("ziek_vanaf", "ziek_tot", pl.col("dag")))
        .select((pl.col("fte") * pl.col("percentage").fill_null(100.0) / 100).sum())
    )
    total, sick = (f.item() for f in pl.collect_all([available, absent], engine=ENGINE))
    return round(100 * sick / total, 1) if total else None


def kpis(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    since: date | None = None,
    start_month: str | date | None = None,
    regio: str | None = None,
    soort: str | None = None,
) -> dict:
    """The headline figures; first-contact ones over measures started in start_month ("YYYY-MM"
    or a day in it; default as_of's month), the plan cohort over active ones since `since`.
    With regio: the measures whose holder on the day is a team of that region; with soort (a
    SOORT_KEUZES key) those of that soort, while verzuim_pct, about staff, stays for all."""
    measures = maatregel_cijfers(snap, viewer, as_of, config, voogdij=False)
    return _kpis(snap, viewer, as_of, config, measures, since, start_month, regio, soort)


def _kpis(snap, viewer, as_of, config, measures, since, start_month, regio, soort) -> dict:
    """kpis over the day's maatregel_cijfers (without voogdij contacts)."""
    month = _month_start(start_month, as_of)
    frame = of_soort(measures, soort)
    if regio is not None:
        frame = frame.filter(pl.col("regio") == regio)
    in_month = (pl.col("start") >= month) & (pl.col("start") < add_months(month, 1))
    frame = frame.with_columns(
        pl.when(in_month).then(pl.col(c)) for c in ("ec_status", "dagen_eerste_contact")
    )
    actief = pl.col("actief")
    row = frame.select(
        *figures(since, voogdij=False),
        (actief & (pl.col("rol") == "jeugdzorgwerker") & (pl.col("team_soort") == "regulier"))
        .sum()
        .alias("vaste_jzw"),
        (actief & (pl.col("team_soort") == "CCP")).sum().alias("ccp"),
        (actief & (pl.col("team_soort") == "CRT")).sum().alias("crt"),
        (actief & pl.col("medewerker_id").is_null()).sum().alias("niet_toegewezen"),
    ).row(0, named=True)
    row["actieve_maatregelen"] = row["actief"]
    row["verzuim_pct"] = verzuim_pct(snap, viewer, as_of, config, regio)
    return {key: row[key] for key in KEYS}


def _month_kpis(snap, viewer, peildatum, config, since, first, regio, soort) -> dict:
    """kpis of a trend month. Its measures are the same for every region and soort, so a
    region's or soort's trend filters the ones built for the organisation's."""
    build = partial(maatregel_cijfers, snap, viewer, peildatum, config, voogdij=False)
    if peildatum.month == (peildatum + timedelta(days=1)).month:
        # A day within the month: any day may be asked for, so keeping each frame would let
        # the memo grow without bound; month ends are few and asked for again and again.
        measures = build()
    else:
        measures = snap.memo(
            ("maatregel_cijfers", scope_key(viewer), peildatum, config_key(config)), build
        )
    return _kpis(snap, viewer, peildatum, config, measures, since, first, regio, soort)


def kpi_trend(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 13,
    since: date | None = None,
    regio: str | None = None,
    soort: str | None = None,
) -> pl.DataFrame:
    """kpis per month end for the last `months` months, the current month as of as_of; each
    month's first-contact figures cover the measures started in that month."""
    rows = []
    scope, settings = scope_key(viewer), config_key(config)
    for back in range(months - 1, -1, -1):
        first = add_months(as_of.replace(day=1), -back)
        peildatum = min(add_months(first, 1) - timedelta(days=1), as_of)
        # A month's figures depend only on its own peildatum, so a later peildatum, another
        # page or another manager reuses every month already computed on this load.
        figures_then = snap.memo(
            ("kpis", scope, peildatum, first, since, regio, soort, settings),
            partial(_month_kpis, snap, viewer, peildatum, config, since, first, regio, soort),
            chosen=True,
        )
        rows.append({"maand": first.strftime("%Y-%m"), "peildatum": peildatum, **figures_then})
    schema = {"maand": pl.String, "peildatum": pl.Date}
    schema |= {k: pl.Int64 for k in KEYS[:5]} | {k: pl.Float64 for k in KEYS[5:]}
    return pl.DataFrame(rows, schema=schema)


def _kpi(key: str):
    """bereken for one key of kpis, over one memoised kpis of the scope and filters."""

    def bereken(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters):
        row = snap.memo(
            ("kpis", scope_key(viewer), as_of, f, config_key(config)),
            partial(
                kpis,
                snap,
                viewer,
                as_of,
                config,
                since=f.cohort,
                start_month=f.start_maand,
                regio=f.regio,
                soort=f.soort,
            ),
            chosen=True,
        )
        return row[key]

    return bereken


_STOCK = "Actieve maatregelen op de peildatum (start <= dag < einde)"
FIGUREN = (
    Figuur("actieve_maatregelen", "Actieve maatregelen", "voorraad", "aantal", 0,
           f"{_STOCK}.", _kpi("actieve_maatregelen")),
    Figuur("vaste_jzw", "Bij een vaste jeugdzorgwerker", "voorraad", "aantal", 0,
           f"{_STOCK} die een jeugdzorgwerker in een regulier team heeft.",
           _kpi("vaste_jzw"), hoger_beter=True),
    Figuur("ccp", "In het CCP", "voorraad", "aantal", 0,
           f"{_STOCK} bij een team van soort CCP.", _kpi("ccp"), hoger_beter=False),
    Figuur("crt", "In het CRT", "voorraad", "aantal", 0,
           f"{_STOCK} bij een team van soort CRT.", _kpi("crt"), hoger_beter=False),
    Figuur("niet_toegewezen", "Niet toegewezen", "voorraad", "aantal", 0,
           f"{_STOCK} zonder toewijzing.", _kpi("niet_toegewezen"), hoger_beter=False),
    Figuur("eerste_contact_tijdig_pct", "Eerste contact binnen 5 werkdagen", "cohort", "pct", 1,
           "Per startmaand het aandeel maatregelen met het eerste face-to-face contact met de "
           "jeugdige of een ouder binnen 5 werkdagen na de start (de startdag telt niet mee; "
           "werkdagen volgens de Algemene termijnenwet), beoordeeld op de peildatum. Tijdig / "
           "(tijdig + te laat + verlopen). Toetsingskader norm 1a.3.",
           _kpi("eerste_contact_tijdig_pct"), hoger_beter=True),
    Figuur("gem_dagen_eerste_contact", "Gemiddeld dagen tot eerste contact", "cohort", "dagen", 1,
           "Per startmaand het gemiddelde aantal kalenderdagen van de start tot het eerste "
           "face-to-face contact, over de maatregelen met zo'n contact op de peildatum.",
           _kpi("gem_dagen_eerste_contact"), hoger_beter=False),
    Figuur("plan_tijdig_pct", "Plan van aanpak binnen 6 weken", "voorraad", "pct", 1,
           "Aandeel actieve maatregelen waarvan het eerste plan van aanpak binnen 6 weken na de "
           "uitspraak is vastgesteld. Tijdig / (tijdig + te laat + verlopen). Norm 1b.3.",
           _kpi("plan_tijdig_pct"), hoger_beter=True),
    Figuur("plan_tijdig_pct_cohort", "Plan van aanpak binnen 6 weken, cohort", "cohort", "pct", 1,
           "Als plan van aanpak binnen 6 weken, over de actieve maatregelen gestart vanaf de "
           "cohortdatum.", _kpi("plan_tijdig_pct_cohort"), hoger_beter=True),
    Figuur("hulp_tijdig_pct", "Hulp gestart binnen 3 maanden", "voorraad", "pct", 1,
           "Aandeel actieve maatregelen met hulp waarvan de eerste hulp binnen 3 maanden na de "
           "uitspraak is gestart. Tijdig / (tijdig + te laat + verlopen). Norm 2.2.",
           _kpi("hulp_tijdig_pct"), hoger_beter=True),
    Figuur("risicotaxatie_actueel_pct", "RT actueel (inspectie)", "voorraad", "pct", 1,
           "Aandeel actieve maatregelen waarvan de laatste risicotaxatie met het juiste "
           "instrument (ARIJ bij jeugdbescherming, LIJ bij jeugdreclassering) niet ouder is dan "
           "3 maanden op de peildatum. Toetsingskader 1a.2 / 3.5.",
           _kpi("risicotaxatie_actueel_pct"), hoger_beter=True),
    Figuur("verzuim_pct", "Verzuim", "periode", "pct", 1,
           "Afwezige fte-dagen gedeeld door fte-dagen in dienst, in kalenderdagen, over de "
           "laatste volledige kalendermaand voor de peildatum.",
           _kpi("verzuim_pct"), hoger_beter=False),
)  # fmt: skip
