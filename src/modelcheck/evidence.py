"""Evidence: frozen records of what the probe saw. Plain data; no I/O and no key."""

from __future__ import annotations

from dataclasses import dataclass, field

from modelcheck.keycheck import KeyFacts

METADATA_ENDPOINTS = ("models.list", "models.retrieve", "key", "free_check")
"""Requests that read metadata or check access without using the model (a free check such as
Anthropic's count_tokens); every other endpoint name is a mode."""
# Network failure kinds, as recorded by the probe and read by the rules.
NETWORK_KINDS = ("dns", "connect", "reset", "tls", "timeout", "proxy", "protocol")


@dataclass(frozen=True)
class ErrorInfo:
    """A provider error normalised to OpenAI's four fields (any may be None)."""

    code: str | None = None
    type: str | None = None
    param: str | None = None
    message: str | None = None
    details: str | None = None
    """Fields beside the four that carry meaning (Google's details, OpenRouter's metadata,
    Azure's innererror), as compact JSON text, for the signals."""


@dataclass(frozen=True)
class NetworkFailure:
    """A request that got no HTTP answer."""

    kind: str
    """One of NETWORK_KINDS."""
    detail: str
    """The exception text, key-scrubbed, for the report."""


@dataclass(frozen=True)
class Probe:
    """One HTTP exchange (or failed attempt) and what it showed."""

    endpoint: str
    """"models.list", "models.retrieve", "key" (an authenticated key check), "free_check" (a
    free per-model check), or the mode the request exercised ("chat", "responses", ...)."""
    method: str
    path: str
    status: int | None = None
    error: ErrorInfo | None = None
    body_kind: str | None = None
    """"json", "html", "text" or "empty"; None when no answer came."""
    body_excerpt: str = ""
    """The first characters of a body that is not a JSON error, for the report."""
    shape_ok: bool = True
    """False when a 2xx body is not what the endpoint returns (e.g. not a chat completion)."""
    request_id: str | None = None
    latency_ms: float | None = None
    network: NetworkFailure | None = None
    headers: tuple[tuple[str, str], ...] = ()
    """Selected diagnostic headers (rate limits, organization, project, retry-after)."""
    attempts: int = 1
    retry_after_s: float | None = None
    """The server's requested wait on the last attempt, when it sent one."""
    earlier: tuple[int | None, ...] = ()
    """The statuses of the earlier attempts of this request (None: no answer), oldest first:
    a 429 before a dropped connection says the server was shedding load."""
    location: str | None = None
    """A redirect target (redirects are never followed)."""
    token_param: str | None = None
    """For chat probes: "max_tokens" or "max_completion_tokens"."""
    variant: str | None = None
    """Which form of the request was sent, when it was adapted ("max_completion_tokens")."""
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def ok(self) -> bool:
        """A 2xx answer with the expected shape."""
        return self.status is not None and 200 <= self.status < 300 and self.shape_ok

    def header(self, name: str) -> str | None:
        """A recorded header's value (names are stored lower-case)."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)


@dataclass(frozen=True)
class ModelEvidence:
    """Everything probed for one model."""

    model: str
    listed: bool | None
    """In the key's model list; None when the list could not be read."""
    probes: tuple[Probe, ...] = ()
    needs_max_completion_tokens: bool = False
    skipped: str | None = None
    """Why the model was not (fully) probed, e.g. the request budget ran out."""
    mode: str | None = None
    """The API mode the model was probed on (chat, responses, embeddings, ...)."""
    mode_source: str | None = None
    """Where the mode came from: "argument" (MODEL@mode), "--mode", "--endpoint",
    "knowledge", "retrieve", "switched" (a first answer named it) or "default"."""
    unexercised: str | None = None
    """Why no request used the model although it was probed (a paid mode not opted in,
    a mode with no HTTP request, --free): the note the report shows."""

    @property
    def exercise(self) -> Probe | None:
        """The last probe that used the model (not list, retrieve or key check), if any."""
        return next(
            (p for p in reversed(self.probes) if p.endpoint not in METADATA_ENDPOINTS), None
        )

    @property
    def free_check(self) -> Probe | None:
        """The free per-model check (``--free``), if any."""
        return next((p for p in self.probes if p.endpoint == "free_check"), None)

    @property
    def chat(self) -> Probe | None:
        """The last probe that used the model (kept name: every mode, not only chat)."""
        return self.exercise

    @property
    def retrieve(self) -> Probe | None:
        """The retrieve probe, if any."""
        return next((p for p in self.probes if p.endpoint == "models.retrieve"), None)


@dataclass(frozen=True)
class RunEvidence:
    """One whole probe run."""

    provider: str
    base_url: str
    key: KeyFacts
    organization: str | None = None
    project: str | None = None
    free: bool = False
    list_probe: Probe | None = None
    listed_ids: tuple[str, ...] | None = None
    models: tuple[ModelEvidence, ...] = ()
    requests: int = 0
    """Requests really sent (an interrupted run counts only those that went out)."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    budget_exhausted: bool = False
    interrupted: bool = False
    """Ctrl-C stopped the run; unfinished models are marked skipped."""
    notes: tuple[str, ...] = field(default=())
    proxy: str | None = None
    """The proxy the environment routes requests through (credentials masked), if any."""
    custom_base_url: bool = False
    """The base URL is not the provider's own API (a gateway, proxy or self-hosted server)."""
    provider_source: str = "--provider"
    """Which rule chose the provider: "--provider", "base URL host", "key prefix", "key
    variable NAME" (the one native key variable set), "default"."""
    key_check: Probe | None = None
    """The authenticated key check, for providers whose list is a public catalogue."""
    list_scope: str = "key"
    """What the list proves (providers.Provider.list_scope)."""
    max_requests: int | None = None
    max_tokens: int | None = None
    """The caps the run worked within."""
    region: str | None = None
    """The cloud region probed (Bedrock), when the provider has one."""
    key_required: bool | None = None
    """Whether this run needed a key (None: the provider row says): Bedrock needs one unless
    the AWS credential chain signs."""
