"""The one place that knows each provider's error body shape (and HTML and text bodies).

Shapes (../shared/research/providers.md, section 1, and the fixtures in tests/fixtures):
OpenAI ``{"error": {message, type, param, code}}`` (code may be null); Anthropic
``{"type": "error", "error": {type, message}}``; Gemini ``{"error": {code: int, message,
status, details}}`` and its OpenAI-compatible endpoint's JSON array of those; OpenRouter
(``code`` is the HTTP status); Mistral/vLLM flat ``{"object": "error", ...}``; FastAPI
``{"detail": ...}``; xAI/vLLM/Ollama with ``error`` as a string; plain text and HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from modelcheck.evidence import ErrorInfo

MAX_MESSAGE = 2000
MAX_EXCERPT = 300

_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<title|<\?xml)", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedBody:
    """A response body, classified, with its error (if it carries one) normalised."""

    kind: str
    """"json", "html", "text" or "empty"."""
    error: ErrorInfo | None
    data: Any = None
    """The decoded JSON value, for "json" bodies."""
    excerpt: str = ""
    """A short readable excerpt of an HTML or text body."""


def _text(value: Any) -> str | None:
    """A field value as text: None, empty and the literal "None" (LiteLLM) become None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    if not text or text == "None":
        return None
    return text[:MAX_MESSAGE]


def _message(value: Any) -> str | None:
    if isinstance(value, dict):
        # Mistral nests FastAPI's validation detail: {"message": {"detail": [...]}}.
        return _message(value.get("detail", value.get("message")))
    if isinstance(value, list):
        # FastAPI/pydantic validation errors: [{"loc": [...], "msg": "...", ...}, ...]
        parts = [str(item.get("msg", "")) for item in value if isinstance(item, dict)]
        joined = "; ".join(p for p in parts if p)
        return joined[:MAX_MESSAGE] or None
    return _text(value)


def _gemini_reason(details: Any) -> str | None:
    if not isinstance(details, list):
        return None
    for item in details:
        if isinstance(item, dict) and isinstance(item.get("reason"), str):
            return str(item["reason"])
    return None


_DETAIL_KEYS = (
    "details",
    "metadata",
    "innererror",
    "provider_specific_fields",
    "errors",
    "warnings",  # Hugging Face inference: {"error": "unknown error", "warnings": ["CUDA ..."]}
)


def _details(err: dict[str, Any]) -> str | None:
    extra = {k: err[k] for k in _DETAIL_KEYS if err.get(k)}
    if not extra:
        return None
    try:
        text = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return text[:MAX_MESSAGE]


def _relayed(err: dict[str, Any], depth: int) -> ErrorInfo | None:
    """The upstream error a relay put into its own (OpenRouter: metadata.raw)."""
    meta = err.get("metadata")
    raw = meta.get("raw") if isinstance(meta, dict) else None
    if not isinstance(raw, str) or "{" not in raw:
        return None
    try:
        inner = normalise_error(json.loads(raw), depth + 1)
    except (ValueError, RecursionError):
        return None
    if inner is None or not inner.message:
        return None
    provider = meta.get("provider_name") if isinstance(meta, dict) else None
    outer = _text(err.get("message")) or "relayed error"
    return ErrorInfo(
        code=inner.code,
        type=inner.type,
        param=inner.param,
        message=inner.message,
        details=f"{outer} (provider_name: {provider})"[:MAX_MESSAGE],
    )


def normalise_error(data: Any, depth: int = 0) -> ErrorInfo | None:
    """Map any known error JSON shape to ErrorInfo; None when ``data`` carries no error."""
    if depth > 8:
        return None
    if isinstance(data, list):
        for item in data[:5]:
            found = normalise_error(item, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(data, dict):
        return None
    err = data.get("error")
    if err is None and isinstance(data.get("errors"), list):
        err = data["errors"]  # Cloudflare's API: {"success": false, "errors": [{code, message}]}
    if isinstance(err, list):
        err = next((e for e in err if isinstance(e, dict) and e.get("message")), None)
    if isinstance(err, dict):
        code = err.get("code")
        status = err.get("status")
        reason = _gemini_reason(err.get("details"))
        if isinstance(code, int) and not isinstance(code, bool) and reason:
            code = reason  # Gemini: the HTTP status is in code, the reason in details
        etype = err.get("type")
        if etype is None and isinstance(status, str):
            etype = status  # Gemini: "INVALID_ARGUMENT", "PERMISSION_DENIED", ...
        relayed = _relayed(err, depth)
        if relayed is not None:
            return relayed
        info = ErrorInfo(
            code=_text(code),
            type=_text(etype),
            param=_text(err.get("param")),
            message=_message(err.get("message")),
            details=_details(err),
        )
        if info.message is None:
            # Some gateways nest one level further: {"error": {"error": {...}}}.
            inner = normalise_error(err, depth + 1)
            if inner is not None:
                return inner
        return info
    if isinstance(err, str):
        # xAI, vLLM (401), Ollama: {"error": "text", "code"?: ...}; some relays put a short
        # kind in "error" and the text in "message": {"error": "internal", "message": "..."}.
        text = data.get("message")
        if isinstance(text, str) and len(text) > len(err):
            return ErrorInfo(code=_text(err), message=_message(text))
        return ErrorInfo(
            code=_text(data.get("code")) if not isinstance(data.get("code"), str) else None,
            type=_text(data.get("type")),
            message=_message(err),
        )
    for key in ("body", "response", "data"):
        # A client's own wrapper around the server's answer: {"message": "Unsuccessful
        # response", "body": {"error": {...}}}: the server's error is the one that says why.
        inner = data.get(key)
        if isinstance(inner, dict) and ("error" in inner or "detail" in inner):
            found = normalise_error(inner, depth + 1)
            if found is not None and found.message:
                return found
    if data.get("object") == "error" or ("message" in data and ("type" in data or "code" in data)):
        message = data.get("message")
        nested = message.get("detail") if isinstance(message, dict) else None
        return ErrorInfo(
            code=_text(data.get("code")),
            type=_text(data.get("type")),
            param=_text(data.get("param")),
            message=_message(message),
            details=_details({"details": nested}) if isinstance(nested, list) else None,
        )
    if "detail" in data:
        detail = data.get("detail")
        first = detail[0] if isinstance(detail, list) and detail else None
        return ErrorInfo(
            message=_message(detail) or "",
            type=_text(first.get("type")) if isinstance(first, dict) else None,
            details=_details({"details": detail}) if isinstance(detail, list) else None,
        )
    if isinstance(data.get("message"), str) and not {"choices", "data", "object"} & set(data):
        # Mistral's {"message": "Requests rate limit exceeded"}, AWS-style gateways.
        return ErrorInfo(code=_text(data.get("code")), message=_message(data.get("message")))
    return None


def _html_excerpt(text: str) -> str:
    for pattern in (_TITLE, _H1):
        found = pattern.search(text)
        if found:
            title = _SPACES.sub(" ", _TAGS.sub("", found.group(1))).strip()
            if title:
                return title[:MAX_EXCERPT]
    return _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()[:MAX_EXCERPT]


def parse_body(raw: bytes, content_type: str | None = None) -> ParsedBody:
    """Classify and normalise a response body. Never raises."""
    text = raw.decode("utf-8", errors="replace")
    stripped = text.strip()
    if not stripped:
        return ParsedBody(kind="empty", error=None)
    ctype = (content_type or "").lower()
    if "html" in ctype or _HTML_START.match(stripped):
        return ParsedBody(kind="html", error=None, excerpt=_html_excerpt(stripped))
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        excerpt = _SPACES.sub(" ", stripped)[:MAX_EXCERPT]
        return ParsedBody(kind="text", error=ErrorInfo(message=excerpt), excerpt=excerpt)
    if isinstance(data, str):
        # A bare JSON string: an error's text when it comes with an error status ("model
        # requires more system memory ..."), and no API answer when it comes with a 2xx.
        return ParsedBody(kind="json", error=ErrorInfo(message=data[:MAX_MESSAGE]), data=data)
    try:
        error = normalise_error(data)
    except RecursionError:  # pragma: no cover - depth is bounded above
        error = None
    return ParsedBody(kind="json", error=error, data=data)


# Error classes shared by the probe's retry policy and the rules.
# OpenAI billing codes arrive as 429 like rate limits, but "Retrying billing, spend, or quota
# errors won't restore API access" (OpenAI error-codes guide, 2026, S1).
BILLING_CODES = frozenset(
    {
        "insufficient_quota",
        "credit_balance_exhausted",
        "organization_spend_limit_exceeded",
        "project_spend_limit_exceeded",
        "organization_usage_limit_exceeded",
        "billing_hard_limit_reached",
        "billing_not_active",
    }
)
_TOO_LARGE = re.compile(r"request too large", re.I)
_LIMIT = re.compile(r"\blimit:?\s*(\d[\d,]*)", re.I)
_REQUESTED = re.compile(r"\brequested:?\s*~?(\d[\d,]*)", re.I)


def is_billing_error(error: ErrorInfo | None) -> bool:
    """True for quota, credit and spend-limit errors: never worth a retry."""
    if error is None:
        return False
    return (error.code or "").lower() in BILLING_CODES or (error.type or "") == "insufficient_quota"


def is_request_too_large(error: ErrorInfo | None) -> bool:
    """True when one request alone exceeds the per-minute budget: a retry never helps."""
    if error is None:
        return False
    message = error.message or ""
    if (error.code or "") == "request_too_large" or _TOO_LARGE.search(message):
        return True
    # "Limit 30000, Requested 30601": this one request alone is over the limit. With
    # "Used 8554, Requested 3082" under the limit it is an ordinary rate limit.
    limit, requested = _LIMIT.search(message), _REQUESTED.search(message)
    if limit is None or requested is None:
        return False
    return int(requested.group(1).replace(",", "")) > int(limit.group(1).replace(",", ""))


_MAX_LITERAL = 200_000
_MAX_DEPTH = 64


def _balanced(text: str, start: int) -> str | None:
    """The balanced {...} or [...] starting at ``start`` (quotes respected), or None."""
    opener = text[start]
    closer = "}" if opener == "{" else "]"
    depth = 0
    quote: str | None = None
    escaped = False
    for i in range(start, min(len(text), start + _MAX_LITERAL)):
        ch = text[i]
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
            if depth > _MAX_DEPTH:
                return None  # deeper than any error body: not worth parsing
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start : i + 1] if ch == closer else None
    return None


def python_literal(text: str, start: int) -> tuple[Any, int]:
    """A Python dict/list repr (as openai-python prints errors) starting at ``start``,
    parsed with ast.literal_eval (literals only, never eval). Returns (value, end)."""
    import ast

    fragment = _balanced(text, start)
    if fragment is None:
        return None, start + 1
    wrapped = (re.sub(r"[ \t]*\r?\n[ \t]*", " ", fragment), re.sub(r"\r?\n[ \t]*", "", fragment))
    for candidate in (fragment, *wrapped):
        # The other tries join lines a terminal wrapped inside a quoted string: at a space
        # (most wrap between words), then mid-word.
        try:
            return ast.literal_eval(candidate), start + len(fragment)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):  # noqa: PERF203
            continue
    return None, start + 1


def fragments(text: str, limit: int = 64) -> list[Any]:
    """Every JSON value or Python dict/list repr found in ``text``, in order (bounded work)."""
    found: list[Any] = []
    decoder = json.JSONDecoder()
    i = tries = 0
    end_of_scan = min(len(text), _MAX_LITERAL * 5)
    while i < end_of_scan and tries < limit:
        j = min((k for k in (text.find("{", i), text.find("[", i)) if k >= 0), default=-1)
        if j < 0:
            break
        tries += 1
        try:
            value, end = decoder.raw_decode(text, j)
        except (ValueError, RecursionError):
            value, end = python_literal(text, j)
        if isinstance(value, (dict, list)):
            found.append(value)
            i = max(end, j + 1)
        else:
            i = j + 1
    return found


def errors_in(text: str) -> Iterator[tuple[ErrorInfo, Any]]:
    """Each error found in ``text``'s JSON or Python-repr fragments, with its decoded value."""
    for data in fragments(text):
        try:
            error = normalise_error(data)
        except RecursionError:
            continue
        if error is not None:
            yield error, data


# botocore's (AWS SDK for Python) error line, and the SDKs that copy it: "An error occurred
# (ValidationException) when calling the InvokeModel operation: <message>".
_AWS_ERROR = re.compile(
    r"An error occurred \((\w+)\) when calling the (\w+) operation"
    r"(?: \(reached max retries: \d+\))?:\s*(.+)"
)


def aws_error(text: str) -> ErrorInfo | None:
    """The AWS error code and message of a botocore-style line in ``text``, if any."""
    found = _AWS_ERROR.search(text)
    if found is None:
        return None
    message = found.group(3).strip().splitlines()[0][:2000]
    return ErrorInfo(code=found.group(1), message=message)


def parse_text(text: str) -> ParsedBody:
    """Find and normalise an error inside pasted text: a JSON body, or the Python dict repr
    that openai-python and anthropic-python print (``Error code: 404 - {'error': ...}``).
    Falls back to ``parse_body``. Never raises."""
    stripped = text.strip()
    whole = parse_body(stripped.encode("utf-8", errors="replace"))
    if whole.kind != "text":
        return whole
    for error, data in errors_in(stripped):
        return ParsedBody(kind="json", error=error, data=data)
    aws = aws_error(stripped)
    if aws is not None:
        return ParsedBody(kind="text", error=aws, excerpt=whole.excerpt)
    return whole


# The HTTP status an error body implies when the status line itself was not kept (pasted
# logs). Anthropic's error types (docs.claude.com/en/api/errors, S13) and OpenAI's codes.
_IMPLIED_BY_TYPE = {
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "billing_error": 402,
    "api_error": 500,
    "overloaded_error": 529,
    "timeout_error": 504,
    "insufficient_quota": 429,
}
_IMPLIED_BY_CODE = {
    "invalid_api_key": 401,
    "model_not_found": 404,
    "rate_limit_exceeded": 429,
    "insufficient_quota": 429,
    "unsupported_parameter": 400,
    "unsupported_value": 400,
    "deploymentnotfound": 404,
    # AWS (Bedrock runtime API reference, "Errors"; common errors for the credential codes).
    "accessdeniedexception": 403,
    "unrecognizedclientexception": 403,
    "expiredtokenexception": 403,
    "validationexception": 400,
    "resourcenotfoundexception": 404,
    "throttlingexception": 429,
    "servicequotaexceededexception": 400,
    "modelnotreadyexception": 429,
    "modeltimeoutexception": 408,
    "modelerrorexception": 424,
    "internalserverexception": 500,
    "serviceunavailableexception": 503,
}


def implied_status(error: ErrorInfo | None, data: Any = None) -> int | None:
    """The HTTP status an error implies: Gemini/OpenRouter/vLLM put it in ``code``."""
    if isinstance(data, list) and data:
        data = data[0]
    if isinstance(data, dict):
        top = data.get("status")  # OpenAI's invalid-key 401 adds a top-level status (S10)
        if isinstance(top, int) and not isinstance(top, bool) and 100 <= top <= 599:
            return top
        err = data.get("error")
        code = err.get("code") if isinstance(err, dict) else data.get("code")
        if isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 599:
            return code
        if isinstance(code, str) and code.isdigit() and 100 <= int(code) <= 599:
            return int(code)  # Azure and LiteLLM send the status as a string code
    if error is None:
        return None
    return _IMPLIED_BY_CODE.get((error.code or "").lower()) or _IMPLIED_BY_TYPE.get(
        (error.type or "").lower()
    )
