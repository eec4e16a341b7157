"""Shared fixtures: a clean environment and simulated servers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from modelcheck.cli import cli
from modelcheck.simulator import Scenario, SimServer

FIXTURES = Path(__file__).parent / "fixtures" / "errors"
CANARY = "sk-proj-CANARYzq81mT3BlbkFJSecretKey7x7xW3bqZ"
CANARY_MASK = "sk-proj-\u20263bqZ"

_SCRUBBED_PREFIXES = ("OPENAI_", "MODELCHECK_", "AZURE_OPENAI", "ANTHROPIC_", "GITHUB_")
_SCRUBBED_NAMES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ssl_cert_file"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real key, base URL or proxy never reaches a test."""
    for name in list(os.environ):
        if name.startswith(_SCRUBBED_PREFIXES) or name.lower() in _SCRUBBED_NAMES:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sim() -> Iterator[Callable[[Scenario], SimServer]]:
    """Start scenario servers on 127.0.0.1; all are stopped after the test."""
    servers: list[SimServer] = []

    def start(scenario: Scenario) -> SimServer:
        server = SimServer(scenario).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def run(args: list[str], key: str | None = CANARY, **env: str) -> Result:
    """Invoke the CLI in-process with OPENAI_API_KEY=key; stdout and stderr kept apart."""
    environ = dict(env)
    if key is not None:
        environ["OPENAI_API_KEY"] = key
    return CliRunner().invoke(cli, args, env=environ, catch_exceptions=False)


def report_json(result: Result) -> dict[str, Any]:
    """The JSON report on stdout."""
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def model_entry(report: dict[str, Any], model: str) -> dict[str, Any]:
    """One model's entry in a JSON report."""
    entries = [m for m in report["models"] if m["model"] == model]
    assert len(entries) == 1
    return entries[0]


def causes(entry: dict[str, Any]) -> list[str]:
    """The ranked cause ids of a JSON model entry or account block."""
    return [d["cause"] for d in entry["diagnoses"]]


def load_fixture(fixture_id: str) -> dict[str, Any]:
    """A verbatim error fixture by id."""
    data = json.loads((FIXTURES / f"{fixture_id}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port
