"""Anthropic's Messages API (native-providers.md, section 1).

Auth: ``x-api-key: KEY`` (``ANTHROPIC_API_KEY``), or ``Authorization: Bearer TOKEN`` for a
token from ``ANTHROPIC_AUTH_TOKEN``; ``anthropic-version`` on every request (2023-06-01 by
default, ``--anthropic-version 2026-10-21`` for the newer one: it removes the sampling
parameters, which the probe never sends, so the same body is valid under both). No ``Origin``
header (it turns a 401 into a CORS refusal). Subscription OAuth tokens (``sk-ant-oat``) and
admin keys are refused locally, before any request (keycheck.py).

List: ``GET /models?limit=1000`` (newest first; ``has_more`` + ``last_id`` give the next page
with ``after_id``). Retrieve: ``GET /models/{id}`` (resolves aliases; a retired or unknown id
answers 404 ``not_found_error`` "model: ID"). The smallest request: ``POST /messages`` with one
user message "Hi" and ``max_tokens: 1``, no sampling parameters, no thinking. Free check
(``--free``): ``POST /messages/count_tokens``, which is free and proves the key and the model
id (not spend headroom). Errors: ``{"type": "error", "error": {type, message, details?},
"request_id"}``; 529 ``overloaded_error`` is retried like a 503 would be reported; spend limits
(a 400 "specified API usage limits", a 429 with ``enforced_spend_limit_reached``) and "credit
balance is too low" are billing and never retried. Rate-limit window:
``anthropic-ratelimit-requests-remaining`` / ``-reset`` (an RFC 3339 time).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from modelcheck import __version__
from modelcheck.dialects.base import Answer, BaseDialect, Cost, Page, RateWindow, Request, int_field

if TYPE_CHECKING:
    from modelcheck.errorbody import ParsedBody
    from modelcheck.settings import Settings

PROMPT = "Hi"
PAGE_SIZE = "1000"

COSTS: dict[str, Cost] = {
    "chat": Cost(True, "a 2-character message and at most 1 output token"),
}


class AnthropicDialect(BaseDialect):
    """Anthropic's own API."""

    name = "anthropic"
    modes: tuple[str, ...] = ("chat",)
    kept_headers: tuple[str, ...] = (
        *BaseDialect.kept_headers,
        "anthropic-organization-id",
        "anthropic-ratelimit-requests-limit",
        "anthropic-ratelimit-requests-remaining",
        "anthropic-ratelimit-requests-reset",
        "anthropic-ratelimit-tokens-limit",
        "anthropic-ratelimit-tokens-remaining",
        "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-input-tokens-remaining",
        "anthropic-ratelimit-output-tokens-remaining",
    )

    def headers(self, settings: Settings) -> dict[str, str]:
        """The key in ``x-api-key`` (a token as Bearer) and ``anthropic-version``."""
        headers = {
            "User-Agent": f"modelcheck/{__version__}",
            "Accept": "application/json",
            "anthropic-version": settings.options.get("anthropic_version", "2023-06-01"),
        }
        if settings.key:
            if settings.options.get("auth") == "bearer":
                headers["Authorization"] = f"Bearer {settings.key}"
            else:
                headers["x-api-key"] = settings.key
        return headers

    def list_models(self, settings: Settings) -> Request | None:
        """``GET /models?limit=1000``."""
        return Request("models.list", "GET", "/models", params=(("limit", PAGE_SIZE),))

    def parse_list(self, data: Any, sent: Request) -> Page:
        """``data[].id``; ``has_more`` + ``last_id`` give the next page (``after_id``)."""
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return Page((), shape_ok=False)
        ids = tuple(str(i["id"]) for i in items if isinstance(i, dict) and "id" in i)
        last = data.get("last_id")
        if data.get("has_more") is True and isinstance(last, str) and last:
            params = (("limit", PAGE_SIZE), ("after_id", last))
            return Page(ids, next=replace(sent, params=params))
        return Page(ids)

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        """``GET /models/{id}``."""
        return Request("models.retrieve", "GET", f"/models/{quote(model, safe='')}")

    def parse_retrieve(self, data: Any, model: str) -> Answer:
        """A ModelInfo has ``type: model`` and an ``id``."""
        ok = isinstance(data, dict) and data.get("type") == "model" and "id" in data
        return Answer(shape_ok=ok)

    def _body(self, model: str) -> dict[str, Any]:
        return {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": PROMPT}]}

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        """``POST /messages``: one message, ``max_tokens: 1``, nothing else."""
        if mode != "chat":
            return None
        return Request("chat", "POST", "/messages", json=self._body(model), spend=1)

    def free_check(self, model: str, mode: str, settings: Settings) -> Request | None:
        """``POST /messages/count_tokens``: free, proves the key and the model id."""
        body = {"model": model, "messages": [{"role": "user", "content": PROMPT}]}
        return Request("free_check", "POST", "/messages/count_tokens", json=body)

    def parse_success(self, sent: Request, data: Any, raw: bytes, content_type: str) -> Answer:
        """A message (``type: message``) with its usage; count_tokens' ``input_tokens``."""
        if not isinstance(data, dict):
            return Answer(shape_ok=False)
        if sent.endpoint == "free_check":
            return Answer(shape_ok=isinstance(data.get("input_tokens"), int))
        found = data.get("usage")
        usage: dict[str, Any] = found if isinstance(found, dict) else {}
        return Answer(
            shape_ok=data.get("type") == "message",
            prompt_tokens=int_field(usage.get("input_tokens")),
            completion_tokens=int_field(usage.get("output_tokens")),
        )

    def retryable(self, status: int, parsed: ParsedBody) -> bool:
        """A 429 rate limit, but never the tier's monthly spend cap."""
        error = parsed.error
        text = f"{error.message or ''} {error.details or ''}" if error else ""
        if "enforced_spend_limit_reached" in text:
            return False
        return super().retryable(status, parsed)

    def rate_window(self, headers: Mapping[str, str]) -> RateWindow | None:
        """``anthropic-ratelimit-requests-remaining`` and its RFC 3339 ``-reset``."""
        remaining = headers.get("anthropic-ratelimit-requests-remaining")
        if remaining is None or not remaining.strip().isdigit():
            return None
        return RateWindow(
            int(remaining), _seconds_until(headers.get("anthropic-ratelimit-requests-reset"))
        )

    def cost(self, mode: str) -> Cost:
        """What one probe costs."""
        return COSTS.get(mode) or Cost(False, f"the Messages API has no {mode} endpoint")


def _seconds_until(stamp: str | None) -> float | None:
    """Seconds from now until an RFC 3339 time ("2026-12-01T10:00:30Z"), or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, when.timestamp() - time.time())


ANTHROPIC = AnthropicDialect()
