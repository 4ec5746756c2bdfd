"""The app's rights on PostgreSQL, table by table, given by the ETL's role that owns the tables.

In production (docker-compose.yml) the app and the ETL log in as two roles, neither a superuser
(deploy/postgres/01-rollen.sh makes them). The ETL's role runs the migrations, so it owns every
table; `python -m etl migrate --app-rol ROL` then gives the app's role exactly what it needs
here. The app reads the loaded data, may add to the audit log but never change it (and, not
owning it, cannot switch its triggers off), and writes only its own tables. A table missing
from APP_RIGHTS is closed to the app.
"""

import sqlalchemy as sa

from store.schema import DATA_TABLES

_READ = "SELECT"
APP_RIGHTS: dict[str, str] = {
    **{table.name: _READ for table in DATA_TABLES},
    "etl_runs": _READ,
    "afgewezen_rijen": _READ,
    # What each load prepared for the queries (migration 0007), written by the load only.
    "voorbereide_data": _READ,
    # The login counters and lockout, and a rehash of an outdated password hash; never the
    # role, the link to a medewerker or whether the account is active.
    "gebruikers": "SELECT, UPDATE (mislukte_pogingen, geblokkeerd_tot, laatst_ingelogd, "
    "wachtwoord_hash)",
    "sessies": "SELECT, INSERT, UPDATE (laatst_gezien, beeindigd, reden)",
    "audit_log": "SELECT, INSERT",
    # Decisions are appended, never changed: the latest row of a measure and receiver counts.
    "besluiten": "SELECT, INSERT",
    # The follow-up (migration 0006): talks, notes and sent mail are appended; an afspraak is
    # only ever marked done, a feed token only revoked, a mail setting changed.
    "mail_instellingen": "SELECT, INSERT, UPDATE (cadans, gewijzigd_door, tijdstip)",
    "mail_verzendingen": "SELECT, INSERT",
    "agenda_tokens": "SELECT, INSERT, UPDATE (ingetrokken, reden)",
    "gesprekken": "SELECT, INSERT",
    "gesprek_notities": "SELECT, INSERT",
    "afspraken": "SELECT, INSERT, UPDATE (afgerond_op, afgerond_door)",
    "rapport_versies": "SELECT, INSERT",
}
# nextval() for the ids of the rows the app appends.
APP_SEQUENCES = {
    f"{table}_id_seq": "USAGE"
    for table in (
        "audit_log",
        "besluiten",
        "mail_verzendingen",
        "agenda_tokens",
        "gesprekken",
        "gesprek_notities",
        "afspraken",
        "rapport_versies",
    )
}


def grant_app(conn: sa.Connection, role: str) -> None:
    """Take every right on the schema's tables from `role`, then give it APP_RIGHTS; in the
    caller's transaction, so the app never sees a moment without its rights."""
    quote = conn.dialect.identifier_preparer.quote
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    if exists.first() is None:
        raise ValueError(f"de rol {role!r} bestaat niet in deze database")
    who = quote(role)
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}")
    for table, rights in APP_RIGHTS.items():
        conn.exec_driver_sql(f"GRANT {rights} ON TABLE {quote(table)} TO {who}")
    for sequence, rights in APP_SEQUENCES.items():
        conn.exec_driver_sql(f"GRANT {rights} ON SEQUENCE {quote(sequence)} TO {who}")
