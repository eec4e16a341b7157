"""The OpenAI API family: OpenAI itself and every OpenAI-compatible provider, gateway and
local server (Groq, Mistral, DeepSeek, Together, xAI, Fireworks, Perplexity, OpenRouter,
LiteLLM, Ollama, LM Studio, vLLM, llama.cpp, Gemini's OpenAI endpoint).

Auth: ``Authorization: Bearer KEY`` (or the provider's own header), plus
``OpenAI-Organization`` / ``OpenAI-Project`` when given. List: ``GET /models`` (``data[]``;
a bare array for Together; ``has_more`` + ``last_id`` pages, followed with ``after``).
Retrieve: ``GET /models/{id}``. The smallest request per mode:

- chat: ``POST /chat/completions``, one user message "Hi", ``max_tokens: 1`` (on a 400 that
  names ``max_tokens``: once more with ``max_completion_tokens: 1``), never ``temperature``,
  never streamed (streaming some models needs a verified organization);
- responses: ``POST /responses``, ``input: "Hi"``, ``max_output_tokens: 16`` (the API's
  minimum; a 400 that names a higher minimum is followed once);
- completions: ``POST /completions``, ``prompt: "Hi"``, ``max_tokens: 1``;
- embeddings: ``POST /embeddings``, ``input: "Hi"``;
- moderations: ``POST /moderations``, ``input: "Hi"`` (free);
- audio.speech: ``POST /audio/speech``, ``input: "Hi"``, voice ``alloy`` (2 characters);
- audio.transcriptions: ``POST /audio/transcriptions``, one second of silence (WAV);
- images, video: only with ``--paid-probes`` (the smallest image; a 4-second video);
- realtime: no HTTP request exercises it: judged on the list.

Rate-limit window: ``x-ratelimit-remaining-requests`` / ``x-ratelimit-reset-requests`` (Go
durations such as ``6m0s``; Azure: seconds). Error envelope: ``{"error": {message, type,
param, code}}`` and the variants errorbody.py normalises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from modelcheck import __version__
from modelcheck.dialects.base import Answer, BaseDialect, Cost, Page, RateWindow, Request, int_field

if TYPE_CHECKING:
    from modelcheck.evidence import Probe
    from modelcheck.settings import Settings

PROMPT = "Hi"
"""The text every probe sends: a few prompt tokens."""
RESPONSES_MIN_OUTPUT = 16
"""The Responses API's minimum max_output_tokens."""
MAX_PAGES_PARAM = "after"

# What one probe costs, at the prices of OpenAI's model pages (developers.openai.com, read
# 2026-12-01; text-embedding-3-small's from OpenRouter's listing of it).
COSTS: dict[str, Cost] = {
    "chat": Cost(True, "a 2-character message and at most 1 output token"),
    "responses": Cost(
        True,
        f"2 characters of input and at most {RESPONSES_MIN_OUTPUT} output tokens (the API's "
        "minimum max_output_tokens)",
    ),
    "completions": Cost(True, "a 2-character prompt and at most 1 output token"),
    "embeddings": Cost(
        True, "one embedding of 2 characters, about 1 token ($0.02 per 1M: text-embedding-3-small)"
    ),
    "moderations": Cost(True, "free: moderation models are not billed"),
    "audio.speech": Cost(
        True, "speech for 2 characters: tts-1 $15 per 1M characters, about $0.00003"
    ),
    "audio.transcriptions": Cost(
        True, "one second of silence: whisper-1 $0.006 per minute, about $0.0001"
    ),
    "images": Cost(
        False,
        "one image at the smallest size and lowest quality: from $0.005 (gpt-image-1-mini, low, "
        "1024x1024)",
    ),
    "video": Cost(False, "one 4-second video: sora-2 $0.10 per second, $0.40"),
    "realtime": Cost(
        False, "realtime models are used over WebSocket: no HTTP request exercises them"
    ),
}

# The answers that name the endpoint the model is served on (verbatim fixtures with sources:
# tests/fixtures/errors, class wrong_endpoint; simulator.py quotes them).
_SWITCHES = (
    (re.compile(r"only supported in v1/responses|use the responses api", re.I), "responses"),
    (re.compile(r"not a chat model.{0,160}use v1/completions", re.I | re.S), "completions"),
    (re.compile(r"is a chat model and not supported in the v1/completions", re.I), "chat"),
)
_MINIMUM = re.compile(r"(?:>=|at least|minimum(?: value)?(?: is| of)?)\s*(\d{1,3})\b", re.I)


def _silence_wav(seconds: float = 1.0, rate: int = 16000) -> bytes:
    """A mono 16-bit PCM WAV of silence: what a transcription probe uploads."""
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def _image_request(model: str) -> dict[str, Any]:
    if model.startswith("dall-e-2"):
        return {"model": model, "prompt": "a dot", "n": 1, "size": "256x256"}
    if model.startswith("dall-e"):
        return {"model": model, "prompt": "a dot", "n": 1, "size": "1024x1024"}
    return {"model": model, "prompt": "a dot", "n": 1, "size": "1024x1024", "quality": "low"}


class OpenAIDialect(BaseDialect):
    """OpenAI's API and everything that speaks it."""

    name = "openai"
    modes: tuple[str, ...] = (
        "chat",
        "responses",
        "completions",
        "embeddings",
        "moderations",
        "audio.speech",
        "audio.transcriptions",
        "images",
        "video",
    )
    kept_headers: tuple[str, ...] = (
        *BaseDialect.kept_headers,
        "openai-organization",
        "openai-project",
        "openai-processing-ms",
        "x-ratelimit-limit-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-requests",
        "x-ratelimit-reset-tokens",
    )

    def headers(self, settings: Settings) -> dict[str, str]:
        """User agent, the key in the provider's header, organization and project."""
        headers = {"User-Agent": f"modelcheck/{__version__}", "Accept": "application/json"}
        if settings.key:
            headers.update(settings.provider.auth_headers(settings.key))
        if settings.organization:
            headers["OpenAI-Organization"] = settings.organization
        if settings.project:
            headers["OpenAI-Project"] = settings.project
        return headers

    def list_models(self, settings: Settings) -> Request | None:
        """``GET /models``."""
        return Request("models.list", "GET", settings.provider.models_path)

    def parse_list(self, data: Any, sent: Request) -> Page:
        """``data[]`` (or a bare array); ``has_more`` + ``last_id`` give the next page."""
        items = data.get("data") if isinstance(data, dict) else data
        if not isinstance(items, list):
            return Page((), shape_ok=False)
        ids = tuple(str(i["id"]) for i in items if isinstance(i, dict) and "id" in i)
        more = isinstance(data, dict) and data.get("has_more") is True
        last = data.get("last_id") if isinstance(data, dict) else None
        if more and not isinstance(last, str) and ids:
            last = ids[-1]
        if not more or not isinstance(last, str):
            return Page(ids)
        params = tuple(p for p in sent.params if p[0] != MAX_PAGES_PARAM)
        return Page(ids, next=replace(sent, params=(*params, (MAX_PAGES_PARAM, last))))

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        """``GET /models/{id}``."""
        path = settings.provider.model_path.format(model=quote(model, safe="/:@"))
        return Request("models.retrieve", "GET", path)

    def parse_retrieve(self, data: Any, model: str) -> Answer:
        """A model object has an ``id``."""
        return Answer(shape_ok=isinstance(data, dict) and "id" in data)

    def key_check(self, settings: Settings) -> Request | None:
        """The provider's authenticated key endpoint, where its list is a public catalogue
        (OpenRouter: ``GET /key``)."""
        path = settings.provider.key_check_path
        return Request("key", "GET", path) if path else None

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        """The smallest request per mode (module docstring)."""
        if mode == "chat":
            return self._chat(model, "max_tokens", settings)
        if mode == "responses":
            body = {"model": model, "input": PROMPT, "max_output_tokens": RESPONSES_MIN_OUTPUT}
            return Request("responses", "POST", "/responses", json=body, spend=RESPONSES_MIN_OUTPUT)
        if mode == "completions":
            body = {"model": model, "prompt": PROMPT, "max_tokens": 1}
            return Request("completions", "POST", "/completions", json=body, spend=1)
        if mode == "embeddings":
            return Request(
                "embeddings", "POST", "/embeddings", json={"model": model, "input": PROMPT}
            )
        if mode == "moderations":
            body = {"model": model, "input": PROMPT}
            return Request("moderations", "POST", "/moderations", json=body)
        if mode == "audio.speech":
            body = {"model": model, "input": PROMPT, "voice": "alloy"}
            return Request("audio.speech", "POST", "/audio/speech", json=body)
        if mode == "audio.transcriptions":
            audio = ("file", ("silence.wav", _silence_wav(), "audio/wav"))
            return Request(
                "audio.transcriptions",
                "POST",
                "/audio/transcriptions",
                json={"model": model},
                files=(audio,),
            )
        if mode == "images":
            return Request("images", "POST", "/images/generations", json=_image_request(model))
        if mode == "video":
            body = {"model": model, "prompt": "a dot", "seconds": "4", "size": "720x1280"}
            return Request("video", "POST", "/videos", json=body)
        return None

    def _chat(self, model: str, token_param: str, settings: Settings) -> Request:
        body = {"model": model, "messages": [{"role": "user", "content": PROMPT}], token_param: 1}
        return Request(
            "chat", "POST", settings.provider.chat_path, json=body, spend=1, variant=token_param
        )

    def adapt(self, sent: Request, probe: Probe) -> Request | None:
        """``max_tokens`` refused: ``max_completion_tokens``; a higher ``max_output_tokens``
        minimum named: that minimum (once, at most 64)."""
        error = probe.error
        if probe.status != 400 or error is None or sent.json is None:
            return None
        message = (error.message or "").lower()
        if sent.endpoint == "chat" and sent.variant == "max_tokens":
            named = error.param == "max_tokens"
            if named or ("max_tokens" in message and "max_completion_tokens" in message):
                body = {k: v for k, v in sent.json.items() if k != "max_tokens"}
                body["max_completion_tokens"] = 1
                return replace(sent, json=body, variant="max_completion_tokens")
        if sent.endpoint == "responses" and "max_output_tokens" in f"{error.param} {message}":
            found = _MINIMUM.search(message)
            minimum = int(found.group(1)) if found else 0
            current = int_field(sent.json.get("max_output_tokens"))
            if current < minimum <= 64:
                body = {**sent.json, "max_output_tokens": minimum}
                return replace(
                    sent, json=body, spend=minimum, variant=f"max_output_tokens={minimum}"
                )
        return None

    def switch(self, sent: Request, probe: Probe) -> str | None:
        """The endpoint a 400/404 names as the model's own."""
        if probe.status not in (400, 404) or probe.error is None:
            return None
        message = probe.error.message or ""
        return next((mode for pattern, mode in _SWITCHES if pattern.search(message)), None)

    def parse_success(self, sent: Request, data: Any, raw: bytes, content_type: str) -> Answer:
        """The success shape of each endpoint, and its usage."""
        mode = sent.endpoint
        if mode == "audio.speech":
            audio = content_type.startswith(("audio/", "application/octet-stream"))
            return Answer(shape_ok=audio and len(raw) > 0)
        if not isinstance(data, dict):
            return Answer(shape_ok=False)
        found = data.get("usage")
        usage: dict[str, Any] = found if isinstance(found, dict) else {}
        if mode in ("chat", "completions"):
            return Answer(
                shape_ok=isinstance(data.get("choices"), list),
                prompt_tokens=int_field(usage.get("prompt_tokens")),
                completion_tokens=int_field(usage.get("completion_tokens")),
            )
        if mode == "responses":
            ok = data.get("object") == "response" or isinstance(data.get("output"), list)
            return Answer(
                shape_ok=ok,
                prompt_tokens=int_field(usage.get("input_tokens")),
                completion_tokens=int_field(usage.get("output_tokens")),
            )
        if mode == "embeddings":
            ok = isinstance(data.get("data"), list)
            return Answer(shape_ok=ok, prompt_tokens=int_field(usage.get("prompt_tokens")))
        if mode == "moderations":
            return Answer(shape_ok=isinstance(data.get("results"), list))
        if mode == "audio.transcriptions":
            return Answer(shape_ok=isinstance(data.get("text"), str))
        if mode == "images":
            return Answer(shape_ok=isinstance(data.get("data"), list))
        if mode == "video":
            return Answer(shape_ok=isinstance(data.get("id"), str))
        if mode == "key":
            return Answer(shape_ok=True)
        return Answer(shape_ok=False)

    def rate_window(self, headers: Mapping[str, str]) -> RateWindow | None:
        """``x-ratelimit-remaining-requests`` and ``x-ratelimit-reset-requests``."""
        from modelcheck.pacing import parse_reset

        remaining = headers.get("x-ratelimit-remaining-requests")
        if remaining is None or not remaining.strip().isdigit():
            return None
        return RateWindow(int(remaining), parse_reset(headers.get("x-ratelimit-reset-requests")))

    def cost(self, mode: str) -> Cost:
        """What one probe of ``mode`` costs (COSTS)."""
        return COSTS.get(mode) or super().cost(mode)


OPENAI = OpenAIDialect()
