"""Modes over real HTTP: each model probed on the endpoint it is served on, one request per
model, the switch after a refusal that names the model's own endpoint, paid probes only on
opt-in, proof levels in every format, pagination, and gateway headers (masked)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from modelcheck.simulator import MODES_DEMO, Reply, Scenario, SimServer

from conftest import CANARY, causes, model_entry, report_json, run

Sim = Callable[[Scenario], SimServer]
PATHS = {
    "chat": "/chat/completions",
    "responses": "/responses",
    "completions": "/completions",
    "embeddings": "/embeddings",
    "moderations": "/moderations",
    "audio.speech": "/audio/speech",
    "audio.transcriptions": "/audio/transcriptions",
    "images": "/images/generations",
}


def posts(server: SimServer, path: str) -> int:
    """POSTs to exactly ``path`` (under /v1)."""
    return sum(1 for r in server.requests if r.method == "POST" and r.path == "/v1" + path)


def modes_server(sim: Sim, **extra: object) -> SimServer:
    return sim(
        Scenario("modes", "modes", listed=tuple(MODES_DEMO), modes=dict(MODES_DEMO), **extra)  # type: ignore[arg-type]
    )


def test_each_model_is_probed_once_on_its_own_endpoint(sim: Sim) -> None:
    server = modes_server(sim)
    free_modes = [m for m, mode in MODES_DEMO.items() if mode != "images"]
    result = run(["check", *free_modes, "--base-url", server.url, "-f", "json"])
    assert result.exit_code == 0, result.stdout[-2000:]
    report = report_json(result)
    for model in free_modes:
        mode = MODES_DEMO[model]
        entry = model_entry(report, model)
        assert (entry["verdict"], entry["mode"], entry["proof"]) == ("pass", mode, "generated")
        assert entry["mode_source"] == "knowledge"
        assert entry["endpoint"] == PATHS[mode]
        assert posts(server, PATHS[mode]) == 1
    # 1 + N: the list and one request per model; no retrieve, no chat for non-chat models.
    assert server.count() == report["usage"]["requests"] == 1 + len(free_modes)
    assert server.count("GET", "/models") == 1
    assert sum(posts(server, p) for p in PATHS.values()) == len(free_modes)
    bodies = {r.path: r.body for r in server.requests if r.method == "POST"}
    assert bodies["/v1/responses"]["max_output_tokens"] == 16  # the API's minimum
    assert bodies["/v1/completions"]["max_tokens"] == 1
    assert bodies["/v1/embeddings"]["input"] == "Hi"
    assert not any("temperature" in (b or {}) or (b or {}).get("stream") for b in bodies.values())
    # The responses probe spent at most 16 tokens, and the token cap planned for it.
    assert report["usage"]["max_tokens"] >= 16 + 1


def test_the_table_names_modes_and_proof(sim: Sim) -> None:
    server = modes_server(sim)
    result = run(["check", "text-embedding-3-small", "gpt-image-1", "--base-url", server.url])
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line}
    assert rows["text-embedding-3-small"][1:5] == ["embeddings", "yes", "usable", "generated"]
    assert rows["gpt-image-1"][1:6] == ["images", "yes", "usable", "listed", "only"]
    assert "--paid-probes images sends it" in " ".join(result.stdout.split())


def test_paid_modes_are_judged_on_the_list_unless_opted_in(sim: Sim) -> None:
    server = modes_server(sim)
    result = run(["check", "gpt-image-1", "--base-url", server.url, "-f", "json"])
    entry = model_entry(report_json(result), "gpt-image-1")
    assert server.count("POST") == 0
    assert (entry["verdict"], entry["proof"]) == ("pass", "listed")
    assert "costs money" in entry["note"] and "$0.005" in entry["note"]
    assert result.exit_code == 0
    # --strict: a model proved only by the list fails the run.
    strict = run(["check", "gpt-image-1", "--base-url", server.url, "--strict", "-f", "json"])
    assert strict.exit_code == 1
    paid = run(
        ["check", "gpt-image-1", "--base-url", server.url, "--paid-probes", "images", "-f", "json"]
    )
    assert paid.exit_code == 0
    assert model_entry(report_json(paid), "gpt-image-1")["proof"] == "generated"
    assert posts(server, "/images/generations") == 1


def test_endpoint_chat_keeps_the_chat_probe_and_never_switches(sim: Sim) -> None:
    model = "acme-instruct"
    server = sim(Scenario("acme", "acme", listed=(model,), modes={model: "completions"}))
    result = run(["check", model, "--base-url", server.url, "--endpoint", "chat", "-f", "json"])
    assert result.exit_code == 1
    entry = model_entry(report_json(result), model)
    assert causes(entry)[0] == "wrong_endpoint_for_model"
    assert entry["mode"] == "chat" and entry["mode_source"] == "--endpoint"
    assert posts(server, "/chat/completions") == 1
    assert posts(server, "/completions") == 0


@pytest.mark.parametrize(
    ("served", "path"), [("completions", "/completions"), ("responses", "/responses")]
)
def test_a_refusal_that_names_the_endpoint_switches_the_probe_once(
    sim: Sim, served: str, path: str
) -> None:
    # An id no model data knows: the chat probe's refusal names where it is served.
    model = f"acme-{served}-model"
    server = sim(Scenario("acme", "acme", listed=(model,), modes={model: served}))
    result = run(["check", model, "--base-url", server.url, "-f", "json"])
    assert result.exit_code == 0, result.stdout[-1500:]
    entry = model_entry(report_json(result), model)
    assert (entry["mode"], entry["mode_source"], entry["proof"]) == (
        served,
        "switched",
        "generated",
    )
    assert [p["endpoint"] for p in entry["probes"]] == ["chat", served]
    assert posts(server, "/chat/completions") == 1
    assert posts(server, path) == 1
    assert server.count("GET", f"/models/{model}") == 0


def test_model_at_mode_and_mode_flag(sim: Sim) -> None:
    server = modes_server(sim)
    result = run(["check", "gpt-4o-mini@responses", "--base-url", server.url, "-f", "json"])
    assert result.exit_code == 0
    entry = model_entry(report_json(result), "gpt-4o-mini")
    assert (entry["mode"], entry["mode_source"]) == ("responses", "argument")
    assert posts(server, "/responses") == 1
    flagged = run(
        ["check", "gpt-4o-mini", "--mode", "responses", "--base-url", server.url, "-f", "json"]
    )
    assert model_entry(report_json(flagged), "gpt-4o-mini")["mode_source"] == "--mode"
    # A Vertex-style id keeps its @version: only a mode name is split off.
    bad = run(["check", "x@nope", "--mode", "sideways", "--base-url", server.url])
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr


def test_a_wrong_model_on_an_audio_endpoint_is_the_endpoint_not_the_url(sim: Sim) -> None:
    server = modes_server(sim)
    result = run(["check", "gpt-4o-mini@audio.speech", "--base-url", server.url, "-f", "json"])
    entry = model_entry(report_json(result), "gpt-4o-mini")
    assert causes(entry)[0] == "wrong_endpoint_for_model"
    assert "Invalid URL (POST /v1/audio/speech)" in entry["probes"][0]["error"]["message"]


def test_free_sends_nothing_that_uses_a_model(sim: Sim) -> None:
    server = modes_server(sim)
    result = run(["check", *MODES_DEMO, "--free", "--base-url", server.url, "-f", "json"])
    assert result.exit_code == 0
    report = report_json(result)
    assert server.count("POST") == 0 and server.count() == 1  # every model is listed
    assert {m["proof"] for m in report["models"]} == {"listed"}


def test_pagination_is_followed(sim: Sim) -> None:
    first = {
        "object": "list",
        "data": [{"id": "gpt-4o-mini"}],
        "has_more": True,
        "last_id": "gpt-4o-mini",
    }
    second = {"object": "list", "data": [{"id": "o4-mini"}], "has_more": False}
    server = sim(
        Scenario(
            "pages",
            "pages",
            listed=("gpt-4o-mini", "o4-mini"),
            routes={
                "GET /v1/models": [Reply(200, json.dumps(first)), Reply(200, json.dumps(second))]
            },
        )
    )
    result = run(["check", "o4-mini", "--free", "--base-url", server.url, "-f", "json"])
    report = report_json(result)
    assert report["listed_count"] == 2
    assert model_entry(report, "o4-mini")["listed"] is True
    assert server.count("GET", "/models") == 2
    assert server.count("GET", "/models/o4-mini") == 0


def test_headers_are_sent_and_masked(sim: Sim) -> None:
    secret = "pk-portkey-SECRET-0123456789abcdef"
    echo = Reply(
        401,
        json.dumps(
            {"error": {"message": f"bad portkey key {secret}", "type": "auth", "code": None}}
        ),
    )
    server = sim(Scenario("gw", "gw", routes={"POST /v1/chat/completions": [echo]}))
    result = run(
        [
            "check",
            "gpt-4o-mini",
            "--provider",
            "compatible",
            "--base-url",
            server.url,
            "--header",
            "x-portkey-api-key: ${PORTKEY}",
            "--header",
            "HTTP-Referer: https://example.com",
            "-f",
            "json",
            "-v",
        ],
        PORTKEY=secret,
    )
    sent = dict(server.requests[0].headers)
    assert sent["x-portkey-api-key"] == secret
    assert sent["http-referer"] == "https://example.com"
    assert secret not in result.stdout and secret not in result.stderr
    assert CANARY not in result.stdout + result.stderr
    bad = run(["check", "gpt-4o-mini", "--header", "no-colon-here"])
    assert bad.exit_code == 2 and "NAME:VALUE" in bad.stderr
    unset = run(["check", "gpt-4o-mini", "--header", "x-k: ${NOT_SET_ANYWHERE}"])
    assert unset.exit_code == 2 and "NOT_SET_ANYWHERE is not set" in unset.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown", "github", "junit", "json"])
def test_proof_levels_in_every_format(sim: Sim, fmt: str) -> None:
    server = modes_server(sim)
    result = run(["check", "gpt-4o-mini", "gpt-image-1", "--base-url", server.url, "-f", fmt])
    text = result.stdout
    if fmt == "json":
        proofs = {m["model"]: m["proof"] for m in json.loads(text)["models"]}
        assert proofs == {"gpt-4o-mini": "generated", "gpt-image-1": "listed"}
    elif fmt == "github":
        assert "::notice title=modelcheck%3A gpt-image-1 listed only::" in text
    elif fmt == "junit":
        assert "proof: generated" in text and "proof: listed" in text
    else:
        assert "generated" in text and "listed only" in text
