"""Output formats: each module renders a Report to a string; FORMATS is the registry."""

from __future__ import annotations

from collections.abc import Callable

from modelcheck.formats import jsonfmt, table
from modelcheck.report import Report

Formatter = Callable[[Report], str]

FORMATS: dict[str, Formatter] = {
    "table": table.render,
    "json": jsonfmt.render,
}
