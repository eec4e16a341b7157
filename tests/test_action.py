"""The GitHub Action (action.yml) and the GitLab CI template (ci/modelcheck.gitlab-ci.yml), their
real scripts run with bash against the simulator on 127.0.0.1.

The action runs as the runner would run it: inputs with their defaults, `${{ }}` expressions
evaluated in `env:` values only, GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY files, steps
in order, outputs from `outputs.*.value`. Installing never touches the network: a stub `python3`
records its arguments and makes a "virtual environment" whose `pip` records its arguments and
whose `python` and `modelcheck` run the real ones; the check step then runs the real modelcheck.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

from modelcheck.simulator import OVERLOADED, Reply, Scenario, SimServer

Sim = Callable[[Scenario], SimServer]
ROOT = Path(__file__).parent.parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
TEMPLATE: dict[str, Any] = yaml.safe_load(
    (ROOT / "ci" / "modelcheck.gitlab-ci.yml").read_text(encoding="utf-8")
)
KEY = "sk-proj-CANARYaction0000000000000000000007x7x"
KEY_MIDDLE = "CANARYaction"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
STEP_OUTPUT = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+)")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def real_modelcheck() -> str:
    """The modelcheck script of the environment running the tests."""
    found = shutil.which("modelcheck", path=str(Path(sys.executable).parent))
    found = found or shutil.which("modelcheck")
    assert found is not None, "modelcheck is not installed in the test environment"
    return found


STUB = """#!{python}
import hashlib, json, os, shutil, sys
KEY_SHA256 = {key_sha256!r}
entry = {{
    "name": {name!r},
    "argv": sys.argv[1:],
    "key_vars": sorted(
        n for n, v in os.environ.items() if hashlib.sha256(v.encode()).hexdigest() == KEY_SHA256
    ),
}}
with open(os.environ["STUB_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(entry) + "\\n")
{tail}
"""
VENV_TAIL = """
if sys.argv[1:3] == ["-m", "venv"]:
    shutil.copytree(os.environ["STUB_VENV_BIN"], os.path.join(sys.argv[3], "bin"))
    sys.exit(0)
sys.exit("stub python: only -m venv is expected here")
"""


def write_stub(path: Path, name: str, tail: str = "") -> None:
    key_sha256 = hashlib.sha256(KEY.encode()).hexdigest()  # the stubs never hold the key
    path.write_text(STUB.format(python=sys.executable, key_sha256=key_sha256, name=name, tail=tail))
    path.chmod(0o755)


def execs(target: str) -> str:
    return f"os.execv({target!r}, [{target!r}, *sys.argv[1:]])"


@dataclass
class Calls:
    """What the stubs recorded, in order."""

    log: Path

    def all(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def of(self, name: str) -> list[dict[str, Any]]:
        return [c for c in self.all() if c["name"] == name]


@dataclass
class ActionRun:
    code: int
    """The exit status of the last step that ran (a failing step ends the action)."""
    outputs: dict[str, str]
    steps: dict[str, dict[str, str]]
    stdout: str
    stderr: str
    ran: list[str]
    tmp: Path
    calls: Calls

    @property
    def runner_temp(self) -> Path:
        return self.tmp / "runner-temp"

    @property
    def workspace(self) -> Path:
        return self.tmp / "workspace"

    @property
    def summary(self) -> str:
        path = self.tmp / "step-summary.md"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def report(self) -> dict[str, Any]:
        data = json.loads(Path(self.outputs["report"]).read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data


def read_github_file(path: Path) -> dict[str, str]:
    """name=value lines and name<<DELIMITER blocks, as the runner reads GITHUB_OUTPUT."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        head, eq, value = line.partition("=")
        if eq and "<<" not in head:
            values[head] = value
        else:
            name, _, delimiter = line.partition("<<")
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1 : end])
            i = end
        i += 1
    return values


def read_github_file_lines(path: Path) -> list[str]:
    """The lines of GITHUB_PATH (each a folder to put first on PATH)."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(text: str, inputs: Mapping[str, str], steps: Mapping[str, Mapping[str, str]]) -> str:
    """The `${{ }}` expressions this action may use; any other is a test failure."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression.startswith("inputs."):
            name = expression[len("inputs.") :]
            assert name in inputs, f"unknown input in {match.group(0)}"
            return inputs[name]
        if expression == "github.action_path":
            return str(ROOT)
        step = STEP_OUTPUT.fullmatch(expression)
        assert step is not None, f"unsupported expression {match.group(0)}"
        return steps.get(step.group(1), {}).get(step.group(2), "")

    return EXPRESSION.sub(value, text)


def run_action(tmp_path: Path, given: Mapping[str, str], **env: str) -> ActionRun:
    """Run action.yml's steps with bash in a simulated GitHub Actions job."""
    declared: dict[str, Any] = ACTION["inputs"]
    assert set(given) <= set(declared), set(given) - set(declared)
    inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    inputs.update(given)
    for name, spec in declared.items():
        if spec.get("required"):
            assert inputs[name], f"required input {name} missing"

    runner_temp, workspace = tmp_path / "runner-temp", tmp_path / "workspace"
    stubs, venv_bin, scripts = tmp_path / "stubs", tmp_path / "venv-bin", tmp_path / "scripts"
    for folder in (runner_temp, workspace, stubs, venv_bin, scripts):
        folder.mkdir(exist_ok=True)
    write_stub(stubs / "python3", "python3", VENV_TAIL)
    write_stub(venv_bin / "pip", "pip")
    write_stub(venv_bin / "python", "python", execs(sys.executable))
    write_stub(venv_bin / "modelcheck", "modelcheck", execs(real_modelcheck()))
    github_path = tmp_path / "github-path"
    github_path.touch()
    base = {
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_PATH": str(github_path),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_WORKSPACE": str(workspace),
        "STUB_LOG": str(tmp_path / "stub-calls.jsonl"),
        "STUB_VENV_BIN": str(venv_bin),
        **env,
    }
    steps: dict[str, dict[str, str]] = {}
    stdout, stderr, ran, code = "", "", [], 0
    for n, step in enumerate(ACTION["runs"]["steps"]):
        assert step["shell"] == "bash" and "if" not in step
        step_id = step.get("id", f"step{n}")
        added = read_github_file_lines(github_path)
        path = ":".join([*reversed(added), str(stubs), SYSTEM_PATH])
        output = tmp_path / f"github-output-{step_id}"
        output.touch()
        step_env = {name: evaluate(str(v), inputs, steps) for name, v in step["env"].items()}
        full = {**base, "PATH": path, "GITHUB_OUTPUT": str(output), **step_env}
        script = scripts / f"{step_id}.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=full,
            capture_output=True,
            text=True,
            timeout=60,
        )
        stdout += done.stdout
        stderr += done.stderr
        steps[step_id] = read_github_file(output)
        ran.append(step_id)
        code = done.returncode
        if code != 0:
            break
    outputs = {
        name: evaluate(spec["value"], inputs, steps) for name, spec in ACTION["outputs"].items()
    }
    return ActionRun(
        code, outputs, steps, stdout, stderr, ran, tmp_path, Calls(tmp_path / "stub-calls.jsonl")
    )


def modelcheck_argv(run: ActionRun) -> list[str]:
    (call,) = run.calls.of("modelcheck")
    argv: list[str] = call["argv"]
    return argv


def post_requests(server: SimServer) -> list[str]:
    return [r.path for r in server.requests if r.method != "GET"]


# --- the action's text ------------------------------------------------------------------------


def test_the_action_is_composite_and_every_input_reaches_a_script_through_env_only() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["name"] and ACTION["description"] and ACTION["branding"]
    assert set(ACTION["outputs"]) == {"verdict", "exit-code", "report"}
    wired: set[str] = set()
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], f"an expression inside run: of {step.get('id')}"
        for value in step["env"].values():
            wired.update(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", str(value)))
    assert wired == set(ACTION["inputs"])
    for name, spec in ACTION["inputs"].items():
        assert isinstance(spec.get("default", ""), str), name
        assert "${{" not in spec["description"], name  # the runner would try to evaluate it


# --- install -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "spec"),
    [("", None), ("0.2.0", "modelcheck==0.2.0"), (">=0.2,<0.3", "modelcheck>=0.2,<0.3")],
    ids=["action-checkout", "pinned", "specifier"],
)
def test_install_makes_a_venv_and_installs_the_checkout_or_the_pinned_version(
    sim: Sim, tmp_path: Path, version: str, spec: str | None
) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path,
        {"models": "gpt-4o-mini", "base-url": server.url, "version": version},
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 0, run.stdout + run.stderr
    venv = run.runner_temp / "modelcheck-venv"
    (python,) = run.calls.of("python3")
    assert python["argv"] == ["-m", "venv", str(venv)]
    (pip,) = run.calls.of("pip")
    assert pip["argv"][0] == "install"
    assert pip["argv"][-1] == (spec or str(ROOT))
    assert run.steps["install"] == {"bin": str(venv / "bin")}
    # Later steps find modelcheck on PATH, and not the venv's python or pip.
    tools = run.runner_temp / "modelcheck-bin"
    assert read_github_file_lines(run.tmp / "github-path") == [str(tools)]
    assert [p.name for p in tools.iterdir()] == ["modelcheck"]
    later = subprocess.run(
        ["bash", "-c", "modelcheck --version"],
        env={"PATH": f"{tools}:{SYSTEM_PATH}", "LANG": "C.UTF-8", "STUB_LOG": str(run.calls.log)},
        capture_output=True,
        text=True,
    )
    assert later.returncode == 0 and later.stdout.startswith("modelcheck, version "), later.stderr


def test_the_python_input_names_the_interpreter(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    interpreter = tmp_path / "my-python3.12"
    write_stub(interpreter, "my-python", VENV_TAIL)
    run = run_action(
        tmp_path,
        {"models": "gpt-4o-mini", "base-url": server.url, "python": str(interpreter)},
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 0, run.stderr
    assert [c["name"] for c in run.calls.all()][:2] == ["my-python", "pip"]
    assert run.calls.of("python3") == []


# --- check -----------------------------------------------------------------------------------


def test_default_inputs_pass_spend_nothing_and_write_every_report(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o", "gpt-4o-mini")))
    run = run_action(
        tmp_path, {"models": "gpt-4o-mini,\n gpt-4o", "base-url": server.url}, OPENAI_API_KEY=KEY
    )
    assert run.code == 0, run.stdout + run.stderr
    assert run.ran == ["install", "check"]
    report_path = run.runner_temp / "modelcheck-report.json"
    assert run.outputs == {"verdict": "pass", "exit-code": "0", "report": str(report_path)}
    report = run.report()
    assert (report["verdict"], report["exit_code"]) == ("pass", 0)
    assert [m["model"] for m in report["models"]] == ["gpt-4o-mini", "gpt-4o"]
    # free: 'true' by default: the models list and nothing else, no tokens.
    assert post_requests(server) == []
    assert server.count("GET", "/models") >= 1
    assert report["usage"]["completion_tokens"] == 0
    argv = modelcheck_argv(run)
    assert "--free" in argv and argv[argv.index("--fail-on") + 1] == "inconclusive"
    # auto under GitHub Actions: annotations, then the table; Markdown in the job summary.
    assert re.search(r"^gpt-4o-mini +yes +usable", run.stdout, re.M)
    assert "::error" not in run.stdout
    assert run.summary.startswith("## ")
    assert "`gpt-4o-mini`" in run.summary
    assert "Traceback" not in run.stderr


def test_a_missing_model_fails_the_step_with_annotations(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("unlisted", "unlisted", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path,
        {"models": "gpt-4o gpt-4o-mini", "base-url": server.url, "free": "false"},
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 1
    assert run.outputs["verdict"] == "fail" and run.outputs["exit-code"] == "1"
    assert run.report()["verdict"] == "fail"
    errors = [line for line in run.stdout.splitlines() if line.startswith("::error")]
    assert errors and errors[0].startswith("::error title=modelcheck%3A gpt-4o not usable::")
    assert "--no-free" in modelcheck_argv(run)
    assert "/v1/chat/completions" in post_requests(server)  # free: 'false' sends real requests


def test_fail_on_never_passes_the_step_and_keeps_the_verdict(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("unlisted", "unlisted", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path,
        {"models": "gpt-4o", "base-url": server.url, "fail-on": "never"},
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 0
    assert (run.outputs["verdict"], run.outputs["exit-code"]) == ("fail", "0")
    assert (run.report()["verdict"], run.report()["exit_code"]) == ("fail", 0)
    assert "::error title=modelcheck%3A gpt-4o not usable::" in run.stdout


def test_an_inconclusive_run_exits_3(sim: Sim, tmp_path: Path) -> None:
    busy = {"POST /v1/chat/completions": [Reply(503, OVERLOADED)]}
    server = sim(Scenario("busy", "busy", listed=("gpt-4o-mini",), routes=busy))
    run = run_action(
        tmp_path,
        {"models": "gpt-4o-mini", "base-url": server.url, "free": "false", "args": "--retries 0"},
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 3
    assert (run.outputs["verdict"], run.outputs["exit-code"]) == ("inconclusive", "3")


@pytest.mark.parametrize("key_env", ["", "CI_OPENAI_KEY"], ids=["MC_API_KEY", "named"])
def test_the_api_key_input_reaches_modelcheck_only_through_the_environment(
    sim: Sim, tmp_path: Path, key_env: str
) -> None:
    # The server accepts this key and no other: a pass proves the key got through.
    server = sim(Scenario("keyed", "keyed", listed=("gpt-4o-mini",), key=KEY))
    run = run_action(
        tmp_path,
        {
            "models": "gpt-4o-mini",
            "base-url": server.url,
            "api-key": KEY,
            "api-key-env": key_env,
            "free": "false",
            "format": "auto json markdown",
            "output": "junit:out/report.xml",
            "args": "-v",
        },
    )
    assert run.code == 0, run.stdout + run.stderr
    assert run.outputs["verdict"] == "pass"
    assert all(r.authorized for r in server.requests) and post_requests(server)
    variable = key_env or "MC_API_KEY"
    for call in run.calls.all():
        assert KEY not in " ".join(call["argv"]), call["name"]
        assert call["key_vars"] == ([variable] if call["name"] in ("modelcheck", "python") else [])
    argv = modelcheck_argv(run)
    assert argv[argv.index("--api-key-env") + 1] == variable
    assert "--api-key" not in argv
    # Nothing written anywhere holds the key or any part of it past the masked form.
    written = [run.stdout, run.stderr]
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert {"step-summary.md", "github-output-check", "report.xml"} <= {f.name for f in files}
    written += [path.read_text(encoding="utf-8", errors="replace") for path in files]
    for text in written:
        assert KEY not in text and KEY_MIDDLE not in text
    assert "sk-proj-\u20267x7x" in run.stdout  # the masked key, as modelcheck shows it


def test_output_files_are_written_and_their_directories_created(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path,
        {
            "models": "gpt-4o-mini",
            "base-url": server.url,
            "output": "junit:out/report.xml, reports/deep/modelcheck.md",
        },
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 0, run.stderr
    suite = ET.parse(run.workspace / "out" / "report.xml").getroot()
    cases = suite.iter("testcase")
    assert [c.get("name") for c in cases] == ["gpt-4o-mini"]
    assert (run.workspace / "reports" / "deep" / "modelcheck.md").read_text().startswith("## ")
    assert run.report()["verdict"] == "pass"  # the action's own JSON report too


def test_a_json_format_goes_to_standard_output_beside_the_report_file(
    sim: Sim, tmp_path: Path
) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path,
        {"models": "gpt-4o-mini", "base-url": server.url, "format": "json"},
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 0, run.stderr
    check_stdout = run.stdout[run.stdout.index("{") :]
    assert json.loads(check_stdout)["verdict"] == "pass"


def test_args_are_split_as_a_shell_splits_them(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path,
        {
            "models": "gpt-4o-mini",
            "base-url": server.url,
            "args": "--header 'x-team: ci preflight' --max-requests 5 --quiet",
        },
        OPENAI_API_KEY=KEY,
    )
    assert run.code == 0, run.stderr
    assert all(("x-team", "ci preflight") in r.headers for r in server.requests)
    argv = modelcheck_argv(run)
    assert argv[argv.index("--header") + 1] == "x-team: ci preflight"


@pytest.mark.parametrize(
    ("inputs", "says"),
    [
        ({"format": "bogus"}, "'bogus' is not one of"),
        ({"fail-on": "sometimes"}, "'sometimes' is not one of"),
        ({"free": "maybe"}, "free must be true or false, not 'maybe'"),
        ({"models": " ,\n "}, "models is empty"),
        ({"args": "--header 'x: y"}, "args cannot be split"),
        ({"api-key": KEY, "api-key-env": "1-BAD"}, "api-key-env must be a variable name"),
        ({"args": "--timeout soon"}, "'soon' is not a valid float"),
    ],
    ids=["format", "fail-on", "free", "no-models", "args-quote", "key-env", "args-value"],
)
def test_a_usage_error_exits_2_with_verdict_error_and_no_traceback(
    sim: Sim, tmp_path: Path, inputs: dict[str, str], says: str
) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    run = run_action(
        tmp_path, {"models": "gpt-4o-mini", "base-url": server.url, **inputs}, OPENAI_API_KEY=KEY
    )
    assert run.code == 2
    assert run.outputs == {"verdict": "error", "exit-code": "2", "report": ""}
    assert says in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert any(line.startswith("::error title=modelcheck") for line in run.stdout.splitlines())
    assert server.requests == []


def test_a_report_left_by_an_earlier_run_in_the_job_is_never_reported(
    sim: Sim, tmp_path: Path
) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o-mini",)))
    stale = tmp_path / "runner-temp" / "modelcheck-report.json"
    stale.parent.mkdir()
    stale.write_text(json.dumps({"verdict": "pass", "exit_code": 0}))
    run = run_action(tmp_path, {"models": "gpt-4o-mini", "base-url": server.url, "format": "x"})
    assert run.code == 2
    assert run.outputs == {"verdict": "error", "exit-code": "2", "report": ""}
    assert not stale.exists()


# --- GitLab CI template ----------------------------------------------------------------------


@dataclass
class JobRun:
    code: int
    stdout: str
    stderr: str
    project: Path
    calls: Calls


def run_gitlab_job(tmp_path: Path, shell: str, overrides: Mapping[str, str], **env: str) -> JobRun:
    """The `.modelcheck` job's script lines in one shell session, as GitLab's runner runs them
    (`set -eo pipefail` first), with its variables, then the extending job's."""
    job = TEMPLATE[".modelcheck"]
    project, stubs, tools = tmp_path / "project", tmp_path / "stubs", tmp_path / "tools"
    for folder in (project, stubs, tools):
        folder.mkdir()
    write_stub(stubs / "pip", "pip")
    (tools / "modelcheck").symlink_to(real_modelcheck())
    variables = {name: str(value) for name, value in job["variables"].items()}
    variables.update(overrides)
    full = {
        "PATH": f"{stubs}:{tools}:{SYSTEM_PATH}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_PROJECT_DIR": str(project),
        "STUB_LOG": str(tmp_path / "stub-calls.jsonl"),
        **variables,
        **env,
    }
    prologue = "set -eo pipefail" if shell == "bash" else "set -e"
    script = tmp_path / "job.sh"
    script.write_text("\n".join([prologue, *job["script"]]) + "\n", encoding="utf-8")
    done = subprocess.run(
        [shell, str(script)], cwd=project, env=full, capture_output=True, text=True, timeout=60
    )
    return JobRun(
        done.returncode, done.stdout, done.stderr, project, Calls(tmp_path / "stub-calls.jsonl")
    )


SHELLS = [s for s in ("bash", "sh") if shutil.which(s)]


def test_the_template_is_a_hidden_job_with_junit_artifacts_always() -> None:
    job = TEMPLATE[".modelcheck"]
    assert job["image"] == "python:3.12-slim"
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "modelcheck.xml"
    # Template-only variables are not MODELCHECK_*: modelcheck warns about unknown ones.
    from modelcheck.config import OPTIONS

    settings = {f"MODELCHECK_{name.upper()}" for name in OPTIONS}
    for name in job["variables"]:
        assert name in settings or not name.startswith("MODELCHECK_"), name


@pytest.mark.parametrize("shell", SHELLS)
def test_the_gitlab_template_passes_and_writes_junit_and_json(
    sim: Sim, tmp_path: Path, shell: str
) -> None:
    server = sim(Scenario("listed", "listed", listed=("gpt-4o", "gpt-4o-mini")))
    job = run_gitlab_job(
        tmp_path,
        shell,
        {"MODELCHECK_REQUIRE": "gpt-4o, gpt-4o-mini"},
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=server.url,
    )
    assert job.code == 0, job.stdout + job.stderr
    (pip,) = job.calls.of("pip")
    assert pip["argv"][0] == "install" and pip["argv"][-1] == "modelcheck"
    junit = job.project / TEMPLATE[".modelcheck"]["artifacts"]["reports"]["junit"]
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    assert [c.get("name") for c in cases] == ["gpt-4o", "gpt-4o-mini"]
    assert not any(c.find("failure") is not None for c in cases)
    report = json.loads((job.project / "modelcheck.json").read_text())
    assert report["verdict"] == "pass"
    assert post_requests(server) == []  # MODELCHECK_FREE: "true" by default
    assert re.search(r"^gpt-4o-mini +yes +usable", job.stdout, re.M)  # the table in the log
    # The empty MODELCHECK_* defaults were unset; no template variable is warned about.
    assert "warning" not in job.stderr
    assert KEY not in job.stdout + job.stderr + junit.read_text() + json.dumps(report)


@pytest.mark.parametrize("shell", SHELLS)
def test_the_gitlab_template_fails_on_a_missing_model_and_pins_the_version(
    sim: Sim, tmp_path: Path, shell: str
) -> None:
    server = sim(Scenario("unlisted", "unlisted", listed=("gpt-4o-mini",)))
    job = run_gitlab_job(
        tmp_path,
        shell,
        {
            "MODELCHECK_REQUIRE": "gpt-4o gpt-4o-mini",
            "MODELCHECK_FREE": "false",
            "MC_VERSION": "0.2.0",
            "MC_ARGS": "--max-requests 20",
        },
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=server.url,
    )
    assert job.code == 1, job.stdout + job.stderr
    assert job.calls.of("pip")[0]["argv"][-1] == "modelcheck==0.2.0"
    cases = {c.get("name"): c for c in ET.parse(job.project / "modelcheck.xml").iter("testcase")}
    assert cases["gpt-4o"].find("failure") is not None
    assert cases["gpt-4o-mini"].find("failure") is None
    report = json.loads((job.project / "modelcheck.json").read_text())
    assert (report["verdict"], report["exit_code"]) == ("fail", 1)
    assert report["usage"]["max_requests"] == 20  # MC_ARGS reached modelcheck
    assert "/v1/chat/completions" in post_requests(server)


def test_modelcheck_reads_the_template_settings_and_empty_ones_are_unset(
    sim: Sim, tmp_path: Path
) -> None:
    server = sim(Scenario("unlisted", "unlisted", listed=("gpt-4o-mini",)))
    job = run_gitlab_job(
        tmp_path,
        "bash",
        {
            "MODELCHECK_REQUIRE": "gpt-4o",
            "MODELCHECK_FAIL_ON": "never",
            "MODELCHECK_PROVIDER": "",
            "MODELCHECK_FORMAT": "",
        },
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=server.url,
    )
    assert job.code == 0, job.stderr  # MODELCHECK_FAIL_ON=never: a failing run passes
    report = json.loads((job.project / "modelcheck.json").read_text())
    assert (report["verdict"], report["policy"]["fail_on"]) == ("fail", "never")
    assert report["provider"] == "openai"  # the empty MODELCHECK_PROVIDER was unset
    assert job.stdout == ""  # no format left for standard output: the files only
    assert ET.parse(job.project / "modelcheck.xml").getroot().find(".//failure") is not None
