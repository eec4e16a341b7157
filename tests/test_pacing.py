"""The pacer: AIMD concurrency, pauses from retry-after and rate-limit headers."""

from __future__ import annotations

import asyncio
import time

import pytest

from modelcheck.dialects.openai import OPENAI
from modelcheck.pacing import Pacer, parse_reset


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("2m59.56s", 179.56),
        ("7", 7.0),
        ("0.5", 0.5),
        ("soon", None),
        ("", None),
        (None, None),
        ("1s2x", None),
    ],
)
def test_parse_reset(value: str | None, seconds: float | None) -> None:
    result = parse_reset(value)
    assert result == pytest.approx(seconds) if seconds is not None else result is None


def test_aimd_halves_on_429_and_grows_back() -> None:
    async def scenario() -> list[int]:
        pacer = Pacer(16, max_pause=0.0)
        seen = []
        await pacer.acquire()
        pacer.release(429, None, retry_after=0.0)
        seen.append(pacer.limit)
        await pacer.acquire()
        pacer.release(429, None, retry_after=0.0)
        seen.append(pacer.limit)
        for _ in range(4):
            await pacer.acquire()
            pacer.release(200)
        seen.append(pacer.limit)
        return seen

    assert asyncio.run(scenario()) == [8, 4, 5]


def test_in_flight_never_exceeds_the_limit() -> None:
    async def scenario() -> int:
        pacer = Pacer(3)
        peak = 0

        async def one() -> None:
            nonlocal peak
            await pacer.acquire()
            peak = max(peak, pacer.in_flight)
            await asyncio.sleep(0.01)
            pacer.release(200)

        await asyncio.gather(*(one() for _ in range(20)))
        return peak

    assert asyncio.run(scenario()) == 3


def test_pauses_on_retry_after_and_spent_windows_but_not_on_long_waits() -> None:
    async def waited(status: int, headers: dict[str, str], retry_after: float | None) -> float:
        pacer = Pacer(4, max_pause=1.0)
        await pacer.acquire()
        pacer.release(status, OPENAI.rate_window(headers), retry_after)
        started = time.monotonic()
        await pacer.acquire()
        return time.monotonic() - started

    assert asyncio.run(waited(429, {}, 0.2)) >= 0.18
    spent = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "200ms"}
    assert asyncio.run(waited(200, spent, None)) >= 0.18
    assert asyncio.run(waited(429, {}, 3600.0)) < 0.1  # reported, not waited out
    plenty = {"x-ratelimit-remaining-requests": "499", "x-ratelimit-reset-requests": "1s"}
    assert asyncio.run(waited(200, plenty, None)) < 0.1
