"""Command line: `python -m etl load|migrate|demo`; see `python -m etl --help`."""

import argparse
import datetime as dt
import logging
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from etl.audit import register_cli as register_audit_cli
from etl.gebruikers import UserError, create_demo_accounts, print_demo_accounts
from etl.gebruikers import register_cli as register_users_cli
from etl.loader import (
    GEDEELTELIJK,
    GESLAAGD,
    MISLUKT,
    LoadResult,
    first_line,
    load_source,
    prepare_latest,
    thousands,
)
from etl.migrations import upgrade
from etl.rechten import grant_app
from store.engine import database_url, make_engine


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.command(args)


# argparse writes its own messages in English; the command line speaks Dutch throughout.
_ARGPARSE_DUTCH = (
    (r"the following arguments are required: ", "deze argumenten ontbreken: "),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze \1 (kies uit \2)"),
    (r"unrecognized arguments: ", "onbekende argumenten: "),
    (r"expected one argument", "hier hoort een waarde achter"),
    (r"invalid (\w+) value: ", "ongeldige waarde: "),
    (r"not allowed with argument ", "niet samen met argument "),
    (r"ambiguous option: (.*) could match ", r"onduidelijke optie \1, kan zijn: "),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    # Keywords only, as add_subparsers builds its parsers.
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="deze hulp tonen en stoppen")

    def error(self, message: str) -> NoReturn:
        # Exit status 2 means "loaded with rejected rows"; a wrong command line changed nothing.
        for english, dutch in _ARGPARSE_DUTCH:
            message = re.sub(english, dutch, message)
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: fout: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m etl", description="Exports van een GI laden in de database.")
    sub = parser.add_subparsers(required=True, metavar="OPDRACHT")
    db_help = "database-URL (standaard: CASELOAD_DB_URL of het SQLite-bestand onder data/)"

    load = sub.add_parser("load", help="een export (map met CSV's of .xlsx) laden")
    load.add_argument(
        "source", type=Path, metavar="BRON", help="map met de twaalf CSV-bestanden, of een .xlsx"
    )
    load.add_argument("--db", help=db_help)
    load.add_argument(
        "--export-date",
        type=_date,
        help="de dag waarop de export is gemaakt, JJJJ-MM-DD (standaard: vandaag)",
    )
    load.add_argument(
        "--force",
        action="store_true",
        help="ook laden als een bestand minder dan de helft van de rijen van de vorige lading "
        "heeft (de organisatie is echt gekrompen)",
    )
    load.add_argument(
        "--voortgang",
        action="store_true",
        help="de geschreven rijen per bestand ook tonen als de uitvoer geen terminal is",
    )
    load.set_defaults(command=_load)

    migrate = sub.add_parser("migrate", help="de database bijwerken naar het nieuwste schema")
    migrate.add_argument("--db", help=db_help)
    migrate.add_argument(
        "--app-rol",
        metavar="ROL",
        help="PostgreSQL: daarna deze rol van het dashboard precies zijn rechten per tabel geven "
        "(zie etl/rechten.py)",
    )
    migrate.set_defaults(command=_migrate)

    prepare = sub.add_parser(
        "voorbereiden",
        help="de nieuwste lading voorbereiden voor het dashboard, als dat nog niet gebeurd is "
        "(een lading van voor schemaversie 0007) of in een oudere vorm (na een update)",
    )
    prepare.add_argument("--db", help=db_help)
    prepare.set_defaults(command=_prepare)

    demo = sub.add_parser("demo", help="een demo-organisatie maken en laden")
    demo.add_argument("--db", help=db_help)
    demo.add_argument(
        "--scale",
        choices=("jbn", "national"),
        default="jbn",
        help="jbn: één GI als Jeugdbescherming Noord (standaard); national: heel Nederland",
    )
    demo.add_argument("--seed", type=int, default=1, help="zelfde seed, zelfde data (standaard 1)")
    demo.add_argument("--out", type=Path, help="de gemaakte export in deze map bewaren")
    demo.set_defaults(command=_demo)

    schedule = sub.add_parser(
        "schedule", help="elke nacht migreren en een nieuwe export uit een map laden"
    )
    schedule.add_argument(
        "--source",
        type=Path,
        default=os.environ.get("CASELOAD_EXPORT_DIR"),
        metavar="MAP",
        help="de exportmap (standaard: CASELOAD_EXPORT_DIR)",
    )
    schedule.add_argument(
        "--at",
        default=os.environ.get("CASELOAD_ETL_AT", "02:00"),
        metavar="UU:MM",
        help="tijdstip van de nachtelijke lading (standaard: CASELOAD_ETL_AT of 02:00)",
    )
    schedule.add_argument("--once", action="store_true", help="één keer nu, daarna stoppen")
    schedule.add_argument("--db", help=db_help)
    schedule.set_defaults(command=_schedule)
    register_users_cli(sub, db_help)
    register_audit_cli(sub, db_help)
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"geen datum in de vorm JJJJ-MM-DD: {text!r}") from exc


def _load(args: argparse.Namespace) -> int:
    result = load_source(
        args.source,
        args.db,
        export_date=args.export_date,
        progress=True if args.voortgang else None,
        force=args.force,
    )
    print_summary(result, args.source)
    return result.exit_code


def _prepare(args: argparse.Namespace) -> int:
    return _prepare_latest(args.db, quiet=False)


def _prepare_latest(url: str | None, quiet: bool) -> int:
    """prepare_latest and say what it did; quiet: say nothing when there was nothing to do."""
    try:
        result = prepare_latest(url)
    except SQLAlchemyError as exc:
        print(f"De database is niet bereikbaar: {first_line(exc)}", file=sys.stderr)
        return 1
    if result is None:
        if not quiet:
            print("De nieuwste lading is al voorbereid, of er is nog niets geladen.")
        return 0
    print(
        f"Lading {result.run_id} is voorbereid voor het dashboard in {result.seconds:.1f} s "
        f"({result.stored / 1e6:.1f} MB)."
    )
    return 0


def _migrate(args: argparse.Namespace) -> int:
    try:
        revision = upgrade(args.db)
    except SQLAlchemyError as exc:
        print(f"De database is niet bereikbaar: {first_line(exc)}", file=sys.stderr)
        return 1
    print(f"Database {_safe_url(args.db)} is bijgewerkt tot schemaversie {revision}.")
    if args.app_rol and _grant(args.db, args.app_rol):
        return 1
    # New code may read the prepared frames in a new shape: the latest load gets them before
    # the app starts (compose runs this first), or every worker would read its tables.
    return _prepare_latest(args.db, quiet=True)


def _grant(url: str | None, role: str) -> int:
    engine = make_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            print("--app-rol geldt alleen voor PostgreSQL; overgeslagen.")
            return 0
        with engine.begin() as conn:
            grant_app(conn, role)
    except (SQLAlchemyError, ValueError) as exc:
        print(f"De rechten van rol {role} zijn niet gezet: {first_line(exc)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Rol {role} heeft de rechten van het dashboard (etl/rechten.py).")
    return 0


def _schedule(args: argparse.Namespace) -> int:
    # Imported here like the demo: only the long-running service needs it.
    from etl import schedule

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.source is None:
        print("Geef de exportmap op met --source of CASELOAD_EXPORT_DIR.", file=sys.stderr)
        return 1
    if args.once:
        return schedule.run_once(Path(args.source), args.db)
    try:
        at = schedule.parse_at(args.at)
    except ValueError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    return schedule.run_forever(Path(args.source), at, args.db)


def _demo(args: argparse.Namespace) -> int:
    # Imported here: the generator is heavy and not needed for loading real exports.
    from etl.demo import generate

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        return _generate_and_load(generate, args, args.out)
    with tempfile.TemporaryDirectory(prefix="caseload-demo-") as tmp:
        return _generate_and_load(generate, args, Path(tmp))


def _generate_and_load(generate, args: argparse.Namespace, out: Path) -> int:
    print(f"Demo-export maken (schaal {args.scale}, seed {args.seed}) in {out} ...")
    export_date = generate(args.scale, args.seed, out)
    # A demo replaces whatever was loaded, however much smaller it is.
    result = load_source(out, args.db, export_date=export_date, force=True, demo=True)
    print_summary(result, out)
    if result.status != MISLUKT:
        try:
            print_demo_accounts(create_demo_accounts(args.db, export_date))
        except UserError as exc:
            print(f"Geen demo-accounts gemaakt: {exc}.")
    return result.exit_code


def print_summary(result: LoadResult, source: Path) -> None:
    """The Dutch summary of a load: rows per file, every rejected row, every value left out of a
    loaded row, and the outcome."""
    out = sys.stdout
    if result.rows_per_file:
        print(f"Geladen uit {source}:", file=out)
        width = max(len(name) for name in result.rows_per_file)
        for name, count in result.rows_per_file.items():
            print(f"  {name:<{width}}  {thousands(count):>12} {_rows(count)}", file=out)
    for warning in result.warnings:
        print(f"Waarschuwing: {warning}", file=out)
    for title, reported in (
        ("Afgewezen rijen", result.rejected),
        ("Weggelaten waarden (rij wel geladen)", result.notices),
    ):
        if reported:
            print(f"{title} ({thousands(len(reported))}):", file=out)
        for r in reported:
            kolom = f", kolom {r.kolom}" if r.kolom else ""
            waarde = f", waarde {r.waarde!r}" if r.waarde is not None else ", waarde leeg"
            print(f"  {r.bestand} regel {r.regel}{kolom}{waarde}: {r.reden}", file=out)
    outcome = {
        GESLAAGD: "Geslaagd",
        GEDEELTELIJK: "Gedeeltelijk geladen",
        MISLUKT: "Mislukt, er is niets veranderd",
    }[result.status]
    run = f" (run {result.run_id})" if result.run_id is not None else ""
    print(f"{outcome}{run}: {result.message}", file=out)


def _rows(n: int) -> str:
    return "rij" if n == 1 else "rijen"


def _safe_url(url: str | None) -> str:
    """The database URL without a password, fit to print."""
    from sqlalchemy.engine import make_url

    return make_url(database_url(url)).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
