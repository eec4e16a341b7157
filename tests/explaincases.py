"""The exact ranking `explain` gives every train-split fixture, pasted alone (no hints), judged
as of the fixture's source date: tests/golden/explain_rankings.json (regenerate with
tests/regen_goldens.py and read the diff). The test split is measured by the benchmark only.
"""

from __future__ import annotations

import json
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "explain_rankings.json"

EXPLAIN_EXPECTED: dict[str, tuple[str, ...]] = {
    fixture: tuple(ranking)
    for fixture, ranking in json.loads(GOLDEN.read_text(encoding="utf-8")).items()
}
