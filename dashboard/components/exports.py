"""Table downloads: each page registers how to build a table; one callback serves them all."""

import logging
from collections.abc import Callable

import polars as pl
from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard import audit_trail, data
from dashboard.components.widgets import export_frame, failure_message
from dashboard.session import current_viewer
from dashboard.urlstate import parse_search
from queries.export import csv_bytes, xlsx_bytes
from queries.scope import Viewer

log = logging.getLogger(__name__)

# table name -> build(viewer, params) -> (frame, grid columns). The page's grid uses the same.
Builder = Callable[[Viewer, dict], tuple[pl.DataFrame, list[dict]]]
EXPORTS: dict[str, Builder] = {}


def register_export(table: str, build: Builder) -> None:
    EXPORTS[table] = build


def export_file(table: str, fmt: str, viewer: Viewer, params: dict) -> dict:
    """The download for dcc.Download: every row of the viewer's scoped query."""
    df, columns = EXPORTS[table](viewer, params)
    out = export_frame(df, columns)
    audit_trail.record("export", table, f"{out.height} rijen, {fmt}")
    stem = f"{table}_{data.as_of(params).isoformat()}"
    if fmt == "xlsx":
        return dcc.send_bytes(xlsx_bytes(out, sheet_name=table[:31]), f"{stem}.xlsx")
    return dcc.send_bytes(csv_bytes(out), f"{stem}.csv")


def download(_clicks, searches):
    """Serve the clicked export button's file; the viewer comes from the session only."""
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered[0]["value"] or trigger["table"] not in EXPORTS:
        return no_update, no_update
    try:
        params = parse_search(searches[0] if searches else "")
        file = export_file(trigger["table"], trigger["fmt"], current_viewer(), params)
    except Exception as exc:  # noqa: BLE001 - a failed download must not break the page
        log.exception("Export %s mislukt", trigger["table"])
        return no_update, failure_message(exc)
    return file, None


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("download", "data"),
        Output("export-melding", "children"),
        Input({"type": "export", "table": ALL, "fmt": ALL}, "n_clicks"),
        State({"type": "pagina-url", "page": ALL}, "search"),
        prevent_initial_call=True,
    )(download)
