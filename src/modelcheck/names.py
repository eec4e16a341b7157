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
    "bedrock",
    "gemini-openai",
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
PROBE_PROVIDER_NAMES = PROVIDER_NAMES
"""Providers `check` can probe: all of them (each speaks a dialect in dialects/)."""
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
