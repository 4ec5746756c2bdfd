"""Messages in Dutch where a part of a page is empty or failed, and the guard that shows them."""

import logging
from collections.abc import Callable
from functools import wraps

import sqlalchemy.exc
from dash import html

from queries.snapshot import NoDataError

log = logging.getLogger(__name__)

NO_DATA_MESSAGE = (
    "Er is nog geen export geladen. Zodra de eerste export is ingelezen, staan hier de cijfers."
)
DB_DOWN_MESSAGE = (
    "De database is op dit moment niet bereikbaar. Probeer het over een paar minuten opnieuw."
)
FAILED_MESSAGE = (
    "Dit onderdeel kon niet worden gemaakt. De rest van de pagina werkt gewoon; "
    "meld het aan de functioneel beheerder als het blijft gebeuren."
)


def message_box(text: str, kind: str = "fout") -> html.Div:
    """A Dutch message in place of a part that could not be shown."""
    icon = {"fout": "⚠", "info": "ℹ"}[kind]
    return html.Div(
        [html.Span(icon, className="message-icon", **{"aria-hidden": "true"}), html.Span(text)],
        className=f"message message-{kind}",
        role="alert" if kind == "fout" else "status",
    )


def failure_message(exc: BaseException) -> html.Div:
    if isinstance(exc, NoDataError):
        return message_box(NO_DATA_MESSAGE, "info")
    if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
        return message_box(DB_DOWN_MESSAGE)
    return message_box(FAILED_MESSAGE)


def guarded(build: Callable) -> Callable:
    """Let a part of a page fail on its own: a Dutch message instead of a traceback."""

    @wraps(build)
    def wrapper(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except Exception as exc:  # any failure must stay inside its own part
            if not isinstance(exc, NoDataError):
                log.exception("Onderdeel %s mislukt", build.__qualname__)
            return failure_message(exc)

    return wrapper


def empty_state(text: str) -> html.Div:
    """What is missing, said in words, instead of an empty table or axis."""
    return html.Div(text, className="empty-state", role="status")
