"""`python -m etl users add|disable|list` and the demo accounts the demo loader creates."""

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from dashboard.session import DEMO_PASSWORD as APP_DEMO_PASSWORD
from etl.__main__ import main
from etl.gebruikers import DEMO_PASSWORD, create_demo_accounts
from etl.loader import load_source
from etl.migrations import upgrade
from queries import agenda
from queries.gebruikers import Account
from store.engine import make_engine
from tests.frames import SAMPLE_EXPORT


def rows(url: str) -> dict[str, dict]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.text("SELECT * FROM gebruikers")).mappings().all()
    finally:
        engine.dispose()
    return {r["gebruikersnaam"]: dict(r) for r in found}


def run(monkeypatch, *args, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(args))


def test_add_list_and_disable(db_url, monkeypatch, capsys):
    code = run(
        monkeypatch, "users", "add", "sanne", "--rol", "jeugdzorgwerker", "--medewerker", "1001",
        "--wachtwoord-stdin", "--db", db_url, stdin="lang-genoeg-wachtwoord\n",
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert run(monkeypatch, "users", "add", "beheer", "--rol", "beheerder", "--db", db_url,
               stdin="ook-lang-genoeg\n") == 0  # fmt: skip
    stored = rows(db_url)
    assert stored["sanne"]["rol"] == "jeugdzorgwerker" and stored["sanne"]["actief"]
    assert stored["beheer"]["medewerker_id"] is None
    assert stored["sanne"]["wachtwoord_hash"].startswith("$argon2id$")
    assert PasswordHasher().verify(stored["sanne"]["wachtwoord_hash"], "lang-genoeg-wachtwoord")
    capsys.readouterr()
    assert run(monkeypatch, "users", "list", "--db", db_url) == 0
    listing = capsys.readouterr().out
    assert "sanne" in listing and "actief" in listing and "lang-genoeg" not in listing
    assert run(monkeypatch, "users", "disable", "sanne", "--db", db_url) == 0
    assert not rows(db_url)["sanne"]["actief"]
    assert run(monkeypatch, "users", "disable", "niemand", "--db", db_url) == 1


def test_disable_revokes_the_accounts_agenda_link_and_no_other(db_url, monkeypatch):
    for name, medewerker in (("sanne", "1001"), ("petra", "1003")):
        assert run(monkeypatch, "users", "add", name, "--rol", "jeugdzorgwerker", "--medewerker",
                   medewerker, "--wachtwoord-stdin", "--db", db_url,
                   stdin="lang-genoeg-wachtwoord\n") == 0  # fmt: skip
    engine = make_engine(db_url)
    try:
        tokens = {n: agenda.nieuw(engine, Account(n, "jeugdzorgwerker", m))
                  for n, m in (("sanne", "1001"), ("petra", "1003"))}  # fmt: skip
        assert run(monkeypatch, "users", "disable", "sanne", "--db", db_url) == 0
        with engine.connect() as conn:
            query = "SELECT gebruikersnaam, reden FROM agenda_tokens ORDER BY gebruikersnaam"
            assert conn.execute(sa.text(query)).all() == [
                ("petra", None),
                ("sanne", agenda.UITGESCHAKELD),
            ]
        # An account switched on again does not bring its old link back.
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE gebruikers SET actief = true"))
        assert agenda.check(engine, tokens["sanne"], demo_mode=False).account is None
        assert agenda.check(engine, tokens["petra"], demo_mode=False).account is not None
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x", "--rol", "teammanager"], "lang-genoeg-1\n", "heeft een medewerker nodig"),
        (["x", "--rol", "beheerder"], "12345678\n", "minstens 12 tekens"),
        (["x", "--rol", "beheerder"], "Qwerty123456\n", "een van de 10.000 meest gebruikte"),
        (["sanne", "--rol", "beheerder"], "lang-genoeg-1\n", "bestaat al"),
    ],
)
def test_add_refuses_what_would_make_a_bad_account(sqlite_url, monkeypatch, capsys, args, stdin,
                                                  message):  # fmt: skip
    assert run(monkeypatch, "users", "add", "sanne", "--rol", "beheerder", "--db", sqlite_url,
               stdin="lang-genoeg-1\n") == 0  # fmt: skip
    capsys.readouterr()
    assert run(monkeypatch, "users", "add", *args, "--db", sqlite_url, stdin=stdin) == 1
    assert message in capsys.readouterr().err
    assert set(rows(sqlite_url)) == {"sanne"}


def test_an_unknown_role_is_a_usage_error(sqlite_url, monkeypatch):
    with pytest.raises(SystemExit) as exit_:
        run(monkeypatch, "users", "add", "x", "--rol", "koning", "--db", sqlite_url)
    assert exit_.value.code == 1


def test_on_a_terminal_the_password_is_asked_twice(sqlite_url, monkeypatch, capsys):
    upgrade(sqlite_url)
    answers = iter(["eerste-wachtwoord", "tweede-wachtwoord"])

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert main(["users", "add", "x", "--rol", "beheerder", "--db", sqlite_url]) == 1
    assert "niet gelijk" in capsys.readouterr().err
    assert rows(sqlite_url) == {}


def test_demo_accounts_one_per_role_replaced_on_every_demo_load(sqlite_url):
    load_source(SAMPLE_EXPORT, sqlite_url, dt.date(2025, 11, 1), False, force=True, demo=True)
    people = create_demo_accounts(sqlite_url, dt.date(2025, 11, 1))
    # The sample has no teammanager, gedragswetenschapper or manager in its staff list.
    assert people == {"jeugdzorgwerker": "1001", "praktijkbegeleider": "2001",
                      "manager": None, "beheerder": None}  # fmt: skip
    create_demo_accounts(sqlite_url, dt.date(2025, 11, 1))
    stored = rows(sqlite_url)
    assert set(stored) == {f"demo-{rol}" for rol in people}
    assert all(r["demo"] for r in stored.values())
    demo_hash = stored["demo-manager"]["wachtwoord_hash"]
    assert PasswordHasher().verify(demo_hash, DEMO_PASSWORD)
    assert DEMO_PASSWORD == APP_DEMO_PASSWORD


def test_users_demo_makes_the_demo_accounts_for_the_latest_load(sqlite_url, monkeypatch, capsys):
    assert run(monkeypatch, "users", "demo", "--db", sqlite_url) == 1
    assert "nog geen export geladen" in capsys.readouterr().err
    load_source(SAMPLE_EXPORT, sqlite_url, dt.date(2025, 11, 1), False, force=True, demo=True)
    assert run(monkeypatch, "users", "demo", "--db", sqlite_url) == 0
    assert rows(sqlite_url)["demo-jeugdzorgwerker"]["medewerker_id"] == "1001"
