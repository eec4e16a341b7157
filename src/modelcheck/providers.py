"""Providers as data: endpoints, auth header style, env vars and key prefixes.

Adding a provider is one row in ``PROVIDERS``; the probe reads only these fields.
Sources for each fact are in ../shared/research/providers.md (section 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Provider:
    """How to talk to one provider's OpenAI-style API."""

    name: str
    title: str
    default_base_url: str | None
    """None: the user must give ``--base-url`` (or the base URL env var)."""
    key_envs: tuple[str, ...]
    """Env vars read for the key, first set wins."""
    base_url_env: str | None
    org_env: str | None = None
    project_env: str | None = None
    auth_header: str = "authorization"
    """Header carrying the key: ``authorization`` (Bearer) or e.g. ``api-key``."""
    key_required: bool = True
    """False for local or self-hosted servers that may accept no key."""
    models_path: str = "/models"
    model_path: str = "/models/{model}"
    chat_path: str = "/chat/completions"
    key_prefixes: tuple[str, ...] = ()
    """Prefixes a key of this provider starts with (empty: any)."""
    key_marker: str | None = None
    """A substring every key of this provider contains, if any."""
    knowledge: str | None = None
    """Name of the model-knowledge table that applies ("openai"), if any."""
    hosts: tuple[str, ...] = ()
    """Host names (or fragments) that name this provider in pasted text."""
    probe: bool = True
    """False when `check` cannot speak its API yet (native Anthropic, classic Azure)."""
    key_family: str | None = None
    """Whose key shape this provider's keys have (keyshapes.py), when not its own name."""
    accepts_any_key: bool = False
    """True for gateways and self-hosted servers, where a key of any shape may be right."""
    list_scope: str = "key"
    """What the models list proves (../shared/research/providers.md, section 2):
    "key": authenticated and scoped to the key (a 200 accepts the key; a listed model is one
    it can use; for a local server: one it serves); "account": authenticated, but a listed
    model may still be closed to the key (Gemini lists models its free tier cannot use);
    "catalog": a public catalogue that answers any key; "unknown": nothing says."""
    key_check_path: str | None = None
    """An authenticated request that proves the key valid where the list cannot (OpenRouter:
    ``GET /key``, providers.md section 2, S23)."""
    dialect: str = "openai"
    """The API family it speaks (dialects/)."""
    gateway: bool = False
    """A gateway in front of other providers: one model's failure may be its upstream's."""
    list_optional: str = ""
    """When the list is best effort (some servers no longer answer it): the note the report
    gives when it fails and the models were probed directly, instead of a warning."""

    def auth_headers(self, key: str) -> dict[str, str]:
        """The request headers that carry ``key``."""
        if self.auth_header == "authorization":
            return {"Authorization": f"Bearer {key}"}
        return {self.auth_header: key}


OPENAI = Provider(
    name="openai",
    title="OpenAI",
    default_base_url="https://api.openai.com/v1",
    key_envs=("OPENAI_API_KEY",),
    base_url_env="OPENAI_BASE_URL",
    org_env="OPENAI_ORG_ID",
    project_env="OPENAI_PROJECT_ID",
    # sk-proj-, sk-svcacct-, sk-admin- and legacy sk- keys, all carrying "T3BlbkFJ"
    # (base64 of "OpenAI"): gitleaks rules/openai.go (S36), trufflehog detectors/openai (S37).
    key_prefixes=("sk-",),
    key_marker="T3BlbkFJ",
    knowledge="openai",
    hosts=("api.openai.com", "platform.openai.com"),
)

COMPATIBLE = Provider(
    name="compatible",
    title="OpenAI-compatible server",
    default_base_url=None,
    key_envs=("OPENAI_API_KEY",),
    base_url_env="OPENAI_BASE_URL",
    key_required=False,
    accepts_any_key=True,
    # Any server: its list may or may not be scoped to the key, so it proves no access alone.
    list_scope="unknown",
)


def _compat(name: str, title: str, url: str | None, env: str | None, **kw: Any) -> Provider:
    return Provider(
        name=name,
        title=title,
        default_base_url=url,
        key_envs=(env,) if env else (),
        base_url_env=None,
        **kw,
    )


# Endpoints, env vars, key prefixes and hosts: ../shared/research/providers.md, section 1.
_OTHERS = (
    # Native families (../shared/research/native-providers.md): one dialect module each.
    Provider(
        name="azure",
        title="Azure OpenAI",
        default_base_url=None,
        # AZURE_OPENAI_AD_TOKEN: an Entra ID token, sent as Bearer (native-providers.md 2.3).
        key_envs=("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"),
        base_url_env="AZURE_OPENAI_ENDPOINT",
        auth_header="api-key",
        hosts=("openai.azure.com", "cognitiveservices.azure.com", "services.ai.azure.com"),
        dialect="azure",
        # The deployments of the key's own resource.
        list_scope="key",
        list_optional="This resource does not answer the deployments list (GET "
        "/openai/deployments with api-version 2023-03-15-preview, which not every resource "
        "still serves): each deployment was probed by name instead.",
    ),
    Provider(
        name="anthropic",
        title="Anthropic",
        default_base_url="https://api.anthropic.com/v1",
        # ANTHROPIC_AUTH_TOKEN: a bearer token, as the SDK reads it (native-providers.md 1.1).
        key_envs=("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"),
        base_url_env="ANTHROPIC_BASE_URL",
        auth_header="x-api-key",
        key_prefixes=("sk-ant-",),
        hosts=("api.anthropic.com", "docs.anthropic.com", "platform.claude.com"),
        dialect="anthropic",
        # Whether the list is filtered per key is not documented (native-providers.md 1.2).
        list_scope="account",
    ),
    Provider(
        name="gemini",
        title="Google Gemini",
        default_base_url="https://generativelanguage.googleapis.com/v1beta",
        key_envs=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        base_url_env=None,
        auth_header="x-goog-api-key",
        key_prefixes=("AIza",),
        key_family="gemini",
        knowledge="gemini",
        hosts=("generativelanguage.googleapis.com", "ai.google.dev"),
        dialect="gemini",
        # The list needs a valid key, but shows models a free tier cannot use (limit: 0).
        list_scope="account",
    ),
    Provider(
        name="bedrock",
        title="Amazon Bedrock",
        default_base_url=None,
        # A Bedrock API key, sent as Bearer; without one, SigV4 from the AWS credential chain
        # (the optional extra modelcheck[aws]). native-providers.md 4.1.
        key_envs=("AWS_BEARER_TOKEN_BEDROCK",),
        base_url_env=None,
        key_prefixes=("bedrock-api-key-", "ABSK"),
        key_required=False,
        hosts=("amazonaws.com",),
        dialect="bedrock",
        knowledge="bedrock",
        # The region's catalogue: access is per model (GetFoundationModelAvailability).
        list_scope="account",
    ),
    _compat(
        "gemini-openai",
        "Google Gemini (OpenAI-compatible endpoint)",
        "https://generativelanguage.googleapis.com/v1beta/openai",
        "GEMINI_API_KEY",
        key_prefixes=("AIza",),
        key_family="gemini",
        hosts=("generativelanguage.googleapis.com", "ai.google.dev"),
        knowledge="gemini",
        # The list needs a valid key, but shows models a free tier cannot use (limit: 0).
        list_scope="account",
    ),
    _compat(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        "OPENROUTER_API_KEY",
        key_prefixes=("sk-or-",),
        hosts=("openrouter.ai", "openrouter"),
        # GET /api/v1/models is a public catalogue: it answers any key; GET /api/v1/key is
        # the authenticated check (S23).
        list_scope="catalog",
        key_check_path="/key",
        gateway=True,
    ),
    _compat(
        "groq",
        "Groq",
        "https://api.groq.com/openai/v1",
        "GROQ_API_KEY",
        key_prefixes=("gsk_",),
        hosts=("api.groq.com", "console.groq.com"),
    ),
    _compat(
        "mistral",
        "Mistral",
        "https://api.mistral.ai/v1",
        "MISTRAL_API_KEY",
        hosts=("api.mistral.ai", "codestral.mistral.ai"),
    ),
    _compat(
        "deepseek",
        "DeepSeek",
        "https://api.deepseek.com/v1",
        "DEEPSEEK_API_KEY",
        hosts=("api.deepseek.com",),
    ),
    _compat(
        "together",
        "Together",
        "https://api.together.xyz/v1",
        "TOGETHER_API_KEY",
        hosts=("api.together.xyz", "api.together.ai"),
    ),
    _compat(
        "xai",
        "xAI",
        "https://api.x.ai/v1",
        "XAI_API_KEY",
        key_prefixes=("xai-",),
        hosts=("api.x.ai", "console.x.ai"),
    ),
    _compat(
        "fireworks",
        "Fireworks",
        "https://api.fireworks.ai/inference/v1",
        "FIREWORKS_API_KEY",
        hosts=("api.fireworks.ai",),
    ),
    _compat(
        "perplexity",
        "Perplexity",
        "https://api.perplexity.ai",
        "PERPLEXITY_API_KEY",
        key_prefixes=("pplx-",),
        hosts=("api.perplexity.ai",),
    ),
    _compat(
        "ollama",
        "Ollama",
        "http://localhost:11434/v1",
        "OLLAMA_API_KEY",
        key_required=False,
        accepts_any_key=True,
        hosts=(":11434", "ollama"),
    ),
    _compat(
        "lmstudio",
        "LM Studio",
        "http://localhost:1234/v1",
        None,
        key_required=False,
        accepts_any_key=True,
        hosts=(":1234", "lm studio", "lmstudio"),
    ),
    _compat(
        "vllm",
        "vLLM",
        "http://localhost:8000/v1",
        "VLLM_API_KEY",
        key_required=False,
        accepts_any_key=True,
        hosts=("vllm",),
    ),
    _compat(
        "llamacpp",
        "llama.cpp server",
        "http://localhost:8080/v1",
        "LLAMA_API_KEY",
        key_required=False,
        accepts_any_key=True,
        hosts=("llama.cpp", "llama-server", "llama_cpp"),
    ),
    _compat(
        "litellm",
        "LiteLLM proxy",
        "http://localhost:4000/v1",
        "LITELLM_API_KEY",
        key_required=False,
        accepts_any_key=True,
        gateway=True,
        hosts=(":4000", "litellm"),
    ),
)

PROVIDERS: dict[str, Provider] = {p.name: p for p in (OPENAI, COMPATIBLE, *_OTHERS)}

# Pages per provider (status, keys, billing, errors, rate limits, deprecations), each checked
# against the provider's docs on 2026-12-01 (sources in docs/provider-links.md).
LINKS: dict[str, dict[str, str]] = {
    "openai": {
        "status": "https://status.openai.com",
        "keys": "https://platform.openai.com/settings/organization/api-keys",
        "billing": "https://platform.openai.com/settings/organization/billing/overview",
        "errors": "https://developers.openai.com/docs/guides/error-codes",
        "rate_limits": "https://developers.openai.com/api/docs/guides/rate-limits",
        "deprecations": "https://developers.openai.com/api/docs/deprecations",
    },
    "anthropic": {
        "status": "https://status.claude.com",
        "keys": "https://platform.claude.com/settings/keys",
        "billing": "https://platform.claude.com/settings/billing",
        "errors": "https://docs.claude.com/en/api/errors",
        "rate_limits": "https://platform.claude.com/docs/en/api/rate-limits",
        "deprecations": "https://platform.claude.com/docs/en/about-claude/model-deprecations",
    },
    "gemini": {
        "status": "https://aistudio.google.com/status",
        "keys": "https://aistudio.google.com/app/apikey",
        "billing": "https://ai.google.dev/gemini-api/docs/billing",
        "errors": "https://ai.google.dev/gemini-api/docs/troubleshooting",
        "rate_limits": "https://ai.google.dev/gemini-api/docs/rate-limits",
        "deprecations": "https://ai.google.dev/gemini-api/docs/deprecations",
    },
    "vertex": {
        "status": "https://status.cloud.google.com",
        "errors": "https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/api-errors",
        "rate_limits": "https://cloud.google.com/vertex-ai/generative-ai/docs/quotas",
        "deprecations": "https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions",
    },
    "azure": {
        "status": "https://azure.status.microsoft/en-us/status",
        # A resource's keys and endpoint are on its own portal page (Resource Management).
        "keys": "https://portal.azure.com",
        "billing": "https://portal.azure.com/#view/Microsoft_Azure_CostManagement/Menu/~/overview",
        "errors": "https://learn.microsoft.com/en-us/azure/ai-foundry/openai/reference",
        "rate_limits": "https://learn.microsoft.com/en-us/azure/foundry/foundry-models/quotas-limits",
        "deprecations": "https://learn.microsoft.com/en-us/azure/ai-foundry/openai/concepts/model-retirements",
    },
    "bedrock": {
        "status": "https://health.aws.amazon.com",
        "keys": "https://console.aws.amazon.com/bedrock",
        "billing": "https://console.aws.amazon.com/billing/home",
        "errors": "https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html",
        "rate_limits": "https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html",
        "deprecations": "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html",
    },
    "openrouter": {
        "status": "https://status.openrouter.ai",
        "keys": "https://openrouter.ai/keys",
        "billing": "https://openrouter.ai/credits",
        "errors": "https://openrouter.ai/docs/api/reference/errors-and-debugging",
        "rate_limits": "https://openrouter.ai/docs/api-reference/limits",
    },
    "groq": {
        "status": "https://groqstatus.com",
        "keys": "https://console.groq.com/keys",
        "errors": "https://console.groq.com/docs/errors",
        "rate_limits": "https://console.groq.com/docs/rate-limits",
        "deprecations": "https://console.groq.com/docs/deprecations",
    },
    "mistral": {
        "status": "https://status.mistral.ai",
        "keys": "https://console.mistral.ai/api-keys",
        "billing": "https://admin.mistral.ai/organization/billing",
        "errors": "https://docs.mistral.ai/resources/error-glossary",
        "rate_limits": "https://docs.mistral.ai/deployment/ai-studio/tier",
        "deprecations": "https://docs.mistral.ai/docs/getting-started/models/overview",
    },
    "deepseek": {
        "status": "https://status.deepseek.com",
        "keys": "https://platform.deepseek.com/api_keys",
        "billing": "https://platform.deepseek.com/top_up",
        "errors": "https://api-docs.deepseek.com/quick_start/error_codes",
        "rate_limits": "https://api-docs.deepseek.com/quick_start/rate_limit",
    },
    "together": {
        "keys": "https://api.together.xyz/settings/api-keys",
        "errors": "https://docs.together.ai/docs/error-codes",
        "rate_limits": "https://docs.together.ai/docs/rate-limits",
    },
    "xai": {
        "status": "https://status.x.ai",
        "billing": "https://docs.x.ai/docs/key-information/billing",
        "errors": "https://docs.x.ai/docs/key-information/debugging",
        "rate_limits": "https://docs.x.ai/developers/rate-limits",
    },
    "fireworks": {
        "keys": "https://app.fireworks.ai/settings/users/api-keys",
        "billing": "https://fireworks.ai/billing",
        "errors": "https://docs.fireworks.ai/guides/inference-error-codes",
        "rate_limits": "https://docs.fireworks.ai/serverless/rate-limits",
    },
    "perplexity": {
        "errors": "https://docs.perplexity.ai/guides/perplexity-sdk-error-handling",
        "rate_limits": "https://docs.perplexity.ai/docs/admin/rate-limits-usage-tiers",
    },
    "cohere": {
        "status": "https://status.cohere.com",
        "keys": "https://dashboard.cohere.com/api-keys",
        "billing": "https://dashboard.cohere.com/billing",
        "errors": "https://docs.cohere.com/reference/errors",
        "rate_limits": "https://docs.cohere.com/docs/rate-limits",
        "deprecations": "https://docs.cohere.com/docs/deprecations",
    },
    "cerebras": {
        "keys": "https://cloud.cerebras.ai",
        "errors": "https://inference-docs.cerebras.ai/support/error",
        "rate_limits": "https://inference-docs.cerebras.ai/support/rate-limits",
    },
}


TITLES: dict[str, str] = {
    **{name: p.title for name, p in PROVIDERS.items()},
    "gemini": "Google Gemini",
    "vertex": "Google Vertex AI",
    "bedrock": "Amazon Bedrock",
    "cohere": "Cohere",
    "cerebras": "Cerebras",
}
"""Display names, also for providers that `explain` recognises but `check` does not probe."""


def links(provider: str | None) -> dict[str, str]:
    """The provider's pages (status, keys, billing, errors, rate_limits, deprecations)."""
    name = "gemini" if provider == "gemini-openai" else provider
    return LINKS.get(name or "", {})


GATEWAY_HEADERS = (
    ("x-litellm-", "litellm"),
    ("cf-aig-", "cloudflare"),
    ("x-portkey-", "portkey"),
    ("helicone-", "helicone"),
    ("x-kong-", "kong"),
    ("x-oneapi-request-id", "oneapi"),
)
"""Response headers only a gateway sets (name prefix -> gateway). Not cf-ray: Cloudflare
fronts providers' own APIs too."""
