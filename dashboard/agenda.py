"""Mijn caseload's "Agenda-abonnement": make, renew or revoke the link to one's own feed.

Only the token's hash is stored, so the link is shown once, right after it is made; the
section otherwise says whether a link is active. The account is the session's, never the
request's, and the form carries the session's CSRF token.
"""

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import agenda_feed, audit_trail, data, session
from dashboard.components import guard
from dashboard.components import widgets as w
from queries import agenda
from queries.gebruikers import Account
from queries.scope import ROLES, Viewer

# Under Mijn caseload's prefix: the section and its callback belong to that page.
PREFIX = "mijn-caseload-agenda"
MAKEN = f"{PREFIX}-maken"
INTREKKEN = f"{PREFIX}-intrekken"
STAND = f"{PREFIX}-stand"
MELDING = f"{PREFIX}-melding"
CSRF = f"{PREFIX}-csrf"
LINK = f"{PREFIX}-link"
INTRO = (
    "Zet uw open en verlopen termijnen en uw open afspraken uit caseloadgesprekken in uw "
    "agenda (Outlook, of een andere agenda die een iCalendar-abonnement kan lezen): elke "
    "termijn als hele-dag-item op de uiterste datum, met alleen de termijn en het "
    "maatregelnummer, zonder namen. De agenda haalt de stand zelf op; de link is persoonlijk, "
    "deel hem niet."
)


def _stand(account: Account) -> html.P:
    since = agenda.actief_sinds(data.engine(), account.gebruikersnaam)
    if since is None:
        return html.P("U hebt nog geen agenda-abonnement.", id=f"{PREFIX}-geen")
    return html.P(
        f"Uw agenda-link is actief sinds {w.fmt_date(since.date())}. Kwijt? Maak een nieuwe link; "
        "de oude werkt dan niet meer.",
        id=f"{PREFIX}-actief",
    )


@w.guarded
def section(viewer: Viewer, worker: str | None):
    """The section for one's own caseload; nothing on someone else's, or without a medewerker."""
    account = session.current_account()
    if account is None or account.medewerker_id is None or worker != account.medewerker_id:
        return None
    return w.section(
        "Agenda-abonnement",
        html.P(INTRO, className="card-intro"),
        html.Div(_stand(account), id=STAND),
        html.Div(
            [
                html.Button("Agenda-link maken", id=MAKEN, className="button"),
                html.Button(
                    "Agenda-link intrekken", id=INTREKKEN, className="button button-secondary"
                ),
            ],
            className="export-buttons",
        ),
        html.Div(id=MELDING, **{"aria-live": "polite"}),
        dcc.Store(id=CSRF, data=session.csrf_token()),
        section_id=f"{PREFIX}-abonnement",
    )


def _shown_once(url: str) -> html.Div:
    """The new link, to copy now: it cannot be shown again."""
    return html.Div(
        [
            w.message_box(
                "Kopieer deze link nu en voeg hem in Outlook toe als agenda van internet; "
                "hij wordt maar één keer getoond.",
                "info",
            ),
            html.Label("Uw agenda-link", htmlFor=LINK),
            html.Div(
                [
                    dcc.Input(
                        id=LINK, value=url, readOnly=True, type="text", style={"width": "100%"}
                    ),  # fmt: skip
                    dcc.Clipboard(target_id=LINK, title="Kopiëren", className="clipboard"),
                ],
                className="agenda-link",
            ),
        ]
    )


def on_click(_make, _revoke, csrf):
    """Make (or renew) or revoke the session account's link."""
    clicks = {MAKEN: _make, INTREKKEN: _revoke}.get(ctx.triggered_id)
    if not clicks:
        return no_update, no_update
    account = session.current_account()
    if account is None:
        return w.message_box("U bent niet meer ingelogd."), no_update
    if not session.csrf_ok(csrf):
        audit_trail.record("geweigerd", agenda.ONDERWERP, "formulier zonder geldig CSRF-token")
        return w.message_box("Niet gelukt: laad de pagina opnieuw en probeer het nog eens."), (
            no_update
        )
    if ctx.triggered_id == INTREKKEN:
        done = agenda.intrekken(data.engine(), account)
        text = "Uw agenda-link is ingetrokken." if done else "U had geen actieve agenda-link."
        return w.message_box(text, "info"), _stand(account)
    try:
        token = agenda.nieuw(data.engine(), account)
    except agenda.AgendaGeweigerd as exc:
        return w.message_box(f"Niet gemaakt: {exc}."), no_update
    return _shown_once(agenda_feed.feed_url(token)), _stand(account)


def register_callbacks(app: Dash) -> None:
    """On the app, not the page: Dash re-reads page modules per app, this module only once."""
    guard.app_callback(
        app,
        ROLES,
        Output(MELDING, "children"),
        Output(STAND, "children"),
        Input(MAKEN, "n_clicks"),
        Input(INTREKKEN, "n_clicks"),
        State(CSRF, "data"),
        prevent_initial_call=True,
    )(on_click)
