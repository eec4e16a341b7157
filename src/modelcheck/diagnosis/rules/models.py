"""Model access: the id, its retirement, its endpoint, and what stands between the key and it."""

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

NOT_FOUND_CODES = p.NOT_FOUND_CODES
NOT_FOUND_TYPES = words(
    "not_found_error",
    "invalid_model",
    "notfounderror",
    "not_found",
    "modelnotfounderror",
    "resourcenotfoundexception",
)
# OpenAI-account causes are proposed only for an answer from OpenAI (or nothing says who).
OPENAI = words("openai")
RELAYED = words("gateway", "local")
UNLISTED_KNOWN = (p.generic_not_found, p.model_not_listed, p.known_model)

RULES: tuple[Rule, ...] = (
    # --- retired ---------------------------------------------------------------------------
    Rule(
        id="model.retired.known",
        cause="model_deprecated",
        priority=CERTAIN,
        confidence=0.97,
        summary="{retired_hint} The provider answers only \u201c{message}\u201d for retired ids.",
        seen_in=(
            "openai_quickstart_node_text_davinci_003_deprecated",
            "anthropic_spring_ai_claude_2_1_retired",
        ),
        when=(p.retired_model, p.refused_like_not_found),
        fix=("Switch to {replacement_choice}; {deprecations_where}",),
    ),
    Rule(
        id="model.retired.wording",
        cause="model_deprecated",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The provider says the model is retired: \u201c{message}\u201d",
        seen_in=(
            "openai_shivank8_text_davinci_003_deprecated",
            "bedrock_end_of_life_stable_diffusion_xl_v0",
            "bedrock_legacy_model_inactive_30_days_nova_premier",
            "sambanova_model_not_available_deprecated",
        ),
        signals=("retired",),
        when=(p.about_the_model,),
    ),
    Rule(
        id="model.retirement_announced",
        cause="model_deprecated",
        priority=CONTEXT,
        confidence=0.7,
        summary="{model}'s retirement was announced (shutdown {shutdown}): providers often stop "
        "serving a deprecated model to new or inactive accounts before its shutdown date.",
        seen_in=("anthropic_spring_ai_claude_2_1_retired",),
        when=(p.retirement_announced, p.refused_like_not_found),
    ),
    # --- the wrong endpoint -------------------------------------------------------------------
    Rule(
        id="model.wrong_endpoint",
        cause="wrong_endpoint_for_model",
        priority=SPECIFIC,
        confidence=0.92,
        summary="{model} is not served by this endpoint: \u201c{message}\u201d{endpoint_hint}",
        seen_in=(
            "openai_chatgpt_web_not_a_chat_model_404",
            "cohere_generate_api_not_supported_command_a_use_chat_api",
            "ollama_embeddinggemma_does_not_support_generate",
            "openai_chatbox_o1_pro_not_a_chat_model_404",
            "openai_goose_responses_only_model_codex_mini",
            "azure_operation_not_supported_embedding_model_chat_graphrag",
            "ollama_cli_run_embedding_model_do_not_support_chat",
        ),
        signals=("wrong_endpoint",),
    ),
    Rule(
        id="model.known_other_endpoint",
        cause="wrong_endpoint_for_model",
        priority=CONTEXT,
        confidence=0.8,
        summary="{model} is a {known_endpoint} model, not a chat model; call the "
        "{known_endpoint} endpoint instead.",
        seen_in=("gemini_gecko_001_not_supported_for_embedcontent", "case:embedding_model_on_chat"),
        status=(400, 404),
        when=(p.not_chat_model, p.not_retired),
    ),
    # --- set up on the account's side ------------------------------------------------------------
    Rule(
        id="model.allowlist",
        cause="project_model_not_allowed",
        priority=SPECIFIC,
        confidence=0.88,
        summary="The caller's own allow-list or policy excludes {model}: \u201c{message}\u201d",
        seen_in=(
            "openai_cursor_project_no_access_to_model_403",
            "openrouter_404_no_allowed_providers_requested_anthropic_glm_free",
            "litellm_401_key_model_access_denied_claude_code",
            "openrouter_404_no_endpoints_data_policy_deepseek",
            "kong_ai_proxy_cannot_use_own_model",
        ),
        signals=("model_allowlist",),
    ),
    Rule(
        id="model.access_not_enabled",
        cause="model_access_not_enabled",
        priority=SPECIFIC,
        confidence=0.88,
        summary="Access to {model} has not been enabled for this account: \u201c{message}\u201d",
        seen_in=(
            "bedrock_access_denied_no_model_access_botocore_invoke",
            "bedrock_marketplace_actions_denied_gateway_upstream_403",
            "uniapi_vertex_project_not_allowed_publisher_model_claude",
        ),
        signals=("access_not_enabled",),
    ),
    Rule(
        id="model.access_program",
        cause="model_tier_gated",
        priority=CONTEXT,
        confidence=0.8,
        summary="{model} is open only to a plan, tier, waitlist or preview program: "
        "\u201c{message}\u201d",
        seen_in=("ollama_cloud_403_model_requires_subscription",),
        signals=("access_program",),
    ),
    Rule(
        id="bedrock.inference_profile",
        cause="model_not_found",
        priority=SPECIFIC,
        confidence=0.85,
        summary="{model} cannot be called by its plain id here: \u201c{message}\u201d Call it "
        "through an inference profile: its id with a geography prefix (us., eu., apac., "
        "global.) or the profile's ARN.",
        seen_in=("bedrock_on_demand_throughput_anthropic_sdk_400_invoke_url",),
        signals=("inference_profile",),
        fix=(
            "Call {profile_id} instead{profiles_listed}: the inference profile of "
            "{region}'s geography (ListInferenceProfiles, or the Bedrock console under "
            "Cross-region inference, lists the others).",
        ),
    ),
    # Bedrock's GetFoundationModelAvailability: each field is a fact of the account and region
    # (the dialect turns a negative answer into the code "<field>=<status>").
    Rule(
        id="bedrock.availability.entitlement",
        cause="model_access_not_enabled",
        priority=CERTAIN,
        confidence=0.93,
        summary="Bedrock says this account is not entitled to {model} in this region "
        "({code}): model access has not been granted.",
        seen_in=("case:bedrock_availability_not_entitled",),
        providers=words("bedrock"),
        codes=words(
            "entitlementavailability=not_available",
            "agreementavailability=not_available",
            "agreementavailability=error",
        ),
        fix=(
            "Serverless models are enabled on first use for an identity allowed the AWS "
            "Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe); "
            "the subscription can take up to 15 minutes.",
            "Anthropic models may first need the one-time use-case form (Bedrock console, this "
            "region).",
        ),
    ),
    Rule(
        id="bedrock.availability.pending",
        cause="model_access_not_enabled",
        priority=CERTAIN,
        confidence=0.9,
        summary="Bedrock says the access agreement for {model} is still pending ({code}): "
        "access requested in the last minutes is not granted yet.",
        seen_in=("case:bedrock_availability_pending",),
        providers=words("bedrock"),
        codes=words("agreementavailability=pending"),
        fix=(
            "Wait for the Marketplace subscription to complete (up to 15 minutes), then run again.",
        ),
    ),
    Rule(
        id="bedrock.availability.authorization",
        cause="insufficient_permissions",
        priority=CERTAIN,
        confidence=0.9,
        summary="Bedrock says the caller is not authorized for {model} ({code}): the IAM "
        "policy of this key or role does not allow the model.",
        seen_in=("case:bedrock_availability_not_authorized",),
        providers=words("bedrock"),
        codes=words("authorizationstatus=not_authorized"),
        fix=(
            "Allow bedrock:InvokeModel (and bedrock:Converse) on this model's ARN for the "
            "identity behind the key, or ask the account's administrator to.",
        ),
    ),
    Rule(
        id="bedrock.availability.region",
        cause="model_not_found",
        priority=CERTAIN,
        confidence=0.88,
        summary="Bedrock does not offer {model} in this region ({code}).",
        seen_in=("case:bedrock_availability_region",),
        providers=words("bedrock"),
        codes=words("regionavailability=not_available"),
        fix=(
            "Use a region that offers the model (the Bedrock model catalogue lists them), or a "
            "cross-region inference profile (us., eu., apac., global.) from this region.",
        ),
    ),
    Rule(
        id="openai.org_verification",
        cause="organization_verification_required",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The model needs a verified organization: \u201c{message}\u201d",
        seen_in=("openai_openai_go_org_verification_required_gpt5_nonstream",),
        signals=("verification",),
    ),
    Rule(
        id="local.model_not_installed",
        cause="model_not_installed",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The server has not pulled or loaded {model}: \u201c{message}\u201d",
        seen_in=("ollama_404_native_not_pulled", "lmstudio_404_no_models_loaded"),
        signals=("not_installed",),
    ),
    Rule(
        id="local.nothing_served",
        cause="model_not_installed",
        priority=CONTEXT,
        confidence=0.87,
        summary="The server answers that no model of that name is running: \u201c{message}\u201d",
        seen_in=("fastchat_400_40301_only_allowed_now_empty_list",),
        message=pattern(
            r"only\s+allowed now|no model (is )?running|endpoint is paused|"
            r"invalid state"
        ),
    ),
    Rule(
        id="azure.deployment_not_found",
        cause="azure_deployment_not_found",
        priority=CERTAIN,
        confidence=0.93,
        summary="Azure has no deployment by that name: \u201c{message}\u201d (a deployment "
        "created in the last minutes may not answer yet).",
        seen_in=(
            "azure_deployment_not_found_chatbox",
            "azure_msdocs_quickstart_deployment_not_found_csharp",
        ),
        signals=("deployment_missing",),
    ),
    Rule(
        id="azure.resource_not_found",
        cause="azure_api_version",
        priority=CONTEXT,
        confidence=0.43,
        summary="Azure answers \u201cResource not found\u201d when the api-version query "
        "parameter is missing or the endpoint path is wrong.",
        seen_in=("azure_resource_not_found_missing_api_version_deepchat",),
        providers=words("azure", "unknown"),
        status=(404,),
        message=pattern(r"^resource not found$"),
    ),
    Rule(
        id="azure.resource_not_found.path",
        cause="wrong_base_url",
        priority=CONTEXT,
        confidence=0.45,
        summary="\u201cResource not found\u201d also means the Azure endpoint path is wrong.",
        seen_in=("azure_resource_not_found_missing_api_version_deepchat",),
        providers=words("azure", "unknown"),
        status=(404,),
        message=pattern(r"^resource not found$"),
    ),
    Rule(
        id="azure.api_version",
        cause="azure_api_version",
        priority=SPECIFIC,
        confidence=0.9,
        summary="The Azure api-version does not fit: \u201c{message}\u201d",
        seen_in=("azure_api_version_not_supported_agent_mode",),
        signals=("api_version",),
    ),
    Rule(
        id="model.paid_deployment_needed",
        cause="model_deprecated",
        priority=CONTEXT,
        confidence=0.5,
        summary="{model} is no longer served on the shared (serverless) tier: "
        "\u201c{message}\u201d",
        seen_in=("together_pi_glm_5_1_deprecated_non_serverless",),
        message=pattern(r"non-serverless model"),
    ),
    Rule(
        id="model.paid_deployment_needed.dedicated",
        cause="model_requires_payment",
        priority=ALTERNATIVE,
        confidence=0.4,
        summary="{model} is served only on a paid, dedicated deployment.",
        seen_in=("together_pi_glm_5_1_deprecated_non_serverless",),
        message=pattern(r"non-serverless model|dedicated endpoint"),
    ),
    # --- OpenAI: a real model missing from the key's list (the seed case, GPT-4, July 2023) --
    Rule(
        id="openai.unlisted_known.payment",
        cause="model_requires_payment",
        priority=CONTEXT,
        confidence=0.37,
        summary="{model} is a real OpenAI model, but {list_state}: accounts without a successful "
        "payment cannot use it.",
        seen_in=("openai_latent_scope_gpt_4_preview_does_not_exist", "case:seed_gpt4_july_2023"),
        status=(403, 404),
        when=(*UNLISTED_KNOWN, p.gate_payment_or_open),
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    Rule(
        id="openai.unlisted_known.payment_tier",
        cause="model_tier_gated",
        priority=ALTERNATIVE,
        confidence=0.35,
        summary="{model} may be gated by usage tier or a waitlist: a real model missing from "
        "this key's list.",
        seen_in=("openai_big_agi_gpt4_model_not_exist_2023", "case:seed_gpt4_july_2023"),
        status=(403, 404),
        when=(*UNLISTED_KNOWN, p.gate_payment_or_open),
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    Rule(
        id="openai.unlisted_known.tier",
        cause="model_tier_gated",
        priority=CONTEXT,
        confidence=0.82,
        summary="{model} is a real OpenAI model open only to higher usage tiers; {list_state}.",
        seen_in=("case:unlisted_tier_model",),
        status=(403, 404),
        when=(*UNLISTED_KNOWN, p.gate_tier),
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    Rule(
        id="openai.unlisted_known.tier_verification",
        cause="organization_verification_required",
        priority=ALTERNATIVE,
        confidence=0.35,
        summary="Lower tiers can unlock {model} by verifying the organization.",
        seen_in=("case:unlisted_tier_model",),
        status=(403, 404),
        when=(*UNLISTED_KNOWN, p.gate_tier),
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    Rule(
        id="openai.unlisted_known.verification",
        cause="organization_verification_required",
        priority=CONTEXT,
        confidence=0.6,
        summary="{model} is a real OpenAI model that needs a verified organization; {list_state}.",
        seen_in=("case:unlisted_verification_model",),
        status=(403, 404),
        when=(*UNLISTED_KNOWN, p.gate_verification),
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    Rule(
        id="openai.unlisted_known.verification_tier",
        cause="model_tier_gated",
        priority=ALTERNATIVE,
        confidence=0.3,
        summary="{model} may also be limited to some usage tiers.",
        seen_in=("case:unlisted_verification_model",),
        status=(403, 404),
        when=(*UNLISTED_KNOWN, p.gate_verification),
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    Rule(
        id="openai.unlisted_known.not_found",
        cause="model_not_found",
        priority=ALTERNATIVE,
        confidence=0.15,
        summary="Less likely: the id is wrong for this provider (it is a known OpenAI id).",
        seen_in=("case:seed_gpt4_july_2023",),
        status=(403, 404),
        when=UNLISTED_KNOWN,
        providers=OPENAI,
        not_answered_by=RELAYED,
    ),
    # --- not found ------------------------------------------------------------------------
    Rule(
        id="model.not_found.close_match",
        cause="model_not_found",
        priority=SPECIFIC,
        confidence=0.9,
        summary="{model} is not a model this key can list; close ids in its list: "
        "{close}.{known_hint}",
        seen_in=("case:typo_with_close_ids",),
        status=(400, 404),
        when=(p.model_unlisted, p.unknown_model, p.has_close_matches, p.about_the_model),
    ),
    Rule(
        id="model.not_found.code",
        cause="model_not_found",
        priority=SPECIFIC,
        confidence=0.8,
        summary="{model} does not exist here: \u201c{message}\u201d",
        seen_in=("openai_langchain_dart_fake_model_not_found",),
        codes=NOT_FOUND_CODES,
        when=(p.unknown_model, p.generic_not_found),
    ),
    Rule(
        id="model.not_found.wording",
        cause="model_not_found",
        priority=SPECIFIC,
        confidence=0.7,
        summary="{model} does not exist here: \u201c{message}\u201d",
        seen_in=(
            "openai_langchain_dart_fake_model_not_found",
            "deepseek_easy_dataset_model_not_exist_default_name",
            "llamastack_konveyor_model_gpt_4o_not_found_unregistered_id",
            "zhipu_400_1211_model_not_exist_1m_suffix",
            "vertex_400_claude_sonnet46_not_servable_in_region_us_central1",
            "oneapi_no_channel_for_model_mapping_gpt5",
        ),
        signals=("model_missing",),
        body_kinds=words("json", "text"),
        when=(p.unknown_model, p.generic_not_found, p.client_status),
    ),
    Rule(
        id="model.not_found.type",
        cause="model_not_found",
        priority=CONTEXT,
        confidence=0.75,
        summary="{model} does not exist here: \u201c{message}\u201d",
        seen_in=("anthropic_model_not_found_alias_opus_4", "mistral_invalid_model_empty_string"),
        types=NOT_FOUND_TYPES,
        when=(p.unknown_model, p.about_the_model, p.not_retired),
    ),
    Rule(
        id="model.unlisted_404",
        cause="model_not_found",
        priority=CONTEXT,
        confidence=0.75,
        summary="{model} is not in this server's list of {listed_count} models, and the server "
        "answered {status} (\u201c{message}\u201d).",
        seen_in=("case:typo_with_close_ids",),
        status=(400, 404),
        endpoints=words("chat", "responses", "completions", "embeddings", "messages"),
        when=(p.model_unlisted, p.unknown_model, p.refused_like_not_found),
    ),
    Rule(
        id="model.not_found.served_elsewhere",
        cause="model_not_found",
        priority=ALTERNATIVE,
        confidence=0.5,
        summary="{model} is a well-known id, but this server does not serve it ({status} {code}).",
        seen_in=("lmstudio_400_invalid_model_identifier",),
        status=(400,),
        codes=NOT_FOUND_CODES,
        when=(p.known_model,),
    ),
    Rule(
        id="model.not_found.listed_elsewhere",
        cause="model_not_found",
        priority=WEAK,
        confidence=0.4,
        summary="{model} answered 404 although the models list includes it "
        "(\u201c{message}\u201d).",
        seen_in=("case:listed_model_404",),
        status=(404,),
        codes=NOT_FOUND_CODES,
        when=(p.model_listed, p.known_model),
    ),
    Rule(
        id="model.404_without_error",
        cause="model_not_found",
        priority=WEAK,
        confidence=0.3,
        summary="Or the path is right and the model id is not served here ({status} with no "
        "error text).",
        seen_in=("dashscope_404_no_body_api_v1_instead_of_compatible_mode",),
        status=(404,),
        when=(p.no_error_text,),
    ),
    Rule(
        id="model.retired_maybe",
        cause="model_deprecated",
        priority=WEAK,
        confidence=0.25,
        summary="An id that no longer answers may also have been retired; check the provider's "
        "deprecations page.",
        seen_in=("openrouter_no_endpoints_found_model_removed",),
        when=(p.generic_not_found, p.unknown_model, p.dated_or_versioned_id),
    ),
    Rule(
        id="model.retired_maybe.unversioned",
        cause="model_deprecated",
        priority=WEAK,
        confidence=0.15,
        summary="An id that no longer answers may also have been retired; check the provider's "
        "deprecations page.",
        seen_in=("openrouter_no_endpoints_found_model_removed",),
        when=(p.generic_not_found, p.unknown_model, p.no_close_ids, p.retirements_not_all_known),
    ),
)
