"""What several formats share: render options and the one-line view of a model."""

from __future__ import annotations

from dataclasses import dataclass

from modelcheck.diagnosis.results import Diagnosis, ModelAssessment

RESULT = {
    "pass": "usable",
    "fail": "NOT USABLE",
    "inconclusive": "inconclusive",
    "skipped": "skipped",
}

PROOF = {"generated": "generated", "listed": "listed only", "none": "-"}
"""How each proof level reads in a table: a request used the model, or only metadata."""


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices; formats must not depend on anything else."""

    color: bool = False
    table_style: str = "simple"
    target: str | None = None
    """The target's name in a run over several targets (shown in headings and titles)."""


def confidence(d: Diagnosis) -> str:
    """ "confidence 0.97, confident" / "confidence 0.20, a guess": the figure and its word."""
    if d.cause == "unknown":
        return f"confidence {d.confidence:.2f}"
    word = "a guess" if d.certainty == "guess" else d.certainty
    return f"confidence {d.confidence:.2f}, {word}"


def short(text: str, width: int) -> str:
    """One line of at most ``width`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def listed(value: bool | None) -> str:
    """yes / no / ? for the listed column."""
    return "?" if value is None else ("yes" if value else "no")


def headline(m: ModelAssessment) -> tuple[str, str]:
    """(likely cause, first fix) for a model's row."""
    errors = [d for d in m.diagnoses if d.severity == "error"]
    warnings = [d for d in m.diagnoses if d.severity == "warning"]
    if errors:
        return errors[0].cause, errors[0].fix[0]
    if m.account_causes:
        return f"(account) {m.account_causes[0]}", "see account findings"
    if warnings:
        return f"warning: {warnings[0].cause}", warnings[0].summary
    if m.verdict == "skipped":
        return "-", m.skipped or "not probed"
    return "-", "-"


DEFAULT_OPTIONS = RenderOptions()
