"""Performance benchmark: time to verdict, cold start, spend, scale and memory.

Runs only against a latency-injecting OpenAI-style server on 127.0.0.1 (started here), and
reports every figure as a ratio against a baseline measured in the same run:

    python benchmarks/perf.py            # the full run, about two minutes
    python benchmarks/perf.py --quick    # smaller counts, for a smoke test

The `openai` SDK and LiteLLM are benchmark-only dependencies (`pip install -e '.[bench]'`);
without them their rows are reported as not measured. LiteLLM reads its model map locally
(LITELLM_LOCAL_MODEL_COST_MAP=True): nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import pty
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelcheck.simulator import RATE_LIMITED

HERE = Path(__file__).resolve().parent
KEY = "sk-bench-0000000000000000000000000000"
PROMPT_TOKENS_LIMIT = 15


# --- the server --------------------------------------------------------------------------


@dataclass
class Logged:
    method: str
    path: str
    body: Any
    status: int


@dataclass
class LatencyServer:
    """HTTP/1.1 keep-alive server on 127.0.0.1; every answer is delayed by ``latency``.

    With ``rate`` set it admits that many requests per second with bursts of ``rate`` (a
    token bucket) and answers the rest 429 with ``retry-after-ms`` (when the next request
    would be admitted) and OpenAI-style x-ratelimit headers.
    """

    models: list[str]
    latency: float = 0.0
    rate: int | None = None
    log: list[Logged] = field(default_factory=list)
    port: int = 0

    def start(self) -> LatencyServer:
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait()
        return self

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._refilled = time.monotonic()
        self._tokens = float(self.rate or 0)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reset(self) -> None:
        self.log = []

    def _admit(self) -> tuple[bool, dict[str, str]]:
        if self.rate is None:
            return True, {}
        now = time.monotonic()
        self._tokens = min(float(self.rate), self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        admitted = self._tokens >= 1.0
        if admitted:
            self._tokens -= 1.0
        to_full = (self.rate - self._tokens) / self.rate
        headers = {
            "x-ratelimit-limit-requests": str(self.rate),
            "x-ratelimit-remaining-requests": str(int(self._tokens)),
            "x-ratelimit-reset-requests": f"{int(to_full * 1000)}ms",
        }
        if not admitted:
            headers["retry-after-ms"] = str(math.ceil((1.0 - self._tokens) / self.rate * 1000))
        return admitted, headers

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                method, target, _ = line.decode().split(" ", 2)
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                raw = await reader.readexactly(length) if length else b""
                admitted, headers = self._admit()
                status, body = self._answer(method, target, raw) if admitted else (429, _ERR_429)
                self.log.append(Logged(method, target, json.loads(raw) if raw else None, status))
                if self.latency:
                    await asyncio.sleep(self.latency)
                payload = json.dumps(body).encode()
                extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                writer.write(
                    f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n"
                    f"content-length: {len(payload)}\r\n{extra}\r\n".encode()
                    + payload
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()

    def _answer(self, method: str, target: str, raw: bytes) -> tuple[int, Any]:
        if method == "GET" and target == "/v1/models":
            return 200, {
                "object": "list",
                "data": [{"id": m, "object": "model"} for m in self.models],
            }
        if method == "GET" and target.startswith("/v1/models/"):
            return 200, {"id": target.rsplit("/", 1)[1], "object": "model"}
        if method == "POST" and target == "/v1/chat/completions":
            body = json.loads(raw)
            return 200, {
                "id": "chatcmpl-bench",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": "Hi"},
                        "finish_reason": "length",
                    }
                ],
                "usage": {"prompt_tokens": 8, "completion_tokens": 1, "total_tokens": 9},
            }
        return 404, {
            "error": {
                "message": "not found",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        }


# OpenAI's 429, as the simulator sends it (verbatim message: FoundationAgents/MetaGPT#523).
_ERR_429 = json.loads(RATE_LIMITED)


# --- running things ------------------------------------------------------------------------


def modelcheck_cmd() -> list[str]:
    script = Path(sys.executable).with_name("modelcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "modelcheck"]


def env() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "MODELCHECK_"))}
    keep.pop("HTTP_PROXY", None)
    keep.pop("HTTPS_PROXY", None)
    return {**keep, "OPENAI_API_KEY": KEY}


@dataclass
class Run:
    seconds: float
    rss_mb: float
    returncode: int
    stdout: str


def timed(cmd: list[str], tty_stderr: bool = False) -> Run:
    """Run ``cmd``; wall time and its own peak RSS (os.wait4, not the whole process tree)."""
    master = slave = None
    if tty_stderr:
        master, slave = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=slave or subprocess.DEVNULL, env=env()
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if master is not None and slave is not None:
        os.close(slave)
        os.close(master)
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, out.decode())


def median_of(cmd: list[str], runs: int) -> float:
    timed(cmd)  # warm the page cache
    return statistics.median(timed(cmd).seconds for _ in range(runs))


def paired_medians(cmd: list[str], reference: list[str], runs: int) -> tuple[float, float]:
    """Medians of ``cmd`` and ``reference``, run alternately so both see the same load."""
    timed(cmd)
    timed(reference)
    ours, ref = [], []
    for _ in range(runs):
        ours.append(timed(cmd).seconds)
        ref.append(timed(reference).seconds)
    return statistics.median(ours), statistics.median(ref)


NAIVE = """
import http.client, json, sys
host, port, models = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def call(method, path, body=None):
    conn = http.client.HTTPConnection(host, port)   # a new connection per request
    conn.request(method, path, json.dumps(body) if body else None,
                 {"Authorization": "Bearer x", "Content-Type": "application/json"})
    data = conn.getresponse().read()
    conn.close()
    return data
call("GET", "/v1/models")
for m in models:
    call("POST", "/v1/chat/completions",
         {"model": m, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1})
"""

# The script a user writes instead (the baseline): the official SDK, no retries, the
# list and one 1-token chat per model under asyncio.gather. Prints how many models passed.
SDK_SCRIPT = """
import asyncio, sys
from openai import AsyncOpenAI
async def main(url, models):
    client = AsyncOpenAI(base_url=url, api_key="sk-bench", max_retries=0)
    async def one(m):
        try:
            await client.chat.completions.create(
                model=m, messages=[{"role": "user", "content": "Hi"}], max_tokens=1)
            return True
        except Exception:
            return False
    _, *ok = await asyncio.gather(client.models.list(), *(one(m) for m in models))
    print(sum(ok))
asyncio.run(main(sys.argv[1], sys.argv[2:]))
"""

# LiteLLM's own health check, one per model, under gather (its cost map read locally).
LITELLM_SCRIPT = """
import asyncio, os, sys
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
import litellm
async def main(url, models):
    results = await asyncio.gather(*(litellm.ahealth_check(
        {"model": "openai/" + m, "api_base": url, "api_key": "sk-bench"}, mode="chat")
        for m in models))
    print(sum(1 for r in results if "error" not in r))
asyncio.run(main(sys.argv[1], sys.argv[2:]))
"""


def baseline(script: str, url: str, models: list[str]) -> tuple[float, int] | None:
    """Wall time and models passed of a baseline script, or None when its package is absent."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, url, *models],
        capture_output=True,
        text=True,
        env={**env(), "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        if "ModuleNotFoundError" in done.stderr:
            return None
        raise RuntimeError(done.stderr[-2000:])
    return seconds, int(done.stdout.strip().splitlines()[-1])


def estimated_prompt_tokens(body: dict[str, Any]) -> int:
    """OpenAI's chat accounting (openai-cookbook, "How to count tokens"): 3 to prime the
    reply, 3 per message plus its role, plus the content; 1 token per 4 characters rounded up
    bounds English text from above for a few short words."""
    total = 3
    for message in body.get("messages", []):
        total += 3 + 1 + math.ceil(len(str(message.get("content", ""))) / 4)
    return total


# --- the scenarios -------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    ours: str
    baseline: str
    ratio: str
    target: str
    met: bool | None


def median_run(cmd: list[str], runs: int = 3) -> Run:
    """The run with the median time of ``runs`` (a warm-up first)."""
    timed(cmd)
    results = sorted((timed(cmd) for _ in range(runs)), key=lambda r: r.seconds)
    return results[len(results) // 2]


def median_baseline(
    script: str, url: str, models: list[str], runs: int = 3
) -> tuple[float, int] | None:
    first = baseline(script, url, models)
    if first is None:
        return None
    results = sorted(
        (baseline(script, url, models) or first for _ in range(runs)), key=lambda r: r[0]
    )
    return results[len(results) // 2]


def main() -> int:
    quick = "--quick" in sys.argv
    n = 20 if quick else 100
    limited_n = 60 if quick else 300
    big = 200 if quick else 1000
    rows: list[Row] = []
    cmd = modelcheck_cmd()

    bare = median_of([sys.executable, "-c", "pass"], 15)

    # 1. time to verdict, N models, L = 200 ms: against the SDK script and LiteLLM
    from modelcheck.settings import DEFAULT_CONCURRENCY

    models = [f"model-{i:04d}" for i in range(n)]
    server = LatencyServer(models, latency=0.2).start()
    check = [*cmd, "check", *models, "--base-url", server.url, "-f", "json", "-q"]
    ours = median_run(check)
    assert ours.returncode == 0, ours.stdout[:500]
    server.reset()
    timed(check)
    log = list(server.log)
    server.reset()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", NAIVE, "127.0.0.1", str(server.port), *models], check=True, env=env()
    )
    naive = time.perf_counter() - started
    sdk = median_baseline(SDK_SCRIPT, server.url, models)
    if sdk is None:
        rows.append(
            Row(
                f"verdict, {n} models, L=200ms",
                f"{ours.seconds:.2f}s",
                "openai SDK not installed (pip install -e '.[bench]')",
                "-",
                "<= 0.8x",
                None,
            )
        )
    else:
        rows.append(
            Row(
                f"verdict, {n} models, L=200ms",
                f"{ours.seconds:.2f}s",
                f"{sdk[0]:.2f}s (AsyncOpenAI script, {sdk[1]}/{n} pass)",
                f"{ours.seconds / sdk[0]:.2f}x",
                "<= 0.8x",
                ours.seconds / sdk[0] <= 0.8,
            )
        )
    lite = median_baseline(LITELLM_SCRIPT, server.url, models)
    rows.append(
        Row(
            f"verdict, {n} models, L=200ms",
            f"{ours.seconds:.2f}s",
            "litellm not installed"
            if lite is None
            else f"{lite[0]:.2f}s (litellm.ahealth_check x{n})",
            "-" if lite is None else f"{ours.seconds / lite[0]:.2f}x",
            "(reference)",
            None,
        )
    )
    rows.append(
        Row(
            f"verdict, {n} models, L=200ms",
            f"{ours.seconds:.2f}s",
            f"{naive:.2f}s (sequential http.client)",
            f"{naive / ours.seconds:.1f}x faster",
            ">= 12x",
            naive / ours.seconds >= 12,
        )
    )
    waves = math.ceil((1 + n) / DEFAULT_CONCURRENCY)
    ideal = waves * 0.2 + bare
    rows.append(
        Row(
            f"verdict vs ideal ({waves} waves x L + start-up, concurrency {DEFAULT_CONCURRENCY})",
            f"{ours.seconds:.2f}s",
            f"{ideal:.2f}s",
            f"{ours.seconds / ideal:.2f}x ideal",
            "<= 1.3x",
            ours.seconds / ideal <= 1.3,
        )
    )

    # the same, with our own start-up in the ideal: a 1-model check against a server that
    # answers at once (what every run pays before and after its round trips)
    zero = LatencyServer(["model-0000"], latency=0.0).start()
    own = median_run(
        [*cmd, "check", "model-0000", "--base-url", zero.url, "-f", "json", "-q"]
    ).seconds
    zero.stop()
    rows.append(
        Row(
            f"verdict vs {waves} waves x L + own start-up",
            f"{ours.seconds:.2f}s",
            f"{waves * 0.2 + own:.2f}s (start-up {own * 1000:.0f}ms: a 1-model check, L=0)",
            f"{ours.seconds / (waves * 0.2 + own):.2f}x",
            "(reference)",
            None,
        )
    )

    # progress display cost: the same run with stderr on a terminal
    server.reset()
    shown = timed([*cmd, "check", *models, "--base-url", server.url, "-f", "json"], tty_stderr=True)
    rows.append(
        Row(
            "progress line on a terminal",
            f"{shown.seconds:.2f}s",
            f"{ours.seconds:.2f}s (-q)",
            f"{shown.seconds / ours.seconds:.2f}x",
            "<= 1.1x",
            shown.seconds / ours.seconds <= 1.1,
        )
    )

    # 3. spend, from the server's own log of one run above
    lists = sum(1 for e in log if e.path == "/v1/models")
    per_model: dict[str, int] = {}
    worst_tokens = worst_completion = 0
    for entry in log:
        if entry.path.startswith("/v1/models/"):
            name = entry.path.rsplit("/", 1)[1]
            per_model[name] = per_model.get(name, 0) + 1
        elif entry.path == "/v1/chat/completions":
            body = entry.body
            per_model[body["model"]] = per_model.get(body["model"], 0) + 1
            assert "temperature" not in body and not body.get("stream")
            worst_completion = max(
                worst_completion, body.get("max_tokens", body.get("max_completion_tokens", 0))
            )
            worst_tokens = max(worst_tokens, estimated_prompt_tokens(body))
    per_listed = len(log) / n
    rows.append(
        Row(
            "requests per listed model",
            f"{per_listed:.2f} ({len(log)} for {n}, {lists} list)",
            "-",
            "-",
            "<= 1.05",
            per_listed <= 1.05 and max(per_model.values()) == 1,
        )
    )
    rows.append(
        Row(
            "chat probe tokens",
            f"{worst_completion} completion, ~{worst_tokens} prompt",
            "-",
            "-",
            f"<= 1, < {PROMPT_TOKENS_LIMIT}",
            worst_completion <= 1 and worst_tokens < PROMPT_TOKENS_LIMIT,
        )
    )
    server.reset()
    free = timed([*cmd, "check", *models, "--base-url", server.url, "-f", "json", "-q", "--free"])
    free_posts = sum(1 for e in server.log if e.method == "POST")
    rows.append(
        Row(
            "--free requests that use a model",
            f"{free_posts} ({len(server.log)} requests)",
            "-",
            "-",
            "0",
            free_posts == 0 and free.returncode == 0,
        )
    )
    server.stop()

    # 2. cold start
    for flag, limit in (("--version", 3), ("--help", 5)):
        mine, ref = paired_medians([*cmd, flag], [sys.executable, "-c", "pass"], 31)
        rows.append(
            Row(
                f"modelcheck {flag}",
                f"{mine * 1000:.0f}ms",
                f"{ref * 1000:.0f}ms (python -c pass)",
                f"{mine / ref:.1f}x",
                f"<= {limit}x",
                mine / ref <= limit,
            )
        )

    # 4. rate limited: 50 requests/s, bursts of 50, 429 + retry-after-ms beyond
    limited_models = [f"model-{i:04d}" for i in range(limited_n)]
    limited = LatencyServer(limited_models, latency=0.02, rate=50).start()
    run = timed([*cmd, "check", *limited_models, "--base-url", limited.url, "-f", "json", "-q"])
    total = len(limited.log)
    rejected = sum(1 for e in limited.log if e.status == 429)
    report = json.loads(run.stdout)
    passed = sum(1 for m in report["models"] if m["verdict"] == "pass")
    floor = (1 + limited_n) / 50
    rows.append(
        Row(
            f"{limited_n} models at 50 req/s (bursts of 50)",
            f"{run.seconds:.1f}s, {passed}/{limited_n} pass, {rejected}/{total} got 429",
            f"{floor:.1f}s (1 + N requests / rate)",
            f"{run.seconds / floor:.2f}x floor",
            "all pass, <= 1.3x",
            passed == limited_n and run.seconds / floor <= 1.3,
        )
    )
    limited.reset()
    sdk_limited = baseline(SDK_SCRIPT, limited.url, limited_models)
    if sdk_limited is not None:
        rows.append(
            Row(
                f"{limited_n} models at 50 req/s: the SDK script",
                f"{sdk_limited[1]}/{limited_n} pass",
                f"{sdk_limited[0]:.1f}s",
                "-",
                "(reference: wrong verdicts)",
                None,
            )
        )
    limited.stop()

    # 5. scale and memory: 1,000 models, no rate limit
    many = [f"model-{i:04d}" for i in range(big)]
    wide = LatencyServer(many, latency=0.02).start()
    scale = timed([*cmd, "check", *many, "--base-url", wide.url, "-f", "json", "-q"])
    wide.stop()
    done = sum(1 for m in json.loads(scale.stdout)["models"] if m["verdict"] == "pass")
    rows.append(
        Row(
            f"peak RSS, {big} models",
            f"{scale.rss_mb:.1f} MB ({scale.seconds:.1f}s, {done}/{big} pass)",
            "-",
            "-",
            "< 80 MB",
            scale.rss_mb < 80 and done == big,
        )
    )

    width = shutil.get_terminal_size((160, 20)).columns
    print(_table(rows, width))
    return 0 if all(r.met is not False for r in rows) else 1


def _table(rows: list[Row], width: int) -> str:
    head = ("scenario", "ours", "baseline", "ratio", "target", "met")
    body = [
        (
            r.scenario,
            r.ours,
            r.baseline,
            r.ratio,
            r.target,
            "n/a" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*head), line.format(*("-" * w for w in widths))]
    out.extend(line.format(*row) for row in body)
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
