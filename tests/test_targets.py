"""Many targets in one run: [[target]] tables in the config file, --target, --all; over real
HTTP to two simulated providers on 127.0.0.1 (an OpenAI-compatible gateway and Anthropic)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from modelcheck.simulator import SCENARIOS, Scenario, SimServer

from conftest import run

Sim = Callable[[Scenario], SimServer]
GW_KEY = "sk-gateway-target0000000000000000007x7x"
CLAUDE_KEY = "sk-ant-api03-" + "t" * 80 + "AA"


@pytest.fixture
def servers(sim: Sim) -> tuple[SimServer, SimServer]:
    gateway = sim(Scenario("gw", "gw", listed=("gpt-4o-mini", "gpt-3.5-turbo")))
    claude = sim(dataclasses.replace(SCENARIOS["anthropic"], key=CLAUDE_KEY))
    return gateway, claude


def config(tmp_path: Path, gateway: SimServer, claude: SimServer, extra: str = "") -> Path:
    path = tmp_path / "modelcheck.toml"
    path.write_text(
        f"""{extra}
[[target]]
name = "gw"
provider = "compatible"
base_url = "{gateway.url}"
api_key_env = "GW_KEY"
require = ["gpt-4o-mini"]

[[target]]
name = "claude"
provider = "anthropic"
base_url = "{claude.url}"
api_key_env = "CLAUDE_KEY"
"""
    )
    return path


def targets_run(path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    keys = {"GW_KEY": GW_KEY, "CLAUDE_KEY": CLAUDE_KEY} if env is None else env
    result = run(["check", "--config", str(path), *args], key=None, **keys)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_one_report_with_a_section_per_target_and_the_worst_exit(
    tmp_path: Path, servers: tuple[SimServer, SimServer]
) -> None:
    gateway, claude = servers
    path = config(tmp_path, gateway, claude)
    code, out, err = targets_run(
        path, "claude:claude-sonnet-4-5", "claude:claude-2.1", "-f", "json"
    )
    assert code == 1  # claude-2.1 is retired: the worst of pass and fail
    doc: dict[str, Any] = json.loads(out)
    assert (doc["schema"], doc["verdict"], doc["exit_code"]) == ("modelcheck.targets/1", "fail", 1)
    sections = {t["name"]: t["report"] for t in doc["targets"]}
    assert list(sections) == ["gw", "claude"]
    assert sections["gw"]["verdict"] == "pass" and sections["gw"]["provider"] == "compatible"
    claude_models = {m["model"]: m["verdict"] for m in sections["claude"]["models"]}
    assert claude_models == {"claude-sonnet-4-5": "pass", "claude-2.1": "fail"}
    # Each target spoke its own API with its own key.
    assert {r.auth_header for r in claude.requests} == {"x-api-key"}
    assert all(r.authorized for r in gateway.requests + claude.requests)
    assert "over 2 targets" in err


def test_formats_name_each_target(tmp_path: Path, servers: tuple[SimServer, SimServer]) -> None:
    path = config(tmp_path, *servers)
    junit = tmp_path / "report.xml"
    code, out, _ = targets_run(path, "claude:claude-sonnet-4-5", "-o", str(junit), "-f", "table")
    assert code == 0
    assert "target gw" in out and "target claude" in out and "verdict pass" in out
    suites = ET.parse(junit).getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["modelcheck.gw", "modelcheck.claude"]
    _, annotations, _ = targets_run(path, "claude:claude-x", "-f", "github")
    assert "modelcheck[claude]" in annotations


def test_target_picks_and_budgets_are_per_target(
    tmp_path: Path, servers: tuple[SimServer, SimServer]
) -> None:
    gateway, claude = servers
    path = config(tmp_path, gateway, claude)
    code, out, _ = targets_run(path, "--target", "gw", "gw:gpt-3.5-turbo", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert [t["name"] for t in doc["targets"]] == ["gw"]
    report = doc["targets"][0]["report"]
    assert sorted(m["model"] for m in report["models"]) == ["gpt-3.5-turbo", "gpt-4o-mini"]
    assert report["usage"]["max_requests"] == 1 + 2 * 2 + 8  # its own two models
    assert claude.count() == 0


def test_a_target_without_models_checks_the_key(
    tmp_path: Path, servers: tuple[SimServer, SimServer]
) -> None:
    path = config(tmp_path, *servers)
    code, out, _ = targets_run(path, "-f", "json")
    assert code == 0
    claude = json.loads(out)["targets"][1]["report"]
    assert claude["models"] == [] and claude["listed_count"] == 2


def test_a_bare_model_must_name_its_target(
    tmp_path: Path, servers: tuple[SimServer, SimServer]
) -> None:
    path = config(tmp_path, *servers)
    code, _, err = targets_run(path, "gpt-4o-mini")
    assert code == 2
    assert "say which target it is for, e.g. gw:gpt-4o-mini" in err


def test_usage_errors(tmp_path: Path, servers: tuple[SimServer, SimServer]) -> None:
    path = config(tmp_path, *servers)
    code, _, err = targets_run(path, "--target", "nope")
    assert code == 2 and "no such target (targets: gw, claude)" in err
    # A flag that names one provider makes a single run; with --target it is a contradiction.
    code, _, err = targets_run(path, "--target", "gw", "--provider", "openai")
    assert code == 2 and "--provider names one provider or key" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('[[target]]\nprovider = "openai"\n')
    code, _, err = targets_run(bad)
    assert code == 2 and "needs a name" in err
    bad.write_text('[[target]]\nname = "a"\nformat = ["json"]\n')
    code, _, err = targets_run(bad)
    assert code == 2 and "'format' is a setting of the whole run" in err
    bad.write_text('[[target]]\nname = "a"\n\n[[target]]\nname = "a"\n')
    code, _, err = targets_run(bad)
    assert code == 2 and "used twice" in err


def test_all_checks_every_provider_whose_key_is_set(servers: tuple[SimServer, SimServer]) -> None:
    gateway, claude = servers
    env = {
        "OPENAI_API_KEY": "sk-proj-" + "a" * 20 + "T3BlbkFJ" + "b" * 20,
        "OPENAI_BASE_URL": gateway.url,
        "ANTHROPIC_API_KEY": CLAUDE_KEY,
        "ANTHROPIC_BASE_URL": claude.url,
    }
    args = ["check", "--all", "openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5", "-f", "json"]
    result = run(args, key=None, **env)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [t["name"] for t in doc["targets"]] == ["openai", "anthropic"]
    assert {r.auth_header for r in claude.requests} == {"x-api-key"}
    assert CLAUDE_KEY not in result.stdout + result.stderr


def test_all_with_no_key_set_is_a_usage_error() -> None:
    result = run(["check", "--all"], key=None)
    assert result.exit_code == 2 and "no target to check" in result.stderr


def test_concurrency_is_shared_fairly(tmp_path: Path, servers: tuple[SimServer, SimServer]) -> None:
    from modelcheck.settings import load_run

    path = config(tmp_path, *servers, extra="concurrency = 7")
    env = {"GW_KEY": GW_KEY, "CLAUDE_KEY": CLAUDE_KEY}
    targets, _ = load_run((), {}, env, tmp_path, config_path=str(path))
    assert [t.settings.concurrency for t in targets] == [4, 3]
