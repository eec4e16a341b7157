"""The pytest plugin (entry point ``pytest11``): gate tests on real model access.

    @pytest.mark.requires_model("gpt-4o-mini")
    @pytest.mark.requires_model("claude-sonnet-4-5", provider="anthropic")
    def test_summary(): ...

A test whose model is not usable is skipped with the cause id and the first fix
(``--modelcheck-strict``: failed instead). Each distinct target (the marker's settings) is
checked once per session, for every model any collected test requires of it; the
``modelcheck_report`` fixture gives the test its target's ``Report``. ``--modelcheck-free``
sends free requests only. README, "pytest plugin".

Importing this module imports nothing of modelcheck's: a session that uses no marker pays
nothing, and sends nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from modelcheck.report import Report

MARKER = "requires_model"
Target = tuple[tuple[str, str], ...]
"""A marker's settings, as a hashable key: (name, repr(value)) pairs, sorted."""


@dataclass
class _Session:
    """What the plugin knows in one session."""

    free: bool
    strict: bool
    wanted: dict[Target, list[str]] = field(default_factory=dict)
    settings: dict[Target, dict[str, Any]] = field(default_factory=dict)
    reports: dict[Target, Report | str] = field(default_factory=dict)
    """A target's report, or the one-line error that stopped its check."""

    def report(self, target: Target, models: tuple[str, ...]) -> Report | str:
        """The target's report: checked once, for every model collected tests require."""
        if target not in self.reports:
            import modelcheck

            wanted = list(dict.fromkeys([*self.wanted.get(target, []), *models]))
            kwargs = dict(self.settings.get(target, {}))
            if self.free:
                kwargs["free"] = True
            try:
                self.reports[target] = modelcheck.check(wanted, **kwargs)
            except (modelcheck.SettingsError, TypeError) as exc:
                self.reports[target] = f"modelcheck: {exc}"
        return self.reports[target]


_SESSION = pytest.StashKey[_Session]()
_SKIPPED = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """--modelcheck-strict and --modelcheck-free."""
    group = parser.getgroup("modelcheck", "model access (modelcheck)")
    group.addoption(
        "--modelcheck-strict",
        action="store_true",
        default=False,
        help="fail, instead of skip, a test whose required model is not usable",
    )
    group.addoption(
        "--modelcheck-free",
        action="store_true",
        default=False,
        help="check models with free requests only (no tokens; quota and billing unseen)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker; start the session's cache."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*models, **settings): skip the test unless each model is usable with "
        "this key (settings as modelcheck.check: provider=, base_url=, api_key_env=, ...)",
    )
    config.stash[_SESSION] = _Session(
        free=bool(config.getoption("modelcheck_free")),
        strict=bool(config.getoption("modelcheck_strict")),
    )


def _target(mark: pytest.Mark) -> Target:
    return tuple(sorted((k, repr(v)) for k, v in mark.kwargs.items()))


def _models(mark: pytest.Mark) -> tuple[str, ...]:
    models: list[str] = []
    for arg in mark.args:
        models.extend([arg] if isinstance(arg, str) else list(arg))
    return tuple(models)


def _marks(item: pytest.Item) -> Iterator[pytest.Mark]:
    return item.iter_markers(MARKER)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Gather what every collected test requires, so that each target is checked once."""
    state = config.stash[_SESSION]
    for item in items:
        for mark in _marks(item):
            target = _target(mark)
            state.settings.setdefault(target, dict(mark.kwargs))
            state.wanted.setdefault(target, []).extend(_models(mark))


def _why(report: Report, model: str) -> str:
    m = report.model(model)
    diagnoses = [d for d in m.diagnoses if d.severity == "error"]
    diagnoses += [d for d in report.account if d.cause in m.account_causes]
    if diagnoses:
        d = diagnoses[0]
        fix = f" Fix: {d.fix[0]}" if d.fix else ""
        return f"{d.cause}: {d.summary}{fix}"
    return m.skipped or m.verdict


def _cause(report: Report, model: str) -> str:
    return _why(report, model).split(":", 1)[0]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, strict, fail) the test unless every model it requires is usable."""
    state = item.config.stash[_SESSION]
    for mark in _marks(item):
        models = _models(mark)
        if not models:
            pytest.fail(f"@pytest.mark.{MARKER} names no model", pytrace=False)
        report = state.report(_target(mark), models)
        if isinstance(report, str):
            pytest.fail(report, pytrace=False)  # a usage error in the marker: the test's own
        for model in models:
            if report.model(model).verdict == "pass":
                continue
            message = f"modelcheck: {model} is not usable ({_why(report, model)})"
            if state.strict:
                pytest.fail(message, pytrace=False)
            item.stash[_SKIPPED] = message
            pytest.skip(message)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A skip of ours is reported at the test's line (as a skip mark's is), not the plugin's."""
    report = yield
    message = item.stash.get(_SKIPPED, None)
    if message is not None and report.when == "setup" and report.skipped:
        path, line = item.reportinfo()[:2]
        report.longrepr = (os.fspath(path), (line or 0) + 1, f"Skipped: {message}")
    return report


@pytest.fixture
def modelcheck_report(request: pytest.FixtureRequest) -> Report:
    """The ``Report`` of the test's (closest) ``requires_model`` target."""
    mark = request.node.get_closest_marker(MARKER)
    if mark is None:
        pytest.fail(f"modelcheck_report needs @pytest.mark.{MARKER}(...)", pytrace=False)
    report = request.config.stash[_SESSION].report(_target(mark), _models(mark))
    if isinstance(report, str):
        pytest.fail(report, pytrace=False)
    return report


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """One line: what was checked, and what was not usable."""
    state = config.stash[_SESSION]
    reports = [r for r in state.reports.values() if not isinstance(r, str)]
    if not state.reports:
        return
    models = [m for r in reports for m in r.models]
    usable = sum(1 for m in models if m.verdict == "pass")
    unusable = [
        f"{m.model} ({_cause(r, m.model)})"
        for r in reports
        for m in r.models
        if m.verdict != "pass"
    ]
    requests = sum(r.requests for r in reports)
    line = (
        f"modelcheck: {len(state.reports)} target(s), {usable} of {len(models)} model(s) usable"
        f"{'; not usable: ' + ', '.join(unusable) if unusable else ''}; {requests} requests"
    )
    errors = len(state.reports) - len(reports)
    if errors:
        line += f"; {errors} target(s) not checked (a usage error)"
    terminalreporter.write_line(line)
