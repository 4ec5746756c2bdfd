"""The JBN demo: a GI like Jeugdbescherming Noord, calibrated to its February 2026 hertoets.

The population is designed, not searched for: the measures active on the peildatum, the
CCP/CRT stock per month end and every calibrated figure are fixed first, then the seeded RNG
fills in the details around them.
"""

import datetime as dt
from pathlib import Path

from etl.demo.common import write_tables
from etl.demo.jbn import assignment, contacts, episodes, measures, staffing, tables
from etl.demo.jbn.model import Organisation
from etl.demo.jbn.targets import EXPORT


def generate(seed: int, out: Path) -> dt.date:
    """Write the JBN demo export into `out`; returns its export date."""
    org = Organisation(seed)
    # Every step draws from the same random stream, so their order is part of the design.
    measures.build(org)
    episodes.fit_special_teams(org)
    episodes.build_segments(org)
    staffing.staff(org)
    staffing.calibrate_fte(org)
    assignment.assign(org)
    contacts.first_contacts(org)
    measures.add_children(org)
    write_tables(out, tables.build(org))
    return EXPORT
