"""The audit trail: who looked at what and when. Appending is one INSERT; reading is for the
functioneel beheerder only. The database refuses UPDATE and DELETE on the table.

Each row is chained: its `hmac` is HMAC-SHA256, keyed outside the database, over its content
and the previous row's hmac, so a changed, removed or inserted row breaks the chain even for
whoever can switch the triggers off (`python -m etl audit verify` finds the break). Rows are
appended under a lock, so concurrent workers never fork the chain.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from queries.scope import Viewer
from queries.toegang import Account, utcnow

log = logging.getLogger(__name__)

ACTIES = (
    "login",
    "login_mislukt",
    "logout",
    "pagina",
    "medewerker_bekeken",
    "maatregel_bekeken",
    "export",
    "geweigerd",
)

KEY_ENV = "CASELOAD_AUDIT_KEY"
# Keys that signed older rows, comma-separated: after a rotation verify still knows them.
OLD_KEYS_ENV = "CASELOAD_AUDIT_KEYS_OUD"
KEY_FILE = Path(__file__).resolve().parent.parent / "data" / "audit_key"
# Not the loader's lock: an audit row must never wait for a load on PostgreSQL.
LOCK_KEY = 7_406_222
# Texts come from requests: a forged 60 KB path must not fill the log.
MAX_TEXT = 256

_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("tijdstip", sa.DateTime),
    sa.column("gebruikersnaam", sa.String),
    sa.column("rol", sa.String),
    sa.column("medewerker_id", sa.String),
    sa.column("actie", sa.String),
    sa.column("onderwerp", sa.Text),
    sa.column("details", sa.Text),
    sa.column("aantal", sa.Integer),
    sa.column("hmac", sa.String),
)
# The signed columns, in the order the MAC covers them.
SIGNED = ("id", "tijdstip", "gebruikersnaam", "rol", "medewerker_id", "actie", "onderwerp",
          "details", "aantal")  # fmt: skip

SCHEMA = {
    "id": pl.Int64,
    "tijdstip": pl.Datetime("us"),
    "gebruikersnaam": pl.String,
    "rol": pl.String,
    "medewerker_id": pl.String,
    "actie": pl.String,
    "onderwerp": pl.String,
    "details": pl.String,
    "aantal": pl.Int64,
}
_warned = set()


class NoKeyError(RuntimeError):
    """No audit key is set and none was ever made on this machine."""


def audit_key(create: bool = True) -> bytes:
    """CASELOAD_AUDIT_KEY, else a random key kept in data/audit_key (made on first use when
    `create`), so that every worker of this machine signs alike. Production sets the variable:
    a key in the data folder can be read by whoever can read the database file."""
    key = os.environ.get(KEY_ENV)
    if key:
        return key.encode()
    if not KEY_FILE.exists():
        if not create:
            raise NoKeyError(
                f"geen auditsleutel: {KEY_ENV} is niet gezet en {KEY_FILE} bestaat niet"
            )
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        draft = KEY_FILE.with_name(f"audit_key.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            # link() creates the name only if absent: the first worker's key wins, whole.
            os.link(draft, KEY_FILE)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    if KEY_FILE not in _warned:
        _warned.add(KEY_FILE)
        log.warning("%s is niet gezet: de auditlog wordt getekend met %s", KEY_ENV, KEY_FILE)
    return KEY_FILE.read_text().strip().encode()


def known_keys() -> dict[str, bytes]:
    """Key id -> key for the current key and the old ones, for verifying."""
    keys = [audit_key(create=False)]
    keys += [k.strip().encode() for k in os.environ.get(OLD_KEYS_ENV, "").split(",") if k.strip()]
    return {key_id(k): k for k in keys}


def key_id(key: bytes) -> str:
    """A short public name of a key, stored with each hmac so a rotation is recognised."""
    return hashlib.sha256(b"caseload-auditsleutel:" + key).hexdigest()[:8]


def _text(value):
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    return value


def sign(row: dict, previous: str | None, key: bytes) -> str:
    """'<key id>:<hex>' over the row's signed columns and the previous row's hmac."""
    content = [previous or "", *(_text(row.get(name)) for name in SIGNED)]
    message = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return f"{key_id(key)}:{hmac.new(key, message, hashlib.sha256).hexdigest()}"


class Clipped(str):
    """A text clip() made: clipping it again keeps it, length note and all."""


def clip(value: str | None, limit: int = MAX_TEXT) -> str | None:
    """At most `limit` characters and the full length; never a NUL, which PostgreSQL refuses
    (so a path with %00 in it cannot dodge the log)."""
    if value is None or isinstance(value, Clipped):
        return value
    value = value.replace("\x00", "\ufffd")
    if len(value) > limit:
        value = f"{value[:limit]}…({len(value):,} tekens)".replace(",", ".")
    return Clipped(value)


def _who(actor: Account | Viewer | str | None) -> dict:
    if isinstance(actor, Account):
        return {"gebruikersnaam": actor.gebruikersnaam, "rol": actor.rol,
                "medewerker_id": actor.medewerker_id}  # fmt: skip
    if isinstance(actor, Viewer):
        return {"gebruikersnaam": None, "rol": actor.role, "medewerker_id": actor.medewerker_id}
    return {"gebruikersnaam": actor, "rol": None, "medewerker_id": None}


def record(
    engine: sa.Engine,
    actor: Account | Viewer | str | None,
    actie: str,
    onderwerp: str | None = None,
    details: str | None = None,
    *,
    at: dt.datetime | None = None,
    aantal: int | None = None,
) -> None:
    """Append one event; actor is the account, a viewer, or just the name someone typed.
    aantal: how many alike requests this one row stands for."""
    if actie not in ACTIES:
        raise ValueError(f"onbekende actie {actie!r}")
    row = _who(actor) | {
        "tijdstip": at or utcnow(),
        "actie": actie,
        "onderwerp": clip(onderwerp),
        "details": clip(details),
        "aantal": aantal,
    }
    row["gebruikersnaam"] = clip(row["gebruikersnaam"])
    key = audit_key()
    with engine.connect() as conn:
        _append(conn, row, key)
        conn.commit()


def _append(conn: sa.Connection, row: dict, key: bytes) -> None:
    """Insert the row after the newest one, under the chain's lock until the commit."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    else:
        # pysqlite leaves BEGIN to us; IMMEDIATE takes the write lock before the read.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    last = conn.execute(
        sa.select(_log.c.id, _log.c.hmac).order_by(_log.c.id.desc()).limit(1)
    ).first()
    if postgres:
        row["id"] = conn.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")
        ).scalar_one()
    else:
        row["id"] = (last.id if last else 0) + 1
    row["hmac"] = sign(row, last.hmac if last else None, key)
    conn.execute(_log.insert().values(row))


def audit_log(
    engine: sa.Engine,
    viewer: Viewer,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50_000,
) -> pl.DataFrame:
    """Events from since (inclusive) to until (exclusive), newest first; empty for anyone
    but a beheerder."""
    if viewer.role != "beheerder":
        return pl.DataFrame(schema=SCHEMA)
    columns = [_log.c[name] for name in SCHEMA]
    query = sa.select(*columns).order_by(_log.c.tijdstip.desc(), _log.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(_log.c.tijdstip >= since)
    if until is not None:
        query = query.where(_log.c.tijdstip < until)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=SCHEMA)


def event_counts(log: pl.DataFrame) -> dict[str, int]:
    """Events in an audit_log frame, a folded row counting as its `aantal` requests."""
    weight = pl.col("aantal").fill_null(1)
    counted = log.select(
        weight.sum().alias("gebeurtenissen"),
        weight.filter(pl.col("actie") == "geweigerd").sum().alias("geweigerd"),
        weight.filter(pl.col("actie") == "login_mislukt").sum().alias("login_mislukt"),
    )
    return {name: int(value or 0) for name, value in counted.row(0, named=True).items()}
