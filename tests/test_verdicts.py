"""The verdict policy (README, "Verdict policy"): what is the key's or the account's, what is one
model's, and what decides pass, fail and inconclusive. Over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faults import RawServer, proxy_403, silent
from modelcheck.simulator import (
    GEMINI_LIMIT_ZERO,
    NGINX_502,
    SCENARIOS,
    Reply,
    Scenario,
    SimServer,
)

from conftest import CANARY, causes, free_port, model_entry, report_json, run

Sim = Callable[[Scenario], SimServer]
LOCAL_PROVIDERS = ("ollama", "vllm", "lmstudio", "llamacpp", "litellm", "compatible")


def check_json(args: list[str], key: str | None = CANARY, **env: str) -> tuple[int, dict[str, Any]]:
    result = run([*args, "-f", "json"], key=key, **env)
    assert "Traceback" not in result.stderr
    return result.exit_code, report_json(result)


# --- 1. key-less local servers -----------------------------------------------------------------


@pytest.mark.parametrize("provider", LOCAL_PROVIDERS)
def test_a_local_server_needs_no_key(sim: Sim, provider: str) -> None:
    server = sim(SCENARIOS["keyless-local"])
    code, report = check_json(
        ["check", "llama3.2", "--provider", provider, "--base-url", server.url], key=None
    )
    assert code == 0
    assert report["verdict"] == "pass"
    assert report["account"]["diagnoses"] == []
    assert model_entry(report, "llama3.2")["verdict"] == "pass"
    assert not any(r.authorized for r in server.requests)  # no key was sent, none needed


@pytest.mark.parametrize("provider", LOCAL_PROVIDERS)
def test_a_local_server_with_nothing_listening_is_a_connection_failure(provider: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    code, report = check_json(
        ["check", "llama3.2", "--provider", provider, "--base-url", url], key=None
    )
    assert code == 3
    assert causes(report["account"]) == ["network_connect"]
    assert "missing_api_key" not in json.dumps(report)


def test_a_local_server_that_wants_a_key_says_so(sim: Sim) -> None:
    server = sim(Scenario("vllm-key", "vllm --api-key"))  # answers 401 without a key
    code, report = check_json(
        ["check", "gpt-4o-mini", "--provider", "vllm", "--base-url", server.url], key=None
    )
    assert code == 1
    top = report["account"]["diagnoses"][0]
    assert top["cause"] == "missing_api_key"
    assert "no request was sent" not in top["summary"]  # requests were sent
    assert report["usage"]["requests"] == server.count() > 0


# --- 4. one model's failure is that model's ----------------------------------------------------


def test_a_gateway_upstream_failure_for_one_model_is_not_the_key(sim: Sim) -> None:
    server = sim(SCENARIOS["gateway-upstream"])
    code, report = check_json(
        ["check", "gpt-4o-mini", "prism-401", "--provider", "litellm", "--base-url", server.url],
        LITELLM_API_KEY=CANARY,
    )
    assert code == 1
    assert report["account"]["diagnoses"] == []
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "pass"
    failing = model_entry(report, "prism-401")
    assert failing["verdict"] == "fail"
    assert failing["account_causes"] == []
    top = failing["diagnoses"][0]
    assert (top["cause"], top["rule"]) == ("invalid_api_key", "gateway.upstream_auth")
    assert "upstream" in top["summary"] and "gpt-4o-mini passed with the same key" in top["summary"]
    assert "operator" in top["fix"][0]


def test_a_gateway_upstream_failure_alone_is_still_the_models(sim: Sim) -> None:
    # One model only, but the models list accepted the key: not the key's failure.
    server = sim(SCENARIOS["gateway-upstream"])
    code, report = check_json(
        ["check", "prism-401", "--provider", "litellm", "--base-url", server.url],
        LITELLM_API_KEY=CANARY,
    )
    assert code == 1
    assert report["account"]["diagnoses"] == []
    top = model_entry(report, "prism-401")["diagnoses"][0]
    assert "the models list accepted the same key" in top["summary"]


@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (Reply(429, GEMINI_LIMIT_ZERO), "model_requires_payment"),
        (Reply(502, NGINX_502, content_type="text/html"), "server_error"),
    ],
    ids=["free-tier-limit-0", "502-html"],
)
def test_one_models_failure_stays_with_that_model(sim: Sim, reply: Reply, cause: str) -> None:
    server = sim(Scenario("one", "one", routes={"POST chat gpt-4o-mini": [reply]}))
    code, report = check_json(["check", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url])
    assert report["account"]["diagnoses"] == []
    assert model_entry(report, "gpt-3.5-turbo")["verdict"] == "pass"
    entry = model_entry(report, "gpt-4o-mini")
    assert causes(entry)[0] == cause
    assert entry["account_causes"] == []
    assert code == (1 if cause == "model_requires_payment" else 3)


def test_one_models_timeout_stays_with_that_model(sim: Sim) -> None:
    slow = Reply(200, "{}", delay=3.0)
    server = sim(Scenario("slow", "slow", routes={"POST chat gpt-4o-mini": [slow]}))
    code, report = check_json(
        ["check", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url, "--timeout", "1"]
    )
    assert code == 3
    assert report["account"]["diagnoses"] == []
    entry = model_entry(report, "gpt-4o-mini")
    assert causes(entry) == ["network_timeout"]
    assert "gpt-3.5-turbo passed with the same key" in entry["diagnoses"][0]["summary"]


def test_a_failure_every_model_shows_is_the_accounts(sim: Sim) -> None:
    server = sim(Scenario("bad", "bad", key="sk-proj-another-key-entirely-0000"))
    code, report = check_json(["check", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url])
    assert code == 1
    assert causes(report["account"]) == ["invalid_api_key"]
    assert all(m["account_causes"] == ["invalid_api_key"] for m in report["models"])


# --- 5. least-privilege keys and failing lists -------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_a_key_without_the_models_read_scope_passes(sim: Sim, status: int) -> None:
    base = SCENARIOS["restricted-key"]
    routes = {k: [Reply(status, v[0].body)] for k, v in base.routes.items()}
    server = sim(Scenario("restricted", "restricted", routes=routes))
    code, report = check_json(["check", "gpt-4o-mini", "--base-url", server.url])
    assert code == 0
    assert report["verdict"] == "pass"
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "pass"
    assert server.count("POST", "/chat/completions") == 1  # the probe that decides was sent
    note = report["account"]["diagnoses"][0]
    assert (note["cause"], note["severity"]) == ("insufficient_permissions", "warning")
    assert "The models list failed" in note["summary"]


def test_a_key_without_the_models_read_scope_is_inconclusive_under_free(sim: Sim) -> None:
    server = sim(SCENARIOS["restricted-key"])
    code, report = check_json(["check", "gpt-4o-mini", "--base-url", server.url, "--free"])
    assert code == 3
    assert report["verdict"] == "inconclusive"
    assert server.count("POST") == 0


def test_a_gateway_whose_list_fails_passes_with_a_warning(sim: Sim) -> None:
    server = sim(SCENARIOS["gateway-list-500"])
    result = run(
        ["check", "gpt-4o-mini", "--provider", "litellm", "--base-url", server.url],
        LITELLM_API_KEY=CANARY,
    )
    assert result.exit_code == 0
    assert "warning" in result.stdout.lower() and "models list failed" in result.stdout
    assert "verdict pass (exit 0)" in result.stderr


# --- 6. a key of another provider ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "label", "fix"),
    [
        (
            "sk-ant-api03-" + "A" * 40,
            "an Anthropic API key",
            "--provider anthropic (it reads ANTHROPIC_API_KEY)",
        ),
        ("gsk_" + "B" * 48, "a Groq key", "--provider groq (it reads GROQ_API_KEY)"),
        ("xai-" + "C" * 60, "an xAI key", "--provider xai (it reads XAI_API_KEY)"),
        ("sk-or-v1-" + "d" * 64, "an OpenRouter key", "--provider openrouter"),
        ("AIza" + "E" * 35, "a Google API key", "--provider gemini"),
    ],
)
def test_a_key_of_another_provider_is_named_and_never_sent(key: str, label: str, fix: str) -> None:
    code, report = check_json(["check", "gpt-4o-mini", "--provider", "openai"], key=key)
    assert code == 1
    top = report["account"]["diagnoses"][0]
    assert top["cause"] == "wrong_provider_key"
    assert f"is {label}, but the provider is OpenAI; no request was sent" in top["summary"]
    assert fix in " ".join(top["fix"])
    assert report["usage"]["requests"] == 0
    assert key not in json.dumps(report)


def test_behind_a_gateway_a_foreign_key_is_sent_with_a_warning(sim: Sim) -> None:
    server = sim(Scenario("gw", "gw"))
    key = "sk-ant-api03-" + "A" * 40
    result = run(["check", "gpt-4o-mini", "--base-url", server.url], key=key)
    assert "looks like an Anthropic API key; sending it to 127.0.0.1 anyway" in result.stderr
    assert server.count() > 0
    assert key not in result.stdout + result.stderr


# --- 7. a proxy that fails -----------------------------------------------------------------------


def test_a_proxy_that_is_down_is_named(tmp_path: Path) -> None:
    proxy = f"http://corp:hunter2@127.0.0.1:{free_port()}"
    code, report = check_json(
        ["check", "gpt-4o-mini", "--base-url", "https://api.example.test/v1"],
        HTTPS_PROXY=proxy,
    )
    assert code == 3
    top = report["account"]["diagnoses"][0]
    assert top["cause"] == "proxy_error"
    assert "http://corp:***@127.0.0.1:" in top["summary"] and "(HTTPS_PROXY)" in top["summary"]
    assert "hunter2" not in json.dumps(report)
    assert not any(re.search(r"\bset HTTPS_PROXY", step) for step in top["fix"])


def test_a_proxy_that_refuses_the_tunnel_is_named(raw: Callable[..., RawServer]) -> None:
    proxy = raw(proxy_403)
    code, report = check_json(
        ["check", "gpt-4o-mini", "--base-url", "https://api.example.test/v1"],
        HTTPS_PROXY=f"http://127.0.0.1:{proxy.port}",
    )
    assert code == 3
    top = report["account"]["diagnoses"][0]
    assert top["cause"] == "proxy_error"
    assert f"the proxy http://127.0.0.1:{proxy.port} (HTTPS_PROXY) refused" in top["summary"]


# --- 8. stable JUnit test names ----------------------------------------------------------------


def test_junit_has_one_stable_testcase_per_model(sim: Sim, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    names = []
    for attempt, mct in enumerate((frozenset(), frozenset({"o1"}))):
        server = sim(Scenario(f"j{attempt}", "j", listed=("o1",), needs_max_completion_tokens=mct))
        out = tmp_path / f"run{attempt}.xml"
        run(["check", "o1", "gpt-4", "--base-url", server.url, "-o", str(out)])
        names.append([c.get("name") for c in ET.parse(out).iter("testcase")])
    assert names[0] == names[1] == ["o1", "gpt-4"]
    account = tmp_path / "account.xml"
    bad = sim(Scenario("bad", "bad", key="sk-proj-another-key-entirely-0000"))
    run(["check", "o1", "gpt-4", "--base-url", bad.url, "-o", str(account)])
    cases = [c.get("name") for c in ET.parse(account).iter("testcase")]
    assert cases == ["account", "o1", "gpt-4"]


# --- 9. smaller ones --------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["../admin", "a/./b", "gpt-4/..", ".", "gpt\x074", "gpt-4\x7f"])
def test_model_ids_that_are_paths_or_control_characters_are_usage_errors(
    sim: Sim, model: str
) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(["check", model, "--base-url", server.url])
    assert result.exit_code == 2
    assert result.stderr.startswith("modelcheck: error: model id")
    assert server.count() == 0


def test_force_color_0_means_no_colour(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    args = ["check", "gpt-3.5-turbo", "--base-url", server.url]
    for value in ("0", "false"):
        assert "\x1b[" not in run(args, FORCE_COLOR=value).stdout
    assert "\x1b[32m" in run(args, FORCE_COLOR="1").stdout


def test_demo_json_is_one_document() -> None:
    result = run(["demo", "--format", "json"], key=None)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema"] == "modelcheck.demo/1"
    assert [s["scenario"] for s in document["scenarios"]] == list(SCENARIOS)
    assert all(s["report"]["schema"] == "modelcheck.report/1" for s in document["scenarios"])


def test_unknown_modelcheck_variables_are_warned_about(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(["check", "gpt-3.5-turbo", "--base-url", server.url], MODELCHECK_MAX_REQUEST="5")
    assert result.exit_code == 0
    assert (
        "modelcheck: warning: environment variable MODELCHECK_MAX_REQUEST names no setting; "
        "ignored (did you mean MODELCHECK_MAX_REQUESTS?)"
    ) in result.stderr


@pytest.mark.parametrize(
    ("key", "shown"),
    [("OPENAI_API_KEY=" + CANARY, "OPENAI_API_KEY="), ("Bearer " + CANARY, "Bearer")],
)
def test_a_key_copied_with_its_surroundings_is_not_sent(sim: Sim, key: str, shown: str) -> None:
    server = sim(Scenario("seed", "seed"))
    code, report = check_json(["check", "gpt-4o-mini", "--base-url", server.url], key=key)
    assert code == 1
    top = report["account"]["diagnoses"][0]
    assert (top["cause"], top["rule"]) == ("invalid_api_key", "key.pasted_prefix")
    assert f"starts with \u201c{shown}\u201d" in top["summary"]
    assert server.count() == 0 and CANARY not in json.dumps(report)


def test_an_empty_key_file_has_its_own_message(sim: Sim, tmp_path: Path) -> None:
    server = sim(Scenario("seed", "seed"))
    empty = tmp_path / "key.txt"
    empty.write_text("\n")
    code, report = check_json(
        ["check", "gpt-4o-mini", "--base-url", server.url, "--api-key-file", str(empty)], key=None
    )
    assert code == 1
    top = report["account"]["diagnoses"][0]
    assert (top["cause"], top["rule"]) == ("missing_api_key", "key.empty_file")
    assert server.count() == 0


def test_an_interrupted_run_counts_only_the_requests_sent(raw: Callable[..., RawServer]) -> None:
    slow = raw(silent)
    models = [f"model-{i}" for i in range(5)]
    env = {"OPENAI_API_KEY": CANARY, "PATH": os.environ.get("PATH", "")}
    cmd = [sys.executable, "-m", "modelcheck", "check", *models, "--base-url", slow.url]
    proc = subprocess.Popen(
        [*cmd, "--concurrency", "1", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    deadline = time.monotonic() + 10
    while slow.connections < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert json.loads(out)["usage"]["requests"] == slow.connections == 1


# --- 3. nothing but the report in a report stream, and never the key --------------------------

FORMATS = ("table", "json", "markdown", "github", "junit", "auto")
CANARIES = {
    # provider: (key variable, a key of that provider's shape)
    "openai": ("OPENAI_API_KEY", CANARY),
    "groq": ("GROQ_API_KEY", "gsk_CANARYgroq0000000000000000000000000000000000007x7x"),
    "xai": ("XAI_API_KEY", "xai-CANARYxai00000000000000000000000000000000000000007x7x"),
    "openrouter": ("OPENROUTER_API_KEY", "sk-or-v1-" + "c0ffee" * 10 + "7x7x"),
    "perplexity": ("PERPLEXITY_API_KEY", "pplx-CANARYpplx000000000000000000000000000000007x7x"),
    "gemini-openai": ("GEMINI_API_KEY", "AIzaCANARYgemini00000000000000000007x7x"),
    # The native families, each in its own auth header (x-api-key, api-key, x-goog-api-key,
    # Bearer): the echoing server reads whichever one came.
    "anthropic": ("ANTHROPIC_API_KEY", "sk-ant-api03-CANARYanthropic" + "0" * 60 + "7x7x"),
    "anthropic/auth-token": ("ANTHROPIC_AUTH_TOKEN", "CANARYanthropic-gateway-00000007x7x"),
    "azure": ("AZURE_OPENAI_API_KEY", "c0ffeec0ffee" * 2 + "CANARY00" + "7x7x"),
    "azure/entra": ("AZURE_OPENAI_AD_TOKEN", "eyJ0eXAiOiJKV1QiCANARYentra0000000007x7x"),
    "gemini": ("GOOGLE_API_KEY", "AIzaCANARYgoogle00000000000000000007x7x"),
    "bedrock": ("AWS_BEARER_TOKEN_BEDROCK", "ABSKCANARYbedrock" + "0" * 40 + "7x7x"),
    "mistral": ("MISTRAL_API_KEY", "CANARYmistral0000000000000000007x7x"),
    "deepseek": ("DEEPSEEK_API_KEY", "sk-CANARYdeepseek000000000000000007x7x"),
    "together": ("TOGETHER_API_KEY", "CANARYtogether0000000000000000000000000000000007x7x"),
    "fireworks": ("FIREWORKS_API_KEY", "fw_CANARYfireworks00000000000000007x7x"),
    "litellm": ("LITELLM_API_KEY", "sk-CANARYlitellm-master-000000007x7x"),
    "vllm": ("VLLM_API_KEY", "CANARYvllm-token-00000000000000007x7x"),
    "compatible": ("OPENAI_API_KEY", "CANARYgateway-token-0000000000007x7x"),
}


AUTH_HEADERS = {"anthropic": "x-api-key", "azure": "api-key", "gemini": "x-goog-api-key"}
"""The header each provider's key goes in (Bearer, "authorization", for the others)."""


@pytest.mark.parametrize("provider", sorted(CANARIES))
def test_no_stream_or_file_holds_the_key_under_github_actions(
    sim: Sim, tmp_path: Path, provider: str
) -> None:
    server = sim(Scenario("echo", "echo", echo_key=True))
    env_name, key = CANARIES[provider]
    summary = tmp_path / "summary.md"
    files = {f: tmp_path / f"report.{f}.out" for f in FORMATS if f != "auto"}
    name = provider.split("/")[0]
    base = ["check", "gpt-4o-mini", "--provider", name, "--base-url", server.url]
    env = {env_name: key, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    seen = []
    for fmt in FORMATS:
        result = run([*base, "-f", fmt, "-v"], key=None, **env)
        seen.append(result.stdout + result.stderr)
        if fmt == "json":
            assert json.loads(result.stdout)["schema"] == "modelcheck.report/1"  # JSON only
        assert "::add-mask::" not in result.stdout + result.stderr
    outputs = [arg for f, p in files.items() for arg in ("-o", f"{f}:{p}")]
    result = run([*base, *outputs], key=None, **env)
    assert result.stdout == ""  # every report went to its file
    seen.extend(p.read_text() for p in [*files.values(), summary])
    assert json.loads(files["json"].read_text())["exit_code"] == 1
    assert server.count() > 0 and all(r.authorized for r in server.requests)
    header = AUTH_HEADERS.get(provider, "authorization")
    assert {r.auth_header for r in server.requests} == {header}
    for text in seen:
        assert key not in text
        assert key[6:-4] not in text  # not even the middle of it
