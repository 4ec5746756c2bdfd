"""gunicorn settings read from the working directory: each worker warms its own data cache,
and the workers share the day frames one of them computed through a private directory."""

import importlib
import os
import shutil
import tempfile

# dashboard.data.SHARED_DIR; not imported, so the master never loads polars.
SHARED_DIR = "CASELOAD_SHARED_DIR"
# Imported once in the master, so the workers fork with them instead of each spending 0.4-0.7 s
# of CPU on them while they start on two cores. Only libraries that start no thread on import:
# never polars (or anything that imports it), whose threads do not survive a fork.
PRELOAD = ("dash", "dash_ag_grid", "sqlalchemy", "psycopg")


def preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)


def on_starting(server) -> None:
    preload()
    # Made before the workers fork, so they all inherit it; removed when gunicorn stops.
    if not os.environ.get(SHARED_DIR):
        os.environ[SHARED_DIR] = tempfile.mkdtemp(prefix="caseload-dagcijfers-")
        server._caseload_shared = os.environ[SHARED_DIR]


def on_exit(server) -> None:
    made = getattr(server, "_caseload_shared", None)
    if made:
        shutil.rmtree(made, ignore_errors=True)


def post_worker_init(worker) -> None:
    import logging

    from dashboard import data

    # The app's own lines (a load warmed, a frame not shared) go where gunicorn's own go;
    # without a handler of their own they were lost, or printed bare.
    for name in ("dashboard", "queries"):
        logging.getLogger(name).handlers = list(worker.log.error_log.handlers)
    data.keep_warm()
