"""A load test on loopback: N users log in once, then think and open their pages against
gunicorn, replaying the requests a real browser made (recorded once per role in Chromium)."""

import multiprocessing
import random
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.app import reveal_deferred
from etl.gebruikers import add_user, pick_demo_people
from etl.loader import load_source
from queries.scope import ROLES
from store.engine import make_engine
from tests.ops import login

PASSWORD = "lasttest-wachtwoord"
# What a browser asks the server for besides its cached static files.
DYNAMIC = re.compile(r"^/(_dash-update-component|_dash-layout|_dash-dependencies)$")
CHROMIUM = "/usr/bin/chromium"
# Users log in spread over this long (or the warm-up, if shorter), not all in the same instant.
STAGGER_SECONDS = 10.0


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    body: str | None


# The requests a browser made to open one page: its document, then Dash's, in that order.
Page = list[Step]


@dataclass(frozen=True)
class Load:
    users: int = 50
    think: float = 3.0
    seed: int = 1
    warmup: float = 30.0
    measure: float = 180.0


@dataclass
class Result:
    load: Load
    # Latencies only of requests that started in the measured window, never of a login;
    # errors of the whole run, warm-up included: any error fails it.
    latencies: list[float] = field(default_factory=list)
    logins: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        load = self.load
        head = (
            f"{load.users} gebruikers, {load.measure:.0f} s gemeten na {load.warmup:.0f} s opwarmen"
        )
        ms = sorted(x * 1000 for x in self.latencies)
        if ms:
            p50, p95, p99 = (percentile(ms, p) for p in (50, 95, 99))
            lines = [
                f"{head}: {len(ms)} verzoeken, {len(ms) / load.measure:.1f} verzoeken/s; "
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {ms[-1]:.0f} ms; "
                f"{len(self.errors)} fouten"
            ]
        else:
            lines = [f"{head}: geen verzoeken gemeten, {len(self.errors)} fouten"]
        logins = sorted(x * 1000 for x in self.logins)
        if logins:
            lines.append(
                f"{len(logins)} aanmeldingen (niet in de percentielen hierboven): "
                f"p50 {percentile(logins, 50):.0f} ms, p95 {percentile(logins, 95):.0f} ms"
            )
        return "\n".join(lines)


def percentile(ordered: list[float], pct: int) -> float:
    """Nearest rank: the smallest value with at least pct % of `ordered` (sorted) at or below it."""
    rank = -(-pct * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


def user_rng(seed: int, user: int) -> random.Random:
    """Each user's own stream, so a run draws the same start, pages and pauses again."""
    return random.Random(seed * 1000 + user)


def think_time(rng: random.Random, mean: float) -> float:
    return rng.expovariate(1 / mean) if mean > 0 else 0.0


def measured(samples: list[tuple[float, float]], load: Load) -> list[float]:
    """Latencies of the (start, latency) samples, start in seconds since the run began, whose
    request started in [warmup, warmup + measure): one in flight at the end still counts."""
    end = load.warmup + load.measure
    return [latency for start, latency in samples if load.warmup <= start < end]


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


def record(base: str, accounts: dict[str, str]) -> dict[str, list[Page]]:
    """Per role: log in in Chromium, open every page of the menu, keep each page's dynamic
    requests."""
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


def _record_one(browser, base: str, name: str) -> list[Page]:
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
    pages: list[Page] = []

    def keep(request):
        path = urlsplit(request.url).path
        if request.resource_type == "document" and request.method == "GET":
            pages[-1].append(Step("GET", path, None))
        elif DYNAMIC.match(path):
            pages[-1].append(Step(request.method, path, request.post_data))

    page.on("request", keep)
    for path in dict.fromkeys(paths):
        pages.append([])
        page.goto(path, wait_until="networkidle")
        # Every user reads on to the end: the parts drawn when scrolled near are asked too.
        if not reveal_deferred(page):
            raise TimeoutError(f"{path}: een uitgesteld deel niet getekend")
        page.wait_for_load_state("networkidle")
    context.close()
    return pages


def drive(base: str, accounts: dict[str, str], flows: dict[str, list[Page]], load: Load) -> Result:
    """The users in a spawned process of their own, so the load generator shares no
    interpreter (nor its lock) with the recording or the database helpers of this one."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_drive, base, accounts, flows, load).result()


def _drive(base: str, accounts: dict[str, str], flows: dict[str, list[Page]], load: Load) -> Result:
    result = Result(load)
    lock = threading.Lock()
    roles = list(flows)
    start = time.monotonic()

    def user(i: int) -> None:
        rol = roles[i % len(roles)]
        samples, logins, errors = _user(i, base, accounts[rol], flows[rol], load, start)
        with lock:
            result.latencies.extend(measured(samples, load))
            result.logins.extend(logins)
            result.errors.extend(f"gebruiker {i} ({rol}) {e}" for e in errors)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(load.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def _user(
    i: int, base: str, name: str, pages: list[Page], load: Load, start: float
) -> tuple[list[tuple[float, float]], list[float], list[str]]:
    """One user until the measured window closes: (start, latency) per request, the login's
    latency, errors."""
    rng = user_rng(load.seed, i)
    end = start + load.warmup + load.measure
    time.sleep(rng.uniform(0, min(load.warmup, STAGGER_SECONDS)))
    t0 = time.monotonic()
    # Any exception is a failed request, never a crashed thread whose requests go uncounted.
    try:
        client = login(base, name, PASSWORD)
    except Exception as exc:
        return [], [], [f"aanmelden: {exc}"]
    logins = [time.monotonic() - t0]
    samples: list[tuple[float, float]] = []
    errors: list[str] = []
    nxt = rng.randrange(len(pages))
    while True:
        pause = think_time(rng, load.think)
        if time.monotonic() + pause >= end:
            return samples, logins, errors
        time.sleep(pause)
        for step in pages[nxt % len(pages)]:
            t0 = time.monotonic()
            if t0 >= end:
                return samples, logins, errors
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
            except Exception as exc:
                errors.append(f"{step.method} {step.path}: {exc}")
            samples.append((t0 - start, time.monotonic() - t0))
        nxt += 1
