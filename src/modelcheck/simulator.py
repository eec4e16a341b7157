"""A simulated OpenAI server on 127.0.0.1 for `modelcheck demo` and the test suite.

Standard library only. Error bodies are copied verbatim from public sources (named beside
each constant); the simulator only chooses when to send which.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from modelcheck import simnative

# enricoros/big-AGI#16 (2023): the seed case, verbatim.
GPT4_DOES_NOT_EXIST = (
    '{"error":{"message":"The model: `gpt-4` does not exist","type":"invalid_request_error",'
    '"param":null,"code":"model_not_found"}}'
)
# davidmigloz/langchain_dart retry.dart @1e1193cf: OpenAI's 404 for an id the key cannot use.
MODEL_NOT_FOUND_TEMPLATE = "The model `{model}` does not exist or you do not have access to it."
# ChatGPTNextWeb/NextChat#4101 (2024): 429 insufficient_quota, verbatim.
INSUFFICIENT_QUOTA = (
    '{"error":{"message":"You exceeded your current quota, please check your plan and billing '
    "details. For more information on this error, read the docs: "
    'https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota",'
    '"param":null,"code":"insufficient_quota"}}'
)
# FoundationAgents/MetaGPT#523 (2023): 429 rate_limit_exceeded message (envelope per OpenAI).
RATE_LIMITED = (
    '{"error":{"message":"Rate limit reached for gpt-4 in organization org-uVqpjtJiKqvVJMVfvpaounIh'
    " on tokens per min (TPM): Limit 10000, Used 8554, Requested 3082. Please try again in 9.816s."
    ' Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens",'
    '"param":null,"code":"rate_limit_exceeded"}}'
)
# ITSpecialist111/ai_automation_suggester#38: 400 for max_tokens on o-series, verbatim.
MAX_TOKENS_UNSUPPORTED = (
    '{"error":{"message":"Unsupported parameter: \'max_tokens\' is not supported with this model.'
    ' Use \'max_completion_tokens\' instead.","type":"invalid_request_error","param":"max_tokens",'
    '"code":"unsupported_parameter"}}'
)
# ikechan8370/chatgpt-plugin#125: 503 overload, verbatim.
OVERLOADED = (
    '{"error":{"message":"That model is currently overloaded with other requests. You can retry '
    "your request, or contact us through our help center at help.openai.com if the error "
    "persists. (Please include the request ID 500d9fff2057e4af93a280f67002c342 in your "
    'message.)","type":"server_error","param":null,"code":null}}'
)
# tsundereraws/aisub-translator#2: nginx's page for a base URL without /v1, verbatim.
NGINX_404 = (
    "<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
    "<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
)
# OpenAI's 401 for a wrong key (S10 live probe; popjane/free_chatgpt_api#3). The key is
# echoed masked as the provider does: first 8 characters, stars, last 4.
INVALID_KEY_TEMPLATE = (
    "Incorrect API key provided: {masked}. You can find your API key at "
    "https://platform.openai.com/account/api-keys."
)
# davidmigloz/langchain_dart retry.dart @1e1193cf: 401 with no key.
NO_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with "
    "blank username) if you're accessing the API from your browser and are prompted for a "
    "username and password. You can obtain an API key from "
    "https://platform.openai.com/account/api-keys."
)

# nginx's built-in 502 page (src/http/ngx_http_special_response.c: ngx_http_error_502_page and
# the error tail), as NGINX_404 above: what a reverse proxy sends when its upstream is down.
NGINX_502 = (
    "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n"
    "<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
)
# A restricted OpenAI key without the models-read scope, on GET /models*. Partial: the
# message as 2026 codebases quote OpenAI's 401/403 (openclaw/openclaw#56658 shows the
# model.request variant); OpenAI may append more text after it.
MISSING_SCOPE_MODEL_READ = (
    '{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: '
    'api.model.read.","type":"invalid_request_error","param":null,"code":null}}'
)
# LiteLLM proxy 1.108.7, measured on 127.0.0.1 (../shared/research/realservers.md, section 1):
# a model group whose upstream rejects the proxy's own key.
LITELLM_UPSTREAM_401 = (
    '{"error":{"message":"litellm.AuthenticationError: AuthenticationError: OpenAIException - '
    "Error code: 401\n\nLiteLLM: model group 'prism-401' failed with the error above. No "
    'fallback was attempted.","type":"authentication_error","param":null,"code":"401"}}'
)
# The same proxy without its database package: every failure is a bare text/plain 500
# (realservers.md, section 1, "Why prisma is installed").
LITELLM_PLAIN_500 = "Internal Server Error"
# Gemini's 429 for a model with no free tier (limit: 0), as in the verbatim fixture
# gemini_free_tier_limit_zero_gemini_2_5_pro (message verbatim; envelope per Google's docs).
GEMINI_LIMIT_ZERO = json.dumps(
    {
        "error": {
            "code": 429,
            "message": (
                "You exceeded your current quota, please check your plan and billing "
                "details. For more information on this error, head to: "
                "https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your "
                "current usage, head to: https://ai.dev/rate-limit. \n"
                "* Quota exceeded for metric: "
                "generativelanguage.googleapis.com/generate_content_free_tier_input_toke"
                "n_count, limit: 0, model: gemini-2.5-pro\n"
                "* Quota exceeded for metric: "
                "generativelanguage.googleapis.com/generate_content_free_tier_requests, "
                "limit: 0, model: gemini-2.5-pro\n"
                "* Quota exceeded for metric: "
                "generativelanguage.googleapis.com/generate_content_free_tier_requests, "
                "limit: 0, model: gemini-2.5-pro\n"
                "* Quota exceeded for metric: "
                "generativelanguage.googleapis.com/generate_content_free_tier_input_toke"
                "n_count, limit: 0, model: gemini-2.5-pro\n"
                "Please retry in 20.04466179s."
            ),
            "status": "RESOURCE_EXHAUSTED",
        }
    }
)

# Wrong-endpoint answers, verbatim (tests/fixtures/errors, class "modes", with sources):
# a Responses-only model on Chat Completions (openai_chat_404_gpt4o_deep_research_...: n8n),
ONLY_RESPONSES = (
    '{"error":{"message":"This model is only supported in v1/responses and not in '
    'v1/chat/completions.","type":"invalid_request_error","param":"model","code":null}}'
)
# a completions model on Chat Completions (openai_chat_404_gpt35_turbo_instruct_...: big-AGI),
NOT_A_CHAT_MODEL = (
    '{"error":{"message":"This is not a chat model and thus not supported in the '
    'v1/chat/completions endpoint. Did you mean to use v1/completions?","type":'
    '"invalid_request_error","param":"model","code":null}}'
)
# a wrong model on an audio endpoint, 404 (openai_audio_speech_invalid_url_whisper1_openai_go),
INVALID_URL_TEMPLATE = "Invalid URL (POST /v1/{path})"
# max_output_tokens below the Responses API's minimum, 400
# (openai_responses_400_max_output_tokens_below_min_16_pi: the message verbatim; param and
# code as OpenAI's OpenAPI spec and a relayed full body show them).
RESPONSES_MIN_TEMPLATE = (
    "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but "
    "got {value} instead."
)
# The mp3 frame header a speech answer starts with (a silent frame: enough to be audio).
SILENT_MP3 = bytes.fromhex("fffb9064") + bytes(413)

DEMO_KEY = "sk-demo-modelcheck-0000000000000000demo"
MODES_DEMO = {
    "gpt-4o-mini": "chat",
    "o3-pro": "responses",
    "gpt-3.5-turbo-instruct": "completions",
    "text-embedding-3-small": "embeddings",
    "omni-moderation-latest": "moderations",
    "tts-1": "audio.speech",
    "whisper-1": "audio.transcriptions",
    "gpt-image-1": "images",
}
"""The "modes" scenario: one model per mode, served on that mode only."""
CHAT_TEXT = "The capital of Japan is Tokyo."
SEED_MODELS = ("gpt-3.5-turbo", "gpt-3.5-turbo-16k", "gpt-4o-mini", "davinci-002", "whisper-1")


def openai_error(message: str, etype: str, code: str | None, param: str | None = None) -> str:
    """OpenAI's error envelope around a message."""
    return json.dumps({"error": {"message": message, "type": etype, "param": param, "code": code}})


# a chat model on legacy Completions (openai_completions_404_chat_model_dotnet_okgodoit),
CHAT_MODEL_ON_COMPLETIONS = openai_error(
    "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use "
    "v1/chat/completions?",
    "invalid_request_error",
    None,
    "model",
)
# a chat model on Embeddings, 403 (openai_embeddings_403_gpt4o_not_allowed_ragflow),
EMBEDDINGS_NOT_ALLOWED = openai_error(
    "You are not allowed to generate embeddings from this model", "invalid_request_error", None
)


@dataclass(frozen=True)
class Reply:
    """One canned answer."""

    status: int
    body: str | bytes = ""
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "application/json"
    delay: float = 0.0


DEFAULT = Reply(0)
"""In a route's reply list: answer as the default OpenAI behaviour would."""


@dataclass
class Scenario:
    """What the simulated server does. Routes override the default OpenAI behaviour."""

    name: str
    description: str
    listed: tuple[str, ...] = SEED_MODELS
    key: str | None = None
    """When set, any other key gets OpenAI's 401 invalid_api_key."""
    require_key: bool = True
    """False: a local server that answers without any key (Ollama, vLLM without --api-key)."""
    echo_key: bool = False
    """A hostile server for the secrets tests: every answer is a 401 that echoes the full key
    it received, in the message and in a header."""
    prefix: str = "/v1"
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    """"METHOD /path" or "POST chat MODEL" -> replies, used in order; the last one repeats."""
    needs_max_completion_tokens: frozenset[str] = frozenset()
    modes: dict[str, str] = field(default_factory=dict)
    """The endpoint each listed model is served on (default: chat): answers on another
    endpoint are OpenAI's verbatim refusals."""
    demo_models: tuple[str, ...] = ()
    demo_key: str = DEMO_KEY
    as_of: str | None = None
    """The day the scenario took place: the demo judges retirements as of it."""
    family: str = "openai"
    """The API the server speaks: "openai", or a native one (simnative.py): "anthropic",
    "gemini", "azure" (the classic deployments API), "bedrock" (both planes)."""
    deployments: dict[str, str] = field(default_factory=dict)
    """Azure: deployment name -> the model it serves (``listed`` are the deployments)."""
    api_versions: frozenset[str] = frozenset({"2024-10-21", "2024-06-01", "2025-04-01-preview"})
    """Azure: the api-versions the resource accepts."""
    profiles: tuple[str, ...] = ()
    """Bedrock: inference profile ids."""
    profile_only: frozenset[str] = frozenset()
    """Bedrock: models invocable only through an inference profile."""
    denied: frozenset[str] = frozenset()
    """Bedrock: models the account has no access to."""
    provider: str = "openai"
    """The provider the demo checks it as."""


CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key", "x-goog-api-key")


@dataclass(frozen=True)
class Request:
    """One request the simulator received (the key itself is not kept)."""

    method: str
    path: str
    body: Any
    authorized: bool
    organization: str | None
    project: str | None
    headers: tuple[tuple[str, str], ...] = ()
    """The other request headers (lower-case names), the credential headers left out."""
    query: tuple[tuple[str, str], ...] = ()
    auth_header: str | None = None
    """The name of the header the credential came in (lower-case), if any."""


class SimServer:
    """A ThreadingHTTPServer on 127.0.0.1 playing one scenario; ``url`` ends in the prefix."""

    def __init__(
        self, scenario: Scenario, tls: ssl.SSLContext | None = None, port: int = 0
    ) -> None:
        self.scenario = scenario
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._counters: dict[str, int] = {}
        handler = _make_handler(self)
        self.httpd = _QuietServer(("127.0.0.1", port), handler)
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def root(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The base URL a client should use (root + prefix)."""
        return self.root + self.scenario.prefix

    def start(self) -> SimServer:
        """Serve in a daemon thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, method: str | None = None, path_suffix: str = "") -> int:
        """How many requests matched."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and r.path.endswith(path_suffix)
            )

    def next_reply(self, route: str) -> Reply | None:
        """The next scripted reply for ``route``, or None when none is scripted."""
        replies = self.scenario.routes.get(route)
        if not replies:
            return None
        with self._lock:
            n = self._counters.get(route, 0)
            self._counters[route] = n + 1
        reply = replies[min(n, len(replies) - 1)]
        return None if reply.status == 0 else reply

    def record(self, request: Request) -> None:
        """Log a request."""
        with self._lock:
            self.requests.append(request)


@contextmanager
def serve(scenario: Scenario) -> Iterator[SimServer]:
    """Run ``scenario`` on 127.0.0.1 for the duration of the block."""
    server = SimServer(scenario).start()
    try:
        yield server
    finally:
        server.stop()


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (bounded reads, TLS refusals) are normal here: no noise."""

    # socketserver's default backlog of 5 drops SYNs when 6+ clients connect at once; the
    # retransmit then costs a second and distorts every timing (design review, P6).
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


_MODE_PATHS = {
    "/responses": "responses",
    "/completions": "completions",
    "/embeddings": "embeddings",
    "/moderations": "moderations",
    "/audio/speech": "audio.speech",
    "/audio/transcriptions": "audio.transcriptions",
    "/images/generations": "images",
    "/videos": "video",
}
# Success bodies: the required fields of OpenAI's OpenAPI spec (openai/openai-openapi
# @f85dbe2, 2026-08-21) and its examples, trimmed.
_RESPONSE = {
    "id": "resp_sim",
    "object": "response",
    "created_at": 1700000000,
    "status": "incomplete",
    "incomplete_details": {"reason": "max_output_tokens"},
    "error": None,
    "output": [],
    "usage": {"input_tokens": 8, "output_tokens": 16, "total_tokens": 24},
}
_SUCCESS: dict[str, dict[str, Any]] = {
    "completions": {
        "id": "cmpl-sim",
        "object": "text_completion",
        "created": 1700000000,
        "choices": [{"text": " there", "index": 0, "logprobs": None, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    },
    "embeddings": {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.0023, -0.0093, 0.0158]}],
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    },
    "moderations": {
        "id": "modr-sim",
        "results": [{"flagged": False, "categories": {}, "category_scores": {}}],
    },
    "audio.transcriptions": {"text": ""},
    "images": {"created": 1700000000, "data": [{"b64_json": "iVBORw0KGgo="}]},
    "video": {"id": "video_sim", "object": "video", "status": "queued"},
}
_FORM_MODEL = re.compile(rb'name="model"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n')


def _form_model(raw: bytes, content_type: str) -> str | None:
    """The ``model`` field of a multipart form (an audio upload), if any."""
    if not content_type.startswith("multipart/form-data"):
        return None
    found = _FORM_MODEL.search(raw)
    return found.group(1).decode("utf-8", "replace") if found else None


def chat_completion(model: str) -> Reply:
    """OpenAI's chat completion for a 1-token probe."""
    completion = {
        "id": "chatcmpl-sim",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": CHAT_TEXT},
                "finish_reason": "length",
            }
        ],
        "usage": {"prompt_tokens": 8, "completion_tokens": 1, "total_tokens": 9},
    }
    return Reply(200, json.dumps(completion))


def _mask_like_openai(key: str) -> str:
    if len(key) <= 12:
        return "*" * len(key)
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def _make_handler(server: SimServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "modelcheck-simulator"
        disable_nagle_algorithm = True  # headers and body are separate writes

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the demo prints the report only

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-request-id", f"req_sim{len(server.requests):06d}")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            query = dict(parse_qsl(parts.query))
            form = _form_model(raw, self.headers.get("Content-Type", ""))
            key = simnative.key_of(server.scenario.family, self.headers)
            server.record(
                Request(
                    method=method,
                    path=path,
                    body=body,
                    authorized=bool(key),
                    organization=self.headers.get("OpenAI-Organization"),
                    project=self.headers.get("OpenAI-Project"),
                    headers=tuple(
                        (name.lower(), value)
                        for name, value in self.headers.items()
                        if name.lower() not in CREDENTIAL_HEADERS
                    ),
                    query=tuple(query.items()),
                    auth_header=next((n for n in CREDENTIAL_HEADERS if self.headers.get(n)), None),
                )
            )
            sc = server.scenario
            if sc.family != "openai" and not sc.echo_key:
                scripted = server.next_reply(f"{method} {path}")
                if scripted is None:
                    scripted = simnative.route(sc, method, path, query, body, key, self.headers)
                self._send(scripted)
                return
            self._send(self._route(method, path, body, key, form))

        def _route(
            self, method: str, path: str, body: Any, key: str | None, raw_form: str | None = None
        ) -> Reply:
            sc = server.scenario
            scripted = server.next_reply(f"{method} {path}")
            if scripted is not None:
                return scripted
            if not path.startswith(sc.prefix + "/"):
                return Reply(404, NGINX_404, content_type="text/html")
            sub = path[len(sc.prefix) :]
            if sc.echo_key:
                message = f"Incorrect API key provided: {key}"
                body = openai_error(message, "invalid_request_error", "invalid_api_key")
                return Reply(401, body, headers=(("x-request-id", key or ""),))
            if not key and sc.require_key:
                return Reply(401, openai_error(NO_KEY, "invalid_request_error", None))
            if key and sc.key is not None and key != sc.key:
                message = INVALID_KEY_TEMPLATE.format(masked=_mask_like_openai(key))
                return Reply(401, openai_error(message, "invalid_request_error", "invalid_api_key"))
            if method == "GET" and sub == "/models":
                data = [
                    {"id": m, "object": "model", "created": 1686935002, "owned_by": "openai"}
                    for m in sc.listed
                ]
                return Reply(200, json.dumps({"object": "list", "data": data}))
            if method == "GET" and sub.startswith("/models/"):
                model = sub[len("/models/") :]
                if model in sc.listed:
                    obj = {
                        "id": model,
                        "object": "model",
                        "created": 1686935002,
                        "owned_by": "openai",
                    }
                    return Reply(200, json.dumps(obj))
                message = MODEL_NOT_FOUND_TEMPLATE.format(model=model)
                return Reply(404, openai_error(message, "invalid_request_error", "model_not_found"))
            if method == "POST" and sub == "/chat/completions":
                return self._chat(body)
            if method == "POST" and sub in _MODE_PATHS:
                model = str(body.get("model")) if isinstance(body, dict) else ""
                if not model and raw_form is not None:
                    model = raw_form
                return self._mode(_MODE_PATHS[sub], sub, model, body)
            return Reply(404, NGINX_404, content_type="text/html")

        def _mode(self, mode: str, sub: str, model: str, body: Any) -> Reply:
            """An endpoint other than chat: success for a model served there, else OpenAI's
            answer for that endpoint."""
            sc = server.scenario
            scripted = server.next_reply(f"POST {mode} {model}")
            if scripted is not None:
                return scripted
            served = sc.modes.get(model, "chat")
            if model not in sc.listed:
                message = MODEL_NOT_FOUND_TEMPLATE.format(model=model)
                return Reply(404, openai_error(message, "invalid_request_error", "model_not_found"))
            if mode == "responses":
                asked = body.get("max_output_tokens") if isinstance(body, dict) else None
                if isinstance(asked, int) and asked < 16:
                    message = RESPONSES_MIN_TEMPLATE.format(value=asked)
                    error = openai_error(
                        message,
                        "invalid_request_error",
                        "integer_below_min_value",
                        "max_output_tokens",
                    )
                    return Reply(400, error)
                if served in ("chat", "responses"):
                    return Reply(200, json.dumps(_RESPONSE | {"model": model}))
            elif served == mode:
                if mode == "audio.speech":
                    return Reply(200, SILENT_MP3, content_type="audio/mpeg")
                return Reply(200, json.dumps(_SUCCESS[mode] | {"model": model}))
            if mode == "completions":
                return Reply(404, CHAT_MODEL_ON_COMPLETIONS)
            if mode == "embeddings":
                return Reply(403, EMBEDDINGS_NOT_ALLOWED)
            if mode.startswith("audio."):
                message = INVALID_URL_TEMPLATE.format(path=sub.lstrip("/"))
                return Reply(404, openai_error(message, "invalid_request_error", None))
            message = MODEL_NOT_FOUND_TEMPLATE.format(model=model)
            return Reply(404, openai_error(message, "invalid_request_error", "model_not_found"))

        def _chat(self, body: Any) -> Reply:
            sc = server.scenario
            model = str(body.get("model")) if isinstance(body, dict) else ""
            scripted = server.next_reply(f"POST chat {model}")
            if scripted is not None:
                return scripted
            if model not in sc.listed:
                if model == "gpt-4":
                    return Reply(404, GPT4_DOES_NOT_EXIST)
                message = MODEL_NOT_FOUND_TEMPLATE.format(model=model)
                return Reply(404, openai_error(message, "invalid_request_error", "model_not_found"))
            served = sc.modes.get(model, "chat")
            if served == "responses":
                return Reply(404, ONLY_RESPONSES)
            if served != "chat":
                return Reply(404, NOT_A_CHAT_MODEL)
            if model in sc.needs_max_completion_tokens and "max_tokens" in body:
                return Reply(400, MAX_TOKENS_UNSUPPORTED)
            return chat_completion(model)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "seed",
            "gpt-4 is missing from a free account's list (July 2023); gpt-3.5-turbo works",
            demo_models=("gpt-4", "gpt-3.5-turbo"),
            as_of="2023-07-15",
        ),
        Scenario(
            "typo",
            "a typo in the model id: gtp-4",
            demo_models=("gtp-4", "gpt-3.5-turbo"),
            as_of="2023-07-15",
        ),
        Scenario(
            "invalid-key",
            "the key was revoked or mistyped",
            key="sk-proj-the-real-key-is-another-one-0000",
            demo_models=("gpt-4o-mini",),
        ),
        Scenario(
            "no-quota",
            "the account has no credits left: 429 insufficient_quota",
            routes={
                "POST /v1/chat/completions": [Reply(429, INSUFFICIENT_QUOTA)],
            },
            demo_models=("gpt-4o-mini", "gpt-3.5-turbo"),
        ),
        Scenario(
            "keyless-local",
            "a local server (Ollama, vLLM) that needs no key",
            listed=("llama3.2", "qwen2.5:7b"),
            require_key=False,
            demo_models=("llama3.2",),
            provider="vllm",
        ),
        Scenario(
            "restricted-key",
            "a least-privilege key without the models-read scope: the model still works",
            routes={
                "GET /v1/models": [Reply(403, MISSING_SCOPE_MODEL_READ)],
                "GET /v1/models/gpt-4o-mini": [Reply(403, MISSING_SCOPE_MODEL_READ)],
            },
            demo_models=("gpt-4o-mini",),
        ),
        Scenario(
            "gateway-list-500",
            "a gateway whose GET /models fails (500) while chat works",
            routes={
                "GET /v1/models": [Reply(500, LITELLM_PLAIN_500, content_type="text/plain")],
                "GET /v1/models/gpt-4o-mini": [
                    Reply(500, LITELLM_PLAIN_500, content_type="text/plain")
                ],
            },
            demo_models=("gpt-4o-mini",),
        ),
        Scenario(
            "modes",
            "models served on other endpoints than chat: each is probed on its own",
            listed=tuple(MODES_DEMO),
            modes=dict(MODES_DEMO),
            demo_models=tuple(MODES_DEMO),
        ),
        Scenario(
            "gateway-upstream",
            "a gateway whose upstream credential for one model group is wrong",
            listed=("gpt-4o-mini", "prism-401"),
            routes={"POST chat prism-401": [Reply(401, LITELLM_UPSTREAM_401)]},
            demo_models=("gpt-4o-mini", "prism-401"),
        ),
        Scenario(
            "anthropic",
            "Anthropic's own API: one model works, a retired one answers only 404",
            family="anthropic",
            provider="anthropic",
            listed=("claude-sonnet-4-5", "claude-haiku-4-5"),
            demo_models=("claude-sonnet-4-5", "claude-2.1"),
            demo_key="sk-ant-api03-demo-modelcheck-0000000000000000000000demo",
        ),
        Scenario(
            "azure",
            "Azure OpenAI deployments: a chat deployment, an embeddings one, a name that is none",
            family="azure",
            provider="azure",
            prefix="",
            listed=("chat-prod", "embed-prod"),
            deployments={"chat-prod": "gpt-4o-mini", "embed-prod": "text-embedding-3-large"},
            modes={"embed-prod": "embeddings"},
            demo_models=("chat-prod", "embed-prod", "chat-new"),
            demo_key="0123456789abcdef0123456789abcdef",
        ),
        Scenario(
            "gemini",
            "the Gemini API: a free-tier key, and a model whose free tier is limit: 0",
            family="gemini",
            provider="gemini",
            prefix="/v1beta",
            listed=("gemini-2.5-flash", "gemini-2.5-pro"),
            routes={
                "POST /v1beta/models/gemini-2.5-pro:generateContent": [
                    Reply(429, simnative.gemini_limit_zero("gemini-2.5-pro"))
                ]
            },
            demo_models=("gemini-2.5-flash", "gemini-2.5-pro"),
            demo_key="AIzaSyDemoModelcheck000000000000000demo",
        ),
        Scenario(
            "bedrock",
            "Amazon Bedrock: one model works, one needs an inference profile, one is not enabled",
            family="bedrock",
            provider="bedrock",
            prefix="",
            listed=(
                "anthropic.claude-3-haiku-20240307-v1:0",
                "anthropic.claude-3-7-sonnet-20250219-v1:0",
                "meta.llama3-70b-instruct-v1:0",
            ),
            profiles=("us.anthropic.claude-3-7-sonnet-20250219-v1:0",),
            profile_only=frozenset({"anthropic.claude-3-7-sonnet-20250219-v1:0"}),
            denied=frozenset({"meta.llama3-70b-instruct-v1:0"}),
            demo_models=(
                "anthropic.claude-3-haiku-20240307-v1:0",
                "anthropic.claude-3-7-sonnet-20250219-v1:0",
                "meta.llama3-70b-instruct-v1:0",
            ),
            demo_key="ABSKQmVkcm9ja0FQSUtleS1kZW1vLW1vZGVsY2hlY2s=",
        ),
    )
}
