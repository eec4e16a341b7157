"""What the diagnosis produces: plain frozen records that formats and the API read."""

from __future__ import annotations

from dataclasses import dataclass

from modelcheck.evidence import Probe

CONFIDENT = 0.85
"""A diagnosis at or above this confidence is "confident"; only the first of a ranking can be."""
LIKELY = 0.6
POSSIBLE = 0.3


@dataclass(frozen=True)
class Diagnosis:
    """One likely cause, with the rule that found it and what to do."""

    cause: str
    rule: str
    confidence: float
    summary: str
    fix: tuple[str, ...]
    docs: str
    inconclusive: bool = False
    severity: str = "error"
    """"error" (the model/key is not usable) or "warning" (usable, with a caveat)."""
    priority: int = 0
    """How specific the rule's evidence is (rule.py); the ranking's first key."""

    @property
    def certainty(self) -> str:
        """ "confident", "likely", "possible" or "guess": the confidence in words."""
        if self.confidence >= CONFIDENT:
            return "confident"
        if self.confidence >= LIKELY:
            return "likely"
        return "possible" if self.confidence >= POSSIBLE else "guess"


@dataclass(frozen=True)
class ModelAssessment:
    """The verdict for one model and why."""

    model: str
    listed: bool | None
    verdict: str
    probes: tuple[Probe, ...]
    diagnoses: tuple[Diagnosis, ...]
    suggestions: tuple[str, ...] = ()
    account_causes: tuple[str, ...] = ()
    """Account-level causes (shown once, in Assessment.account) that also stop this model."""
    skipped: str | None = None
    mode: str | None = None
    """The API mode the model was probed on (chat, responses, embeddings, ...)."""
    mode_source: str | None = None
    proof: str = "none"
    """"generated" (a request that used the model returned 2xx), "listed" (metadata only:
    the key's list or the model's retrieve), "none"."""
    note: str | None = None
    """Why no request used the model, and what exercising it would cost."""


@dataclass(frozen=True)
class Assessment:
    """The whole run's diagnosis."""

    account: tuple[Diagnosis, ...]
    models: tuple[ModelAssessment, ...]
    verdict: str
    notes: tuple[str, ...] = ()
