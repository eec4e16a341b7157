"""Data files shipped in the package: models.json (generated) and curated.json."""

from __future__ import annotations

from pathlib import Path

DIR = Path(__file__).resolve().parent
"""Where the data files are (read directly: importlib.resources costs ~12 ms to import)."""


def read(name: str) -> str:
    """The text of the data file ``name``."""
    return (DIR / name).read_text(encoding="utf-8")
