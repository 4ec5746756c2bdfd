"""The norms file: the shipped defaults and the optional CRT target per region."""

from pathlib import Path

import pytest

from queries.config import DEFAULT_PATH, Config, config_key, load_config


def norms_with(tmp_path: Path, afbouw: str, name: str = "norms.toml") -> Path:
    """The shipped norms file with its [afbouw] part replaced."""
    shipped = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(shipped[: shipped.index("[afbouw]")] + afbouw, encoding="utf-8")
    return path


def test_shipped_file_splits_the_organisation_target_over_the_demo_regions():
    config = load_config(DEFAULT_PATH)
    assert (config.crt_doel, config.afbouw_tempo_maanden) == (40, 3)
    assert config.crt_doel_regio == (("Drenthe", 18), ("Groningen", 22))
    assert sum(doel for _, doel in config.crt_doel_regio) == config.crt_doel


def test_region_targets_load_sorted_by_region(tmp_path):
    path = norms_with(
        tmp_path,
        "[afbouw]\ncrt_doel = 30\n\n[afbouw.crt_doel_regio]\nGroningen = 12\nDrenthe = 0\n",
    )
    config = load_config(path)
    assert config.crt_doel == 30
    assert config.crt_doel_regio == (("Drenthe", 0), ("Groningen", 12))
    # The caches key on config fields: the region targets hash and tell the configs apart.
    without = load_config(norms_with(tmp_path, "[afbouw]\ncrt_doel = 30\n", "zonder.toml"))
    assert hash(config_key(config)) != hash(config_key(without))
    assert config_key(config) == config_key(load_config(path))


def test_the_environment_variable_points_at_the_organisations_copy(tmp_path, monkeypatch):
    path = norms_with(tmp_path, "[afbouw.crt_doel_regio]\nDrenthe = 7\n")
    monkeypatch.setenv("CASELOAD_CONFIG", str(path))
    assert load_config().crt_doel_regio == (("Drenthe", 7),)
    assert load_config().crt_doel == Config().crt_doel


@pytest.mark.parametrize(
    ("afbouw", "message"),
    [
        ("[afbouw.crt_doel_regio]\nDrenthe = -3\n", r"\[afbouw.crt_doel_regio\] Drenthe .*-3"),
        ("[afbouw.crt_doel_regio]\nDrenthe = 7.5\n", r"Drenthe moet een geheel aantal .*7\.5"),
        ('[afbouw.crt_doel_regio]\nDrenthe = "tien"\n', r"Drenthe .*'tien'"),
        ("[afbouw.crt_doel_regio]\nDrenthe = true\n", r"Drenthe .*True"),
        ("[afbouw]\ncrt_doel = -1\n", r"\[afbouw\] crt_doel moet een geheel aantal"),
        ("[afbouw]\ncrt_doel_regio = 12\n", r"moet een tabel zijn met per regio een doel"),
    ],
)
def test_a_target_that_is_no_number_of_measures_is_refused_in_dutch(tmp_path, afbouw, message):
    with pytest.raises(ValueError, match=message) as raised:
        load_config(norms_with(tmp_path, afbouw))
    assert "norms.toml" in str(raised.value)


def norms_replacing(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped norms file with one piece of text replaced."""
    shipped = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in shipped
    path = tmp_path / "norms.toml"
    path.write_text(shipped.replace(old, new), encoding="utf-8")
    return path


def test_risicotaxatie_has_a_term_per_instrument_and_its_own_current_setting(tmp_path):
    shipped = load_config(DEFAULT_PATH)
    assert (
        shipped.risicotaxatie_eerste_weken,
        shipped.risicotaxatie_interval_maanden_arij,
        shipped.risicotaxatie_interval_maanden_lij,
        shipped.risicotaxatie_actueel_maanden,
    ) == (6, 3, 6, 3)
    path = norms_replacing(
        tmp_path,
        "interval_maanden_arij = 3\ninterval_maanden_lij = 6",
        "interval_maanden_arij = 2\ninterval_maanden_lij = 5",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("actueel_maanden = 3", "actueel_maanden = 4"),
        encoding="utf-8",
    )
    config = load_config(path)
    assert (
        config.risicotaxatie_interval_maanden_arij,
        config.risicotaxatie_interval_maanden_lij,
        config.risicotaxatie_actueel_maanden,
    ) == (2, 5, 4)


def test_the_old_single_risicotaxatie_term_is_refused_naming_the_new_keys(tmp_path):
    path = norms_replacing(
        tmp_path, "eerste_weken = 6\n", "eerste_weken = 6\ninterval_maanden = 3\n"
    )
    with pytest.raises(ValueError, match="interval_maanden bestaat niet meer") as raised:
        load_config(path)
    for key in ("interval_maanden_arij", "interval_maanden_lij", "actueel_maanden"):
        assert key in str(raised.value)


def test_binnenkort_is_a_setting_of_the_signals(tmp_path):
    assert load_config(DEFAULT_PATH).binnenkort_werkdagen == 5
    path = norms_replacing(tmp_path, "binnenkort_werkdagen = 5", "binnenkort_werkdagen = 3")
    assert load_config(path).binnenkort_werkdagen == 3


WERKTOEDELING = (
    "werktoedeling_horizon_weken",
    "werktoedeling_verzuim_drempel_pct",
    "werktoedeling_terugkeer_weken",
    "werktoedeling_terugkeer_capaciteit",
    "werktoedeling_inwerk_maanden",
    "werktoedeling_inwerk_aandeel",
    "werktoedeling_inwerk_voogdij",
    "werktoedeling_buffer_per_fte",
    "werktoedeling_zonder_datums_uit",
)


def test_werktoedeling_ships_the_issues_defaults():
    shipped = load_config(DEFAULT_PATH)
    expected = (8, 50.0, 6, 0.5, 3, 0.5, False, 1.0, True)
    assert tuple(getattr(shipped, f) for f in WERKTOEDELING) == expected
    assert tuple(getattr(Config(), f) for f in WERKTOEDELING) == expected


def test_werktoedeling_settings_are_read(tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    for old, new in (
        ("horizon_weken = 8", "horizon_weken = 12"),
        ("verzuim_drempel_pct = 50.0", "verzuim_drempel_pct = 80"),
        ("terugkeer_weken = 6", "terugkeer_weken = 4"),
        ("terugkeer_capaciteit = 0.5", "terugkeer_capaciteit = 0.75"),
        ("inwerk_maanden = 3", "inwerk_maanden = 2"),
        ("inwerk_aandeel = 0.5", "inwerk_aandeel = 0.6"),
        ("inwerk_voogdij = false", "inwerk_voogdij = true"),
        ("buffer_per_fte = 1.0", "buffer_per_fte = 2"),
        ("zonder_datums_uit = true", "zonder_datums_uit = false"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "norms.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    got = tuple(getattr(config, f) for f in WERKTOEDELING)
    assert got == (12, 80.0, 4, 0.75, 2, 0.6, True, 2.0, False)
    assert isinstance(config.werktoedeling_buffer_per_fte, float)
