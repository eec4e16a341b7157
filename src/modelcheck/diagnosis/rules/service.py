"""The service: failures on the provider's or the server's side (inconclusive: retry later)."""

from __future__ import annotations

from modelcheck.diagnosis import predicates as p
from modelcheck.diagnosis.rule import CERTAIN, CONTEXT, SPECIFIC, Rule, words

RULES: tuple[Rule, ...] = (
    Rule(
        id="server.failure",
        cause="server_error",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The server reports a failure on its side: \u201c{message}\u201d",
        seen_in=(
            "openai_acheong_server_error_2023",
            "lmstudio_model_crashed_exit_code_null_concurrent_streams_mlx",
            "ollama_cli_runner_terminated_cuda_out_of_memory",
            "vllm_enginedeaderror_after_cuda_oom",
            "cloudflare_400_2005_failed_to_get_response_from_provider",
            "lmstudio_load_stopped_insufficient_resources_nan",
        ),
        signals=("server_failure",),
        when=(p.not_an_access_answer, p.not_rate_limit_wording),
    ),
    Rule(
        id="server.overloaded",
        cause="server_error",
        priority=SPECIFIC,
        confidence=0.85,
        summary="The provider is overloaded: \u201c{message}\u201d",
        seen_in=(
            "openai_chatgpt_plugin_model_overloaded_503",
            "anthropic_529_claude_code_server_side_wording",
            "gemini_code_assist_429_model_capacity_exhausted_gemini31_pro_preview",
        ),
        signals=("overloaded",),
        when=(p.not_an_access_answer,),
    ),
    Rule(
        id="server.code_in_a_4xx",
        cause="server_error",
        priority=CERTAIN,
        confidence=0.85,
        summary="The answer is a {status}, but its code says the server failed "
        "(\u201c{message}\u201d): a worker or upstream failure, not the request.",
        seen_in=("fastchat_50003_worker_read_timeout_high_traffic", "case:fastchat_50002_as_400"),
        signals=("server_code",),
    ),
    Rule(
        id="server.status",
        cause="server_error",
        priority=CONTEXT,
        confidence=0.8,
        summary="The server failed ({status}): \u201c{message}\u201d",
        seen_in=("openai_chatgpt_plugin_model_overloaded_503",),
        status_range=(500, 599),
    ),
    Rule(
        id="server.overloaded.type",
        cause="server_error",
        priority=CERTAIN,
        confidence=0.96,
        summary="The provider is overloaded ({type}): \u201c{message}\u201d",
        seen_in=("anthropic_overloaded_529",),
        types=words(
            "overloaded_error",
            "api_error",
            "internal_server_error",
            "server_error",
            "unavailable",
            "internal",
        ),
        when=(p.not_an_access_answer,),
    ),
)
