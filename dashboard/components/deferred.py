"""Parts of a page below its first screen, drawn when the user scrolls near them.

The page's first answer then holds only what the first screens show, and the browser builds
fewer grids before the page is on screen. assets/uitgesteld.js tells the server when a
placeholder nears the viewport; the page's callback draws that part for the values the page
was drawn with. The placeholder's id carries a digest of those values, so an answer for a
view the page has since left finds no placeholder to land in.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from dash import MATCH, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.components.guard import page_callback
from dashboard.viewer import current_viewer
from queries.scope import Viewer

Render = Callable[[Viewer, dict], Any]


def _id(kind: str, page: str, part: str, digest: str) -> dict:
    return {"type": kind, "page": page, "deel": part, "keuze": digest}


def clean(params: object) -> dict:
    """The URL values a placeholder kept, as the page's own renders take them: text or None.
    They come back from the browser, so anything else is dropped."""
    if not isinstance(params, dict):
        return {}
    return {
        k: v for k, v in params.items() if isinstance(k, str) and (v is None or isinstance(v, str))
    }


def _digest(params: dict) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]


def deferred(page: str, part: str, params: dict, what: str) -> html.Div:
    """A placeholder for page's part, drawn for params once it nears the screen."""
    kept = clean(params)
    digest = _digest(kept)
    return html.Div(
        [
            dcc.Store(id=_id("uitgesteld-zicht", page, part, digest)),
            dcc.Store(id=_id("uitgesteld-keuze", page, part, digest), data=kept),
            html.Div(
                html.P(
                    [
                        f"{what} worden geladen…",
                        html.Span(
                            " Dit deel was nog niet geladen: druk de pagina opnieuw af.",
                            className="alleen-afdruk",
                        ),
                    ],
                    className="uitgesteld-wacht",
                    role="status",
                ),
                id=_id("uitgesteld", page, part, digest),
                className="uitgesteld",
            ),
        ]
    )


def register_deferred(page: str, roles: tuple[str, ...], parts: dict[str, Render]) -> None:
    """Register the page's callback that draws a part when its placeholder nears the screen;
    only the page's roles may use it, and the queries keep the viewer's scope as for the page."""

    @page_callback(
        roles,
        Output(_id("uitgesteld", page, MATCH, MATCH), "children"),
        Input(_id("uitgesteld-zicht", page, MATCH, MATCH), "data"),
        State(_id("uitgesteld-keuze", page, MATCH, MATCH), "data"),
        prevent_initial_call=True,
    )
    def draw(seen, params):
        where, kept = ctx.triggered_id, clean(params)
        render = parts.get(where["deel"]) if where else None
        # The values must be the ones the placeholder was made for, or it shows another view.
        if not seen or render is None or where["keuze"] != _digest(kept):
            raise PreventUpdate
        return render(current_viewer(), kept)
