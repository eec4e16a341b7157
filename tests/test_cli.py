"""CLI behaviour: usage errors, key problems found before any request, settings precedence."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from modelcheck import __version__
from modelcheck.simulator import Scenario, SimServer

from conftest import CANARY, causes, model_entry, report_json, run

Sim = Callable[[Scenario], SimServer]


def test_no_model_is_a_usage_error() -> None:
    result = run(["check"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("modelcheck: error: name at least one model")


def test_bad_flag_is_a_usage_error() -> None:
    result = run(["check", "gpt-4o", "--format", "yaml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_base_url_is_a_usage_error() -> None:
    result = run(["check", "gpt-4o", "--base-url", "api.openai.com/v1"])
    assert result.exit_code == 2
    assert result.stderr == (
        "modelcheck: error: base URL 'api.openai.com/v1' is not an http(s) URL "
        "(example: https://api.openai.com/v1)\n"
    )


def test_unreadable_key_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.key"
    result = run(["check", "gpt-4o", "--api-key-file", str(missing)], key=None)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"modelcheck: error: cannot read key file {missing}: No such file or directory\n"
    )


def test_key_in_clear_text_to_remote_host_is_refused() -> None:
    result = run(["check", "gpt-4o", "--base-url", "http://example.invalid/v1"])
    assert result.exit_code == 2
    assert "refusing to send the key in clear text to example.invalid" in result.stderr
    assert CANARY not in result.stderr


def test_missing_key_is_diagnosed_without_any_request(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(["check", "gpt-4o-mini", "--base-url", server.url, "--format", "json"], key=None)
    assert result.exit_code == 1
    report = report_json(result)
    assert causes(report["account"]) == ["missing_api_key"]
    assert "OPENAI_API_KEY" in report["account"]["diagnoses"][0]["summary"]
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "skipped"
    assert report["key"] is None
    assert server.count() == 0


def test_api_key_env_names_the_variable(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(
        ["check", "gpt-4o-mini", "--base-url", server.url, "--api-key-env", "MY_KEY"],
        key=None,
        MY_KEY=CANARY,
    )
    assert result.exit_code == 0
    missing = run(
        [
            "check",
            "gpt-4o-mini",
            "--base-url",
            server.url,
            "--api-key-env",
            "OTHER",
            "--format",
            "json",
        ]
    )
    assert "OTHER" in report_json(missing)["account"]["diagnoses"][0]["summary"]


def test_key_with_quotes_or_inner_space_is_diagnosed_not_sent(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    for bad, rule in (
        (f'"{CANARY}"', "key.quoted"),
        (CANARY[:12] + " " + CANARY[12:], "key.whitespace"),
    ):
        result = run(
            ["check", "gpt-4o-mini", "--base-url", server.url, "--format", "json"], key=bad
        )
        assert result.exit_code == 1
        diagnosis = report_json(result)["account"]["diagnoses"][0]
        assert (diagnosis["cause"], diagnosis["rule"]) == ("invalid_api_key", rule)
        assert CANARY[8:-4] not in result.stdout
    placeholder = run(
        ["check", "gpt-4o-mini", "--base-url", server.url, "--format", "json"], key="sk-..."
    )
    assert causes(report_json(placeholder)["account"]) == ["missing_api_key"]
    assert server.count() == 0


def test_trailing_newline_of_a_key_file_is_stripped(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("seed", "seed", key=CANARY))
    key_file = tmp_path / "key"
    key_file.write_text(CANARY + "\n")
    result = run(
        ["check", "gpt-4o-mini", "--base-url", server.url, "--api-key-file", str(key_file)],
        key=None,
    )
    assert result.exit_code == 0


def test_api_key_flag_works_but_warns(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed", key=CANARY))
    result = run(["check", "gpt-4o-mini", "--base-url", server.url, "--api-key", CANARY], key=None)
    assert result.exit_code == 0
    assert (
        "modelcheck: warning: a key given with --api-key is saved in your shell history"
        in result.stderr
    )
    assert CANARY not in result.stderr + result.stdout


def test_flags_override_environment(sim: Sim) -> None:
    good = sim(Scenario("good", "good"))
    result = run(
        ["check", "gpt-4o-mini", "--base-url", good.url],
        OPENAI_BASE_URL="http://127.0.0.1:9/v1",
        OPENAI_ORG_ID="org-from-env",
        OPENAI_PROJECT_ID="proj_env",
    )
    assert result.exit_code == 0
    assert {r.organization for r in good.requests} == {"org-from-env"}
    assert {r.project for r in good.requests} == {"proj_env"}
    flagged = run(["check", "gpt-4o-mini", "--org", "org-flag"], OPENAI_BASE_URL=good.url)
    assert flagged.exit_code == 0
    assert good.requests[-1].organization == "org-flag"


def test_compatible_provider_needs_a_base_url() -> None:
    result = run(["check", "llama3", "--provider", "compatible"])
    assert result.exit_code == 2
    assert "needs --base-url" in result.stderr


def test_help_has_examples_and_exit_statuses() -> None:
    result = run(["check", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "3  inconclusive" in result.stdout


def test_demo_runs_every_scenario_and_exits_0() -> None:
    result = run(["demo"], key=None)
    assert result.exit_code == 0
    out = result.stdout
    for expected in (
        "=== scenario seed",
        "model_requires_payment",
        "=== scenario typo",
        "did you mean: gpt-4o-mini",
        "=== scenario invalid-key",
        "invalid_api_key",
        "=== scenario no-quota",
        "insufficient_quota",
    ):
        assert expected in out


def test_unknown_demo_scenario_is_a_usage_error() -> None:
    result = run(["demo", "--scenario", "nope"])
    assert result.exit_code == 2
    assert "unknown scenario 'nope'" in result.stderr


def test_choice_names_match_the_data() -> None:
    from modelcheck.config import OPTIONS
    from modelcheck.names import FORMAT_CHOICES, PROBE_PROVIDER_NAMES, PROVIDER_NAMES
    from modelcheck.providers import PROVIDERS

    assert tuple(PROVIDERS) == PROVIDER_NAMES
    assert tuple(p.name for p in PROVIDERS.values() if p.probe) == PROBE_PROVIDER_NAMES
    assert OPTIONS["format"].choices == FORMAT_CHOICES
    from modelcheck.cli import DEMO_SCENARIOS
    from modelcheck.dialects import DIALECTS, MODES
    from modelcheck.names import MODE_CHOICES
    from modelcheck.simulator import SCENARIOS

    assert tuple(SCENARIOS) == DEMO_SCENARIOS
    assert MODES == MODE_CHOICES == OPTIONS["mode"].choices == OPTIONS["endpoint"].choices
    # Every dialect's modes are modes the command line accepts; every provider's dialect exists.
    assert all(set(d.modes) <= set(MODE_CHOICES) for d in DIALECTS.values())
    assert {p.dialect for p in PROVIDERS.values()} <= set(DIALECTS)


def test_fast_version_matches_click() -> None:
    fast = subprocess.run(
        [sys.executable, "-m", "modelcheck", "-V"], capture_output=True, text=True, check=False
    )
    assert fast.stdout == run(["--version"]).stdout
    assert (
        "click"
        not in subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; sys.argv=['modelcheck','--version'];"
                "from modelcheck.entry import main; main(); print(sorted(sys.modules))",
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    )


def test_help_imports_neither_httpx_nor_tabulate_nor_the_model_knowledge() -> None:
    heavy = ("httpx", "tabulate", "modelcheck.diagnosis.knowledge", "modelcheck.diagnosis.signals")
    code = (
        "import sys; sys.argv = ['modelcheck', 'check', '--help']\n"
        "from modelcheck.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted(m for m in sys.modules if m in {heavy!r}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip().endswith("LOADED []")


def test_python_m_and_version_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "modelcheck", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == f"modelcheck, version {__version__}\n"


def test_closed_stdout_does_not_raise(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    models = " ".join(f"no-such-model-{i}" for i in range(60))  # a report far over a pipe buffer
    cmd = (
        f"{sys.executable} -m modelcheck check {models} --max-requests 200 --format json "
        f"--base-url {server.url} | head -1"
    )
    done = subprocess.run(
        cmd,
        shell=True,
        capture_output=True,
        text=True,
        check=False,
        env={"OPENAI_API_KEY": CANARY, "PATH": "/usr/bin:/bin"},
    )
    assert "Traceback" not in done.stderr
    assert done.stdout == "{\n"


def test_other_openai_compatible_providers_are_rows_of_data(sim: Sim) -> None:
    server = sim(Scenario("groq", "groq", listed=("llama-3.1-8b-instant",)))
    result = run(
        ["check", "llama-3.1-8b-instant", "--provider", "groq", "--base-url", server.url],
        key=None,
        GROQ_API_KEY="gsk_" + "a" * 52,
    )
    assert result.exit_code == 0
    assert all(r.authorized for r in server.requests)
    missing = run(["check", "llama3", "--provider", "groq", "--format", "json"], key=None)
    assert missing.exit_code == 1
    assert "GROQ_API_KEY" in report_json(missing)["account"]["diagnoses"][0]["summary"]
