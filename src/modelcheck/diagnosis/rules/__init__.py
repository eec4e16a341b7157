"""RULES: the declarative rule table, one module per family, joined in an explicit order.

Each row says what it matches, the cause, its priority and confidence, and the fixtures it was
written from (see rule.py). Adding a rule is one row, one verbatim fixture and one case.
"""

from __future__ import annotations

from modelcheck.diagnosis.rule import Rule
from modelcheck.diagnosis.rules import (
    auth,
    billing,
    keys,
    models,
    network,
    requests,
    service,
    success,
)

RULES: tuple[Rule, ...] = (
    *keys.RULES,
    *network.RULES,
    *auth.RULES,
    *billing.RULES,
    *requests.RULES,
    *models.RULES,
    *service.RULES,
    *success.RULES,
)

ALIASES: dict[str, str] = {
    "openai.auth.no_key_sent": "auth.no_key_sent",
    "openai.auth.invalid_api_key": "auth.invalid_api_key.code",
    "auth.incorrect_key_message": "auth.invalid_api_key",
    "openai.account_deactivated": "account.deactivated",
    "openai.account_deactivated.code": "account.deactivated",
    "openai.ip_not_allowed": "network.ip_not_allowed",
    "openai.missing_scopes": "auth.permission",
    "openai.region": "region.unsupported",
    "openai.region.code": "region.code",
    "billing.message": "billing.wording",
    "openai.billing.code": "billing.code",
    "openai.billing.type": "billing.type",
    "limits.rate_limited.message": "limits.rate_limited.wording",
    "model.retired": "model.retired.known",
    "model.deprecated_message": "model.retired.wording",
    "model.not_chat_message": "model.wrong_endpoint",
    "model.not_found.message": "model.not_found.wording",
    "gemini.free_tier_limit_zero": "limits.limit_zero",
    "anthropic.request_not_allowed": "region.unsupported",
    "http.server_error.message": "server.failure",
    "http.server_error": "server.status",
    "openai.project_model_access": "model.allowlist",
    "auth.bare_unauthorized": "auth.bare_unauthorized.local",
}
"""Old rule id -> current id (rule ids appear in JSON reports; scripts may key on them)."""
