"""One row of the rule table, and what it matches.

Matching: every criterion a row sets must hold (status, code, type, message, network kind,
body kind, endpoint, provider and who answered, signals, ``when`` predicates); the values in
one criterion are alternatives. Rows match signals and machine fields (status, code, type)
first, and message text only where nothing else carries the meaning.

Ranking is kept apart from confidence: rows are ordered by ``priority`` (how specific the
evidence is), then by ``confidence`` (how often the cause is right when the row ranks first,
calibrated against the fixtures' train split: benchmarks/explain_accuracy.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelcheck.diagnosis.predicates import Context, Predicate
from modelcheck.lazyre import LazyPattern, lazy

CERTAIN = 100
"""Facts: a local key check, a network failure kind, a code with one meaning."""
SPECIFIC = 80
"""The error says it: a signal that names the cause (context overflow, a rejected parameter)."""
CONTEXT = 60
"""Read from the context: a real model missing from the key's list, a retired id."""
ALTERNATIVE = 40
"""A plausible alternative to the first cause."""
WEAK = 20
"""Little more than the status."""


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One row of the rule table. Keyword-only: a row reads as what it says."""

    id: str
    cause: str
    priority: int
    confidence: float
    summary: str
    """A template over Context.fields(), e.g. "{model} is not in this key's list"."""
    seen_in: tuple[str, ...]
    """The verbatim fixtures (tests/fixtures/errors) or "case:" rows it was written from; a
    catalogue test checks that the row fires on one of them."""
    stage: str = "probe"
    """"key": once on the key alone, before any request; "probe": per failing probe;
    "success": per working model (warnings)."""
    providers: frozenset[str] = frozenset()
    """The answering provider must be one of these (empty: any)."""
    not_answered_by: frozenset[str] = frozenset()
    """Who must NOT have answered: "gateway", "local" (an OpenAI-account cause is not proposed
    for a gateway's or a local server's answer)."""
    status: tuple[int, ...] = ()
    status_range: tuple[int, int] | None = None
    codes: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    message: LazyPattern | None = None
    network: frozenset[str] = frozenset()
    body_kinds: frozenset[str] = frozenset()
    endpoints: frozenset[str] = frozenset()
    signals: tuple[str, ...] = ()
    """Names of Signals fields that must be set (signals.py)."""
    when: tuple[Predicate, ...] = ()
    fix: tuple[str, ...] = ()
    """Fix steps (templates over Context.fields()) that replace the cause's own, where the
    cause's general steps would be wrong (a gateway's upstream, a foreign key)."""

    def matches(self, ctx: Context) -> bool:
        """True when every criterion this row sets holds for ``ctx``."""
        if self.providers and ctx.provider not in self.providers:
            return False
        if self.not_answered_by and ctx.answered_by in self.not_answered_by:
            return False
        # An unknown status (a pasted message without its status line) does not contradict
        # a row that also matches on code, type, message or signals: those decide alone.
        status_known = ctx.status is not None or not (
            self.codes or self.types or self.message or self.signals
        )
        if status_known and self.status and ctx.status not in self.status:
            return False
        if status_known and self.status_range is not None:
            low, high = self.status_range
            if ctx.status is None or not low <= ctx.status <= high:
                return False
        if self.codes and ctx.code not in self.codes:
            return False
        if self.types and ctx.etype not in self.types:
            return False
        if self.message is not None and not self.message.search(ctx.message):
            return False
        if self.network and ctx.network not in self.network:
            return False
        if self.body_kinds and ctx.body_kind not in self.body_kinds:
            return False
        if self.endpoints and ctx.endpoint not in self.endpoints:
            return False
        if any(not getattr(ctx.signals, name) for name in self.signals):
            return False
        return all(pred(ctx) for pred in self.when)

    def describe(self) -> str:
        """What the row matches, for `modelcheck rules` and --verbose."""
        parts = []
        if self.stage != "probe":
            parts.append({"key": "local key check", "success": "a working model"}[self.stage])
        if self.providers:
            parts.append("provider " + " | ".join(sorted(self.providers)))
        if self.not_answered_by:
            parts.append("not from a " + " or ".join(sorted(self.not_answered_by)))
        if self.status:
            parts.append("status " + " | ".join(map(str, self.status)))
        if self.status_range:
            parts.append(f"status {self.status_range[0]}-{self.status_range[1]}")
        if self.codes:
            parts.append("code " + " | ".join(sorted(self.codes)))
        if self.types:
            parts.append("type " + " | ".join(sorted(self.types)))
        if self.message is not None:
            parts.append(f"message /{self.message.pattern}/")
        if self.network:
            parts.append("network " + " | ".join(sorted(self.network)))
        if self.body_kinds:
            parts.append("body " + " | ".join(sorted(self.body_kinds)))
        if self.endpoints:
            parts.append("endpoint " + " | ".join(sorted(self.endpoints)))
        parts.extend(f"signal {name}" for name in self.signals)
        parts.extend(pred.__name__ for pred in self.when)
        return ", ".join(parts)


def pattern(text: str) -> LazyPattern:
    """A case-insensitive message pattern."""
    return lazy(text, re.IGNORECASE)


def words(*items: str) -> frozenset[str]:
    """A set of codes, types, kinds or names."""
    return frozenset(items)
