"""Audit: who looked at which worker's caseload, which page, which export, and what was refused.

Only the functioneel beheerder opens it; the query layer gives anyone else an empty log.
"""

from datetime import timedelta

import dash
import polars as pl
from dash import html

from dashboard import data
from dashboard.components import widgets as w
from dashboard.components.appshell import page_body
from dashboard.components.exports import register_export
from dashboard.components.pagestate import shown_state, sync_with_url
from dashboard.viewer import current_viewer
from queries.audit import ACTIES, audit_log, event_counts
from queries.figuren import figuur
from queries.gebruikers import utcnow
from queries.scope import Viewer

PAGE = "audit"
PATH = "/audit"
ROLES = ("beheerder",)
PERIODS = {"1": "Vandaag en gisteren", "7": "Laatste 7 dagen", "30": "Laatste 30 dagen",
           "365": "Laatste jaar"}  # fmt: skip
DEFAULT_DAYS = "7"
ACTIE_LABELS = {
    "login": "Ingelogd",
    "login_mislukt": "Inloggen mislukt",
    "logout": "Uitgelogd",
    "pagina": "Pagina geopend",
    "medewerker_bekeken": "Caseload van medewerker bekeken",
    "maatregel_bekeken": "Maatregel bekeken",
    "export": "Tabel geëxporteerd",
    "geweigerd": "Geweigerd",
    "besluit": "Besluit over een overdracht",
    "agenda": "Agenda-abonnement",
    "mail": "Deadline-mail verstuurd of mislukt",
    "mail_instelling": "Mailinstelling gewijzigd",
    "gesprek": "Caseloadgesprek vastgelegd",
    "afspraak_afgerond": "Afspraak afgerond",
    "vastgesteld": "Voortgangsrapportage vastgesteld",
}
STATUS_OF = {"geweigerd": "verlopen", "login_mislukt": "binnenkort"}

dash.register_page(__name__, path=PATH, name="Audit", title="Audit", order=8, roles=ROLES)

COLUMNS = [
    w.column("tijdstip", "Tijdstip", w.DATE, minWidth=160),
    w.column("gebruikersnaam", "Gebruiker"),
    w.column("rol", "Rol", labels=w.capitalised(w.ROLE_LABELS)),
    w.column("medewerker_id", "Medewerker", maxWidth=140),
    w.column("actie_label", "Actie", w.STATUS, minWidth=220),
    w.column("onderwerp", "Onderwerp", minWidth=200),
    w.column("details", "Details", minWidth=240),
    w.figuur_column("audit_verzoeken", "Aantal", maxWidth=110),
]


def _days(params: dict) -> str:
    return params.get("dagen") if params.get("dagen") in PERIODS else DEFAULT_DAYS


def log_table(viewer: Viewer, params: dict) -> tuple[pl.DataFrame, list[dict]]:
    since = utcnow() - timedelta(days=int(_days(params)))
    df = audit_log(data.engine(), viewer, since=since)
    if params.get("actie") in ACTIES:
        df = df.filter(pl.col("actie") == params["actie"])
    actie = pl.col("actie")
    return (
        df.with_columns(
            # Stored in UTC; people read the time of day in the Netherlands.
            pl.col("tijdstip").dt.replace_time_zone("UTC")
            .dt.convert_time_zone("Europe/Amsterdam").dt.replace_time_zone(None),
            actie.replace_strict(ACTIE_LABELS, default=actie).alias("actie_label"),
            actie.replace_strict(STATUS_OF, default="open").alias("status_key"),
            pl.col("aantal").alias("audit_verzoeken"),
        ),
        COLUMNS,
    )  # fmt: skip


register_export("audit_log", log_table, ROLES, "Auditlog")


@w.guarded
def body(viewer: Viewer, params: dict):
    df, columns = log_table(viewer, params)
    counts = event_counts(df)
    refused, failed = counts["audit_geweigerd"], counts["audit_login_mislukt"]

    def tile(key: str, tile_id: str, **extra) -> html.Div:
        shown = w.fmt_figuur(key, counts[key])
        return w.kpi_tile(figuur(key).naam, shown, tile_id=tile_id, figuur=key, **extra)

    return html.Div(
        [
            w.tiles(
                tile("audit_gebeurtenissen", "tegel-gebeurtenissen"),
                tile(
                    "audit_geweigerd",
                    "tegel-geweigerd",
                    status="verlopen" if refused else "tijdig",
                    badge="Zie het log" if refused else "Geen",
                ),
                tile(
                    "audit_login_mislukt",
                    "tegel-login-mislukt",
                    status="binnenkort" if failed else "tijdig",
                    badge="Zie het log" if failed else "Geen",
                ),
            ),
            w.table_section(
                "Auditlog",
                "audit_log",
                w.data_grid(f"{PAGE}-log", df, columns, "Geen gebeurtenissen in deze periode"),
                intro="Wie welke pagina, welke caseload en welke export bekeek, wanneer; ook "
                "inlogpogingen en geweigerde verzoeken. Het log kan alleen worden aangevuld.",
            ),
        ]
    )


def slicers(params: dict):
    periods = [{"label": label, "value": key} for key, label in PERIODS.items()]
    acties = [{"label": ACTIE_LABELS[a], "value": a} for a in ACTIES]
    return w.slicer_bar(
        w.dropdown_slicer(f"{PAGE}-dagen", "Periode", periods, _days(params)),
        w.dropdown_slicer(
            f"{PAGE}-actie", "Actie", acties, params.get("actie"), True, "Alle acties"
        ),
    )


def resolved(_viewer: Viewer, params: dict) -> dict:
    actie = params.get("actie") if params.get("actie") in ACTIES else None
    return {"dagen": _days(params), "actie": actie}


def layout(dagen=None, actie=None, **_other):
    viewer = current_viewer()
    params = resolved(viewer, {"dagen": dagen, "actie": actie})
    return page_body(
        viewer,
        ROLES,
        "Audit",
        shown_state(PAGE, params),
        slicers(params),
        html.Div(body(viewer, params), id=f"{PAGE}-body"),
    )


STATE = sync_with_url(
    PAGE, PATH, ROLES, {"dagen": f"{PAGE}-dagen", "actie": f"{PAGE}-actie"}, body, resolved
)
