"""`modelcheck explain`: every fixture's exact ranking, input forms, hints, CLI and output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from fixturesplit import split_of
from modelcheck.cli import cli
from modelcheck.diagnosis.causes import CAUSES
from modelcheck.diagnosis.rules import RULES
from modelcheck.explainer import explain_text, parse

from conftest import CANARY, FIXTURES, load_fixture
from explaincases import EXPLAIN_EXPECTED


def explain_cli(args: list[str], stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["explain", *args], input=stdin, catch_exceptions=False)


@pytest.mark.parametrize("fixture_id", sorted(EXPLAIN_EXPECTED))
def test_fixture_ranking(fixture_id: str) -> None:
    fixture = load_fixture(fixture_id)
    result = explain_text(fixture["body"], today=fixture.get("source_date") or None)
    assert tuple(d.cause for d in result.diagnoses) == EXPLAIN_EXPECTED[fixture_id]


def test_every_train_fixture_has_its_ranking_and_no_test_fixture_does() -> None:
    train = sorted(p.stem for p in FIXTURES.glob("*.json") if split_of(p.name) == "train")
    assert sorted(EXPLAIN_EXPECTED) == train


@pytest.mark.parametrize(
    "fixture_id", sorted(p.stem for p in FIXTURES.glob("*.json") if split_of(p.name) == "test")
)
def test_every_test_split_fixture_explains_to_a_known_cause(fixture_id: str) -> None:
    # The test split is the benchmark's (not read while writing rules): only that explain
    # answers it with known causes, at most five, never raising.
    diagnoses = explain_text(load_fixture(fixture_id)["body"]).diagnoses
    assert 1 <= len(diagnoses) <= 5
    assert all(d.cause in CAUSES for d in diagnoses)


def test_at_least_350_fixtures_from_20_providers() -> None:
    fixtures = [json.loads(p.read_text(encoding="utf-8")) for p in FIXTURES.glob("*.json")]
    providers = {f["provider"] for f in fixtures} - {"network"}
    assert len(fixtures) >= 350
    assert len(providers) >= 20


# --- input forms --------------------------------------------------------------------------


SEED_BODY = (
    '{"error":{"message":"The model: `gpt-4` does not exist","type":"invalid_request_error",'
    '"param":null,"code":"model_not_found"}}'
)


def test_curl_i_output_gives_status_headers_and_body() -> None:
    text = (
        "HTTP/2 404 \r\ncontent-type: application/json\r\nx-request-id: req_abc\r\n"
        "openai-organization: user-x\r\n\r\n" + SEED_BODY
    )
    parsed = parse(text)
    assert parsed.status == 404
    assert parsed.model == "gpt-4"
    assert parsed.provider == "openai"
    assert parsed.error is not None and parsed.error.code == "model_not_found"
    # Judged as of the seed case's day (gpt-4 was retired on 2026-10-23).
    causes = [d.cause for d in explain_text(text, today="2023-07-15").diagnoses]
    assert causes[:2] == ["model_requires_payment", "model_tier_gated"]


def test_python_traceback_uses_the_last_error_line() -> None:
    fixture = load_fixture("openai_python_429_insufficient_quota")["body"]
    text = (
        "Traceback (most recent call last):\n"
        '  File "app.py", line 3, in <module>\n'
        "    client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
        '  File "/venv/lib/python3.11/site-packages/openai/_base_client.py", line 1059, in '
        "_request\n    raise self._make_status_error_from_response(err.response) from None\n"
        + fixture
        + "\n"
    )
    parsed = parse(text)
    assert parsed.status == 429
    assert explain_text(text).diagnoses[0].cause == "insufficient_quota"


def test_openai_node_line() -> None:
    parsed = parse(load_fixture("openai_node_404_gpt4o_no_access_unpaid")["body"])
    assert (parsed.status, parsed.model, parsed.provider) == (404, "gpt-4o", "openai")


def test_litellm_proxy_wrapping_an_upstream_error_finds_the_innermost() -> None:
    parsed = parse(load_fixture("litellm_sdk_auth_wrapped_literal_env_expr")["body"])
    assert parsed.error is not None
    assert parsed.error.code == "invalid_api_key"
    nested = json.dumps(
        {
            "error": {
                "message": "litellm.NotFoundError: NotFoundError: OpenAIException - Error code: "
                "404 - " + load_fixture("openai_langchain_dart_fake_model_not_found")["body"],
                "type": None,
                "param": None,
                "code": "404",
            }
        }
    )
    inner = parse(nested)
    assert inner.error is not None and inner.error.code == "model_not_found"
    assert inner.provider == "openai"
    assert inner.model == "fake-model"


@pytest.mark.parametrize(
    ("fixture_id", "kind", "cause"),
    [
        ("network_dns_temporary_failure_openai", "dns", "network_dns"),
        ("network_connect_refused_ollama_bind", "connect", "network_connect"),
        ("network_tls_corporate_proxy_issuer", "tls", "network_tls"),
        ("network_timeout_openai_python", "timeout", "network_timeout"),
        ("network_407_proxy_codegpt", None, "proxy_error"),
    ],
)
def test_network_exception_texts(fixture_id: str, kind: str | None, cause: str) -> None:
    parsed = parse(load_fixture(fixture_id)["body"])
    if kind is not None:
        assert parsed.network is not None and parsed.network.kind == kind
    assert explain_text(load_fixture(fixture_id)["body"]).diagnoses[0].cause == cause


def test_a_request_url_in_the_text_is_read_as_the_base_url() -> None:
    text = (
        "Error: Not Found\n  url: 'https://bob:hunter2@api.example.test/messages',\n  status: 404"
    )
    result = explain_text(text)
    top = result.diagnoses[0]
    assert (top.cause, top.rule) == ("wrong_base_url", "http.404.missing_v1")
    assert "https://api.example.test" in top.summary and "hunter2" not in top.summary
    # With a version path, a bare 404 says nothing about /v1.
    versioned = explain_text(text.replace("/messages", "/v1/messages"))
    assert all(d.rule != "http.404.missing_v1" for d in versioned.diagnoses)


def test_html_page_and_truncated_json() -> None:
    html = parse(load_fixture("openai_404_nginx_html_missing_v1")["body"])
    assert (html.body_kind, html.excerpt, html.status) == ("html", "404 Not Found", 404)
    cut = parse('{"error":{"message":"You exceeded your current quota, please check your pl')
    assert cut.error is not None and cut.body_kind == "text"
    assert explain_text(cut.error.message or "").diagnoses[0].cause == "insufficient_quota"


def test_text_wins_over_hints_and_hints_fill_gaps() -> None:
    parsed = parse("Error code: 404 - " + SEED_BODY, status=500, model="o3", provider="groq")
    assert (parsed.status, parsed.model) == (404, "gpt-4")
    assert parsed.origin["status"] == parsed.origin["model"] == "text"
    hinted = parse(SEED_BODY, status=400)
    assert (hinted.status, hinted.origin["status"]) == (400, "hint")  # hint beats inference
    assert parse(SEED_BODY).origin["status"] == "implied"
    bare = parse(
        '{"error":{"message":"Invalid API Key","type":"invalid_request_error"}}',
        status=401,
        provider="groq",
        model="llama3",
    )
    assert (bare.status, bare.provider, bare.model) == (401, "groq", "llama3")
    assert bare.origin == {"status": "hint", "provider": "hint", "model": "hint"}


def test_echoed_key_of_another_provider_is_named() -> None:
    body = (
        '{"error":{"message":"Incorrect API key provided: sk-ant-a***************AA. You can '
        'find your API key at https://platform.openai.com/account/api-keys.","type":'
        '"invalid_request_error","param":null,"code":"invalid_api_key"}}'
    )
    assert [d.cause for d in explain_text(body, status=401).diagnoses][:2] == [
        "wrong_provider_key",
        "invalid_api_key",
    ]


# --- CLI ------------------------------------------------------------------------------------


def test_cli_argument_and_json_schema() -> None:
    result = explain_cli(
        [SEED_BODY, "--format", "json", "--status", "404", "--as-of", "2023-07-15"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema"] == "modelcheck.explain/1"
    assert set(data["input"]) >= {
        "status",
        "provider",
        "model",
        "endpoint",
        "error",
        "network_error",
    }
    assert data["input"]["error"]["code"] == "model_not_found"
    assert 1 <= len(data["diagnoses"]) <= 5
    assert set(data["diagnoses"][0]) >= {"cause", "rule", "confidence", "summary", "fix", "docs"}
    assert result.stderr == "modelcheck: most likely model_requires_payment (exit 1)\n"


def test_cli_reads_stdin_with_dash_or_a_pipe() -> None:
    body = load_fixture("openai_nextchat_insufficient_quota_docs_link_2024")["body"]
    for args in ([], ["-"]):
        result = explain_cli(args, stdin=body)
        assert result.exit_code == 1
        assert "insufficient_quota" in result.stdout


def test_cli_nothing_matched_is_unknown_exit_3() -> None:
    result = explain_cli(["--format", "json"], stdin="something odd happened")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert [d["cause"] for d in data["diagnoses"]] == ["unknown"]
    assert data["input"]["error"]["message"] == "something odd happened"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", "input is empty"),
        (b"   \n", "input is empty"),
        (b"\x00\x01\x02binary", "input is binary"),
    ],
)
def test_cli_unreadable_input_is_exit_2(stdin: bytes, message: str) -> None:
    result = explain_cli([], stdin=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"modelcheck: error: {message}")


def test_cli_masks_keys_in_pasted_text() -> None:
    text = f'curl -H "Authorization: Bearer {CANARY}" https://api.openai.com/v1/models\n{SEED_BODY}'
    for fmt in ("table", "json"):
        result = explain_cli([text, "--format", fmt])
        assert CANARY not in result.stdout + result.stderr
    leaked = (
        f'{{"error":{{"message":"Incorrect API key provided: {CANARY}","code":"invalid_api_key"}}}}'
    )
    result = explain_cli([leaked])
    assert CANARY not in result.stdout
    assert "sk-proj-\u20263bqZ" in result.stdout


def test_causes_and_rules_commands() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["causes"])
    assert listing.exit_code == 0
    assert all(cause_id in listing.stdout for cause_id in CAUSES)
    one = runner.invoke(cli, ["causes", "model_requires_payment"])
    assert one.exit_code == 0
    assert one.stdout.startswith("model_requires_payment: The model needs an account")
    assert "openai.unlisted_known.payment" in one.stdout
    assert "your provider's billing page (OpenAI: https://platform.openai.com/" in one.stdout
    typo = runner.invoke(cli, ["causes", "model_not_fund"])
    assert typo.exit_code == 2
    assert "did you mean model_not_found" in typo.stderr
    table = runner.invoke(cli, ["rules"])
    assert table.exit_code == 0
    assert all(rule.id in table.stdout for rule in RULES)
    only = runner.invoke(cli, ["rules", "--cause", "azure_api_version"])
    assert "azure.api_version" in only.stdout and "net.dns" not in only.stdout
