"""The deadline mail's content and plan on the JBN demo: what each person is told, who gets a
mail on a day (werkdagen, cadans, dringend, failed sends), and the setting's rights."""

import datetime as dt
from datetime import date, timedelta

import polars as pl
import pytest
import sqlalchemy as sa

from etl.loader import load_source
from etl.migrations import upgrade
from queries.afspraken import SCHEMA as AFSPRAAK_SCHEMA
from queries.afspraken import lees_afspraken
from queries.audit import audit_log
from queries.config import load_config
from queries.digest import (
    BEGELEIDER,
    MEDEWERKER,
    MISLUKT,
    UIT,
    VERZENDING_SCHEMA,
    VERZONDEN,
    WEKELIJKS,
    Mail,
    MailInstellingGeweigerd,
    begeleider_items,
    binnenkort_grens,
    cadans_van,
    eerste_werkdag_van_week,
    lees_instellingen,
    lees_verzendingen,
    leg_verzending_vast,
    mailplan,
    werker_items,
    zet_cadans,
)
from queries.gebruikers import Account
from queries.kalender import add_werkdagen, werkdagen_between
from queries.scope import MANAGER, Viewer, holders
from queries.snapshot import load_snapshot
from queries.termijnen import termijnen
from store.engine import make_engine
from store.schema import afspraken, gesprekken

MONDAY = date(2026, 3, 2)
# A Wednesday on which some workers have a first contact or plan due within 2 werkdagen.
WEDNESDAY = date(2025, 12, 31)
AT = dt.datetime(2026, 3, 2, 6, 30)
CONFIG = load_config()
NO_SETTINGS = pl.DataFrame(schema={"medewerker_id": pl.String, "cadans": pl.String})
NO_SENDS = pl.DataFrame(schema=VERZENDING_SCHEMA)
NO_AFSPRAKEN = pl.DataFrame(schema=AFSPRAAK_SCHEMA)


@pytest.fixture(scope="module")
def jbn(tmp_path_factory, jbn_export):
    source, export_date = jbn_export
    url = f"sqlite:///{tmp_path_factory.mktemp('digest') / 'jbn.sqlite'}"
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    engine = make_engine(url)
    yield engine, load_snapshot(engine)
    engine.dispose()


@pytest.fixture
def engine(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _expected_deadlines(snap, day: date) -> pl.DataFrame:
    """Every active measure's deadlines verlopen, or open up to the binnenkort werkdag, with
    the holder on day: computed from the full deadline list, not from the worklist."""
    grens = add_werkdagen(day, CONFIG.binnenkort_werkdagen, CONFIG)
    return (
        termijnen(snap, MANAGER, day, CONFIG)
        .filter(
            pl.col("actief")
            & (
                (pl.col("status") == "verlopen")
                | ((pl.col("status") == "open") & (pl.col("deadline") <= grens))
            )
        )
        .drop("medewerker_id")
        .join(holders(snap, day).select("maatregel_id", "medewerker_id"), on="maatregel_id")
    )


def _workers(snap, day: date) -> list[str]:
    staff = snap["medewerkers"].filter(
        pl.col("functie").is_in(CONFIG.caseload_functies)
        & (pl.col("in_dienst") <= day)
        & (pl.col("uit_dienst").is_null() | (pl.col("uit_dienst") > day))
    )
    return staff["medewerker_id"].to_list()


def test_a_worker_is_told_the_deadlines_of_the_measures_they_hold(jbn):
    _, snap = jbn
    expected = _expected_deadlines(snap, MONDAY)
    seen = 0
    for person in _workers(snap, MONDAY):
        items = werker_items(snap, Viewer("jeugdzorgwerker", person), MONDAY, CONFIG, NO_AFSPRAKEN)
        got = items.filter(pl.col("soort") == "termijn")
        theirs = expected.filter(pl.col("medewerker_id") == person)
        assert sorted(got.select("maatregel_id", "norm", "datum", "status").rows()) == sorted(
            theirs.select("maatregel_id", "norm", "deadline", "status").rows()
        ), person
        seen += got.height
    assert seen > 0


def test_planned_ends_within_the_signal_weeks_are_in_the_mail(jbn):
    _, snap = jbn
    until = MONDAY + timedelta(weeks=CONFIG.einde_gepland_signaal_weken)
    held = holders(snap, MONDAY).filter(pl.col("medewerker_id").is_not_null())
    ending = snap["maatregelen"].filter(
        pl.col("einde").is_null() & pl.col("einde_gepland").is_between(MONDAY, until)
    )
    person = ending.join(held, on="maatregel_id")["medewerker_id"][0]
    items = werker_items(snap, Viewer("jeugdzorgwerker", person), MONDAY, CONFIG, NO_AFSPRAKEN)
    expected = ending.join(held.filter(pl.col("medewerker_id") == person), on="maatregel_id")
    got = items.filter(pl.col("soort") == "verlenging")
    assert sorted(got["maatregel_id"]) == sorted(expected["maatregel_id"])


def test_a_worker_sees_nothing_of_another(jbn):
    _, snap = jbn
    a, b = _workers(snap, MONDAY)[:2]
    foreign = werker_items(snap, Viewer("jeugdzorgwerker", a), MONDAY, CONFIG, NO_AFSPRAKEN)
    assert set(foreign["medewerker_id"]) <= {a}
    held_by_b = holders(snap, MONDAY).filter(pl.col("medewerker_id") == b)["maatregel_id"]
    assert not set(foreign["maatregel_id"]) & set(held_by_b)


def _afspraak_frame(rows: list[tuple[str, str | None, date, date | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "afspraak_id": i, "gesprek_id": 1, "gesprek_datum": date(2026, 1, 5),
                "medewerker_id": owner, "maatregel_id": maatregel,
                "omschrijving": f"afspraak {i}", "deadline": due, "afgerond_op": done,
            }
            for i, (owner, maatregel, due, done) in enumerate(rows, start=1)
        ],
        schema=AFSPRAAK_SCHEMA,
    )  # fmt: skip


def test_open_afspraken_are_in_the_owners_mail_until_done(jbn):
    _, snap = jbn
    person, other = _workers(snap, MONDAY)[:2]
    frame = _afspraak_frame(
        [
            (person, None, MONDAY + timedelta(days=3), None),
            (person, "M1", MONDAY - timedelta(days=3), None),
            (person, None, MONDAY + timedelta(days=3), MONDAY - timedelta(days=1)),
            (other, None, MONDAY + timedelta(days=3), None),
        ]
    )
    items = werker_items(snap, Viewer("jeugdzorgwerker", person), MONDAY, CONFIG, frame)
    got = items.filter(pl.col("soort") == "afspraak")
    assert got.select("afspraak_id", "status").rows() == [(2, "verlopen"), (1, "open")]


def test_a_begeleider_hears_of_their_workers_items_overdue_more_than_five_werkdagen(jbn):
    _, snap = jbn
    staff = snap["medewerkers"]
    begeleider = staff.filter(pl.col("functie") == "praktijkbegeleider")["medewerker_id"][0]
    guided = staff.filter(pl.col("begeleider_id") == begeleider)["medewerker_id"]
    mine = [p for p in _workers(snap, MONDAY) if p in guided]
    n = CONFIG.mail_begeleider_verlopen_werkdagen
    long_ago = add_werkdagen(MONDAY - timedelta(days=30), 0, CONFIG)
    just = MONDAY - timedelta(days=2)  # the Saturday before: 1 werkdag overdue
    frame = _afspraak_frame(
        [(mine[0], None, long_ago, None), (mine[0], None, just, None), ("elders", None, long_ago,
                                                                         None)]
    )  # fmt: skip
    items = begeleider_items(snap, Viewer("praktijkbegeleider", begeleider), MONDAY, CONFIG, frame)
    assert set(items["medewerker_id"]) <= set(mine)
    overdue = [werkdagen_between(d, MONDAY, CONFIG) for d in items["datum"]]
    assert items.height and min(overdue) > n
    expected = _expected_deadlines(snap, MONDAY).filter(
        pl.col("medewerker_id").is_in(mine) & (pl.col("status") == "verlopen")
    )
    expected = expected.filter(
        pl.Series([werkdagen_between(d, MONDAY, CONFIG) > n for d in expected["deadline"]])
    )
    got = items.filter(pl.col("soort") == "termijn")
    assert sorted(got.select("maatregel_id", "norm").rows()) == sorted(
        expected.select("maatregel_id", "norm").rows()
    )
    assert items.filter(pl.col("soort") == "afspraak")["datum"].to_list() == [long_ago]
    # Anyone but that praktijkbegeleider gets nothing of it.
    for viewer in (Viewer("jeugdzorgwerker", mine[0]), Viewer("praktijkbegeleider", "onbekend")):
        assert begeleider_items(snap, viewer, MONDAY, CONFIG, frame).height == 0


def test_the_first_werkdag_of_the_week():
    assert eerste_werkdag_van_week(MONDAY, CONFIG)
    assert not eerste_werkdag_van_week(MONDAY + timedelta(days=1), CONFIG)
    assert not eerste_werkdag_van_week(MONDAY - timedelta(days=2), CONFIG)
    # Tweede paasdag 2026 is Monday 6 April: the week starts on Tuesday.
    assert eerste_werkdag_van_week(date(2026, 4, 7), CONFIG)
    assert not eerste_werkdag_van_week(date(2026, 4, 6), CONFIG)


def _plan(snap, day, settings=NO_SETTINGS, sends=NO_SENDS, frame=NO_AFSPRAKEN) -> dict:
    return {(m.medewerker_id, m.soort): m for m in mailplan(snap, day, CONFIG, frame, settings,
                                                            sends)}  # fmt: skip


def _with_address(snap, people) -> set[str]:
    staff = snap["medewerkers"].filter(
        pl.col("medewerker_id").is_in(list(people)) & pl.col("email").str.contains("@")
    )
    return set(staff["medewerker_id"])


def test_on_a_monday_everyone_with_lines_and_an_address_gets_one_mail(jbn):
    _, snap = jbn
    plan = _plan(snap, MONDAY)
    with_lines = set(_expected_deadlines(snap, MONDAY)["medewerker_id"].drop_nulls())
    workers = {p for p, soort in plan if soort == MEDEWERKER}
    assert _with_address(snap, with_lines & set(_workers(snap, MONDAY))) <= workers
    assert all(m.reden == "week" and m.items.height for m in plan.values())
    assert all("@" in m.adres for m in plan.values())
    assert any(soort == BEGELEIDER for _, soort in plan)
    no_address = snap["medewerkers"].filter(pl.col("email").is_null())["medewerker_id"]
    assert not {p for p, _ in plan} & set(no_address)


def test_no_mail_on_a_day_off(jbn):
    _, snap = jbn
    assert _plan(snap, MONDAY - timedelta(days=1)) == {}
    assert _plan(snap, date(2026, 1, 1)) == {}


def _urgent(snap, day: date) -> set[str]:
    """Workers with an open eerste_contact or plan_van_aanpak due by the 2nd werkdag."""
    grens = add_werkdagen(day, CONFIG.mail_dringend_werkdagen, CONFIG)
    due = _expected_deadlines(snap, day).filter(
        pl.col("norm").is_in(["eerste_contact", "plan_van_aanpak"])
        & (pl.col("status") == "open")
        & (pl.col("deadline") <= grens)
    )
    return set(due["medewerker_id"].drop_nulls())


def test_on_a_wednesday_only_what_is_dringend_sends_an_automatisch_mail(jbn):
    _, snap = jbn
    assert WEDNESDAY.weekday() == 2
    plan = _plan(snap, WEDNESDAY)
    urgent = _with_address(snap, _urgent(snap, WEDNESDAY))
    assert urgent, "het demo heeft op deze woensdag een dringende termijn"
    assert {p for p, soort in plan if soort == MEDEWERKER} == urgent
    assert all(m.reden == "dringend" for m in plan.values())
    # Workers with verlopen or binnenkort lines but nothing dringend get no mail that day.
    calm = _with_address(snap, set(_expected_deadlines(snap, WEDNESDAY)["medewerker_id"]))
    assert calm - urgent
    # wekelijks waits for the week's first werkdag, uit never gets one.
    one, *_ = sorted(urgent)
    for cadans in (WEKELIJKS, UIT):
        chosen = pl.DataFrame({"medewerker_id": [one], "cadans": [cadans]})
        assert (one, MEDEWERKER) not in _plan(snap, WEDNESDAY, chosen)
    uit = pl.DataFrame({"medewerker_id": list(urgent), "cadans": [UIT] * len(urgent)})
    assert _plan(snap, MONDAY, uit).keys().isdisjoint({(p, MEDEWERKER) for p in urgent})


def _sends(rows: list[tuple[str, str, date, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"id": i, "medewerker_id": p, "soort": s, "peildatum": d, "status": st,
             "fout": None, "tijdstip": AT}
            for i, (p, s, d, st) in enumerate(rows, start=1)
        ],
        schema=VERZENDING_SCHEMA,
    )  # fmt: skip


def test_sent_is_not_sent_again_and_failed_is_tried_again_whatever_the_cadans(jbn):
    _, snap = jbn
    plan = _plan(snap, MONDAY)
    (a, _), (b, _) = sorted(k for k in plan if k[1] == MEDEWERKER)[:2]
    sent = _sends([(a, MEDEWERKER, MONDAY, VERZONDEN), (b, MEDEWERKER, MONDAY, MISLUKT)])
    again = _plan(snap, MONDAY, sends=sent)
    assert (a, MEDEWERKER) not in again
    assert again[(b, MEDEWERKER)].reden == "opnieuw"
    # The next day, on wekelijks and with nothing dringend, the failed one is still sent.
    tuesday = MONDAY + timedelta(days=1)
    weekly = pl.DataFrame({"medewerker_id": [b], "cadans": [WEKELIJKS]})
    retry = _plan(snap, tuesday, weekly, sent)
    assert retry[(b, MEDEWERKER)].reden == "opnieuw"
    assert (a, MEDEWERKER) not in retry
    done = _sends([(b, MEDEWERKER, MONDAY, MISLUKT), (b, MEDEWERKER, tuesday, VERZONDEN)])
    assert (b, MEDEWERKER) not in _plan(snap, tuesday + timedelta(days=1), weekly, done)
    # As of the Monday, what happened on later days does not count.
    assert _plan(snap, MONDAY, weekly, done)[(b, MEDEWERKER)].reden == "opnieuw"


def test_binnenkort_is_the_fifth_werkdag():
    assert binnenkort_grens(MONDAY, CONFIG) == date(2026, 3, 9)


def test_a_person_sets_only_their_own_cadans_audited(engine):
    own = Account("sanne", "jeugdzorgwerker", "1001")
    assert cadans_van(engine, "1001") == "automatisch"
    zet_cadans(engine, own, "1001", UIT, at=AT)
    zet_cadans(engine, own, "1001", WEKELIJKS, at=AT)
    assert cadans_van(engine, "1001") == WEKELIJKS
    assert lees_instellingen(engine).rows() == [("1001", WEKELIJKS)]
    with pytest.raises(MailInstellingGeweigerd):
        zet_cadans(engine, own, "1002", UIT, at=AT)
    with pytest.raises(MailInstellingGeweigerd):
        zet_cadans(engine, Account("beheer", "beheerder"), None, UIT, at=AT)
    with pytest.raises(ValueError, match="onbekende mailinstelling"):
        zet_cadans(engine, own, "1001", "dagelijks", at=AT)
    assert cadans_van(engine, "1002") == "automatisch"
    log = audit_log(engine, Viewer("beheerder")).sort("id")
    assert log.select("actie", "onderwerp").rows() == [
        ("mail_instelling", "1001"),
        ("mail_instelling", "1001"),
        ("geweigerd", "mailinstelling 1002"),
        ("geweigerd", "mailinstelling None"),
    ]


def test_every_attempt_is_recorded_and_audited(engine):
    items = pl.DataFrame({"soort": ["termijn"]})
    mail = Mail("1001", MEDEWERKER, "m1001@voorbeeld.example", "week", items)
    leg_verzending_vast(engine, mail, MONDAY, "SMTPRecipientsRefused: 550", at=AT)
    leg_verzending_vast(engine, mail, MONDAY, at=AT)
    sends = lees_verzendingen(engine)
    assert sends.select("medewerker_id", "soort", "peildatum", "status").rows() == [
        ("1001", MEDEWERKER, MONDAY, MISLUKT),
        ("1001", MEDEWERKER, MONDAY, VERZONDEN),
    ]
    log = audit_log(engine, Viewer("beheerder")).sort("id")
    assert log["actie"].to_list() == ["mail", "mail"]
    assert "mislukt" in log["details"][0] and "verzonden" in log["details"][1]


def test_afspraken_written_to_the_tables_reach_the_mail(jbn, tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    _, snap = jbn
    person = _workers(snap, MONDAY)[0]
    with engine.begin() as conn:
        conn.execute(sa.insert(gesprekken).values(
            id=1, medewerker_id=person, begeleider_id="pb", datum=MONDAY - timedelta(days=7),
            vastgelegd_door="pb", tijdstip=AT))  # fmt: skip
        conn.execute(sa.insert(afspraken).values(
            gesprek_id=1, medewerker_id=person, omschrijving="plan bijstellen",
            deadline=MONDAY + timedelta(days=4), tijdstip=AT))  # fmt: skip
    frame = lees_afspraken(engine)
    engine.dispose()
    items = werker_items(snap, Viewer("jeugdzorgwerker", person), MONDAY, CONFIG, frame)
    # By number only: the free text stays out of the mail.
    assert items.filter(pl.col("soort") == "afspraak")["afspraak_id"].to_list() == [1]
    assert "omschrijving" not in items.columns
