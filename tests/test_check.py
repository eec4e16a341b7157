"""`modelcheck check` end to end against the simulator over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable

from modelcheck.simulator import (
    DEFAULT,
    INSUFFICIENT_QUOTA,
    OVERLOADED,
    RATE_LIMITED,
    SEED_MODELS,
    Reply,
    Scenario,
    SimServer,
)

from conftest import CANARY, causes, free_port, model_entry, report_json, run

Sim = Callable[[Scenario], SimServer]


def test_seed_case_ranks_payment_and_tier_above_not_found(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    # July 2023, the seed case: judged as of then (gpt-4 was retired on 2026-10-23).
    args = ["check", "gpt-4", "gpt-3.5-turbo", "--base-url", server.url, "--as-of", "2023-07-15"]
    result = run([*args, "--format", "json"])
    assert result.exit_code == 1
    report = report_json(result)
    assert report["verdict"] == "fail"
    assert report["exit_code"] == 1
    assert model_entry(report, "gpt-3.5-turbo")["verdict"] == "pass"
    gpt4 = model_entry(report, "gpt-4")
    assert gpt4["verdict"] == "fail"
    assert gpt4["listed"] is False
    assert causes(gpt4) == ["model_requires_payment", "model_tier_gated", "model_not_found"]
    fix = " ".join(gpt4["diagnoses"][0]["fix"])
    assert "first payment" in fix and "billing" in fix
    assert "Tier 1 = $5 paid" in fix
    assert "15 minutes" in fix
    chat = next(p for p in gpt4["probes"] if p["endpoint"] == "chat")
    assert chat["status"] == 404
    assert chat["error"]["code"] == "model_not_found"
    assert chat["error"]["message"] == "The model: `gpt-4` does not exist"
    assert report["account"]["diagnoses"] == []


def test_seed_case_table_shows_causes_and_summary_on_stderr(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(
        ["check", "gpt-4", "gpt-3.5-turbo", "--base-url", server.url, "--as-of", "2023-07-15"]
    )
    assert result.exit_code == 1
    out = result.stdout
    assert "This key can list 5 models." in out
    assert out.index("model_requires_payment") < out.index("model_tier_gated")
    assert out.index("model_tier_gated") < out.index("model_not_found")
    assert "usable" in out and "NOT USABLE" in out
    assert result.stderr == "modelcheck: 1 of 2 model(s) usable; verdict fail (exit 1)\n"


def test_typo_ranks_model_not_found_with_close_ids_from_the_keys_list(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    for typo in ("gpt4", "gtp-4"):
        result = run(["check", typo, "--base-url", server.url, "--format", "json"])
        assert result.exit_code == 1
        entry = model_entry(report_json(result), typo)
        assert causes(entry)[0] == "model_not_found"
        assert "model_requires_payment" not in causes(entry)
        assert entry["suggestions"][0] in SEED_MODELS
        assert "gpt-4o-mini" in entry["suggestions"]
        assert "gpt-4o-mini" in entry["diagnoses"][0]["summary"]


def test_invalid_key_is_one_account_finding_not_repeated_per_model(sim: Sim) -> None:
    server = sim(Scenario("bad", "bad", key="sk-proj-another-key-entirely-0000"))
    result = run(
        ["check", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url, "--format", "json"]
    )
    assert result.exit_code == 1
    report = report_json(result)
    assert causes(report["account"]) == ["invalid_api_key"]
    for model in ("gpt-4o-mini", "gpt-3.5-turbo"):
        entry = model_entry(report, model)
        assert entry["verdict"] == "fail"
        assert entry["diagnoses"] == []
        assert entry["account_causes"] == ["invalid_api_key"]
    # A 401 on a free endpoint may only mean a key without the models-read scope, so each
    # model still gets its (free: refused) chat probe; the rejection is one account finding.
    assert server.count("POST") == 2
    table = run(["check", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url])
    assert table.stdout.count("rule auth.invalid_api_key.code") == 1


def test_insufficient_quota_fails_and_is_never_retried(sim: Sim) -> None:
    server = sim(
        Scenario(
            "quota", "quota", routes={"POST /v1/chat/completions": [Reply(429, INSUFFICIENT_QUOTA)]}
        )
    )
    result = run(
        ["check", "gpt-4o-mini", "gpt-3.5-turbo", "--base-url", server.url, "--format", "json"]
    )
    assert result.exit_code == 1
    report = report_json(result)
    assert causes(report["account"]) == ["insufficient_quota"]
    assert server.count("POST", "/chat/completions") == 2  # one per model, no retry
    for model in ("gpt-4o-mini", "gpt-3.5-turbo"):
        entry = model_entry(report, model)
        assert "rate_limited" not in causes(entry)
        assert entry["account_causes"] == ["insufficient_quota"]


def test_rate_limit_then_success_honours_retry_after(sim: Sim) -> None:
    limited = Reply(429, RATE_LIMITED, headers=(("retry-after-ms", "150"),))
    server = sim(
        Scenario("rl", "rl", routes={"POST /v1/chat/completions": [limited, limited, DEFAULT]})
    )
    result = run(["check", "gpt-4o-mini", "--base-url", server.url, "--format", "json"])
    assert result.exit_code == 0, result.stdout
    entry = model_entry(report_json(result), "gpt-4o-mini")
    assert entry["verdict"] == "pass"
    assert server.count("POST", "/chat/completions") == 3
    assert entry["probes"][-1]["attempts"] == 3


def test_rate_limit_that_persists_is_inconclusive_within_the_retry_bound(sim: Sim) -> None:
    limited = Reply(429, RATE_LIMITED, headers=(("retry-after", "0"),))
    server = sim(Scenario("rl", "rl", routes={"POST /v1/chat/completions": [limited]}))
    result = run(["check", "gpt-4o-mini", "--base-url", server.url, "--format", "json"])
    assert result.exit_code == 3
    entry = model_entry(report_json(result), "gpt-4o-mini")
    assert entry["verdict"] == "inconclusive"
    assert causes(entry) == ["rate_limited"]
    assert server.count("POST", "/chat/completions") == 3  # 1 + 2 retries


def test_long_retry_after_is_reported_not_slept_on(sim: Sim) -> None:
    limited = Reply(429, RATE_LIMITED, headers=(("retry-after", "3600"),))
    server = sim(Scenario("rl", "rl", routes={"POST /v1/chat/completions": [limited]}))
    result = run(["check", "gpt-4o-mini", "--base-url", server.url])
    assert result.exit_code == 3
    assert server.count("POST", "/chat/completions") == 1
    assert "60 min" in result.stdout


def test_max_tokens_rejection_then_success_records_the_need(sim: Sim) -> None:
    server = sim(
        Scenario(
            "o1",
            "o1",
            listed=("o1", "gpt-4o-mini"),
            needs_max_completion_tokens=frozenset({"o1"}),
        )
    )
    result = run(["check", "o1", "gpt-4o-mini", "--base-url", server.url, "--format", "json"])
    assert result.exit_code == 0
    entry = model_entry(report_json(result), "o1")
    assert entry["verdict"] == "pass"
    assert [d["cause"] for d in entry["diagnoses"]] == ["unsupported_parameter"]
    assert entry["diagnoses"][0]["severity"] == "warning"
    assert [p["token_param"] for p in entry["probes"] if p["endpoint"] == "chat"] == [
        "max_tokens",
        "max_completion_tokens",
    ]
    bodies = [r.body for r in server.requests if r.method == "POST"]
    assert len(bodies) == 3
    for body in bodies:
        assert "temperature" not in body and "stream" not in body
        assert body["messages"] == [{"role": "user", "content": "Hi"}]
        assert body.get("max_tokens", body.get("max_completion_tokens")) == 1


def test_503_is_inconclusive(sim: Sim) -> None:
    server = sim(
        Scenario("503", "503", routes={"POST /v1/chat/completions": [Reply(503, OVERLOADED)]})
    )
    result = run(["check", "gpt-4o-mini", "--base-url", server.url, "--format", "json"])
    assert result.exit_code == 3
    report = report_json(result)
    assert report["verdict"] == "inconclusive"
    assert causes(model_entry(report, "gpt-4o-mini")) == ["server_error"]


def test_connection_refused_is_inconclusive_network_connect() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = run(["check", "gpt-4o-mini", "--base-url", url, "--format", "json"])
    assert result.exit_code == 3
    report = report_json(result)
    assert causes(report["account"]) == ["network_connect"]
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "inconclusive"


def test_html_404_means_wrong_base_url(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(["check", "gpt-4o-mini", "--base-url", server.root, "--format", "json"])
    assert result.exit_code == 3  # the API was never reached: nothing is known of the key
    report = report_json(result)
    assert causes(report["account"])[0] == "wrong_base_url"
    diagnosis = report["account"]["diagnoses"][0]
    assert diagnosis["rule"] == "http.html.missing_v1"
    assert "404 Not Found" in diagnosis["summary"]


def test_redirect_is_not_followed_and_key_not_sent_elsewhere(sim: Sim) -> None:
    target = sim(Scenario("target", "target"))
    moved = Reply(302, "", headers=(("location", target.url + "/models"),))
    origin = sim(
        Scenario(
            "moved",
            "moved",
            # The whole API moved: every path answers with the redirect.
            routes={
                "GET /v1/models": [moved],
                "GET /v1/models/gpt-4o-mini": [moved],
                "POST /v1/chat/completions": [moved],
            },
        )
    )
    result = run(["check", "gpt-4o-mini", "--base-url", origin.url, "--format", "json"])
    assert result.exit_code == 3
    report = report_json(result)
    assert causes(report["account"]) == ["wrong_base_url"]
    assert target.url in report["account"]["diagnoses"][0]["summary"]
    assert target.count() == 0


def test_free_mode_sends_no_chat_request(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(
        ["check", "gpt-4", "gpt-3.5-turbo", "--free", "--base-url", server.url, "--format", "json"]
    )
    assert result.exit_code == 1
    report = report_json(result)
    assert server.count("POST") == 0
    assert report["usage"] == {
        "requests": 2,  # the list, and a retrieve for the model it lacks
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "max_requests": 13,  # default cap: 1 + 2 per model + 8
        "max_tokens": 4,  # default cap: 2 per model
    }
    assert server.count("GET", "/models/gpt-4") == 1
    assert server.count("GET", "/models/gpt-3.5-turbo") == 0  # listed: no retrieve
    assert model_entry(report, "gpt-3.5-turbo")["verdict"] == "pass"
    assert model_entry(report, "gpt-3.5-turbo")["proof"] == "listed"
    # As of today gpt-4 is retired (OpenAI shut it down on 2026-10-23): the 404 now says so.
    gpt4 = model_entry(report, "gpt-4")["diagnoses"][0]
    assert gpt4["cause"] == "model_deprecated"
    assert "retired on 2026-10-23; use gpt-5.6-sol" in gpt4["summary"]
    assert any("--free" in note for note in report["notes"])


def test_usage_counts_requests_and_tokens(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    result = run(["check", "gpt-3.5-turbo", "--base-url", server.url, "--format", "json"])
    assert result.exit_code == 0
    assert report_json(result)["usage"] == {
        "requests": 2,
        "prompt_tokens": 8,
        "completion_tokens": 1,
        "max_requests": 11,
        "max_tokens": 2,
    }
    assert server.count() == 2  # one request per model, the list alongside: no retrieve
    assert server.count("GET", "/models/gpt-3.5-turbo") == 0


def test_request_budget_is_a_hard_cap(sim: Sim) -> None:
    server = sim(Scenario("seed", "seed"))
    models = ["gpt-3.5-turbo", "gpt-4o-mini", "davinci-002", "whisper-1"]
    result = run(
        ["check", *models, "--max-requests", "3", "--base-url", server.url, "--format", "json"]
    )
    assert server.count() == 3
    report = report_json(result)
    assert report["usage"]["requests"] == 3
    assert result.exit_code == 3
    assert any(m["verdict"] == "skipped" for m in report["models"])


def test_organization_mismatch(sim: Sim) -> None:
    body = (
        '{"error":{"message":"OpenAI-Organization header should match organization for API key",'
        '"type":"invalid_request_error","param":null,"code":"mismatched_organization"}}'
    )
    reply = Reply(401, body)
    routes = {
        "GET /v1/models": [reply],
        "GET /v1/models/gpt-4o-mini": [reply],
        "POST /v1/chat/completions": [reply],
    }
    server = sim(Scenario("org", "org", routes=routes))
    result = run(
        ["check", "gpt-4o-mini", "--base-url", server.url, "--org", "org-wrong", "--format", "json"]
    )
    assert result.exit_code == 1
    assert causes(report_json(result)["account"])[0] == "organization_invalid"
    assert all(r.organization == "org-wrong" for r in server.requests)


def test_key_is_sent_as_bearer_and_never_in_full_in_any_output(sim: Sim) -> None:
    # The server echoes the full key back in its message and a header: still never shown.
    echo = Reply(
        401,
        '{"error":{"message":"Incorrect API key provided: ' + CANARY + '","type":'
        '"invalid_request_error","param":null,"code":"invalid_api_key"}}',
        headers=(("x-request-id", CANARY),),
    )
    server = sim(Scenario("echo", "echo", routes={"GET /v1/models": [echo]}))
    for args in (["--format", "table"], ["--format", "json"], ["--verbose"]):
        result = run(["check", "gpt-4o-mini", "--base-url", server.url, *args])
        assert CANARY not in result.stdout
        assert CANARY not in result.stderr
        assert CANARY[8:-4] not in result.stdout + result.stderr
        assert "sk-proj-\u20263bqZ" in result.stdout
    verbose = run(["check", "gpt-4o-mini", "--base-url", server.url, "--verbose"])
    assert "debug: modelcheck" in verbose.stderr
    assert all(r.authorized for r in server.requests)
