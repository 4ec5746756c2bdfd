"""20 users log in, think and open their pages on gunicorn and PostgreSQL with the JBN demo,
in short windows: zero errors is the bar; the percentiles are printed, not asserted."""

import pytest

from tests.load.conftest import RESULTS
from tests.load.run import Load, drive, prepare, record
from tests.ops import demo_export, gunicorn

pytestmark = [pytest.mark.pg, pytest.mark.e2e]

# The model of `python -m tests.load`, in windows short enough for CI.
LOAD = Load(users=20, think=0.5, seed=1, warmup=5, measure=20)


def test_twenty_thinking_users_open_their_pages_without_errors(pg_url, tmp_path_factory):
    export, export_date = demo_export(tmp_path_factory.getbasetemp() / "exports", "jbn")
    accounts = prepare(pg_url, export, export_date)
    log = tmp_path_factory.mktemp("load") / "gunicorn.log"
    with gunicorn(pg_url, workers=4, log=log) as base:
        flows = record(base, accounts)
        assert all(
            any(s.path == "/_dash-update-component" for page in pages for s in page)
            for pages in flows.values()
        )
        # MT reads Organisatie to its end: the parts drawn when scrolled near are in the load.
        asked = [s.body for page in flows["manager"] for s in page if s.body]
        assert any('"uitgesteld-zicht"' in body for body in asked)
        result = drive(base, accounts, flows, LOAD)
    RESULTS.extend(result.summary().splitlines())
    print(result.summary())
    assert not result.errors, "\n".join(result.errors[:20])
    assert result.latencies, "geen enkel verzoek in het meetvenster"
    assert len(result.logins) == LOAD.users
    assert not set(result.logins) & set(result.latencies), "aanmelding tussen de verzoeken"
    assert "Traceback" not in log.read_text()
