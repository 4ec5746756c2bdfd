"""The agenda feed's tokens and items: stored hashed, one active per account, revoked on
renewal and when the account is disabled; the items are the worklist's and the open afspraken
of that worker alone, on the JBN demo."""

import datetime as dt
import hashlib

import polars as pl
import pytest
import sqlalchemy as sa

from etl.gebruikers import add_user, create_demo_accounts, disable_user
from etl.loader import load_source
from queries import agenda
from queries.afspraken import lees_afspraken
from queries.audit import audit_log
from queries.config import load_config
from queries.gebruikers import Account
from queries.scope import Viewer
from queries.snapshot import load_snapshot
from queries.termijnen import werklijst
from store.engine import make_engine
from store.schema import afspraken, agenda_tokens, gesprekken

NOW = dt.datetime(2026, 3, 4, 8, 0)
SANNE = Account("sanne", "jeugdzorgwerker", "1001")


@pytest.fixture
def engine(db_url):
    add_user(db_url, "sanne", "jeugdzorgwerker", "1001", "een-lang-wachtwoord")
    add_user(db_url, "beheer", "beheerder", None, "een-lang-wachtwoord")
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _rows(engine) -> list[dict]:
    with engine.connect() as conn:
        query = sa.select(agenda_tokens).order_by(agenda_tokens.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def _agenda_events(engine) -> list[tuple]:
    log = audit_log(engine, Viewer("beheerder")).sort("id")
    log = log.filter(pl.col("onderwerp") == agenda.ONDERWERP)
    return log.select("gebruikersnaam", "actie", "details").rows()


def test_the_token_is_stored_only_as_its_sha256(engine):
    token = agenda.nieuw(engine, SANNE, now=NOW)
    assert len(token) >= 43
    [row] = _rows(engine)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in row.values()}
    assert (row["gebruikersnaam"], row["medewerker_id"]) == ("sanne", "1001")
    check = agenda.check(engine, token, demo_mode=False)
    assert (check.account, check.medewerker_id) == (SANNE, "1001")
    assert agenda.actief_sinds(engine, "sanne") == NOW


def test_a_new_token_revokes_the_previous_one_and_both_are_audited(engine):
    first = agenda.nieuw(engine, SANNE, now=NOW)
    second = agenda.nieuw(engine, SANNE, now=NOW + dt.timedelta(minutes=1))
    assert first != second
    old = agenda.check(engine, first, demo_mode=False)
    assert old.account is None and old.gebruikersnaam == "sanne"
    assert agenda.VERNIEUWD in (old.reden or "")
    assert agenda.check(engine, second, demo_mode=False).account == SANNE
    assert [r["ingetrokken"] is None for r in _rows(engine)] == [False, True]
    assert _agenda_events(engine) == [
        ("sanne", "agenda", "aangemaakt"),
        ("sanne", "agenda", "vernieuwd (vorige link ingetrokken)"),
    ]


def test_revoking_ends_the_token_and_a_second_revoke_finds_none(engine):
    token = agenda.nieuw(engine, SANNE, now=NOW)
    assert agenda.intrekken(engine, SANNE, now=NOW) is True
    assert agenda.intrekken(engine, SANNE, now=NOW) is False
    assert agenda.check(engine, token, demo_mode=False).account is None
    assert agenda.actief_sinds(engine, "sanne") is None
    assert _agenda_events(engine)[-1] == ("sanne", "agenda", "ingetrokken")


def test_disabling_the_account_revokes_its_token(engine, db_url):
    token = agenda.nieuw(engine, SANNE, now=NOW)
    disable_user(db_url, "sanne")
    check = agenda.check(engine, token, demo_mode=False)
    assert check.account is None
    assert check.reden == f"agenda-token ingetrokken ({agenda.UITGESCHAKELD})"
    assert _rows(engine)[0]["reden"] == agenda.UITGESCHAKELD


def test_an_account_switched_off_behind_the_commands_back_is_refused_at_the_fetch(engine):
    token = agenda.nieuw(engine, SANNE, now=NOW)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE gebruikers SET actief = false WHERE gebruikersnaam = 'sanne'"))
    assert agenda.check(engine, token, demo_mode=False).account is None
    assert _rows(engine)[0]["reden"] == agenda.UITGESCHAKELD


def test_a_token_of_an_account_linked_to_another_medewerker_is_refused(engine):
    token = agenda.nieuw(engine, SANNE, now=NOW)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE gebruikers SET medewerker_id = '1002' WHERE gebruikersnaam = 'sanne'")
        )
    assert agenda.check(engine, token, demo_mode=False).account is None
    assert _rows(engine)[0]["reden"] == agenda.ANDERE_MEDEWERKER


def test_an_unknown_token_names_no_account(engine):
    agenda.nieuw(engine, SANNE, now=NOW)
    check = agenda.check(engine, "geraden", demo_mode=False)
    assert (check.account, check.gebruikersnaam, check.reden) == (None, None, agenda.ONBEKEND)


def test_an_account_without_a_medewerker_gets_no_token_and_the_refusal_is_audited(engine):
    with pytest.raises(agenda.AgendaGeweigerd):
        agenda.nieuw(engine, Account("beheer", "beheerder"), now=NOW)
    assert _rows(engine) == []
    assert _agenda_events(engine)[-1][:2] == ("beheer", "geweigerd")


@pytest.fixture(scope="module")
def jbn(tmp_path_factory, jbn_export):
    """The JBN demo with its demo accounts and a talk with afspraken of two workers."""
    url = f"sqlite:///{tmp_path_factory.mktemp('agenda') / 'jbn.sqlite'}"
    source, export_date = jbn_export
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    create_demo_accounts(url, export_date)
    engine = make_engine(url)
    yield engine, load_snapshot(engine)
    engine.dispose()


def _worker(engine) -> str:
    with engine.connect() as conn:
        query = "SELECT medewerker_id FROM gebruikers WHERE gebruikersnaam = 'demo-jeugdzorgwerker'"
        return conn.execute(sa.text(query)).scalar_one()


def _other_worker(snap, day, config, worker: str) -> str:
    """Another jeugdzorgwerker with open deadlines on day."""
    everyone = werklijst(snap, Viewer("manager"), day, config)
    others = everyone.filter(pl.col("medewerker_id") != worker)["medewerker_id"]
    return others.sort()[0]


def _afspraken(engine, day: dt.date, owners: dict[str, list[tuple]]) -> None:
    """One talk per owner on day - 7 with their afspraken (maatregel_id, deadline offset,
    done offset or None)."""
    with engine.begin() as conn:
        for owner, items in owners.items():
            talk = conn.execute(
                sa.insert(gesprekken)
                .values(
                    medewerker_id=owner, datum=day - dt.timedelta(days=7),
                    vastgelegd_door="demo-praktijkbegeleider", tijdstip=NOW,
                )
                .returning(gesprekken.c.id)
            ).scalar_one()  # fmt: skip
            for maatregel, due, done in items:
                conn.execute(
                    sa.insert(afspraken).values(
                        gesprek_id=talk, medewerker_id=owner, maatregel_id=maatregel,
                        omschrijving="vrije tekst", deadline=day + dt.timedelta(days=due),
                        afgerond_op=None if done is None else day + dt.timedelta(days=done),
                        tijdstip=NOW,
                    )
                )  # fmt: skip


def test_the_items_are_the_workers_worklist_and_open_afspraken_and_nothing_else(jbn):
    engine, snap = jbn
    config, day = load_config(), snap.export_date
    worker = _worker(engine)
    other = _other_worker(snap, day, config, worker)
    own = werklijst(snap, Viewer("jeugdzorgwerker", worker), day, config)
    theirs = werklijst(snap, Viewer("jeugdzorgwerker", other), day, config)
    assert own.height > 0 and theirs.height > 0
    measure = own["maatregel_id"][0]
    _afspraken(
        engine,
        day,
        {
            # open, verlopen, done before day (gone), done after day (still to do on day)
            worker: [(measure, 3, None), (None, -2, None), (measure, 5, -1), (None, 9, 2)],
            other: [(theirs["maatregel_id"][0], 1, None)],
        },
    )
    got = agenda.feed_items(engine, snap, worker, day, config)

    deadlines = got.filter(pl.col("soort") == "termijn")
    expected = own.select("maatregel_id", pl.col("norm").cast(pl.String), "deadline", "status")
    assert sorted(deadlines.select("maatregel_id", "norm", "datum", "status").rows()) == sorted(
        expected.rows()
    )
    assert set(deadlines["status"]) <= {"open", "verlopen"}
    assert deadlines["uid"].n_unique() == deadlines.height

    todo = got.filter(pl.col("soort") == "afspraak")
    assert sorted(todo["datum"].to_list()) == [day + dt.timedelta(days=d) for d in (-2, 3, 9)]
    stored = lees_afspraken(engine, [worker])
    assert set(todo["uid"]) <= {f"afspraak-{i}" for i in stored["afspraak_id"]}

    # Another worker's measures and afspraken never appear, unless both hold the measure.
    shared = set(own["maatregel_id"]) & set(theirs["maatregel_id"])
    assert not (set(got["maatregel_id"].drop_nulls()) - set(own["maatregel_id"]))
    assert set(theirs["maatregel_id"]) - shared
    assert (set(theirs["maatregel_id"]) - shared).isdisjoint(set(got["maatregel_id"]))
    # Stable: the same day gives the same items.
    assert agenda.feed_items(engine, snap, worker, day, config).equals(got)
