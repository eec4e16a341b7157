"""The report: evidence + assessment -> one frozen Report, and its documented JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelcheck import __version__
from modelcheck.diagnosis.results import Assessment, Diagnosis, ModelAssessment
from modelcheck.evidence import METADATA_ENDPOINTS, ErrorInfo, NetworkFailure, Probe, RunEvidence
from modelcheck.status import ExitStatus

SCHEMA = "modelcheck.report/1"


def exit_status(
    verdict: str, warnings: bool, fail_on: str = "inconclusive", strict: bool = False
) -> int:
    """The exit status for a verdict under the policy (README, "Exit status").

    fail_on "inconclusive" (default): 1 on a definite problem, 3 on an inconclusive run;
    "problem": an inconclusive run exits 0 (the CLI warns on stderr); "never": always 0.
    strict: warnings (e.g. a model that needs max_completion_tokens) also exit 1.
    """
    if fail_on == "never":
        return int(ExitStatus.OK)
    if verdict == "fail" or (strict and warnings):
        # A warning under --strict fails the run as a definite problem does, whatever other
        # model was inconclusive.
        return int(ExitStatus.PROBLEM)
    if verdict == "inconclusive":
        return int(ExitStatus.INCONCLUSIVE if fail_on == "inconclusive" else ExitStatus.OK)
    return int(ExitStatus.OK)


@dataclass(frozen=True)
class Report:
    """Everything a formatter shows. Holds the masked key only."""

    provider: str
    base_url: str
    key: str | None
    verdict: str
    exit_code: int
    account: tuple[Diagnosis, ...]
    models: tuple[ModelAssessment, ...]
    listed_count: int | None
    requests: int
    prompt_tokens: int
    completion_tokens: int
    notes: tuple[str, ...] = ()
    max_requests: int | None = None
    max_tokens: int | None = None
    fail_on: str = "inconclusive"
    strict: bool = False
    interrupted: bool = False
    as_of: str | None = None
    """The date retirements were judged as of (today, or --as-of)."""
    provider_source: str = "--provider"
    """Which rule chose the provider ("--provider", "base URL host", "key prefix", "key
    variable NAME", "default")."""
    tool: str = "modelcheck"
    version: str = __version__
    listed_ids: tuple[str, ...] | None = None
    """The ids the key's list returned (None: the list failed or was not asked)."""

    def to_dict(self) -> dict[str, Any]:
        """The report as the documented JSON object (schema modelcheck.report/1)."""
        return to_dict(self)

    def model(self, model: str) -> ModelAssessment:
        """One requested model's result (KeyError if it was not requested)."""
        for m in self.models:
            if m.model == model:
                return m
        raise KeyError(model)

    @property
    def ok(self) -> bool:
        """True when the run passed (verdict "pass")."""
        return self.verdict == "pass"


def worst_exit(codes: tuple[int, ...]) -> int:
    """The worst of several exit statuses: interrupted, then a problem, then inconclusive."""
    for status in (ExitStatus.INTERRUPTED, ExitStatus.PROBLEM, ExitStatus.INCONCLUSIVE):
        if int(status) in codes:
            return int(status)
    return int(ExitStatus.OK)


def worst_verdict(verdicts: tuple[str, ...]) -> str:
    """fail over inconclusive over pass."""
    return next((v for v in ("fail", "inconclusive") if v in verdicts), "pass")


MULTI_SCHEMA = "modelcheck.targets/1"


@dataclass(frozen=True)
class MultiReport:
    """A run over several targets: a report per target, one verdict and exit status (the
    worst of them)."""

    targets: tuple[tuple[str, Report], ...]
    verdict: str
    exit_code: int

    @classmethod
    def of(cls, targets: tuple[tuple[str, Report], ...]) -> MultiReport:
        """The reports of a run, judged together."""
        return cls(
            targets=targets,
            verdict=worst_verdict(tuple(r.verdict for _, r in targets)),
            exit_code=worst_exit(tuple(r.exit_code for _, r in targets)),
        )

    @property
    def interrupted(self) -> bool:
        """Any target was interrupted."""
        return any(r.interrupted for _, r in self.targets)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (schema modelcheck.targets/1): each target's report
        in full (modelcheck.report/1)."""
        return {
            "schema": MULTI_SCHEMA,
            "tool": {"name": "modelcheck", "version": __version__},
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "targets": [{"name": name, "report": to_dict(r)} for name, r in self.targets],
        }


def build_report(
    ev: RunEvidence,
    assessment: Assessment,
    *,
    max_requests: int | None = None,
    max_tokens: int | None = None,
    fail_on: str = "inconclusive",
    strict: bool = False,
    as_of: str | None = None,
) -> Report:
    """Combine the probe's evidence and the engine's assessment under the exit policy."""
    warnings = any(d.severity == "warning" for m in assessment.models for d in m.diagnoses)
    # --strict: a model proved only by metadata ("listed") is not proof enough.
    warnings = warnings or any(
        m.verdict == "pass" and m.proof == "listed" for m in assessment.models
    )
    return Report(
        provider=ev.provider,
        base_url=ev.base_url,
        key=ev.key.masked,
        verdict=assessment.verdict,
        exit_code=(
            int(ExitStatus.INTERRUPTED)
            if ev.interrupted
            else exit_status(assessment.verdict, warnings, fail_on, strict)
        ),
        account=assessment.account,
        models=assessment.models,
        listed_count=len(ev.listed_ids) if ev.listed_ids is not None else None,
        listed_ids=ev.listed_ids,
        requests=ev.requests,
        prompt_tokens=ev.prompt_tokens,
        completion_tokens=ev.completion_tokens,
        notes=assessment.notes,
        max_requests=max_requests,
        max_tokens=max_tokens,
        fail_on=fail_on,
        strict=strict,
        interrupted=ev.interrupted,
        as_of=as_of,
        provider_source=ev.provider_source,
    )


def diagnosis_dict(d: Diagnosis) -> dict[str, Any]:
    """A diagnosis in the JSON contract."""
    return {
        "cause": d.cause,
        "rule": d.rule,
        "confidence": round(d.confidence, 2),
        "summary": d.summary,
        "fix": list(d.fix),
        "docs": d.docs,
        "severity": d.severity,
        "inconclusive": d.inconclusive,
        "certainty": d.certainty,
    }


def error_dict(error: ErrorInfo | None) -> dict[str, Any] | None:
    """An error in the JSON contracts (report and explain)."""
    if error is None:
        return None
    return {
        "code": error.code,
        "type": error.type,
        "param": error.param,
        "message": error.message,
        "details": error.details,
    }


def network_dict(failure: NetworkFailure | None) -> dict[str, str] | None:
    """A network failure in the JSON contracts."""
    return {"kind": failure.kind, "detail": failure.detail} if failure else None


def probe_dict(p: Probe) -> dict[str, Any]:
    """A probe in the JSON contract."""
    return {
        "endpoint": p.endpoint,
        "method": p.method,
        "path": p.path,
        "status": p.status,
        "error": error_dict(p.error),
        "request_id": p.request_id,
        "latency_ms": p.latency_ms,
        "network_error": network_dict(p.network),
        "headers": dict(p.headers),
        "attempts": p.attempts,
        "earlier_statuses": list(p.earlier),
        "token_param": p.token_param,
        "variant": p.variant,
    }


def _endpoint(m: ModelAssessment) -> str | None:
    """The path of the last request that used the model, if any."""
    used = [p for p in m.probes if p.endpoint not in METADATA_ENDPOINTS]
    return used[-1].path if used else None


def to_dict(report: Report) -> dict[str, Any]:
    """The report as the documented JSON object (schema modelcheck.report/1)."""
    return {
        "schema": SCHEMA,
        "tool": {"name": report.tool, "version": report.version},
        "provider": report.provider,
        "provider_source": report.provider_source,
        "base_url": report.base_url,
        "key": report.key,
        "verdict": report.verdict,
        "exit_code": report.exit_code,
        "account": {"diagnoses": [diagnosis_dict(d) for d in report.account]},
        "models": [
            {
                "model": m.model,
                "listed": m.listed,
                "verdict": m.verdict,
                "mode": m.mode,
                "mode_source": m.mode_source,
                "endpoint": _endpoint(m),
                "proof": m.proof,
                "note": m.note,
                "probes": [probe_dict(p) for p in m.probes],
                "diagnoses": [diagnosis_dict(d) for d in m.diagnoses],
                "account_causes": list(m.account_causes),
                "suggestions": list(m.suggestions),
                "skipped": m.skipped,
            }
            for m in report.models
        ],
        "listed_count": report.listed_count,
        "listed_ids": list(report.listed_ids) if report.listed_ids is not None else None,
        "usage": {
            "requests": report.requests,
            "prompt_tokens": report.prompt_tokens,
            "completion_tokens": report.completion_tokens,
            "max_requests": report.max_requests,
            "max_tokens": report.max_tokens,
        },
        "policy": {"fail_on": report.fail_on, "strict": report.strict},
        "as_of": report.as_of,
        "notes": list(report.notes),
    }
