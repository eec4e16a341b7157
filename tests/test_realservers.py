"""`check` against third-party servers started on 127.0.0.1: aimock (npm @copilotkit/aimock),
the LiteLLM proxy and llmock (PyPI). They speak OpenAI's API and the native ones (Anthropic
Messages, Gemini generateContent, Azure deployment paths, Bedrock Converse). Marked
`realserver`: `.ci/run` installs all three (.ci/realservers.sh) and runs these; skip them
locally with `-m "not realserver"`.

What no offline server implements comes from the simulator instead (tests/test_native.py):
Anthropic retrieve and count_tokens, the Gemini error details (ErrorInfo, QuotaFailure,
RetryInfo) and countTokens, the Azure deployments list and Azure's error codes, Bedrock's
control plane (ListFoundationModels, GetFoundationModelAvailability) and AWS error bodies
(native-providers.md, section 5).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import causes, model_entry, report_json, run

pytestmark = pytest.mark.realserver

AIMOCK = os.environ.get("MODELCHECK_TEST_AIMOCK")
LITELLM = os.environ.get("MODELCHECK_TEST_LITELLM")
LLMOCK = os.environ.get("MODELCHECK_TEST_LLMOCK")
AIMOCK_KEY = "sk-aimock-valid-0001"
LITELLM_KEY = "sk-litellm-master-1234"
WRONG_KEY = "sk-wrong-key-00000000000000000000"

AIMOCK_FIXTURES = {
    "fixtures": [
        {"match": {"model": "gpt-4o-mini"}, "response": {"content": "Hello from aimock"}},
        # One model per mode aimock serves (its own response shapes per endpoint).
        {"match": {"model": "o3-pro"}, "response": {"content": "Hi"}},
        {
            "match": {"model": "text-embedding-3-small", "endpoint": "embedding"},
            "response": {"embedding": [0.1, 0.2, 0.3]},
        },
        {
            "match": {"model": "gpt-image-1", "endpoint": "image"},
            "response": {"image": {"b64Json": "iVBORw0KGgo="}},
        },
        {
            "match": {"model": "tts-1", "endpoint": "speech"},
            "response": {"audio": "SUQzBAAAAAAA", "format": "mp3"},
        },
        {
            "match": {"model": "whisper-1", "endpoint": "transcription"},
            "response": {"transcription": {"text": ""}},
        },
        # A 429, then connections dropped on every retry: a rate limit, not a network fault.
        {
            "match": {"model": "flaky-model", "sequenceIndex": 0},
            "response": {
                "error": {
                    "message": "Rate limit reached for requests",
                    "type": "requests",
                    "code": "rate_limit_exceeded",
                },
                "status": 429,
            },
        },
        *(
            {
                "match": {"model": "flaky-model", "sequenceIndex": n},
                "response": {"content": "never sent"},
                "chaos": {"disconnectRate": 1},
            }
            for n in (1, 2, 3)
        ),
        {
            "match": {"model": "rate-limited-model"},
            "response": {
                "error": {
                    "message": "Rate limit reached for requests",
                    "type": "requests",
                    "code": "rate_limit_exceeded",
                },
                "status": 429,
            },
        },
        # The native APIs (aimock converts fixture errors to each provider's envelope).
        {"match": {"model": "claude-sonnet-4-5"}, "response": {"content": "Hello (anthropic)"}},
        # A 429 with retry-after, then success: the provider's header is honoured.
        {
            "match": {"model": "claude-busy", "sequenceIndex": 0},
            "response": {
                "error": {
                    "message": "Number of request tokens has exceeded your per-minute rate limit",
                    "type": "rate_limit_error",
                },
                "status": 429,
                "retryAfter": 1,
            },
        },
        {"match": {"model": "claude-busy", "sequenceIndex": 1}, "response": {"content": "ok"}},
        {
            "match": {"model": "claude-overloaded"},
            "response": {
                "error": {"message": "Overloaded", "type": "overloaded_error"},
                "status": 529,
            },
        },
        {
            "match": {"model": "claude-rate-limited"},
            "response": {
                "error": {
                    "message": "Number of request tokens has exceeded your per-minute rate limit",
                    "type": "rate_limit_error",
                },
                "status": 429,
                "retryAfter": 1,
            },
        },
        {"match": {"model": "gemini-2.5-flash"}, "response": {"content": "Hello (gemini)"}},
        {"match": {"model": "my-deployment"}, "response": {"content": "Hello (azure)"}},
        # aimock matches the id as sent in the path: modelcheck encodes ":" (as botocore does).
        {
            "match": {"model": "anthropic.claude-3-haiku-20240307-v1%3A0"},
            "response": {"content": "Hello (bedrock)"},
        },
    ]
}
LITELLM_CONFIG = """\
model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_key: sk-upstream-not-used, mock_response: "Hello from the LiteLLM mock_response"}
  # A model the gateway names with a provider prefix (as llama-stack and LiteLLM users do).
  - model_name: vllm/qwen2.5-7b-instruct
    litellm_params: {model: openai/qwen2.5-7b-instruct, api_key: sk-upstream-not-used, mock_response: "ok"}
  - model_name: upstream-down
    litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: sk-upstream-x, max_retries: 0, timeout: 5}
  - model_name: rpm-limited
    litellm_params: {model: openai/gpt-4o-mini, api_key: sk-upstream-not-used, mock_response: "ok", rpm: 1}
  # Two model groups on the same upstream (aimock on 127.0.0.1): one with the upstream's key,
  # one with a wrong key, as a gateway with one misconfigured model group.
  - model_name: upstream-ok
    litellm_params: {model: openai/gpt-4o-mini, api_base: "{aimock}", api_key: sk-aimock-valid-0001, max_retries: 0}
  - model_name: upstream-bad-key
    litellm_params: {model: openai/gpt-4o-mini, api_base: "{aimock}", api_key: sk-aimock-wrong-9999, max_retries: 0}
  # Anthropic: the Messages route and the Anthropic-shaped list (sent anthropic-version).
  - model_name: claude-sonnet-4-5
    litellm_params: {model: anthropic/claude-sonnet-4-5, api_key: sk-ant-upstream-not-used, mock_response: "Hello from the LiteLLM mock (anthropic)"}
  - model_name: claude-rate-limited
    litellm_params: {model: anthropic/claude-rate-limited, api_base: "{aimock_root}", api_key: sk-aimock-valid-0001, max_retries: 0}
router_settings: {routing_strategy: usage-based-routing-v2}
litellm_settings: {num_retries: 0, request_timeout: 10}
general_settings: {master_key: sk-litellm-master-1234}
"""


def _binary(path: str | None, name: str) -> str:
    if path and Path(path).exists():
        return path
    message = f"{name} is not installed: run .ci/run (or source .ci/realservers.sh)"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI must run these, never skip them silently
    pytest.skip(message)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"server did not start in {seconds}s:\n{log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def aimock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = _binary(AIMOCK, "aimock")
    folder = tmp_path_factory.mktemp("aimock")
    fixtures = folder / "fixtures.json"
    fixtures.write_text(json.dumps(AIMOCK_FIXTURES))
    port = _port()
    log = folder / "aimock.log"
    env = {**os.environ, "AIMOCK_API_KEYS": AIMOCK_KEY}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "-h", "127.0.0.1", "-p", str(port), "-f", str(fixtures)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait(f"http://127.0.0.1:{port}/health", proc, 30, log)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def litellm(tmp_path_factory: pytest.TempPathFactory, aimock: str) -> Iterator[str]:
    binary = _binary(LITELLM, "LiteLLM proxy")
    folder = tmp_path_factory.mktemp("litellm")
    config = folder / "litellm.yaml"
    root = aimock.removesuffix("/v1")
    config.write_text(LITELLM_CONFIG.replace("{aimock}", aimock).replace("{aimock_root}", root))
    port = _port()
    log = folder / "litellm.log"
    # Never reach the internet: the model cost map is read from the package, and the
    # pass-through routes (/anthropic, /gemini, /azure, /openai), which forward to the real
    # hosts by default, point at loopback (aimock, or a closed port).
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_API_BASE"))}
    env |= {
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "ANTHROPIC_API_BASE": root,
        "GEMINI_API_BASE": root,
        "AZURE_API_BASE": root,
        "OPENAI_API_BASE": "http://127.0.0.1:9",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "--config", str(config), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
        )
    try:
        _wait(f"http://127.0.0.1:{port}/health/liveliness", proc, 120, log)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def llmock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llmock on 127.0.0.1 (no outbound URLs in the package): its root URL."""
    binary = _binary(LLMOCK, "llmock")
    folder = tmp_path_factory.mktemp("llmock")
    port = _port()
    log = folder / "llmock.log"
    with log.open("wb") as out:
        # --rpm: it then sends anthropic-ratelimit-* headers (high enough never to refuse).
        proc = subprocess.Popen(
            [binary, "serve", "-h", "127.0.0.1", "-p", str(port), "--rpm", "1000"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")},
            cwd=folder,
        )
    try:
        _wait(f"http://127.0.0.1:{port}/health", proc, 60, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def check(url: str, model: str, key: str | None, provider: str) -> tuple[int, dict[str, object]]:
    args = [
        "check",
        model,
        "--provider",
        provider,
        "--base-url",
        url,
        "-f",
        "json",
        "--timeout",
        "15",
    ]
    result = run(
        [*args, "--api-key-env", "TEST_KEY"], key=None, **({"TEST_KEY": key} if key else {})
    )
    assert "Traceback" not in result.stderr
    return result.exit_code, report_json(result)


# --- aimock ---------------------------------------------------------------------------------


def test_aimock_valid_model(aimock: str) -> None:
    code, report = check(aimock, "gpt-4o-mini", AIMOCK_KEY, "compatible")
    assert code == 0
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "pass"  # type: ignore[arg-type]


MODES = {
    "o3-pro": ("responses", "/responses"),
    "text-embedding-3-small": ("embeddings", "/embeddings"),
    "omni-moderation-latest": ("moderations", "/moderations"),
    "tts-1": ("audio.speech", "/audio/speech"),
    "whisper-1": ("audio.transcriptions", "/audio/transcriptions"),
    "gpt-image-1": ("images", "/images/generations"),
}


def test_aimock_each_mode_on_its_own_endpoint(aimock: str) -> None:
    result = run(
        [
            "check",
            *MODES,
            "--provider",
            "compatible",
            "--base-url",
            aimock,
            "--api-key-env",
            "TEST_KEY",
            "--paid-probes",
            "images",
            "-f",
            "json",
        ],
        key=None,
        TEST_KEY=AIMOCK_KEY,
    )
    assert result.exit_code == 0, result.stderr
    report = report_json(result)
    for model, (mode, path) in MODES.items():
        entry = model_entry(report, model)
        assert (entry["verdict"], entry["mode"], entry["proof"]) == ("pass", mode, "generated")
        assert entry["endpoint"] == path
        # One request per model, the list alongside: no retrieve.
        assert [p["endpoint"] for p in entry["probes"]] == [mode]
    assert report["usage"]["requests"] == 1 + len(MODES)


def test_aimock_images_without_paid_probes_is_listed_proof_only(aimock: str) -> None:
    code, report = check(aimock, "gpt-image-1", AIMOCK_KEY, "compatible")
    entry = model_entry(report, "gpt-image-1")  # type: ignore[arg-type]
    # aimock lists no models, so metadata cannot prove it: never a pass without a request.
    assert entry["proof"] != "generated" and entry["verdict"] != "pass"
    assert not any(p["endpoint"] == "images" for p in entry["probes"])
    assert "--paid-probes images" in entry["note"]
    assert code != 0


def test_aimock_unknown_model(aimock: str) -> None:
    code, report = check(aimock, "gpt-4", AIMOCK_KEY, "compatible")
    assert code == 1
    assert causes(model_entry(report, "gpt-4"))[0] == "model_not_found"  # type: ignore[arg-type]


def test_aimock_rate_limit_then_dropped_connection_is_a_rate_limit(aimock: str) -> None:
    code, report = check(aimock, "flaky-model", AIMOCK_KEY, "compatible")
    assert code == 3
    entry = model_entry(report, "flaky-model")  # type: ignore[arg-type]
    top = entry["diagnoses"][0]
    assert (top["cause"], top["rule"]) == ("rate_limited", "net.rate_limited_then_reset")
    chat = [p for p in entry["probes"] if p["endpoint"] == "chat"][-1]
    assert chat["status"] is None and 429 in chat["earlier_statuses"]


def test_aimock_missing_key(aimock: str) -> None:
    code, report = check(aimock, "gpt-4o-mini", None, "compatible")
    assert code == 1
    assert causes(report["account"])[0] == "missing_api_key"  # type: ignore[arg-type]


def test_aimock_wrong_key(aimock: str) -> None:
    code, report = check(aimock, "gpt-4o-mini", WRONG_KEY, "compatible")
    assert code == 1
    assert causes(report["account"])[0] == "invalid_api_key"  # type: ignore[arg-type]


def test_aimock_rate_limited_model(aimock: str) -> None:
    code, report = check(aimock, "rate-limited-model", AIMOCK_KEY, "compatible")
    assert code == 3
    entry = model_entry(report, "rate-limited-model")  # type: ignore[arg-type]
    assert causes(entry) == ["rate_limited"]
    assert entry["probes"][-1]["attempts"] == 3  # honoured Retry-After: 1 twice, then reported


# --- LiteLLM proxy --------------------------------------------------------------------------


def test_litellm_valid_model(litellm: str) -> None:
    code, report = check(litellm, "gpt-4o-mini", LITELLM_KEY, "litellm")
    assert code == 0
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "pass"  # type: ignore[arg-type]


def test_litellm_unknown_model_is_model_not_found_not_a_bad_request(litellm: str) -> None:
    code, report = check(litellm, "gpt-4", LITELLM_KEY, "litellm")
    assert code == 1
    entry = model_entry(report, "gpt-4")  # type: ignore[arg-type]
    assert causes(entry)[0] == "model_not_found"
    chat = [p for p in entry["probes"] if p["endpoint"] == "chat"][-1]
    assert chat["status"] == 400 and "Invalid model name" in chat["error"]["message"]


def test_litellm_unrouted_model_seen_as_compatible_names_the_gateway(litellm: str) -> None:
    # Without --provider litellm: the answer's own markers say a LiteLLM gateway answered.
    code, report = check(litellm, "gpt-4", LITELLM_KEY, "compatible")
    assert code == 1
    top = model_entry(report, "gpt-4")["diagnoses"][0]  # type: ignore[arg-type]
    assert top["cause"] == "model_not_found"
    assert "gateway" in " ".join(top["fix"]) and "payment" not in json.dumps(top)


def test_litellm_id_without_its_provider_prefix_suggests_the_prefixed_id(litellm: str) -> None:
    code, report = check(litellm, "qwen2.5-7b-instruct", LITELLM_KEY, "compatible")
    assert code == 1
    top = model_entry(report, "qwen2.5-7b-instruct")["diagnoses"][0]  # type: ignore[arg-type]
    assert top["cause"] == "model_not_found"
    assert "vllm/qwen2.5-7b-instruct" in top["summary"]


def test_litellm_missing_key(litellm: str) -> None:
    code, report = check(litellm, "gpt-4o-mini", None, "litellm")
    assert code == 1
    assert causes(report["account"])[0] == "missing_api_key"  # type: ignore[arg-type]


def test_litellm_wrong_key_on_a_proxy_without_db(litellm: str) -> None:
    code, report = check(litellm, "gpt-4o-mini", WRONG_KEY, "litellm")
    assert code == 1
    diagnosis = report["account"]["diagnoses"][0]  # type: ignore[index]
    assert diagnosis["cause"] == "invalid_api_key"
    assert diagnosis["rule"] == "litellm.no_connected_db"


def test_litellm_rate_limited_model(litellm: str) -> None:
    # rpm: 1 — spend this minute's request first, as another client would. LiteLLM's window is
    # the clock minute: start early in one, so that the check's request falls in the same.
    while time.time() % 60 > 45:
        time.sleep(0.5)
    first = httpx.post(
        f"{litellm}/chat/completions",
        headers={"Authorization": f"Bearer {LITELLM_KEY}"},
        json={
            "model": "rpm-limited",
            "messages": [{"role": "user", "content": "Hi"}],
            "max_tokens": 1,
        },
        timeout=15,
    )
    assert first.status_code == 200
    code, report = check(litellm, "rpm-limited", LITELLM_KEY, "litellm")
    assert code == 3
    assert causes(model_entry(report, "rpm-limited"))[0] == "rate_limited"  # type: ignore[arg-type]


def test_litellm_upstream_down(litellm: str) -> None:
    code, report = check(litellm, "upstream-down", LITELLM_KEY, "litellm")
    assert code == 3
    assert causes(model_entry(report, "upstream-down"))[0] == "server_error"  # type: ignore[arg-type]


def test_litellm_one_model_groups_upstream_rejects_its_key(litellm: str) -> None:
    result = run(
        [
            "check",
            "upstream-ok",
            "upstream-bad-key",
            "--provider",
            "litellm",
            "--base-url",
            litellm,
            "-f",
            "json",
        ],
        key=None,
        LITELLM_API_KEY=LITELLM_KEY,
    )
    assert result.exit_code == 1, result.stderr
    report = report_json(result)
    assert report["account"]["diagnoses"] == []  # the key itself was accepted
    assert model_entry(report, "upstream-ok")["verdict"] == "pass"
    bad = model_entry(report, "upstream-bad-key")
    assert bad["verdict"] == "fail" and bad["account_causes"] == []
    top = bad["diagnoses"][0]
    assert (top["cause"], top["rule"]) == ("invalid_api_key", "gateway.upstream_auth")
    assert "upstream-ok passed with the same key" in top["summary"]


# --- the native APIs ------------------------------------------------------------------------


def native(
    provider: str, url: str, *models: str, env: dict[str, str], extra: tuple[str, ...] = ()
) -> tuple[int, dict[str, Any]]:
    """`check` as a user runs it: the provider's own key variable, JSON out."""
    args = ["check", *models, "--provider", provider, "--base-url", url, "-f", "json"]
    result = run([*args, "--timeout", "15", *extra], key=None, **env)
    assert "Traceback" not in result.stderr
    return result.exit_code, report_json(result)


def journal(aimock: str, path: str) -> list[dict[str, Any]]:
    """What aimock received on ``path`` (its request journal; credentials redacted by it)."""
    answer = httpx.get(f"{aimock}/_requests", headers={"Authorization": f"Bearer {AIMOCK_KEY}"})
    return [r for r in answer.json() if r["path"].split("?")[0] == path]


def test_aimock_anthropic_messages_with_the_key_and_version_headers(aimock: str) -> None:
    root = aimock.removesuffix("/v1")
    code, report = native(
        "anthropic", f"{root}/v1", "claude-sonnet-4-5", env={"ANTHROPIC_API_KEY": AIMOCK_KEY}
    )
    assert code == 0
    assert model_entry(report, "claude-sonnet-4-5")["proof"] == "generated"
    sent = journal(aimock, "/v1/messages")[-1]
    assert sent["headers"]["anthropic-version"] == "2023-06-01"
    assert "x-api-key" in sent["headers"] and "authorization" not in sent["headers"]
    assert sent["body"]["max_tokens"] == 1 and "temperature" not in sent["body"]


def test_aimock_anthropic_429_with_retry_after_then_success(aimock: str) -> None:
    code, report = native("anthropic", aimock, "claude-busy", env={"ANTHROPIC_API_KEY": AIMOCK_KEY})
    assert code == 0
    chat = model_entry(report, "claude-busy")["probes"][-1]
    assert (chat["status"], chat["attempts"], chat["earlier_statuses"]) == (200, 2, [429])


def test_aimock_anthropic_529_is_an_overload_retried_like_a_503(aimock: str) -> None:
    code, report = native(
        "anthropic", aimock, "claude-overloaded", env={"ANTHROPIC_API_KEY": AIMOCK_KEY}
    )
    assert code == 3  # inconclusive: the service, not the key
    entry = model_entry(report, "claude-overloaded")
    assert causes(entry)[0] == "server_error"
    assert entry["probes"][-1]["attempts"] == 3


def test_aimock_anthropic_wrong_key(aimock: str) -> None:
    code, report = native(
        "anthropic", aimock, "claude-sonnet-4-5", env={"ANTHROPIC_API_KEY": WRONG_KEY}
    )
    assert code == 1
    assert causes(report["account"])[0] == "invalid_api_key"


def test_aimock_gemini_generate_content_with_the_key_in_a_header(aimock: str) -> None:
    root = aimock.removesuffix("/v1")
    code, report = native(
        "gemini", f"{root}/v1beta", "gemini-2.5-flash", env={"GEMINI_API_KEY": AIMOCK_KEY}
    )
    assert code == 0
    assert model_entry(report, "gemini-2.5-flash")["proof"] == "generated"
    sent = journal(aimock, "/v1beta/models/gemini-2.5-flash:generateContent")[-1]
    assert "x-goog-api-key" in sent["headers"] and "key=" not in sent["path"]
    # aimock journals the request translated to its own form: maxOutputTokens read as 1.
    assert sent["body"]["max_tokens"] == 1


def test_aimock_azure_deployment_path_with_api_version(aimock: str) -> None:
    root = aimock.removesuffix("/v1")
    code, report = native("azure", root, "my-deployment", env={"AZURE_OPENAI_API_KEY": AIMOCK_KEY})
    assert code == 0
    assert model_entry(report, "my-deployment")["proof"] == "generated"
    sent = journal(aimock, "/openai/deployments/my-deployment/chat/completions")[-1]
    assert "api-version=2024-10-21" in sent["path"] and "api-key" in sent["headers"]
    # aimock serves no deployments list: said in a note, no finding.
    assert report["account"]["diagnoses"] == []
    assert any("deployments list" in n for n in report["notes"])


def test_aimock_bedrock_converse_with_a_bedrock_api_key(aimock: str) -> None:
    root = aimock.removesuffix("/v1")
    haiku = "anthropic.claude-3-haiku-20240307-v1:0"
    code, report = native("bedrock", root, haiku, env={"AWS_BEARER_TOKEN_BEDROCK": AIMOCK_KEY})
    assert code == 0
    assert model_entry(report, haiku)["proof"] == "generated"
    sent = journal(aimock, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")[-1]
    assert sent["body"]["max_tokens"] == 1  # inferenceConfig.maxTokens, as aimock read it


def test_litellm_anthropic_messages_and_its_anthropic_shaped_list(litellm: str) -> None:
    code, report = native(
        "anthropic", litellm, "claude-sonnet-4-5", env={"ANTHROPIC_API_KEY": LITELLM_KEY}
    )
    assert code == 0
    entry = model_entry(report, "claude-sonnet-4-5")
    assert (entry["verdict"], entry["listed"], entry["proof"]) == ("pass", True, "generated")


def test_litellm_anthropic_unknown_model(litellm: str) -> None:
    code, report = native(
        "anthropic", litellm, "claude-nope", env={"ANTHROPIC_API_KEY": LITELLM_KEY}
    )
    assert code == 1
    entry = model_entry(report, "claude-nope")
    assert entry["listed"] is False and causes(entry)[0] == "model_not_found"


def test_litellm_anthropic_upstream_rate_limit_without_retry_after(litellm: str) -> None:
    # LiteLLM relays aimock's 429 in Anthropic's envelope but drops its retry-after.
    code, report = native(
        "anthropic", litellm, "claude-rate-limited", env={"ANTHROPIC_API_KEY": LITELLM_KEY}
    )
    assert code == 3
    assert causes(model_entry(report, "claude-rate-limited"))[0] == "rate_limited"


def test_llmock_gemini_list_strips_the_models_prefix(llmock: str) -> None:
    key = "AIzaSy" + "L" * 33
    code, report = native(
        "gemini", f"{llmock}/gemini/v1beta", "gemini-2.5-pro", env={"GEMINI_API_KEY": key}
    )
    assert code == 0
    entry = model_entry(report, "gemini-2.5-pro")
    assert (entry["listed"], entry["proof"]) == (True, "generated")  # listed as models/…


def test_llmock_anthropic_rate_limit_headers_are_kept(llmock: str) -> None:
    key = "sk-ant-api03-" + "L" * 80
    code, report = native(
        "anthropic", f"{llmock}/anthropic/v1", "claude-sonnet-4-6", env={"ANTHROPIC_API_KEY": key}
    )
    assert code == 0
    headers = model_entry(report, "claude-sonnet-4-6")["probes"][-1]["headers"]
    assert headers["anthropic-ratelimit-requests-limit"] == "1000"


@pytest.mark.parametrize(
    ("status", "cause", "attempts", "exit_code"),
    [
        (401, "invalid_api_key", 1, 1),
        (402, "insufficient_quota", 1, 1),  # billing: never retried
        (529, "server_error", 3, 3),  # overload: retried like a 503, then inconclusive
    ],
)
def test_llmock_forced_anthropic_errors(
    llmock: str, status: int, cause: str, attempts: int, exit_code: int
) -> None:
    key = "sk-ant-api03-" + "L" * 80
    code, report = native(
        "anthropic",
        f"{llmock}/anthropic/v1",
        "claude-sonnet-4-6",
        env={"ANTHROPIC_API_KEY": key},
        extra=("--header", f"x-llmock-force-status:{status}"),
    )
    assert code == exit_code
    entry = model_entry(report, "claude-sonnet-4-6")
    found = causes(report["account"]) + causes(entry)
    assert found[0] == cause
    assert entry["probes"][-1]["status"] == status
    assert entry["probes"][-1]["attempts"] == attempts
