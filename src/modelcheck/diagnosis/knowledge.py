"""Well-known OpenAI model families: which exist, which are gated, which were retired.

Data, dated, easy to update: edit the rows below and bump AS_OF. Sources:
- [GA] openai.com/blog/gpt-4-api-general-availability (2023-07-06): GPT-4 API access for
  "all existing API developers with a history of successful payments".
- [TIERS] OpenAI rate-limits guide: usage tiers (Tier 1 = $5 paid, ...).
- [O-SERIES] help.openai.com/en/articles/10362446: o1 family tiers 1-5; o3/o3-pro tiers 4-5
  or organization verification; o4-mini subject to organization verification.
- [DEPR] OpenAI deprecations page, copy in openai/openai-cookbook
  examples/data/oai_docs/deprecations.txt @ d2bb606c (shutdown dates and replacements).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AS_OF = "2026-11-25"


@dataclass(frozen=True)
class KnownModel:
    """What is publicly known about a model id."""

    family: str
    endpoint: str
    """Where it is served: chat, responses, completions, embeddings, audio, images, moderation."""
    gate: str | None = None
    """"payment" (needs a paid account), "tier" (higher usage tiers), "verification"."""
    shutdown: str | None = None
    """ISO date after which requests fail (retired), if announced."""
    replacement: str | None = None
    source: str = ""


@dataclass(frozen=True)
class _Row:
    pattern: str
    model: KnownModel


def _retired(date: str, replacement: str, family: str, endpoint: str = "chat") -> KnownModel:
    return KnownModel(family, endpoint, None, date, replacement, "DEPR")


# Exact retired ids [DEPR]; looked up before the family patterns.
RETIRED: dict[str, KnownModel] = {
    **{
        m: _retired("2025-06-06", "gpt-4o", "gpt-4-32k")
        for m in ("gpt-4-32k", "gpt-4-32k-0613", "gpt-4-32k-0314")
    },
    **{
        m: _retired("2024-12-06", "gpt-4o", "gpt-4-vision")
        for m in ("gpt-4-vision-preview", "gpt-4-1106-vision-preview")
    },
    **{
        m: _retired("2024-09-13", "gpt-3.5-turbo", "gpt-3.5-turbo")
        for m in ("gpt-3.5-turbo-0613", "gpt-3.5-turbo-16k-0613", "gpt-3.5-turbo-0301")
    },
    **{
        m: _retired("2024-01-04", "gpt-3.5-turbo-instruct", "instructgpt", "completions")
        for m in (
            "text-ada-001",
            "text-babbage-001",
            "text-curie-001",
            "text-davinci-001",
            "text-davinci-002",
            "text-davinci-003",
        )
    },
    **{
        m: _retired("2024-01-04", r, "gpt-3 base", "completions")
        for m, r in (
            ("ada", "babbage-002"),
            ("babbage", "babbage-002"),
            ("curie", "davinci-002"),
            ("davinci", "davinci-002"),
        )
    },
    **{
        m: _retired("2024-01-04", "gpt-4o", "edits", "completions")
        for m in ("text-davinci-edit-001", "code-davinci-edit-001")
    },
    **{
        m: _retired("2023-03-23", "gpt-4o", "codex", "completions")
        for m in ("code-davinci-002", "code-davinci-001", "code-cushman-002", "code-cushman-001")
    },
}

_ROWS = (
    _Row(r"gpt-3\.5-turbo-instruct(-\d+)?", KnownModel("gpt-3.5-turbo-instruct", "completions")),
    _Row(r"gpt-3\.5-turbo(-16k)?(-\d{4})?", KnownModel("gpt-3.5-turbo", "chat")),
    _Row(
        r"gpt-4(-\d{4}|-turbo(-preview|-\d{4}-\d{2}-\d{2})?|-\d{4}-preview)?",
        KnownModel("gpt-4", "chat", gate="payment", source="GA, TIERS"),
    ),
    _Row(
        r"(gpt-4o|gpt-4\.1|chatgpt-4o)(-mini|-nano|-latest)?(-\d{4}-\d{2}-\d{2})?",
        KnownModel("gpt-4o / gpt-4.1", "chat", gate="payment", source="TIERS"),
    ),
    _Row(
        r"o1-pro(-\d{4}-\d{2}-\d{2})?",
        KnownModel("o1-pro", "responses", gate="payment", source="O-SERIES"),
    ),
    _Row(
        r"o1(-mini|-preview)?(-\d{4}-\d{2}-\d{2})?",
        KnownModel("o1", "chat", gate="payment", source="O-SERIES"),
    ),
    _Row(
        r"o3-pro(-\d{4}-\d{2}-\d{2})?",
        KnownModel("o3-pro", "responses", gate="tier", source="O-SERIES"),
    ),
    _Row(r"o3(-\d{4}-\d{2}-\d{2})?", KnownModel("o3", "chat", gate="tier", source="O-SERIES")),
    _Row(r"o3-mini(-\d{4}-\d{2}-\d{2})?", KnownModel("o3-mini", "chat", gate="payment")),
    _Row(
        r"o4-mini(-\d{4}-\d{2}-\d{2})?",
        KnownModel("o4-mini", "chat", gate="verification", source="O-SERIES"),
    ),
    _Row(
        r"(gpt-5(\.\d)?-pro|codex-mini-latest)(-\d{4}-\d{2}-\d{2})?",
        KnownModel("pro/codex", "responses"),
    ),
    _Row(
        r"gpt-5(\.\d)?(-mini|-nano|-chat-latest|-codex)?(-\d{4}-\d{2}-\d{2})?",
        KnownModel("gpt-5", "chat", gate="payment", source="TIERS"),
    ),
    _Row(r"(davinci|babbage)-002", KnownModel("gpt-3 base", "completions")),
    _Row(r"text-embedding-(ada-002|3-small|3-large)", KnownModel("embeddings", "embeddings")),
    _Row(
        r"(whisper-1|tts-1(-hd)?(-\d+)?|gpt-4o(-mini)?-(transcribe|tts))",
        KnownModel("audio", "audio"),
    ),
    _Row(r"(dall-e-[23]|gpt-image-1(-mini)?)", KnownModel("images", "images")),
    _Row(
        r"(omni|text)-moderation-(latest|stable|\d{4}-\d{2}-\d{2}|\d+)",
        KnownModel("moderation", "moderation"),
    ),
)
_COMPILED = tuple((re.compile(row.pattern + r"\Z"), row.model) for row in _ROWS)

WELL_KNOWN_IDS: tuple[str, ...] = (
    "gpt-3.5-turbo",
    "gpt-4",
    "gpt-4-turbo",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "o1",
    "o1-mini",
    "o3",
    "o3-mini",
    "o4-mini",
)
"""Ids offered as "did you mean" when a typo is close to a real model the key cannot list."""


def lookup(model: str) -> KnownModel | None:
    """The public facts about ``model``, or None when it is not a well-known OpenAI id."""
    if model in RETIRED:
        return RETIRED[model]
    for pattern, known in _COMPILED:
        if pattern.match(model):
            return known
    return None


def is_retired(known: KnownModel | None, today: str = AS_OF) -> bool:
    """True when ``known`` has a shutdown date on or before ``today``."""
    return known is not None and known.shutdown is not None and known.shutdown <= today
