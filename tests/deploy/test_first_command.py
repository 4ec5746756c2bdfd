"""scripts/first-command, which scripts/test runs on the checkout before pytest, catches a
package the app needs at run time but requirements.txt does not declare. The passing case is
scripts/test's own run; this is the failing one."""

import re
import shutil
import subprocess
import sys

from tests.ops import ROOT

SCRIPT = ROOT / "scripts" / "first-command"
# The first run's demo imports etl/demo/national.py, which imports numpy.
NUMPY = re.compile(r"^numpy==.*\n", flags=re.M)


def test_a_package_missing_from_requirements_fails_the_first_command(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(
        ROOT, checkout, ignore=shutil.ignore_patterns(".git", "data", ".venv", "__pycache__")
    )
    requirements = checkout / "requirements.txt"
    declared = requirements.read_text()
    assert NUMPY.search(declared), "requirements.txt declares numpy"
    requirements.write_text(NUMPY.sub("", declared))

    done = subprocess.run(
        [sys.executable, SCRIPT, "--source", checkout],
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "python app.py stopped" in output, output
    assert "ModuleNotFoundError: No module named 'numpy'" in output, output
