"""The Python API behind ``modelcheck.check``, ``acheck`` and ``explain`` (README, "Python API").

Settings follow the command line's precedence: the keyword arguments (as flags), then
``MODELCHECK_*`` variables, then the config file, then the defaults. The same pipeline as the
CLI runs (run.py); nothing here imports click.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modelcheck.explainer import ExplainResult
    from modelcheck.settings import Output, Settings

log = logging.getLogger("modelcheck")

DISPLAY_ONLY = frozenset(
    {"format", "output", "table_style", "summary", "color", "quiet", "verbose"}
)
"""Settings of the command line's output: a Report is rendered by the caller."""
_SHELL_HISTORY = "saved in your shell history"


def _flags(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments as the CLI's flags; an unknown or display-only name is a TypeError
    (with the closest setting), a list setting may be given as a string or an iterable."""
    import difflib

    from modelcheck.config import OPTIONS

    flags: dict[str, Any] = {}
    for name, value in kwargs.items():
        option = OPTIONS.get(name)
        if option is None or name in DISPLAY_ONLY:
            if name in DISPLAY_ONLY:
                raise TypeError(
                    f"{name!r} is an output setting of the command line; render the Report "
                    "yourself (report.to_dict() is the JSON report)"
                )
            near = difflib.get_close_matches(name, [o for o in OPTIONS if o not in DISPLAY_ONLY])
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise TypeError(f"check() got an unexpected keyword argument {name!r}{hint}")
        if value is None:
            continue
        if option.kind == "list":
            value = [value] if isinstance(value, str) else [str(v) for v in value]
        flags[name] = value
    return flags


def _models(models: str | Iterable[str]) -> tuple[str, ...]:
    return (models,) if isinstance(models, str) else tuple(models)


def prepare(
    models: str | Iterable[str],
    kwargs: Mapping[str, Any],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | None = None,
) -> tuple[Settings, Output]:
    """Settings and output policy for one check, as ``modelcheck check`` would resolve them.
    Raises modelcheck.SettingsError (a usage or configuration error)."""
    from dataclasses import replace

    from modelcheck.settings import load_settings

    settings, output = load_settings(
        _models(models),
        _flags(kwargs),
        os.environ if env is None else env,
        Path.cwd() if cwd is None else Path(cwd),
        config_path=None if config is None else os.fspath(config),
    )
    shown = tuple(w for w in settings.warnings if _SHELL_HISTORY not in w)
    for warning in shown:
        log.warning("modelcheck: %s", warning)
    return replace(settings, warnings=shown), output


def prepare_check(
    models: str | Iterable[str],
    *,
    provider: str | None,
    base_url: str | None,
    api_key: str | None,
    api_key_env: str | None,
    free: bool,
    env: Mapping[str, str] | None,
    cwd: str | os.PathLike[str] | None,
    config: str | os.PathLike[str] | None,
    settings: Mapping[str, Any],
) -> tuple[Settings, Output]:
    """``prepare`` for the arguments of ``modelcheck.check`` and ``acheck`` (one place for
    both): the named settings and the keyword ones, as flags."""
    given: dict[str, Any] = {"provider": provider, "base_url": base_url, "api_key": api_key}
    given |= {"api_key_env": api_key_env, "free": free or None, **settings}
    return prepare(models, given, env=env, cwd=cwd, config=config)


def explain(
    text: str,
    *,
    status: int | None = None,
    provider: str | None = None,
    model: str | None = None,
    endpoint: str | None = None,
    as_of: str | None = None,
) -> ExplainResult:
    """See ``modelcheck.explain``."""
    from datetime import date

    from modelcheck.explainer import explain_text
    from modelcheck.providers import PROVIDERS
    from modelcheck.settings import SettingsError

    if not isinstance(text, str) or not text.strip():
        raise SettingsError("explain() needs the error text (a non-empty string)")
    if provider is not None and provider not in PROVIDERS:
        raise SettingsError(f"unknown provider {provider!r} (known: {', '.join(PROVIDERS)})")
    today = None
    if as_of is not None:
        try:
            today = date.fromisoformat(as_of.strip()).isoformat()
        except ValueError:
            raise SettingsError(f"as_of {as_of!r} is not a date (YYYY-MM-DD)") from None
    hints = {"status": status, "provider": provider, "model": model, "endpoint": endpoint}
    return explain_text(text, today=today, **{k: v for k, v in hints.items() if v is not None})
