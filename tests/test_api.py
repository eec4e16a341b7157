"""The Python API (`modelcheck.check`, `acheck`, `explain`) over real HTTP to the simulator on
127.0.0.1: sync, async inside a running loop, from threads; its settings precedence, errors,
and that no key reaches a repr or a dict."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import modelcheck
from modelcheck.simulator import Scenario, SimServer

from conftest import CANARY, run

Sim = Callable[[Scenario], SimServer]
KEY = "sk-proj-apiTEST000000000T3BlbkFJ000000000007x7x"
ENV = {"OPENAI_API_KEY": KEY}


def server_with(sim: Sim, *listed: str) -> SimServer:
    return sim(Scenario("api", "api", listed=listed or ("gpt-4o-mini", "gpt-3.5-turbo")))


def test_importing_modelcheck_loads_no_dependency() -> None:
    code = (
        "import sys, modelcheck; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'httpx', 'click', 'tabulate'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_returns_the_report(sim: Sim) -> None:
    server = server_with(sim)
    report = modelcheck.check(["gpt-4o-mini", "gtp-4"], base_url=server.url, env=ENV)
    assert (report.verdict, report.exit_code, report.ok) == ("fail", 1, False)
    good, typo = report.model("gpt-4o-mini"), report.model("gtp-4")
    assert (good.verdict, good.proof, good.diagnoses) == ("pass", "generated", ())
    assert typo.verdict == "fail" and typo.diagnoses[0].cause == "model_not_found"
    assert report.account == ()
    assert isinstance(report, modelcheck.Report)


def _stable(document: dict[str, Any]) -> dict[str, Any]:
    """The JSON report without what differs between two runs (latency, request ids)."""
    text = json.dumps(document)
    data: dict[str, Any] = json.loads(text)
    for model in data["models"]:
        for probe in model["probes"]:
            probe["latency_ms"] = probe["request_id"] = None
            probe["headers"].pop("x-request-id", None)
    return data


def test_to_dict_is_exactly_the_json_report_of_the_cli(sim: Sim) -> None:
    server = server_with(sim)
    report = modelcheck.check(["gpt-4o-mini", "gtp-4"], base_url=server.url, env=ENV)
    cli = run(["check", "gpt-4o-mini", "gtp-4", "--base-url", server.url, "-f", "json"], key=KEY)
    assert _stable(report.to_dict()) == _stable(json.loads(cli.stdout))


def test_acheck_runs_in_the_callers_loop_and_check_works_inside_one(sim: Sim) -> None:
    server = server_with(sim)

    async def main() -> tuple[str, str, bool]:
        loop = asyncio.get_running_loop()
        awaited = await modelcheck.acheck("gpt-4o-mini", base_url=server.url, env=ENV)
        # The sync call inside a running loop: no "asyncio.run() cannot be called" error.
        blocking = modelcheck.check("gpt-4o-mini", base_url=server.url, env=ENV)
        return awaited.verdict, blocking.verdict, asyncio.get_running_loop() is loop

    assert asyncio.run(main()) == ("pass", "pass", True)


def test_acheck_runs_concurrently_with_other_tasks(sim: Sim) -> None:
    server = server_with(sim)

    async def main() -> list[str]:
        reports = await asyncio.gather(
            *(modelcheck.acheck(m, base_url=server.url, env=ENV) for m in ("gpt-4o-mini", "x1"))
        )
        return [r.verdict for r in reports]

    assert asyncio.run(main()) == ["pass", "fail"]


def test_check_from_several_threads(sim: Sim) -> None:
    server = server_with(sim)
    verdicts: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        report = modelcheck.check("gpt-4o-mini", base_url=server.url, env=ENV)
        with lock:
            verdicts.append(report.verdict)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert verdicts == ["pass"] * 4


def test_the_key_is_in_no_repr_and_no_dict_even_when_the_server_echoes_it(sim: Sim) -> None:
    server = sim(Scenario("echo", "echo", echo_key=True))
    report = modelcheck.check("gpt-4o-mini", base_url=server.url, api_key=CANARY)
    assert report.verdict == "fail"
    for text in (repr(report), str(report), json.dumps(report.to_dict())):
        assert CANARY not in text and CANARY[6:-4] not in text
    assert report.key == "sk-proj-…3bqZ"


def test_settings_follow_the_cli_precedence(sim: Sim, tmp_path: Path) -> None:
    server = server_with(sim)
    (tmp_path / "modelcheck.toml").write_text("max_requests = 7\n")
    common: dict[str, Any] = {"base_url": server.url, "cwd": tmp_path}
    from_file = modelcheck.check("gpt-4o-mini", env=ENV, **common)
    env = {**ENV, "MODELCHECK_MAX_REQUESTS": "5"}
    from_env = modelcheck.check("gpt-4o-mini", env=env, **common)
    from_kwarg = modelcheck.check("gpt-4o-mini", env=env, max_requests=3, **common)
    assert [r.max_requests for r in (from_file, from_env, from_kwarg)] == [7, 5, 3]


def test_api_key_env_and_free(sim: Sim) -> None:
    server = server_with(sim)
    report = modelcheck.check(
        "gpt-4o-mini", base_url=server.url, api_key_env="MY_KEY", free=True, env={"MY_KEY": KEY}
    )
    assert report.verdict == "pass" and report.model("gpt-4o-mini").proof == "listed"
    assert server.count("POST") == 0


def test_a_policy_setting_changes_the_exit_code(sim: Sim) -> None:
    server = server_with(sim)
    report = modelcheck.check("gtp-4", base_url=server.url, env=ENV, fail_on="never")
    assert (report.verdict, report.exit_code) == ("fail", 0)


def test_errors_are_typed_and_readable() -> None:
    with pytest.raises(TypeError, match="did you mean 'timeout'"):
        modelcheck.check("gpt-4o-mini", timeot=5)
    with pytest.raises(TypeError, match="output setting"):
        modelcheck.check("gpt-4o-mini", format="json")
    with pytest.raises(modelcheck.SettingsError, match="unknown provider"):
        modelcheck.check("gpt-4o-mini", provider="nope", env={})
    with pytest.raises(modelcheck.SettingsError, match="name at least one model"):
        modelcheck.check([], env=ENV)


def test_a_network_failure_is_a_report_not_an_exception() -> None:
    report = modelcheck.check("gpt-4o-mini", base_url="http://127.0.0.1:9/v1", env=ENV, timeout=2)
    assert report.verdict == "inconclusive" and report.exit_code == 3
    assert report.account[0].cause == "network_connect"


def test_explain() -> None:
    body = (
        '{"error": {"message": "Incorrect API key provided: '
        + CANARY
        + '", "type": "invalid_request_error", "code": "invalid_api_key"}}'
    )
    result = modelcheck.explain(body, status=401)
    assert result.top.cause == "invalid_api_key" and result.exit_code == 1
    assert result.to_dict()["schema"] == "modelcheck.explain/1"
    for text in (repr(result), json.dumps(result.to_dict())):
        assert CANARY not in text
    with pytest.raises(modelcheck.SettingsError):
        modelcheck.explain("  ")
