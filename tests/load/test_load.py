"""20 users at once log in and click through their pages on gunicorn and PostgreSQL with the
JBN demo: zero errors is the bar; p50/p95 are printed, not asserted."""

import pytest

from tests.load.conftest import RESULTS
from tests.load.run import drive, prepare, record
from tests.ops import demo_export, gunicorn

pytestmark = [pytest.mark.pg, pytest.mark.e2e]

USERS = 20


def test_twenty_users_click_through_their_pages_without_errors(pg_url, tmp_path_factory):
    export, export_date = demo_export(tmp_path_factory.getbasetemp() / "exports", "jbn")
    accounts = prepare(pg_url, export, export_date)
    log = tmp_path_factory.mktemp("load") / "gunicorn.log"
    with gunicorn(pg_url, workers=4, log=log) as base:
        flows = record(base, accounts)
        assert all(any(s.path == "/_dash-update-component" for s in f) for f in flows.values())
        result = drive(base, accounts, flows, users=USERS)
    RESULTS.append(result.summary())
    print(result.summary())
    assert result.latencies, "geen enkel verzoek gedaan"
    assert not result.errors, "\n".join(result.errors[:20])
    assert "Traceback" not in log.read_text()
