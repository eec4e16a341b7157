"""The case table: (fixture or synthetic case, probe context) -> the exact ranked cause ids.

Asserting the exact ranking makes every ranking change deliberate. Fixture cases name a
verbatim body in tests/fixtures/errors; "case:" rows are synthetic contexts (network
failures, local key checks) that carry no provider body.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from modelcheck.diagnosis.engine import Diagnosis, context_for, diagnose
from modelcheck.diagnosis.predicates import Context
from modelcheck.errorbody import parse_text
from modelcheck.evidence import ModelEvidence, NetworkFailure, Probe, RunEvidence
from modelcheck.keycheck import inspect_key
from modelcheck.providers import PROVIDERS

from conftest import load_fixture

OPENAI_URL = "https://api.openai.com/v1"
LOCAL_URL = "http://127.0.0.1:8000/v1"
GOOD_KEY = "sk-proj-abcdefghijT3BlbkFJklmnopqrstuv"
SEED_LIST = ("gpt-3.5-turbo", "gpt-3.5-turbo-16k", "gpt-4o-mini", "davinci-002", "whisper-1")


@dataclass(frozen=True)
class Case:
    """One row: where the evidence comes from, the context, the expected ranking."""

    id: str
    expected: tuple[str, ...]
    status: int | None = None
    """Overrides the fixture's status (or sets one for synthetic cases)."""
    provider: str = "openai"
    base_url: str = OPENAI_URL
    key: str | None = GOOD_KEY
    endpoint: str = "chat"
    model: str | None = "__fixture__"
    listed: tuple[str, ...] | None = SEED_LIST
    organization: str | None = None
    project: str | None = None
    body: str | None = None
    network: tuple[str, str] | None = None
    body_kind: str | None = None
    key_file_empty: bool = False

    @property
    def plain(self) -> bool:
        """The fixture read as it is, with no context of our own added."""
        return (
            self.model == "__fixture__"
            and self.key == GOOD_KEY
            and self.organization is None
            and self.project is None
            and self.status is None
            and self.listed == SEED_LIST
            and self.base_url in (OPENAI_URL, LOCAL_URL)
        )


def context_and_stage(case: Case) -> tuple[Context, str]:
    """The rule context for one case, and the stage its rules run in."""
    prov = PROVIDERS[case.provider]
    custom = prov.default_base_url is None or not case.base_url.startswith(prov.default_base_url)
    source = "file key.txt" if case.key_file_empty else "env OPENAI_API_KEY"
    key_facts = inspect_key(
        case.key, source, prov, custom_base_url=custom, empty_file=case.key_file_empty
    )
    ev = RunEvidence(
        provider=case.provider,
        base_url=case.base_url,
        key=key_facts,
        organization=case.organization,
        project=case.project,
        listed_ids=case.listed,
    )
    if case.id.startswith("case:key_"):
        return context_for(ev, None), "key"
    status = case.status
    model = None if case.model == "__fixture__" else case.model
    body = case.body
    if not case.id.startswith("case:"):
        fixture = load_fixture(case.id)
        body = fixture["body"]
        status = status if status is not None else fixture["status"]
        if case.model == "__fixture__":
            model = fixture["model"]
    probe = Probe(endpoint=case.endpoint, method="POST", path="/chat/completions", status=status)
    if body is not None:
        parsed = parse_text(body)
        probe = replace(
            probe,
            error=parsed.error,
            body_kind=parsed.kind,
            body_excerpt=parsed.excerpt,
        )
    elif case.network is not None:
        failure = NetworkFailure(kind=case.network[0], detail=case.network[1])
        probe = replace(probe, status=None, network=failure)
    elif case.body_kind is not None:
        probe = replace(probe, body_kind=case.body_kind, shape_ok=status is None or status >= 300)
    me = None
    if model is not None:
        me = ModelEvidence(
            model=model, listed=None if case.listed is None else model in case.listed
        )
    return context_for(ev, probe, me), "probe"


def run_case(case: Case) -> tuple[Diagnosis, ...]:
    """Diagnose one case through the same engine `check` uses."""
    ctx, stage = context_and_stage(case)
    return diagnose(ctx, stage=stage, fallback=stage == "probe")


def _c(case_id: str, *expected: str, **kw: Any) -> Case:
    return Case(case_id, tuple(expected), **kw)


COMPAT = {"provider": "compatible", "base_url": LOCAL_URL}

CASES: tuple[Case, ...] = (
    _c("aimock_401_invalid_api_key", "invalid_api_key", **COMPAT),
    _c("aimock_404_no_fixture_matched", "model_not_found", **COMPAT),
    _c("anthropic_credit_balance_too_low_no_request_id", "insufficient_quota", **COMPAT),
    _c("anthropic_credit_balance_too_low_with_request_id", "insufficient_quota", **COMPAT),
    _c("anthropic_forbidden_request_not_allowed_region", "region_unsupported", **COMPAT),
    _c("anthropic_invalid_x_api_key_not_entered", "invalid_api_key", **COMPAT),
    _c("anthropic_model_not_found_alias_opus_4", "model_not_found", **COMPAT),
    _c("anthropic_model_not_found_trailing_space", "model_not_found", **COMPAT),
    _c("anthropic_oauth_token_missing_inference_scope", "insufficient_permissions", **COMPAT),
    _c("anthropic_overloaded_529", "server_error", **COMPAT),
    _c("anthropic_rate_limit_itpm_30000_inner_only", "rate_limited", **COMPAT),
    _c("anthropic_request_too_large_413", "request_too_large", **COMPAT),
    _c("azure_api_version_not_supported_agent_mode", "azure_api_version", **COMPAT),
    _c("azure_deployment_not_found_chatbox", "azure_deployment_not_found", **COMPAT),
    _c("azure_model_requires_newer_api_version_o3_mini", "azure_api_version", **COMPAT),
    _c(
        "azure_resource_not_found_unquoted_yaml_api_version",
        "azure_api_version",
        "wrong_base_url",
        **COMPAT,
    ),
    _c("azure_token_rate_limit_s0_gpt4o", "rate_limited", **COMPAT),
    _c("deepseek_401_governor_no_key_sent", "missing_api_key", **COMPAT),
    _c("deepseek_401_invalid_key_python", "invalid_api_key", **COMPAT),
    _c("deepseek_401_no_such_user_models", "invalid_api_key", **COMPAT),
    _c("deepseek_402_insufficient_balance", "insufficient_quota", **COMPAT),
    _c("deepseek_auth_header_format", "missing_api_key", **COMPAT),
    _c("deepseek_insufficient_balance_litellm_wrapped", "insufficient_quota", **COMPAT),
    _c("fireworks_403_fire_pass_key_models_route", "insufficient_permissions", **COMPAT),
    _c("fireworks_404_model_not_deployed", "model_not_found", **COMPAT),
    _c("fireworks_404_serverless_model_not_on_account", "model_not_found", **COMPAT),
    _c("fireworks_500_error_listing_deployed_models", "server_error", **COMPAT),
    _c("fireworks_invalid_apikey_legacy_fault", "invalid_api_key", **COMPAT),
    _c("gemini_api_key_invalid_native", "invalid_api_key", **COMPAT),
    _c("gemini_api_key_reported_leaked", "invalid_api_key", "insufficient_permissions", **COMPAT),
    _c("gemini_api_key_service_blocked", "insufficient_permissions", **COMPAT),
    _c(
        "gemini_free_tier_limit_zero_gemini_2_5_pro",
        "model_requires_payment",
        "insufficient_quota",
        "rate_limited",
        **COMPAT,
    ),
    _c("gemini_free_tier_not_available_in_country", "region_unsupported", **COMPAT),
    _c("gemini_location_requires_billing_eu", "region_unsupported", **COMPAT),
    _c("gemini_openai_compat_array_api_key_invalid", "invalid_api_key", **COMPAT),
    _c("gemini_openai_compat_array_unknown_field_reasoning", "unsupported_parameter", **COMPAT),
    _c("gemini_rate_limit_exceeded_region_quota", "rate_limited", **COMPAT),
    _c("gemini_resource_exhausted_429_plain", "rate_limited", **COMPAT),
    _c(
        "gemini_service_disabled_generative_language_api",
        "api_not_enabled",
        "insufficient_permissions",
        **COMPAT,
    ),
    _c("openai_deer_flow_128000_messages_and_functions", "context_length_exceeded"),
    _c("anthropic_python_sdk_prompt_too_long_208656", "context_length_exceeded", **COMPAT),
    _c("azure_ragas_content_filter_violence_medium", "content_filtered", **COMPAT),
    _c("vertex_service_disabled_agent_starter_pack", "api_not_enabled", **COMPAT),
    _c(
        "bedrock_access_denied_no_model_access_botocore_invoke",
        "model_access_not_enabled",
        **COMPAT,
    ),
    _c("gemini_user_location_not_supported_hk_ip", "region_unsupported", **COMPAT),
    _c("groq_invalid_api_key_401", "invalid_api_key", **COMPAT),
    _c("groq_model_decommissioned_llama_3_1_70b", "model_deprecated", **COMPAT),
    _c("groq_model_decommissioned_mixtral", "model_deprecated", **COMPAT),
    _c("groq_request_too_large_413_tpm", "request_too_large", **COMPAT),
    _c("groq_tpm_limit_single_request_exceeds_limit", "request_too_large", **COMPAT),
    _c("groq_tpm_rate_limit_reached", "rate_limited", **COMPAT),
    _c("litellm_400_invalid_model_name_client", "model_not_found", **COMPAT),
    _c("litellm_400_invalid_model_name_none", "model_not_found", **COMPAT),
    _c("litellm_400_invalid_model_name_probe", "model_not_found", **COMPAT),
    _c("litellm_400_invalid_model_name_responses", "model_not_found", **COMPAT),
    _c("litellm_400_no_connected_db_wrong_key_probe", "invalid_api_key", **COMPAT),
    _c("litellm_401_invalid_proxy_token_valid_token_none", "invalid_api_key", **COMPAT),
    _c("litellm_401_no_api_key_probe", "missing_api_key", "invalid_api_key", **COMPAT),
    _c("litellm_401_no_connected_db_wrong_key", "invalid_api_key", **COMPAT),
    _c("litellm_500_upstream_down_probe", "server_error", **COMPAT),
    _c("litellm_sdk_apiconnection_wrong_base_url", "wrong_base_url", **COMPAT),
    _c("litellm_sdk_auth_wrapped_literal_env_expr", "invalid_api_key", **COMPAT),
    _c("litellm_sdk_missing_proxy_api_key", "missing_api_key", **COMPAT),
    _c("litellm_sdk_notfound_wrapped_vllm_shape", "model_not_found", **COMPAT),
    _c("litellm_sdk_ratelimit_wrapped_request_too_large", "request_too_large", **COMPAT),
    _c("llamacpp_503_loading_model", "server_error", **COMPAT),
    _c("lmstudio_400_invalid_model_identifier", "model_not_found", **COMPAT),
    _c("lmstudio_400_invalid_model_identifier_newline", "model_not_found", **COMPAT),
    _c("lmstudio_400_no_models_loaded_string_error", "model_not_installed", **COMPAT),
    _c("lmstudio_404_no_models_loaded", "model_not_installed", "model_not_found", **COMPAT),
    _c("mistral_detail_extra_forbidden_store_422", "unsupported_parameter", **COMPAT),
    _c("mistral_extra_forbidden_max_completion_tokens_422", "unsupported_parameter", **COMPAT),
    _c("mistral_invalid_model_alias_resolution", "model_not_found", **COMPAT),
    _c("mistral_invalid_model_empty_string", "model_not_found", **COMPAT),
    _c("mistral_rate_limited_1300", "rate_limited", **COMPAT),
    _c("mistral_requests_rate_limit_exceeded_experiment_plan", "rate_limited", **COMPAT),
    _c("mistral_service_tier_capacity_exceeded", "server_error", **COMPAT),
    _c("network_407_proxy_auth_required_httpcore", "proxy_error", **COMPAT),
    _c("network_407_proxy_codegpt", "proxy_error", **COMPAT),
    _c("network_no_connection_adapter_missing_scheme", "wrong_base_url", **COMPAT),
    _c("ollama_404_native_not_pulled", "model_not_installed", "model_not_found", **COMPAT),
    _c(
        "ollama_python_responseerror_not_pulled", "model_not_installed", "model_not_found", **COMPAT
    ),
    _c("openai_acheong_server_error_2023", "server_error"),
    _c("openai_ai_automation_suggester_max_tokens_unsupported", "unsupported_parameter"),
    _c("openai_aisub_nginx_html_404_missing_v1", "wrong_base_url"),
    _c("openai_chatbox_o1_pro_not_a_chat_model_404", "wrong_endpoint_for_model"),
    _c("openai_chatdev_rpm_limit_3_truncated", "rate_limited"),
    _c("openai_chatgpt_bot_dingding_server_error_500_completions", "server_error"),
    _c("openai_chatgpt_plugin_model_overloaded_503", "server_error"),
    _c("openai_chatgpt_web_not_a_chat_model_404", "wrong_endpoint_for_model"),
    _c("openai_climb_request_too_large_gpt4o_tpm", "request_too_large"),
    _c("openai_continue_incorrect_api_key_text_pasted_as_key", "invalid_api_key"),
    _c("openai_cursor_project_no_access_to_model_403", "project_model_not_allowed"),
    _c("openai_discord_bot_account_deactivated_401", "account_deactivated", "invalid_api_key"),
    _c("openai_docs_ip_not_authorized", "ip_not_allowed", "invalid_api_key"),
    _c("openai_dyad_credit_balance_exhausted", "insufficient_quota"),
    _c("openai_foundry_mismatched_organization_401", "organization_invalid", "invalid_api_key"),
    _c("openai_gateway_unknown_url_missing_v1", "wrong_base_url"),
    _c("openai_goose_responses_only_model_codex_mini", "wrong_endpoint_for_model"),
    _c(
        "openai_gptcelltype_gpt4_no_access_paid_5_then_works",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
    ),
    _c("openai_home_assistant_region_unsupported_403", "region_unsupported"),
    _c("openai_knowledge_gpt_rpm_rate_limit_2023", "rate_limited"),
    _c(
        "openai_lamb_org_verification_required_to_stream",
        "organization_verification_required",
        "unsupported_parameter",
    ),
    _c("openai_langbot_server_error_while_processing", "server_error"),
    _c("openai_langchain_dart_fake_model_not_found", "model_not_found"),
    _c("openai_langchain_dart_missing_api_key", "missing_api_key", "invalid_api_key"),
    _c("openai_llmcomp_temperature_only_default_gpt54", "unsupported_parameter"),
    _c(
        "openai_lollms_gpt4_no_access_requires_payment",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
    ),
    _c("openai_metagpt_tpm_rate_limit_gpt4_10k", "rate_limited"),
    _c("openai_nextchat_account_deactivated_new_wording", "account_deactivated"),
    _c("openai_nextchat_insufficient_quota_code_null_2023", "insufficient_quota"),
    _c("openai_nextchat_insufficient_quota_docs_link_2024", "insufficient_quota"),
    _c(
        "openai_node_404_gpt4o_no_access_unpaid",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
    ),
    _c("openai_node_429_insufficient_quota", "insufficient_quota", "rate_limited"),
    _c("openai_node_429_rate_limit_tpm", "rate_limited"),
    _c(
        "openai_openai_go_org_verification_required_gpt5_nonstream",
        "organization_verification_required",
    ),
    _c(
        "openai_openai_php_org_verification_required_gpt_image_1",
        "organization_verification_required",
    ),
    _c(
        "openai_openclaw_missing_scopes_model_request",
        "insufficient_permissions",
        "invalid_api_key",
    ),
    _c("openai_openhands_no_organization_401", "no_organization", "invalid_api_key"),
    _c("openai_project_header_mismatch_401", "project_invalid", "invalid_api_key"),
    _c("openai_python_404_detail_not_found_wrong_path", "wrong_base_url"),
    _c("openai_python_404_unknown_url_missing_v1", "wrong_base_url"),
    _c("openai_python_429_insufficient_quota", "insufficient_quota"),
    _c(
        "openai_quickstart_node_text_davinci_003_deprecated",
        "model_deprecated",
        "wrong_endpoint_for_model",
    ),
    _c("openai_qwen_code_temperature_only_default_supported", "unsupported_parameter"),
    _c("openai_shivank8_text_davinci_003_deprecated", "model_deprecated"),
    _c("openai_unsaged_tpm_rate_limit_gpt4_2023", "rate_limited"),
    _c("openai_vercel_reverse_proxy_region_unsupported", "region_unsupported"),
    _c("openai_zsh_codex_no_such_organization_personal", "organization_invalid"),
    _c("openrouter_free_models_per_day_429", "rate_limited", **COMPAT),
    _c("openrouter_insufficient_credits_never_purchased", "insufficient_quota", **COMPAT),
    _c("openrouter_invalid_model_id_missing_vendor_prefix", "model_not_found", **COMPAT),
    _c("openrouter_missing_authentication_header", "missing_api_key", "invalid_api_key", **COMPAT),
    _c(
        "openrouter_no_auth_credentials_found_app_update",
        "missing_api_key",
        "invalid_api_key",
        **COMPAT,
    ),
    _c("openrouter_no_endpoints_found_free_model", "model_not_found", **COMPAT),
    _c(
        "openrouter_no_endpoints_support_tool_use",
        "unsupported_parameter",
        "model_not_found",
        **COMPAT,
    ),
    _c("openrouter_requires_more_credits_max_tokens", "insufficient_quota", **COMPAT),
    _c("openrouter_user_not_found_expired_key", "invalid_api_key", **COMPAT),
    _c("perplexity_400_invalid_model_trailing_space", "model_not_found", **COMPAT),
    _c("perplexity_400_provider_prefixed_model", "model_not_found", **COMPAT),
    _c("together_400_non_serverless_model", "model_requires_payment", **COMPAT),
    _c("together_401_invalid_api_key", "invalid_api_key", **COMPAT),
    _c("together_404_model_not_found_litellm", "model_not_found", **COMPAT),
    _c("together_rate_limited_free_tier", "rate_limited", **COMPAT),
    _c("vllm_404_model_does_not_exist", "model_not_found", **COMPAT),
    _c("vllm_404_model_path_python", "model_not_found", **COMPAT),
    _c("vllm_404_nested_error_newer", "model_not_found", **COMPAT),
    _c("xai_403_team_credits_exhausted", "insufficient_quota", **COMPAT),
    _c("xai_404_model_not_found_or_no_team_access", "model_not_found", **COMPAT),
    _c("xai_404_no_handler_on_route", "wrong_base_url", **COMPAT),
    _c("xai_grpc_new_team_no_credits", "insufficient_quota", **COMPAT),
    # The three threads below labelled the 2023 GPT-4 404 "waitlist/tier"; the ranking that
    # issue #2 specifies puts payment first and tier second for an unlisted GPT-4.
    _c(
        "openai_404_gpt4_waitlist_2023",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
    ),
    _c(
        "openai_big_agi_gpt4_model_not_exist_2023",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
    ),
    _c(
        "openai_python_404_gpt4o_no_access",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
    ),
    # A relay's key (no OpenAI marker) sent to api.openai.com.
    _c(
        "openai_popjane_proxy_key_sent_to_openai_incorrect_api_key",
        "wrong_provider_key",
        "invalid_api_key",
        key="sk-PMafPq3vYw9Lk2Xc7Zt1Rm8Hn4Bd6Gf0Js5E873",
    ),
    _c(
        "openai_continue_incorrect_api_key_text_pasted_as_key",
        "wrong_provider_key",
        "invalid_api_key",
        key="sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
    ),
    _c(
        "openai_popjane_proxy_key_sent_to_openai_incorrect_api_key",
        "invalid_api_key",
        "organization_invalid",
        organization="org-someone-else",
    ),
    _c(
        "openai_project_header_mismatch_401", "project_invalid", "invalid_api_key", project="proj_x"
    ),
    _c(
        "openai_continue_incorrect_api_key_text_pasted_as_key",
        "invalid_api_key",
        "project_invalid",
        project="proj_other",
    ),
    _c("openai_docs_ip_not_authorized", "ip_not_allowed", "invalid_api_key"),
    # The same generic 404 body, read with what is known about the model id.
    _c("openai_langchain_dart_fake_model_not_found", "model_not_found", model="gtp-4"),
    _c("openai_langchain_dart_fake_model_not_found", "model_not_found", model="gpt4"),
    _c(
        "openai_big_agi_gpt4_model_not_exist_2023",
        "model_tier_gated",
        "organization_verification_required",
        "model_not_found",
        model="o3",
    ),
    _c(
        "openai_big_agi_gpt4_model_not_exist_2023",
        "organization_verification_required",
        "model_tier_gated",
        "model_not_found",
        model="o4-mini",
    ),
    _c("openai_langchain_dart_fake_model_not_found", "model_deprecated", model="gpt-4-32k"),
    _c(
        "openai_langchain_dart_fake_model_not_found",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
        model="gpt-4",
        listed=None,
    ),
    _c(
        "openai_langchain_dart_fake_model_not_found",
        "wrong_endpoint_for_model",
        "model_not_found",
        model="text-embedding-3-small",
        listed=("text-embedding-3-small", "gpt-4o-mini"),
    ),
    _c("openai_langchain_dart_fake_model_not_found", "model_not_found", model="llama3", **COMPAT),
    _c(
        "openai_aisub_nginx_html_404_missing_v1",
        "wrong_base_url",
        base_url="https://api.openai.com",
    ),
    _c(
        "openai_gateway_unknown_url_missing_v1",
        "wrong_base_url",
        base_url="https://api.openai.com/v1/chat/completions",
    ),
    # Synthetic contexts: local key checks and the probe's own observations (no body).
    _c("case:key_missing", "missing_api_key", key=None),
    _c("case:key_placeholder", "missing_api_key", key="<your key here>"),
    _c("case:key_quoted", "invalid_api_key", key='"sk-proj-abcdefghijT3BlbkFJklmnop"'),
    _c("case:key_whitespace", "invalid_api_key", key="sk-proj-abcdefghij T3BlbkFJklmnop"),
    _c("case:key_empty_file", "missing_api_key", key="", key_file_empty=True),
    _c("case:key_empty_file", key="", key_file_empty=True, provider="ollama", base_url=LOCAL_URL),
    _c("case:key_missing", key=None, provider="vllm", base_url=LOCAL_URL),
    _c("case:key_pasted_prefix", "invalid_api_key", key="OPENAI_API_KEY=" + GOOD_KEY),
    _c("case:key_pasted_prefix", "invalid_api_key", key="Bearer " + GOOD_KEY),
    _c("case:key_other_provider", "wrong_provider_key", key="sk-ant-api03-" + "a" * 40),
    _c(
        "case:key_other_provider",
        "wrong_provider_key",
        key=GOOD_KEY,
        provider="groq",
        base_url="https://api.groq.com/openai/v1",
    ),
    # Behind a gateway any key shape may be right: named in a warning, sent, no finding.
    _c("case:key_other_provider", key="sk-ant-api03-" + "a" * 40, base_url=LOCAL_URL),
    _c(
        "case:key_other_provider",
        key="gsk_" + "a" * 40,
        provider="groq",
        base_url="https://api.groq.com/openai/v1",
    ),
    _c(
        "case:gateway_upstream_auth",
        "invalid_api_key",
        status=401,
        model="prism-401",
        # LiteLLM proxy 1.108.7's answer when a model group's upstream key is rejected,
        # measured on 127.0.0.1 (../shared/research/realservers.md, section 1).
        body='{"error":{"message":"litellm.AuthenticationError: AuthenticationError: '
        "OpenAIException - Error code: 401\n\nLiteLLM: model group 'prism-401' failed with "
        'the error above. No fallback was attempted.","type":"authentication_error",'
        '"param":null,"code":"401"}}',
        provider="litellm",
        base_url=LOCAL_URL,
    ),
    _c("case:net_dns", "network_dns", network=("dns", "[Errno -2] Name or service not known")),
    _c(
        "case:net_connect", "network_connect", network=("connect", "[Errno 111] Connection refused")
    ),
    _c("case:net_reset", "network_connect", network=("reset", "Connection reset by peer")),
    _c("case:net_tls", "network_tls", network=("tls", "[SSL: CERTIFICATE_VERIFY_FAILED]")),
    _c("case:net_timeout", "network_timeout", network=("timeout", "ReadTimeout")),
    _c("case:net_proxy", "proxy_error", network=("proxy", "407 Proxy Authentication Required")),
    _c(
        "case:http_redirect",
        "wrong_base_url",
        status=302,
        body_kind="empty",
        endpoint="models.list",
    ),
    _c(
        "case:list_not_openai",
        "wrong_base_url",
        status=200,
        body_kind="json",
        endpoint="models.list",
    ),
    _c("case:chat_not_completion", "wrong_base_url", status=200, body_kind="json"),
    _c("case:http_413", "request_too_large", status=413, body_kind="empty"),
    _c("case:malformed_success", "server_error", status=200, body_kind="text", endpoint="chat"),
    _c("aimock_404_no_fixture_matched", "model_not_found", **COMPAT),
    _c("aimock_401_invalid_api_key", "missing_api_key", "invalid_api_key", key=None, **COMPAT),
    _c("litellm_400_no_connected_db_wrong_key_probe", "invalid_api_key", **COMPAT),
)
