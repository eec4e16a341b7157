"""Output formats: each module renders a Report to a string; FORMATS is the registry.

A format's module is imported when it is first used, so that a JSON run never loads
tabulate (start-up time counts for a preflight step).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    from modelcheck.explainer import ExplainResult
    from modelcheck.report import Report

__all__ = ["DEFAULT_OPTIONS", "EXPLAIN_FORMATS", "FORMATS", "RenderOptions"]

Formatter = Callable[["Report", RenderOptions], str]
ExplainFormatter = Callable[["ExplainResult"], str]
F = TypeVar("F")


class _Registry(Mapping[str, F]):
    """format name -> render function, each module imported on first use."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = where

    def __getitem__(self, name: str) -> F:
        module, function = self._where[name]
        render: F = getattr(importlib.import_module(f"modelcheck.formats.{module}"), function)
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


FORMATS: Mapping[str, Formatter] = _Registry(
    {
        "table": ("table", "render"),
        "json": ("jsonfmt", "render"),
        "markdown": ("markdown", "render"),
        "github": ("github", "render"),
        "junit": ("junit", "render"),
    }
)
EXPLAIN_FORMATS: Mapping[str, ExplainFormatter] = _Registry(
    {"table": ("table", "render_explain"), "json": ("jsonfmt", "render_explain")}
)
