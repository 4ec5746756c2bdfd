"""Command line twin of the dashboard: deadlines, staff-deadlines, kpis and proposals."""

import argparse
import json
import sys
from datetime import date

import polars as pl
import sqlalchemy as sa

from queries import figuren
from queries.config import load_config
from queries.figuren import REGISTER, waarde
from queries.gesprekken import lees_gesprekken
from queries.kpis import kpis
from queries.persoonsnormen import persoonstermijnen
from queries.scope import MANAGER, Viewer
from queries.snapshot import NoDataError, Snapshot, load_snapshot
from queries.termijnen import termijnen
from queries.werktoedeling import SOORTEN, voorstel
from store.engine import make_engine

ROLE_OF_FUNCTIE = {
    "jeugdbeschermer": "jeugdzorgwerker",
    "jeugdreclasseerder": "jeugdzorgwerker",
    "praktijkbegeleider": "praktijkbegeleider",
    "gedragswetenschapper": "gedragswetenschapper",
    "teammanager": "teammanager",
    "manager": "manager",
}
DEADLINE_COLUMNS = ["maatregel_id", "norm", "deadline", "status", "voldaan_op"]
STAFF_COLUMNS = ["medewerker_id", "norm", "deadline", "status", "voldaan_op"]
PROPOSAL_COLUMNS = [
    "maatregel_id",
    "van_medewerker_id",
    "naar_medewerker_id",
    "naar_team_id",
    "reden",
    "ruimte_na",
]


class UsageError(Exception):
    """A problem with the arguments or the data, told to the user in Dutch."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"geen datum in de vorm JJJJ-MM-DD: {text!r}") from exc


def _month(text: str) -> str:
    try:
        date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"geen maand in de vorm JJJJ-MM: {text!r}") from exc
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m queries", description="Termijnen en kengetallen uit de database."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--as-of",
        type=_date,
        help="peildatum JJJJ-MM-DD (standaard: exportdatum van de laatste laadronde)",
    )
    common.add_argument(
        "--db", help="database-URL (standaard: CASELOAD_DB_URL of het SQLite-bestand onder data/)"
    )
    common.add_argument(
        "--as-user", metavar="MEDEWERKER_ID", help="alleen wat deze medewerker mag zien"
    )
    common.add_argument("--config", help="normenbestand (TOML; standaard CASELOAD_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")
    for name, text in (
        ("deadlines", "alle termijnen van maatregelen op de peildatum"),
        ("staff-deadlines", "termijnen van medewerkers (caseloadgesprek, VOG, SKJ)"),
    ):
        cmd = sub.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--format", choices=("csv", "json"), default="csv")
    kpi = sub.add_parser("kpis", parents=[common], help="de kengetallen van de organisatie")
    kpi.add_argument(
        "--since", type=_date, help="cohort: gestart op of na deze dag (standaard: normenbestand)"
    )
    kpi.add_argument(
        "--start-month",
        type=_month,
        help="startmaand JJJJ-MM voor eerste contact (standaard: de laatste die niet meer loopt)",
    )
    kpi.add_argument("--format", choices=("json",), default="json")
    proposals = sub.add_parser(
        "proposals",
        parents=[common],
        help="voorstel wie welke maatregel krijgt (verantwoorde werktoedeling)",
    )
    proposals.add_argument(
        "--kind",
        choices=SOORTEN,
        default="afbouw",
        help="afbouw CCP/CRT, uitval (waarnemer) of niet_toegewezen (standaard: afbouw)",
    )
    proposals.add_argument("--format", choices=("csv", "json"), default="csv")
    return parser


# Registered figures the kpis command gives beside kpis' own keys.
EXTRA_KPIS = (
    "verzuim_12m_pct",
    "gezien_6w_pct",
    "plan_besproken_jeugdige_pct",
    "plan_besproken_ouders_pct",
    "voogdij_op_norm_pct",
)


def viewer_for(snap: Snapshot, medewerker_id: str | None) -> Viewer:
    """The manager without --as-user, else the role that the medewerker's functie implies."""
    if medewerker_id is None:
        return MANAGER
    row = snap["medewerkers"].filter(pl.col("medewerker_id") == medewerker_id)
    if row.height == 0:
        raise UsageError(f"Medewerker {medewerker_id!r} bestaat niet in de laatste export.")
    functie = row["functie"][0]
    if functie not in ROLE_OF_FUNCTIE:
        raise UsageError(f"Functie {functie!r} van medewerker {medewerker_id!r} heeft geen rol.")
    return Viewer(ROLE_OF_FUNCTIE[functie], medewerker_id)


def _write(frame: pl.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        sys.stdout.write(frame.write_json() + "\n")


def run(args: argparse.Namespace) -> None:
    try:
        engine = make_engine(args.db)
        snap = load_snapshot(engine)
    except sa.exc.SQLAlchemyError as exc:
        raise UsageError(f"De database is niet bereikbaar of heeft geen tabellen: {exc}") from exc
    except NoDataError as exc:
        raise UsageError(str(exc)) from exc
    config = load_config(args.config)
    viewer = viewer_for(snap, args.as_user)
    as_of = args.as_of or snap.export_date
    if args.command == "deadlines":
        _write(termijnen(snap, viewer, as_of, config).select(DEADLINE_COLUMNS), args.format)
    elif args.command == "proposals":
        plan = voorstel(snap, viewer, as_of, config, args.kind).select(PROPOSAL_COLUMNS)
        _write(figuren.rond(plan), args.format)
    elif args.command == "staff-deadlines":
        talks = lees_gesprekken(engine)
        staff = persoonstermijnen(snap, viewer, as_of, config, talks).select(STAFF_COLUMNS)
        _write(staff, args.format)
    else:
        figures = kpis(snap, viewer, as_of, config, since=args.since, start_month=args.start_month)
        shown = {k: REGISTER[k].rond(v) if k in REGISTER else v for k, v in figures.items()}
        shown |= {k: waarde(k, snap, viewer, as_of, config) for k in EXTRA_KPIS}
        print(json.dumps(shown, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        run(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
