"""Prints the load test's numbers at the end of the run; measured, never asserted."""

RESULTS: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if RESULTS:
        terminalreporter.section("Belastingstest op loopback (JBN-demo, gunicorn, PostgreSQL)")
        for line in RESULTS:
            terminalreporter.write_line(line)
