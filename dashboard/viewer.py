"""Who is looking, read from this request: the logged-in account, else the session's viewer.

Apart from dashboard.session, which logs people in and out, so that the audit trail can ask
without importing the login code that writes to it.
"""

import flask

from queries.scope import ROLES, Viewer

SESSION_KEY = "viewer"
ANONYMOUS = Viewer("anoniem")


def current_viewer() -> Viewer:
    """The logged-in account's viewer; anonymous (sees nothing) without one."""
    if not flask.has_request_context():
        return ANONYMOUS
    account = flask.g.get("account")
    if account is not None:
        return account.viewer
    stored = flask.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("role") not in ROLES:
        return ANONYMOUS
    return Viewer(stored["role"], stored.get("medewerker_id"))
