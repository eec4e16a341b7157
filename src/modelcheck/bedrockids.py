"""Bedrock model ids and inference profiles: plain data, shared by the dialect and the rules.

A cross-region inference profile id is a foundation model id with a geography prefix
(``us.anthropic.claude-3-7-sonnet-20250219-v1:0``) or ``global.``; newer models are served
on demand only through one (native-providers.md, section 4.1).
"""

from __future__ import annotations

from collections.abc import Iterable

PROFILE_PREFIXES = ("us-gov.", "us.", "eu.", "apac.", "global.", "jp.", "au.", "ca.")
"""Cross-region inference profile prefixes (a geography, or global)."""

_GEOGRAPHY = {"us-gov": "us-gov.", "us": "us.", "eu": "eu.", "ap": "apac."}


def foundation_id(model: str) -> str:
    """A model id without its inference profile prefix (``us.anthropic.…`` -> ``anthropic.…``)."""
    return next((model[len(p) :] for p in PROFILE_PREFIXES if model.startswith(p)), model)


def profile_prefix(region: str | None) -> str:
    """The inference profile prefix of a region's geography: ``us.`` for us-east-1,
    ``global.`` where no geography prefix is known."""
    if not region:
        return "us."
    if region.startswith("us-gov-"):
        return "us-gov."
    return _GEOGRAPHY.get(region.split("-")[0], "global.")


def profiles_for(model: str, listed: Iterable[str], region: str | None) -> tuple[str, ...]:
    """The inference profile ids that serve ``model``: those the region lists, the region's
    geography first; else the id the region's prefix would give."""
    base = foundation_id(model)
    found = [i for i in listed if i != base and foundation_id(i) == base]
    prefix = profile_prefix(region)
    found.sort(key=lambda i: (not i.startswith(prefix), i))
    return tuple(found) or (prefix + base,)
