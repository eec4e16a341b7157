"""Providers as data: endpoints, auth header style, env vars and key prefixes.

Adding a provider is one row in ``PROVIDERS``; the probe reads only these fields.
Sources for each fact are in ../shared/research/providers.md (section 1).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    billing_url: str | None = None
    keys_url: str | None = None

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
    billing_url="https://platform.openai.com/settings/organization/billing/overview",
    keys_url="https://platform.openai.com/api-keys",
)

COMPATIBLE = Provider(
    name="compatible",
    title="OpenAI-compatible server",
    default_base_url=None,
    key_envs=("OPENAI_API_KEY",),
    base_url_env="OPENAI_BASE_URL",
    org_env=None,
    project_env=None,
    key_required=False,
)

PROVIDERS: dict[str, Provider] = {p.name: p for p in (OPENAI, COMPATIBLE)}

# Key prefixes of other providers, longest first, so that a key sent to the wrong
# provider can be named. Sources: gitleaks and trufflehog detectors (S36, S37).
FOREIGN_KEY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("sk-ant-admin01-", "Anthropic (admin key)"),
    ("sk-ant-api03-", "Anthropic"),
    ("sk-ant-", "Anthropic"),
    ("sk-or-v1-", "OpenRouter"),
    ("gsk_", "Groq"),
    ("xai-", "xAI"),
    ("pplx-", "Perplexity"),
    ("AIza", "Google Gemini"),
)

# Prefixes shown unmasked in a masked key, longest first (see redact.py).
KNOWN_KEY_PREFIXES: tuple[str, ...] = (
    "sk-ant-admin01-",
    "sk-ant-api03-",
    "sk-svcacct-",
    "sk-or-v1-",
    "sk-admin-",
    "sk-proj-",
    "sk-ant-",
    "pplx-",
    "gsk_",
    "xai-",
    "AIza",
    "sk-",
)
