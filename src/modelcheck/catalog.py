"""`modelcheck models`: what this key can see, one row per model, with what is publicly known
about each (mode, retirement, gate) and, with ``--probe``, whether it is usable.

The list is the provider's models list (free); ``--probe`` then runs ``check`` on the listed
ids that pass the filters (the same pipeline, budgets and proof levels).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from modelcheck import __version__

if TYPE_CHECKING:
    from modelcheck.report import Report
    from modelcheck.settings import Output, Settings

SCHEMA = "modelcheck.models/1"


@dataclass(frozen=True)
class Row:
    """One listed model."""

    id: str
    mode: str | None
    """From the model data (None: not known; ``check`` would start it on chat)."""
    retired: str | None = None
    """"retired" / "retires" + the date, when known."""
    shutdown: str | None = None
    replacement: str | None = None
    gate: str | None = None
    """"payment", "tier", "verification" (OpenAI's gates), when known."""
    verdict: str | None = None
    """With --probe: pass, fail, inconclusive or skipped."""
    cause: str | None = None
    proof: str | None = None


@dataclass(frozen=True)
class Listing:
    """The key's models, filtered; the list probe's report (the key's findings) and, with
    --probe, the check's."""

    rows: tuple[Row, ...]
    listed_count: int | None
    report: Report
    """The run that produced the list (and the verdicts, with --probe)."""
    pattern: str | None = None
    mode: str | None = None


def _known(model: str, settings: Settings, today: str) -> Row:
    from modelcheck.diagnosis.knowledge import gate_on, is_retired, lookup

    provider = settings.provider
    known = None
    for table in dict.fromkeys((provider.knowledge or provider.name, "openai")):
        known = lookup(model, table)
        if known is not None:
            break
    if known is None:
        return Row(model, None)
    state = None
    if is_retired(known, today):
        state = f"retired {known.shutdown}" if known.shutdown else "retired"
    elif known.shutdown:
        state = f"retires {known.shutdown}"
    return Row(
        id=model,
        mode=known.mode,
        retired=state,
        shutdown=known.shutdown,
        replacement=known.replacement,
        gate=gate_on(known, today),
    )


def _matches(row: Row, pattern: str | None, mode: str | None) -> bool:
    if mode is not None and (row.mode or "chat") != mode:
        return False
    if pattern is None:
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(row.id, pattern)
    return pattern.lower() in row.id.lower()


async def alist_models(
    settings: Settings,
    output: Output | None = None,
    *,
    pattern: str | None = None,
    mode: str | None = None,
    probe: bool = False,
) -> Listing:
    """The key's models, filtered by ``pattern`` (a glob, or a substring) and ``mode``;
    with ``probe``, each kept id checked as ``modelcheck check`` would."""
    from modelcheck.run import arun_check

    listed = await arun_check(replace(settings, models=()), output)
    today = settings.as_of or date.today().isoformat()
    ids = [i.removeprefix("models/") for i in listed.listed_ids or ()]
    rows = [
        r
        for r in (_known(i, settings, today) for i in dict.fromkeys(ids))
        if _matches(r, pattern, mode)
    ]
    report = listed
    if probe and rows:
        from modelcheck.settings import default_max_requests, default_max_tokens

        chosen = tuple(r.id for r in rows)
        budget = replace(
            settings,
            models=chosen,
            max_requests=max(settings.max_requests, default_max_requests(len(chosen))),
            max_tokens=max(settings.max_tokens, default_max_tokens(len(chosen))),
        )
        report = await arun_check(budget, output)
        verdicts = {m.model: m for m in report.models}
        rows = [_with_verdict(r, verdicts.get(r.id)) for r in rows]
    return Listing(tuple(rows), listed.listed_count, report, pattern, mode)


def _with_verdict(row: Row, m: Any) -> Row:
    if m is None:
        return row
    cause = next((d.cause for d in m.diagnoses if d.severity == "error"), None)
    cause = cause or (m.account_causes[0] if m.account_causes else None)
    return replace(row, verdict=m.verdict, cause=cause, proof=m.proof)


def exit_code(listing: Listing) -> int:
    """The report's exit status (the list failed, or --probe found a model unusable)."""
    return listing.report.exit_code


def to_dict(listing: Listing, probed: bool) -> dict[str, Any]:
    """The documented JSON object (schema modelcheck.models/1)."""
    from modelcheck.report import to_dict as report_dict

    report = listing.report
    return {
        "schema": SCHEMA,
        "tool": {"name": "modelcheck", "version": __version__},
        "provider": report.provider,
        "base_url": report.base_url,
        "key": report.key,
        "listed_count": listing.listed_count,
        "filters": {"pattern": listing.pattern, "mode": listing.mode},
        "models": [
            {
                "id": r.id,
                "mode": r.mode,
                "retired": r.retired,
                "shutdown": r.shutdown,
                "replacement": r.replacement,
                "gate": r.gate,
                **({"verdict": r.verdict, "cause": r.cause, "proof": r.proof} if probed else {}),
            }
            for r in listing.rows
        ],
        "verdict": report.verdict,
        "exit_code": report.exit_code,
        "report": report_dict(report),
    }


def render_table(listing: Listing, probed: bool) -> str:
    """The human listing: a row per model, then the key's findings if the list failed."""
    from tabulate import tabulate

    from modelcheck.formats import FORMATS, RenderOptions

    report = listing.report
    head = f"modelcheck {__version__} \u00b7 {report.provider} \u00b7 {report.base_url}"
    lines = [f"{head} \u00b7 key {report.key or 'none'}"]
    if listing.listed_count is None:
        # The list failed: the report says why.
        return FORMATS["table"](report, RenderOptions())
    kept = len(listing.rows)
    shown = f"{kept} of {listing.listed_count}" if kept != listing.listed_count else str(kept)
    lines.append(f"This key can list {listing.listed_count} models; {shown} shown.")
    lines.append("")
    headers = ["model", "mode", "known"]
    if probed:
        headers += ["result", "likely cause"]
    rows = []
    for r in listing.rows:
        known = ", ".join(x for x in (r.retired, r.gate and f"gate: {r.gate}") if x) or "-"
        row = [r.id, r.mode or "?", known]
        if probed:
            row += [r.verdict or "-", r.cause or "-"]
        rows.append(row)
    lines.append(tabulate(rows, headers=headers) if rows else "No model matches the filters.")
    if probed:
        lines.append("")
        lines.append(
            f"{report.requests} requests, {report.prompt_tokens} prompt + "
            f"{report.completion_tokens} completion tokens"
        )
    return "\n".join(lines) + "\n"


def render_json(listing: Listing, probed: bool) -> str:
    """The listing as indented JSON."""
    return json.dumps(to_dict(listing, probed), indent=2) + "\n"
