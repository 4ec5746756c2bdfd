"""Start the dashboard: `python app.py [--host H] [--port P]`; `app.server` is the WSGI app.

On the first run with the embedded SQLite database (no CASELOAD_DB_URL) and nothing loaded
yet, the JBN demo organisation is generated and loaded first. Importing this module starts no
thread and changes no environment: the warm-up starts in main() and, under gunicorn, in
gunicorn.conf.py's post_worker_init.
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
from dashboard.server import QuietRequestHandler
from queries.gebruikers import demo_accounts
from queries.laadhistorie import demo_allowed
from queries.snapshot import NoDataError, latest_run

log = logging.getLogger("app")


def demo_requested() -> bool:
    """CASELOAD_DEMO=1, or by default on the embedded database, which holds the demo."""
    default = "0" if os.environ.get("CASELOAD_DB_URL") else "1"
    return os.environ.get("CASELOAD_DEMO", default) == "1"


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
        command = _missing_accounts_command(engine)
    finally:
        engine.dispose()
    if command is None:
        return
    if command == ["demo"]:
        print("Eerste start: de demo-organisatie JBN wordt gemaakt en geladen...", flush=True)
    subprocess.run([sys.executable, "-m", "etl", *command, "--db", url], check=True, cwd=root)


def _missing_accounts_command(engine: sa.Engine) -> list[str] | None:
    """A demo loaded before logins existed lacks only its demo accounts; real data never
    gets any."""
    try:
        if not demo_allowed(engine) or demo_accounts(engine):
            return None
    except sa.exc.OperationalError:
        return None
    return ["users", "demo"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Het caseload- en termijnendashboard.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    ensure_demo()
    data.keep_warm()
    print(f"Dashboard: http://{args.host}:{args.port}", flush=True)
    app.run(host=args.host, port=args.port, debug=False, request_handler=QuietRequestHandler)


# Demo mode asked for here is checked again on every request against what is loaded, so the
# demo that main() loads after this import keeps it, and a real load ends it.
app = create_app(demo=demo_requested())
server = app.server

if __name__ == "__main__":
    main()
