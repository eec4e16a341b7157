"""Property-based tests: no input crashes the parsers, the explain reader, the rules or the
formats, a diagnosis list always comes back, and a planted canary key never shows."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelcheck.diagnosis.causes import CAUSES
from modelcheck.diagnosis.engine import assess, context_for, diagnose
from modelcheck.errorbody import normalise_error, parse_body, parse_text
from modelcheck.evidence import ErrorInfo, ModelEvidence, NetworkFailure, Probe, RunEvidence
from modelcheck.explainer import explain_text, render
from modelcheck.formats import FORMATS, RenderOptions
from modelcheck.keycheck import inspect_key
from modelcheck.probe import Prober
from modelcheck.providers import PROVIDERS
from modelcheck.report import build_report
from modelcheck.settings import resolve

from conftest import CANARY

EXAMPLES = int(os.environ.get("MODELCHECK_TEST_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=40,
)
# Error-shaped JSON: the keys the envelopes use, with values of any type.
error_like = st.fixed_dictionaries(
    {},
    optional={
        "error": json_values
        | st.fixed_dictionaries(
            {},
            optional=dict.fromkeys(
                ("message", "type", "param", "code", "status", "details", "error"), json_values
            ),
        ),
        "type": json_values,
        "message": json_values,
        "detail": json_values,
        "object": json_values,
        "code": json_values,
    },
)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def plant(text: str, where: int) -> str:
    where = min(where, len(text))
    return text[:where] + CANARY + text[where:]


@FUZZ
@given(st.binary(max_size=4096))
def test_parse_body_never_raises_on_bytes(raw: bytes) -> None:
    parsed = parse_body(raw, "application/json")
    assert parsed.kind in ("json", "html", "text", "empty")


@FUZZ
@given(json_values | error_like, st.integers(min_value=0, max_value=3000))
def test_normalise_error_never_raises(data: Any, depth: int) -> None:
    normalise_error(data)
    parse_body(json.dumps(data).encode())
    parse_body(deep(depth).encode())
    parse_text("Error code: 400 - " + repr(data))


# Words and marks the signal patterns key on, so that their corner cases ("limit: ,",
# "retry after s", "requested ~") come up far more often than in random text.
VOCAB = [
    "limit",
    "limit:",
    "Limit",
    "requested",
    "Requested:",
    "used",
    "quota",
    "quotaValue",
    "retry",
    "after",
    "retry-after",
    "please",
    "try",
    "again",
    "in",
    "ms",
    "s",
    "seconds",
    "minutes",
    "per",
    "minute",
    "per",
    "day",
    "RPM",
    "TPM",
    "RPD",
    "model",
    "models/",
    "`gpt-4`",
    "model=",
    "deployment",
    "not",
    "found",
    "does",
    "not",
    "exist",
    "deprecated",
    "retired",
    "use",
    "instead",
    "temperature",
    "top_p",
    "max_tokens",
    "thinking.budget_tokens",
    "cannot",
    "both",
    "be",
    "specified",
    "only",
    "the",
    "default",
    "value",
    "is",
    "unsupported",
    "parameter:",
    "Unknown",
    "name",
    "'x'",
    "error_code:",
    "50002",
    "code",
    '"code":',
    "sk-proj-****",
    "key:",
    "Incorrect",
    "API",
    "key",
    "provided:",
    "litellm",
    "one_api_error",
    "Received",
    "Model",
    "Group=",
    "429",
    "401",
    "404",
    "500",
    ",",
    ".",
    ":",
    ";",
    "~",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    "0",
    "1",
    "00",
    "1,000",
    ",",
    ",,",
    "3600",
    "-1",
    "1e9",
]
vocab_texts = st.lists(st.sampled_from(VOCAB), max_size=40).map(" ".join) | st.lists(
    st.sampled_from(VOCAB), max_size=40
).map("".join)


@FUZZ
@given(
    st.one_of(
        st.text(max_size=2000),
        vocab_texts,
        error_like.map(json.dumps),
        error_like.map(lambda d: "openai.BadRequestError: Error code: 400 - " + repr(d)),
        st.integers(min_value=1, max_value=5000).map(deep),
        st.text(max_size=5).map(lambda t: t * 20000),  # huge strings
    ),
    st.integers(min_value=0, max_value=2000),
    st.sampled_from(["table", "json"]),
)
def test_explain_never_raises_and_never_shows_a_planted_key(
    text: str, where: int, fmt: str
) -> None:
    for candidate in (text, plant(text, where)):
        result = explain_text(candidate)
        assert result.diagnoses and all(d.cause in CAUSES for d in result.diagnoses)
        assert len(result.diagnoses) <= 5
        assert result.exit_code in (1, 3)
        shown = render(result, fmt)
        assert CANARY not in shown


statuses = st.none() | st.integers(min_value=100, max_value=599)
texts = st.none() | st.text(max_size=200)


@FUZZ
@given(
    statuses,
    st.builds(ErrorInfo, code=texts, type=texts, param=texts, message=texts),
    st.sampled_from([None, "json", "html", "text", "empty"]),
    st.none() | st.sampled_from(["dns", "connect", "reset", "tls", "timeout", "proxy", "protocol"]),
    st.none() | st.text(min_size=1, max_size=40),
    st.sampled_from(sorted(PROVIDERS)),
    st.none() | st.lists(st.text(min_size=1, max_size=20), max_size=20),
)
def test_rules_always_return_known_causes(
    status: int | None,
    error: ErrorInfo,
    kind: str | None,
    network: str | None,
    model: str | None,
    provider: str,
    listed: list[str] | None,
) -> None:
    key = inspect_key(CANARY, "env", PROVIDERS[provider])
    ev = RunEvidence(
        provider=provider,
        base_url="https://api.openai.com/v1",
        key=key,
        listed_ids=tuple(listed) if listed is not None else None,
    )
    probe = Probe(
        "chat",
        "POST",
        "/chat/completions",
        status=status,
        error=error,
        body_kind=kind,
        network=NetworkFailure(network, "detail") if network else None,
    )
    me = (
        ModelEvidence(model=model, listed=None if listed is None else model in listed)
        if model
        else None
    )
    found = diagnose(context_for(ev, probe, me))
    assert found and all(d.cause in CAUSES for d in found)


@FUZZ
@given(
    st.integers(min_value=100, max_value=599),
    st.one_of(st.binary(max_size=2000), error_like.map(lambda d: json.dumps(d).encode())),
    st.integers(min_value=0, max_value=500),
    st.booleans(),
)
def test_any_server_answer_renders_in_every_format_without_the_key(
    status: int, body: bytes, where: int, echo_in_header: bool
) -> None:
    where = min(where, len(body))
    planted = body[:where] + CANARY.encode() + body[where:]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {CANARY}"
        headers = {"x-request-id": CANARY} if echo_in_header else {}
        return httpx.Response(status, content=planted, headers=headers)

    s = resolve(
        models=("gpt-4o-mini",),
        env={"OPENAI_API_KEY": CANARY},
        base_url="https://api.openai.com/v1",
        retries=0,  # no waiting on fuzzed 429s
    )
    evidence = asyncio.run(Prober(s, transport=httpx.MockTransport(handler)).run())
    report = build_report(evidence, assess(evidence))
    for name, formatter in FORMATS.items():
        text = formatter(report, RenderOptions())
        assert CANARY not in text, name
