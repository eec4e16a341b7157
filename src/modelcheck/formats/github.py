"""GitHub Actions format: one ::error / ::warning workflow command per finding.

GitHub shows at most 10 error and 10 warning annotations per step (S38), so each kind is
capped at 10 lines, the last one summarising the rest. Escaping follows actions/toolkit
command.ts: data escapes %, CR, LF; properties also escape : and ,.
"""

from __future__ import annotations

from modelcheck.formats.common import DEFAULT_OPTIONS, RenderOptions
from modelcheck.report import Report

MAX_PER_KIND = 10


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (e.g. title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, title: str, message: str) -> str:
    return f"::{kind} title={escape_property(title)}::{escape_data(message)}"


def _capped(kind: str, items: list[tuple[str, str]]) -> list[str]:
    if len(items) <= MAX_PER_KIND:
        return [_command(kind, t, m) for t, m in items]
    shown = items[: MAX_PER_KIND - 1]
    rest = items[MAX_PER_KIND - 1 :]
    names = ", ".join(t.removeprefix("modelcheck: ") for t, _ in rest)
    summary = (f"modelcheck: {len(rest)} more", f"{len(rest)} more findings: {names}")
    return [_command(kind, t, m) for t, m in [*shown, summary]]


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """Annotations for the failing and inconclusive findings (nothing when all pass)."""
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    for d in report.account:
        target = warnings if d.inconclusive or d.severity != "error" else errors
        docs = f" ({d.docs})" if d.docs else ""
        target.append((f"modelcheck: {d.cause}", f"{d.summary} Fix: {d.fix[0]}{docs}"))
    for m in report.models:
        own = [d for d in m.diagnoses if d.severity == "error"]
        if m.verdict == "fail" and own:
            d = own[0]
            errors.append(
                (f"modelcheck: {m.model} not usable", f"{d.cause}: {d.summary} Fix: {d.fix[0]}")
            )
        elif m.verdict == "fail":
            causes = ", ".join(m.account_causes) or "see the report"
            errors.append((f"modelcheck: {m.model} not usable", f"account finding: {causes}"))
        elif m.verdict in ("inconclusive", "skipped"):
            why = own[0].summary if own else (m.skipped or ", ".join(m.account_causes))
            warnings.append((f"modelcheck: {m.model} {m.verdict}", why or m.verdict))
        warnings.extend(
            (f"modelcheck: {m.model} warning", f"{d.cause}: {d.summary}")
            for d in m.diagnoses
            if d.severity == "warning"
        )
    notices = [
        (f"modelcheck: {m.model} listed only", m.note or "judged on metadata only")
        for m in report.models
        if m.verdict == "pass" and m.proof == "listed"
    ]
    if options.target:
        # Several targets: each title says whose finding it is.
        named = f"modelcheck[{options.target}]:"
        errors, warnings, notices = (
            [(t.replace("modelcheck:", named, 1), m) for t, m in items]
            for items in (errors, warnings, notices)
        )
    lines = _capped("error", errors) + _capped("warning", warnings) + _capped("notice", notices)
    return "".join(line + "\n" for line in lines)
