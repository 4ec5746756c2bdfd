from datetime import date, datetime

import pytest
import sqlalchemy as sa

from etl.migrations import upgrade
from queries.afspraken import lees_afspraken, niet_afgerond, status_op
from store.engine import make_engine
from store.schema import afspraken, gesprekken

D = date.fromisoformat
AT = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def migrated_engine(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _talk(conn, talk_id: int, day: str) -> None:
    conn.execute(
        sa.insert(gesprekken).values(
            id=talk_id, medewerker_id="w1", begeleider_id="pb1", datum=D(day),
            vastgelegd_door="pb", tijdstip=AT,
        )
    )  # fmt: skip


def _afspraak(conn, talk_id: int, owner: str, due: str, done: str | None = None) -> None:
    conn.execute(
        sa.insert(afspraken).values(
            gesprek_id=talk_id, medewerker_id=owner, omschrijving="plan bespreken",
            deadline=D(due), afgerond_op=None if done is None else D(done), tijdstip=AT,
        )
    )  # fmt: skip


def test_status_on_a_day_follows_the_talk_the_deadline_and_the_done_date(migrated_engine):
    with migrated_engine.begin() as conn:
        _talk(conn, 1, "2026-03-02")
        _talk(conn, 2, "2026-04-01")
        _afspraak(conn, 1, "w1", "2026-03-10")
        _afspraak(conn, 1, "w1", "2026-03-20", done="2026-03-15")
        _afspraak(conn, 2, "w1", "2026-04-10")
        _afspraak(conn, 1, "w2", "2026-03-10")
    own = lees_afspraken(migrated_engine, ["w1"])
    assert own.height == 3
    # On 12 March: the first is past its deadline, the second still open, the third's talk
    # has not taken place.
    assert status_op(own, D("2026-03-12"))["status"].to_list() == ["verlopen", "open"]
    # On 16 March the second is done and drops out of the to-do list.
    todo = niet_afgerond(own, D("2026-03-16"))
    assert todo["deadline"].to_list() == [D("2026-03-10")]
    # Before its done date it was still to do: nothing dated later is used.
    assert niet_afgerond(own, D("2026-03-14")).height == 2
    assert lees_afspraken(migrated_engine).height == 4
