"""The cut of the contacts keeps every contact some norm can use."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.contract import CONTACT_MET, CONTACT_VORMEN
from queries.bruikbare_contacten import GEZIEN_MET, GEZIEN_VORM, bruikbaar, norm_sleutel
from queries.config import load_config
from queries.snapshot import VOOGDIJ_SOORTEN

SOORTEN = ("OTS", "voogdij", "voorlopige_voogdij", "jeugdreclassering")
contact = st.tuples(
    st.sampled_from(CONTACT_VORMEN), st.sampled_from(CONTACT_MET), st.integers(0, 3)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(contact, max_size=40))
def test_every_contact_a_norm_uses_is_kept(rows):
    config = load_config()
    measures = pl.DataFrame({"maatregel_id": [f"M{i}" for i in range(4)], "soort": SOORTEN})
    contacts = pl.DataFrame(
        {"contact_id": [f"C{i}" for i in range(len(rows))],
         "vorm": [r[0] for r in rows], "met": [r[1] for r in rows],
         "maatregel_id": [f"M{r[2]}" for r in rows]},
        schema={"contact_id": pl.String, "vorm": pl.String, "met": pl.String,
                "maatregel_id": pl.String},
    )  # fmt: skip
    kept = set(bruikbaar(contacts, measures, config)["contact_id"])
    for i, (vorm, met, m) in enumerate(rows):
        eerste = vorm in config.eerste_contact_vormen and met in config.eerste_contact_met
        gezien = vorm == GEZIEN_VORM and met in GEZIEN_MET
        voogdij = met in config.voogdij_contact_met and SOORTEN[m] in VOOGDIJ_SOORTEN
        assert (f"C{i}" in kept) == (eerste or gezien or voogdij)


def test_the_key_changes_with_the_settings_that_pick_contacts():
    config = load_config()
    other = config.__class__(**{**config.__dict__, "voogdij_contact_met": ("ouder",)})
    assert norm_sleutel(config) == norm_sleutel(load_config())
    assert norm_sleutel(config) != norm_sleutel(other)
