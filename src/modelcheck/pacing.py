"""Adaptive pacing: how many requests may be in flight, and when the next may start.

Concurrency follows AIMD (TCP's rule): halve it on a 429, add one back after as many
successes as the current limit. Every request also waits out a shared pause, set by a 429's
retry-after or by rate-limit headers saying the window is spent (`x-ratelimit-remaining-*`
at or below what is already in flight, until `x-ratelimit-reset-*`). So a run over many
models slows down before the server has to refuse it, rather than after.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import re
import time

from modelcheck.dialects.base import RateWindow

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
MAX_PAUSE = 60.0
"""Never pause longer than this on a header's say-so."""


def parse_reset(value: str | None) -> float | None:
    """A reset header in seconds: OpenAI/Groq Go durations ("1s", "6m0s", "20ms",
    "2m59.56s") or plain seconds (Azure)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parts = _DURATION.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        return None
    return sum(float(n) * _UNIT[u] for n, u in parts)


class Pacer:
    """Bounds requests in flight and spaces them by what the server says. One per run.

    Waiters queue in order; a freed slot is handed to the first of them (not to every waiter
    at once: a run over 1,000 models would otherwise wake 1,000 tasks per answer)."""

    def __init__(self, limit: int, max_pause: float = MAX_PAUSE) -> None:
        self.max_limit = max(1, limit)
        self.max_pause = max_pause
        self.limit = self.max_limit
        self.in_flight = 0
        self.resume_at = 0.0
        self._successes = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._timer: asyncio.TimerHandle | None = None

    def _open(self) -> bool:
        return self.in_flight < self.limit and time.monotonic() >= self.resume_at

    async def acquire(self) -> None:
        """Wait for a free slot and for any shared pause to end."""
        if not self._waiters and self._open():
            self.in_flight += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._dispatch()
        try:
            await waiter  # resolved with the slot already counted as ours
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.in_flight -= 1  # granted, then cancelled: hand the slot on
                self._dispatch()
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise

    def _dispatch(self) -> None:
        """Hand free slots to the first waiters; wake them when a pause ends."""
        while self._waiters and self._open():
            waiter = self._waiters.popleft()
            if waiter.done():
                continue
            self.in_flight += 1
            waiter.set_result(None)
        if self._waiters and self.in_flight < self.limit and self._timer is None:
            delay = max(0.0, self.resume_at - time.monotonic())
            self._timer = asyncio.get_running_loop().call_later(delay, self._tick)

    def _tick(self) -> None:
        self._timer = None
        self._dispatch()

    def release(
        self,
        status: int | None,
        window: RateWindow | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Free the slot and learn from the answer (status None: no answer came).

        ``window`` is what the answer's rate-limit headers say (the dialect reads them);
        ``retry_after`` is the server's requested wait in seconds, already parsed."""
        self.in_flight -= 1
        now = time.monotonic()
        if status == 429:
            self.limit = max(1, self.limit // 2)
            self._successes = 0
            pause = retry_after if retry_after is not None else 1.0
            if pause <= self.max_pause:  # a longer wait is reported, not waited out
                self.resume_at = max(self.resume_at, now + pause)
        elif status is not None and 200 <= status < 300:
            self._successes += 1
            if self._successes >= self.limit and self.limit < self.max_limit:
                self.limit += 1
                self._successes = 0
        if window is not None and window.remaining is not None and window.reset_s is not None:
            spent = window.remaining <= self.in_flight
            if spent and window.reset_s <= self.max_pause:
                # The window is (nearly) spent: hold new requests until it resets.
                self.resume_at = max(self.resume_at, now + window.reset_s)
        if self._timer is not None:
            self._timer.cancel()  # the pause may have moved: schedule again
            self._timer = None
        self._dispatch()
