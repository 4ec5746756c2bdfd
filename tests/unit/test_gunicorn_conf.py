"""What gunicorn's master imports before it forks the workers."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: this one has long imported polars.
PROBE = """
import json, os, runpy, sys
runpy.run_path("gunicorn.conf.py")["preload"]()
print(json.dumps({
    "modules": sorted({m.split(".")[0] for m in sys.modules}),
    "threads": len(os.listdir("/proc/self/task")),
}))
"""


def test_the_master_preloads_only_libraries_that_are_safe_to_fork():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seen = json.loads(out.stdout)
    assert {"dash", "dash_ag_grid", "sqlalchemy"} <= set(seen["modules"])
    # polars and numpy start thread pools that a fork leaves broken; the app's own code
    # imports polars.
    assert not {"polars", "numpy", "dashboard", "queries"} & set(seen["modules"])
    assert seen["threads"] == 1
