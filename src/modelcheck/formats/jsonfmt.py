"""JSON format: the documented schema (modelcheck.report/1), stable for CI."""

from __future__ import annotations

import json

from modelcheck import explain
from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions
from modelcheck.report import Report, to_dict


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The report as indented JSON with a trailing newline."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def render_explain(result: explain.ExplainResult) -> str:
    """An explain result as indented JSON (schema modelcheck.explain/1)."""
    return json.dumps(explain.to_dict(result), indent=2, ensure_ascii=False) + "\n"
