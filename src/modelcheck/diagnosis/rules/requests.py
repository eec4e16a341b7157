"""The request itself: a parameter the model rejects; errors that are not access problems."""

from __future__ import annotations

from modelcheck.diagnosis import predicates as p
from modelcheck.diagnosis.rule import CERTAIN, SPECIFIC, Rule, pattern, words

RULES: tuple[Rule, ...] = (
    Rule(
        id="param.rejected",
        cause="unsupported_parameter",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The model or API rejects {sig_param}{code_note}: \u201c{message}\u201d"
        "{sig_param_hint}",
        seen_in=(
            "openai_ai_automation_suggester_max_tokens_unsupported",
            "opencode_zen_anthropic_temperature_top_p_both",
            "bedrock_autoflow_extraneous_key_response_mime_type",
            "gemini_roo_code_thinking_budget_52428_invalid",
            "anthropic_version_header_required_pipedream",
            "openai_400_system_role_unsupported_o1_cline",
            "cloudflare_400_workers_ai_bad_input_content_array_not_string",
            "vllm_400_auto_tool_choice_requires_enable_auto_tool_choice_langchain4j",
            "gemini_400_budget_0_invalid_thinking_only_gemini31_pro",
            "gemini_gemma_3_12b_function_calling_not_enabled_agno",
            "groq_system_message_content_must_be_string_gptme",
            "moonshot_tool_choice_required_incompatible_with_thinking_astrbot",
            "anthropic_temperature_only_1_when_thinking_adaptive_snow_app",
        ),
        signals=("param", "param_issue"),
        when=(p.client_status, p.not_model_param_only, p.not_verification),
    ),
    Rule(
        id="param.code",
        cause="unsupported_parameter",
        priority=CERTAIN,
        confidence=0.96,
        summary="The model rejects a parameter ({param}): \u201c{message}\u201d{sig_param_hint}",
        seen_in=("openai_ai_automation_suggester_max_tokens_unsupported",),
        codes=words(
            "unsupported_parameter",
            "unsupported_value",
            "invalid_parameter",
            "extra_forbidden",
            "invalid_request_body",
        ),
        when=(p.not_model_param_only, p.not_verification),
    ),
    Rule(
        id="param.no_endpoint_supports",
        cause="unsupported_parameter",
        priority=SPECIFIC,
        confidence=0.88,
        summary="No provider serves this model with the requested feature: \u201c{message}\u201d",
        seen_in=("openrouter_no_endpoints_support_tool_use",),
        message=pattern(r"no endpoints found that support"),
    ),
    Rule(
        id="request.context_length",
        cause="context_length_exceeded",
        priority=SPECIFIC,
        confidence=0.93,
        summary="Not an access problem: the request is longer than {model}'s context window: "
        "\u201c{message}\u201d",
        seen_in=(
            "openai_deer_flow_128000_messages_and_functions",
            "anthropic_python_sdk_prompt_too_long_208656",
            "gemini_cli_aistudio_input_token_count_3475108",
            "bedrock_rds_poc_malformed_input_expected_maxlength_42000",
            "llamacpp_exceed_context_size_error_14429_of_8192_textgen",
            "xai_400_max_prompt_length_131072_grok3",
        ),
        signals=("context_overflow",),
    ),
    Rule(
        id="request.content_filtered",
        cause="content_filtered",
        priority=SPECIFIC,
        confidence=0.93,
        summary="Not an access problem: the provider's content filter refused this content: "
        "\u201c{message}\u201d",
        seen_in=(
            "azure_ragas_content_filter_violence_medium",
            "anthropic_claude_code_output_blocked_content_filtering_400",
            "litellm_bedrock_guardrail_violated_violence_blocked",
        ),
        signals=("content_filter",),
        when=(p.not_server_failure,),
    ),
)
