"""Query frames as table rows with Dutch labels, shared by the pages that list them."""

from datetime import date

import polars as pl

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.theme import THEME
from dashboard.urlstate import MAATREGEL_PATH, link_column
from queries.figuren import rond

# A status in words with its icon, for cells that show it as text.
STATUS_LABELS = {key: f"{spec['icon']} {spec['label']}" for key, spec in THEME["status"].items()}


def measure_link(day: date) -> pl.Expr:
    """maatregel_href: the address of the Maatregel page for the row's measure on day."""
    href = link_column(MAATREGEL_PATH, "maatregel", "maatregel_id", peildatum=day.isoformat())
    return href.alias("maatregel_href")


def measure_column(**extra) -> dict:
    """The maatregel_id as a link to its Maatregel page; exports keep the plain id."""
    return w.column("maatregel_id", "Maatregel", w.LINK, href_field="maatregel_href", **extra)


def urgency(binnenkort: int) -> pl.Expr:
    """widgets.urgency per row: verlopen, binnenkort or the status itself."""
    status, left = pl.col("status"), pl.col("werkdagen_tot")
    return (
        pl.when(status == "verlopen")
        .then(pl.lit("verlopen"))
        .when((status == "open") & (left <= binnenkort))
        .then(pl.lit("binnenkort"))
        .otherwise(status.cast(pl.String))
    )


def deadline_rows(df: pl.DataFrame, day: date) -> pl.DataFrame:
    """Worklist rows with the Dutch labels the table and the export show."""
    return df.with_columns(
        measure_link(day),
        urgency(data.config().binnenkort_werkdagen).alias("status_key"),
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

# When the jeugdige was last seen face-to-face, and seen alone (queries.zicht).
SEEN_COLUMNS = [
    w.column("laatst_gezien", "Laatst gezien", w.DATE),
    w.figuur_column("dagen_sinds_gezien", "Dagen sinds gezien"),
    w.column("laatst_alleen_gezien", "Laatst alleen gezien", w.DATE),
    w.figuur_column("dagen_sinds_alleen_gezien", "Dagen sinds alleen gezien"),
]

NIET_GEZIEN_COLUMNS = [measure_column(), w.column("soort_label", "Soort"), *SEEN_COLUMNS]
VERLENGING_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("start", "Start", w.DATE),
    w.column("einde_gepland", "Einde gepland", w.DATE),
    w.column("dagen_tot_einde", "Dagen tot einde", w.NUMBER),
]

MEASURE_COLUMNS = [
    measure_column(),
    w.column("soort_label", "Soort"),
    w.column("start", "Start", w.DATE),
    w.column("einde_gepland", "Einde gepland", w.DATE),
    *SEEN_COLUMNS,
    w.column("laatste_plan", "Laatste plan", w.DATE),
    w.column("laatste_risicotaxatie", "Laatste risicotaxatie", w.DATE),
]


def soort_label() -> pl.Expr:
    return (
        pl.col("soort").replace_strict(w.SOORT_LABELS, default=pl.col("soort")).alias("soort_label")
    )


def measure_rows(df: pl.DataFrame, day: date) -> pl.DataFrame:
    """A worker's measures (caseload.maatregelen_van or zicht.zicht) with link and labels."""
    return rond(df).with_columns(measure_link(day), soort_label()).sort("start", "maatregel_id")


def signal_rows(df: pl.DataFrame, day: date) -> pl.DataFrame:
    """Verlenging voorbereiden (queries.verlenging) with link and labels, soonest end first."""
    return df.with_columns(measure_link(day), soort_label()).sort("einde_gepland", "maatregel_id")
