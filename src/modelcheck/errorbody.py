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
    if isinstance(err, dict):
        code = err.get("code")
        status = err.get("status")
        reason = _gemini_reason(err.get("details"))
        if isinstance(code, int) and not isinstance(code, bool) and reason:
            code = reason  # Gemini: the HTTP status is in code, the reason in details
        etype = err.get("type")
        if etype is None and isinstance(status, str):
            etype = status  # Gemini: "INVALID_ARGUMENT", "PERMISSION_DENIED", ...
        info = ErrorInfo(
            code=_text(code),
            type=_text(etype),
            param=_text(err.get("param")),
            message=_message(err.get("message")),
        )
        if info.message is None:
            # Some gateways nest one level further: {"error": {"error": {...}}}.
            inner = normalise_error(err, depth + 1)
            if inner is not None:
                return inner
        return info
    if isinstance(err, str):
        # xAI, vLLM (401), Ollama: {"error": "text", "code"?: ...}
        return ErrorInfo(
            code=_text(data.get("code")) if not isinstance(data.get("code"), str) else None,
            type=_text(data.get("type")),
            message=_message(err),
        )
    if data.get("object") == "error" or ("message" in data and ("type" in data or "code" in data)):
        return ErrorInfo(
            code=_text(data.get("code")),
            type=_text(data.get("type")),
            param=_text(data.get("param")),
            message=_message(data.get("message")),
        )
    if "detail" in data:
        return ErrorInfo(message=_message(data.get("detail")) or "", type=None)
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
_LIMIT = re.compile(r"\blimit:?\s*([\d,]+)", re.I)
_REQUESTED = re.compile(r"\brequested:?\s*([\d,]+)", re.I)


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
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start : i + 1] if ch == closer else None
    return None


def _python_literal(fragment: str) -> Any:
    """A Python dict/list repr (as openai-python prints errors), parsed without eval."""
    import ast

    try:
        return ast.literal_eval(fragment)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def parse_text(text: str) -> ParsedBody:
    """Find and normalise an error inside pasted text: a JSON body, or the Python dict repr
    that openai-python and anthropic-python print (``Error code: 404 - {'error': ...}``).
    Falls back to ``parse_body``. Never raises."""
    stripped = text.strip()
    whole = parse_body(stripped.encode("utf-8", errors="replace"))
    if whole.kind != "text":
        return whole
    decoder = json.JSONDecoder()
    tries = 0
    for i, ch in enumerate(stripped[:_MAX_LITERAL]):
        if ch not in "{[":
            continue
        tries += 1
        if tries > 64:  # bounded work on adversarial input
            break
        try:
            data, _ = decoder.raw_decode(stripped, i)
        except (ValueError, RecursionError):
            fragment = _balanced(stripped, i)
            data = _python_literal(fragment) if fragment else None
        if isinstance(data, (dict, list)):
            try:
                error = normalise_error(data)
            except RecursionError:
                error = None
            if error is not None:
                return ParsedBody(kind="json", error=error, data=data)
    return whole
