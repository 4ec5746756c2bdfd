"""dashboard.context: a page's load, peildatum and worker, resolved once and audited."""

from datetime import date

import flask

from dashboard import data
from dashboard.context import page_context, worker_context
from queries.gebruikers import Account
from queries.scope import Viewer
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.logins import events, last_event_id


def test_page_context_takes_the_peildatum_from_the_url_never_after_the_export(as_viewer):
    as_viewer("manager")
    assert page_context({"peildatum": "2025-10-01"}).day == date(2025, 10, 1)
    ctx = page_context({"peildatum": "2030-01-01"})
    assert ctx.day == EXPORT_DATE and ctx.snap is data.snapshot() and ctx.config is data.config()


def test_the_worker_shown_is_audited_once_per_request(app, sample_url):
    before = last_event_id(sample_url)
    viewer = Viewer("praktijkbegeleider", "2001")
    with app.server.test_request_context("/"):
        flask.g.account = Account("pb", viewer.role, viewer.medewerker_id)
        for _ in range(3):
            assert worker_context(viewer, {"medewerker": "1001"}).worker == "1001"
    shown = events(sample_url, before)
    assert shown.select("actie", "onderwerp").rows() == [("medewerker_bekeken", "1001")]


def test_resolving_a_worker_writes_nothing(app, sample_url):
    before = last_event_id(sample_url)
    with app.server.test_request_context("/"):
        snap = data.snapshot()
        viewer = Viewer("praktijkbegeleider", "2001")
        assert data.resolve_worker(snap, viewer, EXPORT_DATE, {"medewerker": "1001"}) == "1001"
    assert events(sample_url, before).height == 0
