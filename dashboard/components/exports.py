"""Downloads: each page registers how to build a table (CSV, Excel) or a document (PDF, the
print path); one callback serves them all, each only to the roles of the page it belongs to."""

import json
import logging
from collections.abc import Callable

import polars as pl
from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard import audit_trail, data
from dashboard.components.formats import ROLE_LABELS
from dashboard.components.guard import app_callback
from dashboard.components.widgets import export_decimals, export_frame, failure_message
from dashboard.urlstate import parse_search
from dashboard.viewer import current_viewer
from queries.export import Heading, csv_bytes, xlsx_bytes
from queries.figuren import REGISTER
from queries.scope import ROLES, Viewer

log = logging.getLogger(__name__)

# table name -> build(viewer, params) -> (frame, grid columns). The page's grid uses the same.
Builder = Callable[[Viewer, dict], tuple[pl.DataFrame, list[dict]]]
EXPORTS: dict[str, Builder] = {}
# document name -> build(viewer, params) -> (PDF bytes, rows it holds), from the same queries.
DocumentBuilder = Callable[[Viewer, dict], tuple[bytes, int]]
DOCUMENTS: dict[str, DocumentBuilder] = {}
# table name -> the roles of its page: a download is never open to more roles than the page.
EXPORT_ROLES: dict[str, tuple[str, ...]] = {}
# table name -> the title its printed workbook carries on every page: the section's title.
EXPORT_TITLES: dict[str, str] = {}
# The filters of a page's URL a printed workbook names beside the viewer's scope.
SCOPE_FILTERS = ("regio", "soort", "team", "medewerker", "maatregel")


def register_export(
    table: str, build: Builder, roles: tuple[str, ...], title: str | None = None
) -> None:
    EXPORTS[table] = build
    EXPORT_ROLES[table] = tuple(roles)
    EXPORT_TITLES[table] = title or table.replace("_", " ").capitalize()


def scope_text(viewer: Viewer, params: dict) -> str:
    """Whose rows a file holds, as its printed pages say: the viewer's scope and the filters."""
    role = ROLE_LABELS.get(viewer.role, viewer.role)
    who = " ".join(f"Reikwijdte van {role} {viewer.medewerker_id or ''}".split())
    if viewer.sees_everything:
        who = "Hele organisatie"
    chosen = [f"{key} {params[key]}" for key in SCOPE_FILTERS if params.get(key)]
    return ", ".join([who, *chosen])


def register_document(name: str, build: DocumentBuilder, roles: tuple[str, ...]) -> None:
    DOCUMENTS[name] = build
    EXPORT_ROLES[name] = tuple(roles)


def _table(prop_id) -> str | None:
    """The table of an export button's 'id.n_clicks' as Dash reads it; None for anything else."""
    if not isinstance(prop_id, str):
        return None
    try:
        component = json.loads(prop_id.rpartition(".")[0])
    except ValueError:
        return None
    table = component.get("table") if isinstance(component, dict) else None
    return table if isinstance(table, str) else None


def download_access(body: dict) -> tuple[tuple[str, ...], str]:
    """The roles that may have the download a request asks for: those of the page of every
    table it names as clicked (Dash serves the first). A request not shaped like the
    browser's names no table anyone may have."""
    changed = body.get("changedPropIds")
    tables = [_table(p) for p in changed] if isinstance(changed, list) else [None]
    roles = tuple(r for r in ROLES if all(r in EXPORT_ROLES.get(t, ()) for t in tables))
    return roles, "export " + ", ".join(str(t) for t in tables)


def export_file(table: str, fmt: str, viewer: Viewer, params: dict) -> dict:
    """The download for dcc.Download: every row of the viewer's scoped query."""
    stem = f"{table}_{data.as_of(params).isoformat()}"
    if fmt == "pdf":
        content, rows = DOCUMENTS[table](viewer, params)
        audit_trail.record("export", table, f"{rows} rijen, pdf")
        return dcc.send_bytes(content, f"{stem}.pdf")
    df, columns = EXPORTS[table](viewer, params)
    out = export_frame(df, columns)
    audit_trail.record("export", table, f"{out.height} rijen, {fmt}")
    if fmt == "xlsx":
        heading = Heading(EXPORT_TITLES[table], scope_text(viewer, params), data.as_of(params))
        # A grid's number column is keyed by its figure, the file's by the Dutch header.
        figures = {c["headerName"]: c["field"] for c in columns if c["field"] in REGISTER}
        book = xlsx_bytes(
            out, table[:31], heading, figures=figures, decimals=export_decimals(columns)
        )
        return dcc.send_bytes(book, f"{stem}.xlsx")
    return dcc.send_bytes(csv_bytes(out, export_decimals(columns)), f"{stem}.csv")


def download(_clicks, searches):
    """Serve the clicked export button's file; the viewer comes from the session only."""
    trigger = ctx.triggered_id
    known = EXPORTS if trigger and trigger.get("fmt") != "pdf" else DOCUMENTS
    if not trigger or not ctx.triggered[0]["value"] or trigger["table"] not in known:
        return no_update, no_update
    try:
        params = parse_search(searches[0] if searches else "")
        file = export_file(trigger["table"], trigger["fmt"], current_viewer(), params)
    except Exception as exc:  # a failed download must not break the page
        log.exception("Export %s mislukt", trigger["table"])
        return no_update, failure_message(exc)
    return file, None


def register_callbacks(app: Dash) -> None:
    app_callback(
        app,
        download_access,
        Output("download", "data"),
        Output("export-melding", "children"),
        Input({"type": "export", "table": ALL, "fmt": ALL}, "n_clicks"),
        State({"type": "pagina-url", "page": ALL}, "search"),
        prevent_initial_call=True,
    )(download)
