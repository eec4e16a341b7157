"""Output formats: each module renders a Report to a string; FORMATS is the registry."""

from __future__ import annotations

from collections.abc import Callable

from modelcheck.explain import ExplainResult
from modelcheck.formats import github, jsonfmt, junit, markdown, table
from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions
from modelcheck.report import Report

__all__ = ["DEFAULT_OPTIONS", "EXPLAIN_FORMATS", "FORMATS", "RenderOptions"]

Formatter = Callable[[Report, RenderOptions], str]
ExplainFormatter = Callable[[ExplainResult], str]

FORMATS: dict[str, Formatter] = {
    "table": table.render,
    "json": jsonfmt.render,
    "markdown": markdown.render,
    "github": github.render,
    "junit": junit.render,
}
EXPLAIN_FORMATS: dict[str, ExplainFormatter] = {
    "table": table.render_explain,
    "json": jsonfmt.render_explain,
}
