"""A figure's difference as the report and its versions print it."""

import pytest

from dashboard.components.cijfers import fmt_verschil


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("verzuim_pct", 2.54, "+2,5 pt"),
        ("verzuim_pct", -0.04, "0,0 pt"),
        ("actieve_maatregelen", -3, "−3"),
        ("gem_dagen_eerste_contact", 0.0, "0,0 dagen"),
        ("actieve_maatregelen", None, "–"),
    ],
)
def test_a_difference_carries_its_sign_and_a_percentage_is_in_points(key, value, shown):
    assert fmt_verschil(key, value) == shown
