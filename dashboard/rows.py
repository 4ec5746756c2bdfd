"""Query frames as table rows with Dutch labels, shared by the pages that list them."""

from datetime import date

import polars as pl

from dashboard.components import widgets as w
from dashboard.components.theme import THEME
from dashboard.urlstate import link

MAATREGEL_PATH = "/maatregel"
# A status in words with its icon, for cells that show it as text.
STATUS_LABELS = {key: f"{spec['icon']} {spec['label']}" for key, spec in THEME["status"].items()}


def measure_link(day: date) -> pl.Expr:
    """maatregel_href: the address of the Maatregel page for the row's measure on day."""
    peildatum = day.isoformat()
    return (
        pl.col("maatregel_id")
        .map_elements(lambda m: link(MAATREGEL_PATH, maatregel=m, peildatum=peildatum), pl.String)
        .alias("maatregel_href")
    )


def measure_column(**extra) -> dict:
    """The maatregel_id as a link to its Maatregel page; exports keep the plain id."""
    return w.column("maatregel_id", "Maatregel", w.LINK, href_field="maatregel_href", **extra)


def urgency() -> pl.Expr:
    """widgets.urgency per row: verlopen, binnenkort or the status itself."""
    status, left = pl.col("status"), pl.col("werkdagen_tot")
    return (
        pl.when(status == "verlopen")
        .then(pl.lit("verlopen"))
        .when((status == "open") & (left <= w.BINNENKORT_WERKDAGEN))
        .then(pl.lit("binnenkort"))
        .otherwise(status.cast(pl.String))
    )


def deadline_rows(df: pl.DataFrame, day: date) -> pl.DataFrame:
    """Worklist rows with the Dutch labels the table and the export show."""
    return df.with_columns(
        measure_link(day),
        urgency().alias("status_key"),
        pl.col("norm").cast(pl.String).replace_strict(w.NORM_LABELS).alias("termijn"),
        pl.col("soort")
        .replace_strict(w.SOORT_LABELS, default=pl.col("soort"))
        .alias("soort_label"),
    ).with_columns(pl.col("status_key").replace_strict(STATUS_LABELS).alias("status_label"))


DEADLINE_COLUMNS = [
    w.column("status_label", "Status", w.STATUS, maxWidth=150),
    # One unit per column: open deadlines count werkdagen (Atw), verlopen ones calendar days.
    w.column(
        "werkdagen_tot",
        "Werkdagen tot de termijn",
        w.NUMBER,
        maxWidth=150,
        headerTooltip="Werkdagen van de peildatum tot de uiterste datum (0: vandaag)",
    ),
    w.column(
        "dagen_verlopen",
        "Dagen verlopen",
        w.NUMBER,
        maxWidth=150,
        headerTooltip="Kalenderdagen sinds de uiterste datum",
    ),
    w.column("termijn", "Termijn"),
    w.column("deadline", "Uiterlijk", w.DATE, maxWidth=140),
    measure_column(minWidth=130, maxWidth=150),
    w.column("soort_label", "Soort", maxWidth=170),
]

MEASURE_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("start", "Start", w.DATE),
    w.column("einde_gepland", "Einde gepland", w.DATE),
    w.column("laatste_f2f_contact", "Laatste face-to-face", w.DATE),
    w.column("dagen_sinds_f2f", "Dagen sinds face-to-face", w.NUMBER),
    w.column("alleen_gezien", "Jeugdige alleen gezien (laatste)"),
    w.column("laatste_plan", "Laatste plan", w.DATE),
    w.column("laatste_risicotaxatie", "Laatste risicotaxatie", w.DATE),
]


def measure_rows(df: pl.DataFrame, day: date) -> pl.DataFrame:
    return df.with_columns(
        measure_link(day),
        pl.col("soort")
        .replace_strict(w.SOORT_LABELS, default=pl.col("soort"))
        .alias("soort_label"),
        pl.when(pl.col("jeugdige_alleen_gezien_laatst"))
        .then(pl.lit("Ja"))
        .when(pl.col("jeugdige_alleen_gezien_laatst").not_())
        .then(pl.lit("Nee"))
        .otherwise(pl.lit("Onbekend"))
        .alias("alleen_gezien"),
    ).sort("start", "maatregel_id")
