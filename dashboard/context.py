"""What a page's sections work from, resolved per request: the load, the peildatum, the norms
and, on a worker's pages, whose caseload is shown (written to the audit trail) and its title."""

from datetime import date
from typing import NamedTuple

import polars as pl

from dashboard import audit_trail, data
from queries.config import Config
from queries.scope import Viewer
from queries.snapshot import Snapshot


class PageContext(NamedTuple):
    snap: Snapshot
    day: date
    config: Config


class WorkerContext(NamedTuple):
    snap: Snapshot
    day: date
    worker: str | None


def page_context(params: dict) -> PageContext:
    """The latest load, the URL's peildatum on it and the norms."""
    snap = data.snapshot()
    return PageContext(snap, data.as_of(params, snap), data.config())


def worker_context(viewer: Viewer, params: dict) -> WorkerContext:
    """As page_context, with the worker whose caseload the page shows, audited once per
    request."""
    snap = data.snapshot()
    day = data.as_of(params, snap)
    worker = data.resolve_worker(snap, viewer, day, params)
    audit_trail.worker_shown(worker)
    return WorkerContext(snap, day, worker)


def caseload_title(viewer: Viewer, params: dict) -> str:
    """'Mijn caseload' for the worker's own view, 'Caseload van <naam>' for anyone else's."""
    snap, day, worker = worker_context(viewer, params)
    if worker is None or worker == viewer.medewerker_id:
        return "Mijn caseload"
    staff = data.staff_caseload(snap, viewer, day).filter(pl.col("medewerker_id") == worker)
    return f"Caseload van {staff['naam'][0] if staff.height else worker}"
