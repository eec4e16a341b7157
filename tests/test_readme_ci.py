"""README's CI snippets, run as written (with the simulator on 127.0.0.1 as the server and a
simulated GitHub Actions / GitLab environment), and the files they write parsed."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xmlschema
import yaml

from modelcheck.simulator import Scenario, SimServer

from conftest import CANARY

Sim = Callable[[Scenario], SimServer]
ROOT = Path(__file__).parent.parent
XSD = xmlschema.XMLSchema(str(Path(__file__).parent / "junit.xsd"))


def snippet(heading: str) -> Any:
    """The first ```yaml block under README's ``### heading``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(f"### {heading}\n") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None, heading
    return yaml.safe_load(block.group(1))


def modelcheck_commands(lines: list[str]) -> list[list[str]]:
    """The modelcheck invocations among a job's shell lines (installs are skipped: the package
    under test is installed already)."""
    commands = []
    for line in lines:
        words = shlex.split(line)
        if words and words[0] == "modelcheck":
            commands.append([sys.executable, "-m", "modelcheck", *words[1:]])
        else:
            assert "pip install modelcheck" in line or line.startswith("echo"), line
    return commands


def execute(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ.get("PATH", ""), **env}
    return subprocess.run(command, env=full, cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("usable", [True, False], ids=["models-usable", "gpt-4o-missing"])
def test_the_github_actions_snippet_runs_as_written(sim: Sim, tmp_path: Path, usable: bool) -> None:
    listed = ("gpt-4o", "gpt-4o-mini") if usable else ("gpt-4o-mini",)
    server = sim(Scenario("gha", "gha", listed=listed))
    workflow = snippet("GitHub Actions")
    steps = workflow["jobs"]["preflight"]["steps"]
    runs = [s for s in steps if "modelcheck check" in s.get("run", "")]
    assert len(runs) == 1
    step = runs[0]
    assert step["env"] == {"OPENAI_API_KEY": "${{ secrets.OPENAI_API_KEY }}"}
    summary = tmp_path / "summary.md"
    env = {
        "OPENAI_API_KEY": CANARY,  # what the runner puts there from the secret
        "OPENAI_BASE_URL": server.url,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    (command,) = modelcheck_commands(step["run"].splitlines())
    done = execute(command, env, tmp_path)
    assert done.returncode == (0 if usable else 1), done.stderr
    assert CANARY not in done.stdout + done.stderr + summary.read_text()
    lines = done.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    if usable:
        assert annotations == []
        assert lines[0].startswith("modelcheck 0.1.0")
    else:
        assert annotations[0].startswith("::error title=modelcheck%3A gpt-4o not usable::")
    assert summary.read_text().startswith("## ")
    report = json.loads((tmp_path / "modelcheck.json").read_text())
    assert report["verdict"] == ("pass" if usable else "fail")
    assert [m["model"] for m in report["models"]] == ["gpt-4o", "gpt-4o-mini"]


def test_the_gitlab_snippet_runs_as_written_and_writes_valid_junit(
    sim: Sim, tmp_path: Path
) -> None:
    server = sim(Scenario("gitlab", "gitlab", listed=("gpt-4o-mini",)))
    job = snippet("GitLab CI")["preflight"]
    report_file = job["artifacts"]["reports"]["junit"]
    env = {"OPENAI_API_KEY": CANARY, "OPENAI_BASE_URL": server.url, "GITLAB_CI": "true"}
    (command,) = modelcheck_commands(job["script"])
    done = execute(command, env, tmp_path)
    assert done.returncode == 1  # gpt-4o is not in this key's list
    assert done.stdout.startswith("modelcheck 0.1.0")  # the table in the job log
    junit = (tmp_path / report_file).read_text()
    XSD.validate(junit)
    assert 'name="gpt-4o"' in junit and "<failure" in junit
    assert CANARY not in done.stdout + done.stderr + junit
