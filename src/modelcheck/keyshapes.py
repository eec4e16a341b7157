"""Key shapes: which provider issued a key, told from its prefix. The one table that keycheck
(a key sent to the wrong provider), redact (what a mask may show) and explain (a key fragment
echoed in a message) read.

Prefixes come from the secret scanners' detectors (gitleaks rules, trufflehog detectors: S36,
S37 in ../shared/research/providers.md) and the providers' own docs (native-providers.md).
Identity is always the provider *name* (``PROVIDERS`` key), never a display title.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyShape:
    """One recognisable kind of key."""

    provider: str
    """The name of the provider that issues it (a ``PROVIDERS`` key or key family)."""
    prefix: str
    label: str
    """How a message names it, with its article: "an Anthropic API key"."""
    title: str
    """The issuer's display name, for templates: "Anthropic"."""
    kind: str = "api"
    """"api", "admin" (administration endpoints only) or "oauth" (a subscription token)."""
    marker: str | None = None
    """A substring every key of this shape carries, when the prefix alone is shared."""

    def matches(self, key: str) -> bool:
        """True when ``key`` has this shape."""
        return key.startswith(self.prefix) and (self.marker is None or self.marker in key)


# Longest (most specific) prefixes first: the first match wins.
KEY_SHAPES: tuple[KeyShape, ...] = (
    KeyShape("anthropic", "sk-ant-admin01-", "an Anthropic admin key", "Anthropic", "admin"),
    # Claude subscription (Free/Pro/Max, Claude Code) OAuth tokens: native-providers.md 1.1.
    KeyShape("anthropic", "sk-ant-oat", "a Claude subscription OAuth token", "Anthropic", "oauth"),
    KeyShape("anthropic", "sk-ant-api03-", "an Anthropic API key", "Anthropic"),
    KeyShape("anthropic", "sk-ant-", "an Anthropic key", "Anthropic"),
    KeyShape("openrouter", "sk-or-v1-", "an OpenRouter key", "OpenRouter"),
    KeyShape("openai", "sk-admin-", "an OpenAI admin key", "OpenAI", "admin"),
    KeyShape("openai", "sk-svcacct-", "an OpenAI service-account key", "OpenAI"),
    KeyShape("openai", "sk-proj-", "an OpenAI project key", "OpenAI"),
    # Legacy OpenAI keys: sk-<20>T3BlbkFJ<20> ("T3BlbkFJ" is base64 of "OpenAI").
    KeyShape("openai", "sk-", "an OpenAI key", "OpenAI", marker="T3BlbkFJ"),
    KeyShape("groq", "gsk_", "a Groq key", "Groq"),
    KeyShape("xai", "xai-", "an xAI key", "xAI"),
    KeyShape("perplexity", "pplx-", "a Perplexity key", "Perplexity"),
    KeyShape("gemini", "AIza", "a Google API key", "Google Gemini"),
    # Bedrock API keys: short-term "bedrock-api-key-…", long-term "ABSK…" (native-providers 4.1).
    KeyShape("bedrock", "bedrock-api-key-", "an Amazon Bedrock API key", "Amazon Bedrock"),
    # GitHub tokens (GitHub's token formats; sent to GitHub Models, Copilot): no provider here.
    KeyShape("github", "github_pat_", "a GitHub fine-grained personal access token", "GitHub"),
    KeyShape("github", "ghp_", "a GitHub personal access token", "GitHub"),
    KeyShape("github", "gho_", "a GitHub OAuth token", "GitHub", "oauth"),
)

MASK_PREFIXES: tuple[str, ...] = tuple(
    sorted({s.prefix for s in KEY_SHAPES} | {"sk-"}, key=len, reverse=True)
)
"""Prefixes a masked key may show in full (longest first; see redact.mask_key)."""


def shape_of(key: str) -> KeyShape | None:
    """The shape ``key`` has, or None when it is not recognisable."""
    return next((s for s in KEY_SHAPES if s.matches(key)), None)


def shape_of_fragment(fragment: str) -> KeyShape | None:
    """The shape a masked fragment echoed in a message shows (``sk-ant-api03-***AA``).

    Markers cannot be seen in a masked fragment, so only the prefix is compared."""
    return next(
        (
            s
            for s in KEY_SHAPES
            if s.marker is None and fragment.startswith(s.prefix.rstrip("-_") or s.prefix)
        ),
        None,
    )


def article(word: str) -> str:
    """ "a" or "an" before a name, by the sound of its first letter: "an Anthropic", "a Groq",
    and for spelled-out capitals "an xAI", "an LM Studio", "an NVIDIA"."""
    first, second = word[:1], word[1:2]
    spelled = first.lower() in "fhlmnrsx" and second.isupper()
    return "an" if first.lower() in "aeiou" or spelled else "a"
