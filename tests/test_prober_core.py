"""The prober core alone, with a FakeDialect: budgets, retries, pacing, pagination, the bounds
on adaptations and switches, token refunds and the interrupted snapshot. No API family is
involved: the fake speaks paths of its own over httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any

import httpx
import pytest

from modelcheck.dialects.base import Answer, BaseDialect, Cost, Page, RateWindow, Request
from modelcheck.evidence import Probe, RunEvidence
from modelcheck.probe import MAX_PAGES, Prober
from modelcheck.settings import Settings, resolve

from conftest import CANARY

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


class FakeDialect(BaseDialect):
    """A family of its own: GET /fake/list (pages via ?page=N), POST /fake/<mode>/<model>."""

    name = "fake"
    modes: tuple[str, ...] = ("chat", "embeddings")

    def __init__(
        self, *, pages: int = 1, endless: bool = False, adapt: bool = False, switch: bool = False
    ) -> None:
        self.pages, self.endless, self.always_adapt, self.always_switch = (
            pages,
            endless,
            adapt,
            switch,
        )

    def headers(self, settings: Settings) -> dict[str, str]:
        return {"x-fake-key": settings.key or ""}

    def list_models(self, settings: Settings) -> Request | None:
        return Request("models.list", "GET", "/fake/list", params=(("page", "1"),))

    def parse_list(self, data: Any, sent: Request) -> Page:
        page = int(dict(sent.params)["page"])
        ids = tuple(data["ids"])
        more = self.endless or page < self.pages
        following = replace(sent, params=(("page", str(page + 1)),)) if more else None
        return Page(ids, next=following)

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        return Request("models.retrieve", "GET", f"/fake/meta/{model}")

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        return Request(mode, "POST", f"/fake/{mode}/{model}", json={"m": model}, spend=3)

    def adapt(self, sent: Request, probe: Probe) -> Request | None:
        if not self.always_adapt:
            return None
        return replace(sent, variant=f"{sent.variant or ''}+", path=sent.path + "/again")

    def switch(self, sent: Request, probe: Probe) -> str | None:
        if not self.always_switch:
            return None
        return "embeddings" if sent.endpoint == "chat" else "chat"

    def parse_success(self, sent: Request, data: Any, raw: bytes, content_type: str) -> Answer:
        ok = isinstance(data, dict) and data.get("ok") is True
        used = data.get("used", 0) if isinstance(data, dict) else 0
        return Answer(shape_ok=ok, completion_tokens=used)

    def rate_window(self, headers: Mapping[str, str]) -> RateWindow | None:
        return None

    def cost(self, mode: str) -> Cost:
        return Cost(True, "free")


def settings(models: tuple[str, ...], **kw: Any) -> Settings:
    return resolve(models=models, env={"OPENAI_API_KEY": CANARY}, **kw)


def run_with(
    s: Settings, dialect: FakeDialect, handler: Handler, log: list[str] | None = None
) -> RunEvidence:
    async def logged(request: httpx.Request) -> httpx.Response:
        if log is not None:
            path = request.url.path.removeprefix("/v1")
            log.append(f"{request.method} {path}?{request.url.query.decode()}")
        return await handler(request)

    prober = Prober(s, transport=httpx.MockTransport(logged), dialect=dialect)
    return asyncio.run(prober.run())


def reply(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(body), headers={"content-type": "application/json", **headers}
    )


async def serve_all(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/fake/list"):
        return reply(200, {"ids": ["a", "b", "c"]})
    return reply(200, {"ok": True, "used": 1})


def test_the_core_sends_what_the_dialect_builds_and_nothing_else() -> None:
    log: list[str] = []
    ev = run_with(settings(("a", "b")), FakeDialect(), serve_all, log)
    assert sorted(log) == ["GET /fake/list?page=1", "POST /fake/chat/a?", "POST /fake/chat/b?"]
    assert all(m.exercise is not None and m.exercise.ok for m in ev.models)
    assert ev.completion_tokens == 2 and ev.requests == 3


def test_pagination_is_followed_and_capped() -> None:
    log: list[str] = []
    ev = run_with(settings(("a",), free=True), FakeDialect(pages=3), serve_all, log)
    assert sum(1 for line in log if line.startswith("GET /fake/list")) == 3
    log.clear()
    endless = FakeDialect(endless=True)
    ev = run_with(settings(("a",), free=True, max_requests=100), endless, serve_all, log)
    assert sum(1 for line in log if line.startswith("GET /fake/list")) == MAX_PAGES
    assert ev.listed_ids == ("a", "b", "c")  # duplicates across pages kept once


def test_request_budget_is_a_hard_cap() -> None:
    log: list[str] = []
    ev = run_with(settings(("a", "b", "c", "d"), max_requests=3), FakeDialect(), serve_all, log)
    assert len(log) == ev.requests <= 3
    assert any(m.skipped and "request budget" in m.skipped for m in ev.models)
    assert ev.budget_exhausted


def test_token_budget_reserves_and_refunds() -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/fake/list"):
            return reply(200, {"ids": []})
        return reply(400, {"error": {"message": "no"}})

    # Each request reserves 3 tokens before it is sent; refusals give them back, so 3 tokens
    # serve every model one after the other.
    ev = run_with(settings(("a", "b", "c"), max_tokens=3, concurrency=1), FakeDialect(), refuse)
    assert all(m.skipped is None for m in ev.models)
    assert all(m.exercise is not None and m.exercise.status == 400 for m in ev.models)


def test_adaptations_and_switches_are_bounded() -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/fake/list"):
            return reply(200, {"ids": ["a"]})
        return reply(400, {"error": {"message": "no"}})

    ev = run_with(settings(("a",)), FakeDialect(adapt=True, switch=True), refuse)
    used = [p for p in ev.models[0].probes if p.endpoint in ("chat", "embeddings")]
    # The first request, one switch, one adaptation: never a loop.
    assert [p.endpoint for p in used] == ["chat", "embeddings", "embeddings"]
    assert ev.models[0].mode == "embeddings" and ev.models[0].mode_source == "switched"


def test_a_429_is_retried_within_the_bound_unless_others_get_through() -> None:
    async def always_429(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/fake/list"):
            return reply(200, {"ids": ["a"]})
        return reply(429, {"error": {"message": "slow down"}}, **{"retry-after-ms": "1"})

    ev = run_with(settings(("a",), retries=2), FakeDialect(), always_429)
    assert ev.models[0].exercise is not None and ev.models[0].exercise.attempts == 3

    # A throughput-bound server: one request in three is refused, often the same one again.
    # Others succeed meanwhile, so those retries are not charged and every model passes.
    counter = {"n": 0}

    async def every_third(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/fake/list"):
            return reply(200, {"ids": []})
        counter["n"] += 1
        await asyncio.sleep(0.001)
        if counter["n"] % 3 == 0:
            return reply(429, {"error": {"message": "slow down"}}, **{"retry-after-ms": "1"})
        return reply(200, {"ok": True, "used": 1})

    models = tuple(f"m{i}" for i in range(30))
    s = settings(models, retries=1, concurrency=4, max_requests=500)
    ev = run_with(s, FakeDialect(), every_third)
    assert all(m.exercise is not None and m.exercise.ok for m in ev.models)
    assert max(m.exercise.attempts for m in ev.models if m.exercise) > 2  # beyond --retries 1


def test_concurrency_is_bounded() -> None:
    state = {"now": 0, "peak": 0}

    async def slow(request: httpx.Request) -> httpx.Response:
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await asyncio.sleep(0.005)
        state["now"] -= 1
        if request.url.path.endswith("/fake/list"):
            return reply(200, {"ids": []})
        return reply(200, {"ok": True})

    models = tuple(f"m{i}" for i in range(40))
    run_with(settings(models, concurrency=5), FakeDialect(), slow)
    assert state["peak"] == 5


def test_an_interrupted_run_reports_what_it_knows() -> None:
    done = asyncio.Event()

    async def stall(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/a"):
            done.set()
            return reply(200, {"ok": True})
        if request.url.path.endswith("/fake/list"):
            return reply(200, {"ids": ["a", "b"]})
        await asyncio.sleep(30)
        return reply(200, {"ok": True})

    prober = Prober(
        settings(("a", "b")), transport=httpx.MockTransport(stall), dialect=FakeDialect()
    )

    async def interrupt() -> RunEvidence:
        task = asyncio.ensure_future(prober.run())
        await done.wait()
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return prober.snapshot(interrupted=True)

    ev = asyncio.run(interrupt())
    verdicts = {m.model: (m.skipped, m.exercise is not None) for m in ev.models}
    assert verdicts == {"a": (None, True), "b": ("interrupted", False)}
    assert ev.interrupted and ev.requests == prober.sent
