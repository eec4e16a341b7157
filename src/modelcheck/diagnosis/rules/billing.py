"""Billing, budgets and limits: what a retry will restore (a rate limit) and what it will not
(no credit, a spent budget, a monthly or trial quota, a limit of 0)."""

from __future__ import annotations

from modelcheck.diagnosis import predicates as p
from modelcheck.diagnosis.rule import (
    ALTERNATIVE,
    CERTAIN,
    CONTEXT,
    SPECIFIC,
    WEAK,
    Rule,
    pattern,
    words,
)
from modelcheck.errorbody import BILLING_CODES

RULES: tuple[Rule, ...] = (
    Rule(
        id="billing.code",
        cause="insufficient_quota",
        priority=CERTAIN,
        confidence=0.95,
        summary="A billing error, not a rate limit ({code}): \u201c{message}\u201d. It was not "
        "retried.",
        seen_in=(
            "openai_nextchat_insufficient_quota_docs_link_2024",
            "openai_dyad_credit_balance_exhausted",
        ),
        codes=BILLING_CODES | words("insufficient_user_quota", "insufficient_balance"),
    ),
    Rule(
        id="billing.type",
        cause="insufficient_quota",
        priority=CERTAIN,
        confidence=0.75,
        summary="A billing error, not a rate limit: \u201c{message}\u201d. {retried_note}",
        seen_in=("openai_nextchat_insufficient_quota_code_null_2023",),
        types=words(
            "insufficient_quota", "insufficient_balance_error", "billing_error", "budget_exceeded"
        ),
    ),
    Rule(
        id="limits.limit_zero",
        cause="model_requires_payment",
        priority=CERTAIN,
        confidence=0.9,
        summary="The quota for {model} on this account is 0 (\u201climit: 0\u201d): the account's "
        "tier has no allowance for it at all, and waiting will not help. \u201c{message}\u201d",
        seen_in=("case:gemini_limit_zero",),
        when=(p.limit_zero, p.quota_context),
    ),
    Rule(
        id="billing.budget",
        cause="insufficient_quota",
        priority=SPECIFIC,
        confidence=0.93,
        summary="A budget or spend limit is used up: \u201c{message}\u201d. Retrying will not "
        "help until it is raised or resets.",
        seen_in=(
            "litellm_400_budget_exceeded_auth_error",
            "litellm_400_user_exceeded_budget",
            "openrouter_403_key_limit_exceeded_total",
            "anthropic_specified_api_usage_limits_spend_limit",
        ),
        signals=("budget",),
    ),
    Rule(
        id="billing.wording",
        cause="insufficient_quota",
        priority=SPECIFIC,
        confidence=0.91,
        summary="A billing error: \u201c{message}\u201d. {retried_note}",
        seen_in=(
            "openai_nextchat_insufficient_quota_code_null_2023",
            "dashscope_400_free_tier_exhausted_free_tier_only_mode",
            "gemini_prepayment_credits_depleted_ai_sdk_retry",
            "dashscope_400_access_denied_account_arrears",
        ),
        signals=("billing",),
        when=(p.not_a_short_limit, p.not_context_or_filter),
    ),
    Rule(
        id="limits.paid_only",
        cause="model_requires_payment",
        priority=CERTAIN,
        confidence=0.75,
        summary="The free tier is restricted here and paid access is not: \u201c{message}\u201d",
        seen_in=(
            "vercel_gateway_free_credits_restricted_abuse",
            "gemini_429_pro_preview_no_free_quota_tier_quickstart",
        ),
        signals=("free_tier",),
        message=pattern(
            r"\bpaid (credits?|tiers?|plans?|accounts?|users?)\b|"
            r"(doesn'?t|does not) have a free (quota )?tier|\bno free (quota )?tier\b|"
            r"not available (on|in|for) the free tier"
        ),
    ),
    Rule(
        id="limits.spent_for_good",
        cause="insufficient_quota",
        priority=SPECIFIC,
        confidence=0.82,
        summary="A quota that does not reset soon is used up ({sig_window} window): "
        "\u201c{message}\u201d.",
        seen_in=("cohere_429_trial_key_monthly_limit", "cohere_402_billing_limit_reached_docs"),
        when=(p.quota_spent_for_good, p.limit_worded),
    ),
    Rule(
        id="http.payment_required",
        cause="insufficient_quota",
        priority=SPECIFIC,
        confidence=0.85,
        summary="HTTP 402 Payment Required: \u201c{message}\u201d.",
        seen_in=(
            "openrouter_402_key_limit_more_credits_required",
            "cohere_402_billing_limit_reached_docs",
        ),
        status=(402,),
    ),
    Rule(
        id="http.payload_too_large",
        cause="request_too_large",
        priority=SPECIFIC,
        confidence=0.91,
        summary="HTTP 413: the request is too large for this server or model: "
        "\u201c{message}\u201d",
        seen_in=("anthropic_request_too_large_413", "groq_request_too_large_413_tpm"),
        status=(413,),
        when=(p.not_context_or_filter,),
    ),
    Rule(
        id="limits.request_too_large",
        cause="request_too_large",
        priority=CERTAIN,
        confidence=0.93,
        summary="One request exceeds the per-minute token limit: \u201c{message}\u201d. Retrying "
        "never helps.",
        seen_in=("groq_request_too_large_413_tpm",),
        status=(413, 429),
        when=(p.request_too_large,),
    ),
    Rule(
        id="limits.rate_limited",
        cause="rate_limited",
        priority=SPECIFIC,
        confidence=0.93,
        summary="Rate limited after {attempts} attempt(s) (server asked to wait {retry_after}): "
        "\u201c{message}\u201d",
        seen_in=(
            "openai_knowledge_gpt_rpm_rate_limit_2023",
            "openai_metagpt_tpm_rate_limit_gpt4_10k",
        ),
        status=(429,),
        when=(
            p.not_billing_error,
            p.not_request_too_large,
            p.not_limit_zero,
            p.not_spent_for_good,
            p.not_context_or_filter,
            p.not_overloaded,
        ),
    ),
    Rule(
        id="limits.rate_limited.code",
        cause="rate_limited",
        priority=SPECIFIC,
        confidence=0.85,
        summary="Rate limited ({code}): \u201c{message}\u201d",
        seen_in=("openai_metagpt_tpm_rate_limit_gpt4_10k",),
        codes=words(
            "rate_limit_exceeded",
            "slow_down",
            "rate_limit_error",
            "resource_exhausted",
            "throttlingexception",
            "too_many_requests",
        ),
        when=(
            p.not_billing_error,
            p.not_request_too_large,
            p.not_limit_zero,
            p.not_spent_for_good,
            p.not_context_or_filter,
        ),
    ),
    Rule(
        id="limits.rate_limited.wording",
        cause="rate_limited",
        priority=SPECIFIC,
        confidence=0.93,
        summary="Rate limited: \u201c{message}\u201d",
        seen_in=(
            "openai_knowledge_gpt_rpm_rate_limit_2023",
            "together_rate_limited_free_tier",
            "azure_429_token_rate_limit_60s_free_account",
            "anthropic_rate_limit_1m_itpm_ai_sdk_retry",
            "bedrock_429_too_many_tokens_per_day",
        ),
        signals=("rate_limit",),
        when=(
            p.not_billing_error,
            p.not_request_too_large,
            p.not_limit_zero,
            p.not_a_long_limit,
            p.not_overloaded,
        ),
    ),
    Rule(
        id="limits.rate_limited.type",
        cause="rate_limited",
        priority=CONTEXT,
        confidence=0.75,
        summary="Rate limited ({type}): \u201c{message}\u201d",
        seen_in=("moonshot_429_org_max_rpm_3_free_tier",),
        types=words(
            "rate_limit_reached_error", "throttling_error", "rate_limit_error", "requests", "tokens"
        ),
        when=(p.not_billing_error, p.not_limit_zero),
    ),
    Rule(
        id="limits.quota_wording_short_window",
        cause="rate_limited",
        priority=CONTEXT,
        confidence=0.7,
        summary="A {sig_window} quota is spent: \u201c{message}\u201d. It resets by itself.",
        seen_in=("gemini_429_free_tier_input_tokens_per_minute_gemini_2_5_pro",),
        signals=("billing",),
        when=(p.short_window, p.not_limit_zero),
    ),
    Rule(
        id="limits.free_tier_exhausted",
        cause="insufficient_quota",
        priority=ALTERNATIVE,
        confidence=0.35,
        summary="A free tier's allowance may simply be used up for now; a paid plan lifts it.",
        seen_in=("together_rate_limited_free_tier", "openrouter_free_models_per_day_429"),
        status=(429,),
        when=(p.free_tier,),
    ),
    Rule(
        id="limits.status_only",
        cause="rate_limited",
        priority=WEAK,
        confidence=0.5,
        summary="HTTP 429: \u201c{message}\u201d",
        seen_in=("case:rate_limited_without_wait",),
        status=(429,),
        when=(p.not_billing_error, p.not_context_or_filter),
    ),
)
