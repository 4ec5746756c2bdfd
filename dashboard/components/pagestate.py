"""A page's state lives in the URL: slicers write it, back/forward and links read it.

Each page puts shown_state(...) in its layout and registers one callback with sync_with_url,
which only the page's roles may use. A slicer change renders the page body and pushes the new
query string; a URL change (back, forward) renders the body and moves the slicers. The page
has its own dcc.Location, so its callback never waits on components of another page. A
dcc.Store with the values on screen stops both directions from rendering the same view twice
(Dash fires a page's callbacks when the page is inserted, and again when the URL it wrote
comes back).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from sqlalchemy.exc import SQLAlchemyError

from dashboard.components.appshell import page_allowed, page_body
from dashboard.components.guard import page_callback, page_clientside_callback
from dashboard.urlstate import build_search, parse_search
from dashboard.viewer import current_viewer
from queries.scope import Viewer
from queries.snapshot import NoDataError

# The property a URL key's slicer keeps its value in, where it is not "value": the date
# slicers are dcc.DatePickerSingle (widgets.date_slicer), which keep their ISO day in date.
CONTROL_PROPS = {"peildatum": "date", "vanaf": "date", "cohort": "date", "doeldatum": "date"}


def control_prop(key: str) -> str:
    return CONTROL_PROPS.get(key, "value")


def location_id(page: str) -> dict:
    """The page's own URL component; the export callback finds it by this pattern."""
    return {"type": "pagina-url", "page": page}


def shown_state(page: str, values: dict) -> html.Div:
    """The slicer values a page was rendered with, and the page's own URL component."""
    return html.Div(
        [
            dcc.Store(id=f"{page}-getoond", data=values),
            dcc.Location(id=location_id(page), refresh=False),
        ]
    )


def effective(build: Callable[[], dict]) -> dict:
    """The slicer values a layout resolves to, or {} when there is no data to resolve them."""
    try:
        return build()
    except (NoDataError, SQLAlchemyError):
        return {}


@dataclass(frozen=True)
class PageState:
    page: str
    path: str
    controls: dict[str, str]  # URL key -> id of the slicer holding it (in control_prop(key))
    render: Callable[[Viewer, dict], Any]
    resolve: Callable[[Viewer, dict], dict]
    valid: Callable[[dict], bool]
    body_id: str
    # The page's title for the shown values, when it depends on them (the worker shown).
    heading: Callable[[Viewer, dict], str] | None = None

    def skip(self) -> tuple:
        return (no_update,) * (3 + len(self.controls) + (self.heading is not None))

    def title(self, viewer: Viewer, params: dict) -> tuple:
        """The new title as the callback's last output, or nothing when the title is fixed."""
        return () if self.heading is None else (self.heading(viewer, params),)

    def from_controls(self, viewer: Viewer, values: list, shown: dict | None) -> tuple:
        """A slicer moved: new body, new URL, new shown state."""
        params = dict(zip(self.controls, values, strict=True))
        if not self.valid(params) or params == shown:
            return self.skip()
        keep = (no_update,) * len(self.controls)
        body = self.render(viewer, params)
        return (body, build_search(params), params, *keep, *self.title(viewer, params))

    def from_url(self, viewer: Viewer, search: str, pathname: str, shown: dict | None) -> tuple:
        """The URL changed (back, forward): new body, slicers moved to match."""
        if pathname != self.path:
            return self.skip()
        query = parse_search(search)
        params = effective(lambda: self.resolve(viewer, {k: query.get(k) for k in self.controls}))
        if not params or params == shown:
            return self.skip()
        values = tuple(params[k] for k in self.controls)
        body = self.render(viewer, params)
        return (body, no_update, params, *values, *self.title(viewer, params))


def sync_with_url(
    page: str,
    path: str,
    roles: tuple[str, ...],
    controls: dict[str, str],
    render: Callable[[Viewer, dict], Any],
    resolve: Callable[[Viewer, dict], dict],
    valid: Callable[[dict], bool] = lambda _params: True,
    body_id: str | None = None,
    heading: Callable[[Viewer, dict], str] | None = None,
) -> PageState:
    """Register the page's slicer/URL callback; returns the state object (for tests).

    heading: the page's title for the shown values, renamed with them (title_id(page)).
    """
    state = PageState(
        page, path, controls, render, resolve, valid, body_id or f"{page}-body", heading
    )

    url = location_id(page)

    @page_callback(
        roles,
        Output(state.body_id, "children"),
        Output(url, "search", allow_duplicate=True),
        Output(f"{page}-getoond", "data"),
        *(Output(cid, control_prop(k), allow_duplicate=True) for k, cid in controls.items()),
        *([] if heading is None else [Output(title_id(page), "children")]),
        *(Input(cid, control_prop(k)) for k, cid in controls.items()),
        Input(url, "search"),
        State(f"{page}-getoond", "data"),
        State(url, "pathname"),
        prevent_initial_call=True,
    )
    def update(*args):
        n = len(controls)
        values, search, shown, pathname = list(args[:n]), args[n], args[n + 1], args[n + 2]
        viewer = current_viewer()
        if ctx.triggered_id == url:
            return state.from_url(viewer, search, pathname, shown)
        return state.from_controls(viewer, values, shown)

    if heading is not None:
        # The browser tab carries the page's title too.
        page_clientside_callback(
            roles,
            ClientsideFunction(namespace="caseload", function_name="tabTitel"),
            Output(title_id(page), "title"),
            Input(title_id(page), "children"),
        )
    return state


def title_id(page: str) -> str:
    return f"{page}-titel"


def slicer_page(
    page: str,
    path: str,
    roles: tuple[str, ...],
    title: str,
    keys: tuple[str, ...],
    slicers: Callable[[Viewer, dict], Any],
    body: Callable[[Viewer, dict], Any],
    resolved: Callable[[Viewer, dict], dict],
    valid: Callable[[dict], bool] = lambda _params: True,
    heading: Callable[[Viewer, dict], str] | None = None,
) -> tuple[Callable[..., html.Div], PageState]:
    """A page whose URL keys set its slicers (ids PAGE-key) and one body below them.

    Returns the layout function and the registered URL state; keys give the controls' order.
    heading: the title for the URL's values, where it is not always title.
    """

    def named(viewer: Viewer, params: dict) -> str:
        if heading is None or not page_allowed(viewer, roles):
            return title
        try:
            return heading(viewer, params)
        except (NoDataError, SQLAlchemyError):
            return title

    def layout(**query) -> html.Div:
        viewer = current_viewer()
        params = {key: query.get(key) for key in keys}
        return page_body(
            viewer,
            roles,
            named(viewer, params),
            shown_state(page, effective(lambda: resolved(viewer, params))),
            slicers(viewer, params),
            html.Div(body(viewer, params), id=f"{page}-body"),
            title_id=None if heading is None else title_id(page),
        )

    controls = {key: f"{page}-{key}" for key in keys}
    state = sync_with_url(
        page,
        path,
        roles,
        controls,
        body,
        resolved,
        valid=valid,
        heading=None if heading is None else named,
    )
    return layout, state
