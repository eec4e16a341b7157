"""Regenerate the golden rankings (tests/golden/{rule,explain}_rankings.json) from the current
rules, for the train-split fixtures only, and the whole-output format goldens
(tests/golden/report*). Run it after a deliberate change and read the diff: every changed
line is a behaviour change.

    python tests/regen_goldens.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from modelcheck.explainer import explain_text  # noqa: E402
from modelcheck.formats.common import RenderOptions  # noqa: E402

from conftest import fixed_report, load_fixture  # noqa: E402
from rulecases import GOLDEN, Case, provider_context, run_case, train_fixtures  # noqa: E402

EXPLAIN = HERE / "golden" / "explain_rankings.json"


def main() -> int:
    rules: dict[str, list[str]] = {}
    explained: dict[str, list[str]] = {}
    for fixture_id in train_fixtures():
        fixture = load_fixture(fixture_id)
        today = fixture.get("source_date") or None
        explained[fixture_id] = [
            d.cause for d in explain_text(fixture["body"], today=today).diagnoses
        ]
        if fixture["provider"] != "network":
            case = Case(fixture_id, (), **provider_context(fixture["provider"]))
            rules[fixture_id] = [d.cause for d in run_case(case)]
    for path, data in ((GOLDEN, rules), (EXPLAIN, explained)):
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(data)} rankings)")
    from test_ci import EXT, FORMATS

    for account in (False, True):
        for fmt, render in FORMATS.items():
            suffix = ".account" if account else ""
            path = HERE / "golden" / f"report{suffix}.{fmt}.{EXT[fmt]}"
            path.write_text(render(fixed_report(account), RenderOptions()), encoding="utf-8")
    print("wrote the format goldens (tests/golden/report*)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
