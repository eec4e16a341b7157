"""Unit tests: error bodies, masking, key checks, probe failure classes, formats, layering."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import httpx
import pytest

from modelcheck.diagnosis.predicates import close_matches
from modelcheck.errorbody import is_billing_error, is_request_too_large, parse_body, parse_text
from modelcheck.evidence import ErrorInfo, RunEvidence
from modelcheck.keycheck import inspect_key
from modelcheck.probe import Prober, retry_after_seconds
from modelcheck.providers import PROVIDERS
from modelcheck.redact import mask_key, scrub
from modelcheck.settings import SettingsError, resolve

from conftest import CANARY

SRC = Path(__file__).parent.parent / "src" / "modelcheck"
OPENAI = PROVIDERS["openai"]


# --- error bodies ---------------------------------------------------------------------------


def test_openai_envelope() -> None:
    body = b'{"error":{"message":"m","type":"invalid_request_error","param":null,"code":"x"}}'
    parsed = parse_body(body, "application/json")
    assert parsed.kind == "json"
    assert parsed.error == ErrorInfo(
        code="x", type="invalid_request_error", param=None, message="m"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Gemini: HTTP status in code, the reason in details (S19)
        (
            '{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT",'
            '"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}',
            ErrorInfo(
                code="API_KEY_INVALID",
                type="INVALID_ARGUMENT",
                message="API key not valid.",
                details='{"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",'
                '"reason":"API_KEY_INVALID"}]}',
            ),
        ),
        # Gemini's OpenAI-compatible endpoint wraps it in an array (S21)
        (
            '[{"error":{"code":400,"message":"m","status":"INVALID_ARGUMENT"}}]',
            ErrorInfo(code="400", type="INVALID_ARGUMENT", message="m"),
        ),
        # Anthropic
        (
            '{"type":"error","error":{"type":"not_found_error","message":"model: x"}}',
            ErrorInfo(type="not_found_error", message="model: x"),
        ),
        # vLLM flat object with an int code (S33)
        (
            '{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError",'
            '"param":null,"code":404}',
            ErrorInfo(code="404", type="NotFoundError", message="The model `x` does not exist."),
        ),
        # Ollama / vLLM 401: error is a string
        ('{"error":"Unauthorized"}', ErrorInfo(message="Unauthorized")),
        # FastAPI
        ('{"detail":"Not Found"}', ErrorInfo(message="Not Found")),
        # LiteLLM: param "None" is no param
        (
            '{"error":{"message":"m","type":"None","param":"None","code":"400"}}',
            ErrorInfo(code="400", message="m"),
        ),
    ],
)
def test_provider_envelopes(raw: str, expected: ErrorInfo) -> None:
    assert parse_body(raw.encode()).error == expected


def test_html_text_empty_and_garbage_bodies() -> None:
    html = parse_body(b"<html><head><title>404 Not Found</title></head></html>", "text/html")
    assert (html.kind, html.excerpt, html.error) == ("html", "404 Not Found", None)
    assert parse_body(b"  ").kind == "empty"
    text = parse_body(b"Authentication Fails (governor)")
    assert text.kind == "text"
    assert text.error == ErrorInfo(message="Authentication Fails (governor)")
    truncated = parse_body(b'{"error":{"message":"cut')
    assert truncated.kind == "text"
    assert parse_body(b"\xff\xfe\x00garbage").kind == "text"
    deep = b"[" * 5000 + b"]" * 5000
    nested = parse_body(deep)  # no exception; json or text depends on the interpreter's limit
    assert (nested.kind, nested.error) in (
        ("json", None),
        ("text", ErrorInfo(message=nested.excerpt)),
    )


def test_python_dict_repr_is_parsed_without_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    line = (
        "openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-4` does "
        "not exist or you do not have access to it.', 'type': 'invalid_request_error', "
        "'param': None, 'code': 'model_not_found'}}"
    )
    calls: list[str] = []
    real = ast.literal_eval
    monkeypatch.setattr(ast, "literal_eval", lambda s: calls.append(s) or real(s))
    parsed = parse_text(line)
    assert parsed.error is not None
    assert parsed.error.code == "model_not_found"
    assert parsed.error.param is None
    assert calls and calls[0].startswith("{'error'")
    hostile = parse_text("{'a': __import__('os').getcwd()}")
    assert (hostile.kind, hostile.data) == ("text", None)  # not a literal: never evaluated


def test_billing_and_too_large_classes() -> None:
    assert is_billing_error(ErrorInfo(code="credit_balance_exhausted"))
    assert is_billing_error(ErrorInfo(type="insufficient_quota", code=None))
    assert not is_billing_error(ErrorInfo(code="rate_limit_exceeded"))
    used = "on tokens per min (TPM): Limit 10000, Used 8554, Requested 3082. Please try again"
    assert not is_request_too_large(ErrorInfo(code="rate_limit_exceeded", message=used))
    over = "on tokens per min (TPM): Limit 30000, Requested 30601. The input or output tokens"
    assert is_request_too_large(ErrorInfo(code="rate_limit_exceeded", message=over))


def test_retry_after_parsing() -> None:
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(httpx.Headers({"retry-after": "3"})) == 3.0
    date = retry_after_seconds(httpx.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    assert date == 0.0
    assert retry_after_seconds(httpx.Headers({"retry-after": "soon"})) is None
    assert retry_after_seconds(httpx.Headers({})) is None


# --- masking and key checks -----------------------------------------------------------------


def test_mask_key_shows_prefix_and_last_four_only() -> None:
    assert mask_key(CANARY) == "sk-proj-\u20263bqZ"
    assert mask_key("sk-ant-api03-" + "a" * 40 + "WXYZ") == "sk-ant-api03-\u2026WXYZ"
    assert mask_key("abcdefghijklmnopqrst") == "abc\u2026qrst"
    assert mask_key("short-key-12") == "\u202612"
    assert mask_key(None) is None
    assert scrub(f"x {CANARY} y {CANARY}", CANARY) == "x sk-proj-\u20263bqZ y sk-proj-\u20263bqZ"


def test_inspect_key() -> None:
    facts = inspect_key(f"'{CANARY}'", "env OPENAI_API_KEY", OPENAI)
    assert facts.quoted and facts.malformed and CANARY not in repr(facts)
    assert inspect_key(CANARY + "\n", "x", OPENAI).whitespace
    assert inspect_key("YOUR_API_KEY", "x", OPENAI).placeholder
    assert inspect_key("sk-xxxxxxxx", "x", OPENAI).placeholder
    assert not inspect_key(CANARY, "x", OPENAI).malformed
    assert inspect_key(CANARY, "x", OPENAI).provider_shaped
    assert not inspect_key("sk-abcdefghijklmnopqrstuvwxyz", "x", OPENAI).provider_shaped
    assert inspect_key("gsk_" + "a" * 52, "x", OPENAI).foreign_provider == "Groq"
    assert not inspect_key(None, "x", OPENAI).present


def test_settings_resolution() -> None:
    env = {"OPENAI_API_KEY": CANARY + "\n", "OPENAI_BASE_URL": "http://localhost:1/v1/"}
    s = resolve(models=("gpt-4o",), env=env)
    assert s.key == CANARY
    assert s.base_url == "http://localhost:1/v1"
    assert CANARY not in repr(s)
    with pytest.raises(SettingsError, match="unknown provider"):
        resolve(models=("m",), env={}, provider="nope")
    with pytest.raises(SettingsError, match="whitespace"):
        resolve(models=("gpt 4",), env={})
    with pytest.raises(SettingsError, match="query string"):
        resolve(models=("m",), env={}, base_url="https://x.example/v1?key=1")


def test_close_matches_forgive_separators_and_transpositions() -> None:
    listed = ["gpt-3.5-turbo", "gpt-4o-mini", "whisper-1"]
    assert close_matches("gpt4", listed)[0] == "gpt-4o-mini"
    assert close_matches("gtp-4", listed)[0] == "gpt-4o-mini"
    assert close_matches("gpt-35-turbo", listed)[0] == "gpt-3.5-turbo"
    assert close_matches("claude-3", listed) == ()


# --- probe failure classes (MockTransport raising transport errors) -------------------------


def _probe_with(exc: Exception) -> RunEvidence:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    settings = resolve(models=("gpt-4o-mini",), env={"OPENAI_API_KEY": CANARY})
    prober = Prober(settings, transport=httpx.MockTransport(handler))
    return asyncio.run(prober.run())


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "dns"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "connect"),
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            "tls",
        ),
        (httpx.ReadTimeout("timed out"), "timeout"),
        (httpx.ConnectTimeout("timed out"), "timeout"),
        (httpx.ProxyError("407 Proxy Authentication Required"), "proxy"),
        (httpx.ReadError("Connection reset by peer"), "reset"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), "protocol"),
    ],
)
def test_transport_failures_become_evidence(exc: Exception, kind: str) -> None:
    ev = _probe_with(exc)
    assert ev.list_probe is not None and ev.list_probe.network is not None
    assert ev.list_probe.network.kind == kind
    # The request that uses the model goes first; a network failure leaves nothing for a
    # retrieve to tell, so none is sent.
    model = ev.models[0]
    assert model.chat is not None and model.chat.network is not None
    assert model.chat.network.kind == kind
    assert model.retrieve is None and len(model.probes) == 1


# --- layering -----------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_layers() -> None:
    for path in [*(SRC / "diagnosis").glob("*.py"), *(SRC / "formats").glob("*.py")]:
        assert not _imports(path) & {"httpx", "click"}, path.name
    for path in SRC.rglob("*.py"):
        if path.name != "cli.py":
            assert "click" not in _imports(path), path.name
