"""The MT's organisation figures and the inspection's two-monthly progress report.

progress_report gives one frame per figure under Dutch column names, so the print view and
the Excel workbook show the same table; DEFINITIONS holds the wording from the norms.
"""

from datetime import date, timedelta

import polars as pl

from queries.afbouw import flows_per_month, start_with_vaste_jzw
from queries.afbouw_projectie import projection
from queries.config import Config
from queries.export import xlsx_bytes
from queries.kpis import kpi_trend, kpis
from queries.scope import Viewer
from queries.snapshot import Snapshot
from queries.tijdigheid import timeliness

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

# The organisation KPIs the MT follows, in tile order: key -> (label, unit, higher is better).
KPI_LABELS = {
    "eerste_contact_tijdig_pct": ("Eerste contact binnen 5 werkdagen", "%", True),
    "gem_dagen_eerste_contact": ("Gemiddeld dagen tot eerste contact", "dagen", False),
    "plan_tijdig_pct": ("Plan van aanpak binnen 6 weken", "%", True),
    "hulp_tijdig_pct": ("Hulp gestart binnen 3 maanden", "%", True),
    "risicotaxatie_actueel_pct": ("Actuele risicotaxatie", "%", True),
    "vaste_jzw_pct": ("Met vaste jeugdzorgwerker", "%", True),
}

SHEETS = (
    "Samenvatting",
    "Vaste jeugdzorgwerker",
    "Eerste contact",
    "Risicotaxaties",
    "Plannen van aanpak",
    "CCP en CRT",
)

DEFINITIONS = {
    "Vaste jeugdzorgwerker": (
        "Actieve maatregelen op de laatste dag van de maand (de peildatum voor de lopende "
        "maand) naar wie ze toen had: een jeugdzorgwerker in een regulier team (vaste "
        "jeugdzorgwerker), het CCP, het CRT, of niemand (niet toegewezen). Een maatregel is "
        "actief als start <= dag < einde. Nieuwe maatregelen met vaste jeugdzorgwerker: "
        "gestart in de maand en op de startdag al bij een vaste jeugdzorgwerker."
    ),
    "Eerste contact": (
        "Per startmaand het aandeel maatregelen met het eerste face-to-face contact met de "
        "jeugdige of een ouder binnen 5 werkdagen na de start (de startdag telt niet mee; "
        "werkdagen volgens de Algemene termijnenwet). Tijdig / (tijdig + te laat + verlopen): "
        "nog open en vervallen termijnen tellen niet mee. Dagen: kalenderdagen van start tot "
        "het eerste face-to-face contact. Toetsingskader norm 1a.3."
    ),
    "Risicotaxaties": (
        "Aandeel actieve maatregelen met een actuele risicotaxatie: de laatste taxatie met het "
        "juiste instrument (ARIJ bij jeugdbescherming, LIJ bij jeugdreclassering) is niet "
        "ouder dan 3 maanden. Toetsingskader 1a.2 / 3.5."
    ),
    "Plannen van aanpak": (
        "Aandeel actieve maatregelen waarvan het eerste plan van aanpak binnen 6 weken na de "
        "uitspraak is vastgesteld (toetsingskader norm 1b.3), voor alle actieve maatregelen "
        "en voor het cohort dat vanaf de trenddatum is gestart. Hulp: eerste hulp gestart "
        "binnen 3 maanden na de uitspraak (norm 2.2). Tijdig / (tijdig + te laat + verlopen)."
    ),
    "CCP en CRT": (
        "Voorraad CCP en CRT: actieve maatregelen op de laatste dag van de maand bij een "
        "CCP- of CRT-team. Instroom: toewijzing aan CCP/CRT die niet aansluit op een eerdere "
        "CCP/CRT-toewijzing. Overdracht: van CCP/CRT naar een regulier team op dezelfde dag. "
        "Uitstroom: maatregel beëindigd terwijl CCP/CRT hem had. Prognose: de maand waarin "
        "het CRT het doel bereikt bij de gemiddelde afname van de laatste maanden."
    ),
}


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


def _vaste_jzw_pct() -> pl.Expr:
    return (
        pl.when(pl.col("actieve_maatregelen") > 0)
        .then((100 * pl.col("vaste_jzw") / pl.col("actieve_maatregelen")).round(1))
        .alias("vaste_jzw_pct")
    )


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
    """kpi_trend plus vaste_jzw_pct: the share of active measures held by a vaste jzw."""
    return kpi_trend(
        snap, viewer, as_of, config, months=months, since=since, regio=regio, soort=soort
    ).with_columns(_vaste_jzw_pct())


# Per start month, so an unfinished month says little: they are compared on full months.
FIRST_CONTACT_KPIS = ("eerste_contact_tijdig_pct", "gem_dagen_eerste_contact")
# A year back from the last full month, plus the running month.
TREND_MONTHS = 14


def month_running(trend: pl.DataFrame) -> bool:
    """Whether the trend's last row is a month still running (its peildatum not a month end)."""
    return (trend["peildatum"][-1] + timedelta(days=1)).day != 1


def comparison_from_trend(trend: pl.DataFrame) -> pl.DataFrame:
    """Per KPI of an organisation_trend: now, at the end of the month before and a year before.

    While the peildatum's month runs, the first-contact KPIs take the last full start month
    as "now". Columns: kpi, label, eenheid, hoger_beter, maand (YYYY-MM of "now"), nu,
    vorige_maand, vorig_jaar.
    """
    running = month_running(trend)

    def at(back: int) -> dict:
        return trend.row(-1 - back, named=True) if trend.height > back else {}

    rows = []
    for key, (label, unit, better) in KPI_LABELS.items():
        shift = 1 if running and key in FIRST_CONTACT_KPIS and trend.height > 1 else 0
        now = at(shift)
        rows.append(
            {
                "kpi": key,
                "label": label,
                "eenheid": unit,
                "hoger_beter": better,
                "maand": now["maand"],
                "nu": now[key],
                "vorige_maand": at(shift + 1).get(key),
                "vorig_jaar": at(shift + 12).get(key),
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


def _summary(snap, viewer, as_of, config, since, now_trend: dict) -> pl.DataFrame:
    # The share as the trend computes it (same expression, same rounding), for both columns.
    then = (
        pl.DataFrame([kpis(snap, viewer, since, config, since=since)])
        .with_columns(_vaste_jzw_pct())
        .row(0, named=True)
    )
    now = dict(now_trend)
    rows = [
        ("Actieve maatregelen", "actieve_maatregelen"),
        ("Met vaste jeugdzorgwerker", "vaste_jzw"),
        ("Aandeel met vaste jeugdzorgwerker (%)", "vaste_jzw_pct"),
        ("In CCP", "ccp"),
        ("In CRT", "crt"),
        ("Niet toegewezen", "niet_toegewezen"),
        ("Plan van aanpak binnen 6 weken, actieve (%)", "plan_tijdig_pct"),
        ("Hulp gestart binnen 3 maanden (%)", "hulp_tijdig_pct"),
        ("Actuele risicotaxatie (%)", "risicotaxatie_actueel_pct"),
    ]
    begin, end = f"Op {since:%d-%m-%Y}", f"Op {as_of:%d-%m-%Y}"
    return pl.DataFrame(
        [
            {
                "Cijfer": label,
                begin: then[key],
                end: now[key],
                "Verschil": None
                if now[key] is None or then[key] is None
                else round(now[key] - then[key], 1),
            }
            for label, key in rows
        ],
        schema={"Cijfer": pl.String, begin: pl.Float64, end: pl.Float64, "Verschil": pl.Float64},
    )


def progress_report(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, since: date
) -> dict[str, pl.DataFrame]:
    """The progress report's figures as of as_of with the trend since `since`.

    Keys are SHEETS; monthly rows run from since's month to as_of's month, each month as of
    its last day (as_of for the current month); first contacts per start month as of as_of.
    """
    if since > as_of:
        raise ValueError("De trenddatum ligt na de peildatum.")
    n = months_since(since, as_of)
    trend = organisation_trend(snap, viewer, as_of, config, months=n, since=since).with_columns(
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
    first = since.strftime("%Y-%m")
    contact = (
        timeliness(snap, viewer, as_of, config, by="start_maand", since=since)
        .filter(pl.col("start_maand") >= first)
        .select(
            month_labels(pl.col("start_maand")).alias("Startmaand"),
            pl.col("maatregelen").cast(pl.Int64).alias("Gestarte maatregelen"),
            pl.col("eerste_contact_tijdig_pct").alias("Binnen 5 werkdagen (%)"),
            pl.col("gem_dagen_eerste_contact").alias("Gemiddeld dagen tot contact"),
            pl.col("mediaan_dagen_eerste_contact").alias("Mediaan dagen tot contact"),
        )
    )
    risico = trend.select(
        "Maand",
        pl.col("peildatum").alias("Peildatum"),
        pl.col("actieve_maatregelen").alias("Actieve maatregelen"),
        pl.col("risicotaxatie_actueel_pct").alias("Actuele risicotaxatie (%)"),
    )
    plannen = trend.select(
        "Maand",
        pl.col("peildatum").alias("Peildatum"),
        pl.col("plan_tijdig_pct").alias("Plan tijdig, alle actieve (%)"),
        pl.col("plan_tijdig_pct_cohort").alias(f"Plan tijdig, gestart vanaf {since:%d-%m-%Y} (%)"),
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
    summary = _summary(snap, viewer, as_of, config, since, trend.row(-1, named=True))
    return dict(zip(SHEETS, [summary, *frames], strict=True))


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


def definitions_frame(
    as_of: date, since: date, export_date: date, viewer: Viewer, projection_text: str
) -> pl.DataFrame:
    """The report's context and the definition of every figure, as a two-column sheet."""
    rows = [
        ("Peildatum", f"{as_of:%d-%m-%Y}"),
        ("Trend vanaf", f"{since:%d-%m-%Y}"),
        ("Gegevens uit de export van", f"{export_date:%d-%m-%Y}"),
        (
            "Reikwijdte",
            "De hele organisatie"
            if viewer.sees_everything
            else "Alleen de maatregelen en medewerkers die deze gebruiker mag zien",
        ),
        ("Prognose CRT", projection_text),
        (
            "Tijdpunt",
            "Elk cijfer telt alleen wat op of voor zijn peildatum is geregistreerd.",
        ),
        *DEFINITIONS.items(),
    ]
    return pl.DataFrame(rows, schema={"Begrip": pl.String, "Definitie": pl.String}, orient="row")


def report_xlsx(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, since: date) -> bytes:
    """The progress report as an Excel workbook: a sheet per figure plus Definities."""
    report = progress_report(snap, viewer, as_of, config, since)
    text = projection_sentence(snap, viewer, as_of, config)
    return xlsx_bytes(
        {**report, "Definities": definitions_frame(as_of, since, snap.export_date, viewer, text)}
    )
