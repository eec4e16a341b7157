"""API families ("dialects"): one module per family, joined in an explicit registry.

Adding a family is one module implementing ``base.Dialect``, one ``DIALECTS`` line, and the
``Provider`` rows that name it (providers.py).
"""

from __future__ import annotations

from modelcheck.dialects.base import MODES, Dialect
from modelcheck.dialects.openai import OPENAI

DIALECTS: dict[str, Dialect] = {
    "openai": OPENAI,
}
"""Dialect name -> implementation."""

__all__ = ["DIALECTS", "MODES", "Dialect", "dialect_for"]


def dialect_for(name: str) -> Dialect:
    """The dialect called ``name`` (a Provider's ``dialect``)."""
    return DIALECTS[name]
