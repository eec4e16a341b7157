"""`modelcheck explain`: read a pasted error (body, curl -i output, SDK exception line,
traceback, gateway message, network exception, HTML page) and diagnose it offline.

Pure: no network and no key. The envelopes themselves are known by errorbody.py; this
module finds them inside surrounding text, picks the innermost meaningful one, and reads
status, provider and model from the text (hints fill what the text lacks).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote

from modelcheck.diagnosis.engine import context_for, diagnose, rank
from modelcheck.diagnosis.knowledge import lookup
from modelcheck.diagnosis.predicates import LOCAL_SERVERS, Context
from modelcheck.diagnosis.results import Diagnosis
from modelcheck.diagnosis.signals import Signals, extract
from modelcheck.errorbody import (
    MAX_MESSAGE,
    ParsedBody,
    aws_error,
    errors_in,
    implied_status,
    parse_body,
)
from modelcheck.evidence import ErrorInfo, ModelEvidence, NetworkFailure, Probe, RunEvidence
from modelcheck.keycheck import KeyFacts
from modelcheck.keyshapes import KEY_SHAPES, KeyShape, shape_of_fragment
from modelcheck.providers import PROVIDERS

SCHEMA = "modelcheck.explain/1"
MAX_INPUT = 1_000_000
MAX_DIAGNOSES = 5
ENDPOINTS = {
    "chat": "chat",
    "responses": "responses",
    "messages": "messages",
    "models": "models.list",
}

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CURL_STATUS = re.compile(r"^HTTP/\d(?:\.\d)?\s+(\d{3})\b.*$", re.M)
_STATUS_PATTERNS = (
    re.compile(r"\bError code:\s*(\d{3})\b"),
    re.compile(r"^\s*\[([45]\d{2})\s*\]", re.M),  # "[503 ] The service is ..." (Firebase)
    re.compile(r"\bstatus(?:[_ ]?code)?[\"']?\s*[:=]\s*[\"']?(\d{3})\b", re.I),
    re.compile(r"\bstatus code\s*\(?(\d{3})\b", re.I),
    re.compile(
        r"\b([1-5]\d{2})\s+\(?(?:Not Found|Unauthorized|Forbidden|Bad Request|Too Many Requests|"
        r"Internal Server Error|Service Unavailable|Bad Gateway|Payment Required|"
        r"Proxy Authentication Required|Gateway Timeout|Request Entity Too Large|"
        r"Unprocessable Entity|Method Not Allowed)\b",
        re.I,
    ),
    re.compile(r"^(?:\w*Error:\s*)?([1-5]\d{2})\s+\S", re.M),  # openai-node: "404 The model"
    re.compile(r"\b(?:HTTP|http)\s+(\d{3})\b"),
    re.compile(r"does not indicate success:\s*([1-5]\d{2})\b"),  # .NET HttpClient
)


def _any(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words), re.I)


# Exception texts of Python (httpx, requests, aiohttp, ssl) and Node clients, first match wins.
_NETWORK_PATTERNS = (
    ("proxy", _any(r"407 Proxy Authentication Required", "ProxyError", "Tunnel connection failed")),
    (
        "tls",
        _any(
            "CERTIFICATE_VERIFY_FAILED",
            "certificate verify failed",
            "SSLError",
            r"\[SSL",
            r"self[- ]signed certificate",
            "unable to get local issuer certificate",
            "TLS handshake",
            "SSL handshake",
            # Node's certificate error codes, Go's x509 and rustls' wordings.
            r"\b(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED)\b",
            r"\bUNABLE_TO_(GET_ISSUER_CERT(_LOCALLY)?|VERIFY_LEAF_SIGNATURE)\b",
            r"\bERR_TLS_CERT_ALTNAME_INVALID\b",
            r"unable to verify the first certificate",
            r"x509: certificate",
            r"invalid peer certificate",
        ),
    ),
    (
        "dns",
        _any(
            "Name or service not known",
            "nodename nor servname",
            "Temporary failure in name resolution",
            "getaddrinfo failed",
            r"\bENOTFOUND\b",
            "No address associated with hostname",
            "Could not resolve host",
            "NameResolutionError",
            r"\bEAI_AGAIN\b",
            r"lookup \S+ .{0,40}no such host",
            "failed to lookup address information",
        ),
    ),
    (
        "connect",
        _any(
            "Connection refused",
            r"\bECONNREFUSED\b",
            "Errno 111",
            "actively refused",
            "Failed to establish a new connection",
            "Cannot connect to host",
        ),
    ),
    (
        "reset",
        _any(
            "Connection reset",
            r"\bECONNRESET\b",
            "Remote end closed connection",
            "Server disconnected",
            "Connection aborted",
            "peer closed connection",
            "socket hang up",
            r"\bother side closed\b",
        ),
    ),
    ("timeout", _any("timed out", "Timeout", r"\bETIMEDOUT\b", "deadline exceeded")),
    ("connect", _any("APIConnectionError", r"Connection error\.?", "ConnectError")),
    ("connect", _any("Cannot assign requested address", "No connection adapters")),
)
_MODEL_PATTERNS = (
    # A Vertex resource path names the model last: ".../publishers/google/models/gemini-x".
    re.compile(r"/publishers/[\w-]+/models/([\w.\-:]+)"),
    re.compile(r"[Tt]he model:?\s*`([^`]+)`"),
    re.compile(r"\bmodel\s*`([^`]+)`", re.I),
    re.compile(r"\bmodels/([\w.\-:]+) is not found"),
    re.compile(r"Invalid model identifier \"([^\"]+)\""),
    re.compile(r"\bmodel\s+['\"]([^'\"]+)['\"]", re.I),
    re.compile(r"\bmodel=['\"]?([\w./:\-]+)"),
    re.compile(r"\bmodel:\s+([\w./:\-]+)"),
    re.compile(r"No endpoints found for ([\w./:\-]+)"),
    re.compile(r"([\w.\-:/]{1,120}) is not a valid model ID"),
    re.compile(r"[Tt]he model ([\w.\-:/]{1,120}) does not exist"),
)
# LiteLLM names the upstream in its exception text: "OpenAIException - Error code: 401".
_LITELLM_UPSTREAM = re.compile(r"\b([A-Za-z_]+)Exception\b")
_LITELLM_NAMES = {
    "openai": "openai",
    "azure": "azure",
    "anthropic": "anthropic",
    "vertexai": "gemini",
    "gemini": "gemini",
    "groq": "groq",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "together_ai": "together",
    "togetherai": "together",
    "fireworks_ai": "fireworks",
    "perplexity": "perplexity",
    "xai": "xai",
    "ollama": "ollama",
    "openrouter": "openrouter",
    "hosted_vllm": "vllm",
}
_ECHOED_KEY = re.compile(
    r"(sk-ant-[\w*.\-]{2,}|sk-or-v1-[\w*.\-]{2,}|gsk_[\w*.]{2,}|xai-[\w*.]{2,}|"
    r"pplx-[\w*.]{2,}|AIza[\w*.\-]{2,})"
)


_REASONS = {"unauthorized": 401, "forbidden": 403, "not found": 404}
"""A message that is only an HTTP reason phrase implies its status."""


class UnreadableInput(Exception):
    """The input cannot be read as text: binary, empty or too large (exit status 2)."""


@dataclass(frozen=True)
class ExplainInput:
    """What was read from the pasted text, and where each value came from."""

    status: int | None = None
    provider: str | None = None
    model: str | None = None
    endpoint: str | None = None
    error: ErrorInfo | None = None
    network: NetworkFailure | None = None
    body_kind: str | None = None
    excerpt: str = ""
    key_provider: str | None = None
    """The name of the provider whose key prefix is echoed in the message, if any."""
    signals: Signals = field(default_factory=Signals)
    """The general facts read from the error (diagnosis/signals.py)."""
    answered_by: str | None = None
    """"provider", "gateway", "local", or None when the text does not say."""
    origin: dict[str, str] = field(default_factory=dict)
    """Field -> "text", "hint" or "implied"."""
    base_url: str = ""
    """The base URL of the request the text shows (``url: 'https://host/messages'`` gives
    ``https://host``), when it shows one: the base URL rules then read it as `check` does."""


# An error type or code an API documents, quoted in a plain-text line ("Error 404
# not_found_error model: x"): what the JSON envelope would have carried.
_TEXT_TYPE = re.compile(
    r"\b(invalid_request_error|authentication_error|permission_error|not_found_error|"
    r"rate_limit_error|overloaded_error|billing_error)\b"
)
_TEXT_CODE = re.compile(
    r"\b(invalid_api_key|model_not_found|insufficient_quota|rate_limit_exceeded|"
    r"context_length_exceeded|unsupported_parameter|unsupported_value|deployment_not_found)\b"
)

# Providers outside the provider table, named by their hosts or envelopes: those that run
# separate mainland-China and international platforms (a key of one is refused by the other).
_PLATFORM_MARKS = (
    ("moonshot", ("api.moonshot.cn", "api.moonshot.ai", "invalid_authentication_error")),
    (
        "minimax",
        ("api.minimax.io", "api.minimaxi.com", "minimaxi.chat", "'base_resp'", '"base_resp"'),
    ),
    ("siliconflow", ("siliconflow.cn", "siliconflow.com")),
    ("dashscope", ("dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com")),
    ("zhipu", ("open.bigmodel.cn", "api.z.ai")),
)

# A request URL in a log or an SDK's error: the base URL is what precedes the endpoint path.
# Not Azure's deployment paths, whose base URL is not the API root.
_REQUEST_URL = re.compile(
    r"(https?://(?![^\s/]*azure)[^\s'\"<>`{}]{3,300}?)/"
    r"(?:chat/completions|completions|messages|embeddings|responses)(?=[\s'\"?<>`),]|$)",
    re.I,
)


@dataclass(frozen=True)
class ExplainResult:
    """The parsed input and the ranked diagnoses (at most MAX_DIAGNOSES)."""

    input: ExplainInput
    diagnoses: tuple[Diagnosis, ...]

    def __repr__(self) -> str:
        """The fields, with anything key-shaped from the pasted text masked."""
        from dataclasses import fields

        from modelcheck.redact import scrub_secrets

        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return scrub_secrets(f"ExplainResult({shown})")

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (schema modelcheck.explain/1), key-shaped text masked."""
        from modelcheck.redact import scrub_secrets

        loaded: dict[str, Any] = json.loads(scrub_secrets(json.dumps(to_dict(self))))
        return loaded

    @property
    def top(self) -> Diagnosis:
        """The most likely cause."""
        return self.diagnoses[0]

    @property
    def exit_code(self) -> int:
        """1 when a cause was found, 3 when nothing matched."""
        return 3 if all(d.cause == "unknown" for d in self.diagnoses) else 1


def decode_input(raw: bytes) -> str:
    """Bytes from stdin or an argument as text; raise UnreadableInput if it is not text."""
    if len(raw) > MAX_INPUT:
        raise UnreadableInput(f"input is larger than {MAX_INPUT // 1000} kB")
    if b"\x00" in raw:
        raise UnreadableInput("input is binary (it contains NUL bytes), not an error text")
    text = raw.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 20):
        raise UnreadableInput("input is not UTF-8 text")
    if not text.strip():
        raise UnreadableInput("input is empty: paste the error text, or pipe it in")
    return text


def _innermost(text: str, depth: int = 0) -> tuple[ErrorInfo, Any] | None:
    """The innermost meaningful error in ``text``: gateways nest the upstream's error in
    their own message (LiteLLM: ``... OpenAIException - Error code: 401 - {...}``)."""
    for error, data in errors_in(text):
        if depth < 4 and error.message and ("{" in error.message or "[" in error.message):
            inner = _innermost(error.message, depth + 1)
            if inner is not None and (inner[0].code or inner[0].type or inner[0].message):
                return inner
        return error, data
    return None


def _locate(text: str, error: ErrorInfo | None) -> int | None:
    """Where the error's message sits in the text (None: not found)."""
    if error is None or not error.message:
        return None
    head = error.message[:50]
    for needle in (head, json.dumps(head)[1:-1]):
        found = text.find(needle)
        if found >= 0:
            return found
    return None


def _status_near(text: str, anchor: int | None) -> int | None:
    """The HTTP status the text gives for the error: the statement nearest to the error
    itself, not one of an unrelated log line elsewhere; without an error, the first."""
    found: list[tuple[int, int]] = []
    for pattern in _STATUS_PATTERNS:
        found.extend((m.start(), int(m.group(1))) for m in pattern.finditer(text[:200_000]))
    if not found:
        return None
    if anchor is None:
        return min(found)[1]
    return min(found, key=lambda item: (abs(item[0] - anchor), item[0]))[1]


def _carries_error(error: ErrorInfo | None) -> bool:
    return error is not None and bool(error.code or error.type or error.message)


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found.group(1)
    return None


_IMPLIED = (
    (
        re.compile(
            r"^(anthropic|meta|amazon|cohere|mistral|ai21|us|eu|apac|global)\.[\w.\-:]+(-v\d|:\d)"
        ),
        "bedrock",
    ),
    (re.compile(r"^claude-"), "anthropic"),
    (re.compile(r"^(models/)?gemini-"), "gemini"),
)


def _implied_provider(model: str) -> str | None:
    """The provider a model id itself names: a well-known OpenAI id, a claude- or gemini- id,
    a Bedrock id (``anthropic.claude-…-v1:0``). An id with a ``provider/`` prefix is a
    gateway's name for it (OpenRouter, Together, LiteLLM), not the provider's own."""
    if "/" in model and not model.startswith("models/"):
        return None
    if lookup(model, "openai") is not None:
        return "openai"
    return next((name for pattern, name in _IMPLIED if pattern.search(model)), None)


def _detect_provider(
    text: str, error: ErrorInfo | None, data: Any, signals: Signals | None = None
) -> str | None:
    lowered = text.lower()
    if signals is not None and signals.upstream:
        return signals.upstream
    upstream = [m.lower() for m in _LITELLM_UPSTREAM.findall(text)]
    for name in upstream:
        if name in _LITELLM_NAMES:
            return _LITELLM_NAMES[name]
    if isinstance(data, list):
        data = data[0] if data else None
    if isinstance(data, dict):
        err = data.get("error")
        if data.get("type") == "error" and isinstance(err, dict):
            return "anthropic"
        if isinstance(err, dict) and isinstance(err.get("status"), str) and err["status"].isupper():
            return "gemini"
        if isinstance(err, dict) and str(err.get("code", "")) in ("DeploymentNotFound",):
            return "azure"
        if data.get("object") == "error" and (error and error.type == "NotFoundError"):
            return "vllm"
    for name, provider in PROVIDERS.items():
        if any(host in lowered for host in provider.hosts):
            return name
    for name, marks in _PLATFORM_MARKS:
        if any(mark in lowered for mark in marks):
            return name
    if "try pulling it first" in lowered:
        return "ollama"
    if "governor" in lowered:
        return "deepseek"
    return None


def parse(
    text: str,
    *,
    status: int | None = None,
    provider: str | None = None,
    model: str | None = None,
    endpoint: str | None = None,
) -> ExplainInput:
    """Read status, provider, model and the error from pasted text. Never raises."""
    text = _ANSI.sub("", text)[:MAX_INPUT]
    origin: dict[str, str] = {}
    found_status: int | None = None
    body_text = text
    curl = list(_CURL_STATUS.finditer(text))
    if curl:
        last = curl[-1]
        found_status = int(last.group(1))
        rest = text[last.end() :]
        blank = re.search(r"\r?\n\r?\n", rest)
        body_text = rest[blank.end() :] if blank else rest
    inner = _innermost(body_text) or _innermost(text)
    error, data = inner if inner else (None, None)
    parsed: ParsedBody | None = None
    if error is None:
        html = re.search(r"<!doctype html|<html", body_text, re.I)
        page = body_text[html.start() :] if html else body_text  # "[ERROR] API error: <html>"
        parsed = parse_body(page.encode("utf-8", errors="replace"))
    body_kind = parsed.kind if parsed is not None else "json"
    excerpt = parsed.excerpt if parsed is not None else ""
    if error is not None and error.message and "%20" in error.message:
        error = ErrorInfo(error.code, error.type, error.param, unquote(error.message))
    if found_status is None:
        found_status = _status_near(text, _locate(text, error))
    if found_status is not None and 200 <= found_status < 300 and _carries_error(error):
        # A 2xx never wins over an error envelope: the body's own status (if any) decides.
        found_status = None
    if found_status is not None:
        origin["status"] = "text"
    elif status is not None:
        found_status, origin["status"] = status, "hint"
    else:
        found_status = implied_status(error, data) or _REASONS.get(
            (error.message or "").strip().lower() if error else ""
        )
        if found_status is not None:
            origin["status"] = "implied"
    if error is None and body_kind == "text":
        # A plain-text answer or an exception line: its words are the message (an AWS SDK
        # line: its code and message).
        message = re.sub(r"\s+", " ", body_text).strip()[:MAX_MESSAGE]
        etype, code = _TEXT_TYPE.search(message), _TEXT_CODE.search(message)
        error = aws_error(body_text) or ErrorInfo(
            code=code.group(1) if code else None,
            type=etype.group(1) if etype else None,
            message=message,
        )
    words = error.message if error else None
    if words and excerpt and (excerpt in words or words in excerpt):
        # A plain-text answer is both its message and its excerpt: read it once (twice, its
        # end and its start would run together into words it never said).
        words, excerpt = max(words, excerpt, key=len), ""
    message_text = " ".join(filter(None, [words, excerpt]))
    # Bounded inputs: model ids sit in the message, or near it in the first lines of a log.
    found_model = _first(_MODEL_PATTERNS, message_text[:4000]) or _first(
        _MODEL_PATTERNS, text[:20000]
    )
    if found_model and len(found_model) > 200:
        found_model = None  # no model id is that long: the pattern caught something else
    if found_model:
        origin["model"] = "text"
    elif model:
        found_model, origin["model"] = model, "hint"
    signals = extract(
        message=" ".join(filter(None, [message_text, error.details if error else None])),
        code=error.code if error else None,
        etype=error.type if error else None,
        param=error.param if error else None,
        text=text[:20000],
    )
    network = None
    api_error = error is not None and (error.code or error.type) and body_kind == "json"
    said = signals.used().keys() - {
        "hosts",
        "gateway",
        "upstream",
        "models",
        "server_failure",
        "retry_after_s",
    }
    # An API's own words (a refusal, a billing error) inside a client's "connection error"
    # are what happened: the transport word is the wrapper's.
    if (found_status is None or found_status == 407) and not (api_error or said):
        for kind, pattern in _NETWORK_PATTERNS:
            hit = pattern.search(text)
            if hit:
                line = next((ln for ln in text.splitlines() if hit.group(0) in ln), hit.group(0))
                network = NetworkFailure(kind=kind, detail=line.strip()[:300])
                break
    found_provider = _detect_provider(text, error, data, signals)
    if found_provider:
        origin["provider"] = "text"
    elif provider:
        found_provider, origin["provider"] = provider, "hint"
    elif found_model and _implied_provider(found_model):
        found_provider, origin["provider"] = _implied_provider(found_model), "implied"
    key_provider = None
    echoed = _ECHOED_KEY.search(message_text)
    shape = shape_of_fragment(echoed.group(1)) if echoed else None
    if shape is not None:
        key_provider = shape.provider
    answered = "gateway" if signals.gateway else None
    if answered is None and found_provider in LOCAL_SERVERS:
        answered = "local"
    elif answered is None and origin.get("provider") == "text":
        answered = "provider"
    return ExplainInput(
        status=found_status,
        provider=found_provider,
        model=found_model,
        signals=signals,
        answered_by=answered,
        endpoint=ENDPOINTS.get(endpoint or ""),
        error=error,
        network=network,
        body_kind=None if network is not None and error is None else body_kind,
        excerpt=excerpt,
        key_provider=key_provider,
        origin=origin,
        base_url=_base_url_in(text),
    )


def _base_url_in(text: str) -> str:
    found = _REQUEST_URL.search(text[:20000])
    if found is None or "/deployments/" in found.group(1):
        return ""
    return re.sub(r"^(https?://)[^/@]*@", r"\1", found.group(1))  # never a user:password@


def explain_context(parsed: ExplainInput, today: str | None = None) -> Context:
    """The rule context for parsed input (what `check` builds from a probe)."""
    prov = PROVIDERS.get(parsed.provider or "")
    foreign: KeyShape | None = None
    family = (prov.key_family or prov.name) if prov is not None else parsed.provider
    if parsed.key_provider and family and parsed.key_provider != family:
        foreign = next((s for s in KEY_SHAPES if s.provider == parsed.key_provider), None)
    key = KeyFacts(
        present=True,
        source="the pasted text",
        masked=None,
        foreign_provider=foreign.title if foreign else None,
        foreign_name=foreign.provider if foreign else None,
        foreign_label=foreign.label if foreign else None,
    )
    ev = RunEvidence(provider=parsed.provider or "unknown", base_url=parsed.base_url, key=key)
    probe = Probe(
        endpoint=parsed.endpoint or "chat",
        method="",
        path="",
        status=parsed.status,
        error=parsed.error,
        body_kind=parsed.body_kind,
        body_excerpt=parsed.excerpt,
        network=parsed.network,
    )
    model = ModelEvidence(model=parsed.model, listed=None) if parsed.model else None
    return context_for(
        ev,
        probe,
        model,
        today=today or date.today().isoformat(),
        list_state="the answer says the key cannot use it (`modelcheck check` compares with "
        "the key's own model list)",
        signals=parsed.signals,
        answered=parsed.answered_by,
    )


def explain(parsed: ExplainInput, today: str | None = None) -> ExplainResult:
    """Diagnose parsed input with the same rules `check` uses."""
    return ExplainResult(
        input=parsed, diagnoses=rank(diagnose(explain_context(parsed, today)), MAX_DIAGNOSES)
    )


def explain_text(text: str, today: str | None = None, **hints: Any) -> ExplainResult:
    """parse() then explain(); retirements are judged as of ``today`` (default: today)."""
    return explain(parse(text, **hints), today)


def render(result: ExplainResult, fmt: str) -> str:
    """The result in ``fmt``, with anything key-shaped from the pasted text masked."""
    from modelcheck.formats import EXPLAIN_FORMATS
    from modelcheck.redact import scrub_secrets

    return scrub_secrets(EXPLAIN_FORMATS[fmt](result))


def to_dict(result: ExplainResult) -> dict[str, Any]:
    """The documented JSON object (schema modelcheck.explain/1)."""
    from modelcheck.report import diagnosis_dict, error_dict, network_dict

    inp = result.input
    return {
        "schema": SCHEMA,
        "input": {
            "status": inp.status,
            "provider": inp.provider,
            "model": inp.model,
            "endpoint": inp.endpoint,
            "error": error_dict(inp.error),
            "network_error": network_dict(inp.network),
            "body_kind": inp.body_kind,
            "origin": dict(inp.origin),
            "answered_by": inp.answered_by,
            "signals": inp.signals.used(),
        },
        "diagnoses": [diagnosis_dict(d) for d in result.diagnoses],
        "exit_code": result.exit_code,
    }
