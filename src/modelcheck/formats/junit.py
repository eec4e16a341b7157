"""JUnit XML format: one testcase per requested model (and one for the account when it has
findings), the cause id as the failure type, the probes in the text.

Valid against the common JUnit schema that GitLab and Jenkins read (tests/junit.xsd):
definite problems are <failure>, inconclusive results <error>, unprobed models <skipped>.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from modelcheck.diagnosis.results import Diagnosis, ModelAssessment
from modelcheck.evidence import Probe
from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions, confidence
from modelcheck.report import Report


def _seconds(ms: float | None) -> str:
    return f"{(ms or 0.0) / 1000:.3f}"


def _detail(diagnoses: tuple[Diagnosis, ...]) -> str:
    lines = []
    for i, d in enumerate(diagnoses, 1):
        lines.append(f"{i}. {d.cause} ({d.rule}, {confidence(d)}): {d.summary}")
        lines.extend(f"   - {step}" for step in d.fix)
        if d.docs:
            lines.append(f"   docs: {d.docs}")
    return "\n".join(lines)


def _probe_line(p: Probe) -> str:
    if p.network is not None:
        answer = f"no answer ({p.network.kind}: {p.network.detail})"
    else:
        answer = str(p.status)
        code = p.error.code if p.error else None
        if code:
            answer += f" {code}"
    variant = f" [{p.variant}]" if p.variant and p.variant != "max_tokens" else ""
    latency = f" in {p.latency_ms:.0f} ms" if p.latency_ms is not None else ""
    attempts = f", {p.attempts} attempts" if p.attempts > 1 else ""
    return f"{p.endpoint}{variant}: {p.method} {p.path} -> {answer}{latency}{attempts}"


def _outcome(case: ET.Element, tag: str, d: Diagnosis, text: str) -> None:
    element = ET.SubElement(case, tag, {"type": d.cause, "message": d.summary})
    element.text = text


def _model_case(suite: ET.Element, m: ModelAssessment, report: Report, classname: str) -> None:
    """One testcase per requested model, named by the model id alone, so that test history
    and flakiness tracking see the same test in every run; the probes go into the text."""
    account = tuple(d for d in report.account if d.cause in m.account_causes)
    diagnoses = m.diagnoses + account
    errors = [d for d in diagnoses if d.severity == "error"]
    total = sum(p.latency_ms or 0.0 for p in m.probes)
    case = ET.SubElement(
        suite, "testcase", {"classname": classname, "name": m.model, "time": _seconds(total)}
    )
    probes = "\n".join(_probe_line(p) for p in m.probes) or "no request was sent"
    if m.verdict in ("fail", "inconclusive") and errors:
        tag = "failure" if m.verdict == "fail" else "error"
        _outcome(case, tag, errors[0], f"{_detail(diagnoses)}\n\nprobes:\n{probes}")
    elif m.verdict == "fail" and m.account_causes:
        d = report.account[0]
        _outcome(case, "failure", d, f"account finding: {', '.join(m.account_causes)}")
    elif m.verdict != "pass":
        ET.SubElement(case, "skipped", {"message": m.skipped or "not fully probed"})
    out = ET.SubElement(case, "system-out")
    warnings = [d for d in m.diagnoses if d.severity == "warning"]
    out.text = f"verdict: {m.verdict}\nmode: {m.mode or '-'}\nproof: {m.proof}\nprobes:\n{probes}"
    if m.note:
        out.text += f"\nnote: {m.note}"
    if warnings:
        out.text += "\nwarnings:\n" + _detail(tuple(warnings))


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
        errors = tuple(d for d in report.account if d.severity == "error")
        if errors:
            tag = "error" if all(d.inconclusive for d in errors) else "failure"
            _outcome(case, tag, errors[0], _detail(report.account))
        else:
            ET.SubElement(case, "system-out").text = _detail(report.account)
    for m in report.models:
        _model_case(suite, m, report, classname)
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
