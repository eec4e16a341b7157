"""A run over several targets in any format: each target's report in turn, named; JSON and
JUnit as one document (modelcheck.targets/1; one <testsuite> per target)."""

from __future__ import annotations

import json
from dataclasses import replace
from xml.etree import ElementTree as ET

from modelcheck.formats import FORMATS
from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions
from modelcheck.report import MultiReport


def render(multi: MultiReport, fmt: str, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``multi`` in format ``fmt`` (table, json, markdown, github, junit)."""
    if fmt == "json":
        return json.dumps(multi.to_dict(), indent=2) + "\n"
    if fmt == "junit":
        return _junit(multi)
    parts = [FORMATS[fmt](r, replace(options, target=name)) for name, r in multi.targets]
    if fmt == "table":
        verdicts = ", ".join(f"{name} {r.verdict}" for name, r in multi.targets)
        parts.append(f"targets: {verdicts}; verdict {multi.verdict}\n")
        return "\n".join(parts)
    return "".join(parts) if fmt == "github" else "\n".join(parts)


def _junit(multi: MultiReport) -> str:
    root = ET.Element("testsuites", {"name": "modelcheck"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    time = 0.0
    for name, report in multi.targets:
        parsed = ET.fromstring(FORMATS["junit"](report, DEFAULT_OPTIONS).split("\n", 1)[1])
        for suite in parsed.findall("testsuite"):
            suite.set("name", f"modelcheck.{name}")
            for case in suite.findall("testcase"):
                case.set("classname", f"modelcheck.{name}.{report.provider}")
            for key in totals:
                totals[key] += int(suite.get(key, "0"))
            time += float(suite.get("time", "0"))
            root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
