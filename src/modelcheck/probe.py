"""Probes: the models list, per-model retrieve and the smallest chat request that proves access.

One ``httpx.AsyncClient``, bounded concurrency, explicit timeouts, redirects never followed.
It never raises for HTTP or network failures: each becomes evidence (see evidence.py).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from modelcheck import __version__
from modelcheck.errorbody import is_billing_error, is_request_too_large, parse_body
from modelcheck.evidence import ModelEvidence, NetworkFailure, Probe, RunEvidence
from modelcheck.pacing import Pacer
from modelcheck.providers import GATEWAY_HEADERS
from modelcheck.redact import scrub
from modelcheck.settings import Settings

log = logging.getLogger("modelcheck.probe")

MAX_BODY = 1024 * 1024
"""Bytes of a response body read at most; the rest is never downloaded."""
PROMPT = "Hi"
"""The chat probe's only message: a few prompt tokens."""
BACKOFF_BASE = 0.5
KEPT_HEADERS = (
    "x-request-id",
    "request-id",
    "openai-organization",
    "openai-project",
    "openai-processing-ms",
    "retry-after",
    "retry-after-ms",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "content-type",
    "location",
    "server",
)
GATEWAY_HEADER_PREFIXES = tuple(prefix for prefix, _ in GATEWAY_HEADERS)
"""Headers that say a gateway answered (kept so that the rules can tell)."""
_DNS_WORDS = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated",
    "getaddrinfo failed",
    "name resolution",
    "no such host",
)
_TLS_WORDS = ("certificate", "ssl", "tls", "handshake")


def classify_exception(exc: BaseException, key: str | None) -> NetworkFailure:
    """Map a transport exception to a network failure kind, by type first, text second."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    texts = " | ".join(str(e) for e in chain if str(e)).lower()
    detail = scrub(str(exc) or exc.__class__.__name__, key)[:300]
    if any(isinstance(e, httpx.ProxyError) for e in chain):
        kind = "proxy"
    elif any(isinstance(e, (httpx.TimeoutException, asyncio.TimeoutError)) for e in chain):
        kind = "timeout"
    elif any(isinstance(e, ssl.SSLError) for e in chain) or any(w in texts for w in _TLS_WORDS):
        kind = "tls"
    elif any(isinstance(e, socket.gaierror) for e in chain) or any(w in texts for w in _DNS_WORDS):
        kind = "dns"
    elif isinstance(exc, httpx.ConnectError):
        kind = "connect"
    elif isinstance(exc, (httpx.ReadError, httpx.WriteError)) or "reset" in texts:
        kind = "reset"
    else:
        kind = "protocol"
    return NetworkFailure(kind=kind, detail=detail)


def certificate_issuer(host: str, port: int, timeout: float) -> str:
    """The issuer of the certificate ``host`` presents, read in a TLS handshake without
    verification (nothing is sent after the handshake, least of all the key). "" if unknown."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError):
        return ""
    if not der:
        return ""
    return _issuer_of(der)


def _issuer_of(der: bytes) -> str:
    import tempfile

    decode = getattr(getattr(ssl, "_ssl", None), "_test_decode_cert", None)
    if decode is None:  # pragma: no cover - CPython always has it
        return ""
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as handle:
        handle.write(ssl.DER_cert_to_PEM_cert(der))
    try:
        info = decode(handle.name)
    except (OSError, ValueError, ssl.SSLError):
        return ""
    finally:
        os.unlink(handle.name)
    names = [f"{k}={v}" for rdn in info.get("issuer", ()) for k, v in rdn]
    return ", ".join(names)


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """The server's requested wait: ``retry-after-ms``, then ``retry-after`` (seconds or date)."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class _Budget:
    """A hard cap: take() reserves before spending; a refusal is remembered for the report."""

    limit: int
    used: int = 0
    exhausted: bool = False

    def take(self, amount: int = 1) -> bool:
        if self.used + amount > self.limit:
            self.exhausted = True
            return False
        self.used += amount
        return True


class Prober:
    """Runs one probe session for a Settings. Use ``await Prober(settings).run()``."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_model_done: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.on_model_done = on_model_done
        self.budget = _Budget(settings.max_requests)
        self.tokens = _Budget(settings.max_tokens)
        """Completion tokens: each chat probe reserves its 1 token before it is sent."""
        self.pacer = Pacer(settings.concurrency, max_pause=settings.max_retry_wait)
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.sent = 0
        """Requests that really went out (the budget also counts reserved ones)."""
        self._issuer: str | None = None
        # What is known so far, kept so that an interrupted run can still be reported.
        self._list_result: tuple[Probe | None, tuple[str, ...] | None] | None = None
        self._finished: dict[str, ModelEvidence] = {}

    def _headers(self) -> dict[str, str]:
        s = self.settings
        headers = {"User-Agent": f"modelcheck/{__version__}", "Accept": "application/json"}
        if s.key:
            headers.update(s.provider.auth_headers(s.key))
        if s.organization:
            headers["OpenAI-Organization"] = s.organization
        if s.project:
            headers["OpenAI-Project"] = s.project
        return headers

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        endpoint: str,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
    ) -> tuple[Probe, Any]:
        """One request with bounded 429 retries. Returns the probe and the decoded JSON body."""
        s = self.settings
        url = s.base_url + path
        attempts = 0
        earlier: list[int | None] = []
        while True:
            if not self.budget.take():
                raise _BudgetExhausted(f"request budget of {s.max_requests} reached")
            attempts += 1
            probe, data, wait = await self._once(
                client, endpoint, method, path, url, payload, attempts
            )
            if earlier:
                # Keep the history: a 429 before a dropped connection is a rate limit.
                probe = replace(probe, earlier=tuple(earlier))
            if wait is None or attempts > s.retries:
                return probe, data
            earlier.append(probe.status)
            log.debug("%s %s: 429, retrying in %.2fs (attempt %d)", method, path, wait, attempts)
            await asyncio.sleep(wait)

    async def _once(
        self,
        client: httpx.AsyncClient,
        endpoint: str,
        method: str,
        path: str,
        url: str,
        payload: dict[str, Any] | None,
        attempt: int,
    ) -> tuple[Probe, Any, float | None]:
        """One attempt. The third value is the wait before a retry, or None: no retry."""
        s = self.settings
        base = Probe(endpoint=endpoint, method=method, path=path, attempts=attempt)
        await self.pacer.acquire()
        self.sent += 1
        started = time.perf_counter()
        try:
            status, headers, raw = await asyncio.wait_for(
                self._send(client, method, url, payload), timeout=s.timeout
            )
        except (httpx.HTTPError, OSError, asyncio.TimeoutError, ssl.SSLError) as exc:
            self.pacer.release(None, {})
            latency = (time.perf_counter() - started) * 1000
            failure = classify_exception(exc, s.key)
            if isinstance(exc, asyncio.TimeoutError) and failure.detail == "TimeoutError":
                failure = replace(failure, detail=f"no complete answer within {s.timeout:g}s")
            if failure.kind == "tls":
                failure = replace(failure, detail=await self._with_issuer(failure.detail))
            if s.proxy and failure.kind in ("connect", "dns", "proxy"):
                # The connection that failed was the one to the proxy (or the proxy's answer).
                verb = "refused the request" if failure.kind == "proxy" else "could not be reached"
                failure = NetworkFailure(
                    kind="proxy", detail=f"the proxy {s.proxy} {verb}: {failure.detail}"
                )
            log.debug("%s %s: %s failure: %s", method, path, failure.kind, failure.detail)
            return replace(base, network=failure, latency_ms=round(latency, 1)), None, None
        except BaseException:
            self.pacer.release(None, {})  # cancelled (Ctrl-C): free the slot, then stop
            raise
        self.pacer.release(status, headers, retry_after_seconds(headers))
        latency = (time.perf_counter() - started) * 1000
        parsed = parse_body(raw, headers.get("content-type"))
        kept = tuple(
            (name, scrub(value, s.key)[:300])
            for name, value in headers.items()
            if name in KEPT_HEADERS or name.startswith(GATEWAY_HEADER_PREFIXES)
        )
        # A 2xx that carries an error envelope is that error (some gateways answer 200); a
        # bare JSON string is an error's text only with an error status.
        error = parsed.error if status >= 300 or isinstance(parsed.data, dict) else None
        if error is not None and error.details:
            error = replace(error, details=scrub(error.details, s.key))
        if error is not None and error.message:
            error = replace(error, message=scrub(error.message, s.key))
        probe = replace(
            base,
            status=status,
            error=error,
            body_kind=parsed.kind,
            # A JSON answer that carries no error envelope keeps its first characters, so that
            # what it says ("Network connection lost.") can still be read.
            body_excerpt=scrub(
                parsed.excerpt if parsed.kind != "json" or error is None else "", s.key
            )
            if parsed.kind != "json"
            else (scrub(raw[:300].decode("utf-8", "replace"), s.key) if error is None else ""),
            request_id=scrub(headers.get("x-request-id") or headers.get("request-id") or "", s.key)
            or None,
            latency_ms=round(latency, 1),
            headers=kept,
            location=scrub(headers["location"], s.key) if "location" in headers else None,
            retry_after_s=retry_after_seconds(headers),
        )
        log.debug("%s %s: %s in %.0f ms", method, path, status, latency)
        wait = None
        if status == 429 and not is_billing_error(error) and not is_request_too_large(error):
            wait = probe.retry_after_s
            if wait is None:
                wait = BACKOFF_BASE * (2 ** (probe.attempts - 1))
            if wait > s.max_retry_wait:
                wait = None  # too long to wait in a preflight: report it instead
        return probe, parsed.data, wait

    async def _send(
        self, client: httpx.AsyncClient, method: str, url: str, payload: dict[str, Any] | None
    ) -> tuple[int, httpx.Headers, bytes]:
        async with client.stream(method, url, json=payload) as resp:
            chunks: list[bytes] = []
            size = 0
            try:
                async for chunk in resp.aiter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= MAX_BODY:
                        break  # a bounded prefix is all a diagnosis needs
            except httpx.DecodingError:
                chunks = []  # e.g. gzip-encoded garbage: keep the status, drop the body
            return resp.status_code, resp.headers, b"".join(chunks)[:MAX_BODY]

    async def _with_issuer(self, detail: str) -> str:
        """Name who issued the certificate that failed verification (once per run)."""
        if self._issuer is None:
            parts = urlsplit(self.settings.base_url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            self._issuer = await asyncio.to_thread(
                certificate_issuer, parts.hostname or "", port, min(5.0, self.settings.timeout)
            )
        return f"{detail} (certificate issued by {self._issuer})" if self._issuer else detail

    async def _list(self, client: httpx.AsyncClient) -> tuple[Probe | None, tuple[str, ...] | None]:
        self._list_result = await self._fetch_list(client)
        return self._list_result

    async def _fetch_list(
        self, client: httpx.AsyncClient
    ) -> tuple[Probe | None, tuple[str, ...] | None]:
        path = self.settings.provider.models_path
        try:
            probe, data = await self._exchange(client, "models.list", "GET", path)
        except _BudgetExhausted:
            return None, None
        if probe.status is None or not 200 <= probe.status < 300:
            return probe, None
        items = data.get("data") if isinstance(data, dict) else data  # Together: a bare array
        if not isinstance(items, list):
            return replace(probe, shape_ok=False), None
        ids = tuple(str(i["id"]) for i in items if isinstance(i, dict) and "id" in i)
        return probe, ids

    async def _model(self, client: httpx.AsyncClient, model: str) -> ModelEvidence:
        s = self.settings
        probes: list[Probe] = []
        needs_mct = False
        skipped = None
        try:
            path = s.provider.model_path.format(model=quote(model, safe="/:@"))
            retrieve, data = await self._exchange(client, "models.retrieve", "GET", path)
            if retrieve.ok and not (isinstance(data, dict) and "id" in data):
                retrieve = replace(retrieve, shape_ok=False)
            probes.append(retrieve)
            # Only answers that every request to this host would get stop here: a redirect, a
            # proxy refusal, or no connection at all. A 401/403 (a key without the models-read
            # scope), a 404 (no retrieve route) or a 5xx says nothing about the model: the
            # probe that exercises it decides.
            host_level = (
                (retrieve.network is not None and retrieve.network.kind != "reset")
                or retrieve.status == 407
                or (retrieve.status is not None and 300 <= retrieve.status < 400)
            )
            if not s.free and not host_level:
                chat = await self._chat(client, model, "max_tokens")
                probes.append(chat)
                err = chat.error
                if chat.status == 400 and err is not None and _rejects_max_tokens(err):
                    chat = await self._chat(client, model, "max_completion_tokens")
                    probes.append(chat)
                    needs_mct = chat.ok
        except _BudgetExhausted as exc:
            skipped = str(exc)
        if self.on_model_done is not None:
            self.on_model_done(model)
        self._finished[model] = ModelEvidence(
            model=model,
            listed=None,
            probes=tuple(probes),
            needs_max_completion_tokens=needs_mct,
            skipped=skipped,
        )
        return self._finished[model]

    async def _chat(self, client: httpx.AsyncClient, model: str, token_param: str) -> Probe:
        # The smallest request that proves access: one short user message, one output token,
        # never temperature (some models reject non-default values), never streamed
        # (streaming some models needs a verified organization, S9).
        payload: dict[str, Any] = {
            "model": model,
            "messages": [{"role": "user", "content": PROMPT}],
            token_param: 1,
        }
        if not self.tokens.take(1):
            raise _BudgetExhausted(f"token budget of {self.settings.max_tokens} reached")
        try:
            probe, data = await self._exchange(
                client, "chat", "POST", self.settings.provider.chat_path, payload
            )
        except _BudgetExhausted:
            self.tokens.used -= 1  # never sent: give the reserved token back
            raise
        probe = replace(probe, token_param=token_param)
        if probe.status is None or not 200 <= probe.status < 300:
            self.tokens.used -= 1  # refused or failed: no completion was generated
        else:
            if not (isinstance(data, dict) and isinstance(data.get("choices"), list)):
                return replace(probe, shape_ok=False)
            usage = data.get("usage")
            if isinstance(usage, dict):
                prompt = _int(usage.get("prompt_tokens"))
                completion = _int(usage.get("completion_tokens"))
                self.prompt_tokens += prompt
                self.completion_tokens += completion
                # A server that ignores the 1-token cap is charged what it really spent.
                self.tokens.used += max(0, completion - 1)
                probe = replace(probe, prompt_tokens=prompt, completion_tokens=completion)
        return probe

    def _base(self) -> RunEvidence:
        s = self.settings
        return RunEvidence(
            provider=s.provider.name,
            base_url=s.base_url,
            key=s.key_facts,
            organization=s.organization,
            project=s.project,
            free=s.free,
            proxy=s.proxy,
            custom_base_url=s.custom_base_url,
        )

    def snapshot(self, *, interrupted: bool = False) -> RunEvidence:
        """All evidence gathered so far; unfinished models are marked skipped."""
        list_probe, listed = self._list_result or (None, None)
        listed_set = set(listed or ())
        models = []
        for name in self.settings.models:
            item = self._finished.get(name) or ModelEvidence(
                model=name, listed=None, skipped="interrupted" if interrupted else "not probed"
            )
            models.append(replace(item, listed=None if listed is None else name in listed_set))
        return replace(
            self._base(),
            list_probe=list_probe,
            listed_ids=listed,
            models=tuple(models),
            requests=self.sent,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            budget_exhausted=self.budget.exhausted or self.tokens.exhausted,
            interrupted=interrupted,
        )

    async def run(self) -> RunEvidence:
        """Probe the list and every model concurrently; return all evidence."""
        s = self.settings
        evidence = self._base()
        if s.key_facts.malformed or (s.provider.key_required and not s.key_facts.present):
            # Nothing to learn from the network: the key cannot be valid as written.
            return replace(
                evidence,
                models=tuple(
                    ModelEvidence(model=m, listed=None, skipped="key not usable") for m in s.models
                ),
            )
        timeout = httpx.Timeout(s.timeout, connect=min(10.0, s.timeout))
        verify: ssl.SSLContext | bool = True
        if s.ca_bundle:
            verify = ssl.create_default_context(cafile=s.ca_bundle)
        limits = httpx.Limits(
            max_connections=s.concurrency, max_keepalive_connections=s.concurrency
        )
        async with httpx.AsyncClient(
            headers=self._headers(),
            timeout=timeout,
            limits=limits,
            follow_redirects=False,
            transport=self.transport,
            verify=verify,
        ) as client:
            # The list is fetched alongside the per-model probes, not before them.
            list_task = asyncio.ensure_future(self._list(client))
            await asyncio.gather(*(self._model(client, m) for m in s.models))
            await list_task
        return self.snapshot()


class _BudgetExhausted(Exception):
    """Raised inside a model's probe sequence when the request budget is spent."""


def _rejects_max_tokens(error: Any) -> bool:
    # 400 unsupported_parameter, param max_tokens: "Use 'max_completion_tokens' instead." (S45)
    message = (error.message or "").lower()
    return error.param == "max_tokens" or (
        "max_tokens" in message and "max_completion_tokens" in message
    )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def probe(settings: Settings, *, on_model_done: Callable[[str], None] | None = None) -> RunEvidence:
    """Run the probes synchronously (one event loop) and return the evidence."""
    prober = Prober(settings, on_model_done=on_model_done)
    try:
        return asyncio.run(prober.run())
    except KeyboardInterrupt:
        # Ctrl-C: report what is known so far (the CLI then exits 130).
        return prober.snapshot(interrupted=True)
