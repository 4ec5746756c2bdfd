"""The MT's organisation figures and the inspection's two-monthly progress report.

progress_report gives one frame per figure under Dutch column names, so the print view and
the Excel workbook show the same table; every figure's wording comes from the registry.
"""

from dataclasses import replace
from datetime import date, timedelta
from functools import partial

import polars as pl

from queries.afbouw import flows_per_month, start_with_vaste_jzw
from queries.afbouw_projectie import projection
from queries.config import Config, config_key
from queries.export import Heading, xlsx_bytes
from queries.figuren import REGISTER, definities, figuur, rond, waarde
from queries.figuur import EENHEID_LABELS, Filters
from queries.hulp import hulp_wachttijd
from queries.kalender import add_months
from queries.kpis import cohort_maanden, kpi_trend, kpis
from queries.personeel import verloop
from queries.scope import Viewer, regios, scope_key
from queries.snapshot import Snapshot
from queries.zicht import gezien_per_houder

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

# The organisation KPIs the MT follows, in tile order (registered figures).
KPI_TILES = (
    "eerste_contact_tijdig_pct",
    "gem_dagen_eerste_contact",
    "plan_tijdig_pct",
    "plan_tijdig_pct_cohort",
    "hulp_tijdig_pct",
    "risicotaxatie_actueel_pct",
    "vaste_jzw_pct",
)

# The Samenvatting, in the order the inspections read it: first contact, plans, who holds the
# measures, risicotaxatie, staff.
SUMMARY_KEYS = (
    "eerste_contact_tijdig_pct",
    "gem_dagen_eerste_contact",
    "plan_tijdig_pct",
    "plan_tijdig_pct_cohort",
    "actieve_maatregelen",
    "vaste_jzw_pct",
    "vaste_jzw",
    "ccp",
    "crt",
    "niet_toegewezen",
    "hulp_tijdig_pct",
    "risicotaxatie_actueel_pct",
    "gezien_6w_pct",
    "plan_besproken_jeugdige_pct",
    "plan_besproken_ouders_pct",
    "voogdij_op_norm_pct",
    "hulp_wachttijd_mediaan",
    "hulp_wachtend_lang_pct",
    "verzuim_pct",
    "verzuim_12m_pct",
    "verloop_pct",
)
SHEETS = (
    "Samenvatting",
    "Per regio",
    "Vaste jeugdzorgwerker",
    "Eerste contact",
    "Risicotaxaties",
    "Plannen van aanpak",
    "CCP en CRT",
    "Zicht op de jeugdige",
    "Hulp per soort",
    "Hulp per gemeente",
    "Verloop",
)

HULP_KEYS = (
    "hulp_gestart_12m",
    "hulp_wachttijd_mediaan",
    "hulp_wachtend",
    "hulp_wachtend_lang_pct",
)

# The registered figures each sheet shows, whose definitions the report prints beside it.
SECTION_FIGURES = {
    "Samenvatting": SUMMARY_KEYS,
    "Vaste jeugdzorgwerker": ("actieve_maatregelen", "vaste_jzw", "vaste_jzw_pct", "aandeel_pct"),
    "Eerste contact": (
        "eerste_contact_tijdig_pct",
        "gem_dagen_eerste_contact",
        "mediaan_dagen_eerste_contact",
    ),
    "Risicotaxaties": ("risicotaxatie_actueel_pct",),
    "Plannen van aanpak": ("plan_tijdig_pct", "plan_tijdig_pct_cohort", "hulp_tijdig_pct"),
    "CCP en CRT": ("ccp", "crt", "instroom", "overdracht", "uitstroom"),
    "Zicht op de jeugdige": ("gezien_6w_pct", "niet_gezien_6w"),
    "Hulp per soort": HULP_KEYS,
    "Hulp per gemeente": HULP_KEYS,
    "Verloop": ("vertrokken", "gemiddelde_bezetting", "verloop_pct"),
}


# The report's own column names of registered figures (the rest are named by column_name).
HEADER_KEYS = {
    "Actieve maatregelen": "actieve_maatregelen",
    "Vaste jeugdzorgwerker": "vaste_jzw",
    "CCP": "ccp",
    "CRT": "crt",
    "CCP en CRT samen": "ccp_en_crt",
    "Niet toegewezen": "niet_toegewezen",
    "Aandeel vaste jeugdzorgwerker (%)": "vaste_jzw_pct",
    "Nieuwe maatregelen": "nieuw",
    "Nieuw, vanaf start bij vaste jzw": "met_vaste_jzw",
    "Aandeel nieuw met vaste jzw (%)": "aandeel_pct",
    "Gestarte maatregelen": "gestart",
    "Binnen 5 werkdagen (%)": "eerste_contact_tijdig_pct",
    "Gemiddeld dagen tot contact": "gem_dagen_eerste_contact",
    "Mediaan dagen tot contact": "mediaan_dagen_eerste_contact",
    "Plan tijdig, alle actieve (%)": "plan_tijdig_pct",
    "Hulp tijdig gestart (%)": "hulp_tijdig_pct",
    "Instroom": "instroom",
    "Overdracht naar regulier": "overdracht",
    "Uitstroom (einde maatregel)": "uitstroom",
    "Gezien in 6 weken": "jeugdige_gezien_6w",
}


def figure_of(header: str) -> str | None:
    """The registered figure a report column shows, by its header; None for other columns."""
    if header in HEADER_KEYS:
        return HEADER_KEYS[header]
    if header.startswith("Plan tijdig, gestart vanaf") or header == "Plan tijdig, cohort (%)":
        return "plan_tijdig_pct_cohort"
    return next((k for k in REGISTER if column_name(k) == header), None)


def flows_since_start(report: dict[str, pl.DataFrame]) -> dict[str, int]:
    """The CCP and CRT flows over the report's months: instroom, overdracht, uitstroom."""
    months = report["CCP en CRT"]
    return {
        key: int(months[header].sum())
        for header, key in HEADER_KEYS.items()
        if key in ("instroom", "overdracht", "uitstroom")
    }


def section_definition(sheet: str) -> str:
    """The definitions of the figures a sheet shows, as one paragraph."""
    return " ".join(f"{figuur(k).naam}: {figuur(k).definitie}" for k in SECTION_FIGURES[sheet])


def month_label(maand: str) -> str:
    """'2026-02' -> 'februari 2026'."""
    year, month = maand.split("-")
    return f"{MAANDEN[int(month) - 1]} {year}"


def month_labels(maand: pl.Expr) -> pl.Expr:
    """month_label for a column of 'YYYY-MM'."""
    names = {f"{i:02d}": name for i, name in enumerate(MAANDEN, 1)}
    return pl.format("{} {}", maand.str.slice(5, 2).replace_strict(names), maand.str.slice(0, 4))


def months_since(since: date, as_of: date) -> int:
    """Calendar months from since's month up to and including as_of's month."""
    return (as_of.year - since.year) * 12 + as_of.month - since.month + 1


def organisation_trend(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    months: int = 13,
    since: date | None = None,
    regio: str | None = None,
    soort: str | None = None,
) -> pl.DataFrame:
    """kpi_trend of the organisation, a region or a soort, at the figures' decimals."""
    return rond(
        kpi_trend(snap, viewer, as_of, config, months=months, since=since, regio=regio, soort=soort)
    )


# Per start month: the headline is the latest start month that is not lopend.
FIRST_CONTACT_KPIS = ("eerste_contact_tijdig_pct", "gem_dagen_eerste_contact")
# A year back from the last full month, plus the running month.
TREND_MONTHS = 14


def headline_row(trend: pl.DataFrame) -> int:
    """Index of the trend's latest start month that is not lopend (its last row if all are)."""
    done = [i for i, lopend in enumerate(trend["eerste_contact_lopend"]) if lopend is False]
    return done[-1] if done else trend.height - 1


def comparison_from_trend(trend: pl.DataFrame) -> pl.DataFrame:
    """Per KPI of an organisation_trend: now, a month before and a year before.

    Stock KPIs take the peildatum as "now"; the first-contact KPIs the latest start month that
    is not lopend. Columns: kpi, label, eenheid, hoger_beter, maand (YYYY-MM of "now"), nu,
    vorige_maand, vorig_jaar; for first contact also the latest lopende month after it
    (lopend_maand) and its value so far (lopend), shown beside the headline, never as it.
    """
    last, headline = trend.height - 1, headline_row(trend)
    running = [i for i, lopend in enumerate(trend["eerste_contact_lopend"]) if lopend]
    later = running[-1] if running and running[-1] > headline else None

    def at(index: int) -> dict:
        return trend.row(index, named=True) if 0 <= index < trend.height else {}

    rows = []
    for key in KPI_TILES:
        first = key in FIRST_CONTACT_KPIS
        now = headline if first else last
        f = figuur(key)
        rows.append(
            {
                "kpi": key,
                "label": f.naam,
                "eenheid": f.eenheid,
                "hoger_beter": f.hoger_beter,
                "maand": at(now)["maand"],
                "nu": at(now)[key],
                "vorige_maand": at(now - 1).get(key),
                "vorig_jaar": at(now - 12).get(key),
                "lopend_maand": at(later)["maand"] if first and later is not None else None,
                "lopend": at(later)[key] if first and later is not None else None,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "kpi": pl.String,
            "label": pl.String,
            "eenheid": pl.String,
            "hoger_beter": pl.Boolean,
            "maand": pl.String,
            "nu": pl.Float64,
            "vorige_maand": pl.Float64,
            "vorig_jaar": pl.Float64,
            "lopend_maand": pl.String,
            "lopend": pl.Float64,
        },
    )


def kpi_comparison(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    regio: str | None = None,
    soort: str | None = None,
) -> pl.DataFrame:
    """Per KPI: its value on as_of, at the end of the month before and a year before.

    First-contact figures cover the measures started in a month (the last full one while
    as_of's month runs).
    """
    return comparison_from_trend(
        organisation_trend(
            snap, viewer, as_of, config, months=TREND_MONTHS, regio=regio, soort=soort
        )
    )


UNIT_SUFFIX = {"aantal": "", "pct": " (%)", "dagen": " (dagen)", "fte": " (fte)"}


def column_name(key: str) -> str:
    """A figure's name as a report column: its Dutch name and unit, e.g. 'Verzuim (%)'."""
    f = figuur(key)
    return f"{f.naam}{UNIT_SUFFIX[f.eenheid]}"


def _over(key: str, as_of: date, filters: Filters, headline: str | None) -> str:
    """What a summary value is about: a start month, a cohort, a month or a day."""
    if key in FIRST_CONTACT_KPIS:
        return f"gestart in {month_label(headline)}" if headline else "–"
    if key == "plan_tijdig_pct_cohort" and filters.cohort is not None:
        return f"actief op {as_of:%d-%m-%Y}, gestart vanaf {filters.cohort:%d-%m-%Y}"
    if key == "verzuim_pct":
        return month_label(f"{last_complete_month(as_of):%Y-%m}")
    return f"op {as_of:%d-%m-%Y}"


def last_complete_month(as_of: date) -> date:
    """First day of the last complete calendar month on as_of (its own month on its last day)."""
    if (as_of + timedelta(days=1)).day == 1:
        return as_of.replace(day=1)
    return add_months(as_of.replace(day=1), -1)


def summary(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters
) -> pl.DataFrame:
    """Per SUMMARY_KEYS figure: what it is about, its value and the same figure a year before
    (first contact: the same start month a year earlier; the cohort has no year before)."""
    value = partial(waarde, snap=snap, viewer=viewer, config=config)
    headline = kpis(snap, viewer, as_of, config, since=filters.cohort, regio=filters.regio)[
        "eerste_contact_maand"
    ]
    year_ago = add_months(as_of, -12)
    rows = []
    for key in SUMMARY_KEYS:
        if key in FIRST_CONTACT_KPIS:
            month = replace(filters, start_maand=headline)
            before = replace(filters, start_maand=_year_before(headline))
            now_v = value(key, as_of=as_of, filters=month) if headline else None
            then_v = value(key, as_of=as_of, filters=before) if headline else None
        elif key == "plan_tijdig_pct_cohort":
            now_v, then_v = value(key, as_of=as_of, filters=filters), None
        else:
            now_v = value(key, as_of=as_of, filters=filters)
            then_v = value(key, as_of=year_ago, filters=filters)
        f = figuur(key)
        rows.append(
            {
                "Cijfer": f.naam,
                "Over": _over(key, as_of, filters, headline),
                "Waarde": now_v,
                "Een jaar eerder": then_v,
                "Verschil": None if now_v is None or then_v is None else f.rond(now_v - then_v),
                "Eenheid": EENHEID_LABELS[f.eenheid],
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "Cijfer": pl.String,
            "Over": pl.String,
            "Waarde": pl.Float64,
            "Een jaar eerder": pl.Float64,
            "Verschil": pl.Float64,
            "Eenheid": pl.String,
        },
    )


def _year_before(maand: str | None) -> str | None:
    if maand is None:
        return None
    year, month = maand.split("-")
    return f"{int(year) - 1}-{month}"


def region_split(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, cohort: date | None
) -> pl.DataFrame:
    """The summary's figures on the peildatum per region and for the whole organisation; first
    contact for each one's own latest start month that is not lopend."""
    rows = []
    for regio in [None, *regios(snap)]:
        filters = Filters(regio=regio, cohort=cohort)
        headline = kpis(snap, viewer, as_of, config, since=cohort, regio=regio)
        month = replace(filters, start_maand=headline["eerste_contact_maand"])
        rows.append(
            {"Regio": regio or "Hele organisatie"}
            | {
                column_name(k): waarde(
                    k, snap, viewer, as_of, config, month if k in FIRST_CONTACT_KPIS else filters
                )
                for k in SUMMARY_KEYS
            }
        )
    schema = {"Regio": pl.String} | {column_name(k): pl.Float64 for k in SUMMARY_KEYS}
    return pl.DataFrame(rows, schema=schema)


def progress_report(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    since: date,
    cohort: date | None = None,
) -> dict[str, pl.DataFrame]:
    """The progress report's figures as of as_of, the trend since `since`, the plan cohort
    started since `cohort` (default: norms.toml's).

    Keys are SHEETS; monthly rows run from since's month to as_of's month, each month as of
    its last day (as_of for the current month); first contacts per start month as of as_of.
    Kept per day: the page, its print and its workbook show the same report.
    """
    if since > as_of:
        raise ValueError("De trenddatum ligt na de peildatum.")
    cohort = config.cohort_vanaf if cohort is None else cohort
    key = ("progress_report", scope_key(viewer), config_key(config), since, cohort)
    build = partial(_progress_report, snap, viewer, as_of, config, since, cohort)
    return dict(snap.memo(key, build, day=as_of))


def _progress_report(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, since: date, cohort: date | None
) -> dict[str, pl.DataFrame]:
    n = months_since(since, as_of)
    trend = organisation_trend(snap, viewer, as_of, config, months=n, since=cohort).with_columns(
        month_labels(pl.col("maand")).alias("Maand")
    )
    new = start_with_vaste_jzw(snap, viewer, as_of, config, months=n)
    vaste = trend.join(new, on="maand", how="left").select(
        "Maand",
        pl.col("peildatum").alias("Peildatum"),
        pl.col("actieve_maatregelen").alias("Actieve maatregelen"),
        pl.col("vaste_jzw").alias("Vaste jeugdzorgwerker"),
        pl.col("ccp").alias("CCP"),
        pl.col("crt").alias("CRT"),
        pl.col("niet_toegewezen").alias("Niet toegewezen"),
        pl.col("vaste_jzw_pct").alias("Aandeel vaste jeugdzorgwerker (%)"),
        pl.col("nieuw").alias("Nieuwe maatregelen"),
        pl.col("met_vaste_jzw").alias("Nieuw, vanaf start bij vaste jzw"),
        pl.col("aandeel_pct").alias("Aandeel nieuw met vaste jzw (%)"),
    )
    contact = (
        rond(cohort_maanden(snap, viewer, as_of, config))
        .filter(pl.col("start_maand") >= since.strftime("%Y-%m"))
        .select(
            month_labels(pl.col("start_maand")).alias("Startmaand"),
            pl.col("gestart").cast(pl.Int64).alias("Gestarte maatregelen"),
            pl.col("eerste_contact_tijdig_pct").alias("Binnen 5 werkdagen (%)"),
            pl.col("gem_dagen_eerste_contact").alias("Gemiddeld dagen tot contact"),
            pl.col("mediaan_dagen_eerste_contact").alias("Mediaan dagen tot contact"),
            pl.when("eerste_contact_lopend")
            .then(pl.lit("lopend"))
            .otherwise(pl.lit("afgerond"))
            .alias("Startmaand afgerond"),
        )
    )
    risico = trend.select(
        "Maand",
        pl.col("peildatum").alias("Peildatum"),
        pl.col("actieve_maatregelen").alias("Actieve maatregelen"),
        pl.col("risicotaxatie_actueel_pct").alias(column_name("risicotaxatie_actueel_pct")),
    )
    plannen = trend.select(
        "Maand",
        pl.col("peildatum").alias("Peildatum"),
        pl.col("plan_tijdig_pct").alias("Plan tijdig, alle actieve (%)"),
        pl.col("plan_tijdig_pct_cohort").alias(
            f"Plan tijdig, gestart vanaf {cohort:%d-%m-%Y} (%)"
            if cohort
            else "Plan tijdig, cohort (%)"
        ),
        pl.col("hulp_tijdig_pct").alias("Hulp tijdig gestart (%)"),
    )
    flows = flows_per_month(snap, viewer, as_of, config, months=n)
    ccp_crt = trend.join(flows, on="maand", how="left").select(
        "Maand",
        pl.col("peildatum").alias("Peildatum"),
        pl.col("ccp").alias("CCP"),
        pl.col("crt").alias("CRT"),
        (pl.col("ccp") + pl.col("crt")).alias("CCP en CRT samen"),
        pl.col("instroom").alias("Instroom"),
        pl.col("overdracht").alias("Overdracht naar regulier"),
        pl.col("uitstroom").alias("Uitstroom (einde maatregel)"),
    )
    frames = [vaste, contact, risico, plannen, ccp_crt]
    first = summary(snap, viewer, as_of, config, Filters(cohort=cohort))
    regions = region_split(snap, viewer, as_of, config, cohort)
    people = _people_frames(snap, viewer, as_of, config)
    return dict(zip(SHEETS, [first, regions, *frames, *people], strict=True))


def _people_frames(snap, viewer, as_of, config) -> list[pl.DataFrame]:
    """Zicht op de jeugdige per holder kind, hulp per soort and per gemeente, verloop."""
    seen = rond(gezien_per_houder(snap, viewer, as_of, config)).select(
        pl.col("houder_naam").alias("Houder"),
        pl.col("actief").alias("Actieve maatregelen"),
        pl.col("gezien").alias("Gezien in 6 weken"),
        pl.col("gezien_6w_pct").alias(column_name("gezien_6w_pct")),
        pl.col("niet_gezien_6w").alias(column_name("niet_gezien_6w")),
    )
    help_frames = [
        rond(hulp_wachttijd(snap, viewer, as_of, config, per=per)).select(
            pl.col(per).alias(label), *(pl.col(k).alias(column_name(k)) for k in HULP_KEYS)
        )
        for per, label in (("hulp_soort", "Soort hulp"), ("gemeente", "Gemeente"))
    ]
    leavers = rond(verloop(snap, viewer, as_of, config)).select(
        pl.col("functiegroep").alias("Functiegroep"),
        *(pl.col(k).alias(column_name(k)) for k in SECTION_FIGURES["Verloop"]),
    )
    return [seen, *help_frames, leavers]


def projection_sentence(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, regio: str | None = None
) -> str:
    """When the CRT (with regio: that region's) reaches its target size at the recent pace,
    in one Dutch sentence; a region without its own target gets no projection."""
    p = projection(snap, viewer, as_of, config, regio=regio)
    if p.crt_doel is None:
        held = "is" if p.crt_nu == 1 else "zijn"
        return (
            f"Geen prognose voor {regio}: er is geen regiodoel voor het CRT ingesteld (het doel "
            f"van {config.crt_doel} geldt voor de hele organisatie). Van {regio} {held} nu "
            f"{_measures(p.crt_nu)} in het CRT."
        )
    where = "" if regio is None else f" in {regio}"
    doel = "het doel" if regio is None else "het regiodoel"
    pace = f"{p.tempo_per_maand:.1f}".replace(".", ",")
    if p.maanden_nodig == 0:
        return f"Het CRT{where} heeft {doel} van {_measures(p.crt_doel)} bereikt ({p.crt_nu} nu)."
    if p.maand is None:
        return (
            f"Het CRT{where} ({_measures(p.crt_nu)}) haalt {doel} van {p.crt_doel} niet bij dit "
            f"tempo: de voorraad nam de laatste {config.afbouw_tempo_maanden} maanden niet af."
        )
    return (
        f"Bij het tempo van de laatste {config.afbouw_tempo_maanden} maanden ({pace} minder "
        f"per maand) bereikt het CRT{where} ({p.crt_nu} nu) {doel} van "
        f"{_measures(p.crt_doel)} in {month_label(p.maand)}."
    )


def _measures(n: int) -> str:
    return f"{n} maatregel" if n == 1 else f"{n} maatregelen"


def scope_sentence(viewer: Viewer) -> str:
    """Whose measures and staff the report counts, as its cover and every printed page say."""
    if viewer.sees_everything:
        return "De hele organisatie"
    return "Alleen de maatregelen en medewerkers die deze gebruiker mag zien"


def about_frame(
    as_of: date,
    since: date,
    cohort: date | None,
    export_date: date,
    viewer: Viewer,
    projection_text: str,
) -> pl.DataFrame:
    """What the report covers: peildatum, periods, source and scope, as a two-column sheet."""
    rows = [
        ("Peildatum", f"{as_of:%d-%m-%Y}"),
        ("Trend vanaf", f"{since:%d-%m-%Y}"),
        ("Cohort gestart vanaf", f"{cohort:%d-%m-%Y}" if cohort else "niet ingesteld"),
        ("Gegevens uit de export van", f"{export_date:%d-%m-%Y}"),
        ("Reikwijdte", scope_sentence(viewer)),
        ("Prognose CRT", projection_text),
        (
            "Tijdpunt",
            "Elk cijfer telt alleen wat op of voor zijn peildatum is geregistreerd. Een "
            "startmaand is lopend zolang een termijn van een maatregel uit die maand nog open "
            "staat; een lopende maand is nooit het hoofdcijfer.",
        ),
    ]
    return pl.DataFrame(rows, schema={"Begrip": pl.String, "Toelichting": pl.String}, orient="row")


def report_keys() -> list[str]:
    """Every registered figure the report shows, each once, in report order."""
    return list(dict.fromkeys(k for keys in SECTION_FIGURES.values() for k in keys))


def report_xlsx(
    snap: Snapshot,
    viewer: Viewer,
    as_of: date,
    config: Config,
    since: date,
    cohort: date | None = None,
    report: dict[str, pl.DataFrame] | None = None,
    toelichting: dict[str, str] | None = None,
) -> bytes:
    """The progress report as an Excel workbook: a sheet per figure, what the report covers and
    the definitions of its figures from the registry; report: its frames when the caller has
    them already; toelichting: MT's text per section, as its own sheet."""
    cohort = config.cohort_vanaf if cohort is None else cohort
    if report is None:
        report = progress_report(snap, viewer, as_of, config, since, cohort)
    text = projection_sentence(snap, viewer, as_of, config)
    about = about_frame(as_of, since, cohort, snap.export_date, viewer, text)
    sheets = {**report, "Over dit rapport": about, "Definities": definities(report_keys())}
    if toelichting:
        sheets["Toelichting"] = pl.DataFrame(
            list(toelichting.items()),
            schema={"Sectie": pl.String, "Toelichting": pl.String},
            orient="row",
        )
    figures = {c: k for df in report.values() for c in df.columns if (k := figure_of(c))}
    return xlsx_bytes(
        sheets,
        heading=Heading("Voortgangsrapportage", scope_sentence(viewer), as_of),
        figures=figures,
        row_figures={"Samenvatting": SUMMARY_KEYS},
    )
