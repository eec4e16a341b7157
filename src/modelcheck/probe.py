"""The prober core: one request per model on the endpoint it is served on, the models list
alongside, and the retrieve only when an answer leaves the cause open.

It knows no API family: every path, header and body shape comes from a dialect
(dialects/). It owns one ``httpx.AsyncClient``, bounded and paced concurrency, bounded 429
retries, hard request and token budgets, explicit timeouts, redirects never followed, bounded
bodies, and interruption. It never raises for HTTP or network failures: each becomes evidence
(see evidence.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import os
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from modelcheck.dialects import Dialect, dialect_of
from modelcheck.dialects.base import OVERLOAD_STATUSES, Request
from modelcheck.evidence import (
    METADATA_ENDPOINTS,
    ModelEvidence,
    NetworkFailure,
    Probe,
    RunEvidence,
)
from modelcheck.pacing import Pacer
from modelcheck.providers import GATEWAY_HEADERS
from modelcheck.redact import scrub
from modelcheck.settings import Settings

log = logging.getLogger("modelcheck.probe")

MAX_BODY = 1024 * 1024
"""Bytes of a response body read at most; the rest is never downloaded."""
BACKOFF_BASE = 0.5
MAX_ATTEMPTS = 10
"""Attempts of one request at most, however the server paces it."""
MAX_PAGES = 20
"""Pages of a models list followed at most."""
POOL_SIZE = 8
"""Connections per pool (see Prober.run)."""
WARM_AFTER = 0.01
"""Seconds after the first requests start before ``while_waiting`` runs."""
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


def classify_exception(exc: BaseException, key: str | tuple[str, ...] | None) -> NetworkFailure:
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


@dataclass(frozen=True)
class Plan:
    """How one model is probed: its mode, where the mode came from, and whether an answer
    may switch it."""

    mode: str
    source: str
    """"argument" (MODEL@mode), "--mode", "--endpoint", "knowledge" or "default"."""
    forced: bool = False
    """``--endpoint``: never switched."""


def plan_for(model: str, settings: Settings) -> Plan:
    """The mode to probe ``model`` on: MODEL@mode, --endpoint, --mode, the knowledge data,
    then chat (README, "Modes")."""
    if settings.endpoint:
        return Plan(settings.endpoint, "--endpoint", forced=True)
    if model in settings.model_modes:
        return Plan(settings.model_modes[model], "argument")
    if settings.mode:
        return Plan(settings.mode, "--mode")
    from modelcheck.diagnosis.knowledge import lookup

    provider = settings.provider
    # The provider's own ids first; then OpenAI's, whose ids OpenAI-compatible servers and
    # gateways serve on the same endpoints.
    for table in dict.fromkeys((provider.knowledge or provider.name, "openai")):
        known = lookup(model, table)
        if known is not None and known.mode:
            return Plan(known.mode, "knowledge")
    return Plan("chat", "default")


@dataclass
class _Reply:
    probe: Probe
    data: Any = None
    raw: bytes = b""
    content_type: str = ""
    wait: float | None = None


@dataclass
class _ModelRun:
    """One model's probing in progress."""

    model: str
    plan: Plan
    probes: list[Probe] = field(default_factory=list)
    mode: str = "chat"
    source: str = "default"
    needs_mct: bool = False
    unexercised: str | None = None


class Prober:
    """Runs one probe session for a Settings. Use ``await Prober(settings).run()``."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_model_done: Callable[[str], None] | None = None,
        dialect: Dialect | None = None,
        while_waiting: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.while_waiting = while_waiting
        """Work to do once the first requests are out (importing the diagnosis while the
        network answers, so that start-up overlaps the first round trip)."""
        self.dialect = dialect or dialect_of(settings)
        self.transport = transport
        self.on_model_done = on_model_done
        self.plans = {m: plan_for(m, settings) for m in settings.models}
        self.budget = _Budget(settings.max_requests)
        self.tokens = _Budget(self._token_cap())
        """Completion tokens: each probe reserves what it may spend before it is sent."""
        self.pacer = Pacer(settings.concurrency, max_pause=settings.max_retry_wait)
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.sent = 0
        """Requests that really went out (the budget also counts reserved ones)."""
        self.successes: dict[str, int] = {}
        """2xx answers so far per endpoint: a 429 while other requests to the same endpoint
        succeed is the server pacing throughput, not refusing."""
        self._issuer: str | None = None
        self._list_future: asyncio.Future[tuple[Probe | None, tuple[str, ...] | None]] | None = None
        # What is known so far, kept so that an interrupted run can still be reported.
        self._list_result: tuple[Probe | None, tuple[str, ...] | None] | None = None
        self._key_check: Probe | None = None
        self._finished: dict[str, ModelEvidence] = {}

    def _token_cap(self) -> int:
        """--max-tokens, or what the planned probes may spend plus one per model, and room for
        one switch to the costliest mode when a model's mode is not known (at least 2 per
        model: the default cap of earlier versions)."""
        s = self.settings
        if s.max_tokens_given or s.free:
            return s.max_tokens
        planned = 0
        for model, plan in self.plans.items():
            request = self.dialect.minimal(model, plan.mode, s)
            planned += (request.spend if request else 0) + 1
        if any(plan.source == "default" for plan in self.plans.values()):
            # A model no data knows may turn out to be served elsewhere: room for one switch.
            spends = (self.dialect.minimal("m", mode, s) for mode in self.dialect.modes)
            planned += max((r.spend for r in spends if r is not None), default=0)
        return max(s.max_tokens, planned)

    # --- one exchange ------------------------------------------------------------------

    async def _exchange(self, client: _Clients, req: Request) -> _Reply:
        """One request with bounded 429 retries.

        A retry is not charged against ``--retries`` when the server stated the wait
        (``retry-after``/``retry-after-ms``) and another request to the same endpoint has
        succeeded since this one was first sent: that server is pacing throughput, not
        refusing, and its verdicts must not fail for it. ``MAX_ATTEMPTS`` bounds it anyway."""
        s = self.settings
        attempts = charged = progress = 0
        earlier: list[int | None] = []
        while True:
            if not self.budget.take():
                raise _BudgetExhausted(f"request budget of {s.max_requests} reached")
            attempts += 1
            if attempts == 1:
                progress = self.successes.get(req.endpoint, 0)
            reply = await self._once(client, req, attempts)
            if earlier:
                # Keep the history: a 429 before a dropped connection is a rate limit.
                reply.probe = replace(reply.probe, earlier=tuple(earlier))
            if reply.wait is None or attempts >= MAX_ATTEMPTS:
                return reply
            stated = reply.probe.retry_after_s is not None
            if not stated or self.successes.get(req.endpoint, 0) == progress:
                charged += 1
            if charged > s.retries:
                return reply
            earlier.append(reply.probe.status)
            log.debug(
                "%s %s: %s, retrying in %.2fs (attempt %d)",
                req.method,
                req.path,
                reply.probe.status,
                reply.wait,
                attempts,
            )
            await asyncio.sleep(reply.wait)

    async def _once(self, client: _Clients, req: Request, attempt: int) -> _Reply:
        """One attempt; ``wait`` is the pause before a retry, or None: no retry."""
        s = self.settings
        secrets = s.secrets
        base = Probe(
            endpoint=req.endpoint,
            method=req.method,
            path=req.path,
            attempts=attempt,
            variant=req.variant,
            token_param=req.variant if req.endpoint == "chat" else None,
        )
        await self.pacer.acquire()
        # Tokens are reserved when the request is about to go out (not while it waits for a
        # slot), and given back unless it is answered 2xx.
        if not self.tokens.take(req.spend):
            self.pacer.release(None)
            raise _BudgetExhausted(f"token budget of {self.tokens.limit} reached")
        self.sent += 1
        started = time.perf_counter()
        try:
            status, headers, raw = await asyncio.wait_for(
                self._send(client, req), timeout=s.timeout
            )
        except (httpx.HTTPError, OSError, asyncio.TimeoutError, ssl.SSLError) as exc:
            self.pacer.release(None)
            self.tokens.used -= req.spend
            latency = (time.perf_counter() - started) * 1000
            failure = classify_exception(exc, secrets)
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
            log.debug("%s %s: %s failure: %s", req.method, req.path, failure.kind, failure.detail)
            return _Reply(replace(base, network=failure, latency_ms=round(latency, 1)))
        except BaseException:
            self.pacer.release(None)  # cancelled (Ctrl-C): free the slot, then stop
            self.tokens.used -= req.spend
            raise
        if 200 <= status < 300:
            self.successes[req.endpoint] = self.successes.get(req.endpoint, 0) + 1
        else:
            self.tokens.used -= req.spend  # refused or failed: nothing was generated
        self.pacer.release(status, self.dialect.rate_window(headers), retry_after_seconds(headers))
        latency = (time.perf_counter() - started) * 1000
        content_type = headers.get("content-type", "")
        parsed = self.dialect.parse_error(raw, content_type, headers)
        kept_names = self.dialect.kept_headers
        kept = tuple(
            (name, scrub(value, secrets)[:300])
            for name, value in headers.items()
            if name in kept_names or name.startswith(GATEWAY_HEADER_PREFIXES)
        )
        # A 2xx that carries an error envelope is that error (some gateways answer 200); a
        # bare JSON string is an error's text only with an error status.
        error = parsed.error if status >= 300 or isinstance(parsed.data, dict) else None
        if error is not None and error.details:
            error = replace(error, details=scrub(error.details, secrets))
        if error is not None and error.message:
            error = replace(error, message=scrub(error.message, secrets))
        binary = not content_type.startswith(("application/json", "text/", "application/problem"))
        if parsed.kind != "json":
            excerpt = "" if binary and 200 <= status < 300 else scrub(parsed.excerpt, secrets)
        else:
            # A JSON answer that carries no error envelope keeps its first characters, so that
            # what it says ("Network connection lost.") can still be read.
            excerpt = (
                "" if error is not None else scrub(raw[:300].decode("utf-8", "replace"), secrets)
            )
        probe = replace(
            base,
            status=status,
            error=error,
            body_kind=parsed.kind,
            body_excerpt=excerpt,
            request_id=scrub(
                headers.get("x-request-id") or headers.get("request-id") or "", secrets
            )
            or None,
            latency_ms=round(latency, 1),
            headers=kept,
            location=scrub(headers["location"], secrets) if "location" in headers else None,
            retry_after_s=retry_after_seconds(headers),
        )
        if probe.retry_after_s is None and status >= 400:
            probe = replace(probe, retry_after_s=self.dialect.retry_after(parsed))
        log.debug("%s %s: %s in %.0f ms", req.method, req.path, status, latency)
        wait = None
        if status in (429, *OVERLOAD_STATUSES) and self.dialect.retryable(status, parsed):
            wait = probe.retry_after_s
            if wait is None:
                wait = BACKOFF_BASE * (2 ** (probe.attempts - 1))
            if wait > s.max_retry_wait:
                wait = None  # too long to wait in a preflight: report it instead
        return _Reply(probe, parsed.data, raw, content_type, wait)

    async def _send(self, client: _Clients, req: Request) -> tuple[int, httpx.Headers, bytes]:
        url = (req.base or self.settings.base_url) + req.path
        params = dict(req.params) if req.params else None
        if req.files:
            stream = client.stream(
                req.method,
                url,
                params=params,
                data=dict(req.json or {}),
                files=list(req.files),
            )
        else:
            body = dict(req.json) if req.json is not None else None
            stream = client.stream(req.method, url, params=params, json=body)
        async with stream as resp:
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

    # --- the list and the key check ------------------------------------------------------

    async def _list(self, client: _Clients) -> tuple[Probe | None, tuple[str, ...] | None]:
        self._list_result = await self._fetch_list(client)
        return self._list_result

    async def _fetch_list(self, client: _Clients) -> tuple[Probe | None, tuple[str, ...] | None]:
        req = self.dialect.list_models(self.settings)
        first: Probe | None = None
        ids: list[str] = []
        pages = 0
        while req is not None:
            try:
                reply = await self._exchange(client, req)
            except _BudgetExhausted:
                return first, (tuple(ids) if first is not None else None)
            probe = reply.probe
            if first is None:
                first = probe
            if not probe.ok:
                return probe, None
            page = self.dialect.parse_list(reply.data, req)
            if not page.shape_ok:
                return replace(probe, shape_ok=False), None
            ids.extend(page.ids)
            pages += 1
            req = page.next if pages < MAX_PAGES else None
        return first, (tuple(dict.fromkeys(ids)) if first is not None else None)

    async def _listed(self) -> tuple[str, ...] | None:
        """The key's list, once it has come (it runs alongside the models)."""
        if self._list_future is None:
            return None
        _, ids = await asyncio.shield(self._list_future)
        return ids

    async def _check_key(self, client: _Clients) -> None:
        req = self.dialect.key_check(self.settings)
        if req is None:
            return
        try:
            reply = await self._exchange(client, req)
        except _BudgetExhausted:
            return
        probe = reply.probe
        if probe.ok:
            answer = self.dialect.parse_success(req, reply.data, reply.raw, reply.content_type)
            probe = replace(probe, shape_ok=answer.shape_ok)
        self._key_check = probe

    # --- one model -----------------------------------------------------------------------

    def _request_for(self, run: _ModelRun, mode: str) -> Request | None:
        """The request that exercises ``run.model`` on ``mode``, or None with the reason set
        in ``run.unexercised``. Under ``--free`` it is the dialect's free per-model check, if
        it has one."""
        s, d = self.settings, self.dialect
        if s.free:
            run.unexercised = "--free: no request used the model"
            return d.free_check(run.model, mode, s)
        if mode not in d.modes:
            run.unexercised = d.cost(mode).note
            return None
        cost = d.cost(mode)
        if not cost.default and mode not in s.paid_probes:
            run.unexercised = (
                f"not exercised: the {mode} probe costs money ({cost.note}); "
                f"--paid-probes {mode} sends it"
            )
            return None
        return d.minimal(run.model, mode, s)

    async def _exercise(self, client: _Clients, req: Request) -> Probe:
        """Send a request that uses the model, within the token budget (reserved per attempt
        in ``_once``)."""
        reply = await self._exchange(client, req)
        probe = reply.probe
        if probe.status is None or not 200 <= probe.status < 300:
            return probe
        answer = self.dialect.parse_success(req, reply.data, reply.raw, reply.content_type)
        if not answer.shape_ok:
            return replace(probe, shape_ok=False)
        self.prompt_tokens += answer.prompt_tokens
        self.completion_tokens += answer.completion_tokens
        # A server that ignores the cap is charged what it really spent.
        self.tokens.used += max(0, answer.completion_tokens - req.spend)
        return replace(
            probe, prompt_tokens=answer.prompt_tokens, completion_tokens=answer.completion_tokens
        )

    async def _use(self, client: _Clients, run: _ModelRun) -> None:
        """The requests that use the model: the first, at most one mode switch (an answer
        that names the model's own endpoint) and one adaptation (a rejected parameter)."""
        d = self.dialect
        req = self._request_for(run, run.mode)
        switched = adapted = False
        while req is not None:
            probe = await self._exercise(client, req)
            run.probes.append(probe)
            if probe.ok:
                run.needs_mct = req.variant == "max_completion_tokens"
                return
            following: Request | None = None
            if not run.plan.forced and not switched:
                mode = d.switch(req, probe)
                if mode is not None and mode != run.mode:
                    switched = True
                    run.mode, run.source = mode, "switched"
                    following = self._request_for(run, mode)
                    if following is None:
                        return
            if following is None and not adapted:
                following = d.adapt(req, probe)
                adapted = following is not None
            req = following

    async def _model(self, client: _Clients, model: str) -> ModelEvidence:
        plan = self.plans[model]
        run = _ModelRun(model, plan, mode=plan.mode, source=plan.source)
        skipped = None
        try:
            await self._use(client, run)
            last = run.probes[-1] if run.probes else None
            if last is None or (not last.ok and _cause_open(last)):
                listed = await self._listed()
                if listed is None or model not in listed:
                    req = self.dialect.retrieve(model, self.settings)
                    if req is not None:
                        reply = await self._exchange(client, req)
                        retrieve = reply.probe
                        if retrieve.ok:
                            answer = self.dialect.parse_retrieve(reply.data, model)
                            retrieve = replace(retrieve, shape_ok=answer.shape_ok)
                        run.probes.append(retrieve)
        except _BudgetExhausted as exc:
            skipped = str(exc)
        if self.on_model_done is not None:
            self.on_model_done(model)
        self._finished[model] = ModelEvidence(
            model=model,
            listed=None,
            probes=tuple(run.probes),
            needs_max_completion_tokens=run.needs_mct,
            skipped=skipped,
            mode=run.mode,
            mode_source=run.source,
            unexercised=run.unexercised if not any(_uses(p) for p in run.probes) else None,
        )
        return self._finished[model]

    # --- the run -------------------------------------------------------------------------

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
            list_scope=s.provider.list_scope,
            provider_source=s.provider_source,
            max_requests=s.max_requests,
            max_tokens=self.tokens.limit,
            region=s.options.get("region") or None,
            key_required=s.provider.key_required,
        )

    def snapshot(self, *, interrupted: bool = False) -> RunEvidence:
        """All evidence gathered so far; unfinished models are marked skipped."""
        list_probe, listed = self._list_result or (None, None)
        listed_set = set(listed or ())
        models = []
        for name in self.settings.models:
            plan = self.plans[name]
            item = self._finished.get(name) or ModelEvidence(
                model=name,
                listed=None,
                skipped="interrupted" if interrupted else "not probed",
                mode=plan.mode,
                mode_source=plan.source,
            )
            models.append(replace(item, listed=None if listed is None else name in listed_set))
        return replace(
            self._base(),
            list_probe=list_probe,
            listed_ids=listed,
            key_check=self._key_check,
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
        shown = ("anthropic_version", "api_version", "surface", "region", "auth")
        options = ", ".join(f"{k}={s.options[k]}" for k in shown if s.options.get(k))
        log.debug(
            "%s dialect at %s%s", self.dialect.name, s.base_url, f" ({options})" * bool(options)
        )
        if s.key_facts.malformed or (s.provider.key_required and not s.key_facts.present):
            # Nothing to learn from the network: the key cannot be valid as written.
            return replace(
                self._base(),
                models=tuple(
                    ModelEvidence(
                        model=m,
                        listed=None,
                        skipped="key not usable",
                        mode=self.plans[m].mode,
                        mode_source=self.plans[m].source,
                    )
                    for m in s.models
                ),
            )
        timeout = httpx.Timeout(s.timeout, connect=min(10.0, s.timeout))
        verify: ssl.SSLContext | bool = True
        if s.ca_bundle:
            verify = ssl.create_default_context(cafile=s.ca_bundle)
        elif s.base_url.startswith("http://") and not s.proxy:
            verify = False  # no TLS is spoken: skip loading the CA store (~20 ms)
        else:
            verify = _shared_ssl_context()
        headers = {**self.dialect.headers(s), **dict(s.headers)}
        # Several small connection pools rather than one large one: httpcore scans every
        # connection of a pool on each request, so one pool of N costs O(N) per request.
        shards = max(1, -(-s.concurrency // POOL_SIZE))
        per_shard = -(-s.concurrency // shards)
        limits = httpx.Limits(max_connections=per_shard, max_keepalive_connections=per_shard)
        signing = self.dialect.auth(s)
        clients = [
            httpx.AsyncClient(
                headers=headers,
                auth=signing,
                timeout=timeout,
                limits=limits,
                follow_redirects=False,
                transport=self.transport,
                verify=verify,
            )
            for _ in range(shards)
        ]
        async with contextlib.AsyncExitStack() as stack:
            for one in clients:
                await stack.enter_async_context(one)
            client = _Clients(clients)
            # The list (and a catalogue's key check) run alongside the per-model probes.
            self._list_future = asyncio.ensure_future(self._list(client))
            extra = []
            if s.provider.list_scope == "catalog":
                extra.append(self._check_key(client))
            if self.while_waiting is not None:
                asyncio.get_running_loop().call_later(WARM_AFTER, self.while_waiting)
            await asyncio.gather(*(self._model(client, m) for m in s.models), *extra)
            await self._list_future
        return self.snapshot()


def _shared_ssl_context() -> ssl.SSLContext | bool:
    """httpx's own default TLS context (its CA bundle, SSL_CERT_FILE honoured), made once for
    every pool; True (each client makes its own) on an httpx without the public helper."""
    make = getattr(httpx, "create_ssl_context", None)
    if make is None:  # pragma: no cover - httpx < 0.28
        return True
    context: ssl.SSLContext = make()
    return context


class _Clients:
    """Connection pools used in turn, the least busy first."""

    def __init__(self, clients: list[httpx.AsyncClient]) -> None:
        self.clients = clients
        self.busy = [0] * len(clients)

    @contextlib.asynccontextmanager
    async def stream(self, method: str, url: str, **kwargs: Any) -> AsyncIterator[httpx.Response]:
        """``httpx.AsyncClient.stream`` on the least busy pool."""
        index = min(range(len(self.clients)), key=self.busy.__getitem__)
        self.busy[index] += 1
        try:
            async with self.clients[index].stream(method, url, **kwargs) as response:
                yield response
        finally:
            self.busy[index] -= 1


class _BudgetExhausted(Exception):
    """Raised inside a model's probe sequence when the request budget is spent."""


def _uses(probe: Probe) -> bool:
    return probe.endpoint not in METADATA_ENDPOINTS


def _cause_open(probe: Probe) -> bool:
    """An answer that refused this model (not the key, the server or the network): the
    retrieve may still tell whether the id exists for the key."""
    if probe.network is not None:
        return False
    return probe.status in (400, 403, 404, 405, 422) or (
        probe.status is not None and not probe.shape_ok
    )


def probe(
    settings: Settings,
    *,
    on_model_done: Callable[[str], None] | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> RunEvidence:
    """Run the probes synchronously (one event loop) and return the evidence."""
    prober = Prober(settings, on_model_done=on_model_done, while_waiting=while_waiting)
    try:
        return asyncio.run(prober.run())
    except KeyboardInterrupt:
        # Ctrl-C: report what is known so far (the CLI then exits 130).
        return prober.snapshot(interrupted=True)


async def aprobe(
    settings: Settings,
    *,
    on_model_done: Callable[[str], None] | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> RunEvidence:
    """Run the probes in the caller's event loop and return the evidence. Cancelled (a
    timeout around it, Ctrl-C in an asyncio program): what is known so far, marked
    interrupted, is not returned; the cancellation propagates."""
    prober = Prober(settings, on_model_done=on_model_done, while_waiting=while_waiting)
    return await prober.run()
