"""The shipped JSON Schemas (src/modelcheck/schemas) against real outputs: golden reports,
every demo scenario, `check` runs against the simulator on 127.0.0.1, and `explain` on every
error fixture."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import click
import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from modelcheck.cli import cli
from modelcheck.simulator import DEFAULT, OVERLOADED, RATE_LIMITED, Reply, Scenario, SimServer

from conftest import FIXTURES, load_fixture, report_json, run

Sim = Callable[[Scenario], SimServer]

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs" / "schemas"
GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = ("report-1.json", "explain-1.json")
NOT_REPORTS = {"explain_rankings.json", "rule_rankings.json"}
"""JSON files in tests/golden that are no report (the rankings test_explain.py and
test_rules.py compare with)."""
EXPLAIN_ENDPOINTS = {"chat", "responses", "messages", "models"}


def packaged(name: str) -> str:
    """A schema file as the installed package ships it."""
    return (files("modelcheck") / "schemas" / name).read_text(encoding="utf-8")


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for a packaged schema; formats (the report's as_of date) are checked."""
    schema = json.loads(packaged(name))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, doc: Any) -> None:
    """``doc`` validates against schema ``name``; otherwise fail with the best error."""
    error = best_match(validator(name).iter_errors(doc))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        pytest.fail(f"{name}: {where}: {error.message}", pytrace=False)


def assert_invalid(name: str, doc: Any) -> None:
    assert best_match(validator(name).iter_errors(doc)) is not None


def explain_choices(option: str) -> set[str]:
    """The values the `explain` command accepts for a Choice option."""
    assert isinstance(cli, click.Group)
    param = next(p for p in cli.commands["explain"].params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return {str(c) for c in param.type.choices}


# --- the schema files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = json.loads(packaged(name))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://modelcheck.dev/schemas/{name}"
    assert schema["additionalProperties"] is True  # additive changes stay valid


@pytest.mark.parametrize("name", SCHEMAS)
def test_docs_copy_is_identical_to_the_packaged_schema(name: str) -> None:
    assert (DOCS / name).read_bytes() == packaged(name).encode("utf-8")
    assert (ROOT / "src" / "modelcheck" / "schemas" / name).read_bytes() == (
        DOCS / name
    ).read_bytes()


def test_schema_const_matches_the_code() -> None:
    from modelcheck.explainer import SCHEMA as EXPLAIN_SCHEMA
    from modelcheck.report import SCHEMA as REPORT_SCHEMA

    report = json.loads(packaged("report-1.json"))
    explain = json.loads(packaged("explain-1.json"))
    assert report["properties"]["schema"]["const"] == REPORT_SCHEMA
    assert explain["properties"]["schema"]["const"] == EXPLAIN_SCHEMA


# --- reports ----------------------------------------------------------------------------------


def golden_reports() -> list[str]:
    # report.<name>.json.json: the JSON format of a golden report (regen_goldens.py).
    names = sorted(p.name for p in GOLDEN.glob("*.json.json") if p.name not in NOT_REPORTS)
    assert names, "no golden JSON reports"
    return names


@pytest.mark.parametrize("name", golden_reports())
def test_golden_report_validates(name: str) -> None:
    doc = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    assert doc["schema"] == "modelcheck.report/1"
    assert_valid("report-1.json", doc)


def test_every_demo_scenario_report_validates() -> None:
    result = run(["demo", "--format", "json"], key=None)
    assert result.exit_code == 0, result.stderr
    demo = report_json(result)
    assert demo["schema"] == "modelcheck.demo/1"
    assert len(demo["scenarios"]) >= 10
    for scenario in demo["scenarios"]:
        assert set(scenario) >= {"scenario", "description", "command", "report"}
        assert_valid("report-1.json", scenario["report"])


def check_json(args: list[str]) -> dict[str, Any]:
    """A `check --format json` report (key: conftest's CANARY), validated against report-1."""
    result = run(["check", *args, "--format", "json"])
    doc = report_json(result)
    assert doc["exit_code"] == result.exit_code
    assert_valid("report-1.json", doc)
    return doc


def test_passing_run_validates(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    doc = check_json(["gpt-3.5-turbo", "gpt-4o-mini", "--base-url", server.url])
    assert doc["verdict"] == "pass"


def test_failing_run_validates(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    args = ["gpt-4", "gtp-4", "gpt-3.5-turbo", "--base-url", server.url, "--as-of", "2023-07-15"]
    doc = check_json(args)
    assert doc["verdict"] == "fail"
    assert doc["as_of"] == "2023-07-15"


def test_invalid_key_run_validates(sim: Sim) -> None:
    server = sim(Scenario("bad", "bad", key="sk-proj-another-key-entirely-0000"))
    doc = check_json(["gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url])
    assert doc["verdict"] == "fail"
    assert [d["cause"] for d in doc["account"]["diagnoses"]] == ["invalid_api_key"]


def test_network_failure_run_validates() -> None:
    doc = check_json(["gpt-4o-mini", "--base-url", "http://127.0.0.1:9/v1"])
    assert doc["verdict"] == "inconclusive"
    network = [p["network_error"] for m in doc["models"] for p in m["probes"] if p["network_error"]]
    assert network, "no probe recorded the network failure"


def test_inconclusive_warning_and_retry_runs_validate(sim: Sim) -> None:
    limited = Reply(429, RATE_LIMITED, headers=(("retry-after-ms", "50"),))
    routes = {
        "POST chat gpt-4o-mini": [limited, DEFAULT],
        "POST chat gpt-3.5-turbo": [Reply(503, OVERLOADED)],
    }
    server = sim(
        Scenario(
            "mixed",
            "mixed",
            listed=("o1", "gpt-4o-mini", "gpt-3.5-turbo"),
            needs_max_completion_tokens=frozenset({"o1"}),
            routes=routes,
        )
    )
    args = ["o1", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url]
    first = check_json(args)
    assert (first["verdict"], first["exit_code"]) == ("inconclusive", 3)
    verdicts = {m["model"]: m["verdict"] for m in first["models"]}
    assert verdicts == {"o1": "pass", "gpt-4o-mini": "pass", "gpt-3.5-turbo": "inconclusive"}
    assert any(d["severity"] == "warning" for m in first["models"] for d in m["diagnoses"])
    assert any(p["earlier_statuses"] for m in first["models"] for p in m["probes"])
    # --strict fails on o1's warning even though another model is inconclusive.
    assert check_json([*args, "--strict", "--fail-on", "problem"])["exit_code"] == 1
    assert check_json([*args, "--fail-on", "problem"])["exit_code"] == 0
    assert check_json([*args, "--strict", "--fail-on", "never"])["exit_code"] == 0


def test_keyless_local_server_run_validates(sim: Sim) -> None:
    server = sim(Scenario("local", "local", listed=("llama3.2",), require_key=False))
    doc = check_json(["llama3.2", "--provider", "ollama", "--base-url", server.url])
    assert doc["verdict"] == "pass"


# --- explain --------------------------------------------------------------------------------


def explain_args(fixture: dict[str, Any]) -> list[str]:
    """`explain --format json` with the fixture's hints the CLI accepts, then its body."""
    args = ["explain", "--format", "json"]
    status = fixture.get("status")
    if isinstance(status, int) and 100 <= status <= 599:
        args += ["--status", str(status)]
    if fixture.get("provider") in explain_choices("provider"):
        args += ["--provider", fixture["provider"]]
    if fixture.get("model"):
        args += ["--model", fixture["model"]]
    if fixture.get("endpoint") in EXPLAIN_ENDPOINTS & explain_choices("endpoint"):
        args += ["--endpoint", fixture["endpoint"]]
    return [*args, "--", fixture["body"]]  # some bodies start with "-"


def fixture_ids() -> list[str]:
    ids = sorted(p.stem for p in FIXTURES.glob("*.json"))
    assert ids, "no error fixtures"
    return ids


@pytest.mark.parametrize("fixture_id", fixture_ids())
def test_explain_output_validates(fixture_id: str) -> None:
    result = run(explain_args(load_fixture(fixture_id)), key=None)
    doc = report_json(result)
    assert result.exit_code == doc["exit_code"]
    assert_valid("explain-1.json", doc)


def test_explain_without_hints_validates() -> None:
    body = load_fixture("aimock_401_invalid_api_key")["body"]
    result = run(["explain", "--format", "json", body], key=None)
    assert_valid("explain-1.json", report_json(result))


# --- the schemas can fail ---------------------------------------------------------------------


@pytest.fixture
def golden() -> dict[str, Any]:
    doc = json.loads((GOLDEN / "report.json.json").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_report_with_an_unknown_verdict_is_invalid(golden: dict[str, Any]) -> None:
    assert_invalid("report-1.json", {**golden, "verdict": "maybe"})


def test_report_without_exit_code_is_invalid(golden: dict[str, Any]) -> None:
    assert_invalid("report-1.json", {k: v for k, v in golden.items() if k != "exit_code"})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema",), "modelcheck.report/2"),
        (("models", 0, "verdict"), "maybe"),
        (("models", 0, "proof"), "yes"),
        (("models", 0, "diagnoses", 0, "severity"), "fatal"),
        (("models", 0, "diagnoses", 0, "certainty"), "sure"),
        (("models", 0, "diagnoses", 0, "confidence"), 1.5),
        (("models", 0, "probes", 0, "attempts"), 0),
        (("models", 0, "probes", 0, "network_error"), {"kind": "dns"}),
        (("models", 0, "probes", 0, "headers"), {"x-request-id": 1}),
        (("usage", "requests"), -1),
        (("policy", "fail_on"), "always"),
        (("as_of",), "25 Nov 2026"),
        (("listed_ids",), "gpt-4"),
    ],
)
def test_report_with_a_wrong_value_is_invalid(
    golden: dict[str, Any], path: tuple[str | int, ...], value: Any
) -> None:
    doc = copy.deepcopy(golden)
    target: Any = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert_invalid("report-1.json", doc)


def test_report_with_an_unknown_key_in_a_fixed_object_is_invalid(golden: dict[str, Any]) -> None:
    doc = copy.deepcopy(golden)
    doc["models"][0]["diagnoses"][0]["extra"] = True
    assert_invalid("report-1.json", doc)


def test_report_additions_at_the_top_level_and_in_model_entries_stay_valid(
    golden: dict[str, Any],
) -> None:
    doc = copy.deepcopy(golden)
    doc["listed_ids"] = ["gpt-3.5-turbo", "gpt-4o-mini", "o1"]
    doc["future_field"] = {"anything": 1}
    doc["models"][0]["future_field"] = None
    assert_valid("report-1.json", doc)
    assert_valid("report-1.json", {**golden, "listed_ids": None})


def test_explain_with_a_wrong_value_is_invalid() -> None:
    body = load_fixture("aimock_401_invalid_api_key")["body"]
    doc = report_json(run(["explain", "--format", "json", body], key=None))
    assert_valid("explain-1.json", doc)
    assert_invalid("explain-1.json", {**doc, "exit_code": 0})
    assert_invalid("explain-1.json", {**doc, "diagnoses": []})
    assert_invalid("explain-1.json", {k: v for k, v in doc.items() if k != "input"})
    bad_origin = copy.deepcopy(doc)
    bad_origin["input"]["origin"]["status"] = "guessed"
    assert_invalid("explain-1.json", bad_origin)
    # A report is not an explain result, and the other way round.
    assert_invalid("report-1.json", doc)
