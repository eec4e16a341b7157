"""The pipeline every entry point calls: settings -> probe -> diagnosis -> report.

The CLI, the Python API (``modelcheck.check`` / ``acheck``) and the pytest plugin all run a
check through these functions; none of them imports click.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from modelcheck.evidence import RunEvidence
    from modelcheck.report import MultiReport, Report
    from modelcheck.settings import Output, Settings, Target

T = TypeVar("T")


def import_the_rest() -> None:
    """What a check needs after the probe (the diagnosis, the report, the JSON format),
    imported while the first requests are out: start-up then overlaps the first round trip."""
    import modelcheck.diagnosis.engine
    import modelcheck.formats.jsonfmt
    import modelcheck.report  # noqa: F401


def _policy(output: Output | None) -> tuple[str, bool]:
    return (output.fail_on, output.strict) if output else ("inconclusive", False)


def build(evidence: RunEvidence, settings: Settings, fail_on: str, strict: bool) -> Report:
    """Diagnose the evidence and build the report; every string in it that holds a secret
    (a server may echo the key) is masked, so that no repr or dict of it shows one."""
    from modelcheck.diagnosis.engine import assess
    from modelcheck.report import build_report

    today = settings.as_of or date.today().isoformat()
    report = build_report(
        evidence,
        assess(evidence, today=today),
        as_of=today,
        max_requests=evidence.max_requests or settings.max_requests,
        max_tokens=evidence.max_tokens if evidence.max_tokens is not None else settings.max_tokens,
        fail_on=fail_on,
        strict=strict,
    )
    return mask_secrets(report, settings.secrets)


def run_check(
    settings: Settings,
    output: Output | None = None,
    *,
    on_model_done: Callable[[str], None] | None = None,
) -> Report:
    """Probe, diagnose and build the report for ``settings`` (no output), synchronously."""
    from modelcheck.probe import probe

    evidence = probe(settings, on_model_done=on_model_done, while_waiting=import_the_rest)
    return build(evidence, settings, *_policy(output))


async def arun_check(
    settings: Settings,
    output: Output | None = None,
    *,
    on_model_done: Callable[[str], None] | None = None,
) -> Report:
    """``run_check`` in the caller's event loop."""
    from modelcheck.probe import aprobe

    evidence = await aprobe(settings, on_model_done=on_model_done, while_waiting=import_the_rest)
    return build(evidence, settings, *_policy(output))


def run_targets(
    targets: Sequence[Target],
    output: Output | None = None,
    *,
    on_model_done: Callable[[str], None] | None = None,
) -> MultiReport:
    """Every target at once, in one event loop (each within its own share of the concurrency
    and its own budgets); one report with a section per target. Ctrl-C: every target is
    reported with what is known so far (finished ones in full, the others marked
    interrupted), as one target is."""
    from modelcheck.probe import Prober
    from modelcheck.report import MultiReport

    probers = [
        Prober(t.settings, on_model_done=on_model_done, while_waiting=import_the_rest)
        for t in targets
    ]
    finished: dict[int, RunEvidence] = {}

    async def one(index: int, prober: Prober) -> None:
        finished[index] = await prober.run()

    async def every() -> None:
        await asyncio.gather(*(one(i, p) for i, p in enumerate(probers)))

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: report what each target knew
        run_sync(every())
    evidence = [finished.get(i) or p.snapshot(interrupted=True) for i, p in enumerate(probers)]
    policy = _policy(output)
    return MultiReport.of(
        tuple(
            (t.name, build(ev, t.settings, *policy))
            for t, ev in zip(targets, evidence, strict=True)
        )
    )


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion from synchronous code. Inside a running event loop
    (a notebook, an async test) it runs in a worker thread with its own loop instead of
    raising "asyncio.run() cannot be called from a running event loop"."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="modelcheck") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def mask_secrets(value: T, secrets: Sequence[str]) -> T:
    """``value`` with every secret in its strings masked (dataclasses, tuples, lists and
    dicts are rebuilt; other values kept)."""
    if not secrets:
        return value
    from modelcheck.redact import scrub

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return scrub(item, secrets)
        if is_dataclass(item) and not isinstance(item, type):
            changed = {f.name: walk(getattr(item, f.name)) for f in fields(item) if f.init}
            return replace(item, **changed)
        if isinstance(item, tuple):
            return tuple(walk(i) for i in item)
        if isinstance(item, list):
            return [walk(i) for i in item]
        if isinstance(item, dict):
            return {walk(k): walk(v) for k, v in item.items()}
        return item

    result: T = walk(value)
    return result
