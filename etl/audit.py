"""`python -m etl audit verify`: walk the audit log's hmac chain and name the first broken link.

Rows from before the chain (hmac empty, all before the first signed row) are counted as
unchained history, not as broken. The newest rows can be cut off without breaking a link, so
the report names the last row: compare it with the id noted at the previous check.
"""

import sys
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from etl.loader import first_line, thousands
from store.auditketen import KEY_ENV, OLD_KEYS_ENV, SIGNED, NoKeyError, known_keys, sign
from store.engine import make_engine
from store.schema import audit_log

BATCH = 5_000

_NO_HMAC = "de regel heeft geen hmac, maar de keten was al begonnen (toegevoegd of gewist)"
_UNKNOWN_KEY = (
    f"getekend met een onbekende sleutel: buiten de app om opnieuw berekend, of de sleutel "
    f"waarmee hij getekend is staat niet in {KEY_ENV} of {OLD_KEYS_ENV}"
)
_MISMATCH = (
    "de hmac klopt niet: de regel is gewijzigd, of de regel ervóór is verwijderd of vervangen"
)


@dataclass(frozen=True)
class Verdict:
    chained: int
    legacy: int
    last_id: int | None = None
    broken_id: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_id is None

    def message(self) -> str:
        if not self.intact:
            return f"keten gebroken bij regel {self.broken_id}: {self.reason}"
        text = f"keten intact, {thousands(self.chained)} regels"
        if self.last_id is not None:
            text += f" (laatste regel {self.last_id})"
        if self.legacy:
            text += (
                f"; daarvóór {thousands(self.legacy)} oudere regels zonder keten "
                "(van vóór de keten, niet te controleren)"
            )
        return text


def verify_chain(conn: sa.Connection, keys: dict[str, bytes]) -> Verdict:
    """The first broken link of the chain in id order, or the counts of an intact one."""
    columns = [audit_log.c[name] for name in (*SIGNED, "hmac")]
    rows = conn.execution_options(yield_per=BATCH).execute(
        sa.select(*columns).order_by(audit_log.c.id)
    )
    chained = legacy = 0
    previous: str | None = None
    last_id = None
    for row in rows.mappings():
        last_id = row["id"]
        stored = row["hmac"]
        if stored is None:
            if chained:
                return Verdict(chained, legacy, broken_id=row["id"], reason=_NO_HMAC)
            legacy += 1
            continue
        key = keys.get(stored.split(":", 1)[0])
        if key is None:
            return Verdict(chained, legacy, broken_id=row["id"], reason=_UNKNOWN_KEY)
        if sign(dict(row), previous, key) != stored:
            return Verdict(chained, legacy, broken_id=row["id"], reason=_MISMATCH)
        chained += 1
        previous = stored
    return Verdict(chained, legacy, last_id)


def verify(url: str | None) -> int:
    """Print the verdict in Dutch; 0 when the chain is intact, 1 when not or not checkable."""
    try:
        keys = known_keys()
    except NoKeyError as exc:
        print(f"Niet te controleren: {exc}.", file=sys.stderr)
        return 1
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(audit_log.name):
                print(
                    "Niet te controleren: deze database heeft nog geen auditlog "
                    "(eerst python -m etl migrate).",
                    file=sys.stderr,
                )
                return 1
            verdict = verify_chain(conn, keys)
    except SQLAlchemyError as exc:
        print(f"De database is niet bereikbaar: {first_line(exc)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(verdict.message())
    return 0 if verdict.intact else 1


def register_cli(sub, db_help: str) -> None:
    """The `audit` command of `python -m etl`."""
    audit = sub.add_parser("audit", help="de auditlog controleren")
    actions = audit.add_subparsers(required=True, metavar="ACTIE")
    check = actions.add_parser(
        "verify", help="de hmac-keten van de auditlog nalopen; meldt de eerste breuk"
    )
    check.add_argument("--db", help=db_help)
    check.set_defaults(command=lambda args: verify(args.db))
