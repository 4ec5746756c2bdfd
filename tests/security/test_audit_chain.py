"""The audit log is tamper-evident: whoever can switch its triggers off (a superuser, the owner
of the file) can still not change, remove or re-sign a row without `python -m etl audit verify`
naming it; eight workers writing at once leave one chain."""

import multiprocessing

import pytest
import sqlalchemy as sa

from etl.__main__ import main
from etl.migrations import upgrade
from queries import audit
from queries.gebruikers import Account
from store import auditketen
from store.engine import make_engine

KEY = "de-echte-auditsleutel"
SANNE = Account("sanne", "jeugdzorgwerker", "1001")


@pytest.fixture
def url(db_url, monkeypatch):
    monkeypatch.setenv(auditketen.KEY_ENV, KEY)
    monkeypatch.delenv(auditketen.OLD_KEYS_ENV, raising=False)
    upgrade(db_url)
    return db_url


def _write(url: str, n: int) -> None:
    engine = make_engine(url)
    try:
        for i in range(n):
            audit.record(engine, SANNE, "medewerker_bekeken", f"{1000 + i}")
    finally:
        engine.dispose()


def verify(url: str, capsys) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", url])
    out = capsys.readouterr()
    return code, out.out + out.err


def _as_superuser(url: str, *statements: str) -> None:
    """What someone with full rights over the database does: triggers off, then tamper."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
            else:
                for name in ("no_update", "no_delete", "no_replace"):
                    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_log_{name}")
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def _rows(url: str) -> list[dict]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT * FROM audit_log ORDER BY id")
            return [dict(r) for r in conn.execute(query).mappings()]
    finally:
        engine.dispose()


def test_an_untouched_log_is_reported_intact(url, capsys):
    _write(url, 5)
    assert verify(url, capsys) == (0, "keten intact, 5 regels (laatste regel 5)\n")


def test_a_changed_row_is_found(url, capsys):
    _write(url, 5)
    _as_superuser(url, "UPDATE audit_log SET onderwerp = '9999' WHERE id = 3")
    code, out = verify(url, capsys)
    assert code == 1
    assert out.startswith("keten gebroken bij regel 3: de hmac klopt niet")


def test_a_deleted_row_is_found_at_the_row_after_it(url, capsys):
    _write(url, 5)
    _as_superuser(url, "DELETE FROM audit_log WHERE id = 3")
    code, out = verify(url, capsys)
    assert code == 1
    assert out.startswith("keten gebroken bij regel 4: de hmac klopt niet")


@pytest.mark.parametrize("copy_key_id", [False, True])
def test_a_chain_recomputed_without_the_key_is_found(url, capsys, copy_key_id):
    """The attacker changes row 3 and re-signs it and every row after it with a key of his
    own, with his key's id or with the real key's id copied in front."""
    _write(url, 5)
    rows = _rows(url)
    fake = b"geraden-sleutel"
    rows[2]["onderwerp"] = "9999"
    previous = rows[1]["hmac"]
    statements = []
    for row in rows[2:]:
        mac = auditketen.sign(row, previous, fake)
        if copy_key_id:
            mac = rows[0]["hmac"].split(":")[0] + ":" + mac.split(":")[1]
        previous = mac
        statements.append(
            f"UPDATE audit_log SET onderwerp = '{row['onderwerp']}', hmac = '{mac}' "
            f"WHERE id = {row['id']}"
        )
    _as_superuser(url, *statements)
    code, out = verify(url, capsys)
    assert code == 1
    expected = "de hmac klopt niet" if copy_key_id else "getekend met een onbekende sleutel"
    assert out.startswith(f"keten gebroken bij regel 3: {expected}")


def test_unsigned_rows_before_the_chain_are_legacy_but_after_it_broken(url, capsys):
    insert = (
        "INSERT INTO audit_log (tijdstip, actie, onderwerp) "
        "VALUES ('2026-01-05 09:00:00', 'pagina', '/oud')"
    )
    _as_superuser(url, insert, insert)
    _write(url, 3)
    code, out = verify(url, capsys)
    assert code == 0
    assert out == (
        "keten intact, 3 regels (laatste regel 5); daarvóór 2 oudere regels zonder keten "
        "(van vóór de keten, niet te controleren)\n"
    )
    _as_superuser(url, insert)
    code, out = verify(url, capsys)
    assert code == 1
    assert out.startswith("keten gebroken bij regel 6: de regel heeft geen hmac")


def test_a_rotated_key_verifies_with_the_old_key_named(url, capsys, monkeypatch):
    _write(url, 2)
    monkeypatch.setenv(auditketen.KEY_ENV, "de-nieuwe-sleutel")
    _write(url, 2)
    code, out = verify(url, capsys)
    assert code == 1 and out.startswith("keten gebroken bij regel 1: getekend met een onbekende")
    monkeypatch.setenv(auditketen.OLD_KEYS_ENV, KEY)
    assert verify(url, capsys) == (0, "keten intact, 4 regels (laatste regel 4)\n")


def test_without_any_key_the_log_is_not_checkable(url, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv(auditketen.KEY_ENV)
    monkeypatch.setattr(auditketen, "KEY_FILE", tmp_path / "audit_key")
    code, out = verify(url, capsys)
    assert code == 1 and "Niet te controleren: geen auditsleutel" in out


def _worker(url: str, ready, n: int) -> None:
    ready.wait()
    _write(url, n)


def test_eight_workers_writing_at_once_leave_one_chain(url, capsys):
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(9)
    workers = [context.Process(target=_worker, args=(url, ready, 30)) for _ in range(8)]
    for worker in workers:
        worker.start()
    ready.wait(timeout=120)
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert verify(url, capsys) == (0, "keten intact, 240 regels (laatste regel 240)\n")
    assert len({row["hmac"] for row in _rows(url)}) == 240
