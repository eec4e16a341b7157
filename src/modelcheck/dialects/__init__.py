"""API families ("dialects"): one module per family, joined in an explicit registry.

Adding a family is one module implementing ``base.Dialect``, one ``DIALECTS`` line, and the
``Provider`` rows that name it (providers.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from modelcheck.dialects.anthropic import ANTHROPIC
from modelcheck.dialects.azure import AZURE
from modelcheck.dialects.base import MODES, Dialect
from modelcheck.dialects.bedrock import BEDROCK
from modelcheck.dialects.gemini import GEMINI
from modelcheck.dialects.openai import OPENAI

if TYPE_CHECKING:
    from modelcheck.settings import Settings

DIALECTS: dict[str, Dialect] = {
    "openai": OPENAI,
    "anthropic": ANTHROPIC,
    "azure": AZURE,
    "gemini": GEMINI,
    "bedrock": BEDROCK,
}
"""Dialect name -> implementation."""

__all__ = ["DIALECTS", "MODES", "Dialect", "dialect_for", "dialect_of"]


def dialect_for(name: str) -> Dialect:
    """The dialect called ``name`` (a Provider's ``dialect``)."""
    return DIALECTS[name]


def dialect_of(settings: Settings) -> Dialect:
    """The dialect a run speaks: the provider's, except Azure's v1 API (a base URL ending in
    /openai/v1), which is OpenAI's wire format."""
    if settings.provider.dialect == "azure" and settings.options.get("surface") == "v1":
        return OPENAI
    return dialect_for(settings.provider.dialect)
