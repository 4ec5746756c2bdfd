"""The load model's pure parts, without a server: think times, the measured window and the
percentiles the summary prints."""

import random
import statistics

from tests.load.run import Load, Result, measured, percentile, think_time, user_rng


def test_think_times_repeat_for_a_seed_and_average_the_mean():
    def draws(seed: int, user: int, n: int) -> list[float]:
        rng = user_rng(seed, user)
        return [think_time(rng, 3.0) for _ in range(n)]

    assert draws(1, 7, 50) == draws(1, 7, 50)
    assert draws(1, 7, 50) != draws(1, 8, 50)
    assert draws(1, 7, 50) != draws(2, 7, 50)
    assert abs(statistics.fmean(draws(1, 0, 20_000)) - 3.0) < 0.1
    assert think_time(random.Random(1), 0) == 0


def test_only_requests_starting_in_the_window_count():
    load = Load(warmup=30, measure=180)
    samples = [
        (0.0, 1.0),
        (29.999, 5.0),  # started in the warm-up, ended in the window: not counted
        (30.0, 2.0),
        (120.0, 3.0),
        (209.999, 9.0),  # still in flight when the window closes: counted
        (210.0, 4.0),
    ]
    assert measured(samples, load) == [2.0, 3.0, 9.0]


def test_percentiles_by_nearest_rank():
    ordered = [float(x) for x in range(1, 101)]
    assert [percentile(ordered, p) for p in (50, 95, 99, 100)] == [50, 95, 99, 100]
    assert [percentile([10.0, 20.0, 30.0, 40.0], p) for p in (50, 95)] == [20, 40]
    assert percentile([7.0], 50) == percentile([7.0], 99) == 7


def test_summary_keeps_logins_out_of_the_request_percentiles():
    result = Result(Load(users=2, warmup=30, measure=10), latencies=[0.010] * 19 + [0.100])
    result.logins = [5.0, 6.0]
    assert result.summary().splitlines() == [
        "2 gebruikers, 10 s gemeten na 30 s opwarmen: 20 verzoeken, 2.0 verzoeken/s; "
        "p50 10 ms, p95 10 ms, p99 100 ms, max 100 ms; 0 fouten",
        "2 aanmeldingen (niet in de percentielen hierboven): p50 5000 ms, p95 6000 ms",
    ]
