"""The key and the account, as the provider's answer shows them."""

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

AUTH_STATUSES = (400, 401, 403)
GATEWAY_UPSTREAM_FIX = (
    "This is the gateway's configuration, not your key: ask its operator to fix the upstream "
    "API key of the model group serving {model} (LiteLLM: litellm_params.api_key in the "
    "proxy's config).",
    "Other models behind the same gateway may work: check them with the same key.",
)

RULES: tuple[Rule, ...] = (
    Rule(
        id="auth.no_key_configured",
        cause="missing_api_key",
        priority=CERTAIN,
        confidence=0.96,
        summary="The server refused the request ({status}) and no key was configured "
        "({key_source}).",
        seen_in=("vllm_401_unauthorized_string_error", "aimock_401_invalid_api_key"),
        status=(401, 403),
        when=(p.key_missing,),
    ),
    Rule(
        id="gateway.upstream_auth",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.9,
        summary="The gateway accepted the request, but its upstream for {model} rejected the "
        "gateway's own credential: \u201c{message}\u201d",
        seen_in=("case:gateway_upstream_auth",),
        status=(401, 403),
        when=(p.gateway_wrapped, p.upstream_auth_only),
        fix=GATEWAY_UPSTREAM_FIX,
    ),
    Rule(
        id="litellm.no_connected_db",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.85,
        summary="LiteLLM without a database can check only its master key, so any other key "
        "gets \u201cNo connected db.\u201d: this key ({masked_key}) is not the proxy's master key.",
        seen_in=("litellm_401_no_connected_db_wrong_key",),
        message=pattern(r"no connected db"),
    ),
    Rule(
        id="auth.foreign_key",
        cause="wrong_provider_key",
        priority=CERTAIN,
        confidence=0.93,
        summary="Authentication failed and the key ({masked_key}) is {foreign_label}: it was "
        "issued by {foreign_provider}, not by this provider.",
        seen_in=("case:foreign_key_sent_behind_gateway",),
        status=AUTH_STATUSES,
        when=(p.key_of_other_provider,),
    ),
    Rule(
        id="auth.header_invalid",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.93,
        summary="The key could not be sent: \u201c{message}\u201d. A key with a space, a "
        "newline or another invisible character cannot go into an HTTP header.",
        seen_in=(
            "gemini_whitespace_around_key_illegal_header_value_litellm",
            "openai_trailing_newline_in_key_unexpected_char_0x0a",
        ),
        signals=("header_invalid",),
        fix=(
            "Strip the whitespace and newlines around the key (a file's trailing newline, a "
            "space copied with it, quotes); `modelcheck check` names what is wrong with it.",
        ),
    ),
    Rule(
        id="auth.echoed_local_dummy",
        cause="wrong_base_url",
        priority=SPECIFIC,
        confidence=0.8,
        summary="The key sent was \u201c{sig_echoed_key}\u201d, a local server's placeholder, "
        "and {provider_title}'s API answered: the base URL of the local server (LM Studio, "
        "Ollama, vLLM, ...) was not applied, so the request went to the hosted API.",
        seen_in=("openai_401_not_needed_key_lmstudio_empty_base_url_fallback",),
        status=AUTH_STATUSES,
        when=(p.echoed_local_dummy,),
        fix=(
            "Set the base URL to the local server (e.g. http://localhost:1234/v1 for LM Studio, "
            "http://localhost:11434/v1 for Ollama) where your client reads it; an empty value "
            "falls back to {api_root}.",
        ),
    ),
    Rule(
        id="openai.fragment_not_an_openai_key",
        cause="wrong_provider_key",
        priority=CERTAIN,
        confidence=0.95,
        summary="The key was rejected, and the part of it OpenAI echoes "
        "(\u201c{sig_fragment}\u201d) cannot be an OpenAI key (they start with sk- and OpenAI "
        "shows their first 8 characters): it is another provider's or a relay's key.",
        seen_in=("openai_deepseek_key_browser_use_webui", "openai_azure_key_nextchat"),
        providers=words("openai"),
        status=AUTH_STATUSES,
        signals=("auth_invalid",),
        when=(p.fragment_not_providers,),
    ),
    Rule(
        id="auth.fragment_of_unknown_shape",
        cause="wrong_provider_key",
        priority=SPECIFIC,
        confidence=0.63,
        summary="The key was rejected, and the part of it the provider echoes "
        "(\u201c{sig_fragment}\u201d) cannot be a {provider_title} key: it may be another "
        "provider's or a relay's.",
        seen_in=("openai_deepseek_key_browser_use_webui", "openai_azure_key_nextchat"),
        status=AUTH_STATUSES,
        signals=("auth_invalid",),
        when=(p.fragment_not_providers,),
    ),
    Rule(
        id="auth.fragment_of_another_key",
        cause="wrong_provider_key",
        priority=CERTAIN,
        confidence=0.93,
        summary="The key was rejected, and the part of it the provider echoes "
        "(\u201c{sig_fragment}\u201d) is {sig_fragment_owner}, not a {provider_title} key.",
        seen_in=(
            "litellm_openrouter_key_sent_to_openai_embeddings",
            "xai_openai_sk_key_codex",
        ),
        status=AUTH_STATUSES,
        signals=("auth_invalid",),
        when=(p.fragment_of_known_provider,),
    ),
    Rule(
        id="auth.api_keys_refused",
        cause="wrong_provider_key",
        priority=SPECIFIC,
        confidence=0.93,
        summary="This API takes no API keys (\u201c{message}\u201d): the key is another "
        "product's, e.g. a Gemini API key sent to Vertex AI, which expects OAuth credentials.",
        seen_in=("vertex_api_key_rejected_curl_401", "vertex_api_keys_not_supported_gemini_cli"),
        signals=("api_key_refused",),
        fix=(
            "Use the credential this API expects (Vertex AI: application-default credentials or "
            "a service account's OAuth token), or call the API that issued the key (a Gemini "
            "API key: generativelanguage.googleapis.com, --provider gemini).",
        ),
    ),
    Rule(
        id="auth.credential_kind",
        cause="invalid_api_key",
        priority=SPECIFIC,
        confidence=0.91,
        summary="The credential is of a kind this API does not accept: \u201c{message}\u201d",
        seen_in=(
            "anthropic_oauth_not_supported_bearer_curl",
            "copilot_pat_not_supported_for_endpoint",
        ),
        signals=("credential_kind",),
        fix=(
            "Use an API key from the provider's console ({keys}): subscription and OAuth "
            "tokens (Claude Pro/Max, ChatGPT, Claude Code sign-ins) and personal access tokens "
            "are not API keys.",
        ),
    ),
    Rule(
        id="auth.expired",
        cause="invalid_api_key",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The key or token has expired: \u201c{message}\u201d",
        seen_in=("gemini_api_key_expired_continue", "bedrock_expired_token_403_cline"),
        signals=("auth_expired",),
        fix=("Create a new key (or refresh the token) at {keys}, then replace the old one.",),
    ),
    Rule(
        id="auth.no_key_sent",
        cause="missing_api_key",
        priority=SPECIFIC,
        confidence=0.92,
        summary="The server says no key was sent: \u201c{message}\u201d",
        seen_in=(
            "openai_langchain_dart_missing_api_key",
            "openrouter_no_auth_credentials_found_app_update",
            "deepseek_401_governor_no_key_sent",
            "cohere_401_no_api_key_supplied_docs",
            "replicate_401_unauthenticated_no_token",
            "litellm_missing_anthropic_api_key_mini_swe_agent",
            "tokendance_401_missing_api_key_no_authorization_header",
        ),
        signals=("auth_missing",),
        when=(p.client_status,),
    ),
    Rule(
        id="auth.invalid_api_key.code",
        cause="invalid_api_key",
        priority=SPECIFIC,
        confidence=0.84,
        summary="The key ({masked_key}) was rejected: \u201c{message}\u201d",
        seen_in=("openai_continue_incorrect_api_key_text_pasted_as_key",),
        codes=words("invalid_api_key", "api_key_invalid"),
    ),
    Rule(
        id="auth.invalid_api_key",
        cause="invalid_api_key",
        priority=SPECIFIC,
        confidence=0.54,
        summary="The key ({masked_key}) was rejected: \u201c{message}\u201d",
        seen_in=(
            "openai_continue_incorrect_api_key_text_pasted_as_key",
            "gemini_api_key_reported_leaked",
            "bedrock_unrecognized_client_security_token_invalid_langchain",
        ),
        signals=("auth_invalid",),
        when=(p.client_status,),
    ),
    Rule(
        id="auth.key_not_provider_shaped",
        cause="wrong_provider_key",
        priority=CERTAIN,
        confidence=0.85,
        summary="Authentication failed, and the key ({masked_key}) does not have the shape of "
        "this provider's keys (prefix or marker): it was issued by another provider or a relay "
        "service.",
        seen_in=("case:relay_key_at_openai",),
        status=AUTH_STATUSES,
        when=(p.provider_host, p.key_not_provider_shaped),
    ),
    Rule(
        id="account.deactivated",
        cause="account_deactivated",
        priority=SPECIFIC,
        confidence=0.92,
        summary="The provider disabled the account or key: \u201c{message}\u201d",
        seen_in=(
            "openai_discord_bot_account_deactivated_401",
            "anthropic_400_organization_disabled_relay_account",
            "groq_400_organization_restricted_banned",
            "openai_nextchat_account_deactivated_new_wording",
        ),
        signals=("account_disabled",),
    ),
    Rule(
        id="openai.no_organization",
        cause="no_organization",
        priority=SPECIFIC,
        confidence=0.93,
        summary="\u201c{message}\u201d: the user behind the key belongs to no organization.",
        seen_in=("openai_openhands_no_organization_401",),
        message=pattern(r"member of an organization"),
    ),
    Rule(
        id="openai.organization_mismatch",
        cause="organization_invalid",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The organization sent ({organization}) does not match the key: "
        "\u201c{message}\u201d",
        seen_in=("openai_foundry_mismatched_organization_401",),
        message=pattern(r"openai-organization header|no such organization|mismatched.organization"),
    ),
    Rule(
        id="openai.organization_mismatch.code",
        cause="organization_invalid",
        priority=CERTAIN,
        confidence=0.95,
        summary="The organization sent ({organization}) does not match the key: "
        "\u201c{message}\u201d",
        seen_in=("openai_foundry_mismatched_organization_401",),
        codes=words("invalid_organization", "mismatched_organization"),
    ),
    Rule(
        id="openai.auth.with_org_header",
        cause="organization_invalid",
        priority=ALTERNATIVE,
        confidence=0.4,
        summary="An organization header ({organization}) was sent; a 401 then often means the "
        "key is not a member of that organization.",
        seen_in=("case:org_header_sent_401",),
        providers=words("openai", "azure"),
        status=(401,),
        when=(p.org_header_sent,),
    ),
    Rule(
        id="openai.project_mismatch",
        cause="project_invalid",
        priority=SPECIFIC,
        confidence=0.9,
        summary="The project sent ({project}) does not fit the key: \u201c{message}\u201d",
        seen_in=("openai_project_header_mismatch_401",),
        status=(401, 403),
        message=pattern(r"openai-project header|mismatched.project|project .*(archived|not found)"),
    ),
    Rule(
        id="openai.auth.with_project_header",
        cause="project_invalid",
        priority=ALTERNATIVE,
        confidence=0.35,
        summary="A project header ({project}) was sent; a 401 then often means the key does not "
        "belong to that project.",
        seen_in=("case:project_header_sent_401",),
        providers=words("openai", "azure"),
        status=(401,),
        when=(p.project_header_sent,),
    ),
    Rule(
        id="network.ip_not_allowed",
        cause="ip_not_allowed",
        priority=SPECIFIC,
        confidence=0.93,
        summary="A network rule of the account or resource refuses this caller: "
        "\u201c{message}\u201d",
        seen_in=(
            "azure_public_access_disabled_private_endpoint",
            "sub2api_403_access_denied_ip_not_in_api_key_whitelist",
            "azure_vnet_firewall_denied_sql_external_rest",
        ),
        signals=("network_restriction",),
        when=(p.client_status,),
    ),
    Rule(
        id="auth.permission",
        cause="insufficient_permissions",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The key (or its role) lacks a permission: \u201c{message}\u201d",
        seen_in=(
            "openai_openclaw_missing_scopes_model_request",
            "huggingface_403_token_lacks_inference_providers_on_behalf_of_org",
            "anthropic_oauth_token_missing_inference_scope",
            "fireworks_403_fire_pass_key_models_route",
            "bedrock_iam_not_authorized_invokemodel_sagemaker_role",
            "vertex_403_aiplatform_endpoints_predict_denied",
        ),
        signals=("permission",),
        when=(p.client_status, p.not_model_access),
    ),
    Rule(
        id="auth.permission_type",
        cause="insufficient_permissions",
        priority=CONTEXT,
        confidence=0.65,
        summary="The key is not allowed to do this: \u201c{message}\u201d",
        seen_in=("anthropic_oauth_token_missing_inference_scope",),
        types=words("permission_error", "permission_denied", "accessdeniedexception"),
        when=(p.not_model_access,),
    ),
    Rule(
        id="region.unsupported",
        cause="region_unsupported",
        priority=SPECIFIC,
        confidence=0.92,
        summary="The provider does not serve this location: \u201c{message}\u201d",
        seen_in=(
            "openai_home_assistant_region_unsupported_403",
            "openai_vercel_reverse_proxy_region_unsupported",
            "gemini_free_tier_not_available_in_country",
        ),
        signals=("region",),
    ),
    Rule(
        id="region.code",
        cause="region_unsupported",
        priority=CERTAIN,
        confidence=0.96,
        summary="The provider does not serve this location: \u201c{message}\u201d",
        seen_in=("openai_home_assistant_region_unsupported_403",),
        codes=words("unsupported_country_region_territory"),
    ),
    Rule(
        id="google.api_not_enabled",
        cause="api_not_enabled",
        priority=SPECIFIC,
        confidence=0.95,
        summary="The cloud project behind the key has not enabled the API: \u201c{message}\u201d",
        seen_in=(
            "vertex_service_disabled_agent_starter_pack",
            "gemini_service_disabled_generative_language_api",
        ),
        signals=("api_disabled",),
    ),
    Rule(
        id="auth.unauthorized",
        cause="invalid_api_key",
        priority=WEAK,
        confidence=0.3,
        summary="The server answered 401 (\u201c{message}\u201d): the key was not accepted.",
        seen_in=("openai_continue_incorrect_api_key_text_pasted_as_key",),
        status=(401,),
        when=(p.hosted_answer,),
    ),
    Rule(
        id="auth.maybe_no_key",
        cause="missing_api_key",
        priority=WEAK,
        confidence=0.4,
        summary="A 401 that says no more than that (\u201c{message}\u201d) often means no key "
        "reached the server at all: an unset or unread variable reaches many clients as an "
        "empty key.",
        seen_in=(
            "cloudflare_401_10000_authentication_error_no_token",
            "huggingface_router_401_invalid_username_no_token",
            "groq_401_invalid_api_key_env_unset_mods",
        ),
        status=(401,),
        when=(p.key_not_seen, p.not_specific_auth_failure),
    ),
    Rule(
        id="auth.bare_unauthorized.local",
        cause="missing_api_key",
        priority=WEAK,
        confidence=0.55,
        summary="A bare \u201cUnauthorized\u201d from a self-hosted server usually means the key "
        "(or the Authorization header) did not reach it: the server was started with --api-key "
        "and the client sends none.",
        seen_in=(
            "vllm_401_unauthorized_string_error",
            "ollama_cloud_401_unauthorized_key_not_sent",
        ),
        status=(401,),
        when=(p.bare_unauthorized, p.self_hosted_or_unknown),
    ),
)
