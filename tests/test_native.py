"""`check` against the native APIs over real HTTP: Anthropic, Azure OpenAI (classic and v1),
Gemini and Bedrock, each played by the simulator with verbatim error bodies (simnative.py),
plus provider auto-detection. Real third-party servers: tests/test_realservers.py."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from modelcheck import simnative
from modelcheck.simulator import DEFAULT, SCENARIOS, Reply, Scenario, SimServer

from conftest import causes, model_entry, report_json, run

Sim = Callable[[Scenario], SimServer]
ANTHROPIC_KEY = "sk-ant-api03-" + "k" * 80 + "AA"
GEMINI_KEY = "AIzaSy" + "g" * 33
AZURE_KEY = "0123456789abcdef0123456789abcdef"
BEDROCK_KEY = "ABSKQmVkcm9ja0FQSUtleS10ZXN0LTAwMDAwMDAwMDA="


def check(args: list[str], **env: str) -> tuple[int, dict[str, Any], str]:
    result = run(["check", *args, "-f", "json"], key=None, **env)
    assert "Traceback" not in result.stderr
    return result.exit_code, report_json(result), result.stderr


def posts(server: SimServer, suffix: str) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and r.path.endswith(suffix))


# --- Anthropic ----------------------------------------------------------------------------------


def anthropic(sim: Sim, **kw: Any) -> SimServer:
    scenario = Scenario(
        "a", "a", family="anthropic", listed=("claude-sonnet-4-5",), key=ANTHROPIC_KEY, **kw
    )
    return sim(scenario)


def anthropic_check(server: SimServer, *models: str, extra: tuple[str, ...] = ()) -> Any:
    args = [*models, "--provider", "anthropic", "--base-url", server.url, *extra]
    return check(args, ANTHROPIC_API_KEY=ANTHROPIC_KEY)


def test_anthropic_valid_model_one_message_with_the_version_header(sim: Sim) -> None:
    server = anthropic(sim)
    code, report, _ = anthropic_check(server, "claude-sonnet-4-5")
    assert code == 0
    entry = model_entry(report, "claude-sonnet-4-5")
    assert (entry["verdict"], entry["proof"], entry["endpoint"]) == (
        "pass",
        "generated",
        "/messages",
    )
    message = next(r for r in server.requests if r.path == "/v1/messages")
    assert message.body == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "Hi"}],
    }
    sent = dict(message.headers)
    assert sent["anthropic-version"] == "2023-06-01" and "origin" not in sent
    assert server.count() == 2  # the list and one message


def test_anthropic_newer_version_is_sent_when_asked(sim: Sim) -> None:
    server = anthropic(sim)
    code, _, _ = anthropic_check(
        server, "claude-sonnet-4-5", extra=("--anthropic-version", "2026-10-21")
    )
    assert code == 0
    assert dict(server.requests[-1].headers)["anthropic-version"] == "2026-10-21"


def test_anthropic_retired_model_says_retired_with_the_replacement(sim: Sim) -> None:
    server = anthropic(sim)
    code, report, _ = anthropic_check(server, "claude-2.1")
    assert code == 1
    top = model_entry(report, "claude-2.1")["diagnoses"][0]
    assert top["cause"] == "model_deprecated"
    assert "retired on" in top["summary"]


def test_anthropic_unknown_model_is_not_found(sim: Sim) -> None:
    server = anthropic(sim)
    code, report, _ = anthropic_check(server, "claude-sonet-4-5")
    assert code == 1
    entry = model_entry(report, "claude-sonet-4-5")
    assert causes(entry)[0] == "model_not_found"
    assert "claude-sonnet-4-5" in entry["suggestions"]


def test_anthropic_invalid_and_missing_key(sim: Sim) -> None:
    server = anthropic(sim)
    code, report, _ = check(
        ["claude-sonnet-4-5", "--provider", "anthropic", "--base-url", server.url],
        ANTHROPIC_API_KEY="sk-ant-api03-" + "w" * 80 + "AA",
    )
    assert code == 1 and causes(report["account"])[0] == "invalid_api_key"
    code, report, _ = check(
        ["claude-sonnet-4-5", "--provider", "anthropic", "--base-url", server.url]
    )
    assert code == 1 and causes(report["account"])[0] == "missing_api_key"
    assert report["usage"]["requests"] == 0


@pytest.mark.parametrize(
    ("token", "cause"),
    [
        ("sk-ant-oat01-" + "o" * 80, "invalid_api_key"),
        ("sk-ant-admin01-" + "a" * 80, "insufficient_permissions"),
    ],
    ids=["oauth", "admin"],
)
def test_anthropic_subscription_tokens_and_admin_keys_are_never_sent(
    sim: Sim, token: str, cause: str
) -> None:
    server = anthropic(sim)
    code, report, _ = check(
        [
            "claude-sonnet-4-5",
            "--provider",
            "anthropic",
            "--base-url",
            "https://api.anthropic.com/v1",
        ],
        ANTHROPIC_API_KEY=token,
    )
    assert code == 1
    assert causes(report["account"])[0] == cause
    assert report["usage"]["requests"] == 0 and server.count() == 0


def test_anthropic_credit_balance_is_billing_and_never_retried(sim: Sim) -> None:
    server = anthropic(
        sim, routes={"POST /v1/messages": [Reply(400, simnative.ANTHROPIC_NO_CREDIT)]}
    )
    code, report, _ = anthropic_check(server, "claude-sonnet-4-5")
    assert code == 1
    assert (
        causes(
            report["account"]
            if report["account"]["diagnoses"]
            else model_entry(report, "claude-sonnet-4-5")
        )[0]
        == "insufficient_quota"
    )
    assert posts(server, "/messages") == 1


def test_anthropic_rate_limit_with_retry_after_then_success(sim: Sim) -> None:
    limited = Reply(429, simnative.ANTHROPIC_RATE_LIMITED, headers=(("retry-after", "1"),))
    server = anthropic(sim, routes={"POST /v1/messages": [limited, DEFAULT]})
    code, report, _ = anthropic_check(server, "claude-sonnet-4-5")
    assert code == 0
    probe = model_entry(report, "claude-sonnet-4-5")["probes"][0]
    assert probe["attempts"] == 2 and probe["earlier_statuses"] == [429]


def test_anthropic_529_overload_is_a_server_error_retried_within_the_bound(sim: Sim) -> None:
    server = anthropic(
        sim,
        routes={
            "POST /v1/messages": [
                Reply(529, simnative.ANTHROPIC_OVERLOADED, headers=(("retry-after", "0"),))
            ]
        },
    )
    code, report, _ = anthropic_check(server, "claude-sonnet-4-5")
    assert code == 3
    assert causes(model_entry(report, "claude-sonnet-4-5"))[0] == "server_error"
    assert posts(server, "/messages") == 3  # 1 + 2 retries


def test_anthropic_free_sends_count_tokens_only(sim: Sim) -> None:
    server = anthropic(sim)
    code, report, _ = anthropic_check(server, "claude-sonnet-4-5", "claude-2.1", extra=("--free",))
    assert posts(server, "/messages") == 0
    assert posts(server, "/messages/count_tokens") == 2
    assert model_entry(report, "claude-sonnet-4-5")["verdict"] == "pass"
    assert model_entry(report, "claude-2.1")["verdict"] == "fail"
    assert code == 1


# --- Azure OpenAI -------------------------------------------------------------------------------


def azure(sim: Sim, **kw: Any) -> SimServer:
    base: dict[str, Any] = {
        "family": "azure",
        "prefix": "",
        "listed": ("chat-prod", "embed-prod"),
        "deployments": {"chat-prod": "gpt-4o-mini", "embed-prod": "text-embedding-3-large"},
        "modes": {"embed-prod": "embeddings"},
        "key": AZURE_KEY,
    }
    return sim(Scenario("z", "z", **(base | kw)))


def azure_check(server: SimServer, *models: str, extra: tuple[str, ...] = (), **env: str) -> Any:
    environ = {"AZURE_OPENAI_API_KEY": AZURE_KEY, "AZURE_OPENAI_ENDPOINT": server.url} | env
    return check([*models, "--provider", "azure", *extra], **environ)


def test_azure_deployment_path_api_version_and_key_header(sim: Sim) -> None:
    server = azure(sim)
    code, report, _ = azure_check(server, "chat-prod")
    assert code == 0
    call = next(r for r in server.requests if r.method == "POST")
    assert call.path == "/openai/deployments/chat-prod/chat/completions"
    assert dict(call.query)["api-version"] == "2024-10-21"
    assert "model" not in call.body and call.body["max_tokens"] == 1
    assert model_entry(report, "chat-prod")["listed"] is True  # the deployments list answered


def test_azure_deployment_not_found_names_a_fresh_deployment(sim: Sim) -> None:
    server = azure(sim)
    code, report, _ = azure_check(server, "chat-new")
    assert code == 1
    top = model_entry(report, "chat-new")["diagnoses"][0]
    assert top["cause"] == "azure_deployment_not_found"
    assert "minutes" in top["summary"]


def test_azure_embeddings_deployment_switches_from_chat_to_embeddings(sim: Sim) -> None:
    server = azure(sim)
    code, report, _ = azure_check(server, "embed-prod")
    assert code == 0
    entry = model_entry(report, "embed-prod")
    assert (entry["mode"], entry["mode_source"]) == ("embeddings", "switched")
    assert posts(server, "/embed-prod/embeddings") == 1


def test_azure_operation_not_supported_under_endpoint_chat(sim: Sim) -> None:
    server = azure(sim)
    code, report, _ = azure_check(server, "embed-prod", extra=("--endpoint", "chat"))
    assert code == 1
    assert causes(model_entry(report, "embed-prod"))[0] == "wrong_endpoint_for_model"


def test_azure_api_version_not_supported(sim: Sim) -> None:
    server = azure(sim)
    code, report, _ = azure_check(server, "chat-prod", extra=("--api-version", "2023-01-01"))
    assert code == 1
    assert (
        causes(
            model_entry(report, "chat-prod")
            if not report["account"]["diagnoses"]
            else report["account"]
        )[0]
        == "azure_api_version"
    )


def test_azure_invalid_key(sim: Sim) -> None:
    server = azure(sim)
    code, report, _ = azure_check(server, "chat-prod", AZURE_OPENAI_API_KEY="f" * 32)
    assert code == 1 and causes(report["account"])[0] == "invalid_api_key"


def test_azure_rate_limit_with_a_stated_wait_then_success(sim: Sim) -> None:
    limited = Reply(429, simnative.AZURE_RATE_LIMITED)
    route = "POST /openai/deployments/chat-prod/chat/completions"
    server = azure(sim, routes={route: [limited, DEFAULT]})
    code, report, _ = azure_check(server, "chat-prod")
    assert code == 0
    probe = model_entry(report, "chat-prod")["probes"][0]
    # The wait comes from the message ("retry after 3 seconds"), within the preflight's bound.
    assert (probe["attempts"], probe["earlier_statuses"]) == (2, [429])


def test_azure_server_error_is_inconclusive(sim: Sim) -> None:
    route = "POST /openai/deployments/chat-prod/chat/completions"
    server = azure(sim, routes={route: [Reply(500, simnative.AZURE_SERVER_ERROR)]})
    code, report, _ = azure_check(server, "chat-prod")
    assert code == 3
    assert causes(model_entry(report, "chat-prod"))[0] == "server_error"


def test_azure_missing_key_sends_nothing(sim: Sim) -> None:
    server = azure(sim)
    result = run(["check", "chat-prod", "--provider", "azure", "--base-url", server.url], key=None)
    assert result.exit_code == 1 and server.count() == 0
    assert "AZURE_OPENAI_API_KEY" in result.stdout


def test_azure_day_long_429_is_a_quota_reported_not_waited(sim: Sim) -> None:
    quota = Reply(429, simnative.AZURE_QUOTA_DAY)
    server = azure(sim, routes={"POST /openai/deployments/chat-prod/chat/completions": [quota]})
    code, report, _ = azure_check(server, "chat-prod")
    assert posts(server, "/chat/completions") == 1  # 86400 s: not retried
    assert code in (1, 3)
    assert "86400" in json.dumps(report)


def test_azure_list_that_a_resource_does_not_answer_is_said_so(sim: Sim) -> None:
    server = azure(
        sim, routes={"GET /openai/deployments": [Reply(404, simnative.AZURE_RESOURCE_NOT_FOUND)]}
    )
    code, report, _ = azure_check(server, "chat-prod")
    assert code == 0
    assert model_entry(report, "chat-prod")["listed"] is None
    # Best effort, said so in a note: no warning, no finding.
    assert report["account"]["diagnoses"] == []
    assert any("does not answer the deployments list" in n for n in report["notes"])


def test_azure_v1_base_url_speaks_openai_with_the_deployment_as_model(sim: Sim) -> None:
    server = sim(Scenario("v1", "v1", prefix="/openai/v1", listed=("chat-prod",)))
    code, report, _ = check(
        ["chat-prod", "--provider", "azure", "--base-url", server.url],
        AZURE_OPENAI_API_KEY=AZURE_KEY,
    )
    assert code == 0
    chat = next(r for r in server.requests if r.method == "POST")
    assert chat.path == "/openai/v1/chat/completions" and chat.body["model"] == "chat-prod"
    assert not dict(chat.query)
    # Azure's own key header, which the v1 API takes too (an Entra token goes as Bearer).
    assert chat.auth_header == "api-key"
    assert model_entry(report, "chat-prod")["proof"] == "generated"


def test_azure_entra_token_is_sent_as_bearer(sim: Sim) -> None:
    server = azure(sim, key="eyJ0eXAiOiJKV1QiLCJhbGciOi.entra-token-0000000000")
    code, _, _ = check(
        ["chat-prod", "--provider", "azure"],
        AZURE_OPENAI_AD_TOKEN="eyJ0eXAiOiJKV1QiLCJhbGciOi.entra-token-0000000000",
        AZURE_OPENAI_ENDPOINT=server.url,
    )
    assert code == 0


# --- Gemini -------------------------------------------------------------------------------------


def gemini(sim: Sim, **kw: Any) -> SimServer:
    base: dict[str, Any] = {
        "family": "gemini",
        "prefix": "/v1beta",
        "listed": ("gemini-2.5-flash", "gemini-2.5-pro", "text-embedding-004"),
        "modes": {"text-embedding-004": "embeddings"},
        "key": GEMINI_KEY,
    }
    return sim(Scenario("g", "g", **(base | kw)))


def gemini_check(
    server: SimServer, *models: str, extra: tuple[str, ...] = (), key: str = GEMINI_KEY
) -> Any:
    return check(
        [*models, "--provider", "gemini", "--base-url", server.url, *extra], GEMINI_API_KEY=key
    )


def test_gemini_generate_content_with_the_key_in_a_header_never_in_the_url(sim: Sim) -> None:
    server = gemini(sim)
    code, report, _ = gemini_check(server, "gemini-2.5-flash")
    assert code == 0
    entry = model_entry(report, "gemini-2.5-flash")
    assert (entry["proof"], entry["endpoint"]) == (
        "generated",
        "/models/gemini-2.5-flash:generateContent",
    )
    call = next(r for r in server.requests if r.method == "POST")
    assert call.body["generationConfig"] == {"maxOutputTokens": 1}
    assert "thinkingConfig" not in json.dumps(call.body)
    assert all("key" not in dict(r.query) for r in server.requests)
    # A MAX_TOKENS answer with no text is still proof of access.


def test_gemini_models_prefix_is_stripped_in_matching(sim: Sim) -> None:
    server = gemini(sim)
    code, report, _ = gemini_check(server, "models/gemini-2.5-flash")
    assert code == 0
    assert model_entry(report, "models/gemini-2.5-flash")["verdict"] == "pass"


def test_gemini_free_tier_limit_zero_is_payment(sim: Sim) -> None:
    server = gemini(
        sim,
        routes={
            "POST /v1beta/models/gemini-2.5-pro:generateContent": [
                Reply(429, simnative.gemini_limit_zero("gemini-2.5-pro"))
            ]
        },
    )
    code, report, _ = gemini_check(server, "gemini-2.5-pro", "gemini-2.5-flash")
    assert code == 1
    assert causes(model_entry(report, "gemini-2.5-pro"))[0] == "model_requires_payment"
    assert posts(server, "gemini-2.5-pro:generateContent") == 1  # limit: 0 is never retried
    assert model_entry(report, "gemini-2.5-flash")["verdict"] == "pass"


def test_gemini_api_not_enabled_and_location(sim: Sim) -> None:
    server = gemini(
        sim,
        routes={
            "POST /v1beta/models/gemini-2.5-flash:generateContent": [
                Reply(403, simnative.GEMINI_API_DISABLED)
            ]
        },
    )
    code, report, _ = gemini_check(server, "gemini-2.5-flash")
    assert code == 1
    found = causes(report["account"]) or causes(model_entry(report, "gemini-2.5-flash"))
    assert found[0] == "api_not_enabled"
    server = gemini(
        sim,
        routes={
            "POST /v1beta/models/gemini-2.5-flash:generateContent": [
                Reply(400, simnative.GEMINI_LOCATION)
            ]
        },
    )
    code, report, _ = gemini_check(server, "gemini-2.5-flash")
    found = causes(report["account"]) or causes(model_entry(report, "gemini-2.5-flash"))
    assert found[0] == "region_unsupported"


def test_gemini_bad_key_is_a_400(sim: Sim) -> None:
    server = gemini(sim)
    code, report, _ = gemini_check(server, "gemini-2.5-flash", key="AIzaSy" + "x" * 33)
    assert code == 1 and causes(report["account"])[0] == "invalid_api_key"


def test_gemini_unknown_or_retired_model(sim: Sim) -> None:
    server = gemini(sim)
    code, report, _ = gemini_check(server, "gemini-1.0-pro")
    assert code == 1
    assert causes(model_entry(report, "gemini-1.0-pro"))[0] in (
        "model_deprecated",
        "model_not_found",
    )


def test_gemini_rate_limit_then_success(sim: Sim) -> None:
    route = "POST /v1beta/models/gemini-2.5-flash:generateContent"
    server = gemini(sim, routes={route: [Reply(429, simnative.GEMINI_EXHAUSTED), DEFAULT]})
    code, report, _ = gemini_check(server, "gemini-2.5-flash")
    assert code == 0
    probe = model_entry(report, "gemini-2.5-flash")["probes"][0]
    assert (probe["attempts"], probe["earlier_statuses"]) == (2, [429])


def test_gemini_overload_is_a_server_error_retried(sim: Sim) -> None:
    route = "POST /v1beta/models/gemini-2.5-flash:generateContent"
    server = gemini(sim, routes={route: [Reply(503, simnative.GEMINI_OVERLOADED)]})
    code, report, _ = gemini_check(server, "gemini-2.5-flash")
    assert code == 3
    assert causes(model_entry(report, "gemini-2.5-flash"))[0] == "server_error"
    assert posts(server, ":generateContent") == 3


def test_gemini_missing_key_sends_nothing(sim: Sim) -> None:
    server = gemini(sim)
    result = run(
        ["check", "gemini-2.5-flash", "--provider", "gemini", "--base-url", server.url], key=None
    )
    assert result.exit_code == 1 and server.count() == 0
    assert "GEMINI_API_KEY" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "github", "junit"])
def test_gemini_error_details_that_echo_the_key_are_scrubbed(sim: Sim, fmt: str) -> None:
    route = "POST /v1beta/models/gemini-2.5-flash:generateContent"
    body = simnative.gemini_consumer_suspended(GEMINI_KEY)
    server = gemini(sim, routes={route: [Reply(403, body)]})
    result = run(
        [
            "check",
            "gemini-2.5-flash",
            "--provider",
            "gemini",
            "--base-url",
            server.url,
            "-f",
            fmt,
            "-v",
        ],
        key=None,
        GEMINI_API_KEY=GEMINI_KEY,
    )
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert GEMINI_KEY not in out and GEMINI_KEY[6:-4] not in out
    if fmt == "json":
        entry = model_entry(report_json(result), "gemini-2.5-flash")
        assert causes(entry)[0] == "account_deactivated"
        assert "CONSUMER_SUSPENDED" in json.dumps(entry["probes"])  # the details are kept


def test_gemini_embedding_model_is_probed_with_embed_content(sim: Sim) -> None:
    server = gemini(sim)
    code, report, _ = gemini_check(server, "text-embedding-004@embeddings")
    assert code == 0
    assert posts(server, "text-embedding-004:embedContent") == 1
    entry = model_entry(report, "text-embedding-004")
    assert (entry["mode"], entry["proof"]) == ("embeddings", "generated")


def test_gemini_free_uses_count_tokens(sim: Sim) -> None:
    server = gemini(sim)
    code, report, _ = gemini_check(server, "gemini-2.5-flash", extra=("--free",))
    assert code == 0
    assert posts(server, ":countTokens") == 1 and posts(server, ":generateContent") == 0
    assert model_entry(report, "gemini-2.5-flash")["proof"] == "listed"


# --- Bedrock ------------------------------------------------------------------------------------


def bedrock(sim: Sim, **kw: Any) -> SimServer:
    return sim(dataclasses.replace(SCENARIOS["bedrock"], key=BEDROCK_KEY, **kw))


def bedrock_check(
    server: SimServer, *models: str, extra: tuple[str, ...] = (), key: str = BEDROCK_KEY
) -> Any:
    return check(
        [*models, "--provider", "bedrock", "--base-url", server.url, *extra],
        AWS_BEARER_TOKEN_BEDROCK=key,
    )


HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-3-7-sonnet-20250219-v1:0"
LLAMA = "meta.llama3-70b-instruct-v1:0"


def test_bedrock_converse_with_a_bearer_key_and_the_id_encoded(sim: Sim) -> None:
    server = bedrock(sim)
    code, report, _ = bedrock_check(server, HAIKU)
    assert code == 0
    call = next(r for r in server.requests if r.method == "POST")
    assert call.path == f"/model/{HAIKU}/converse"
    assert call.body["inferenceConfig"] == {"maxTokens": 1}
    assert model_entry(report, HAIKU)["proof"] == "generated"


def test_bedrock_inference_profile_names_the_prefix(sim: Sim) -> None:
    server = bedrock(sim)
    code, report, _ = bedrock_check(server, SONNET)
    assert code == 1
    top = model_entry(report, SONNET)["diagnoses"][0]
    assert top["rule"] == "bedrock.inference_profile"
    assert f"us.{SONNET}" in " ".join(top["fix"]) + top["summary"]


def test_bedrock_no_access_is_model_access_not_enabled(sim: Sim) -> None:
    server = bedrock(sim)
    code, report, _ = bedrock_check(server, LLAMA)
    assert code == 1
    assert causes(model_entry(report, LLAMA))[0] == "model_access_not_enabled"


def test_bedrock_free_checks_availability(sim: Sim) -> None:
    server = bedrock(sim)
    code, report, _ = bedrock_check(server, HAIKU, LLAMA, extra=("--free",))
    assert server.count("POST") == 0
    assert server.count("GET", f"/foundation-model-availability/{HAIKU}") == 1
    assert model_entry(report, HAIKU)["verdict"] == "pass"
    assert causes(model_entry(report, LLAMA))[0] == "model_access_not_enabled"
    assert code == 1


def test_bedrock_unknown_model_is_not_found(sim: Sim) -> None:
    server = bedrock(sim)
    code, report, _ = bedrock_check(server, "anthropic.claude-nope-v1:0")
    assert code == 1
    entry = model_entry(report, "anthropic.claude-nope-v1:0")
    assert entry["listed"] is False and causes(entry)[0] == "model_not_found"


def test_bedrock_throttling_then_success(sim: Sim) -> None:
    route = f"POST /model/{HAIKU}/converse"
    throttled = simnative.bedrock_error(429, "ThrottlingException", simnative.BEDROCK_THROTTLED)
    server = bedrock(sim, routes={route: [throttled, DEFAULT]})
    code, report, _ = bedrock_check(server, HAIKU)
    assert code == 0
    probe = model_entry(report, HAIKU)["probes"][0]
    assert (probe["attempts"], probe["earlier_statuses"]) == (2, [429])


def test_bedrock_service_unavailable_is_a_server_error(sim: Sim) -> None:
    route = f"POST /model/{HAIKU}/converse"
    unavailable = simnative.bedrock_error(
        503, "ServiceUnavailableException", simnative.BEDROCK_UNAVAILABLE
    )
    server = bedrock(sim, routes={route: [unavailable]})
    code, report, _ = bedrock_check(server, HAIKU)
    assert code == 3
    assert causes(model_entry(report, HAIKU))[0] == "server_error"


def test_bedrock_bad_key(sim: Sim) -> None:
    server = bedrock(sim)
    code, report, _ = bedrock_check(server, HAIKU, key="ABSK" + "Z" * 40)
    assert code == 1
    assert causes(report["account"])[0] in ("invalid_api_key", "wrong_provider_key")


AWS_ACCESS_KEY_ID = "AKIACANARY0000007X7X"
AWS_SECRET = "CANARYsecret/aws0000000000000000000007x7x"


def test_bedrock_signs_with_sigv4_from_the_aws_credential_chain(sim: Sim) -> None:
    # modelcheck[aws]: botocore reads the standard chain (here: the environment variables).
    pytest.importorskip("botocore")
    scope = f"sigv4:{AWS_ACCESS_KEY_ID}/eu-west-1/bedrock"
    server = sim(dataclasses.replace(SCENARIOS["bedrock"], key=scope))
    result = run(
        [
            "check",
            HAIKU,
            "--provider",
            "bedrock",
            "--base-url",
            server.url,
            "--region",
            "eu-west-1",
            "-f",
            "json",
            "-v",
        ],
        key=None,
        AWS_ACCESS_KEY_ID=AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY=AWS_SECRET,
    )
    assert result.exit_code == 0, result.stderr
    assert model_entry(report_json(result), HAIKU)["proof"] == "generated"
    assert {r.auth_header for r in server.requests} == {"authorization"}
    assert all(dict(r.headers).get("x-amz-date") for r in server.requests)
    assert AWS_SECRET not in result.stdout + result.stderr


def test_bedrock_without_a_key_or_aws_credentials_says_what_to_set() -> None:
    result = run(["check", HAIKU, "--provider", "bedrock", "--region", "us-east-1"], key=None)
    assert result.exit_code == 1
    assert "AWS_BEARER_TOKEN_BEDROCK" in result.stdout + result.stderr


def test_bedrock_needs_a_region_or_a_base_url() -> None:
    result = run(
        ["check", HAIKU, "--provider", "bedrock"], key=None, AWS_BEARER_TOKEN_BEDROCK=BEDROCK_KEY
    )
    assert result.exit_code == 2 and "needs a region" in result.stderr


# --- auto-detection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "provider", "rule"),
    [
        (["--base-url", "https://my-res.openai.azure.com"], {}, "azure", "base URL host"),
        (["--base-url", "https://api.anthropic.com/v1"], {}, "anthropic", "base URL host"),
        (
            ["--base-url", "https://generativelanguage.googleapis.com/v1beta"],
            {},
            "gemini",
            "base URL host",
        ),
        (
            ["--base-url", "https://generativelanguage.googleapis.com/v1beta/openai"],
            {},
            "gemini-openai",
            "base URL host",
        ),
        (
            ["--base-url", "https://bedrock-runtime.eu-west-1.amazonaws.com"],
            {},
            "bedrock",
            "base URL host",
        ),
        (["--base-url", "https://api.groq.com/openai/v1"], {}, "groq", "base URL host"),
        ([], {"OPENAI_API_KEY": ANTHROPIC_KEY}, "anthropic", "key prefix"),
        ([], {"OPENAI_API_KEY": GEMINI_KEY}, "gemini", "key prefix"),
        (
            [],
            {"OPENAI_API_KEY": "sk-proj-" + "a" * 20 + "T3BlbkFJ" + "b" * 20},
            "openai",
            "default",
        ),
    ],
)
def test_the_provider_follows_the_host_then_the_key(
    args: list[str], env: dict[str, str], provider: str, rule: str
) -> None:
    from pathlib import Path

    from modelcheck.settings import load_settings

    flags: dict[str, Any] = {}
    if args:
        flags["base_url"] = args[1]
    settings, _ = load_settings(("m",), flags, env, Path("/"))
    assert (settings.provider.name, settings.provider_source) == (provider, rule)
    if rule == "key prefix":
        assert settings.key == env["OPENAI_API_KEY"]  # the key that named it is the one used


def test_the_report_says_which_rule_chose_the_provider(sim: Sim) -> None:
    server = anthropic(sim)
    # No OpenAI key, no base URL flag: the one native key variable set chose Anthropic, and
    # its base URL variable pointed at the simulator.
    result = run(
        ["check", "claude-sonnet-4-5"],
        key=None,
        ANTHROPIC_API_KEY=ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL=server.url,
    )
    assert "anthropic (from ANTHROPIC_API_KEY)" in result.stdout
    assert result.exit_code == 0
    assert {r.auth_header for r in server.requests} == {"x-api-key"}


@pytest.mark.parametrize(
    ("env", "provider"),
    [
        ({"GEMINI_API_KEY": GEMINI_KEY}, "gemini"),
        ({"AZURE_OPENAI_API_KEY": AZURE_KEY}, "openai"),  # no AZURE_OPENAI_ENDPOINT
        (
            {
                "AZURE_OPENAI_API_KEY": AZURE_KEY,
                "AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com",
            },
            "azure",
        ),
        ({"ANTHROPIC_API_KEY": ANTHROPIC_KEY, "GEMINI_API_KEY": GEMINI_KEY}, "openai"),  # which?
        ({"ANTHROPIC_API_KEY": ANTHROPIC_KEY, "OPENAI_API_KEY": "sk-proj-x"}, "openai"),
    ],
)
def test_a_native_key_variable_chooses_only_when_it_is_the_only_key(
    env: dict[str, str], provider: str
) -> None:
    from pathlib import Path

    from modelcheck.settings import load_settings

    settings, _ = load_settings(("m",), {}, env, Path("/"))
    assert settings.provider.name == provider


def test_a_gateway_host_stays_openai_compatible_whatever_the_key(sim: Sim) -> None:
    server = sim(Scenario("gw", "gw"))
    result = run(["check", "gpt-4o-mini", "--base-url", server.url], key=ANTHROPIC_KEY)
    assert "looks like an Anthropic API key; sending it to 127.0.0.1 anyway" in result.stderr
    assert {r.path for r in server.requests} >= {"/v1/chat/completions"}
