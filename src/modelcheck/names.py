"""Names the command line offers as choices: plain tuples, cheap to import.

`--help` and `--version` import this instead of the modules that hold the data behind the
names (providers.py, config.py); tests check that both agree.
"""

PROVIDER_NAMES = (
    "openai",
    "compatible",
    "azure",
    "anthropic",
    "gemini",
    "openrouter",
    "groq",
    "mistral",
    "deepseek",
    "together",
    "xai",
    "fireworks",
    "perplexity",
    "ollama",
    "lmstudio",
    "vllm",
    "llamacpp",
    "litellm",
)
PROBE_PROVIDER_NAMES = tuple(n for n in PROVIDER_NAMES if n not in ("azure", "anthropic"))
"""Providers whose API `check` can probe (OpenAI-style endpoints and Bearer auth)."""
FORMAT_CHOICES = ("auto", "table", "json", "markdown", "github", "junit")
FAIL_ON_CHOICES = ("inconclusive", "problem", "never")
COLOR_CHOICES = ("auto", "always", "never")
MODE_CHOICES = (
    "chat",
    "responses",
    "completions",
    "embeddings",
    "moderations",
    "audio.speech",
    "audio.transcriptions",
    "images",
    "realtime",
    "video",
)
"""API modes (dialects/base.py MODES; a test checks both agree)."""
