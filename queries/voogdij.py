"""Voogdij op norm: voogdij measures whose current contact deadline has not passed."""

from datetime import date

import polars as pl

from queries.config import Config
from queries.figuur import Figuur, Filters
from queries.houder import ALLE, narrow
from queries.scope import Viewer
from queries.snapshot import VOOGDIJ_SOORTEN, Snapshot
from queries.termijnen import termijnen_van


def voogdij_contact(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """The current voogdij_contact deadline (termijnen) of each visible voogdij and voorlopige
    voogdij measure active on as_of, within filters, with op_norm: not verlopen."""
    rows = termijnen_van(snap, viewer, as_of, config, "voogdij_contact", VOOGDIJ_SOORTEN)
    rows = rows.filter(pl.col("actief"))
    return narrow(rows, filters).with_columns(op_norm=pl.col("status") != "verlopen")


def voogdij_op_norm_pct(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> float | None:
    """Share of the active voogdij measures whose current contact deadline is not verlopen."""
    rows = voogdij_contact(snap, viewer, as_of, config, filters)
    return 100 * int(rows["op_norm"].sum()) / rows.height if rows.height else None


FIGUREN = (
    Figuur("contacten_jaar", "Contacten voogdij in 12 maanden", "periode", "aantal", 0,
           "Per actieve maatregel voogdij of voorlopige voogdij de contacten met de jeugdige "
           "(de ingestelde soorten contact) vanaf de start, in de 12 maanden tot en met de "
           "peildatum."),
    Figuur("contacten_verwacht", "Contacten voogdij verwacht", "periode", "aantal", 0,
           "Per maatregel voogdij of voorlopige voogdij het aantal contacten dat de norm over "
           "de 12 maanden tot en met de peildatum vraagt: 4 per jaar, minder zolang de "
           "maatregel korter loopt (een per 3 maanden van 30 dagen sinds de start)."),
    Figuur("voogdij_op_norm_pct", "Voogdij op norm", "voorraad", "pct", 1,
           "Aandeel actieve maatregelen voogdij en voorlopige voogdij waarvan de lopende "
           "termijn voor contact met de jeugdige (uiterlijk 3 maanden na het vorige contact "
           "met de jeugdige, het eerste 3 maanden na de start) niet verlopen is.",
           voogdij_op_norm_pct, hoger_beter=True),
)  # fmt: skip
