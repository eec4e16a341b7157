"""Warnings on a model that works: it answers, with a caveat the report should carry."""

from __future__ import annotations

from modelcheck.diagnosis import predicates as p
from modelcheck.diagnosis.rule import CERTAIN, Rule

RULES: tuple[Rule, ...] = (
    Rule(
        id="knowledge.shutdown_soon",
        cause="model_deprecated",
        priority=CERTAIN,
        confidence=1.0,
        summary="{model} works, but is retired on {shutdown} (in {days_left} days); move to "
        "{replacement}.",
        seen_in=("case:shutdown_soon",),
        stage="success",
        when=(p.shutdown_within_90_days,),
    ),
    Rule(
        id="probe.needs_max_completion_tokens",
        cause="unsupported_parameter",
        priority=CERTAIN,
        confidence=1.0,
        summary="{model} works, but only with max_completion_tokens: it rejects max_tokens (as "
        "o-series and newer models do). Send max_completion_tokens.",
        seen_in=("case:needs_max_completion_tokens",),
        stage="success",
        when=(p.adapted_to_max_completion_tokens,),
        fix=(
            "Send max_completion_tokens instead of max_tokens to {model}.",
            "Reasoning models also accept only the default temperature and top_p: leave them out.",
        ),
    ),
)
