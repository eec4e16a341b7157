"""The context a rule sees, and small named predicates over it. Pure: no I/O."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from modelcheck.bedrockids import foundation_id, profile_prefix
from modelcheck.diagnosis.knowledge import (
    AS_OF,
    KnownModel,
    announced,
    current_ids,
    gate_on,
    is_retired,
)
from modelcheck.diagnosis.signals import Signals
from modelcheck.errorbody import is_billing_error, is_request_too_large
from modelcheck.evidence import METADATA_ENDPOINTS, ErrorInfo
from modelcheck.keycheck import KeyFacts
from modelcheck.lazyre import lazy

LOCAL_SERVERS = frozenset({"ollama", "lmstudio", "vllm", "llamacpp", "localai", "tgi"})
"""Providers that are self-hosted servers (their answers are "local")."""
GATEWAYS = frozenset(
    {"litellm", "openrouter", "oneapi", "portkey", "cloudflare", "vercel", "helicone", "kong"}
)
"""Providers and relays that forward to other providers (their answers are "gateway")."""


@dataclass(frozen=True)
class Context:
    """One failing probe (or, at the "key" stage, none) with what is known around it."""

    provider: str
    """Whose API answered (explain: read from the text), or was configured (check)."""
    key: KeyFacts
    base_url: str = ""
    default_base_url: str | None = None
    provider_title: str = ""
    key_env: str = ""
    """The provider's key variable (e.g. GROQ_API_KEY), or "" when it reads none."""
    key_required: bool = True
    """False for servers that may accept no key (local servers, self-hosted gateways)."""
    answered_by: str | None = None
    """"provider" (the provider's own API), "gateway" (a gateway or relay), "local" (a
    self-hosted server), or None when nothing says."""
    gateway_name: str | None = None
    proxy: str | None = None
    endpoint: str | None = None
    status: int | None = None
    error: ErrorInfo | None = None
    body_kind: str | None = None
    body_excerpt: str = ""
    shape_ok: bool = True
    network: str | None = None
    network_detail: str = ""
    location: str | None = None
    retry_after: float | None = None
    attempts: int = 1
    earlier: tuple[int | None, ...] = ()
    """The statuses of earlier attempts of the same request (None: no answer)."""
    model: str | None = None
    listed: bool | None = None
    listed_count: int | None = None
    known: KnownModel | None = None
    organization: str | None = None
    project: str | None = None
    close: tuple[str, ...] = ()
    known_close: tuple[str, ...] = ()
    today: str = AS_OF
    signals: Signals = field(default_factory=Signals)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The error message, or the excerpt of a non-JSON body."""
        if self.error is not None and self.error.message:
            return self.error.message
        return self.body_excerpt or self.network_detail

    @property
    def code(self) -> str:
        """The error code, lower-case ("" when none)."""
        return (self.error.code or "").lower() if self.error else ""

    @property
    def etype(self) -> str:
        """The error type, lower-case ("" when none)."""
        return (self.error.type or "").lower() if self.error else ""

    def fields(self) -> dict[str, str]:
        """Values the rules' summary templates may use."""
        known = self.known
        sig = self.signals
        values = {
            "model": self.model or "the model",
            "status": str(self.status) if self.status is not None else "no answer",
            "code": self.code or "none",
            "code_note": f" ({self.code})" if self.code else "",
            "type": self.etype or "none",
            "param": (self.error.param if self.error else None) or "none",
            "message": _short(self.message) or "(empty)",
            "endpoint": self.endpoint or "",
            "listed_count": str(self.listed_count) if self.listed_count is not None else "?",
            "close": ", ".join(self.close) or "none",
            "known_close": ", ".join(self.known_close) or "none",
            "retry_after": _seconds(self.retry_after),
            "attempts": str(self.attempts),
            "base_hint": _base_hint(self),
            "retried_note": (
                "It was not retried."
                if self.attempts <= 1
                else f"It answered the same on all {self.attempts} attempts."
            ),
            "network_detail": self.network_detail,
            "location": self.location or "?",
            "excerpt": _short(self.body_excerpt, 80) or "(empty)",
            "key_source": self.key.source,
            "masked_key": self.key.masked or "the key",
            "foreign_provider": self.key.foreign_provider or "another provider",
            "foreign_label": self.key.foreign_label or "a key of another provider",
            "foreign_hint": _foreign_hint(self.key.foreign_name),
            "pasted_prefix": self.key.pasted_prefix or "",
            "provider_title": self.provider_title or self.provider,
            "key_env": self.key_env or "the key variable",
            "proxy": self.proxy or "the proxy",
            "organization": self.organization or "none",
            "project": self.project or "none",
            "base_url": self.base_url,
            "family": known.family if known else "",
            "shutdown": (known.shutdown or "") if known else "",
            "replacement": (known.replacement or "a current model") if known else "a current model",
            "replacement_choice": _replacement_choice(self),
            "known_endpoint": known.endpoint if known else "",
            "endpoint_hint": (
                f" {self.model} is served by the {known.endpoint} API."
                if known and known.endpoint not in ("chat", "") and self.model
                else ""
            ),
            "sig_param": sig.param or "a parameter",
            "sig_param_hint": _param_hint(sig),
            "sig_fragment": sig.key_fragment or "",
            "sig_echoed_key": sig.echoed_key or "",
            "sig_fragment_owner": _fragment_owner(self),
            "sig_window": sig.quota_window or "",
            "sig_limit": str(sig.quota_limit) if sig.quota_limit is not None else "",
            "sig_gateway": self.gateway_name or "the gateway",
            "sig_upstream": sig.upstream or "its upstream",
            "sig_replacement": sig.replacement_model or "",
            "retired_hint": _retired_hint(self),
            "days_left": str(_days_left(self) or ""),
            "profile_id": profile_prefix(None) + foundation_id(self.model or "MODEL-ID"),
            "profiles_listed": "",
            "region": "this region",
        }
        values.update(self.extra)
        return values


def _base_hint(ctx: Context) -> str:
    """What is probably wrong with a base URL the server does not know."""
    if ctx.provider == "azure":
        return "is probably not the resource's endpoint (https://NAME.openai.azure.com)"
    if ctx.provider == "bedrock":
        return (
            "is probably not the region's endpoint (https://bedrock-runtime.REGION.amazonaws.com)"
        )
    root = ctx.default_base_url or ""
    version = root.rstrip("/").rsplit("/", 1)[-1] if root.count("/") > 2 else ""
    version = version if re.fullmatch(r"v\d+\w*", version) else "v1"
    return f"is probably missing /{version} or has it twice"


def _replacement_choice(ctx: Context) -> str:
    named = ctx.signals.replacement_model or (ctx.known.replacement if ctx.known else None)
    return f"{named}, the replacement the provider names" if named else "a current model"


Predicate = Callable[[Context], bool]


def _foreign_hint(name: str | None) -> str:
    """How to use a key with the provider that issued it."""
    from modelcheck.providers import PROVIDERS

    prov = PROVIDERS.get(name or "")
    if prov is None:
        return "use it with the provider that issued it"
    env = f" (it reads {prov.key_envs[0]})" if prov.key_envs else ""
    if prov.probe:
        return f"check it with --provider {prov.name}{env}"
    return f"use it with {prov.title}'s own API{env}"


def _param_hint(sig: Signals) -> str:
    if sig.param_replacement:
        return f" Send {sig.param_replacement} instead of {sig.param}."
    issue = {
        "only_default": " Leave it out: the model accepts only its default.",
        "combination": " Send only one of the parameters the message names.",
        "unknown_field": " Leave it out: this API does not know it.",
        "invalid_value": " Use a value the message allows.",
        "required": " Send it: this API requires it.",
        "deprecated": " Leave it out: the model no longer takes it.",
    }
    return issue.get(sig.param_issue or "", " Leave it out for this model.")


def _fragment_owner(ctx: Context) -> str:
    from modelcheck.keyshapes import KEY_SHAPES

    owner = ctx.signals.key_fragment_provider
    shape = next((s for s in KEY_SHAPES if s.provider == owner), None)
    if shape is not None:
        return shape.label
    return "a key of another provider or relay"


def _retired_hint(ctx: Context) -> str:
    known = ctx.known
    if known is None or not (known.shutdown or known.retired):
        return ""
    use = known.replacement or ctx.signals.replacement_model
    when = f" on {known.shutdown}" if known.shutdown else ""
    return f"{ctx.model} was retired{when}" + (f"; use {use}" if use else "") + "."


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _seconds(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value >= 120:
        return f"{value / 60:.0f} min"
    return f"{value:.0f} s" if value >= 1 else f"{value * 1000:.0f} ms"


# --- the key, checked locally -------------------------------------------------------------


def key_missing(ctx: Context) -> bool:
    """No key was found."""
    return not ctx.key.present


def key_required(ctx: Context) -> bool:
    """The provider needs a key (hosted APIs; not local servers, which may accept none)."""
    return ctx.key_required


def key_empty_file(ctx: Context) -> bool:
    """The key file named exists but is empty."""
    return ctx.key.empty_file


def key_pasted_prefix(ctx: Context) -> bool:
    """The key still carries what was in front of it: "OPENAI_API_KEY=", "Bearer "."""
    return ctx.key.pasted_prefix is not None and not ctx.key.placeholder


def key_refused(ctx: Context) -> bool:
    """The key is another provider's, sent to this provider's own API: not sent."""
    return ctx.key.refused


def key_admin(ctx: Context) -> bool:
    """An admin key of this provider, at its own API: not sent."""
    return ctx.key.wrong_kind and ctx.key.kind == "admin"


def key_subscription_token(ctx: Context) -> bool:
    """A subscription OAuth token (Claude Free/Pro/Max, Claude Code), at the API: not sent."""
    return ctx.key.wrong_kind and ctx.key.kind == "oauth"


def key_placeholder(ctx: Context) -> bool:
    """The key is placeholder text."""
    return ctx.key.placeholder


def key_quoted(ctx: Context) -> bool:
    """The key starts or ends with a quote."""
    return ctx.key.quoted and not ctx.key.placeholder


def key_whitespace(ctx: Context) -> bool:
    """The key has surrounding or inner whitespace or control characters."""
    return (
        ctx.key.whitespace
        and not ctx.key.quoted
        and not ctx.key.placeholder
        and ctx.key.pasted_prefix is None
    )


def key_of_other_provider(ctx: Context) -> bool:
    """The key carries another provider's prefix."""
    return ctx.key.foreign_provider is not None


def key_is_oauth_token(ctx: Context) -> bool:
    """The key has the shape of a subscription OAuth token (sk-ant-oat…), not an API key."""
    return ctx.key.kind == "oauth"


def key_is_admin_key(ctx: Context) -> bool:
    """The key is an admin key, which works only on administration endpoints."""
    return ctx.key.kind == "admin"


def provider_host(ctx: Context) -> bool:
    """The base URL is the provider's own API host (no proxy or gateway in between)."""
    return ctx.default_base_url is not None and ctx.base_url.startswith(ctx.default_base_url)


def key_not_provider_shaped(ctx: Context) -> bool:
    """A present key without the provider's key prefix or marker, of no other known provider."""
    return ctx.key.present and not ctx.key.provider_shaped and ctx.key.foreign_provider is None


def org_header_sent(ctx: Context) -> bool:
    """An OpenAI-Organization header was sent."""
    return ctx.organization is not None


def project_header_sent(ctx: Context) -> bool:
    """An OpenAI-Project header was sent."""
    return ctx.project is not None


# --- who answered ---------------------------------------------------------------------------


def from_gateway(ctx: Context) -> bool:
    """A gateway or relay answered (LiteLLM, one-api, OpenRouter, ...)."""
    return ctx.answered_by == "gateway"


def from_local_server(ctx: Context) -> bool:
    """A self-hosted server answered (Ollama, LM Studio, vLLM, llama.cpp, ...)."""
    return ctx.answered_by == "local"


def gateway_wrapped(ctx: Context) -> bool:
    """The answer is a gateway's wrapping of its upstream's error (LiteLLM: "litellm.
    AuthenticationError: ... OpenAIException - ... model group 'x' failed")."""
    return ctx.signals.upstream is not None or ctx.signals.gateway in ("litellm", "oneapi")


def not_server_status(ctx: Context) -> bool:
    """The status is not a 5xx (a 5xx page is the server failing, not a wrong address)."""
    return ctx.status is None or ctx.status < 500


def client_status(ctx: Context) -> bool:
    """A 4xx, or no status at all (a pasted message)."""
    return ctx.status is None or 400 <= ctx.status < 500


# --- the model ------------------------------------------------------------------------------


def model_unlisted(ctx: Context) -> bool:
    """The key's model list was read and lacks the model."""
    return ctx.listed is False


def model_not_listed(ctx: Context) -> bool:
    """The key's model list lacks the model, or could not be read."""
    return ctx.listed is not True


NOT_FOUND_CODES = frozenset(
    {"model_not_found", "unknown_model", "invalid_model", "notfounderror", "model_not_available"}
)
"""Error codes meaning "no such model (for you)" across providers."""


def no_close_ids(ctx: Context) -> bool:
    """No id close to the model's in the key's list or among the provider's known ids (a
    typo would have some)."""
    return not ctx.close and not ctx.known_close


def retirements_not_all_known(ctx: Context) -> bool:
    """modelcheck may not know this answerer's retirements: a provider without a curated
    deprecations list, a gateway or a local server (OpenAI's, Anthropic's, ... are all known:
    an id they never had is not a retired one)."""
    from modelcheck.diagnosis.curated_retired import curated

    if ctx.answered_by in ("gateway", "local"):
        return True
    family = "gemini" if ctx.provider == "gemini-openai" else ctx.provider
    return family not in curated()


def not_verification(ctx: Context) -> bool:
    """The message does not say the organization must be verified (OpenAI sends that as an
    unsupported value of `stream` for models that need verification to stream)."""
    return not ctx.signals.verification


def not_wrong_endpoint(ctx: Context) -> bool:
    """The answer does not say the model is served on another endpoint."""
    return not ctx.signals.wrong_endpoint


def not_a_missing_model(ctx: Context) -> bool:
    """The answer says neither that the model is missing nor that it lives elsewhere: a "not
    found" about the path, not the model."""
    return not (ctx.signals.model_missing or ctx.signals.wrong_endpoint or ctx.signals.retired)


def key_not_seen(ctx: Context) -> bool:
    """modelcheck did not send the key itself (a pasted error): whether one was sent at all is
    not known."""
    return ctx.key.masked is None


def not_specific_auth_failure(ctx: Context) -> bool:
    """A 401 that says no more than "not accepted": not expired, not a credential of the
    wrong kind, not a fragment or placeholder the answer echoes, not a missing key already."""
    sig = ctx.signals
    specific = sig.auth_missing or sig.auth_expired or sig.credential_kind or sig.api_key_refused
    return not (specific or sig.key_fragment or echoed_local_dummy(ctx) or sig.header_invalid)


def echoed_local_dummy(ctx: Context) -> bool:
    """The answer echoes a local server's dummy key ("not-needed", "lm-studio") and a hosted
    API gave it: the request meant for a local server reached the hosted provider."""
    from modelcheck.diagnosis.signals import LOCAL_DUMMY_KEYS

    echoed = (ctx.signals.echoed_key or "").lower()
    return echoed in LOCAL_DUMMY_KEYS and ctx.answered_by != "local"


def fragment_of_known_provider(ctx: Context) -> bool:
    """The echoed key fragment has the shape of a known provider's keys (not this one's)."""
    return ctx.signals.key_fragment_provider is not None and fragment_not_providers(ctx)


def no_error_text(ctx: Context) -> bool:
    """Nothing but a status: no error code or type, and no signal in what text there is (an
    empty body, or a client's generic "404 (Not Found)")."""
    if ctx.code or ctx.etype or ctx.body_kind == "html":
        return False
    return not (ctx.signals.used().keys() - {"hosts", "models"})


def generic_not_found(ctx: Context) -> bool:
    """The answer is the generic "model not found / no access" one, nothing more specific."""
    if ctx.body_kind == "html":
        return False  # a web page's "404 Not Found" says nothing about the model
    sig = ctx.signals
    specific = sig.retired or sig.wrong_endpoint or sig.model_allowlist
    if specific or sig.not_installed or sig.deployment_missing:
        return False
    return ctx.code in NOT_FOUND_CODES or sig.model_missing or ctx.etype == "not_found_error"


def model_listed(ctx: Context) -> bool:
    """The key's model list includes the model."""
    return ctx.listed is True


def model_mentioned(ctx: Context) -> bool:
    """The evidence names a model, or the message speaks of one."""
    return ctx.model is not None or "model" in ctx.message.lower()


def known_model(ctx: Context) -> bool:
    """The model is a well-known, current (not retired) model of this provider."""
    return ctx.known is not None and not is_retired(ctx.known, ctx.today)


def unknown_model(ctx: Context) -> bool:
    """Nothing known about the model says why it failed: not a gated model of the provider that
    answered, not retired (a gateway's or a local server's answer ignores the hosted
    provider's gates)."""
    if ctx.known is None or ctx.answered_by in ("gateway", "local"):
        return True
    retiring = is_retired(ctx.known, ctx.today) or announced(ctx.known, ctx.today)
    return ctx.known.gate is None and not retiring and not not_chat_model(ctx)


def retired_model(ctx: Context) -> bool:
    """The model is past its announced shutdown date."""
    return is_retired(ctx.known, ctx.today)


def _gate(ctx: Context) -> str | None:
    return gate_on(ctx.known, ctx.today) if ctx.known is not None else None


def gate_payment_or_open(ctx: Context) -> bool:
    """The model needs a paid account (or no particular gate is known)."""
    return ctx.known is not None and _gate(ctx) in ("payment", None)


def gate_tier(ctx: Context) -> bool:
    """The model is open only to higher usage tiers (or, then, a waitlist)."""
    return ctx.known is not None and _gate(ctx) == "tier"


def gate_verification(ctx: Context) -> bool:
    """The model needs a verified organization."""
    return ctx.known is not None and _gate(ctx) == "verification"


def retirement_announced(ctx: Context) -> bool:
    """The model's retirement is announced but its shutdown date is still ahead."""
    return announced(ctx.known, ctx.today) and not retired_model(ctx)


def gated_model(ctx: Context) -> bool:
    """The model is a well-known gated (payment, tier, verification) current model."""
    return known_model(ctx) and ctx.known is not None and ctx.known.gate is not None


def not_chat_model(ctx: Context) -> bool:
    """The model is known to be served on another endpoint than the one that answered (the
    Responses API also serves chat models)."""
    if ctx.known is None or ctx.known.mode is None:
        return False
    endpoint = ctx.endpoint if ctx.endpoint not in (None, "messages") else "chat"
    if endpoint in METADATA_ENDPOINTS:
        return False
    if endpoint == "responses" and ctx.known.mode == "chat":
        return False
    return ctx.known.mode != endpoint


def has_close_matches(ctx: Context) -> bool:
    """The key's own list has ids close to the requested one."""
    return bool(ctx.close)


def base_url_lacks_v1(ctx: Context) -> bool:
    """The base URL path does not end in a version segment such as /v1."""
    if not ctx.base_url:
        return False  # explain: the base URL is not known
    path = re.sub(r"^[a-z]+://[^/]+", "", ctx.base_url)
    return re.search(r"/v\d+(beta\d*|alpha\d*)?(/openai)?$", path) is None


def base_url_has_endpoint(ctx: Context) -> bool:
    """The base URL already ends in an endpoint path (e.g. /chat/completions)."""
    return re.search(r"/(chat/completions|completions|models|responses)$", ctx.base_url) is not None


def about_the_model(ctx: Context) -> bool:
    """The error concerns a model: it names one, or a model is in the context."""
    return bool(ctx.signals.models) or ctx.model is not None or "model" in ctx.message.lower()


def not_retired(ctx: Context) -> bool:
    """The model is not known to be retired."""
    return not retired_model(ctx)


_VERSIONED = lazy(r"(\d{4}-?\d{2}-?\d{2}|\d{6,8}|-v\d|[-.]\d+(\.\d+)?[a-z]?$|preview|exp)")


def dated_or_versioned_id(ctx: Context) -> bool:
    """The model id carries a date, a version or a preview tag (the ids providers retire)."""
    return ctx.model is not None and _VERSIONED.search(ctx.model) is not None


def no_error_envelope(ctx: Context) -> bool:
    """The body carries no error of its own (a 2xx that is simply not what was asked)."""
    return ctx.error is None or not (ctx.error.message or ctx.error.code)


def not_model_param_only(ctx: Context) -> bool:
    """The rejected "parameter" is not the model itself (that is a model problem)."""
    sig = ctx.signals
    if sig.param in ("model", None) and ctx.error is not None and ctx.error.param == "model":
        return False
    return not (sig.model_missing and sig.param is None)


def not_model_access(ctx: Context) -> bool:
    """The refusal is not about enabling the model or an allow-list (those have own causes)."""
    sig = ctx.signals
    return not (sig.access_not_enabled or sig.terms or sig.model_allowlist or sig.retired)


def refused_like_not_found(ctx: Context) -> bool:
    """The answer refuses the model as an unknown one would: a not-found code, type, wording or
    status (a retired id gets exactly what a typo gets)."""
    sig = ctx.signals
    if sig.param_issue or sig.context_overflow or sig.content_filter or sig.rate_limit:
        return False
    if ctx.status in (404, 410) or generic_not_found(ctx) or sig.retired or sig.wrong_endpoint:
        return True
    said = set(sig.used()) - {"models", "hosts", "gateway", "upstream", "retry_after_s"}
    return (
        ctx.status in (400, 403, None) and not said and ctx.network is None and about_the_model(ctx)
    )


def not_rate_limit_wording(ctx: Context) -> bool:
    """The message does not speak of a rate or request limit."""
    return not ctx.signals.rate_limit


def not_server_failure(ctx: Context) -> bool:
    """The message does not speak of a failure on the server's side."""
    return not ctx.signals.server_failure


def not_an_access_answer(ctx: Context) -> bool:
    """A server-failure word, but the answer is not an auth, billing or model refusal."""
    sig = ctx.signals
    if ctx.status in (401, 402, 403):
        return False
    refused = sig.auth_invalid or sig.auth_missing or sig.budget or sig.model_allowlist
    if refused or sig.context_overflow or sig.content_filter or sig.retired:
        return False
    if sig.param_issue or sig.not_installed or sig.model_missing:
        return False  # a refusal of the request or of the model, whatever its type says
    client = ctx.status is not None and 400 <= ctx.status < 500 and ctx.status != 429
    # A 4xx with a generic server type (Ollama types every error "api_error") is not a
    # server failure unless the message says so.
    return not client or sig.server_failure or sig.overloaded or sig.server_code


def hosted_answer(ctx: Context) -> bool:
    """The answer came from a hosted provider or gateway (not a self-hosted server)."""
    return ctx.answered_by != "local"


_BARE = lazy(r"^\W*(error:?\s*)?(401\s*)?unauthori[sz]ed\W*(\(status code: 401\))?\W*$", re.I)


def bare_unauthorized(ctx: Context) -> bool:
    """The answer says nothing but "Unauthorized", in no typed error envelope (a typed
    ``authentication_error`` comes from a server that read a key and judged it)."""
    if ctx.etype:
        return False
    return _BARE.match(ctx.message.strip()) is not None or not ctx.message.strip()


def self_hosted_or_unknown(ctx: Context) -> bool:
    """A self-hosted server answered, or nothing says who did."""
    return ctx.answered_by in ("local", None) or ctx.provider in LOCAL_SERVERS


def upstream_auth_only(ctx: Context) -> bool:
    """A gateway relayed its upstream's authentication failure: the upstream is named and the
    gateway answered as a proxy (a LiteLLM model group), not as a client library."""
    sig = ctx.signals
    if sig.upstream is None:
        return False
    proxy = ctx.answered_by == "gateway" or ctx.provider in GATEWAYS
    return proxy and not (sig.key_fragment or sig.auth_missing)


# --- billing and limits -----------------------------------------------------------------------


def not_spent_for_good(ctx: Context) -> bool:
    """Not a monthly, total or trial quota (those do not reset soon)."""
    return not quota_spent_for_good(ctx)


def quota_context(ctx: Context) -> bool:
    """The answer is about a quota or limit: a 429, or rate, quota or billing words."""
    sig = ctx.signals
    return ctx.status == 429 or sig.rate_limit or sig.billing or "quota" in ctx.message.lower()


def not_limit_zero(ctx: Context) -> bool:
    """The stated limit is not 0."""
    return ctx.signals.quota_limit != 0


def free_tier(ctx: Context) -> bool:
    """The limit is a free tier's or a trial key's."""
    return ctx.signals.free_tier


def not_a_short_limit(ctx: Context) -> bool:
    """No per-second/minute/hour/day window: not a limit that resets by itself soon."""
    return ctx.signals.quota_window not in ("second", "minute", "hour", "day")


def not_a_long_limit(ctx: Context) -> bool:
    """No monthly or total window."""
    return ctx.signals.quota_window not in ("month", "total")


def limit_worded(ctx: Context) -> bool:
    """The message speaks of a limit, quota or allowance."""
    sig = ctx.signals
    text = ctx.message.lower()
    return sig.rate_limit or sig.billing or sig.quota_limit is not None or "limit" in text


def not_context_or_filter(ctx: Context) -> bool:
    """Not a context overflow or a content filter (those say "limit" and "quota" too)."""
    return not (ctx.signals.context_overflow or ctx.signals.content_filter)


def shutdown_within_90_days(ctx: Context) -> bool:
    """A working model is announced to shut down within 90 days."""
    return _days_left(ctx) is not None


def _days_left(ctx: Context) -> int | None:
    from datetime import date

    known = ctx.known
    if known is None or not known.shutdown or known.shutdown <= ctx.today:
        return None
    try:
        days = (date.fromisoformat(known.shutdown) - date.fromisoformat(ctx.today)).days
    except ValueError:  # a partial date ("2025", from a pasted report's date): no count
        return None
    return days if days <= 90 else None


def adapted_to_max_completion_tokens(ctx: Context) -> bool:
    """The model worked only after max_tokens was replaced by max_completion_tokens."""
    return "max_completion_tokens" in ctx.extra.get("adapted", "")


# --- billing and limits (continued) ------------------------------------------------------------


def not_overloaded(ctx: Context) -> bool:
    """Not a 429 about the server's capacity ("No capacity available for model X on the
    server", "out of capacity"): those name no quota of the caller's, no window, no limit."""
    sig = ctx.signals
    return not sig.overloaded or sig.quota_window is not None or sig.quota_limit is not None


def not_billing_error(ctx: Context) -> bool:
    """The error is not a billing/quota error (those also arrive as 429)."""
    sig = ctx.signals
    if is_billing_error(ctx.error) or sig.budget:
        return False
    return not (sig.billing and sig.quota_window in (None, "month", "total"))


def not_request_too_large(ctx: Context) -> bool:
    """The error is not a single request exceeding the per-minute budget."""
    return not is_request_too_large(ctx.error)


def request_too_large(ctx: Context) -> bool:
    """One request alone exceeds the per-minute token budget."""
    return is_request_too_large(ctx.error)


def quota_spent_for_good(ctx: Context) -> bool:
    """A quota that a retry will not restore: a monthly or total limit, a trial key's."""
    sig = ctx.signals
    return sig.quota_window in ("month", "total") or (sig.free_tier and sig.quota_window is None)


def limit_zero(ctx: Context) -> bool:
    """The limit the error states is 0: the account's tier has no allowance for this at all."""
    return ctx.signals.quota_limit == 0


def short_window(ctx: Context) -> bool:
    """A per-second/minute/hour/day window: it resets by itself."""
    return ctx.signals.quota_window in ("second", "minute", "hour", "day")


def rate_limit_before(ctx: Context) -> bool:
    """An earlier attempt of this request was a 429: the failure came while rate limited."""
    return 429 in ctx.earlier


def fragment_not_providers(ctx: Context) -> bool:
    """The key fragment the error echoes cannot be this provider's key: another provider's
    prefix, or (OpenAI, which shows the first 8 and last 4 characters and a star for each one
    between) a length and prefix no OpenAI key has."""
    sig = ctx.signals
    if sig.key_fragment is None:
        return False
    owner = sig.key_fragment_provider
    family = ctx.provider if ctx.provider != "gemini-openai" else "gemini"
    if owner is not None:
        return owner != family
    fragment = sig.key_fragment
    if family == "openai":
        if not fragment.startswith("sk"):
            return True  # every OpenAI key starts with sk-
        # sk- + 32 characters is DeepSeek's shape (35 in all); no OpenAI key is that short.
        return sig.key_fragment_length == 35
    if family == "xai":
        return not fragment.startswith("xai")
    return False


# --- close matches, computed only for failing models ---


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance (edits, with adjacent transpositions)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _tail(model: str) -> str:
    """The id without prefixes that name a provider or path: ``vllm/gpt-4o-mini`` ->
    ``gpt-4o-mini``, ``models/gemini-2.5-pro`` -> ``gemini-2.5-pro``."""
    return model.rsplit("/", 1)[-1]


def similarity(query: str, candidate: str) -> float:
    """How close ``candidate`` is to ``query`` in 0..1 (separators ignored, typos forgiven; an
    id that differs only by a ``provider/`` or ``models/`` prefix is a near-exact match)."""
    if query != candidate and _tail(query) == _tail(candidate):
        return 0.99
    q, c = _norm(query), _norm(candidate)
    if not q or not c:
        return 0.0
    if q == c:
        return 1.0
    full = 1 - _osa(q, c) / max(len(q), len(c))
    ratio = difflib.SequenceMatcher(None, q, c).ratio()
    prefix = 0.0
    if len(q) >= 3 and len(c) > len(q):
        prefix = 0.9 * (1 - _osa(q, c[: len(q)]) / len(q))
    return max(full, ratio, prefix)


def close_matches(
    query: str, candidates: Iterable[str], limit: int = 3, cutoff: float = 0.6
) -> tuple[str, ...]:
    """The ``limit`` candidates closest to ``query`` (best first), excluding ``query``."""
    scored = sorted(
        ((similarity(query, c), c) for c in set(candidates) if c != query),
        key=lambda item: (-item[0], item[1]),
    )
    return tuple(c for score, c in scored[:limit] if score >= cutoff)


def known_close_matches(query: str, provider: str, today: str = AS_OF) -> tuple[str, ...]:
    """Current well-known ids of ``provider`` close to ``query`` (for "did you mean")."""
    return close_matches(query, current_ids(provider, today), limit=2, cutoff=0.7)
