"""The app itself at scale: a worker's start, its peak memory and MT's pages in Chromium.

    python -m bench.app --db URL [--workers N] [--nieuwe-lading EXPORT]

Starts the dashboard on the database (`python app.py`, or gunicorn with N workers) under
`/usr/bin/time -v`, waits until /health says the worker has prepared the latest load, logs in
as demo-manager (the database must hold a demo) and, with workers once every worker is warm,
opens MT's pages. Prints the start time,
each page's server answer times (per callback, from Chromium's request timing), its time on
screen (until the page last changed) opened by address and reached through the menu, the time
to draw the parts it draws only when scrolled near (scrolling on to its end), and the peak
resident memory; with workers, their summed PSS too. With
--nieuwe-lading it then loads that export while the app runs and prints how long after the
load's commit the workers are ready on it.
"""

import argparse
import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/organisatie", "/afbouw", "/team", "/personeel", "/voortgangsrapportage")
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(port: int, workers: int) -> list[str]:
    if workers:
        return [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                f"127.0.0.1:{port}", "--timeout", "300", "app:server"]  # fmt: skip
    return [sys.executable, "app.py", "--port", str(port)]


def _ready(base: str, timeout: float, field: str = "gereed", in_a_row: int = 1) -> float:
    """When /health first said field; with in_a_row, the first of that many answers in a row
    (each on a new connection, so from any worker: in all likelihood every worker)."""
    started = time.perf_counter()
    streak, first = 0, 0.0
    while time.perf_counter() - started < timeout:
        try:
            said = requests.get(base + "/health", timeout=5).json().get(field)
        except (requests.RequestException, ValueError):
            said = False
        if said:
            first = first if streak else time.perf_counter()
            streak += 1
            if streak >= in_a_row:
                return first
        else:
            streak = 0
        time.sleep(0.1 if in_a_row > 1 else 0.2)
    raise TimeoutError(f"/health zegt na {timeout:.0f} s nog niet {field}")


def _pss_mb(root_pid: int) -> float:
    """Summed PSS of every process under root_pid (gunicorn and its workers), in MB."""
    table = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True)
    parent = {int(a): int(b) for a, b in (line.split() for line in table.stdout.splitlines())}

    def under(pid: int) -> bool:
        while pid in parent and pid != root_pid:
            pid = parent[pid]
        return pid == root_pid

    total_kb = 0
    for pid in parent:
        if pid == root_pid or not under(pid):
            continue
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        total_kb += int(found.group(1)) if found else 0
    return total_kb / 1024


# When the page last gained or lost an element (wall clock, shared with this process): its
# content is on screen then. The network being idle says little: Dash's callbacks can wait
# for its scripts after a quiet half second, and the drawing comes after the answers.
LAST_CHANGE = """
window.__laatsteWijziging = 0;
new MutationObserver(() => { window.__laatsteWijziging = Date.now(); })
  .observe(document, {subtree: true, childList: true});
"""
# A page is drawn when nothing changed for this long (its tables and charts come in bursts).
SETTLED = 1.5


def _settled(page, started: float) -> float:
    """Seconds from started (time.time()) until the page's last change, once it has settled."""
    while True:
        time.sleep(0.25)
        last = page.evaluate("window.__laatsteWijziging") / 1e3
        if last and time.time() - last > SETTLED:
            return last - started


def reveal_deferred(page, timeout: float = 120) -> bool:
    """Scroll to each part the page draws only when scrolled near (components.deferred), as a
    reader going on would, until every one is drawn; False if one was not within timeout.
    Also used by the browser and load tests."""
    from playwright.sync_api import Error as PlaywrightError

    waiting = page.locator(".uitgesteld-wacht")
    deadline = time.monotonic() + timeout
    while waiting.count():
        if time.monotonic() > deadline:
            return False
        # A part drawn meanwhile takes its placeholder away: then the next one comes first.
        with contextlib.suppress(PlaywrightError):
            waiting.first.scroll_into_view_if_needed(timeout=1_000)
        page.wait_for_timeout(100)
    return True


def _rest(page) -> float | None:
    """Seconds to draw the parts a page draws only when scrolled near, scrolling on to its
    end as a reader would; None when it has none."""
    if not page.locator(".uitgesteld-wacht").count():
        return None
    page.evaluate("window.__laatsteWijziging = 0")
    started = time.time()
    if not reveal_deferred(page):
        raise TimeoutError(f"{page.url}: een uitgesteld deel niet getekend")
    return _settled(page, started)


def _pages(base: str) -> list[tuple[str, float, float, float | None, list[float]]]:
    """Per page: seconds until on screen when opened by address and when reached through the
    menu (as the pages are used), to draw what it draws when scrolled to, and each callback's
    server time (ms) by address and scrolled."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(base_url=base, viewport={"width": 1366, "height": 768})
        page.add_init_script(LAST_CHANGE)
        page.goto("/login")
        page.fill("#gebruikersnaam", "demo-manager")
        page.fill("#wachtwoord", "demo")
        page.click("button[type=submit]")
        page.wait_for_selector("nav a[href^='/']", timeout=120_000)
        answers: list[float] = []

        def keep(request) -> None:
            if urlsplit(request.url).path == "/_dash-update-component":
                timing = request.timing
                answers.append(timing["responseStart"] - timing["requestStart"])

        page.on("requestfinished", keep)
        for path in PAGES:
            answers.clear()
            started = time.time()
            page.goto(path, wait_until="load", timeout=300_000)
            by_address = _settled(page, started)
            rest = _rest(page)
            server = list(answers)
            # Through the menu from the previous page, as the pages are used.
            page.goto(PAGES[PAGES.index(path) - 1], wait_until="load", timeout=300_000)
            _settled(page, time.time())
            page.evaluate("window.__laatsteWijziging = 0")
            started = time.time()
            page.click(f"nav a[href='{path}']")
            out.append((path, by_address, _settled(page, started), rest, server))
        browser.close()
    return out


def _health(base: str) -> dict:
    try:
        return requests.get(base + "/health", timeout=10).json()
    except (requests.RequestException, ValueError):
        return {}


def _new_load(base: str, url: str, export: Path, root_pid: int) -> list[str]:
    """Load export while the app runs: the load's time, then from its commit until /health
    answers gereed on the new run 40 times in a row (every worker, in all likelihood), and the
    workers' summed PSS at its highest meanwhile."""
    before = _health(base).get("run_id")
    peak, stop = [0.0], threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            peak[0] = max(peak[0], _pss_mb(root_pid))

    threading.Thread(target=sample, daemon=True).start()
    started = time.perf_counter()
    load = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(export), "--db", url],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    committed = time.perf_counter()
    last = (load.stdout.strip().splitlines() or [load.stderr.strip()[-200:]])[-1]
    lines = [f"nieuwe lading in {committed - started:.0f} s: {last}"]
    streak, first, errors = 0, None, 0
    while streak < 40 and time.perf_counter() - committed < 300:
        body = _health(base)
        errors += not body
        fresh = body.get("gereed") and body.get("run_id") not in (None, before)
        streak = streak + 1 if fresh else 0
        first = first or (time.perf_counter() if fresh else None)
        time.sleep(0.1)
    stop.set()
    if streak < 40 or first is None:
        return [*lines, "na 300 s nog niet elke werker gereed op de nieuwe lading"]
    all_ready = time.perf_counter() - committed - 40 * 0.1
    lines.append(
        f"na de commit gereed: eerste antwoord {first - committed:.1f} s, 40 op rij "
        f"{all_ready:.1f} s; /health zonder antwoord {errors}x; piek PSS samen {peak[0]:.0f} MB"
    )
    return lines


def run(url: str, workers: int = 0, new_load: Path | None = None) -> list[str]:
    """The printed lines of one run against the database at url; with new_load, that export
    is loaded while the app runs."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {"CASELOAD_DB_URL": url, "CASELOAD_DEMO": "1"}
    lines = []
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        started = time.perf_counter()
        # Its own process group: time passes no signal on, so the stop goes to the group.
        proc = subprocess.Popen(
            ["/usr/bin/time", "-v", "-o", timing.name, *_command(port, workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            ready = _ready(base, 600) - started
            lines.append(f"app gereed (start tot /health gereed) {ready:.1f} s")
            ready = _ready(base, 600, "alles_gereed") - started
            lines.append(f"alle MT-pagina's voorbereid (start tot alles_gereed) {ready:.1f} s")
            if workers:
                # MT's pages are timed as on a morning after a night's load: every worker warm.
                ready = _ready(base, 600, "alles_gereed", in_a_row=40) - started
                lines.append(f"elke werker alles_gereed (40 op rij) {ready:.1f} s")
            for path, by_address, by_menu, rest, answers in _pages(base):
                if answers:
                    scrolled = (
                        "" if rest is None else f", onderste delen na scrollen {rest * 1e3:.0f} ms"
                    )
                    lines.append(
                        f"pagina {path}: op het scherm {by_address * 1e3:.0f} ms per adres, "
                        f"{by_menu * 1e3:.0f} ms via het menu{scrolled}; "
                        "server per callback mediaan "
                        f"{statistics.median(answers):.0f} ms, max {max(answers):.0f} ms "
                        f"({len(answers)} callbacks)"
                    )
            if workers:
                lines.append(f"werkers samen PSS {_pss_mb(proc.pid):.0f} MB")
            if new_load is not None:
                lines += _new_load(base, url, new_load, proc.pid)
        finally:
            os.killpg(proc.pid, signal.SIGINT)  # time ignores it and waits to report
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing.read())
    if peak:
        lines.append(f"piek RSS (grootste proces) {int(peak.group(1)) / 1024:.0f} MB")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.app", description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn-werkers (0: app.py)")
    parser.add_argument(
        "--nieuwe-lading", type=Path, help="deze export laden terwijl de app draait"
    )
    args = parser.parse_args(argv)
    for line in run(args.db, args.workers, args.nieuwe_lading):
        print(line, flush=True)


if __name__ == "__main__":
    main()
