"""Top-1 and top-3 accuracy of `modelcheck explain` over every verbatim fixture.

Each fixture's label is the cause its public source established (a maintainer's answer, the
reporter's fix, or the provider's own documentation), never what our rules say. Two runs:
the pasted text alone, then with the hints a user could add (--status, --provider, --model)
from what the source showed.

    python benchmarks/explain_accuracy.py [--misses]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from modelcheck.explain import explain_text

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "errors"


def hints(fixture: dict[str, Any]) -> dict[str, Any]:
    provider = fixture["provider"]
    return {
        "status": fixture["status"],
        "provider": None if provider == "network" else provider,
        "model": fixture["model"],
    }


def run(with_hints: bool) -> tuple[list[tuple[str, str, list[str]]], dict[str, list[int]]]:
    rows = []
    per_provider: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path in sorted(FIXTURES.glob("*.json")):
        fixture = json.loads(path.read_text(encoding="utf-8"))
        kwargs = hints(fixture) if with_hints else {}
        ranked = [d.cause for d in explain_text(fixture["body"], **kwargs).diagnoses]
        rows.append((fixture["id"], fixture["label"], ranked))
        stats = per_provider[fixture["provider"]]
        stats[0] += 1
        stats[1] += bool(ranked) and ranked[0] == fixture["label"]
        stats[2] += fixture["label"] in ranked[:3]
    return rows, per_provider


def main() -> int:
    show_misses = "--misses" in sys.argv
    print(f"{'run':<22} {'fixtures':>8} {'top-1':>14} {'top-3':>14}")
    for with_hints in (False, True):
        rows, per_provider = run(with_hints)
        n = len(rows)
        top1 = sum(1 for _, label, ranked in rows if ranked and ranked[0] == label)
        top3 = sum(1 for _, label, ranked in rows if label in ranked[:3])
        name = "text + hints" if with_hints else "text only"
        print(f"{name:<22} {n:>8} {top1:>5} ({top1 / n:6.1%}) {top3:>5} ({top3 / n:6.1%})")
        if not with_hints:
            print()
            print(f"  {'provider':<12} {'n':>4} {'top-1':>6} {'top-3':>6}")
            for provider, (count, one, three) in sorted(per_provider.items()):
                print(f"  {provider:<12} {count:>4} {one:>6} {three:>6}")
            print()
        if show_misses:
            for fixture_id, label, ranked in rows:
                if not ranked or ranked[0] != label:
                    print(f"    miss {fixture_id}: label {label}, got {ranked[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
