"""The network, the proxy and the base URL: the key and model were never really tested."""

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

RULES: tuple[Rule, ...] = (
    Rule(
        id="net.dns",
        cause="network_dns",
        priority=CERTAIN,
        confidence=0.95,
        summary="The host name did not resolve: {network_detail}",
        seen_in=("network_dns_temporary_failure_openai", "network_dns_name_not_known_docker_host"),
        network=words("dns"),
    ),
    Rule(
        id="net.rate_limited_then_reset",
        cause="rate_limited",
        priority=CERTAIN,
        confidence=0.9,
        summary="Rate limited: an earlier attempt got 429, and the retry then lost its "
        "connection ({network_detail}). The server was shedding load; the model itself was "
        "never refused.",
        seen_in=("case:rate_limited_then_reset",),
        network=words("connect", "reset", "protocol", "timeout"),
        when=(p.rate_limit_before,),
    ),
    Rule(
        id="net.connect",
        cause="network_connect",
        priority=CERTAIN,
        confidence=0.9,
        summary="No connection: {network_detail}",
        seen_in=("network_connect_refused_ollama_bind",),
        network=words("connect", "reset", "protocol"),
    ),
    Rule(
        id="net.tls",
        cause="network_tls",
        priority=CERTAIN,
        confidence=0.95,
        summary="TLS failed: {network_detail}",
        seen_in=(
            "network_tls_corporate_proxy_issuer",
            "network_self_signed_cert_in_chain_claude_code_wsl",
        ),
        network=words("tls"),
    ),
    Rule(
        id="net.timeout",
        cause="network_timeout",
        priority=CERTAIN,
        confidence=0.9,
        summary="No answer in time: {network_detail}",
        seen_in=("network_timeout_openai_python",),
        network=words("timeout"),
    ),
    Rule(
        id="net.proxy",
        cause="proxy_error",
        priority=CERTAIN,
        confidence=0.9,
        summary="The HTTP proxy failed: {network_detail}",
        seen_in=("case:net_proxy",),
        network=words("proxy"),
    ),
    Rule(
        id="http.proxy_auth",
        cause="proxy_error",
        priority=CERTAIN,
        confidence=0.95,
        summary="HTTP 407: a proxy wants credentials before it forwards the request.",
        seen_in=("network_407_proxy_codegpt",),
        status=(407,),
    ),
    Rule(
        id="http.redirect",
        cause="wrong_base_url",
        priority=CERTAIN,
        confidence=0.9,
        summary="The server answered {status} redirecting to {location}; redirects are not "
        "followed and the key is never sent there. Use the final URL as the base URL.",
        seen_in=("case:http_redirect",),
        status_range=(300, 399),
    ),
    Rule(
        id="http.endpoint_in_base_url",
        cause="wrong_base_url",
        priority=CERTAIN,
        confidence=0.95,
        summary="The base URL {base_url} already ends in an endpoint path; it should be the API "
        "root (ending in /v1).",
        seen_in=("openai_gateway_unknown_url_missing_v1",),
        status_range=(400, 405),
        when=(p.base_url_has_endpoint,),
    ),
    Rule(
        id="http.html.missing_v1",
        cause="wrong_base_url",
        priority=SPECIFIC,
        confidence=0.9,
        summary="The server answered {status} with an HTML page (\u201c{excerpt}\u201d), not the "
        "API; the base URL {base_url} lacks a version path such as /v1.",
        seen_in=("openai_aisub_nginx_html_404_missing_v1",),
        body_kinds=words("html"),
        when=(p.not_server_status, p.base_url_lacks_v1),
    ),
    Rule(
        id="http.404.missing_v1",
        cause="wrong_base_url",
        priority=SPECIFIC,
        confidence=0.85,
        summary="{status} Not Found at a URL without a version path: the base URL {base_url} "
        "lacks /v1 (or the provider's version segment) before the endpoint.",
        seen_in=("anthropic_404_not_found_base_url_missing_v1_messages",),
        status=(404,),
        message=pattern(r"\bnot found\b"),
        # Pasted errors only: the URL is the one the request used. A native dialect's base
        # URL (api.anthropic.com, generativelanguage.googleapis.com) has no /v1 by design.
        when=(p.key_not_seen, p.base_url_lacks_v1, p.not_a_missing_model),
    ),
    Rule(
        id="http.no_route",
        cause="wrong_base_url",
        priority=SPECIFIC,
        confidence=0.88,
        summary="The server has no route for this path ({status}: \u201c{message}\u201d): the "
        "base URL {base_url} {base_hint}.",
        seen_in=("cloudflare_400_no_route_for_uri_ai_gateway_path",),
        status_range=(400, 499),
        message=pattern(
            r"no route (for|to|matched|found)|no handler found on route|cannot (post|get) /"
        ),
    ),
    Rule(
        id="http.html",
        cause="wrong_base_url",
        priority=CONTEXT,
        confidence=0.71,
        summary="The server answered {status} with an HTML page (\u201c{excerpt}\u201d), not a "
        "JSON API answer: the base URL points at a web page, a gateway login or another service.",
        seen_in=("openai_aisub_nginx_html_404_missing_v1",),
        body_kinds=words("html"),
        when=(p.not_server_status,),
    ),
    Rule(
        id="http.html_not_json",
        cause="wrong_base_url",
        priority=CONTEXT,
        confidence=0.65,
        summary="The client got an HTML page where it expected JSON (\u201c{message}\u201d): "
        "the base URL points at a web page (a missing /v1, a web UI's address), or a proxy "
        "answered with its own error page.",
        seen_in=("openrouter_html_invalid_character_lt_missing_api_path_paperless_gpt",),
        signals=("html_not_json",),
    ),
    Rule(
        id="http.404_without_error",
        cause="wrong_base_url",
        priority=WEAK,
        confidence=0.57,
        summary="{status} with no error text: no API route answered at this path, so the base "
        "URL (or the path the client adds to it) is likely wrong.",
        seen_in=(
            "dashscope_404_no_body_api_v1_instead_of_compatible_mode",
            "deepseek_404_post_to_bare_origin_subtitleedit",
        ),
        status=(404, 405),
        when=(p.no_error_text,),
    ),
    Rule(
        id="http.unknown_url",
        cause="wrong_base_url",
        priority=SPECIFIC,
        confidence=0.93,
        summary="The server does not know this path ({status}: \u201c{message}\u201d): the base "
        "URL {base_url} {base_hint}.",
        seen_in=("openai_gateway_unknown_url_missing_v1",),
        status=(404, 405),
        when=(p.not_wrong_endpoint,),
        message=pattern(
            r"^\s*not found\s*$|unknown (request )?url|invalid url|page not found|no route|"
            r"no handler found on route|cannot (post|get) /|requested url was not found|"
            r"method not allowed"
        ),
    ),
    Rule(
        id="net.use_the_right_endpoint",
        cause="wrong_base_url",
        priority=CERTAIN,
        confidence=0.85,
        summary="The resource refuses this address: \u201c{message}\u201d. Use the endpoint its "
        "network configuration allows (e.g. the private endpoint), not the public one.",
        seen_in=("azure_vnet_configured_use_correct_endpoint",),
        signals=("network_restriction",),
        message=pattern(r"use the correct endpoint|correct regional endpoint"),
    ),
    Rule(
        id="http.list_not_openai",
        cause="wrong_base_url",
        priority=CONTEXT,
        confidence=0.7,
        summary="The models list answered {status} but is not an OpenAI-style list: the base "
        "URL points at another kind of service.",
        seen_in=("case:list_not_openai",),
        endpoints=words("models.list"),
        status_range=(200, 299),
        body_kinds=words("json"),
        when=(p.no_error_envelope,),
    ),
    Rule(
        id="http.chat_not_completion",
        cause="wrong_base_url",
        priority=CONTEXT,
        confidence=0.6,
        summary="The chat endpoint answered {status} but not with a chat completion: the base "
        "URL points at another kind of service.",
        seen_in=("case:chat_not_completion",),
        endpoints=words("chat"),
        status_range=(200, 299),
        body_kinds=words("json"),
        when=(p.no_error_envelope,),
    ),
    Rule(
        id="http.malformed_success",
        cause="server_error",
        priority=CONTEXT,
        confidence=0.8,
        summary="The server answered {status} but its body is not usable JSON (empty, cut off or "
        "corrupt): \u201c{excerpt}\u201d",
        seen_in=("case:malformed_success",),
        status_range=(200, 299),
        body_kinds=words("text", "empty"),
    ),
    Rule(
        id="net.bad_address",
        cause="wrong_base_url",
        priority=CERTAIN,
        confidence=0.93,
        summary="The base URL cannot be used as written: \u201c{message}\u201d",
        seen_in=("litellm_sdk_apiconnection_wrong_base_url",),
        message=pattern(
            r"cannot assign requested address|no connection adapters were found|missingschema|"
            r"unsupportedprotocol|missing an 'http://' or 'https://' protocol"
        ),
    ),
    Rule(
        id="net.regional_host",
        cause="wrong_base_url",
        priority=ALTERNATIVE,
        confidence=0.4,
        summary="Some providers run separate platforms per region (international and mainland "
        "China hosts) with separate keys: a key of one is rejected by the other.",
        seen_in=(
            "moonshot_401_invalid_authentication_platform_mismatch",
            "minimax_2049_invalid_api_key_region_host_mismatch",
        ),
        providers=words("moonshot", "dashscope", "siliconflow", "zhipu", "minimax"),
        signals=("auth_invalid",),
        when=(p.client_status,),
    ),
)
