"""The Gemini API, native (AI Studio keys; native-providers.md, section 3).

Auth: ``x-goog-api-key: KEY`` (``GEMINI_API_KEY``, then ``GOOGLE_API_KEY``); never ``?key=``,
which would put the key into paths, logs and reports. List: ``GET /models?pageSize=1000``
(``nextPageToken`` -> ``pageToken``); ids come as ``models/ID`` and are matched without the
prefix. Retrieve: ``GET /models/{id}``, whose ``supportedGenerationMethods`` say which modes the
model serves (``generateContent``: chat; ``embedContent``: embeddings). The smallest request:
``POST /models/{id}:generateContent`` with one user part "Hi" and ``maxOutputTokens: 1``, no
``thinkingConfig`` (thinking models then spend their budget and answer MAX_TOKENS with no
text: a 200 still proves access). Embeddings: ``:embedContent``. Free check (``--free``):
``:countTokens``, free and RPM-limited; it proves the key, the API's enablement and the model
id, but cannot see a free tier's ``limit: 0`` or a spent daily quota (only generation does).

Errors: ``{"error": {code, message, status, details: [ErrorInfo, QuotaFailure, RetryInfo,
Help, DebugInfo, ...]}}``; a bad key is a 400 ``API_KEY_INVALID``; ``details`` may echo the key
(DebugInfo) and are scrubbed. No rate-limit headers: the wait is ``RetryInfo.retryDelay``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from modelcheck import __version__
from modelcheck.dialects.base import Answer, BaseDialect, Cost, Page, Request, int_field

if TYPE_CHECKING:
    from modelcheck.errorbody import ParsedBody
    from modelcheck.settings import Settings

PROMPT = "Hi"
PAGE_SIZE = "1000"

COSTS: dict[str, Cost] = {
    "chat": Cost(True, "a 2-character prompt and at most 1 output token (thinking tokens count)"),
    "embeddings": Cost(True, "one embedding of 2 characters"),
}
_METHODS = {"generateContent": "chat", "embedContent": "embeddings", "predict": "images"}


def model_path(model: str) -> str:
    """``models/ID`` for an id given with or without the prefix."""
    name = model[len("models/") :] if model.startswith("models/") else model
    return f"/models/{quote(name, safe='-._')}"


class GeminiDialect(BaseDialect):
    """The Gemini API (generativelanguage.googleapis.com/v1beta)."""

    name = "gemini"
    modes: tuple[str, ...] = ("chat", "embeddings")

    def headers(self, settings: Settings) -> dict[str, str]:
        """The key in ``x-goog-api-key`` (a token as Bearer)."""
        headers = {"User-Agent": f"modelcheck/{__version__}", "Accept": "application/json"}
        if settings.key:
            if settings.options.get("auth") == "bearer":
                headers["Authorization"] = f"Bearer {settings.key}"
            else:
                headers["x-goog-api-key"] = settings.key
        return headers

    def list_models(self, settings: Settings) -> Request | None:
        """``GET /models?pageSize=1000``."""
        return Request("models.list", "GET", "/models", params=(("pageSize", PAGE_SIZE),))

    def parse_list(self, data: Any, sent: Request) -> Page:
        """``models[].name`` without ``models/``; ``nextPageToken`` gives the next page."""
        items = data.get("models") if isinstance(data, dict) else None
        if not isinstance(items, list):
            # A key whose project has no models yet answers {}: an empty list.
            return Page((), shape_ok=isinstance(data, dict) and not data)
        ids = tuple(
            str(i["name"]).removeprefix("models/")
            for i in items
            if isinstance(i, dict) and isinstance(i.get("name"), str)
        )
        token = data.get("nextPageToken")
        if isinstance(token, str) and token:
            params = (("pageSize", PAGE_SIZE), ("pageToken", token))
            return Page(ids, next=replace(sent, params=params))
        return Page(ids)

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        """``GET /models/{id}``."""
        return Request("models.retrieve", "GET", model_path(model))

    def parse_retrieve(self, data: Any, model: str) -> Answer:
        """A Model has a ``name``; ``supportedGenerationMethods`` name its modes."""
        if not isinstance(data, dict) or "name" not in data:
            return Answer(shape_ok=False)
        methods = data.get("supportedGenerationMethods")
        modes = tuple(
            dict.fromkeys(_METHODS[m] for m in methods if m in _METHODS)
            if isinstance(methods, list)
            else ()
        )
        return Answer(shape_ok=True, modes=modes)

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        """``:generateContent`` with ``maxOutputTokens: 1``; ``:embedContent`` for embeddings."""
        if mode == "chat":
            body = {
                "contents": [{"role": "user", "parts": [{"text": PROMPT}]}],
                "generationConfig": {"maxOutputTokens": 1},
            }
            return Request(
                "chat", "POST", f"{model_path(model)}:generateContent", json=body, spend=1
            )
        if mode == "embeddings":
            body = {"content": {"parts": [{"text": PROMPT}]}}
            return Request("embeddings", "POST", f"{model_path(model)}:embedContent", json=body)
        return None

    def free_check(self, model: str, mode: str, settings: Settings) -> Request | None:
        """``:countTokens``: free; proves the key, the API and the model id."""
        body = {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}
        return Request("free_check", "POST", f"{model_path(model)}:countTokens", json=body)

    def parse_success(self, sent: Request, data: Any, raw: bytes, content_type: str) -> Answer:
        """Candidates (no text needed: MAX_TOKENS with no parts still proves access), an
        embedding, or a token count."""
        if not isinstance(data, dict):
            return Answer(shape_ok=False)
        if sent.endpoint == "free_check":
            return Answer(shape_ok="totalTokens" in data)
        if sent.endpoint == "embeddings":
            return Answer(shape_ok=isinstance(data.get("embedding"), dict))
        found = data.get("usageMetadata")
        usage: dict[str, Any] = found if isinstance(found, dict) else {}
        spent = int_field(usage.get("candidatesTokenCount")) + int_field(
            usage.get("thoughtsTokenCount")
        )
        return Answer(
            shape_ok=isinstance(data.get("candidates"), list),
            prompt_tokens=int_field(usage.get("promptTokenCount")),
            completion_tokens=spent,
        )

    def retryable(self, status: int, parsed: ParsedBody) -> bool:
        """A per-minute quota may pass after its RetryInfo delay; a per-day one never in a
        preflight (it resets at midnight Pacific time)."""
        error = parsed.error
        text = f"{error.message or ''} {error.details or ''}" if error else ""
        if "PerDay" in text:
            return False
        return super().retryable(status, parsed)

    def cost(self, mode: str) -> Cost:
        """What one probe costs."""
        return COSTS.get(mode) or Cost(False, f"modelcheck sends no {mode} request to Gemini")


GEMINI = GeminiDialect()
