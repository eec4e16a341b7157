"""Rules: the exact ranking for every case, and catalogue checks over the rule table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fixturesplit import split_of
from modelcheck.diagnosis.causes import CAUSES
from modelcheck.diagnosis.engine import matched_rules
from modelcheck.diagnosis.rule import Rule
from modelcheck.diagnosis.rules import RULES
from modelcheck.explainer import explain_context, parse

from conftest import FIXTURES, load_fixture
from rulecases import CASES, Case, context_and_stage, run_case

ROOT = Path(__file__).parent.parent
REQUIRED_FIXTURE_KEYS = {
    "id",
    "provider",
    "status",
    "endpoint",
    "model",
    "body",
    "verbatim",
    "source",
    "source_date",
    "label",
    "label_basis",
}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.id}:{i}" for i, c in enumerate(CASES)])
def test_case_ranking(case: Case) -> None:
    assert tuple(d.cause for d in run_case(case)) == case.expected


def _fires(rule_id: str, ref: str) -> bool:
    """Whether the rule fires on the evidence it cites: a synthetic case, or a fixture read
    as `explain` reads it or in the context `check` would see it in."""
    if ref.startswith("case:"):
        cases = [c for c in CASES if c.id == ref]
        contexts = [context_and_stage(c) for c in cases]
    else:
        fixture = load_fixture(ref)
        parsed = parse(fixture["body"])
        today = fixture.get("source_date") or None
        contexts = [(explain_context(parsed, today), "probe")]
        contexts.extend(context_and_stage(c) for c in CASES if c.id == ref)
    return any(rule_id in {r.id for r in matched_rules(ctx, stage)} for ctx, stage in contexts)


@pytest.mark.parametrize("rule", [r for r in RULES if r.stage != "success"], ids=lambda r: r.id)
def test_every_rule_fires_on_the_evidence_it_cites(rule: Rule) -> None:
    assert rule.seen_in, rule.id
    assert any(_fires(rule.id, ref) for ref in rule.seen_in), rule.seen_in


def test_every_rule_cites_existing_train_evidence() -> None:
    case_ids = {c.id for c in CASES} | {"case:shutdown_soon", "case:needs_max_completion_tokens"}
    for rule in RULES:
        for ref in rule.seen_in:
            if ref.startswith("case:"):
                assert ref in case_ids, (rule.id, ref)
                continue
            assert (FIXTURES / f"{ref}.json").is_file(), (rule.id, ref)
            # A rule is never written from the test split (the benchmark's held-out third).
            assert split_of(f"{ref}.json") == "train", (rule.id, ref)


def test_every_cause_has_a_rule() -> None:
    ruled = {r.cause for r in RULES}
    assert sorted(c for c in CAUSES if c not in ruled and c != "unknown") == []


def test_cases_run_in_their_fixtures_own_provider_context() -> None:
    for case in CASES:
        if case.id.startswith("case:") or case.provider == "compatible":
            continue
        assert case.provider == load_fixture(case.id)["provider"], case.id


def test_fixtures_are_complete_and_name_a_source() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) >= REQUIRED_FIXTURE_KEYS, path.name
        assert data["id"] == path.stem
        assert data["source"] and data["label_basis"] and data["verbatim"]
        assert data["label"] in CAUSES, path.name


def test_rule_ids_are_unique_and_dotted() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", i) for i in ids)


def test_rules_point_at_known_causes_and_every_cause_is_documented() -> None:
    for rule in RULES:
        assert rule.cause in CAUSES, rule.id
    for cause in CAUSES.values():
        assert cause.title and cause.why and cause.fixes and cause.docs.startswith("https://")


def _contract_ids(path: Path) -> set[str]:
    return set(re.findall(r"^\| ([a-z_]+) \|", path.read_text(), flags=re.M)) - {"id"}


def test_cause_ids_match_the_contract() -> None:
    # docs/causes.md is the vendored copy of the shared contract (../shared/causes.md).
    assert _contract_ids(ROOT / "docs" / "causes.md") == set(CAUSES)
    shared = ROOT.parent / "shared" / "causes.md"
    if shared.is_file():  # beside the steering checkout: the copy must be current
        assert shared.read_text() == (ROOT / "docs" / "causes.md").read_text()


def test_readme_lists_every_cause_id() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c for c in CAUSES if f"`{c}`" not in readme] == []


def test_readme_cause_table_matches_the_causes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| (.+?) \| (\w+) \| (\w+) \(exit \d\) \|$", readme, re.M)
    table = {cid: (title, scope, kind) for cid, title, scope, kind in rows}
    for cause in CAUSES.values():
        kind = "inconclusive" if cause.inconclusive else "definite"
        assert table.get(cause.id) == (cause.title, cause.scope, kind), cause.id
