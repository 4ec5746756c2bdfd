"""Shared by the fault tests: a generated export big enough that a load takes seconds."""

import pytest

from tests.ops import demo_export

# A fiftieth of the national demo: about 256.000 rows, some seconds of writing.
BIG_SIZE = 0.02


@pytest.fixture(scope="session")
def big_export(tmp_path_factory):
    return demo_export(tmp_path_factory.getbasetemp() / "exports", "national", BIG_SIZE)
