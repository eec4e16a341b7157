"""modelcheck: tells you why an API key cannot use a model, and tells CI whether it can.

The Python API (README, "Python API")::

    import modelcheck

    report = modelcheck.check(["gpt-4o-mini", "o3"])           # OPENAI_API_KEY
    if not report.ok:
        for m in report.models:
            print(m.model, m.verdict, m.diagnoses[0].cause if m.diagnoses else "")

    report = await modelcheck.acheck("claude-sonnet-4-5", provider="anthropic")
    result = modelcheck.explain('{"error": {"code": "model_not_found", ...}}')

Importing this package loads nothing else: httpx, click and tabulate are imported when a
check runs (tabulate never, unless a table is rendered).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from modelcheck.explainer import ExplainResult
    from modelcheck.report import MultiReport, Report
    from modelcheck.settings import SettingsError

__all__ = [
    "ExplainResult",
    "MultiReport",
    "Report",
    "SettingsError",
    "__version__",
    "acheck",
    "check",
    "explain",
]


def check(
    models: str | Iterable[str],
    *,
    provider: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    api_key_env: str | None = None,
    free: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | None = None,
    **settings: Any,
) -> Report:
    """Check whether a key can use ``models``; the same run as ``modelcheck check``.

    ``provider``, ``base_url``, ``api_key`` (or ``api_key_env``, the variable holding it) and
    ``free`` are the common settings; any other setting of the command line is a keyword
    argument named as in the config file (``timeout=5``, ``fail_on="problem"``,
    ``max_requests=20``, ``mode="embeddings"``, ``headers=["X-Team: a"]``...). They take
    precedence over ``MODELCHECK_*`` variables, then the config file (``config`` names one;
    else it is searched from ``cwd`` upwards), then the defaults. ``env`` replaces
    ``os.environ`` (keys are read from it).

    Synchronous; inside a running event loop it runs on a worker thread (prefer ``acheck``
    there), and it is safe to call from several threads. Raises ``modelcheck.SettingsError``
    for a usage or configuration error and ``TypeError`` for an unknown setting; everything
    the network says is in the returned ``Report`` (``verdict``, ``exit_code``, ``models``,
    ``account``, ``to_dict()``), never raised. The key is in no ``repr`` or dict of it.
    """
    from modelcheck import api
    from modelcheck.run import arun_check, run_sync

    resolved, output = api.prepare_check(
        models,
        provider=provider,
        base_url=base_url,
        api_key=api_key,
        api_key_env=api_key_env,
        free=free,
        env=env,
        cwd=cwd,
        config=config,
        settings=settings,
    )
    return run_sync(arun_check(resolved, output))


async def acheck(
    models: str | Iterable[str],
    *,
    provider: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    api_key_env: str | None = None,
    free: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | None = None,
    **settings: Any,
) -> Report:
    """``check``, awaited inside the caller's event loop."""
    from modelcheck import api
    from modelcheck.run import arun_check

    resolved, output = api.prepare_check(
        models,
        provider=provider,
        base_url=base_url,
        api_key=api_key,
        api_key_env=api_key_env,
        free=free,
        env=env,
        cwd=cwd,
        config=config,
        settings=settings,
    )
    return await arun_check(resolved, output)


def explain(
    text: str,
    *,
    status: int | None = None,
    provider: str | None = None,
    model: str | None = None,
    endpoint: str | None = None,
    as_of: str | None = None,
) -> ExplainResult:
    """Diagnose a pasted error offline, as ``modelcheck explain`` does: no network, no key.

    The hints fill what the text lacks. The result has ``diagnoses`` (ranked), ``input``
    (what was read), ``exit_code`` and ``to_dict()`` (the ``modelcheck.explain/1`` JSON);
    anything key-shaped from the text is masked in its ``repr`` and dict."""
    from modelcheck import api

    return api.explain(
        text, status=status, provider=provider, model=model, endpoint=endpoint, as_of=as_of
    )


_LAZY = {
    "Report": "modelcheck.report",
    "MultiReport": "modelcheck.report",
    "ExplainResult": "modelcheck.explainer",
    "SettingsError": "modelcheck.settings",
}


def __getattr__(name: str) -> Any:
    """The result and error types, imported on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'modelcheck' has no attribute {name!r}")
