"""Output formats: each module renders a Report to a string; FORMATS is the registry."""

from __future__ import annotations

from collections.abc import Callable

from modelcheck.explain import ExplainResult
from modelcheck.formats import jsonfmt, table
from modelcheck.report import Report

Formatter = Callable[[Report], str]
ExplainFormatter = Callable[[ExplainResult], str]

FORMATS: dict[str, Formatter] = {
    "table": table.render,
    "json": jsonfmt.render,
}
EXPLAIN_FORMATS: dict[str, ExplainFormatter] = {
    "table": table.render_explain,
    "json": jsonfmt.render_explain,
}
