"""Demo organisations that write a complete source export in the contract's CSV format."""

import datetime as dt
from pathlib import Path

from etl.demo import jbn, national


def generate(scale: str, seed: int, out: Path, *, size: float = 1.0) -> dt.date:
    """Write the demo export for `scale` ('jbn' or 'national') into `out`; returns its export date.

    `size` scales the national organisation down (tests); the JBN demo has one fixed size.
    """
    out = Path(out)
    if scale == "jbn":
        return jbn.generate(seed, out)
    if scale == "national":
        return national.generate(seed, out, size=size)
    raise ValueError(f"onbekende schaal {scale!r}: kies 'jbn' of 'national'")
