"""The app itself at scale: a worker's start, its peak memory and MT's pages in Chromium.

    python -m bench.app --db URL [--workers N]

Starts the dashboard on the database (`python app.py`, or gunicorn with N workers) under
`/usr/bin/time -v`, waits until /health says the worker has prepared the latest load, logs in
as demo-manager (the database must hold a demo) and opens MT's pages. Prints the start time,
each page's server answer times (per callback, from Chromium's request timing) and time on
screen, and the peak resident memory; with workers, their summed PSS too.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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


def _ready(base: str, timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            body = requests.get(base + "/health", timeout=5).json()
            if body.get("gereed"):
                return time.perf_counter()
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"/health zegt na {timeout:.0f} s nog niet gereed")


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


def _pages(base: str) -> list[tuple[str, float, list[float]]]:
    """Per page: seconds until the network is idle, and each callback's server time (ms)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(base_url=base, viewport={"width": 1366, "height": 768})
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
            started = time.perf_counter()
            page.goto(path, wait_until="networkidle", timeout=300_000)
            out.append((path, time.perf_counter() - started, list(answers)))
        browser.close()
    return out


def run(url: str, workers: int = 0) -> list[str]:
    """The printed lines of one run against the database at url."""
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
            for path, screen, answers in _pages(base):
                if answers:
                    lines.append(
                        f"pagina {path}: op het scherm {screen * 1e3:.0f} ms; server per "
                        f"callback mediaan {statistics.median(answers):.0f} ms, max "
                        f"{max(answers):.0f} ms ({len(answers)} callbacks)"
                    )
            if workers:
                lines.append(f"werkers samen PSS {_pss_mb(proc.pid):.0f} MB")
        finally:
            os.killpg(proc.pid, signal.SIGTERM if workers else signal.SIGINT)
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
    args = parser.parse_args(argv)
    for line in run(args.db, args.workers):
        print(line, flush=True)


if __name__ == "__main__":
    main()
