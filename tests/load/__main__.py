"""`python -m tests.load [--users N] [--think S] [--seed N] [--warmup S] [--measure S]
[--workers W]`: the JBN demo on a throwaway PostgreSQL, gunicorn on loopback, N users who log in
once, then think (exponential, mean S) and open their pages; prints p50/p95/p99 of the requests
that started in the measured window, the logins apart, and errors."""

import argparse
import sys
import tempfile
from pathlib import Path

from tests.load.run import Load, drive, prepare, record
from tests.ops import demo_export, gunicorn
from tests.pg_server import PgServer


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__)
    parser.add_argument("--users", type=int, default=Load.users)
    parser.add_argument("--think", type=float, default=Load.think, help="mean think time, s")
    parser.add_argument("--seed", type=int, default=Load.seed)
    parser.add_argument("--warmup", type=float, default=Load.warmup, help="not measured, s")
    parser.add_argument("--measure", type=float, default=Load.measure, help="measured, s")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    load = Load(args.users, args.think, args.seed, args.warmup, args.measure)
    server = PgServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="caseload-load-") as tmp:
            url = server.create_database("load")
            export, export_date = demo_export(Path(tmp), "jbn")
            accounts = prepare(url, export, export_date)
            with gunicorn(url, workers=args.workers, log=Path(tmp) / "gunicorn.log") as base:
                flows = record(base, accounts)
                for rol, pages in flows.items():
                    steps = sum(len(page) for page in pages)
                    word = "pagina" if len(pages) == 1 else "pagina's"
                    print(f"{rol}: {len(pages)} {word}, {steps} verzoeken per rondje")
                result = drive(base, accounts, flows, load)
    finally:
        server.stop()
    print(result.summary())
    for error in result.errors[:20]:
        print(f"  {error}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
