"""Table format: one row per model (tabulate), then account findings and per-model details."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from tabulate import tabulate

from modelcheck.diagnosis.results import Diagnosis, ModelAssessment
from modelcheck.formats.common import (
    DEFAULT_OPTIONS,
    PROOF,
    RESULT,
    RenderOptions,
    confidence,
    headline,
    listed,
    short,
)
from modelcheck.report import Report

if TYPE_CHECKING:
    from modelcheck.explainer import ExplainResult

FIX_WIDTH = 40
WRAP = 100
_COLORS = {"pass": "32", "fail": "31;1", "inconclusive": "33", "skipped": "33"}


def _result(verdict: str, color: bool) -> str:
    text = RESULT.get(verdict, verdict)
    return f"\x1b[{_COLORS[verdict]}m{text}\x1b[0m" if color and verdict in _COLORS else text


def _row(m: ModelAssessment, options: RenderOptions, modes: bool) -> list[str]:
    cause, fix = headline(m)
    row = [m.model] + ([m.mode or "-"] if modes else [])
    return [
        *row,
        listed(m.listed),
        _result(m.verdict, options.color),
        PROOF.get(m.proof, m.proof),
        cause,
        short(fix, FIX_WIDTH),
    ]


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        WRAP,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _diagnosis_lines(index: int, d: Diagnosis) -> list[str]:
    lines = [f"  {index}. {d.cause}  (rule {d.rule}, {confidence(d)})"]
    lines.extend(_wrap(d.summary, "     ", "     "))
    for step in d.fix:
        lines.extend(_wrap(step, "     - ", "       "))
    if d.docs:
        lines.append(f"     docs: {d.docs}")
    return lines


def _chosen(report: Report) -> str:
    """Why this provider, when no --provider named it and more than the default chose it."""
    if report.provider_source in ("base URL host", "key prefix"):
        return f" (from the {report.provider_source})"
    if report.provider_source.startswith("key variable "):
        return f" (from {report.provider_source.split()[-1]})"  # the one key variable set
    return ""


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The human report."""
    out: list[str] = []
    key = report.key or "none"
    dot = " \u00b7 "
    named = f"target {options.target}{dot}" if options.target else ""
    out.append(
        f"{named}modelcheck {report.version}{dot}{report.provider}{_chosen(report)}"
        f"{dot}{report.base_url}{dot}key {key}"
    )
    if report.listed_count is not None:
        out.append(f"This key can list {report.listed_count} models.")
    out.append("")
    modes = any(m.mode not in (None, "chat") for m in report.models)
    rows = [_row(m, options, modes) for m in report.models]
    headers = ["model", *(["mode"] if modes else []), "listed", "result", "proof", "likely cause"]
    headers.append("fix")
    if rows:
        out.append(tabulate(rows, headers=headers, tablefmt=options.table_style))
    else:
        out.append("No model named: only the key and its models list were checked.")
    account = [d for d in report.account if d.severity == "error"]
    notices = [d for d in report.account if d.severity != "error"]
    if account:
        out.append("")
        out.append("Account findings (they apply to every model):")
        for i, d in enumerate(account, 1):
            out.extend(_diagnosis_lines(i, d))
    if notices:
        out.append("")
        out.append("Warnings (they do not change the verdict):")
        for i, d in enumerate(notices, 1):
            out.extend(_diagnosis_lines(i, d))
    for m in report.models:
        if not m.diagnoses and not m.suggestions and not m.note:
            continue
        out.append("")
        out.append(f"{m.model}: {RESULT.get(m.verdict, m.verdict)}")
        if m.note:
            out.extend(_wrap(f"note: {m.note}", "  ", "    "))
        for i, d in enumerate(m.diagnoses, 1):
            out.extend(_diagnosis_lines(i, d))
        if m.suggestions:
            out.append(f"  did you mean: {', '.join(m.suggestions)}")
    if report.notes:
        out.append("")
        out.extend(f"note: {n}" for n in report.notes)
    out.append("")
    caps = ""
    if report.max_requests is not None and report.max_tokens is not None:
        caps = f" (caps: {report.max_requests} requests, {report.max_tokens} completion tokens)"
    out.append(
        f"{report.requests} requests, {report.prompt_tokens} prompt + "
        f"{report.completion_tokens} completion tokens{caps}"
    )
    return "\n".join(out) + "\n"


def render_explain(result: ExplainResult) -> str:
    """The human form of an `explain` result."""
    inp = result.input
    origin = inp.origin

    def shown(name: str, value: object) -> str:
        if value is None:
            return f"{name} ?"
        how = origin.get(name)
        return f"{name} {value}" + (f" ({how})" if how and how != "text" else "")

    dot = " \u00b7 "
    out = [
        "modelcheck explain"
        + dot
        + dot.join(
            [
                shown("status", inp.status),
                shown("provider", inp.provider),
                shown("model", inp.model),
            ]
        )
    ]
    if inp.error is not None:
        parts = [
            f"{k} {v}"
            for k, v in (
                ("code", inp.error.code),
                ("type", inp.error.type),
                ("param", inp.error.param),
            )
            if v
        ]
        message = " ".join((inp.error.message or "").split())
        if len(message) > 300:
            message = message[:299] + "\u2026"
        out.extend(_wrap(dot.join([*parts, f"\u201c{message}\u201d"]), "error: ", "       "))
    if inp.network is not None:
        out.extend(_wrap(f"{inp.network.kind}: {inp.network.detail}", "network: ", "         "))
    if inp.body_kind == "html":
        out.append(f"body: an HTML page (\u201c{inp.excerpt}\u201d)")
    out.append("")
    out.append("Likely causes, most likely first:")
    for i, d in enumerate(result.diagnoses, 1):
        out.extend(_diagnosis_lines(i, d))
    return "\n".join(out) + "\n"
