"""The audit log's chain: each row's `hmac` is HMAC-SHA256, keyed outside the database, over
its content and the previous row's hmac. The app appends through append(); `python -m etl
audit verify` checks with sign() and known_keys().
"""

import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path

import sqlalchemy as sa

from store.schema import audit_log
from store.sleutels import machine_key

log = logging.getLogger(__name__)

KEY_ENV = "CASELOAD_AUDIT_KEY"
# Keys that signed older rows, comma-separated: after a rotation verify still knows them.
OLD_KEYS_ENV = "CASELOAD_AUDIT_KEYS_OUD"
KEY_FILE = Path(__file__).resolve().parent.parent / "data" / "audit_key"
# Not the loader's lock: an audit row must never wait for a load on PostgreSQL.
LOCK_KEY = 7_406_222
# The signed columns, in the order the MAC covers them.
SIGNED = ("id", "tijdstip", "gebruikersnaam", "rol", "medewerker_id", "actie", "onderwerp",
          "details", "aantal")  # fmt: skip
_warned: set[Path] = set()


class NoKeyError(RuntimeError):
    """No audit key is set and none was ever made on this machine."""


def audit_key(create: bool = True) -> bytes:
    """CASELOAD_AUDIT_KEY, else a random key kept in data/audit_key (made on first use when
    `create`), so that every worker of this machine signs alike. Production sets the variable:
    a key in the data folder can be read by whoever can read the database file."""
    key = os.environ.get(KEY_ENV)
    if key:
        return key.encode()
    if not create and not KEY_FILE.exists():
        raise NoKeyError(f"geen auditsleutel: {KEY_ENV} is niet gezet en {KEY_FILE} bestaat niet")
    key = _file_key(KEY_FILE)
    if KEY_FILE not in _warned:
        _warned.add(KEY_FILE)
        log.warning("%s is niet gezet: de auditlog wordt getekend met %s", KEY_ENV, KEY_FILE)
    return key.encode()


@functools.lru_cache(maxsize=8)
def _file_key(path: Path) -> str:
    # Every audit row is signed: read the file once per process, not once per page view.
    return machine_key(path)


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


def append(conn: sa.Connection, row: dict, key: bytes) -> None:
    """Insert the row after the newest one, under the chain's lock until the commit."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    else:
        # pysqlite leaves BEGIN to us; IMMEDIATE takes the write lock before the read.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    last = conn.execute(
        sa.select(audit_log.c.id, audit_log.c.hmac).order_by(audit_log.c.id.desc()).limit(1)
    ).first()
    if postgres:
        row["id"] = conn.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")
        ).scalar_one()
    else:
        row["id"] = (last.id if last else 0) + 1
    row["hmac"] = sign(row, last.hmac if last else None, key)
    conn.execute(audit_log.insert().values(row))
