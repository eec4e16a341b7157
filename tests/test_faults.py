"""Fault injection on 127.0.0.1: every fault ends in a readable report with the named cause,
the right exit status and no traceback, within the timeout plus a small margin."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from faults import RawServer, proxy_407, reset_mid_body, reset_mid_headers, silent, trickle
from modelcheck.simulator import DEFAULT, RATE_LIMITED, Reply, Scenario, SimServer

from conftest import CANARY, causes, model_entry, report_json, run

Sim = Callable[[Scenario], SimServer]
MARGIN = 3.0
"""Seconds allowed beyond --timeout for start-up and reporting."""


def timed(args: list[str], **env: str) -> tuple[float, dict[str, object], str]:
    started = time.monotonic()
    result = run([*args, "-f", "json"], **env)
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr
    report = report_json(result)
    assert report["exit_code"] == result.exit_code
    return elapsed, report, result.stderr


@pytest.mark.parametrize(
    ("behaviour", "kind"),
    [
        (reset_mid_headers, "protocol"),
        (reset_mid_body, "reset"),
        (silent, "timeout"),
        (trickle, "timeout"),
    ],
    ids=["reset-mid-headers", "reset-mid-body", "never-answers", "trickle"],
)
def test_connection_faults(
    raw: Callable[..., RawServer], behaviour: Callable[..., None], kind: str
) -> None:
    server = raw(behaviour)
    elapsed, report, _ = timed(
        ["check", "gpt-4o-mini", "--base-url", server.url, "--timeout", "1.5"]
    )
    expected = "network_timeout" if kind == "timeout" else "network_connect"
    assert causes(report["account"]) == [expected]  # type: ignore[arg-type]
    assert report["exit_code"] == 3
    assert elapsed < 1.5 + MARGIN
    probes = model_entry(report, "gpt-4o-mini")["probes"]  # type: ignore[arg-type]
    assert probes[0]["network_error"]["kind"] in (kind, "reset", "protocol")


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    elapsed, report, _ = timed(
        ["check", "gpt-4o-mini", "--base-url", f"http://127.0.0.1:{port}/v1"]
    )
    assert causes(report["account"]) == ["network_connect"]  # type: ignore[arg-type]
    assert report["exit_code"] == 3 and elapsed < MARGIN


def test_dns_failure_for_a_reserved_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # No resolver is asked (tests send traffic only to 127.0.0.1): the lookup fails as
    # glibc fails it for a *.invalid name.
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", "https://api.example.invalid/v1"])
    assert causes(report["account"]) == ["network_dns"]  # type: ignore[arg-type]
    assert report["exit_code"] == 3


# --- TLS ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corp_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=Corp Proxy Root CA/O=Example Corp",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(corp_ca: tuple[Path, Path]) -> Iterator[SimServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*corp_ca)
    server = SimServer(Scenario("seed", "seed"), tls=context).start()
    yield server
    server.stop()


def test_self_signed_certificate_names_the_issuer(
    tls_server: SimServer, corp_ca: tuple[Path, Path]
) -> None:
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", tls_server.url])
    assert causes(report["account"]) == ["network_tls"]  # type: ignore[arg-type]
    diagnosis = report["account"]["diagnoses"][0]  # type: ignore[index]
    assert (
        "certificate issued by commonName=Corp Proxy Root CA, organizationName=Example Corp"
        in diagnosis["summary"]
    )
    assert any("--ca-bundle" in step and "SSL_CERT_FILE" in step for step in diagnosis["fix"])
    assert report["exit_code"] == 3
    assert tls_server.count() == 0  # nothing was sent over the untrusted connection


def test_ca_bundle_and_ssl_cert_file_trust_a_corporate_ca(
    tls_server: SimServer, corp_ca: tuple[Path, Path]
) -> None:
    cert = str(corp_ca[0])
    with_flag = run(["check", "gpt-4o-mini", "--base-url", tls_server.url, "--ca-bundle", cert])
    assert with_flag.exit_code == 0, with_flag.stdout
    with_env = run(["check", "gpt-4o-mini", "--base-url", tls_server.url], SSL_CERT_FILE=cert)
    assert with_env.exit_code == 0, with_env.stdout
    missing = run(["check", "gpt-4o-mini", "--ca-bundle", "/nonexistent/ca.pem"])
    assert (
        missing.exit_code == 2 and "--ca-bundle /nonexistent/ca.pem: no such file" in missing.stderr
    )


# --- proxies -----------------------------------------------------------------------------------


def test_proxy_407_and_no_proxy(raw: Callable[..., RawServer], sim: Sim) -> None:
    proxy = raw(proxy_407)
    server = sim(Scenario("seed", "seed"))
    proxy_url = f"http://127.0.0.1:{proxy.port}"
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", server.url], HTTP_PROXY=proxy_url)
    assert causes(report["account"]) == ["proxy_error"]  # type: ignore[arg-type]
    assert report["exit_code"] == 3
    assert server.count() == 0 and proxy.connections >= 1
    bypass = run(
        ["check", "gpt-4o-mini", "--base-url", server.url],
        HTTP_PROXY=proxy_url,
        NO_PROXY="127.0.0.1",
    )
    assert bypass.exit_code == 0
    # https through a proxy: the CONNECT itself is refused.
    _, tunnel, _ = timed(
        ["check", "gpt-4o-mini", "--base-url", "https://127.0.0.1:9/v1"], HTTPS_PROXY=proxy_url
    )
    assert causes(tunnel["account"]) == ["proxy_error"]  # type: ignore[arg-type]


# --- malformed answers -------------------------------------------------------------------------


def _everywhere(reply: Reply) -> dict[str, list[Reply]]:
    return {
        "GET /v1/models": [reply],
        "GET /v1/models/gpt-4o-mini": [reply],
        "POST /v1/chat/completions": [reply],
    }


TWENTY_MB = b'{"data": "' + b"x" * (20 * 1024 * 1024) + b'"}'


@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (Reply(200, '{"object": "list", "data": [{"id": "gpt-4o'), "server_error"),
        (Reply(200, b"\xff\xfe\xfa not utf-8 \xc3\x28"), "server_error"),
        (Reply(200, "[1, 2, 3]"), "wrong_base_url"),
        (Reply(200, '"just a string"'), "wrong_base_url"),
        (Reply(400, '{"error": "boom", "code": 7}'), "unknown"),
        (Reply(400, '{"error": {"code": 7, "message": ["a", "b"], "type": 3}}'), "unknown"),
        (Reply(200, TWENTY_MB), "server_error"),
        (
            Reply(200, b"\x1f\x8b\x08 not really gzip", headers=(("content-encoding", "gzip"),)),
            "server_error",
        ),
        (
            Reply(
                502,
                "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>",
                content_type="text/html",
            ),
            "server_error",
        ),
        (Reply(200, ""), "server_error"),
    ],
    ids=[
        "truncated-json",
        "invalid-utf8",
        "json-array",
        "json-string",
        "error-is-a-string",
        "error-fields-wrong-types",
        "20MB-body",
        "gzip-garbage",
        "html-502",
        "empty-200",
    ],
)
def test_malformed_answers(sim: Sim, reply: Reply, cause: str) -> None:
    server = sim(Scenario("bad", "bad", routes=_everywhere(reply)))
    elapsed, report, _ = timed(["check", "gpt-4o-mini", "--base-url", server.url])
    found = causes(report["account"]) + causes(model_entry(report, "gpt-4o-mini"))  # type: ignore[arg-type]
    assert cause in found
    assert report["exit_code"] == 3
    assert elapsed < MARGIN + 2


def test_chat_200_that_is_not_a_completion(sim: Sim) -> None:
    server = sim(
        Scenario("odd", "odd", routes={"POST /v1/chat/completions": [Reply(200, '{"ok": true}')]})
    )
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", server.url])
    # The models list answered as an OpenAI API would, so the base URL is not wrong for the
    # whole run: the odd chat answer belongs to the model (verdict policy), still exit 3.
    entry = model_entry(report, "gpt-4o-mini")
    assert causes(entry) == ["wrong_base_url"]  # type: ignore[arg-type]
    assert entry["account_causes"] == []  # type: ignore[index]
    assert "the models list answered" in entry["diagnoses"][0]["summary"]  # type: ignore[index]
    assert report["account"]["diagnoses"] == []  # type: ignore[index]
    assert report["exit_code"] == 3


def test_gzip_encoded_valid_body_is_read(sim: Sim) -> None:
    body = gzip.compress(json.dumps({"object": "list", "data": [{"id": "gpt-4o-mini"}]}).encode())
    reply = Reply(200, body, headers=(("content-encoding", "gzip"),))
    server = sim(Scenario("gz", "gz", routes={"GET /v1/models": [reply]}))
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", server.url])
    assert report["listed_count"] == 1 and report["exit_code"] == 0


# --- redirects and rate limits -----------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307])
@pytest.mark.parametrize("target", ["other-host", "plain-http"])
def test_redirects_are_never_followed(sim: Sim, status: int, target: str) -> None:
    other = sim(Scenario("other", "other"))
    location = (
        other.url + "/models" if target == "other-host" else "http://api.openai.com/v1/models"
    )
    moved = Reply(status, "", headers=(("location", location),))
    origin = sim(Scenario("moved", "moved", routes=_everywhere(moved)))
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", origin.url])
    assert causes(report["account"]) == ["wrong_base_url"]  # type: ignore[arg-type]
    assert location in report["account"]["diagnoses"][0]["summary"]  # type: ignore[index]
    assert other.count() == 0
    assert report["exit_code"] == 3


def test_always_429_stays_within_the_retry_bound(sim: Sim) -> None:
    limited = Reply(429, RATE_LIMITED, headers=(("retry-after", "0"),))
    server = sim(Scenario("rl", "rl", routes=_everywhere(limited)))
    _, report, _ = timed(["check", "gpt-4o-mini", "--base-url", server.url])
    # 2 requests (list, chat; a 429 leaves nothing for a retrieve to tell) x (1 + 2 retries)
    assert server.count() == 6 == report["usage"]["requests"]  # type: ignore[index]
    assert report["exit_code"] == 3


def test_retry_after_an_hour_is_reported_not_slept(sim: Sim) -> None:
    limited = Reply(429, RATE_LIMITED, headers=(("retry-after", "3600"),))
    server = sim(Scenario("rl", "rl", routes={"POST /v1/chat/completions": [limited, DEFAULT]}))
    elapsed, report, _ = timed(["check", "gpt-4o-mini", "--base-url", server.url])
    entry = model_entry(report, "gpt-4o-mini")  # type: ignore[arg-type]
    assert causes(entry) == ["rate_limited"]
    assert "60 min" in entry["diagnoses"][0]["summary"]
    assert report["exit_code"] == 3 and elapsed < MARGIN


# --- Ctrl-C and closed pipes -------------------------------------------------------------------


def interrupted(args: list[str], slow: RawServer, cwd: Path | None = None) -> tuple[str, str]:
    """Run ``modelcheck check ARGS -f json``, press Ctrl-C once ``slow`` holds two requests
    (the list and a probe), and return stdout and stderr after checking the exit."""
    env = {"OPENAI_API_KEY": CANARY, "PATH": os.environ.get("PATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelcheck", "check", *args, "--timeout", "20", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        cwd=cwd,
    )
    deadline = time.monotonic() + 10
    while slow.connections < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and CANARY not in out + err
    assert err.endswith("modelcheck: interrupted\n")
    return out, err


def test_ctrl_c_prints_what_is_known_and_exits_130(raw: Callable[..., RawServer], sim: Sim) -> None:
    slow = raw(silent)
    out, _ = interrupted(["gpt-4o-mini", "--base-url", slow.url], slow)
    report = json.loads(out)
    assert report["exit_code"] == 130
    assert model_entry(report, "gpt-4o-mini")["verdict"] == "skipped"
    assert any("Interrupted" in note for note in report["notes"])


def test_ctrl_c_in_a_run_of_several_targets_reports_each(
    raw: Callable[..., RawServer], sim: Sim, tmp_path: Path
) -> None:
    slow = raw(silent)
    fast = sim(Scenario("fast", "fast", listed=("gpt-4o-mini",)))
    config = tmp_path / "modelcheck.toml"
    config.write_text(
        f'[[target]]\nname = "fast"\nbase_url = "{fast.url}"\nrequire = ["gpt-4o-mini"]\n\n'
        f'[[target]]\nname = "slow"\nbase_url = "{slow.url}"\nrequire = ["gpt-4o-mini"]\n'
    )
    out, _ = interrupted(["--config", str(config)], slow, cwd=tmp_path)
    multi = json.loads(out)
    assert multi["schema"] == "modelcheck.targets/1" and multi["exit_code"] == 130
    reports = {t["name"]: t["report"] for t in multi["targets"]}
    # The target that had finished is reported in full; the other with what it knew.
    assert model_entry(reports["fast"], "gpt-4o-mini")["verdict"] == "pass"
    assert model_entry(reports["slow"], "gpt-4o-mini")["verdict"] == "skipped"
    assert reports["slow"]["exit_code"] == 130
