import sqlalchemy.exc

from dashboard.components.meldingen import guarded
from queries.snapshot import NoDataError
from tests.unit.dashboard.helpers import text


def test_guarded_turns_failures_into_dutch_messages():
    def no_data():
        raise NoDataError("leeg")

    def db_down():
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("weg"))

    def broken():
        raise KeyError("kolom")

    assert "nog geen export geladen" in text(guarded(no_data)())
    assert "niet bereikbaar" in text(guarded(db_down)())
    message = text(guarded(broken)())
    assert "kon niet worden gemaakt" in message
    assert "KeyError" not in message and "kolom" not in message
