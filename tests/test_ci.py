"""CI preflight: exit policy, config file, formats (whole outputs), GitHub and budgets."""

from __future__ import annotations

import dataclasses
import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema
from click.testing import Result

from modelcheck.cli import cli
from modelcheck.formats import FORMATS, RenderOptions
from modelcheck.formats.github import escape_data, escape_property
from modelcheck.report import to_dict
from modelcheck.simulator import OVERLOADED, Reply, Scenario, SimServer

from conftest import CANARY, fixed_report, report_json, run

Sim = Callable[[Scenario], SimServer]
GOLDEN = Path(__file__).parent / "golden"
XSD = xmlschema.XMLSchema(str(Path(__file__).parent / "junit.xsd"))
EXT = {"table": "txt", "markdown": "md", "github": "txt", "junit": "xml", "json": "json"}


def busy_server(sim: Sim) -> SimServer:
    return sim(
        Scenario("503", "503", routes={"POST /v1/chat/completions": [Reply(503, OVERLOADED)]})
    )


# --- exit status for each --fail-on --------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fail_on", "expected"),
    [
        ("pass", "inconclusive", 0),
        ("pass", "problem", 0),
        ("pass", "never", 0),
        ("fail", "inconclusive", 1),
        ("fail", "problem", 1),
        ("fail", "never", 0),
        ("inconclusive", "inconclusive", 3),
        ("inconclusive", "problem", 0),
        ("inconclusive", "never", 0),
    ],
)
def test_exit_status_for_each_policy(sim: Sim, case: str, fail_on: str, expected: int) -> None:
    server = busy_server(sim) if case == "inconclusive" else sim(Scenario("seed", "seed"))
    model = {"pass": "gpt-3.5-turbo", "fail": "gpt-4", "inconclusive": "gpt-4o-mini"}[case]
    result = run(["check", model, "--base-url", server.url, "--fail-on", fail_on, "-f", "json"])
    assert result.exit_code == expected
    assert report_json(result)["exit_code"] == expected
    assert report_json(result)["verdict"] == case
    warned = "the result is inconclusive; --fail-on" in result.stderr
    assert warned == (case == "inconclusive" and fail_on != "inconclusive")


def test_strict_fails_on_warnings(sim: Sim) -> None:
    server = sim(
        Scenario("o1", "o1", listed=("o1",), needs_max_completion_tokens=frozenset({"o1"}))
    )
    assert run(["check", "o1", "--base-url", server.url]).exit_code == 0
    strict = run(["check", "o1", "--base-url", server.url, "--strict"])
    assert strict.exit_code == 1
    assert "--strict: warnings fail the run" in strict.stderr
    assert (
        run(["check", "o1", "--base-url", server.url, "--strict", "--fail-on", "never"]).exit_code
        == 0
    )


def test_strict_fails_on_a_known_shutdown_within_90_days() -> None:
    from modelcheck.diagnosis.engine import assess
    from modelcheck.evidence import ModelEvidence, Probe, RunEvidence
    from modelcheck.keycheck import inspect_key
    from modelcheck.providers import PROVIDERS
    from modelcheck.report import build_report

    ok = Probe("chat", "POST", "/chat/completions", status=200)
    ev = RunEvidence(
        provider="openai",
        base_url="https://api.openai.com/v1",
        key=inspect_key(CANARY, "env", PROVIDERS["openai"]),
        models=(ModelEvidence("gpt-4-32k", True, (ok,)),),
    )
    # gpt-4-32k was retired on 2025-06-06 (OpenAI deprecations page).
    soon = assess(ev, today="2025-05-01")
    warning = soon.models[0].diagnoses[0]
    assert (warning.cause, warning.severity) == ("model_deprecated", "warning")
    assert "retired on 2025-06-06 (in 36 days)" in warning.summary
    assert build_report(ev, soon).exit_code == 0
    assert build_report(ev, soon, strict=True).exit_code == 1
    assert assess(ev, today="2025-01-01").models[0].diagnoses == ()  # 156 days: no warning

    # Another model inconclusive (a 503): --strict still fails on the warning, under either
    # --fail-on that fails anything; without --strict, --fail-on problem lets it pass.
    busy = Probe("chat", "POST", "/chat/completions", status=503)
    both = dataclasses.replace(ev, models=(*ev.models, ModelEvidence("gpt-4o-mini", True, (busy,))))
    mixed = assess(both, today="2025-05-01")
    assert mixed.verdict == "inconclusive"
    assert build_report(both, mixed, fail_on="problem").exit_code == 0
    assert build_report(both, mixed).exit_code == 3
    assert build_report(both, mixed, fail_on="problem", strict=True).exit_code == 1
    assert build_report(both, mixed, strict=True).exit_code == 1
    assert build_report(both, mixed, fail_on="never", strict=True).exit_code == 0


def test_require_adds_to_positional_models(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(
        [
            "check",
            "gpt-3.5-turbo",
            "--require",
            "gpt-4o-mini",
            "--require",
            "gpt-4",
            "--base-url",
            server.url,
            "-f",
            "json",
        ]
    )
    assert [m["model"] for m in report_json(result)["models"]] == [
        "gpt-3.5-turbo",
        "gpt-4o-mini",
        "gpt-4",
    ]
    assert result.exit_code == 1
    none = run(["check"])
    assert none.exit_code == 2
    assert "name at least one model" in none.stderr


# --- config file ----------------------------------------------------------------------------


def test_config_discovered_upwards_and_flags_override(
    sim: Sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = sim(Scenario("seed", "seed"))
    (tmp_path / "modelcheck.toml").write_text(
        f'base_url = "{server.url}"\nrequire = ["gpt-3.5-turbo", "gpt-4"]\nfail_on = "never"\n'
        'format = ["json"]\n'
    )
    child = tmp_path / "a" / "b"
    child.mkdir(parents=True)
    monkeypatch.chdir(child)
    result = run(["check"])
    assert result.exit_code == 0  # fail_on = never from the file
    assert [m["model"] for m in report_json(result)["models"]] == ["gpt-3.5-turbo", "gpt-4"]
    flagged = run(["check", "--fail-on", "inconclusive"])
    assert flagged.exit_code == 1  # the flag beats the file
    env = run(["check"], MODELCHECK_FAIL_ON="problem", MODELCHECK_FORMAT="table")
    assert env.exit_code == 1  # MODELCHECK_* beats the file
    assert env.stdout.startswith("modelcheck ")


def test_pyproject_section_and_explicit_config(
    sim: Sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = sim(Scenario("seed", "seed"))
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.modelcheck]\n'
        f'base_url = "{server.url}"\nrequire = ["gpt-4o-mini"]\nmax_requests = 50\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run(["check", "-f", "json"])
    assert result.exit_code == 0
    assert report_json(result)["usage"]["max_requests"] == 50
    other = tmp_path / "other.toml"
    other.write_text(f'base_url = "{server.url}"\nrequire = ["gpt-4"]\n')
    explicit = run(["check", "--config", str(other), "-f", "json"])
    assert [m["model"] for m in report_json(explicit)["models"]] == ["gpt-4"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'base_url = "http://127.0.0.1:9/v1"\n\nmax_request = 5\n',
            "modelcheck.toml:3: unknown setting 'max_request' (did you mean max_requests?)",
        ),
        (
            'max_requests = "fifty"\n',
            "modelcheck.toml:1: 'max_requests' must be an integer, not 'fifty'",
        ),
        (
            'fail_on = "sometimes"\n',
            "modelcheck.toml:1: 'fail_on' must be one of inconclusive, problem, never, not 'sometimes'",
        ),
        ('api_key = "sk-x"\n', "modelcheck.toml:1: 'api_key' is not allowed in a config file"),
        ("require = [\n", "modelcheck.toml: invalid TOML:"),
    ],
)
def test_bad_config_is_one_line_naming_file_line_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    (tmp_path / "modelcheck.toml").write_text(content)
    monkeypatch.chdir(tmp_path)
    result = run(["check", "gpt-4o"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("modelcheck: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_bad_environment_setting() -> None:
    result = run(["check", "gpt-4o"], MODELCHECK_MAX_REQUESTS="lots")
    assert result.exit_code == 2
    assert (
        "environment variable MODELCHECK_MAX_REQUESTS: 'max_requests' must be an integer"
        in result.stderr
    )


def test_every_check_flag_is_a_config_setting() -> None:
    from modelcheck.config import OPTIONS

    # --target and --all choose which targets run; the config file's targets are tables.
    selection = {"models", "config_path", "all_targets", "target_names"}
    params = {p.name for p in cli.commands["check"].params} - selection
    assert params <= set(OPTIONS)


# --- formats: whole outputs for fixed reports -------------------------------------------------


@pytest.mark.parametrize("account", [False, True])
@pytest.mark.parametrize("fmt", ["table", "markdown", "github", "junit", "json"])
def test_format_whole_output(fmt: str, account: bool) -> None:
    suffix = ".account" if account else ""
    expected = (GOLDEN / f"report{suffix}.{fmt}.{EXT[fmt]}").read_text(encoding="utf-8")
    text = FORMATS[fmt](fixed_report(account), RenderOptions())
    if fmt == "json":
        assert json.loads(text) == json.loads(expected) == to_dict(fixed_report(account))
    else:
        assert text == expected
    if fmt == "junit":
        XSD.validate(text)
    assert CANARY not in text


def test_table_style_and_color() -> None:
    report = fixed_report()
    grid = FORMATS["table"](report, RenderOptions(table_style="github"))
    assert "| model         | listed   | result       |" in grid
    colored = FORMATS["table"](report, RenderOptions(color=True))
    assert "\x1b[31;1mNOT USABLE\x1b[0m" in colored and "\x1b[32musable\x1b[0m" in colored
    assert "\x1b[" not in FORMATS["table"](report, RenderOptions())


def test_color_flags_and_environment(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    args = ["check", "gpt-3.5-turbo", "--base-url", server.url]
    assert "\x1b[32m" in run([*args, "--color", "always"]).stdout
    assert "\x1b[" not in run(args).stdout  # not a terminal
    assert "\x1b[32m" in run(args, FORCE_COLOR="1").stdout
    assert "\x1b[" not in run([*args, "--color", "never"], FORCE_COLOR="1").stdout
    bad = run([*args, "--table-style", "nope"])
    assert bad.exit_code == 2 and "unknown table style 'nope'" in bad.stderr


def test_annotation_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


def test_annotations_are_capped_at_ten_per_kind(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    models = [f"no-such-model-{i:02d}" for i in range(12)]
    result = run(["check", *models, "--base-url", server.url, "-f", "github"])
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 10
    assert errors[-1] == (
        "::error title=modelcheck%3A 3 more::3 more findings: no-such-model-09 not usable, "
        "no-such-model-10 not usable, no-such-model-11 not usable"
    )


# --- GitHub Actions: add-mask, auto format, step summary -----------------------------------


def test_github_actions_annotates_and_writes_the_step_summary(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("seed", "seed"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = run(
        ["check", "gpt-4", "gpt-3.5-turbo", "--base-url", server.url, "--as-of", "2023-07-15"],
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "::error title=modelcheck%3A gpt-4 not usable::model_requires_payment"
    )
    assert lines[1].startswith("modelcheck 0.1.0")  # then the table
    # No ::add-mask:: with the key, anywhere: the runner masks a secret by itself.
    assert "add-mask" not in result.stdout + result.stderr
    assert CANARY not in result.stdout + result.stderr
    written = summary.read_text()
    assert written.startswith("earlier step\n## \u274c modelcheck: not usable")
    assert "| `gpt-4` | chat | no | \u274c not usable | - | `model_requires_payment` |" in written
    assert CANARY not in written
    before = summary.read_text()
    run(
        ["check", "gpt-4", "--base-url", server.url, "--no-summary"],
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert summary.read_text() == before


def test_several_formats_and_outputs_in_one_run(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("seed", "seed"))
    junit, js = tmp_path / "report.xml", tmp_path / "report.json"
    result = run(
        [
            "check",
            "gpt-4",
            "gpt-3.5-turbo",
            "--base-url",
            server.url,
            "-f",
            "junit",
            "-o",
            str(junit),
            "-f",
            "json",
            "-o",
            str(js),
            "-f",
            "table",
        ]
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("modelcheck 0.1.0")
    assert result.stderr.endswith("verdict fail (exit 1)\n")
    XSD.validate(junit.read_text())
    assert json.loads(js.read_text())["verdict"] == "fail"
    for text in (junit.read_text(), js.read_text(), result.stdout):
        assert CANARY not in text
    sent = server.count()
    unwritable = run(
        [
            "check",
            "gpt-4",
            "--base-url",
            server.url,
            "-o",
            str(tmp_path / "no" / "x.json"),
        ]
    )
    # Said before any request is sent (not after the probes, paid ones included).
    assert unwritable.exit_code == 2 and "no such directory" in unwritable.stderr
    assert server.count() == sent
    unwritable = run(["check", "gpt-4", "--base-url", server.url, "-o", str(tmp_path)])
    assert unwritable.exit_code == 2 and "cannot" in unwritable.stderr


def _outputs(sim: Sim, tmp_path: Path, *args: str) -> tuple[Result, dict[str, str]]:
    server = sim(Scenario("seed", "seed"))
    result = run(["check", "gpt-4", "gpt-3.5-turbo", "--base-url", server.url, *args])
    files = {p.name: p.read_text() for p in tmp_path.iterdir() if p.is_file()}
    return result, files


def _kind(text: str) -> str:
    if text.startswith("<?xml"):
        XSD.validate(text)
        return "junit"
    if text.startswith("{"):
        json.loads(text)
        return "json"
    if text.startswith("## "):
        return "markdown"
    if text.startswith("::"):
        return "github"
    assert text.startswith("modelcheck 0.1.0"), text[:80]
    return "table"


@pytest.mark.parametrize(
    ("args", "files", "stdout"),
    [
        # README's GitLab snippet: the table on stdout, JUnit in the .xml file.
        (
            ["-f", "table", "-f", "junit", "-o", "modelcheck.xml"],
            {"modelcheck.xml": "junit"},
            "table",
        ),
        # A file alone: its extension names the format; nothing else on stdout.
        (["-o", "report.json"], {"report.json": "json"}, ""),
        (["-o", "report.md"], {"report.md": "markdown"}, ""),
        (["-o", "report.txt"], {"report.txt": "table"}, ""),
        (["-o", "junit:results"], {"results": "junit"}, ""),
        (["--format", "junit", "--output", "out.xml"], {"out.xml": "junit"}, ""),
        (["--format=json", "--output=out.log"], {"out.log": "json"}, ""),
        (["-o", "report.json", "-f", "markdown"], {"report.json": "json"}, "markdown"),
        (["-o", "json:-"], {}, "json"),
        (["-f", "github", "-o", "annotations.txt"], {"annotations.txt": "github"}, ""),
        # The format before an output that names its own goes to stdout.
        (["-f", "table", "-o", "junit:ci.xml"], {"ci.xml": "junit"}, "table"),
    ],
)
def test_each_file_gets_the_format_its_name_says(
    sim: Sim,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    files: dict[str, str],
    stdout: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result, written = _outputs(sim, tmp_path, *args)
    assert result.exit_code == 1, result.stderr
    assert {name: _kind(text) for name, text in written.items()} == files
    assert (_kind(result.stdout) if result.stdout else "") == stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "-o", "report.xml"], "the .xml extension means junit, not json"),
        (["-o", "json:report.xml"], "the .xml extension means junit, not json"),
        (["-o", "table:report.json"], "the .json extension means json, not table"),
        (["-o", "report.html"], "cannot tell the format from the extension .html"),
        (["-o", "report"], "cannot tell the format from the extension (none)"),
    ],
)
def test_a_format_that_contradicts_the_file_is_a_usage_error(
    sim: Sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result, written = _outputs(sim, tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == "" and written == {}


def test_config_file_outputs_follow_their_extension(
    sim: Sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = sim(Scenario("seed", "seed"))
    (tmp_path / "modelcheck.toml").write_text(
        f'base_url = "{server.url}"\nformat = ["table", "junit"]\noutput = ["ci.xml"]\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run(["check", "gpt-4"])
    assert result.exit_code == 1
    assert _kind((tmp_path / "ci.xml").read_text()) == "junit"
    assert _kind(result.stdout) == "table"


def test_canary_in_every_format_and_verbose(sim: Sim) -> None:
    echo = Reply(
        401,
        '{"error":{"message":"Incorrect API key provided: ' + CANARY + '",'
        '"type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
        headers=(("x-request-id", CANARY),),
    )
    server = sim(
        Scenario("echo", "echo", routes={"GET /v1/models": [echo], "GET /v1/models/gpt-4o": [echo]})
    )
    for fmt in ("table", "json", "markdown", "github", "junit"):
        result = run(["check", "gpt-4o", "--base-url", server.url, "-f", fmt, "-v"])
        assert result.exit_code == 1
        assert CANARY not in result.stdout + result.stderr, fmt


# --- budgets and progress --------------------------------------------------------------------


def test_token_budget_stops_chat_probes_exactly_at_the_cap(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(
        [
            "check",
            "gpt-3.5-turbo",
            "gpt-4o-mini",
            "davinci-002",
            "--max-tokens",
            "2",
            "--base-url",
            server.url,
            "-f",
            "json",
        ]
    )
    report = report_json(result)
    assert server.count("POST") == 2
    assert report["usage"]["completion_tokens"] == 2
    skipped = [m for m in report["models"] if m["verdict"] == "skipped"]
    assert len(skipped) == 1 and skipped[0]["skipped"] == "token budget of 2 reached"
    assert result.exit_code == 3
    assert any("budget ran out" in n for n in report["notes"])


def test_default_budget_for_twenty_models(sim: Sim) -> None:
    listed = tuple(f"model-{i:02d}" for i in range(20))
    server = sim(Scenario("many", "many", listed=listed))
    result = run(["check", *listed, "--base-url", server.url, "-f", "json"])
    usage = report_json(result)["usage"]
    assert result.exit_code == 0
    # One request per model and the list: 1 + 20 (the cap keeps room for retrieves).
    assert usage["requests"] == server.count() == 21 < usage["max_requests"] == 49 < 50
    # 2 per model, and room for one switch to the Responses API (16): no model data knows
    # these ids, so one of them may turn out to be served there.
    assert usage["completion_tokens"] == 20 <= usage["max_tokens"] == 40 + 16 < 100


def test_progress_on_a_terminal_only(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    cmd = [sys.executable, "-m", "modelcheck", "check", "gpt-3.5-turbo", "--base-url", server.url]
    env = {"OPENAI_API_KEY": CANARY, "PATH": os.environ.get("PATH", "")}
    master, slave = pty.openpty()
    done = subprocess.run(
        cmd, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=30, check=False
    )
    os.close(slave)
    seen = b""
    try:
        while chunk := os.read(master, 4096):
            seen += chunk
    except OSError:
        pass
    os.close(master)
    assert done.returncode == 0
    assert b"modelcheck: 1/1 models" in seen
    plain = subprocess.run(cmd, capture_output=True, env=env, timeout=30, check=False)
    assert b"models," not in plain.stderr and b"\r" not in plain.stderr
    quiet = subprocess.run([*cmd, "-q"], capture_output=True, env=env, timeout=30, check=False)
    assert quiet.stderr == b""


def test_empty_modelcheck_variables_are_unset(sim: Sim) -> None:
    # CI systems set variables to "" when a value is not given.
    server = sim(Scenario("empty", "empty", listed=("gpt-4o-mini",)))
    result = run(
        ["check", "gpt-4o-mini", "--base-url", server.url],
        MODELCHECK_PROVIDER="",
        MODELCHECK_FAIL_ON=" ",
        MODELCHECK_FREE="",
    )
    assert result.exit_code == 0, result.stderr


def test_a_usage_error_under_github_actions_is_also_an_annotation() -> None:
    result = run(["check", "m", "--provider", "bedrock"], key=None, GITHUB_ACTIONS="true")
    assert result.exit_code == 2
    assert result.stdout.startswith("::error title=modelcheck::provider 'bedrock' needs a region")
