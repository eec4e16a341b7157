"""The curated layer of the model knowledge (data/curated.json): retired ids the generated map
no longer lists, replacements it does not carry, and its dates that the provider's own page
contradicts. Every row names its source (``secondary``: a page that quotes the provider)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from modelcheck.data import read as data_file


@dataclass(frozen=True)
class Retired:
    """A retired (or scheduled) id: when it stops working and what replaces it."""

    shutdown: str | None
    replacement: str | None
    mode: str | None = None
    source: str = ""
    retired: bool = False
    """Retired, with no date published."""
    deprecated: str | None = None
    """When the retirement was announced (providers often stop serving new accounts then)."""
    active: bool = False
    """The provider shows the model active: a date from the generated map is wrong."""


@lru_cache(maxsize=1)
def curated() -> dict[str, dict[str, Retired]]:
    """Provider -> id -> Retired."""
    text = data_file("curated.json")
    data = json.loads(text)["models"]
    return {
        provider: {
            model: Retired(
                shutdown=row.get("shutdown"),
                replacement=row.get("replacement"),
                mode=row.get("mode"),
                source=row.get("source", "") + (" (secondary)" if row.get("secondary") else ""),
                retired=bool(row.get("retired")),
                deprecated=row.get("deprecated"),
                active=bool(row.get("active")),
            )
            for model, row in rows.items()
        }
        for provider, rows in data.items()
    }
