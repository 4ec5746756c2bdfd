"""Uw deadline-mail on Mijn caseload: the logged-in person chooses how often they get it.

The setting is always the session account's own (never a worker chosen on the page, never an
id from the request); queries.digest.zet_cadans checks and audits it again.
"""

from dash import Input, Output, dcc, html

from dashboard import data, session
from dashboard.components import guard
from dashboard.components import widgets as w
from queries.digest import MailInstellingGeweigerd, cadans_van, zet_cadans

PREFIX = "mijn-caseload-mail"
KEUZE = f"{PREFIX}-cadans"
MELDING = f"{PREFIX}-melding"
BEVESTIGING = {
    "automatisch": "U krijgt de deadline-mail elke week, en eerder als een termijn dringend is.",
    "wekelijks": "U krijgt de deadline-mail op de eerste werkdag van de week.",
    "uit": "U krijgt geen deadline-mail meer.",
}


def labels() -> dict[str, str]:
    """Each cadans in words, with the organisation's dringend werkdagen."""
    n = data.config().mail_dringend_werkdagen
    return {
        "automatisch": "Automatisch: elke week, en ook als een eerste contact of plan van aanpak "
        f"binnen {n} werkdagen moet",
        "wekelijks": "Wekelijks: op de eerste werkdag van de week",
        "uit": "Uit: geen mail",
    }


@w.guarded
def section():
    """The choice for the logged-in account's own medewerker; nothing for an account without."""
    account = session.current_account()
    if account is None or account.medewerker_id is None:
        return html.Div()
    gekozen = cadans_van(data.engine(), account.medewerker_id)
    return w.section(
        "Uw deadline-mail",
        html.P(
            "Een mail met uw verlopen termijnen, wat binnenkort moet, verlengingen en "
            "afspraken, met alleen nummers van maatregelen. Alleen op werkdagen.",
            className="card-intro",
        ),
        dcc.RadioItems(
            id=KEUZE,
            options=[{"label": label, "value": c} for c, label in labels().items()],
            value=gekozen,
            labelStyle={"display": "block"},
        ),
        html.Div(id=MELDING, **{"aria-live": "polite"}),
        section_id=PREFIX,
    )


def register(roles: tuple[str, ...]) -> None:
    """The choice's callback; registered by the page module, which Dash runs anew for every
    app, so a second app (a worker, a test) has it too."""

    @guard.page_callback(
        roles, Output(MELDING, "children"), Input(KEUZE, "value"), prevent_initial_call=True
    )
    def on_choice(cadans):
        """Store the choice for the session's account."""
        account = session.current_account()
        if account is None:
            return w.message_box("U bent niet meer ingelogd.")
        try:
            zet_cadans(data.engine(), account, account.medewerker_id, str(cadans))
        except (MailInstellingGeweigerd, ValueError) as exc:
            return w.message_box(f"Niet opgeslagen: {exc}.")
        return w.message_box(f"Opgeslagen. {BEVESTIGING[cadans]}", "info")
