"""JSON format: the documented schema (modelcheck.report/1), stable for CI."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions
from modelcheck.report import Report, to_dict

if TYPE_CHECKING:
    from modelcheck.explainer import ExplainResult


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The report as indented JSON with a trailing newline."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def render_explain(result: ExplainResult) -> str:
    """An explain result as indented JSON (schema modelcheck.explain/1)."""
    from modelcheck.explainer import to_dict as explain_dict

    return json.dumps(explain_dict(result), indent=2, ensure_ascii=False) + "\n"
