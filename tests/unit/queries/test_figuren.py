import polars as pl
import pytest

from queries.figuren import REGISTER, definities, figuur, rond
from queries.figuur import Figuur


def test_every_figure_has_a_dutch_name_a_definition_and_known_basis_and_unit():
    for key, f in REGISTER.items():
        assert f.key == key
        assert f.naam and f.definitie.endswith(".")
        assert f.basis in ("voorraad", "cohort", "periode", "stroom")
        assert f.eenheid in ("aantal", "pct", "dagen", "fte")
        assert f.decimalen >= 0


def test_names_are_unique_so_a_reader_cannot_mix_up_two_figures():
    names = [f.naam for f in REGISTER.values()]
    assert len(names) == len(set(names))


def test_rounding_is_the_figures_own():
    pct = Figuur("x", "X", "voorraad", "pct", 1, "X.")
    count = Figuur("n", "N", "voorraad", "aantal", 0, "N.")
    assert pct.rond(82.64) == 82.6
    assert count.rond(3.0) == 3 and isinstance(count.rond(3.0), int)
    assert pct.rond(None) is None


def test_rond_rounds_only_registered_columns():
    frame = pl.DataFrame({"eerste_contact_tijdig_pct": [82.649], "other": [1.23456]})
    out = rond(frame)
    assert out["eerste_contact_tijdig_pct"].to_list() == [82.6]
    assert out["other"].to_list() == [1.23456]


def test_definitions_sheet_lists_every_figure_once():
    sheet = definities()
    assert sheet.height == len(REGISTER)
    assert sheet["Cijfer"].to_list() == [f.naam for f in REGISTER.values()]


def test_unknown_figure_is_refused():
    with pytest.raises(KeyError, match="onbekend cijfer"):
        figuur("bestaat_niet")
