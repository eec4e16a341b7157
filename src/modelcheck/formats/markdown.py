"""Markdown format: a GitHub-flavoured table and details (also the GitHub step summary)."""

from __future__ import annotations

from modelcheck.diagnosis.results import Diagnosis
from modelcheck.formats.common import (
    DEFAULT_OPTIONS,
    PROOF,
    RenderOptions,
    confidence,
    headline,
    listed,
    short,
)
from modelcheck.report import Report

ICON = {
    "pass": "\u2705",
    "fail": "\u274c",
    "inconclusive": "\u26a0\ufe0f",
    "skipped": "\u23ed\ufe0f",
}
LABEL = {
    "pass": "usable",
    "fail": "not usable",
    "inconclusive": "inconclusive",
    "skipped": "skipped",
}


def cell(text: str) -> str:
    """Text safe inside a GFM table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _diagnosis(index: int, d: Diagnosis) -> list[str]:
    head = f"{index}. **`{d.cause}`** (rule `{d.rule}`, {confidence(d)})"
    lines = [f"{head}: {cell(d.summary)}"]
    lines.extend(f"   - {cell(step)}" for step in d.fix)
    if d.docs:
        lines.append(f"   - Docs: {d.docs}")
    return lines


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The report as GitHub-flavoured Markdown."""
    verdict = LABEL.get(report.verdict, report.verdict) if report.verdict != "pass" else "pass"
    whose = f"modelcheck[{options.target}]" if options.target else "modelcheck"
    out = [
        f"## {ICON.get(report.verdict, '')} {whose}: {verdict}",
        "",
        f"`{report.provider}` \u00b7 `{report.base_url}` \u00b7 "
        f"key `{report.key or 'none'}` \u00b7 "
        f"{report.requests} requests, {report.completion_tokens} completion "
        f"token{'' if report.completion_tokens == 1 else 's'}",
        "",
        "| model | mode | listed | result | proof | likely cause | fix |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in report.models:
        cause, fix = headline(m)
        result = f"{ICON.get(m.verdict, '')} {LABEL.get(m.verdict, m.verdict)}"
        cause_cell = f"`{cell(cause)}`" if cause != "-" else "-"
        out.append(
            f"| `{cell(m.model)}` | {m.mode or '-'} | {listed(m.listed)} | {result} | "
            f"{PROOF.get(m.proof, m.proof)} | {cause_cell} | {cell(short(fix, 80))} |"
        )
    account = [d for d in report.account if d.severity == "error"]
    notices = [d for d in report.account if d.severity != "error"]
    if account:
        out.extend(["", "### Account findings", ""])
        for i, d in enumerate(account, 1):
            out.extend(_diagnosis(i, d))
    if notices:
        out.extend(["", "### Warnings", ""])
        for i, d in enumerate(notices, 1):
            out.extend(_diagnosis(i, d))
    for m in report.models:
        if not m.diagnoses and not m.suggestions and not m.note:
            continue
        n = len(m.diagnoses)
        out.extend(
            [
                "",
                "<details>",
                f"<summary><code>{m.model}</code>: {LABEL.get(m.verdict, m.verdict)} "
                f"({n} likely cause{'s' if n != 1 else ''})</summary>",
                "",
            ]
        )
        if m.note:
            out.append(f"Note: {cell(m.note)}")
            out.append("")
        for i, d in enumerate(m.diagnoses, 1):
            out.extend(_diagnosis(i, d))
        if m.suggestions:
            out.append(f"\nDid you mean: {', '.join(f'`{s}`' for s in m.suggestions)}")
        out.extend(["", "</details>"])
    for note in report.notes:
        out.extend(["", f"> {cell(note)}"])
    return "\n".join(out) + "\n"
