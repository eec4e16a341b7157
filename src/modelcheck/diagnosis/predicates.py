"""The context a rule sees, and small named predicates over it. Pure: no I/O."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from modelcheck.diagnosis.knowledge import AS_OF, WELL_KNOWN_IDS, KnownModel, is_retired
from modelcheck.errorbody import is_billing_error, is_request_too_large
from modelcheck.evidence import ErrorInfo
from modelcheck.keycheck import KeyFacts


@dataclass(frozen=True)
class Context:
    """One failing probe (or, at the "key" stage, none) with what is known around it."""

    provider: str
    key: KeyFacts
    base_url: str = ""
    default_base_url: str | None = None
    knowledge: str | None = None
    provider_title: str = ""
    key_env: str = ""
    """The provider's key variable (e.g. GROQ_API_KEY), or "" when it reads none."""
    key_required: bool = True
    """False for servers that may accept no key (local servers, self-hosted gateways)."""
    gateway: bool = False
    """The provider is a gateway in front of others (LiteLLM, OpenRouter)."""
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
    model: str | None = None
    listed: bool | None = None
    listed_count: int | None = None
    known: KnownModel | None = None
    organization: str | None = None
    project: str | None = None
    close: tuple[str, ...] = ()
    known_close: tuple[str, ...] = ()
    today: str = AS_OF
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
        values = {
            "model": self.model or "the model",
            "status": str(self.status) if self.status is not None else "no answer",
            "code": self.code or "none",
            "type": self.etype or "none",
            "param": (self.error.param if self.error else None) or "none",
            "message": _short(self.message) or "(empty)",
            "endpoint": self.endpoint or "",
            "listed_count": str(self.listed_count) if self.listed_count is not None else "?",
            "close": ", ".join(self.close) or "none",
            "known_close": ", ".join(self.known_close) or "none",
            "retry_after": _seconds(self.retry_after),
            "attempts": str(self.attempts),
            "network_detail": self.network_detail,
            "location": self.location or "?",
            "excerpt": _short(self.body_excerpt, 80) or "(empty)",
            "key_source": self.key.source,
            "masked_key": self.key.masked or "none",
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
            "replacement": (known.replacement or "a newer model") if known else "a newer model",
            "known_endpoint": known.endpoint if known else "",
            "endpoint_hint": (
                f" {self.model} is served by the {known.endpoint} API."
                if known and known.endpoint not in ("chat", "") and self.model
                else ""
            ),
        }
        values.update(self.extra)
        return values


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


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _seconds(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value >= 120:
        return f"{value / 60:.0f} min"
    return f"{value:.0f} s" if value >= 1 else f"{value * 1000:.0f} ms"


# --- predicates (named so that `modelcheck rules` and --verbose can show them) ---


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


_GATEWAY_MARKERS = re.compile(
    r"\blitellm\.|\bmodel group '|\bLiteLLM\b|\b[A-Za-z]+Exception - |\bupstream\b", re.I
)


def gateway_wrapped(ctx: Context) -> bool:
    """The answer is a gateway's wrapping of its upstream's error (LiteLLM: "litellm.
    AuthenticationError: ... OpenAIException - ... model group 'x' failed")."""
    return _GATEWAY_MARKERS.search(ctx.message) is not None


def not_server_status(ctx: Context) -> bool:
    """The status is not a 5xx (a 5xx page is the server failing, not a wrong address)."""
    return ctx.status is None or ctx.status < 500


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


def openai_knowledge(ctx: Context) -> bool:
    """The provider's public model catalogue is known (OpenAI)."""
    return ctx.knowledge == "openai"


def model_unlisted(ctx: Context) -> bool:
    """The key's model list was read and lacks the model."""
    return ctx.listed is False


def model_not_listed(ctx: Context) -> bool:
    """The key's model list lacks the model, or could not be read."""
    return ctx.listed is not True


NOT_FOUND_CODES = frozenset({"model_not_found", "unknown_model", "invalid_model", "notfounderror"})
"""Error codes meaning "no such model (for you)" across providers."""
_NOT_FOUND_TEXT = re.compile(r"does not exist|not found|do(es)? not have access", re.I)


def generic_not_found(ctx: Context) -> bool:
    """The answer is the generic "model not found / no access" one, nothing more specific."""
    if ctx.body_kind == "html":
        return False  # a web page's "404 Not Found" says nothing about the model
    return ctx.code in NOT_FOUND_CODES or (
        not ctx.code and _NOT_FOUND_TEXT.search(ctx.message) is not None
    )


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
    """The model id is not a well-known model of this provider (or none is known)."""
    return ctx.known is None


def retired_model(ctx: Context) -> bool:
    """The model is past its announced shutdown date."""
    return is_retired(ctx.known, ctx.today)


def gate_payment_or_open(ctx: Context) -> bool:
    """The model needs a paid account (or no particular gate is known)."""
    return ctx.known is not None and ctx.known.gate in ("payment", None)


def gate_tier(ctx: Context) -> bool:
    """The model is open only to higher usage tiers."""
    return ctx.known is not None and ctx.known.gate == "tier"


def gate_verification(ctx: Context) -> bool:
    """The model needs a verified organization."""
    return ctx.known is not None and ctx.known.gate == "verification"


def not_chat_model(ctx: Context) -> bool:
    """The model is known to be served on another endpoint than chat completions."""
    return ctx.known is not None and ctx.known.endpoint != "chat" and ctx.endpoint == "chat"


def has_close_matches(ctx: Context) -> bool:
    """The key's own list has ids close to the requested one."""
    return bool(ctx.close)


def base_url_lacks_v1(ctx: Context) -> bool:
    """The base URL path does not end in a version segment such as /v1."""
    path = re.sub(r"^[a-z]+://[^/]+", "", ctx.base_url)
    return re.search(r"/v\d+(beta\d*|alpha\d*)?(/openai)?$", path) is None


def base_url_has_endpoint(ctx: Context) -> bool:
    """The base URL already ends in an endpoint path (e.g. /chat/completions)."""
    return re.search(r"/(chat/completions|completions|models|responses)$", ctx.base_url) is not None


def not_billing_error(ctx: Context) -> bool:
    """The error is not a billing/quota error (those also arrive as 429)."""
    return not is_billing_error(ctx.error)


def not_request_too_large(ctx: Context) -> bool:
    """The error is not a single request exceeding the per-minute budget."""
    return not is_request_too_large(ctx.error)


def request_too_large(ctx: Context) -> bool:
    """One request alone exceeds the per-minute token budget."""
    return is_request_too_large(ctx.error)


def is_models_list(ctx: Context) -> bool:
    """The failing probe is the models list."""
    return ctx.endpoint == "models.list"


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


def similarity(query: str, candidate: str) -> float:
    """How close ``candidate`` is to ``query`` in 0..1 (separators ignored, typos forgiven)."""
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


def known_close_matches(query: str) -> tuple[str, ...]:
    """Well-known model ids close to ``query`` (for "did you mean" on typos)."""
    return close_matches(query, WELL_KNOWN_IDS, limit=2, cutoff=0.7)
