"""RULES: a declarative table. Each row says what it matches, the cause, and its evidence.

Matching: every field a row sets must hold (status, code, type, message regex, network
kind, body kind, endpoint, ``when`` predicates); codes/types/statuses within one field are
alternatives. Rows match machine fields (status, code, type) first and use message text only
where providers send no code. ``fixtures`` names the verbatim fixtures (tests/fixtures/errors)
that motivated the row; rules on local key checks name their test case instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelcheck.diagnosis import predicates as p
from modelcheck.diagnosis.predicates import Context, Predicate
from modelcheck.errorbody import BILLING_CODES


@dataclass(frozen=True)
class Rule:
    """One row of the rule table."""

    id: str
    cause: str
    confidence: float
    summary: str
    """A template over Context.fields(), e.g. "{model} is not in this key's list"."""
    fixtures: tuple[str, ...]
    stage: str = "probe"
    """"key": evaluated once on the key alone, before any request; "probe": per failing probe."""
    status: tuple[int, ...] = ()
    status_range: tuple[int, int] | None = None
    codes: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    message: re.Pattern[str] | None = None
    network: frozenset[str] = frozenset()
    body_kinds: frozenset[str] = frozenset()
    endpoints: frozenset[str] = frozenset()
    when: tuple[Predicate, ...] = ()
    fix: tuple[str, ...] = ()
    """Fix steps (templates over Context.fields()) that replace the cause's own, for a
    situation the cause's general steps would get wrong (a gateway's upstream, a foreign key)."""

    def matches(self, ctx: Context) -> bool:
        """True when every criterion this row sets holds for ``ctx``."""
        # An unknown status (a pasted message without its status line) does not contradict
        # a row that also matches on code, type or message: those then decide alone.
        status_known = ctx.status is not None or not (self.codes or self.types or self.message)
        if status_known and self.status and ctx.status not in self.status:
            return False
        if (
            status_known
            and self.status_range
            and not (
                ctx.status is not None
                and self.status_range[0] <= ctx.status <= self.status_range[1]
            )
        ):
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
        return all(pred(ctx) for pred in self.when)

    def describe(self) -> str:
        """What the row matches, for `modelcheck rules` and --verbose."""
        parts = []
        if self.stage == "key":
            parts.append("local key check")
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
        parts.extend(pred.__name__ for pred in self.when)
        return ", ".join(parts)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _set(*items: str) -> frozenset[str]:
    return frozenset(items)


AUTH_STATUSES = (400, 401, 403)
NOT_FOUND_CODES = p.NOT_FOUND_CODES
MODEL_MISSING_TEXT = _re(
    r"does not exist|not found|unknown model|invalid model|not a valid model|no such model|"
    r"no endpoints found for|unable to access model"
)

RULES: tuple[Rule, ...] = (
    # --- the key, checked locally before any request --------------------------------------
    Rule(
        "key.missing",
        "missing_api_key",
        0.97,
        "No API key found ({key_source}); no request was sent.",
        ("case:key_missing",),
        stage="key",
        when=(p.key_missing, p.key_required),
    ),
    Rule(
        "key.empty_file",
        "missing_api_key",
        0.98,
        "The key file is empty ({key_source}); no request was sent.",
        ("case:key_empty_file",),
        stage="key",
        when=(p.key_empty_file, p.key_required),
        fix=("Write the key into the file (one line), or point --api-key-file at the right file.",),
    ),
    Rule(
        "key.pasted_prefix",
        "invalid_api_key",
        0.96,
        "The key from {key_source} starts with \u201c{pasted_prefix}\u201d: it was copied "
        "together with what stood in front of it (a .env line or a header). No request was sent.",
        ("case:key_pasted_prefix",),
        stage="key",
        when=(p.key_pasted_prefix,),
        fix=(
            "Keep only the key itself in the variable or file: drop \u201c{pasted_prefix}\u201d "
            "(a .env file is read as NAME=value; an Authorization header adds \u201cBearer \u201d "
            "itself).",
        ),
    ),
    Rule(
        "key.other_provider",
        "wrong_provider_key",
        0.97,
        "The key ({masked_key}, from {key_source}) is {foreign_label}, but the provider is "
        "{provider_title}; no request was sent.",
        ("case:key_other_provider",),
        stage="key",
        when=(p.key_refused,),
        fix=(
            "If you meant {foreign_provider}: {foreign_hint}.",
            "If you meant {provider_title}: set {key_env} to a {provider_title} key from {keys}.",
            "If a gateway that accepts this key sits in between, pass its --base-url: the key "
            "is then sent (with a warning).",
        ),
    ),
    Rule(
        "key.placeholder",
        "missing_api_key",
        0.95,
        "The key ({masked_key}, from {key_source}) is placeholder text, not a key; no request "
        "was sent.",
        ("case:key_placeholder",),
        stage="key",
        when=(p.key_placeholder,),
    ),
    Rule(
        "key.quoted",
        "invalid_api_key",
        0.95,
        "The key from {key_source} starts or ends with a quote character, which would be sent "
        "as part of the key; no request was sent.",
        ("case:key_quoted",),
        stage="key",
        when=(p.key_quoted,),
    ),
    Rule(
        "key.whitespace",
        "invalid_api_key",
        0.95,
        "The key from {key_source} contains spaces, a newline or another control character; "
        "no request was sent.",
        ("case:key_whitespace",),
        stage="key",
        when=(p.key_whitespace,),
    ),
    # --- network and base URL ---------------------------------------------------------------
    Rule(
        "net.dns",
        "network_dns",
        0.95,
        "The host name did not resolve: {network_detail}",
        ("network_dns_temporary_failure_openai", "network_dns_name_not_known_docker_host"),
        network=_set("dns"),
    ),
    Rule(
        "net.connect",
        "network_connect",
        0.9,
        "No connection: {network_detail}",
        ("network_connect_refused_ollama_bind",),
        network=_set("connect", "reset", "protocol"),
    ),
    Rule(
        "net.tls",
        "network_tls",
        0.95,
        "TLS failed: {network_detail}",
        ("network_tls_corporate_proxy_issuer", "network_tls_self_signed_chain_corporate"),
        network=_set("tls"),
    ),
    Rule(
        "net.timeout",
        "network_timeout",
        0.9,
        "No answer in time: {network_detail}",
        ("network_timeout_openai_python",),
        network=_set("timeout"),
    ),
    Rule(
        "net.proxy",
        "proxy_error",
        0.9,
        "The HTTP proxy failed: {network_detail}",
        ("network_407_proxy_auth_required_httpcore",),
        network=_set("proxy"),
    ),
    Rule(
        "http.proxy_auth",
        "proxy_error",
        0.95,
        "HTTP 407: a proxy wants credentials before it forwards the request.",
        ("network_407_proxy_codegpt",),
        status=(407,),
    ),
    Rule(
        "http.redirect",
        "wrong_base_url",
        0.9,
        "The server answered {status} redirecting to {location}; redirects are not followed "
        "and the key is never sent there. Use the final URL as the base URL.",
        ("case:http_redirect",),
        status_range=(300, 399),
    ),
    Rule(
        "http.endpoint_in_base_url",
        "wrong_base_url",
        0.95,
        "The base URL {base_url} already ends in an endpoint path; it should be the API root "
        "(ending in /v1).",
        ("openai_gateway_unknown_url_missing_v1",),
        status_range=(400, 405),
        when=(p.base_url_has_endpoint,),
    ),
    Rule(
        "http.html.missing_v1",
        "wrong_base_url",
        0.92,
        "The server answered {status} with an HTML page (\u201c{excerpt}\u201d), not the API; "
        "the base URL {base_url} lacks a version path such as /v1.",
        ("openai_aisub_nginx_html_404_missing_v1",),
        body_kinds=_set("html"),
        when=(p.not_server_status, p.base_url_lacks_v1),
    ),
    Rule(
        "http.html",
        "wrong_base_url",
        0.85,
        "The server answered {status} with an HTML page (\u201c{excerpt}\u201d), not a JSON API "
        "answer: the base URL points at a web page, a gateway login or another service.",
        ("openai_aisub_nginx_html_404_missing_v1",),
        body_kinds=_set("html"),
        when=(p.not_server_status,),
    ),
    Rule(
        "http.unknown_url",
        "wrong_base_url",
        0.85,
        "The server does not know this path ({status}: \u201c{message}\u201d): the base URL "
        "{base_url} is probably missing /v1 or has it twice.",
        ("openai_gateway_unknown_url_missing_v1", "xai_404_no_handler_on_route"),
        status=(404, 405),
        message=_re(
            r"^\s*not found\s*$|unknown (request )?url|invalid url|page not found|no route|"
            r"no handler found on route"
        ),
    ),
    Rule(
        "http.list_not_openai",
        "wrong_base_url",
        0.7,
        "The models list answered {status} but is not an OpenAI-style list: the base URL "
        "points at another kind of service.",
        ("case:list_not_openai",),
        endpoints=_set("models.list"),
        status_range=(200, 299),
        body_kinds=_set("json"),
    ),
    Rule(
        "http.chat_not_completion",
        "wrong_base_url",
        0.6,
        "The chat endpoint answered {status} but not with a chat completion: the base URL "
        "points at another kind of service.",
        ("case:chat_not_completion",),
        endpoints=_set("chat"),
        status_range=(200, 299),
        body_kinds=_set("json"),
    ),
    Rule(
        "http.malformed_success",
        "server_error",
        0.8,
        "The server answered {status} but its body is not usable JSON (empty, cut off or "
        "corrupt): \u201c{excerpt}\u201d",
        ("case:malformed_success",),
        status_range=(200, 299),
        body_kinds=_set("text", "empty"),
    ),
    # --- key and account, from the provider's answer -----------------------------------------
    Rule(
        "auth.no_key_configured",
        "missing_api_key",
        0.96,
        "The server refused the request ({status}) and no key was configured ({key_source}).",
        ("vllm_401_unauthorized_string_error", "aimock_401_invalid_api_key"),
        status=(401, 403),
        when=(p.key_missing,),
    ),
    Rule(
        "gateway.upstream_auth",
        "invalid_api_key",
        0.94,
        "The gateway accepted the request, but its upstream for {model} rejected the "
        "gateway's own credential: \u201c{message}\u201d",
        ("case:gateway_upstream_auth", "litellm_sdk_auth_wrapped_literal_env_expr"),
        status=(401, 403),
        when=(p.gateway_wrapped,),
        fix=(
            "This is the gateway's configuration, not your key: ask its operator to fix the "
            "upstream API key of the model group serving {model} (LiteLLM: litellm_params."
            "api_key in the proxy's config).",
            "Other models behind the same gateway may work: check them with the same key.",
        ),
    ),
    Rule(
        "litellm.no_connected_db",
        "invalid_api_key",
        0.85,
        "LiteLLM without a database can check only its master key, so any other key gets "
        "\u201cNo connected db.\u201d: this key ({masked_key}) is not the proxy's master key.",
        ("litellm_401_no_connected_db_wrong_key", "litellm_400_no_connected_db_wrong_key_probe"),
        message=_re(r"no connected db"),
    ),
    Rule(
        "auth.foreign_key",
        "wrong_provider_key",
        0.93,
        "Authentication failed and the key ({masked_key}) has a {foreign_provider} prefix: it "
        "was issued by {foreign_provider}, not by this provider.",
        ("openai_popjane_proxy_key_sent_to_openai_incorrect_api_key",),
        status=AUTH_STATUSES,
        when=(p.key_of_other_provider,),
    ),
    Rule(
        "auth.key_not_provider_shaped",
        "wrong_provider_key",
        0.92,
        "Authentication failed, and the key ({masked_key}) does not have the shape of this "
        "provider's keys (prefix or marker): it was issued by another provider or a relay "
        "service.",
        ("openai_popjane_proxy_key_sent_to_openai_incorrect_api_key",),
        status=AUTH_STATUSES,
        when=(p.provider_host, p.key_not_provider_shaped),
    ),
    Rule(
        "openai.auth.no_key_sent",
        "missing_api_key",
        0.95,
        "The server says no key was sent: \u201c{message}\u201d",
        (
            "openai_langchain_dart_missing_api_key",
            "openrouter_no_auth_credentials_found_app_update",
            "deepseek_401_governor_no_key_sent",
            "litellm_sdk_missing_proxy_api_key",
            "deepseek_auth_header_format",
        ),
        status=(401,),
        message=_re(
            r"didn't provide an api key|no api key provided|missing (api )?key|"
            r"no auth credentials found|missing authentication header|no api key passed|"
            r"api_key client option must be set|authentication fails \(governor\)|"
            r"auth header format"
        ),
    ),
    Rule(
        "openai.auth.invalid_api_key",
        "invalid_api_key",
        0.9,
        "The key ({masked_key}) was rejected: \u201c{message}\u201d",
        ("openai_continue_incorrect_api_key_text_pasted_as_key",),
        codes=_set("invalid_api_key"),
    ),
    Rule(
        "auth.incorrect_key_message",
        "invalid_api_key",
        0.85,
        "The key ({masked_key}) was rejected: \u201c{message}\u201d",
        (
            "openai_continue_incorrect_api_key_text_pasted_as_key",
            "gemini_api_key_reported_leaked",
            "fireworks_invalid_apikey_legacy_fault",
        ),
        status=AUTH_STATUSES,
        message=_re(
            r"incorrect api key|invalid api ?key|api key not valid|invalid x-api-key|"
            r"invalid subscription key|api key was reported as leaked"
        ),
    ),
    Rule(
        "openai.account_deactivated",
        "account_deactivated",
        0.92,
        "The provider disabled the account or key: \u201c{message}\u201d",
        (
            "openai_discord_bot_account_deactivated_401",
            "openai_nextchat_account_deactivated_new_wording",
        ),
        message=_re(r"deactivated|account (has been |is )?(disabled|suspended|banned)"),
        status_range=(400, 403),
    ),
    Rule(
        "openai.account_deactivated.code",
        "account_deactivated",
        0.95,
        "The provider disabled the account or key: \u201c{message}\u201d",
        ("openai_discord_bot_account_deactivated_401",),
        codes=_set("account_deactivated"),
    ),
    Rule(
        "openai.no_organization",
        "no_organization",
        0.93,
        "\u201c{message}\u201d: the user behind the key belongs to no organization.",
        ("openai_openhands_no_organization_401",),
        message=_re(r"member of an organization"),
    ),
    Rule(
        "openai.organization_mismatch",
        "organization_invalid",
        0.93,
        "The organization sent ({organization}) does not match the key: \u201c{message}\u201d",
        (
            "openai_foundry_mismatched_organization_401",
            "openai_zsh_codex_no_such_organization_personal",
        ),
        message=_re(r"openai-organization header|no such organization|mismatched.organization"),
    ),
    Rule(
        "openai.organization_mismatch.code",
        "organization_invalid",
        0.95,
        "The organization sent ({organization}) does not match the key: \u201c{message}\u201d",
        ("openai_foundry_mismatched_organization_401",),
        codes=_set("invalid_organization", "mismatched_organization"),
    ),
    Rule(
        "openai.auth.with_org_header",
        "organization_invalid",
        0.45,
        "An organization header ({organization}) was sent; a 401 then often means the key is "
        "not a member of that organization.",
        ("openai_foundry_mismatched_organization_401",),
        status=(401,),
        when=(p.org_header_sent,),
    ),
    Rule(
        "openai.project_mismatch",
        "project_invalid",
        0.9,
        "The project sent ({project}) does not fit the key: \u201c{message}\u201d",
        ("openai_project_header_mismatch_401",),
        status=(401, 403),
        message=_re(r"openai-project header|mismatched.project|project .*(archived|not found)"),
    ),
    Rule(
        "openai.auth.with_project_header",
        "project_invalid",
        0.4,
        "A project header ({project}) was sent; a 401 then often means the key does not "
        "belong to that project.",
        ("openai_project_header_mismatch_401",),
        status=(401,),
        when=(p.project_header_sent,),
    ),
    Rule(
        "openai.ip_not_allowed",
        "ip_not_allowed",
        0.93,
        "This machine's IP address is not on the allow-list: \u201c{message}\u201d",
        ("openai_docs_ip_not_authorized",),
        status=(401, 403),
        message=_re(r"ip (address )?(is )?not (authorized|allowed)|not in (the )?allow.?list"),
    ),
    Rule(
        "openai.missing_scopes",
        "insufficient_permissions",
        0.93,
        "The key lacks a permission: \u201c{message}\u201d",
        (
            "openai_openclaw_missing_scopes_model_request",
            "anthropic_oauth_token_missing_inference_scope",
            "fireworks_403_fire_pass_key_models_route",
            "gemini_api_key_service_blocked",
        ),
        status=(401, 403),
        message=_re(
            r"missing scopes|insufficient permissions|scope requirement|"
            r"not authorized for this route|api_key_service_blocked|"
            r"requests to this api .* are blocked"
        ),
    ),
    Rule(
        "openai.region",
        "region_unsupported",
        0.95,
        "The provider does not serve this location: \u201c{message}\u201d",
        (
            "openai_home_assistant_region_unsupported_403",
            "openai_vercel_reverse_proxy_region_unsupported",
            "gemini_user_location_not_supported_hk_ip",
            "gemini_free_tier_not_available_in_country",
        ),
        message=_re(
            r"country, region,? or territory not supported|location is not supported|"
            r"not available in your country"
        ),
    ),
    Rule(
        "openai.region.code",
        "region_unsupported",
        0.96,
        "The provider does not serve this location: \u201c{message}\u201d",
        ("openai_home_assistant_region_unsupported_403",),
        codes=_set("unsupported_country_region_territory"),
    ),
    Rule(
        "auth.unauthorized",
        "invalid_api_key",
        0.6,
        "The server answered 401 (\u201c{message}\u201d): the key was not accepted.",
        ("openai_continue_incorrect_api_key_text_pasted_as_key",),
        status=(401,),
    ),
    # --- billing and limits ------------------------------------------------------------------
    Rule(
        "http.payload_too_large",
        "request_too_large",
        0.85,
        "HTTP 413: the request is too large for this server or model: \u201c{message}\u201d",
        ("anthropic_request_too_large_413", "groq_request_too_large_413_tpm"),
        status=(413,),
    ),
    Rule(
        "openai.billing.code",
        "insufficient_quota",
        0.96,
        "A billing error, not a rate limit ({code}): \u201c{message}\u201d. It was not retried.",
        (
            "openai_nextchat_insufficient_quota_docs_link_2024",
            "openai_dyad_credit_balance_exhausted",
        ),
        codes=BILLING_CODES,
    ),
    Rule(
        "openai.billing.type",
        "insufficient_quota",
        0.95,
        "A billing error, not a rate limit: \u201c{message}\u201d. It was not retried.",
        ("openai_nextchat_insufficient_quota_code_null_2023",),
        types=_set("insufficient_quota"),
    ),
    Rule(
        "billing.message",
        "insufficient_quota",
        0.9,
        "A billing error: \u201c{message}\u201d.",
        (
            "openai_nextchat_insufficient_quota_code_null_2023",
            "anthropic_credit_balance_too_low_with_request_id",
            "xai_403_team_credits_exhausted",
            "xai_grpc_new_team_no_credits",
        ),
        message=_re(
            r"exceeded your current quota|no prepaid credits|credit balance is too low|"
            r"insufficient (balance|credits)|billing (details|hard limit)|"
            r"used all available credits|monthly spending limit|doesn't have any credits|"
            r"requires more credits|prepay credit balance"
        ),
    ),
    Rule(
        "http.payment_required",
        "insufficient_quota",
        0.85,
        "HTTP 402 Payment Required: \u201c{message}\u201d.",
        ("deepseek_402_insufficient_balance",),
        status=(402,),
    ),
    Rule(
        "limits.request_too_large",
        "request_too_large",
        0.92,
        "One request exceeds the per-minute token limit: \u201c{message}\u201d. Retrying never "
        "helps.",
        ("openai_climb_request_too_large_gpt4o_tpm",),
        status=(413, 429),
        when=(p.request_too_large,),
    ),
    Rule(
        "limits.rate_limited",
        "rate_limited",
        0.88,
        "Rate limited after {attempts} attempt(s) (server asked to wait {retry_after}): "
        "\u201c{message}\u201d",
        (
            "openai_knowledge_gpt_rpm_rate_limit_2023",
            "openai_metagpt_tpm_rate_limit_gpt4_10k",
        ),
        status=(429,),
        when=(p.not_billing_error, p.not_request_too_large),
    ),
    Rule(
        "limits.rate_limited.code",
        "rate_limited",
        0.87,
        "Rate limited ({code}): \u201c{message}\u201d",
        (
            "openai_metagpt_tpm_rate_limit_gpt4_10k",
            "openai_unsaged_tpm_rate_limit_gpt4_2023",
        ),
        codes=_set("rate_limit_exceeded", "slow_down", "rate_limit_error", "resource_exhausted"),
        when=(p.not_billing_error, p.not_request_too_large),
    ),
    Rule(
        "limits.rate_limited.message",
        "rate_limited",
        0.8,
        "Rate limited: \u201c{message}\u201d",
        ("openai_knowledge_gpt_rpm_rate_limit_2023", "together_rate_limited_free_tier"),
        message=_re(r"rate limit (reached|exceeded)|been rate limited|too many requests|slow down"),
        when=(p.not_billing_error, p.not_request_too_large),
    ),
    # --- model access -----------------------------------------------------------------------
    Rule(
        "model.retired",
        "model_deprecated",
        0.9,
        "{model} was retired on {shutdown}; its replacement is {replacement}.",
        ("openai_quickstart_node_text_davinci_003_deprecated",),
        status_range=(400, 404),
        when=(p.openai_knowledge, p.retired_model),
    ),
    Rule(
        "model.deprecated_message",
        "model_deprecated",
        0.92,
        "The provider says the model is retired: \u201c{message}\u201d",
        (
            "openai_shivank8_text_davinci_003_deprecated",
            "openai_quickstart_node_text_davinci_003_deprecated",
        ),
        message=_re(
            r"deprecated|decommissioned|has been shut ?down|no longer (supported|available)"
        ),
    ),
    Rule(
        "model.not_chat_message",
        "wrong_endpoint_for_model",
        0.95,
        "{model} is not served by chat completions: \u201c{message}\u201d{endpoint_hint}",
        (
            "openai_chatgpt_web_not_a_chat_model_404",
            "openai_chatbox_o1_pro_not_a_chat_model_404",
            "openai_goose_responses_only_model_codex_mini",
        ),
        message=_re(
            r"not a chat model|only supported in v1/responses|"
            r"not supported in the v1/chat/completions endpoint"
        ),
    ),
    Rule(
        "model.known_other_endpoint",
        "wrong_endpoint_for_model",
        0.8,
        "{model} is a {known_endpoint} model, not a chat model; call the {known_endpoint} "
        "endpoint instead.",
        ("openai_chatgpt_web_not_a_chat_model_404",),
        status=(400, 404),
        when=(p.openai_knowledge, p.not_chat_model),
    ),
    Rule(
        "openai.org_verification",
        "organization_verification_required",
        0.95,
        "The model needs a verified organization: \u201c{message}\u201d",
        (
            "openai_lamb_org_verification_required_to_stream",
            "openai_openai_go_org_verification_required_gpt5_nonstream",
        ),
        message=_re(r"organization must be verified|verify (your )?organization"),
    ),
    Rule(
        "openai.project_model_access",
        "project_model_not_allowed",
        0.93,
        "The project may not use {model}: \u201c{message}\u201d",
        ("openai_cursor_project_no_access_to_model_403",),
        status=(403, 404),
        message=_re(r"project .{0,40}does not have access to (the )?model"),
    ),
    Rule(
        "local.model_not_installed",
        "model_not_installed",
        0.95,
        "The server has not pulled or loaded {model}: \u201c{message}\u201d",
        ("ollama_404_native_not_pulled", "lmstudio_404_no_models_loaded"),
        message=_re(r"try pulling it first|no models? (is |are )?loaded|model is not loaded"),
    ),
    Rule(
        "param.unsupported",
        "unsupported_parameter",
        0.9,
        "The model rejects a parameter ({param}): \u201c{message}\u201d",
        (
            "openai_ai_automation_suggester_max_tokens_unsupported",
            "openai_qwen_code_temperature_only_default_supported",
        ),
        codes=_set("unsupported_parameter", "unsupported_value"),
    ),
    Rule(
        "model.not_found.type",
        "model_not_found",
        0.85,
        "{model} does not exist here: \u201c{message}\u201d",
        ("anthropic_model_not_found_alias_opus_4", "mistral_invalid_model_empty_string"),
        types=_set("not_found_error", "invalid_model", "notfounderror", "not_found"),
        when=(p.unknown_model,),
    ),
    Rule(
        "param.unknown_field",
        "unsupported_parameter",
        0.85,
        "The server rejects a request field: \u201c{message}\u201d",
        (
            "gemini_openai_compat_array_unknown_field_reasoning",
            "mistral_extra_forbidden_max_completion_tokens_422",
            "mistral_detail_extra_forbidden_store_422",
        ),
        message=_re(
            r"unknown name \"|extra inputs are not permitted|extra_forbidden|"
            r"unrecognized request argument"
        ),
    ),
    Rule(
        "param.no_endpoint_supports",
        "unsupported_parameter",
        0.9,
        "No provider serves this model with the requested feature: \u201c{message}\u201d",
        ("openrouter_no_endpoints_support_tool_use",),
        message=_re(r"no endpoints found that support"),
    ),
    Rule(
        "model.paid_deployment_needed",
        "model_requires_payment",
        0.85,
        "{model} is only served on a paid, dedicated deployment: \u201c{message}\u201d",
        ("together_400_non_serverless_model",),
        message=_re(r"non-serverless model|dedicated endpoint"),
    ),
    Rule(
        "gemini.free_tier_limit_zero",
        "model_requires_payment",
        0.97,
        "The free tier's quota for this model is 0: it needs billing enabled. "
        "\u201c{message}\u201d",
        ("gemini_free_tier_limit_zero_gemini_2_5_pro",),
        message=_re(r"free_tier\S*,\s*limit:\s*0\b"),
    ),
    Rule(
        "anthropic.request_not_allowed",
        "region_unsupported",
        0.7,
        "Anthropic refuses requests with \u201cRequest not allowed\u201d when they come from an "
        "unsupported region (or through a VPN/proxy exit there).",
        ("anthropic_forbidden_request_not_allowed_region",),
        types=_set("forbidden"),
        message=_re(r"^request not allowed$"),
    ),
    Rule(
        "auth.permission_type",
        "insufficient_permissions",
        0.7,
        "The key is not allowed to do this: \u201c{message}\u201d",
        (
            "anthropic_oauth_token_missing_inference_scope",
            "gemini_service_disabled_generative_language_api",
        ),
        types=_set("permission_error", "permission_denied"),
    ),
    Rule(
        "net.bad_address",
        "wrong_base_url",
        0.93,
        "The base URL cannot be used as written: \u201c{message}\u201d",
        (
            "network_no_connection_adapter_missing_scheme",
            "litellm_sdk_apiconnection_wrong_base_url",
        ),
        message=_re(
            r"cannot assign requested address|no connection adapters were found|missingschema|"
            r"unsupportedprotocol|missing an 'http://' or 'https://' protocol"
        ),
    ),
    Rule(
        "azure.deployment_not_found",
        "azure_deployment_not_found",
        0.95,
        "Azure has no deployment by that name: \u201c{message}\u201d",
        ("azure_deployment_not_found_chatbox",),
        codes=_set("deploymentnotfound"),
    ),
    Rule(
        "azure.api_version",
        "azure_api_version",
        0.92,
        "The Azure api-version does not fit: \u201c{message}\u201d",
        (
            "azure_api_version_not_supported_agent_mode",
            "azure_model_requires_newer_api_version_o3_mini",
        ),
        message=_re(
            r"api[- ]version (is )?not supported|unsupported api[- ]version|"
            r"only for api versions|api-version (query parameter )?(is )?(missing|required|invalid)"
        ),
    ),
    Rule(
        "azure.resource_not_found",
        "azure_api_version",
        0.6,
        "Azure answers \u201cResource not found\u201d when the api-version query parameter is "
        "missing (or the endpoint path is wrong).",
        ("azure_resource_not_found_unquoted_yaml_api_version",),
        status=(404,),
        message=_re(r"^resource not found$"),
    ),
    Rule(
        "azure.resource_not_found.path",
        "wrong_base_url",
        0.55,
        "\u201cResource not found\u201d also means the Azure endpoint path is wrong.",
        ("azure_resource_not_found_bad_url_path_chatall",),
        status=(404,),
        message=_re(r"^resource not found$"),
    ),
    Rule(
        "model.not_found.code.served_elsewhere",
        "model_not_found",
        0.7,
        "{model} is a well-known id, but this server does not serve it (400 {code}).",
        ("lmstudio_400_invalid_model_identifier",),
        status=(400,),
        codes=NOT_FOUND_CODES,
        when=(p.known_model,),
    ),
    Rule(
        "auth.bare_unauthorized",
        "missing_api_key",
        0.5,
        "A bare \u201cUnauthorized\u201d from a self-hosted server often means no key (or no "
        "Authorization header) reached it.",
        ("vllm_401_unauthorized_string_error",),
        status=(401,),
        message=_re(r"^unauthorized$"),
    ),
    # The seed case (GPT-4, July 2023): a real model that this key's list lacks answers 404
    # model_not_found exactly like a typo would. Rank access causes by the model's gate.
    Rule(
        "openai.unlisted_known.payment",
        "model_requires_payment",
        0.62,
        "{model} is a real OpenAI model, but {list_state}: accounts without a successful "
        "payment cannot use it.",
        (
            "openai_lollms_gpt4_no_access_requires_payment",
            "openai_gptcelltype_gpt4_no_access_paid_5_then_works",
        ),
        status=(403, 404),
        when=(
            p.openai_knowledge,
            p.generic_not_found,
            p.model_not_listed,
            p.known_model,
            p.gate_payment_or_open,
        ),
    ),
    Rule(
        "openai.unlisted_known.payment_tier",
        "model_tier_gated",
        0.45,
        "{model} may be gated by usage tier or a waitlist: a real model missing from this "
        "key's list.",
        ("openai_big_agi_gpt4_model_not_exist_2023",),
        status=(403, 404),
        when=(
            p.openai_knowledge,
            p.generic_not_found,
            p.model_not_listed,
            p.known_model,
            p.gate_payment_or_open,
        ),
    ),
    Rule(
        "openai.unlisted_known.tier",
        "model_tier_gated",
        0.65,
        "{model} is a real OpenAI model open only to higher usage tiers; {list_state}.",
        ("openai_big_agi_gpt4_model_not_exist_2023",),
        status=(403, 404),
        when=(
            p.openai_knowledge,
            p.generic_not_found,
            p.model_not_listed,
            p.known_model,
            p.gate_tier,
        ),
    ),
    Rule(
        "openai.unlisted_known.tier_verification",
        "organization_verification_required",
        0.45,
        "Lower tiers can unlock {model} by verifying the organization.",
        ("openai_openai_go_org_verification_required_gpt5_nonstream",),
        status=(403, 404),
        when=(
            p.openai_knowledge,
            p.generic_not_found,
            p.model_not_listed,
            p.known_model,
            p.gate_tier,
        ),
    ),
    Rule(
        "openai.unlisted_known.verification",
        "organization_verification_required",
        0.65,
        "{model} is a real OpenAI model that needs a verified organization; {list_state}.",
        ("openai_openai_php_org_verification_required_gpt_image_1",),
        status=(403, 404),
        when=(
            p.openai_knowledge,
            p.generic_not_found,
            p.model_not_listed,
            p.known_model,
            p.gate_verification,
        ),
    ),
    Rule(
        "openai.unlisted_known.verification_tier",
        "model_tier_gated",
        0.4,
        "{model} may also be limited to some usage tiers.",
        ("openai_big_agi_gpt4_model_not_exist_2023",),
        status=(403, 404),
        when=(
            p.openai_knowledge,
            p.generic_not_found,
            p.model_not_listed,
            p.known_model,
            p.gate_verification,
        ),
    ),
    Rule(
        "openai.unlisted_known.not_found",
        "model_not_found",
        0.15,
        "Less likely: the id is wrong for this provider (it is a known OpenAI id).",
        ("openai_langchain_dart_fake_model_not_found",),
        status=(403, 404),
        when=(p.openai_knowledge, p.generic_not_found, p.model_not_listed, p.known_model),
    ),
    Rule(
        "model.not_found.close_match",
        "model_not_found",
        0.93,
        "{model} is not a model this key can list; close ids in its list: {close}.{known_hint}",
        ("openai_langchain_dart_fake_model_not_found",),
        status=(400, 404),
        when=(p.model_unlisted, p.unknown_model, p.has_close_matches),
    ),
    Rule(
        "model.not_found.code",
        "model_not_found",
        0.85,
        "{model} does not exist here: \u201c{message}\u201d",
        ("openai_langchain_dart_fake_model_not_found",),
        codes=NOT_FOUND_CODES,
        when=(p.unknown_model,),
    ),
    Rule(
        "model.not_found.message",
        "model_not_found",
        0.8,
        "{model} does not exist here: \u201c{message}\u201d",
        ("openai_langchain_dart_fake_model_not_found",),
        status=(400, 404),
        message=MODEL_MISSING_TEXT,
        body_kinds=_set("json", "text"),
        when=(p.model_mentioned, p.unknown_model),
    ),
    Rule(
        "model.unlisted_404",
        "model_not_found",
        0.75,
        "{model} is not in this server's list of {listed_count} models, and the server "
        "answered 404 (\u201c{message}\u201d).",
        ("aimock_404_no_fixture_matched",),
        status=(404,),
        endpoints=_set("chat"),
        when=(p.model_unlisted, p.unknown_model),
    ),
    Rule(
        "model.not_found.listed_elsewhere",
        "model_not_found",
        0.5,
        "{model} answered 404 although the models list includes it (\u201c{message}\u201d).",
        ("openai_langchain_dart_fake_model_not_found",),
        status=(404,),
        codes=NOT_FOUND_CODES,
        when=(p.model_listed, p.known_model),
    ),
    # --- not access problems, and access that must be enabled ---------------------------------
    Rule(
        "request.context_length",
        "context_length_exceeded",
        0.93,
        "Not an access problem: the request is longer than {model}'s context window: "
        "\u201c{message}\u201d",
        (
            "openai_deer_flow_128000_messages_and_functions",
            "anthropic_python_sdk_prompt_too_long_208656",
            "gemini_cli_aistudio_input_token_count_3475108",
        ),
        message=_re(
            r"maximum context length|context (window|limit)|prompt is too long|"
            r"input token count .{0,40}exceeds|contextwindowexceeded|context_length_exceeded"
        ),
    ),
    Rule(
        "request.content_filtered",
        "content_filtered",
        0.93,
        "Not an access problem: the provider's content filter refused this content: "
        "\u201c{message}\u201d",
        (
            "azure_ragas_content_filter_violence_medium",
            "anthropic_claude_code_output_blocked_content_filtering_400",
            "litellm_bedrock_guardrail_violated_violence_blocked",
        ),
        message=_re(
            r"content (management|filtering) policy|content_?policy_?violation|"
            r"violated guardrail|guardrail_intervened|blocked ?reason|prohibited_?content"
        ),
    ),
    Rule(
        "request.content_filtered.code",
        "content_filtered",
        0.96,
        "Not an access problem: the provider's content filter refused this content: "
        "\u201c{message}\u201d",
        ("azure_ragas_content_filter_violence_medium",),
        codes=_set("content_filter", "content_policy_violation", "responsibleaipolicyviolation"),
    ),
    Rule(
        "google.api_not_enabled",
        "api_not_enabled",
        0.95,
        "The cloud project behind the key has not enabled the API: \u201c{message}\u201d",
        ("vertex_service_disabled_agent_starter_pack",),
        message=_re(r"api has not been used in project|\bservice_disabled\b"),
    ),
    Rule(
        "access.not_enabled",
        "model_access_not_enabled",
        0.9,
        "Access to {model} has not been enabled for this account: \u201c{message}\u201d",
        (
            "bedrock_access_denied_no_model_access_botocore_invoke",
            "bedrock_marketplace_actions_denied_gateway_upstream_403",
            "uniapi_vertex_project_not_allowed_publisher_model_claude",
        ),
        message=_re(
            r"don't have access to the model with the specified model id|"
            r"aws marketplace (actions|subscription)|not allowed to use publisher model|"
            r"model_terms_required"
        ),
    ),
    # --- the service ------------------------------------------------------------------------
    Rule(
        "http.server_error.message",
        "server_error",
        0.8,
        "The provider reports a failure on its side: \u201c{message}\u201d",
        (
            "openai_acheong_server_error_2023",
            "openai_langbot_server_error_while_processing",
            "mistral_service_tier_capacity_exceeded",
        ),
        message=_re(
            r"server had an error|currently overloaded|overloaded with other requests|"
            r"engine is overloaded|internal server error|service unavailable|bad gateway|"
            r"experienced an error while processing|capacity exceeded"
        ),
    ),
    Rule(
        "http.server_error",
        "server_error",
        0.85,
        "The server failed ({status}): \u201c{message}\u201d",
        (
            "openai_chatgpt_plugin_model_overloaded_503",
            "openai_chatgpt_bot_dingding_server_error_500_completions",
        ),
        status_range=(500, 599),
    ),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
