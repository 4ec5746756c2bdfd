"""`python -m tests.load [--users N] [--workers W]`: the JBN demo on a throwaway PostgreSQL,
gunicorn on loopback, N users clicking through their pages; prints p50/p95 and errors."""

import argparse
import sys
import tempfile
from pathlib import Path

from tests.load.run import drive, prepare, record
from tests.ops import demo_export, gunicorn
from tests.pg_server import PgServer


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=180)
    args = parser.parse_args()
    server = PgServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="caseload-load-") as tmp:
            url = server.create_database("load")
            export, export_date = demo_export(Path(tmp), "jbn")
            accounts = prepare(url, export, export_date)
            with gunicorn(url, workers=args.workers, log=Path(tmp) / "gunicorn.log") as base:
                flows = record(base, accounts)
                for rol, steps in flows.items():
                    print(f"{rol}: {len(steps)} verzoeken per bezoek")
                result = drive(base, accounts, flows, args.users, args.max_seconds)
    finally:
        server.stop()
    print(result.summary())
    for error in result.errors[:20]:
        print(f"  {error}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
