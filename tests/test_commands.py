"""`modelcheck models`, `causes`/`rules --format json`, shell completion and `demo --serve`,
over real HTTP to the simulator on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from modelcheck.simulator import Scenario, SimServer

from conftest import run

Sim = Callable[[Scenario], SimServer]
KEY = "sk-proj-models0000000000T3BlbkFJ000000000007x7x"
LISTED = ("gpt-4o-mini", "gpt-4", "text-embedding-3-small", "davinci-002")


@pytest.fixture
def server(sim: Sim) -> SimServer:
    modes = {"text-embedding-3-small": "embeddings", "davinci-002": "completions"}
    return sim(Scenario("models", "models", listed=LISTED, modes=modes))


def models(server: SimServer, *args: str) -> tuple[int, str, str]:
    result = run(["models", "--base-url", server.url, *args], key=KEY)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_models_lists_what_the_key_sees_for_free(server: SimServer) -> None:
    code, out, _ = models(server, "--format", "json", "--as-of", "2026-12-01")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "modelcheck.models/1" and doc["listed_count"] == 4
    rows = {m["id"]: m for m in doc["models"]}
    assert list(rows) == list(LISTED)
    assert rows["text-embedding-3-small"]["mode"] == "embeddings"
    assert rows["gpt-4"]["retired"] == "retired 2026-10-23"
    assert rows["gpt-4"]["replacement"]
    assert "verdict" not in rows["gpt-4o-mini"]  # not probed
    assert server.count("POST") == 0
    assert KEY not in out


def test_models_filters_by_pattern_and_mode(server: SimServer) -> None:
    _, out, _ = models(server, "gpt-4*", "--format", "json")
    assert [m["id"] for m in json.loads(out)["models"]] == ["gpt-4o-mini", "gpt-4"]
    _, out, _ = models(server, "embedding", "-f", "json")
    assert [m["id"] for m in json.loads(out)["models"]] == ["text-embedding-3-small"]
    code, out, _ = models(server, "--mode", "completions")
    assert code == 0 and "davinci-002" in out and "gpt-4o-mini" not in out
    assert "1 of 4 shown" in out


def test_models_probe_checks_each_shown_model_on_its_mode(server: SimServer) -> None:
    code, out, _ = models(server, "--mode", "embeddings", "--probe", "--format", "json")
    assert code == 0
    (row,) = json.loads(out)["models"]
    assert (row["verdict"], row["proof"]) == ("pass", "generated")
    assert [r.path for r in server.requests if r.method == "POST"] == ["/v1/embeddings"]


def test_models_probe_free_sends_nothing_that_costs(server: SimServer) -> None:
    code, out, _ = models(server, "--probe", "--free", "--format", "json")
    assert server.count("POST") == 0
    assert {m["proof"] for m in json.loads(out)["models"]} == {"listed"}
    assert code == 0


def test_models_with_a_bad_key_says_why(sim: Sim) -> None:
    server = sim(Scenario("k", "k", key="sk-proj-the-right-one-00000000000000000"))
    code, out, _ = models(server)
    assert code == 1 and "invalid_api_key" in out


def test_check_json_has_the_listed_ids(server: SimServer) -> None:
    result = run(["check", "gpt-4o-mini", "--base-url", server.url, "-f", "json"], key=KEY)
    assert json.loads(result.stdout)["listed_ids"] == list(LISTED)


def test_causes_and_rules_as_json() -> None:
    causes = json.loads(run(["causes", "--format", "json"]).stdout)
    assert causes["schema"] == "modelcheck.causes/1"
    ids = [c["id"] for c in causes["causes"]]
    assert "model_not_found" in ids and len(ids) == len(set(ids))
    one = json.loads(run(["causes", "model_not_found", "--format", "json"]).stdout)
    assert one["id"] == "model_not_found" and one["rules"] and one["fix"]
    rules = json.loads(run(["rules", "-f", "json", "--cause", "rate_limited"]).stdout)
    assert rules["schema"] == "modelcheck.rules/1"
    assert rules["rules"] and {r["cause"] for r in rules["rules"]} == {"rate_limited"}


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o"), ("zsh", "#compdef")])
def test_shell_completion_script_is_produced(shell: str, marker: str) -> None:
    exe = shutil.which("modelcheck")
    assert exe is not None
    env = {**os.environ, "_MODELCHECK_COMPLETE": f"{shell}_source"}
    out = subprocess.run([exe], env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and marker in out.stdout and "_modelcheck_completion" in out.stdout


def test_demo_serve_runs_until_stopped_and_check_works_against_it() -> None:
    exe = shutil.which("modelcheck")
    assert exe is not None
    proc = subprocess.Popen(
        [exe, "demo", "--serve", "--scenario", "typo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        url = next(line.split(": ", 1)[1].strip() for line in lines if line.startswith("base"))
        key = next(line.split()[1] for line in lines if line.startswith("key:"))
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        assert httpx.get(f"{url}/models", headers={"Authorization": f"Bearer {key}"}).is_success
        result = run(["check", "gtp-4", "--base-url", url, "-f", "json"], key=key)
        assert result.exit_code == 1
        entry = json.loads(result.stdout)["models"][0]
        assert entry["diagnoses"][0]["cause"] == "model_not_found"
    finally:
        proc.send_signal(signal.SIGINT if sys.platform != "win32" else signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and "Traceback" not in err


def test_demo_serve_on_a_taken_port_is_one_line() -> None:
    taken = SimServer(Scenario("taken", "taken")).start()
    try:
        result = run(["demo", "--serve", "--port", str(taken.port)])
    finally:
        taken.stop()
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1" in result.stderr
