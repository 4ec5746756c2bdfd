"""The organisation's headline figures as of a day, as the inspection reads them."""

from datetime import date, timedelta
from functools import partial

import polars as pl

from queries.config import Config, config_key
from queries.figuur import Figuur, Filters
from queries.houder import narrow
from queries.kalender import add_months
from queries.personeel import verzuim_pct
from queries.scope import MANAGER, Viewer, regios, scope_key
from queries.snapshot import Snapshot
from queries.tijdigheid import figures, maatregel_cijfers, share

KEYS = (
    "actieve_maatregelen",
    "vaste_jzw",
    "ccp",
    "crt",
    "niet_toegewezen",
    "eerste_contact_tijdig_pct",
    "gem_dagen_eerste_contact",
    "eerste_contact_maand",
    "eerste_contact_lopend",
    "plan_tijdig_pct",
    "plan_tijdig_pct_cohort",
    "hulp_tijdig_pct",
    "risicotaxatie_actueel_pct",
    "verzuim_pct",
    "vaste_jzw_pct",
)


def cohort_maanden(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    soort: str | None = None,
    team_id: str | None = None,
    medewerker_id: str | None = None,
) -> pl.DataFrame:
    """The first-contact figures per start month, every month evaluated as of as_of, so a late
    first contact counts in its own start month; `eerste_contact_lopend` marks a month with an
    eerste_contact deadline still open on as_of. Filters as kpis."""
    frame = _measures(snap, viewer, as_of, config, regio, soort, team_id, medewerker_id)
    return (
        frame.group_by("start_maand")
        .agg(
            pl.len().alias("gestart"),
            share(pl.col("ec_status")).alias("eerste_contact_tijdig_pct"),
            pl.col("dagen_eerste_contact").mean().alias("gem_dagen_eerste_contact"),
            pl.col("dagen_eerste_contact").median().alias("mediaan_dagen_eerste_contact"),
            (pl.col("ec_status") == "open").any().alias("eerste_contact_lopend"),
        )
        .sort("start_maand")
    )


def headline_maand(cohort: pl.DataFrame) -> str | None:
    """The latest start month of a cohort_maanden frame that is not lopend: the headline."""
    done = cohort.filter(~pl.col("eerste_contact_lopend"))
    return done["start_maand"].max() if done.height else None  # type: ignore[return-value]


def kpis(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    since: date | None = None,
    start_month: str | date | None = None,
    regio: str | None = None,
    soort: str | None = None,
    team_id: str | None = None,
    medewerker_id: str | None = None,
) -> dict:
    """The headline figures as of as_of. First-contact ones over the measures started in
    start_month ("YYYY-MM" or a day in it), by default the latest start month not lopend; the
    plan cohort over the active ones started since `since` (default: norms.toml's cohort).
    With regio, team_id or medewerker_id: the measures whose holder on the day is in it; with
    soort (a SOORT_KEUZES key) those of that soort, while verzuim_pct, about staff, follows
    only the region and team."""
    since = config.cohort_vanaf if since is None else since
    frame = _measures(snap, viewer, as_of, config, regio, soort, team_id, medewerker_id)
    cohort = cohort_maanden(snap, viewer, as_of, config, regio, soort, team_id, medewerker_id)
    if start_month is None:
        month = headline_maand(cohort)
    elif isinstance(start_month, date):
        month = start_month.strftime("%Y-%m")
    else:
        month = start_month
    row = _stock(frame, since)
    of_month = cohort.filter(pl.col("start_maand") == month)
    for key in ("eerste_contact_tijdig_pct", "gem_dagen_eerste_contact"):
        row[key] = of_month[key].item() if of_month.height else None
    row["eerste_contact_maand"] = month
    row["eerste_contact_lopend"] = bool(of_month.height and of_month["eerste_contact_lopend"][0])
    row["verzuim_pct"] = verzuim_pct(snap, viewer, as_of, config, regio, team_id)
    return {key: row[key] for key in KEYS}


def _measures(snap, viewer, as_of, config, regio, soort, team_id, medewerker_id) -> pl.DataFrame:
    """The day's maatregel_cijfers without voogdij contacts, narrowed to the filters."""
    f = Filters(regio=regio, soort=soort, team_id=team_id, medewerker_id=medewerker_id)
    return narrow(maatregel_cijfers(snap, viewer, as_of, config, voogdij=False), f)


def _stock(frame: pl.DataFrame, since: date | None) -> dict:
    """The stock figures and the plan cohort of a frame of maatregel_cijfers rows."""
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
    row["vaste_jzw_pct"] = 100 * row["vaste_jzw"] / row["actief"] if row["actief"] else None
    return row


def _month_stock(snap, viewer, peildatum, config, since, regio, soort) -> dict:
    """The stock figures of a trend month as of its peildatum. A month's measures are the same
    for every region and soort, so a region's or soort's trend filters the ones built for the
    organisation's."""
    row = _stock(_measures(snap, viewer, peildatum, config, regio, soort, None, None), since)
    row["verzuim_pct"] = verzuim_pct(snap, viewer, peildatum, config, regio)
    return row


TREND_KEYS = tuple(k for k in KEYS if k not in ("eerste_contact_maand", "eerste_contact_lopend"))
_COHORT = ("eerste_contact_tijdig_pct", "gem_dagen_eerste_contact")
MAANDSTANDEN = "kpis/maandstanden"
# The complete months before the export a load prepares, for MT and every region: all months
# of the trend on the export date but its own.
VOORBEREIDE_MAANDEN = 13


def prepare_frames(snap: Snapshot, config: Config) -> dict[str, pl.DataFrame]:
    """The month stocks of the trends (kpi_trend) of MT and each region at the month ends before
    the export, for a load to store (queries.voorbereiding)."""
    since = config.cohort_vanaf
    first = snap.export_date.replace(day=1)
    rows = [
        {"peildatum": peildatum, "regio": regio}
        | _month_stock(snap, MANAGER, peildatum, config, since, regio, None)
        for back in range(1, VOORBEREIDE_MAANDEN + 1)
        for peildatum in [add_months(first, -back + 1) - timedelta(days=1)]
        for regio in [None, *regios(snap)]
    ]
    return {MAANDSTANDEN: pl.DataFrame(rows, infer_schema_length=None)}


def _stock_of_month(snap, viewer, peildatum, config, since, regio, soort) -> dict:
    """The month stock as the load stored it, else computed."""
    month = (snap, viewer, peildatum, config, since, regio, soort)
    return _stored_stock(*month) or _month_stock(*month)


def _stored_stock(snap, viewer, peildatum, config, since, regio, soort) -> dict | None:
    """The month stock as the load prepared it, for MT's scope without soort, if it did."""
    months = snap.voorbereid_voor(config).get(MAANDSTANDEN)
    if months is None or soort is not None or since != config.cohort_vanaf:
        return None
    if scope_key(viewer) != scope_key(MANAGER):
        return None
    stored = months.filter((pl.col("peildatum") == peildatum) & pl.col("regio").eq_missing(regio))
    return stored.drop("peildatum", "regio").row(0, named=True) if stored.height else None


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
    """kpis per month for the last `months` months: the stock figures at each month end (as_of
    for its own month), the first-contact ones per start month as of as_of, with
    eerste_contact_lopend marking the start months still running (null: none started)."""
    since = config.cohort_vanaf if since is None else since
    rows = []
    scope, settings = scope_key(viewer), config_key(config)
    for back in range(months - 1, -1, -1):
        first = add_months(as_of.replace(day=1), -back)
        peildatum = min(add_months(first, 1) - timedelta(days=1), as_of)
        # A month's stock depends only on its own peildatum, so a later peildatum, another
        # page or another manager reuses every month already computed on this load.
        stock = snap.memo(
            ("kpi_stock", scope, peildatum, since, regio, soort, settings),
            partial(_stock_of_month, snap, viewer, peildatum, config, since, regio, soort),
            chosen=True,
        )
        rows.append(
            {"maand": first.strftime("%Y-%m"), "peildatum": peildatum}
            | {k: stock[k] for k in TREND_KEYS if k not in _COHORT}
        )
    schema = {"maand": pl.String, "peildatum": pl.Date}
    schema |= {k: pl.Int64 for k in KEYS[:5]}
    schema |= {k: pl.Float64 for k in TREND_KEYS[5:] if k not in _COHORT}
    cohort = cohort_maanden(snap, viewer, as_of, config, regio, soort).select(
        pl.col("start_maand").alias("maand"), *_COHORT, "eerste_contact_lopend"
    )
    return (
        pl.DataFrame(rows, schema=schema)
        .join(cohort, on="maand", how="left")
        .select("maand", "peildatum", *TREND_KEYS, "eerste_contact_lopend")
    )


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
                team_id=f.team_id,
                medewerker_id=f.medewerker_id,
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
    Figuur("gestart", "Gestarte maatregelen", "cohort", "aantal", 0,
           "Per startmaand het aantal maatregelen dat in die maand is gestart."),
    Figuur("mediaan_dagen_eerste_contact", "Mediaan dagen tot eerste contact", "cohort", "dagen",
           1, "Per startmaand de mediaan van de kalenderdagen van de start tot het eerste "
           "face-to-face contact, beoordeeld op de peildatum.", hoger_beter=False),
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
    Figuur("vaste_jzw_pct", "Aandeel met vaste jeugdzorgwerker", "voorraad", "pct", 1,
           f"{_STOCK}: het deel dat een jeugdzorgwerker in een regulier team heeft.",
           _kpi("vaste_jzw_pct"), hoger_beter=True),
    Figuur("verzuim_pct", "Verzuim", "periode", "pct", 1,
           "Afwezige fte-dagen gedeeld door fte-dagen in dienst, in kalenderdagen, over de "
           "laatste volledige kalendermaand voor de peildatum.",
           _kpi("verzuim_pct"), hoger_beter=False),
)  # fmt: skip
