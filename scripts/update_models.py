"""Regenerate src/modelcheck/data/models.json from LiteLLM's model map.

LiteLLM (MIT licence) maintains ``model_prices_and_context_window.json``: about 4,000 model ids
with the API ``mode`` each is served on and, for about 850, a ``deprecation_date``. modelcheck
keeps only those two facts per (provider, id), in a dated file with the source named; what no
source has (payment and tier gates, replacements) is curated in diagnosis/knowledge.py.

    python scripts/update_models.py PATH_OR_URL [--version LITELLM_VERSION]

PATH_OR_URL: a local copy (e.g. site-packages/litellm/model_prices_and_context_window_backup.json
of an installed litellm) or the raw file's URL on GitHub (BerriAI/litellm, main branch).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import urllib.request
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "modelcheck" / "data" / "models.json"

# LiteLLM's provider names -> modelcheck's (providers.py); others keep LiteLLM's name.
PROVIDERS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "azure": "azure",
    "azure_text": "azure",
    "anthropic": "anthropic",
    "gemini": "gemini",
    "vertex_ai": "vertex",
    "vertex_ai-language-models": "vertex",
    "vertex_ai-anthropic_models": "vertex",
    "vertex_ai-chat-models": "vertex",
    "vertex_ai-text-models": "vertex",
    "vertex_ai-embedding-models": "vertex",
    "bedrock": "bedrock",
    "bedrock_converse": "bedrock",
    "groq": "groq",
    "mistral": "mistral",
    "codestral": "mistral",
    "deepseek": "deepseek",
    "together_ai": "together",
    "xai": "xai",
    "fireworks_ai": "fireworks",
    "perplexity": "perplexity",
    "openrouter": "openrouter",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "cerebras": "cerebras",
    "ollama": "ollama",
    "ollama_chat": "ollama",
}
# LiteLLM's modes -> the modes modelcheck probes (dialects, issue "Probes ... each model's
# endpoint"); a mode with no probe of its own is kept as LiteLLM names it.
MODES = {
    "chat": "chat",
    "responses": "responses",
    "completion": "completions",
    "embedding": "embeddings",
    "moderation": "moderations",
    "audio_speech": "audio.speech",
    "audio_transcription": "audio.transcriptions",
    "image_generation": "images",
    "image_edit": "images",
    "realtime": "realtime",
    "video_generation": "video",
}


def read(source: str) -> dict[str, object]:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as answer:
            data = json.load(answer)
    else:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def convert(raw: dict[str, object]) -> dict[str, dict[str, list[str | None]]]:
    out: dict[str, dict[str, list[str | None]]] = {}
    for key, entry in sorted(raw.items()):
        if not isinstance(entry, dict) or key == "sample_spec":
            continue
        litellm_provider = str(entry.get("litellm_provider", ""))
        provider = PROVIDERS.get(litellm_provider, litellm_provider) or "unknown"
        model = key
        for prefix in {litellm_provider, provider, litellm_provider.split("_")[0]}:
            if prefix and model.startswith(prefix + "/"):
                model = model[len(prefix) + 1 :]
        mode = entry.get("mode")
        mode = MODES.get(str(mode), str(mode)) if isinstance(mode, str) else None
        date = entry.get("deprecation_date")
        date = date if isinstance(date, str) and len(date) == 10 else None
        out.setdefault(provider, {})[model] = [mode, date]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source")
    parser.add_argument("--version", default="unknown", help="the litellm version it came from")
    args = parser.parse_args()
    models = convert(read(args.source))
    document = {
        "source": "LiteLLM model_prices_and_context_window.json (MIT licence), "
        "https://github.com/BerriAI/litellm",
        "source_version": args.version,
        "generated": datetime.date.today().isoformat(),
        "fields": ["mode", "deprecation_date"],
        "models": models,
    }
    OUT.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n")
    count = sum(len(v) for v in models.values())
    dated = sum(1 for v in models.values() for m in v.values() if m[1])
    print(f"wrote {OUT}: {count} models from {len(models)} providers, {dated} with a date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
