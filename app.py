"""Start the dashboard: `python app.py [--host H] [--port P]`; `app.server` is the WSGI app.

On the first run with the embedded SQLite database (no CASELOAD_DB_URL) and nothing loaded
yet, the JBN demo organisation is generated and loaded first.
"""

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from dashboard import data
from dashboard.app import create_app
from queries.snapshot import NoDataError, latest_run
from queries.toegang import demo_accounts

log = logging.getLogger("app")


def ensure_demo() -> None:
    """Load the JBN demo into the embedded database when it holds no successful load."""
    if os.environ.get("CASELOAD_DB_URL"):
        return
    url = data.resolve_url()
    data.DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    root = Path(__file__).resolve().parent
    try:
        latest_run(engine)
    except (NoDataError, sa.exc.OperationalError):
        command = ["demo"]
    else:
        # Loaded before logins existed: only the demo accounts are missing.
        command = None if _has_demo_accounts(engine) else ["users", "demo"]
    finally:
        engine.dispose()
    if command is None:
        return
    if command == ["demo"]:
        print("Eerste start: de demo-organisatie JBN wordt gemaakt en geladen...", flush=True)
    subprocess.run([sys.executable, "-m", "etl", *command, "--db", url], check=True, cwd=root)


def _has_demo_accounts(engine: sa.Engine) -> bool:
    try:
        return bool(demo_accounts(engine))
    except sa.exc.OperationalError:
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Het caseload- en termijnendashboard.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    ensure_demo()
    data.keep_warm()
    print(f"Dashboard: http://{args.host}:{args.port}", flush=True)
    app.run(host=args.host, port=args.port, debug=False)


# The embedded SQLite database holds the demo, so its demo accounts may log in there.
if not os.environ.get("CASELOAD_DB_URL"):
    os.environ.setdefault("CASELOAD_DEMO", "1")
app = create_app()
server = app.server

if __name__ == "__main__":
    main()
else:
    # Imported by gunicorn: each worker prepares the latest load itself. (`python app.py`
    # starts this after the first run's demo is in place.)
    data.keep_warm()
