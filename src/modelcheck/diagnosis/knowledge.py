"""What is publicly known about model ids: the API mode each is served on, which were retired
(and when, and what replaces them), which are gated.

Two layers:
- generated: ``modelcheck/data/models.json``, made by scripts/update_models.py from LiteLLM's
  model map (MIT; mode and deprecation date for about 4,000 ids). Never edited by hand.
- curated: what no maintained source has. OpenAI's payment, tier and verification gates
  ([GA], [TIERS], [O-SERIES], below); and in ``data/curated.json`` (curated_retired.py), ids
  retired long enough ago that the generated map dropped them, replacements, and the map's
  dates that a provider's own page contradicts, each row with its source.

Loaded on first use (about 2 ms), never by ``--help`` or ``--version``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from modelcheck.data import read as data_file
from modelcheck.diagnosis.curated_retired import curated

AS_OF = "2026-12-01"
"""The date the curated layer was last reviewed."""

# Sources of the curated OpenAI rows:
# - [GA] openai.com/blog/gpt-4-api-general-availability (2023-07-06): GPT-4 API access for
#   "all existing API developers with a history of successful payments".
# - [TIERS] OpenAI rate-limits guide: usage tiers (Tier 1 = $5 paid, ...).
# - [O-SERIES] help.openai.com/en/articles/10362446: o1 family tiers 1-5; o3/o3-pro tiers 4-5
#   or organization verification; o4-mini subject to organization verification.


@dataclass(frozen=True)
class KnownModel:
    """What is publicly known about a model id."""

    provider: str
    family: str
    mode: str | None
    """The API it is served on: chat, responses, completions, embeddings, moderations,
    audio.speech, audio.transcriptions, images, realtime, video (None: not known)."""
    gate: str | None = None
    """"payment" (needs a paid account), "tier" (higher usage tiers), "verification"."""
    shutdown: str | None = None
    """ISO date from which requests fail (retired), if announced."""
    replacement: str | None = None
    source: str = ""
    retired: bool = False
    """Retired, with no shutdown date published."""
    deprecated: str | None = None
    """When the retirement was announced, if known."""
    gate_before: tuple[str, str] | None = None
    """(date, gate): before that date the gate was another (GPT-4: a waitlist until GA)."""

    @property
    def endpoint(self) -> str:
        """The mode, or "chat" when unknown (what the rules' templates say)."""
        return self.mode or "chat"


@dataclass(frozen=True)
class _Family:
    pattern: re.Pattern[str]
    family: str
    mode: str
    gate: str | None = None
    source: str = ""
    gate_before: tuple[str, str] | None = None


def _f(
    pattern: str,
    family: str,
    mode: str,
    gate: str | None = None,
    source: str = "",
    gate_before: tuple[str, str] | None = None,
) -> _Family:
    return _Family(re.compile(pattern + r"\Z"), family, mode, gate, source, gate_before)


# OpenAI families: the gates are curated (no source has them); modes and dates come from the
# generated map when it knows the exact id.
OPENAI_FAMILIES = (
    _f(r"gpt-3\.5-turbo-instruct(-\d+)?", "gpt-3.5-turbo-instruct", "completions"),
    _f(r"gpt-3\.5-turbo(-16k)?(-\d{4})?", "gpt-3.5-turbo", "chat"),
    _f(
        r"gpt-4(-\d{4}|-turbo(-preview|-\d{4}-\d{2}-\d{2})?|-\d{4}-preview|-preview)?",
        "gpt-4",
        "chat",
        "payment",
        "GA, TIERS",
        ("2023-07-06", "tier"),  # [GA]: a waitlist until general availability
    ),
    _f(
        r"(gpt-4o|gpt-4\.1|chatgpt-4o)(-mini|-nano|-latest)?(-\d{4}-\d{2}-\d{2})?",
        "gpt-4o / gpt-4.1",
        "chat",
        "payment",
        "TIERS",
    ),
    _f(r"o1-pro(-\d{4}-\d{2}-\d{2})?", "o1-pro", "responses", "payment", "O-SERIES"),
    _f(r"o1(-mini|-preview)?(-\d{4}-\d{2}-\d{2})?", "o1", "chat", "payment", "O-SERIES"),
    _f(r"o3-pro(-\d{4}-\d{2}-\d{2})?", "o3-pro", "responses", "tier", "O-SERIES"),
    _f(r"o3(-\d{4}-\d{2}-\d{2})?", "o3", "chat", "tier", "O-SERIES"),
    _f(r"o3-mini(-\d{4}-\d{2}-\d{2})?", "o3-mini", "chat", "payment"),
    _f(r"o4-mini(-\d{4}-\d{2}-\d{2})?", "o4-mini", "chat", "verification", "O-SERIES"),
    _f(r"(gpt-5(\.\d)?-pro|codex-mini-latest)(-\d{4}-\d{2}-\d{2})?", "pro/codex", "responses"),
    _f(
        r"gpt-[56](\.\d)?(-mini|-nano|-chat-latest|-codex|-sol|-terra|-luna)?"
        r"(-\d{4}-\d{2}-\d{2})?",
        "gpt-5",
        "chat",
        "payment",
        "TIERS",
    ),
    _f(r"(davinci|babbage)-002", "gpt-3 base", "completions"),
    _f(r"text-embedding-(ada-002|3-small|3-large)", "embeddings", "embeddings"),
    _f(r"(whisper-1|gpt-4o(-mini)?-transcribe)", "audio", "audio.transcriptions"),
    _f(r"(tts-1(-hd)?(-\d+)?|gpt-4o(-mini)?-tts)", "audio", "audio.speech"),
    _f(r"(dall-e-[23]|gpt-image-1(\.5)?(-mini)?)", "images", "images"),
    _f(
        r"(omni|text)-moderation-(latest|stable|\d{4}-\d{2}-\d{2}|\d+)", "moderation", "moderations"
    ),
)

WELL_KNOWN_IDS: dict[str, tuple[str, ...]] = {
    "openai": (
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "o3",
        "o4-mini",
    ),
}
"""Ids offered as "did you mean" when a typo is close to a real model the key cannot list
(beside the generated map's current chat ids of the provider)."""


@lru_cache(maxsize=1)
def _generated() -> dict[str, dict[str, list[str | None]]]:
    text = data_file("models.json")
    data = json.loads(text)
    models: dict[str, dict[str, list[str | None]]] = data["models"]
    return models


@lru_cache(maxsize=1)
def generated_source() -> str:
    """Where the generated layer comes from, for reports and docs."""
    text = data_file("models.json")
    data = json.loads(text)
    return f"{data['source']}, litellm {data['source_version']}, generated {data['generated']}"


def canonical(model: str, provider: str) -> str:
    """``model`` without a ``models/`` prefix (Gemini) or the provider's own ``name/`` prefix."""
    if model.startswith("models/"):
        model = model[len("models/") :]
    if model.startswith(provider + "/"):
        model = model[len(provider) + 1 :]
    return model


def lookup(model: str, provider: str = "openai") -> KnownModel | None:
    """The public facts about ``model`` at ``provider``, or None when nothing is known."""
    return _lookup(model, provider)


@lru_cache(maxsize=4096)
def _lookup(model: str, provider: str) -> KnownModel | None:
    name = canonical(model, provider)
    curated_row = curated().get(provider, {}).get(name)
    family = (
        next((f for f in OPENAI_FAMILIES if f.pattern.match(name)), None)
        if provider in ("openai", "azure")
        else None
    )
    generated = _generated().get(provider, {}).get(name)
    if curated_row is None and family is None and generated is None:
        stable = re.fullmatch(r"(.+)-\d{3}", name) if provider == "gemini" else None
        if stable is not None:
            # Google's stable versions (gemini-1.0-pro-001) are retired no later than the
            # model they version: the base model's retirement applies (a conservative date).
            base = _lookup(stable.group(1), provider)
            if base is not None and (base.shutdown or base.retired):
                return replace(base, family=name)
        return None
    known = KnownModel(
        provider=provider,
        family=family.family if family else name,
        mode=(family.mode if family else None) or (generated[0] if generated else None),
        gate=family.gate if family else None,
        source=family.source if family else "",
        gate_before=family.gate_before if family else None,
    )
    if generated is not None:
        if generated[0] and not family:
            known = replace(known, mode=generated[0])
        if generated[1]:
            known = replace(known, shutdown=generated[1], source=known.source or "LiteLLM map")
    if curated_row is not None:
        known = replace(
            known,
            shutdown=None if curated_row.active else (curated_row.shutdown or known.shutdown),
            replacement=curated_row.replacement or known.replacement,
            mode=known.mode or curated_row.mode,
            source=curated_row.source,
            retired=curated_row.retired,
            deprecated=curated_row.deprecated,
        )
    return known


def is_retired(known: KnownModel | None, today: str = AS_OF) -> bool:
    """True when ``known`` was retired: a shutdown date on or before ``today``, or retired with
    no date published."""
    if known is None:
        return False
    # Retired with no date: known so since the curated layer's review (AS_OF).
    return (known.retired and today >= AS_OF) or (
        known.shutdown is not None and known.shutdown <= today
    )


def gate_on(known: KnownModel, today: str) -> str | None:
    """The model's gate as of ``today`` (a dated gate changes on its date)."""
    if known.gate_before is not None and today < known.gate_before[0]:
        return known.gate_before[1]
    return known.gate


def announced(known: KnownModel | None, today: str) -> bool:
    """The model's retirement was announced by ``today`` (it may still answer until then)."""
    return known is not None and known.deprecated is not None and known.deprecated <= today


def current_ids(provider: str, today: str = AS_OF, mode: str | None = "chat") -> tuple[str, ...]:
    """The provider's ids the generated map knows and that are not retired by ``today``."""
    ids = [
        m
        for m, (m_mode, date) in _generated().get(provider, {}).items()
        if (mode is None or m_mode == mode) and not (date and date <= today)
    ]
    return tuple(sorted(ids)) + WELL_KNOWN_IDS.get(provider, ())
