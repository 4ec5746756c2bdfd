"""A bounded load test on loopback: N users log in and click through their pages against
gunicorn, replaying the requests a real browser made (recorded once per role in Chromium)."""

import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from etl.gebruikers import add_user, pick_demo_people
from etl.loader import load_source
from queries.scope import ROLES
from store.engine import make_engine
from tests.ops import login

PASSWORD = "lasttest-wachtwoord"
# What a browser asks the server for besides its cached static files.
DYNAMIC = re.compile(r"^/(_dash-update-component|_dash-layout|_dash-dependencies)$")
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    body: str | None


@dataclass
class Result:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        if not ms:
            return f"{self.users} gebruikers: geen verzoeken, {len(self.errors)} fouten"
        p50 = statistics.median(ms)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        return (
            f"{self.users} gebruikers, {len(ms)} verzoeken in {self.seconds:.1f} s: "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms, "
            f"{len(self.errors)} fouten"
        )


def prepare(url: str, export_dir, export_date) -> dict[str, str]:
    """Load the export and make one real account per role (the demo's people); role -> name."""
    result = load_source(export_dir, url, export_date=export_date, progress=False)
    assert result.status == "geslaagd", result.message
    engine = make_engine(url)
    with engine.connect() as conn:
        people = pick_demo_people(conn, export_date)
    engine.dispose()
    accounts = {}
    for rol in ROLES:
        name = f"last-{rol}"
        add_user(url, name, rol, people.get(rol), PASSWORD)
        accounts[rol] = name
    return accounts


def record(base: str, accounts: dict[str, str]) -> dict[str, list[Step]]:
    """Per role: log in in Chromium, open every page of the menu, keep the dynamic requests."""
    from playwright.sync_api import sync_playwright

    flows = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for rol, name in accounts.items():
                flows[rol] = _record_one(browser, base, name)
        finally:
            browser.close()
    return flows


def _record_one(browser, base: str, name: str) -> list[Step]:
    context = browser.new_context(base_url=base, locale="nl-NL")
    page = context.new_page()
    page.goto("/login")
    page.fill("#gebruikersnaam", name)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    # The menu is drawn by Dash once its scripts ran: on a busy machine the network can be idle
    # for a while before that.
    page.wait_for_selector("nav a[href^='/']", timeout=60_000)
    page.wait_for_load_state("networkidle")
    paths = page.eval_on_selector_all(
        "nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    steps: list[Step] = []

    def keep(request):
        path = urlsplit(request.url).path
        if request.resource_type == "document" and request.method == "GET":
            steps.append(Step("GET", urlsplit(request.url).path, None))
        elif DYNAMIC.match(path):
            steps.append(Step(request.method, path, request.post_data))

    page.on("request", keep)
    for path in dict.fromkeys(paths):
        page.goto(path, wait_until="networkidle")
    context.close()
    return steps


def drive(
    base: str,
    accounts: dict[str, str],
    flows: dict[str, list[Step]],
    users: int = 20,
    max_seconds: float = 180,
) -> Result:
    """`users` threads at once, each logging in as a role and replaying that role's clicks;
    a user still busy after max_seconds stops early (that is not an error)."""
    result = Result(users=users, seconds=0.0)
    lock = threading.Lock()
    roles = list(flows)
    start = time.monotonic()
    deadline = start + max_seconds

    def user(i: int) -> None:
        rol = roles[i % len(roles)]
        try:
            t0 = time.perf_counter()
            client = login(base, accounts[rol], PASSWORD)
            timings = [time.perf_counter() - t0]
        except (requests.RequestException, AssertionError) as exc:
            with lock:
                result.errors.append(f"gebruiker {i} ({rol}) login: {exc}")
            return
        errors = []
        for step in flows[rol]:
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            try:
                answer = client.request(
                    step.method,
                    base + step.path,
                    data=step.body,
                    headers={"Content-Type": "application/json"} if step.body else {},
                    timeout=120,
                )
                if answer.status_code not in (200, 204):
                    errors.append(f"{step.method} {step.path}: {answer.status_code}")
            except requests.RequestException as exc:
                errors.append(f"{step.method} {step.path}: {exc}")
            timings.append(time.perf_counter() - t0)
        with lock:
            result.latencies.extend(timings)
            result.errors.extend(f"gebruiker {i} ({rol}) {e}" for e in errors)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - start
    return result
