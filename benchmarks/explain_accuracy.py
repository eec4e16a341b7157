"""How often `modelcheck explain` ranks the right cause first, on errors it was and was not
written with: top-1, top-3 and confident-wrong, per split and per provider, and calibration.

Each fixture's label is the cause its public source established (a maintainer's answer, the
reporter's fix, or the provider's own documentation), never what our rules say. A third of
the fixtures, chosen by a hash of the file name (tests/fixturesplit.py), is the test split:
rules are written without reading it, so its figure is the one that counts. Fixtures that
carry ``"added"`` were collected after the rules of 2026-11 were written ("fresh"); those
with ``"round": 2`` (3, 4, 5) were collected in a later round, after every rule before
it was written: on its first run that row measured rules that had seen none of it.

Retirements are judged as of each fixture's source date (what the cause was when it was
reported), as a user pasting that error that day would have been told.

    python benchmarks/explain_accuracy.py [--split train|test|all] [--round N] [--misses] [--rules]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fixturesplit import split_of  # noqa: E402
from modelcheck.diagnosis.results import CONFIDENT  # noqa: E402
from modelcheck.explainer import explain_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "errors"


@dataclass(frozen=True)
class Row:
    fixture: str
    provider: str
    label: str
    split: str
    fresh: bool
    round: int
    ranked: tuple[str, ...]
    rule: str
    confidence: float

    @property
    def top1(self) -> bool:
        return bool(self.ranked) and self.ranked[0] == self.label

    @property
    def top3(self) -> bool:
        return self.label in self.ranked[:3]

    @property
    def confident_wrong(self) -> bool:
        return not self.top1 and self.confidence >= CONFIDENT


def hints(fixture: dict[str, Any]) -> dict[str, Any]:
    provider = fixture["provider"]
    return {
        "status": fixture["status"],
        "provider": None if provider == "network" else provider,
        "model": fixture["model"],
    }


def run(with_hints: bool = False) -> list[Row]:
    rows = []
    for path in sorted(FIXTURES.glob("*.json")):
        fixture = json.loads(path.read_text(encoding="utf-8"))
        kwargs = hints(fixture) if with_hints else {}
        result = explain_text(fixture["body"], today=fixture.get("source_date") or None, **kwargs)
        top = result.diagnoses[0]
        rows.append(
            Row(
                fixture=fixture["id"],
                provider=fixture["provider"],
                label=fixture["label"],
                split=split_of(path.name),
                fresh="added" in fixture,
                round=int(fixture.get("round", 1)),
                ranked=tuple(d.cause for d in result.diagnoses),
                rule=top.rule,
                confidence=top.confidence,
            )
        )
    return rows


def summary(rows: list[Row]) -> str:
    n = len(rows)
    if not n:
        return "      0"
    one = sum(r.top1 for r in rows)
    three = sum(r.top3 for r in rows)
    wrong = sum(r.confident_wrong for r in rows)
    return f"{n:>7} {one:>5} ({one / n:6.1%}) {three:>5} ({three / n:6.1%}) {wrong:>9}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("train", "test", "all"), default="all")
    parser.add_argument("--round", type=int, help="only the fixtures of this collection round")
    parser.add_argument("--misses", action="store_true", help="list the top-1 misses")
    parser.add_argument("--rules", action="store_true", help="top-1 precision per rule")
    parser.add_argument(
        "--labels",
        action="store_true",
        help="per labelled cause: top-1 and what came first instead (counts only, no names)",
    )
    args = parser.parse_args()
    rows = run()
    head = f"{'':<26} {'n':>7} {'top-1':>14} {'top-3':>14} {'conf.wrong':>9}"
    print(head)
    for name, chosen in (
        ("train (in-sample)", [r for r in rows if r.split == "train"]),
        ("test (held out)", [r for r in rows if r.split == "test"]),
        ("test, fresh only", [r for r in rows if r.split == "test" and r.fresh]),
        ("round 2, test", [r for r in rows if r.split == "test" and r.round == 2]),
        ("round 2, train", [r for r in rows if r.split == "train" and r.round == 2]),
        ("round 3, test", [r for r in rows if r.split == "test" and r.round == 3]),
        ("round 3, train", [r for r in rows if r.split == "train" and r.round == 3]),
        ("round 4, test", [r for r in rows if r.split == "test" and r.round == 4]),
        ("round 4, train", [r for r in rows if r.split == "train" and r.round == 4]),
        ("round 5, test", [r for r in rows if r.split == "test" and r.round == 5]),
        ("round 5, train", [r for r in rows if r.split == "train" and r.round == 5]),
        ("all", rows),
    ):
        print(f"{name:<26} {summary(chosen)}")
    hinted = run(with_hints=True)
    print(f"{'test, with hints':<26} {summary([r for r in hinted if r.split == 'test'])}")
    selected = rows if args.split == "all" else [r for r in rows if r.split == args.split]
    if args.round is not None:
        selected = [r for r in selected if r.round == args.round]
    print(f"\nper provider ({args.split}):")
    by_provider: dict[str, list[Row]] = defaultdict(list)
    for r in selected:
        by_provider[r.provider].append(r)
    for provider, group in sorted(by_provider.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {provider:<24} {summary(group)}")
    print(f"\ncalibration ({args.split}): top-1 confidence -> how often it was right")
    for low, high in ((0.85, 1.01), (0.7, 0.85), (0.5, 0.7), (0.0, 0.5)):
        bucket = [r for r in selected if low <= r.confidence < high]
        right = sum(r.top1 for r in bucket)
        share = f"{right / len(bucket):6.1%}" if bucket else "     -"
        print(f"  {low:.2f}-{min(high, 1.0):.2f}  {len(bucket):>4} answers  {share} right")
    if args.rules:
        print(f"\nper rule ({args.split}): top-1 answers, right")
        by_rule: dict[str, list[Row]] = defaultdict(list)
        for r in selected:
            by_rule[r.rule].append(r)
        for rule, group in sorted(by_rule.items()):
            right = sum(r.top1 for r in group)
            print(f"  {rule:<44} {len(group):>4} {right:>4}  conf {group[0].confidence:.2f}")
    if args.labels:
        print(f"\nper label ({args.split}): n, top-1, top-3, first instead")
        by_label: dict[str, list[Row]] = defaultdict(list)
        for r in selected:
            by_label[r.label].append(r)
        for label, group in sorted(by_label.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            instead: dict[str, int] = defaultdict(int)
            for r in group:
                if not r.top1:
                    instead[r.ranked[0] if r.ranked else "-"] += 1
            shown = ", ".join(f"{c} {k}" for c, k in sorted(instead.items(), key=lambda kv: -kv[1]))
            right = sum(r.top1 for r in group)
            three = sum(r.top3 for r in group)
            print(f"  {label:<28} {len(group):>4} {right:>4} {three:>4}  {shown}")
    if args.misses:
        print(f"\nmisses ({args.split}):")
        for r in selected:
            if not r.top1:
                flag = " CONFIDENT" if r.confident_wrong else ""
                print(f"  {r.fixture}: label {r.label}, got {list(r.ranked[:3])}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
