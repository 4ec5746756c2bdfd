import re
from pathlib import Path

from dashboard.components import widgets as w

DASHBOARD = Path(w.__file__).resolve().parents[1]


def test_widgets_offers_every_name_the_dashboard_calls_on_it():
    used = set()
    for path in DASHBOARD.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "import widgets as w" in source:
            used |= set(re.findall(r"\bw\.([A-Za-z_]\w*)", source))
    assert used, "no module imports widgets as w"
    assert used <= set(w.__all__), sorted(used - set(w.__all__))
