"""Accounts of the dashboard: `python -m etl users add|disable|list`, and the demo accounts."""

import datetime as dt
import functools
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.exc import SQLAlchemyError

from etl.loader import first_line, latest_load
from etl.migrations import upgrade
from store.engine import make_engine
from store.ladingen import real_load_exists
from store.schema import (
    ROLES,
    agenda_tokens,
    gebruikers,
    maatregelen,
    medewerkers,
    sessies,
    teams,
    toewijzingen,
)

# Roles that see only their own measures or their team's need a medewerker to scope by.
NEEDS_MEDEWERKER = ("jeugdzorgwerker", "praktijkbegeleider", "gedragswetenschapper", "teammanager")
DEMO_PASSWORD = "demo"
MIN_PASSWORD = 12
# SecLists' 10,000 most common passwords (source and licence in the file's header).
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
# The reden of a session ended by `users disable` (as queries.sessies.UITGESCHAKELD).
DISABLED = "account uitgeschakeld"
# The functies that carry a caseload (as queries/norms.toml [caseload] functies).
CASELOAD_FUNCTIES = ("jeugdbeschermer", "jeugdreclasseerder")


class UserError(ValueError):
    """A refused account change, with a Dutch message for the command line."""


@dataclass(frozen=True)
class Account:
    gebruikersnaam: str
    rol: str
    medewerker_id: str | None
    actief: bool
    demo: bool
    laatst_ingelogd: dt.datetime | None


_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.lower() for line in lines if line and not line.startswith("#"))


def check_password(password: str) -> None:
    """Refuse a short password or one of the most common ones (as NIST SP 800-63B asks)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"een wachtwoord heeft minstens {MIN_PASSWORD} tekens")
    if password.lower() in _common_passwords():
        raise UserError("dit wachtwoord is een van de 10.000 meest gebruikte; kies een ander")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextmanager
def _migrated_engine(url: str | None) -> Iterator[sa.Engine]:
    """An engine on the database brought to the newest schema, disposed afterwards."""
    upgrade(url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def add_user(
    url: str | None,
    gebruikersnaam: str,
    rol: str,
    medewerker_id: str | None,
    password: str | None,
    *,
    demo: bool = False,
) -> None:
    """Create an account; password None makes it a single-sign-on-only account."""
    gebruikersnaam = gebruikersnaam.strip()
    if not gebruikersnaam:
        raise UserError("een gebruikersnaam is verplicht")
    if rol not in ROLES:
        raise UserError(f"onbekende rol {rol!r}; kies uit {', '.join(ROLES)}")
    if rol in NEEDS_MEDEWERKER and not medewerker_id:
        raise UserError(f"de rol {rol} heeft een medewerker nodig (--medewerker)")
    if password is not None and not demo:
        check_password(password)
    with _migrated_engine(url) as engine, engine.begin() as conn:
        exists = conn.execute(
            sa.select(gebruikers.c.gebruikersnaam).where(
                gebruikers.c.gebruikersnaam == gebruikersnaam
            )
        ).first()
        if exists:
            raise UserError(f"gebruiker {gebruikersnaam!r} bestaat al")
        conn.execute(
            gebruikers.insert().values(
                gebruikersnaam=gebruikersnaam,
                medewerker_id=medewerker_id,
                rol=rol,
                wachtwoord_hash=hash_password(password) if password is not None else None,
                demo=demo,
                actief=True,
                aangemaakt=_now(),
                mislukte_pogingen=0,
            )
        )


def disable_user(url: str | None, gebruikersnaam: str) -> int:
    """Switch an account off: it can no longer log in, and its open sessions end and its agenda
    link is revoked in the same transaction (reden 'account uitgeschakeld'). Returns how many
    sessions ended."""
    with _migrated_engine(url) as engine, engine.begin() as conn:
        done = conn.execute(
            gebruikers.update()
            .where(gebruikers.c.gebruikersnaam == gebruikersnaam)
            .values(actief=False)
        )
        if done.rowcount == 0:
            raise UserError(f"gebruiker {gebruikersnaam!r} bestaat niet")
        ended = conn.execute(
            sessies.update()
            .where(sessies.c.gebruikersnaam == gebruikersnaam, sessies.c.beeindigd.is_(None))
            .values(beeindigd=_now(), reden=DISABLED)
        )
        conn.execute(
            agenda_tokens.update()
            .where(
                agenda_tokens.c.gebruikersnaam == gebruikersnaam,
                agenda_tokens.c.ingetrokken.is_(None),
            )
            .values(ingetrokken=_now(), reden=DISABLED)
        )
        return ended.rowcount


def list_users(url: str | None) -> list[Account]:
    with _migrated_engine(url) as engine, engine.connect() as conn:
        rows = conn.execute(sa.select(gebruikers).order_by(gebruikers.c.gebruikersnaam))
        return [
            Account(r.gebruikersnaam, r.rol, r.medewerker_id, r.actief, r.demo, r.laatst_ingelogd)
            for r in rows
        ]


def _in_service(day: dt.date):
    m = medewerkers.c
    return (m.in_dienst <= day) & ((m.uit_dienst.is_(None)) | (m.uit_dienst > day))


def _first(conn: sa.Connection, day: dt.date, *where) -> sa.Row | None:
    query = (
        sa.select(medewerkers)
        .where(_in_service(day), *where)
        .order_by(medewerkers.c.medewerker_id)
        .limit(1)
    )
    return conn.execute(query).first()


def _busiest_worker(conn: sa.Connection, day: dt.date) -> sa.Row | None:
    """The caseload worker in a regular team holding the most active measures on `day`."""
    m, t = maatregelen.c, toewijzingen.c
    holding = (
        sa.select(t.medewerker_id, sa.func.count().label("actief"))
        .join(maatregelen, m.maatregel_id == t.maatregel_id)
        .where(
            t.rol == "jeugdzorgwerker",
            t.vanaf <= day,
            (t.tot.is_(None)) | (t.tot > day),
            m.start <= day,
            (m.einde.is_(None)) | (m.einde > day),
        )
        .group_by(t.medewerker_id)
        .subquery()
    )
    query = (
        sa.select(medewerkers)
        .join(holding, holding.c.medewerker_id == medewerkers.c.medewerker_id)
        .join(teams, teams.c.team_id == medewerkers.c.team_id)
        .where(
            _in_service(day),
            medewerkers.c.functie.in_(CASELOAD_FUNCTIES),
            teams.c.soort == "regulier",
        )
        .order_by(holding.c.actief.desc(), medewerkers.c.medewerker_id)
        .limit(1)
    )
    return conn.execute(query).first()


def pick_demo_people(conn: sa.Connection, day: dt.date) -> dict[str, str | None]:
    """Role -> medewerker_id: the busiest jeugdzorgwerker of a regular team, their
    praktijkbegeleider, a gedragswetenschapper and teammanager of that team, a manager."""
    worker = _busiest_worker(conn, day)
    team = worker.team_id if worker else None
    begeleider = None
    if worker is not None and worker.begeleider_id:
        begeleider = _first(conn, day, medewerkers.c.medewerker_id == worker.begeleider_id)
    begeleider = begeleider or _first(conn, day, medewerkers.c.functie == "praktijkbegeleider")
    picked: dict[str, sa.Row | None] = {"jeugdzorgwerker": worker, "praktijkbegeleider": begeleider}
    for rol in ("gedragswetenschapper", "teammanager"):
        picked[rol] = _first(
            conn, day, medewerkers.c.functie == rol, medewerkers.c.team_id == team
        ) or _first(conn, day, medewerkers.c.functie == rol)
    picked["manager"] = _first(conn, day, medewerkers.c.functie == "manager")
    people = {rol: row.medewerker_id for rol, row in picked.items() if row is not None}
    people["manager"] = people.get("manager")
    people["beheerder"] = None
    return {rol: people[rol] for rol in ROLES if rol in people}


def create_demo_accounts(url: str | None, export_date: dt.date) -> dict[str, str | None]:
    """Replace the demo accounts (`demo-<rol>`, password DEMO_PASSWORD) with one per role,
    linked to people of the loaded data; the app accepts them only in demo mode. Refused
    (UserError) once a real export was loaded: demo accounts never open real data."""
    with _migrated_engine(url) as engine:
        with engine.begin() as conn:
            if conn.execute(sa.select(real_load_exists())).scalar():
                raise UserError(
                    "deze database bevat een echte export; demo-accounts kunnen daar niet bestaan"
                )
            people = pick_demo_people(conn, export_date)
            conn.execute(gebruikers.delete().where(gebruikers.c.demo.is_(True)))
            demo_hash = hash_password(DEMO_PASSWORD)
            conn.execute(
                gebruikers.insert(),
                [
                    {
                        "gebruikersnaam": f"demo-{rol}",
                        "medewerker_id": mid,
                        "rol": rol,
                        "wachtwoord_hash": demo_hash,
                        "demo": True,
                        "actief": True,
                        "aangemaakt": _now(),
                        "mislukte_pogingen": 0,
                    }
                    for rol, mid in people.items()
                ],
            )
        return people


def demo_accounts_for_latest_load(url: str | None) -> dict[str, str | None]:
    """The demo accounts for the people of the latest load that changed the data."""
    with _migrated_engine(url) as engine, engine.connect() as conn:
        run = latest_load(conn)
    if run is None:
        raise UserError("er is nog geen export geladen")
    return create_demo_accounts(url, run.export_date)


def register_cli(sub, db_help: str) -> None:
    """The `users` command of `python -m etl`."""
    users = sub.add_parser("users", help="accounts van het dashboard beheren")
    actions = users.add_subparsers(required=True, metavar="ACTIE")
    add = actions.add_parser("add", help="een account aanmaken")
    add.add_argument("gebruikersnaam", metavar="GEBRUIKERSNAAM")
    add.add_argument("--rol", required=True, choices=ROLES, help="de rol in het dashboard")
    add.add_argument("--medewerker", help="medewerker_id uit de export (niet voor beheerder)")
    add.add_argument(
        "--wachtwoord-stdin",
        action="store_true",
        help="het wachtwoord van de eerste regel van stdin lezen (anders: twee keer vragen)",
    )
    add.add_argument(
        "--alleen-sso", action="store_true", help="geen wachtwoord: alleen via single sign-on"
    )
    add.add_argument("--db", help=db_help)
    add.set_defaults(command=_cli_add)
    disable = actions.add_parser("disable", help="een account uitschakelen")
    disable.add_argument("gebruikersnaam", metavar="GEBRUIKERSNAAM")
    disable.add_argument("--db", help=db_help)
    disable.set_defaults(command=_cli_disable)
    listing = actions.add_parser("list", help="alle accounts tonen")
    listing.add_argument("--db", help=db_help)
    listing.set_defaults(command=_cli_list)
    demo = actions.add_parser(
        "demo", help="de demo-accounts (opnieuw) maken bij de laatst geladen export"
    )
    demo.add_argument("--db", help=db_help)
    demo.set_defaults(command=_cli_demo)


def _reports_database_errors(command: Callable[..., int]) -> Callable[..., int]:
    """One Dutch line and exit 1 on a database error, instead of a traceback that prints the
    statement's parameters (a password hash among them)."""

    @functools.wraps(command)
    def run(args) -> int:
        try:
            return command(args)
        except SQLAlchemyError as exc:
            gist = first_line(getattr(exc, "orig", None) or exc)
            print(f"Mislukt, er is niets veranderd: de database gaf een fout ({gist}).",
                  file=sys.stderr)  # fmt: skip
            return 1

    return run


def _read_password(args) -> str | None:
    if args.alleen_sso:
        return None
    if args.wachtwoord_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != first:
        raise UserError("de wachtwoorden zijn niet gelijk")
    return first


@_reports_database_errors
def _cli_add(args) -> int:
    try:
        add_user(args.db, args.gebruikersnaam, args.rol, args.medewerker, _read_password(args))
    except UserError as exc:
        print(f"Niet aangemaakt: {exc}", file=sys.stderr)
        return 1
    print(f"Gebruiker {args.gebruikersnaam} ({args.rol}) is aangemaakt.")
    return 0


@_reports_database_errors
def _cli_disable(args) -> int:
    try:
        ended = disable_user(args.db, args.gebruikersnaam)
    except UserError as exc:
        print(f"Niet uitgeschakeld: {exc}", file=sys.stderr)
        return 1
    print(f"Gebruiker {args.gebruikersnaam} is uitgeschakeld; {ended} open sessie(s) beëindigd.")
    return 0


@_reports_database_errors
def _cli_demo(args) -> int:
    try:
        people = demo_accounts_for_latest_load(args.db)
    except UserError as exc:
        print(f"Geen demo-accounts gemaakt: {exc}", file=sys.stderr)
        return 1
    print_demo_accounts(people)
    return 0


def print_demo_accounts(people: dict[str, str | None]) -> None:
    """Tell which demo accounts exist and how to log in with them."""
    names = ", ".join(f"demo-{rol}" for rol in people)
    print(f"Demo-accounts (wachtwoord '{DEMO_PASSWORD}', alleen in demomodus): {names}")


@_reports_database_errors
def _cli_list(args) -> int:
    accounts = list_users(args.db)
    if not accounts:
        print("Er zijn nog geen accounts.")
    for a in accounts:
        status = "actief" if a.actief else "uitgeschakeld"
        extra = ", demo" if a.demo else ""
        last = a.laatst_ingelogd.strftime("%d-%m-%Y %H:%M") if a.laatst_ingelogd else "nooit"
        print(
            f"{a.gebruikersnaam:<24} {a.rol:<21} medewerker {a.medewerker_id or '-':<10} "
            f"{status}{extra}, laatst ingelogd {last}"
        )
    return 0
