"""Query frames as table rows with Dutch labels, shared by the pages that list them."""

import polars as pl

from dashboard.components import widgets as w
from dashboard.components.theme import THEME


def deadline_rows(df: pl.DataFrame) -> pl.DataFrame:
    """Worklist rows with the Dutch labels the table and the export show."""
    return df.with_columns(
        pl.struct("status", "werkdagen_tot")
        .map_elements(lambda r: w.urgency(r["status"], r["werkdagen_tot"]), return_dtype=pl.String)
        .alias("status_key"),
        pl.struct("status", "werkdagen_tot", "dagen_verlopen")
        .map_elements(
            lambda r: w.countdown(r["status"], r["werkdagen_tot"], r["dagen_verlopen"]),
            return_dtype=pl.String,
        )
        .alias("aftellen"),
        pl.col("norm").cast(pl.String).replace_strict(w.NORM_LABELS).alias("termijn"),
        pl.col("soort")
        .replace_strict(w.SOORT_LABELS, default=pl.col("soort"))
        .alias("soort_label"),
    ).with_columns(
        pl.col("status_key")
        .map_elements(
            lambda k: f"{THEME['status'][k]['icon']} {THEME['status'][k]['label']}",
            return_dtype=pl.String,
        )
        .alias("status_label")
    )


DEADLINE_COLUMNS = [
    w.column("status_label", "Status", w.STATUS, maxWidth=150),
    w.column("aftellen", "Aftellen", maxWidth=170),
    w.column("termijn", "Termijn"),
    w.column("deadline", "Uiterlijk", w.DATE, maxWidth=140),
    w.column("maatregel_id", "Maatregel", maxWidth=150),
    w.column("soort_label", "Soort", maxWidth=170),
]

MEASURE_COLUMNS = [
    w.column("maatregel_id", "Maatregel"),
    w.column("soort_label", "Soort"),
    w.column("start", "Start", w.DATE),
    w.column("einde_gepland", "Einde gepland", w.DATE),
    w.column("laatste_f2f_contact", "Laatste face-to-face", w.DATE),
    w.column("dagen_sinds_f2f", "Dagen sinds face-to-face", w.NUMBER),
    w.column("alleen_gezien", "Jeugdige alleen gezien (laatste)"),
    w.column("laatste_plan", "Laatste plan", w.DATE),
    w.column("laatste_risicotaxatie", "Laatste risicotaxatie", w.DATE),
]


def measure_rows(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
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
