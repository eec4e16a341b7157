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

from faults import RawServer
from modelcheck.cli import cli
from modelcheck.diagnosis.engine import assess
from modelcheck.evidence import ErrorInfo, ModelEvidence, Probe, RunEvidence
from modelcheck.keycheck import inspect_key
from modelcheck.providers import PROVIDERS
from modelcheck.report import Report, build_report
from modelcheck.simulator import OVERLOADED, Scenario, SimServer

FIXTURES = Path(__file__).parent / "fixtures" / "errors"
CANARY = "sk-proj-CANARYzq81mT3BlbkFJSecretKey7x7xW3bqZ"
CANARY_MASK = "sk-proj-\u20263bqZ"

_SCRUBBED_PREFIXES = (
    "OPENAI_",
    "MODELCHECK_",
    "AZURE_",
    "ANTHROPIC_",
    "GEMINI_",
    "GOOGLE_",
    "AWS_",
    "GITHUB_",
)
_SCRUBBED_SUFFIXES = ("_API_KEY", "_API_BASE", "_BASE_URL")
_SCRUBBED_NAMES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ssl_cert_file"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's real key, base URL, proxy or AWS credentials never reach a test, and
    the AWS credential chain (botocore, when installed) never asks the instance metadata
    service over the network."""
    for name in list(os.environ):
        scrubbed = name.startswith(_SCRUBBED_PREFIXES) or name.endswith(_SCRUBBED_SUFFIXES)
        if scrubbed or name.lower() in _SCRUBBED_NAMES:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


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


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[..., None]], RawServer]]:
    """Start misbehaving TCP servers on 127.0.0.1 (tests/faults.py); all are closed after."""
    servers: list[RawServer] = []

    def start(behaviour: Callable[..., None]) -> RawServer:
        server = RawServer(behaviour)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


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


def fixed_report(account_problem: bool = False) -> Report:
    """A deterministic report over four models (fail, pass, pass with a warning,
    inconclusive), or with an invalid key found at the account level."""
    key = inspect_key(CANARY, "env OPENAI_API_KEY", PROVIDERS["openai"])
    nf = ErrorInfo(
        code="model_not_found",
        type="invalid_request_error",
        message="The model: `gpt-4` does not exist",
    )
    busy = ErrorInfo(type="server_error", message=json.loads(OVERLOADED)["error"]["message"])
    chat = "/chat/completions"
    if account_problem:
        bad = ErrorInfo(
            code="invalid_api_key",
            type="invalid_request_error",
            # popjane/free_chatgpt_api#3, verbatim.
            message="Incorrect API key provided: sk-PMafP***************************************"
            "E873. You can find your API key at https://platform.openai.com/account/api-keys.",
        )
        models: tuple[ModelEvidence, ...] = (
            ModelEvidence(
                "gpt-4o-mini",
                None,
                (Probe("models.retrieve", "GET", "/models/gpt-4o-mini", 401, bad),),
            ),
        )
        list_probe = Probe("models.list", "GET", "/models", 401, bad)
        listed = None
    else:
        models = (
            ModelEvidence(
                "gpt-4", False, (Probe("chat", "POST", chat, 404, nf, latency_ms=120.0),)
            ),
            ModelEvidence(
                "gpt-3.5-turbo", True, (Probe("chat", "POST", chat, 200, latency_ms=250.5),)
            ),
            ModelEvidence(
                "o1",
                True,
                (
                    Probe("chat", "POST", chat, 400, token_param="max_tokens", latency_ms=80.0),
                    Probe("chat", "POST", chat, 200, token_param="max_completion_tokens"),
                ),
                needs_max_completion_tokens=True,
            ),
            ModelEvidence("gpt-4o-mini", True, (Probe("chat", "POST", chat, 503, busy),)),
        )
        list_probe = Probe("models.list", "GET", "/models", 200)
        listed = ("gpt-3.5-turbo", "gpt-4o-mini", "o1")
    ev = RunEvidence(
        provider="openai",
        base_url="https://api.openai.com/v1",
        key=key,
        list_probe=list_probe,
        listed_ids=listed,
        models=models,
        requests=9,
        prompt_tokens=16,
        completion_tokens=2,
    )
    return build_report(ev, assess(ev, today="2026-11-25"), max_requests=17, max_tokens=8)
