"""JUnit XML format: one testcase per model and probe, the cause id as the failure type.

Valid against the common JUnit schema that GitLab and Jenkins read (tests/junit.xsd):
definite problems are <failure>, inconclusive results <error>, unprobed models <skipped>.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from modelcheck.diagnosis.engine import Diagnosis, ModelAssessment
from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions
from modelcheck.report import Report


def _seconds(ms: float | None) -> str:
    return f"{(ms or 0.0) / 1000:.3f}"


def _detail(diagnoses: tuple[Diagnosis, ...]) -> str:
    lines = []
    for i, d in enumerate(diagnoses, 1):
        lines.append(f"{i}. {d.cause} ({d.rule}, confidence {d.confidence:.2f}): {d.summary}")
        lines.extend(f"   - {step}" for step in d.fix)
        lines.append(f"   docs: {d.docs}")
    return "\n".join(lines)


def _outcome(case: ET.Element, tag: str, d: Diagnosis, diagnoses: tuple[Diagnosis, ...]) -> None:
    element = ET.SubElement(case, tag, {"type": d.cause, "message": d.summary})
    element.text = _detail(diagnoses)


def _model_cases(suite: ET.Element, m: ModelAssessment, report: Report, classname: str) -> None:
    account = tuple(d for d in report.account if d.cause in m.account_causes)
    diagnoses = m.diagnoses + account
    errors = [d for d in diagnoses if d.severity == "error"]
    if not m.probes:
        case = ET.SubElement(
            suite, "testcase", {"classname": classname, "name": m.model, "time": "0.000"}
        )
        if errors and m.verdict == "fail":
            _outcome(case, "failure", errors[0], diagnoses)
        else:
            ET.SubElement(case, "skipped", {"message": m.skipped or "not probed"})
        return
    decisive = next((p for p in reversed(m.probes) if p.endpoint == "chat"), m.probes[-1])
    for probe in m.probes:
        name = f"{m.model}:{probe.endpoint}"
        if probe.token_param == "max_completion_tokens":
            name += " (max_completion_tokens)"
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": classname, "name": name, "time": _seconds(probe.latency_ms)},
        )
        if probe is decisive and m.verdict in ("fail", "inconclusive") and errors:
            _outcome(case, "failure" if m.verdict == "fail" else "error", errors[0], diagnoses)
        elif probe is decisive and m.verdict == "skipped":
            ET.SubElement(case, "skipped", {"message": m.skipped or "not fully probed"})


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The report as JUnit XML."""
    classname = f"modelcheck.{report.provider}"
    suite = ET.Element(
        "testsuite",
        {"name": "modelcheck", "tests": "0", "failures": "0", "errors": "0", "skipped": "0"},
    )
    if report.account:
        case = ET.SubElement(
            suite, "testcase", {"classname": classname, "name": "account", "time": "0.000"}
        )
        first = report.account[0]
        tag = "error" if all(d.inconclusive for d in report.account) else "failure"
        _outcome(case, tag, first, report.account)
    for m in report.models:
        _model_cases(suite, m, report, classname)
    cases = suite.findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    total = sum(float(c.get("time", "0")) for c in cases)
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", f"{total:.3f}")
    root = ET.Element(
        "testsuites",
        {
            "name": "modelcheck",
            "tests": str(counts["tests"]),
            "failures": str(counts["failures"]),
            "errors": str(counts["errors"]),
            "time": f"{total:.3f}",
        },
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
