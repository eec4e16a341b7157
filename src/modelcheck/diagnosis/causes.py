"""The cause ids (docs/causes.md, the shared contract) as data: title, why, fix steps, docs.

Cause ids are a public contract: never rename one without keeping the old id in ALIASES.
Fix steps and docs links follow the provider that answered: the steps are templates over the
provider's pages ({keys}, {billing}, {status}, {key_env}, {provider}); a provider or a gateway
that needs other steps has its own (PROVIDER_FIXES, GATEWAY_FIXES); a cause's docs link is the
provider's page of the kind the cause names (``docs_kind``), else the cause's general page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

OPENAI_ERRORS = "https://developers.openai.com/api/docs/guides/error-codes"
OPENAI_RATE_LIMITS = "https://developers.openai.com/api/docs/guides/rate-limits"
OPENAI_BILLING = "https://platform.openai.com/settings/organization/billing/overview"
OPENAI_KEYS = "https://platform.openai.com/api-keys"
OPENAI_ORG = "https://platform.openai.com/settings/organization/general"
OPENAI_DEPRECATIONS = "https://developers.openai.com/api/docs/deprecations"
HTTPX_SSL = "https://www.python-httpx.org/advanced/ssl/"
HTTPX_PROXIES = "https://www.python-httpx.org/advanced/proxies/"
TIER_RULES = (
    "Usage tiers (OpenAI rate-limits guide): Tier 1 = $5 paid; Tier 2 = $50 paid and 7+ days "
    "since the first successful payment; Tier 3 = $100 and 7+ days; Tier 4 = $250 and 14+ days; "
    "Tier 5 = $1,000 and 30+ days. Tiers rise automatically as the conditions are met."
)
PROPAGATION = (
    "Access is not instant: allow up to 15 minutes for the change to propagate (OpenAI: most "
    "updates that affect API key authentication results propagate within 15 minutes), then "
    "re-run modelcheck."
)


@dataclass(frozen=True)
class Cause:
    """One cause id and the user-facing text the project owns for it."""

    id: str
    title: str
    why: str
    fixes: tuple[str, ...]
    docs: str
    inconclusive: bool = False
    """True when the key and model were never really tested (network, proxy, base URL) or the
    answer may change on a retry (5xx, rate limit): the run is then inconclusive (exit 3)."""
    account: bool = False
    """True when the cause concerns the key, account or connection, not one model. Whether a
    finding is reported for the account or for one model follows the evidence (engine.py):
    ``scope`` says what evidence contradicts an account-wide reading."""
    scope: str = "model"
    """"key" (the key's identity: contradicted by any model that works or a models list that
    accepted the key), "account" (billing, permissions: contradicted by a model that works),
    "connection" (network, proxy, base URL: contradicted by any answer from the server), or
    "model"."""


_CAUSES = (
    # Key and account
    Cause(
        "missing_api_key",
        "No API key was sent",
        "The key variable is unset or empty, or a placeholder was sent instead of a key.",
        (
            "Set {key_env} (or the variable named by --api-key-env) to a key from {keys}.",
            "In CI, check that the secret is defined for this repository/environment and passed "
            "to the step (forked pull requests get no secrets).",
        ),
        OPENAI_KEYS,
        account=True,
    ),
    Cause(
        "invalid_api_key",
        "The API key is not valid",
        "The key is wrong, revoked, deleted, truncated, or carries stray quotes, spaces or a "
        "newline.",
        (
            "Copy the key again from {keys} (keys are shown once: create a new one "
            "if you no longer have it).",
            "Remove surrounding quotes, spaces and newlines from the variable or file.",
            "Check that the key belongs to the organization/project you meant to use.",
        ),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "wrong_provider_key",
        "The key belongs to another provider",
        "The key's prefix shows it was issued by a different provider than the one called.",
        (
            "Use a {provider} key, or point --provider / --base-url at the provider that issued "
            "the key.",
        ),
        OPENAI_KEYS,
        account=True,
    ),
    Cause(
        "account_deactivated",
        "The account, organization or key is deactivated",
        "The provider disabled the account, organization or key (policy, billing or admin action).",
        ("Sign in to the provider's console to see the account status, then contact its support.",),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "no_organization",
        "The key's user belongs to no organization",
        "The user behind the key left, or was removed from, every organization.",
        ("Ask an organization owner to invite you, then create a new key in that organization.",),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "organization_invalid",
        "The organization header does not match the key",
        "OpenAI-Organization (OPENAI_ORG_ID / --org) names an organization the key is not in.",
        (
            "Unset OPENAI_ORG_ID / drop --org, or set it to the organization id shown at "
            + OPENAI_ORG,
        ),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "project_invalid",
        "The project header does not match the key, or the project is archived",
        "OpenAI-Project (OPENAI_PROJECT_ID / --project) names a project the key cannot use.",
        (
            "Unset OPENAI_PROJECT_ID / drop --project (project keys already carry their "
            "project), or use a key created in that project.",
        ),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "insufficient_permissions",
        "The key lacks a permission for this endpoint",
        "A restricted key (or the role or policy behind it) lacks a permission for this "
        "endpoint, or an admin key was used on a non-admin endpoint.",
        (
            "Give the key, or the role or policy behind it, the permission the message names, "
            "or create a key that has it at {keys}.",
            "Admin keys only work on administration endpoints: use an ordinary API key.",
        ),
        OPENAI_KEYS,
        account=True,
    ),
    Cause(
        "ip_not_allowed",
        "The caller's IP address is not on the allow-list",
        "The project or organization restricts API access to listed IP addresses.",
        ("Call from an allowed address, or add this machine's egress IP to the allow-list.",),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "region_unsupported",
        "The caller's country, region or territory is not supported",
        "The provider does not serve requests from where this machine (or its VPN/proxy) is.",
        (
            "Check the provider's list of supported countries; run from a supported location.",
            "A VPN, proxy or CDN whose exit is in an unsupported place counts too: the region "
            "is the one the provider sees.",
        ),
        "https://platform.openai.com/docs/supported-countries",
        account=True,
    ),
    # Model access
    Cause(
        "model_not_found",
        "The model id does not exist for this provider",
        "A typo, another provider's naming, or a missing/extra provider prefix in the model id.",
        (
            "Use an id from this key's model list (`modelcheck check` shows close matches).",
            "Check the provider's model page for the exact id (with the provider/ or models/ "
            "prefix the API expects, if any).",
        ),
        "https://platform.openai.com/docs/models",
    ),
    Cause(
        "model_requires_payment",
        "The model needs an account with a successful payment",
        "The model is real, but the account's free tier does not include it (its quota for "
        "the model is 0, or it needs a history of successful payments).",
        (
            "Set up billing (a payment method, or prepaid credits) for the account: {billing}",
            "Then wait a few minutes and re-run modelcheck: the new tier can take a while to "
            "apply.",
        ),
        "https://openai.com/blog/gpt-4-api-general-availability",
    ),
    Cause(
        "model_tier_gated",
        "The model is gated behind a usage tier, waitlist or preview",
        "The model is real but only open to higher usage tiers, a plan, a waitlist or an "
        "allow-list.",
        (
            "See the model's page for the tiers or plans that can use it, and upgrade or request "
            "access there.",
            "Access is not instant: re-run modelcheck some minutes after the change.",
        ),
        "https://help.openai.com/en/articles/10362446-api-access-to-o1-o3-and-o4-models",
    ),
    Cause(
        "organization_verification_required",
        "The model needs a verified organization",
        "Some models (or streaming them) are open only to organizations that completed "
        "verification.",
        (
            "Go to " + OPENAI_ORG + " and click Verify Organization.",
            "If you just verified, it can take up to 15 minutes for access to propagate.",
        ),
        OPENAI_ORG,
    ),
    Cause(
        "project_model_not_allowed",
        "The caller's own allow-list excludes the model",
        "Who manages the key restricted which models it may call: an OpenAI project's model "
        "limits, a gateway key's or team's allowed models, an OpenRouter privacy or provider "
        "policy.",
        (
            "Ask whoever manages the key (the project's owner, the gateway's operator) to allow "
            "the model, or change the policy the message names.",
            "Or use a key that may call the model.",
        ),
        "https://platform.openai.com/settings/organization/projects",
    ),
    Cause(
        "model_access_not_enabled",
        "Access to the model must first be enabled or its terms accepted",
        "The provider serves the model only to accounts that requested or enabled access, or "
        "accepted its terms (per account or region; not a usage tier).",
        (
            "Enable or request access to the model in the provider's console, or accept its "
            "terms there (Amazon Bedrock: model access; the first call may subscribe through "
            "AWS Marketplace and take up to 15 minutes; Groq: the model's terms page).",
            "Check the region: access is granted per region on some platforms.",
        ),
        "https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html",
    ),
    Cause(
        "model_deprecated",
        "The model was retired",
        "The model is past its shutdown date; requests to it fail.",
        ("Switch to a current model; {deprecations_where}",),
        OPENAI_DEPRECATIONS,
    ),
    Cause(
        "wrong_endpoint_for_model",
        "The model is served on another endpoint",
        "It is not a chat model (completions, embeddings, audio, images) or it is only served "
        "by the Responses API.",
        (
            "Call the endpoint the model supports (v1/responses, v1/completions, v1/embeddings, "
            "...), or pick a chat model.",
        ),
        "https://platform.openai.com/docs/models",
    ),
    Cause(
        "model_not_installed",
        "The local server has not pulled or loaded the model",
        "Ollama, LM Studio, llama.cpp or vLLM serve only models that were pulled or loaded.",
        ("Pull/load the model (e.g. `ollama pull MODEL`), or use an id from the server's list.",),
        "https://docs.ollama.com/api",
    ),
    Cause(
        "unsupported_parameter",
        "The model rejects a request parameter",
        "The model (or this API) does not accept a parameter or value the request sent: a "
        "sampling setting it fixes, a parameter of another API, a thinking budget out of range.",
        (
            "Change what the summary names: drop the parameter, send the one it names instead, "
            "or use a value it allows.",
            "Reasoning models often accept only the default temperature and top_p, and take "
            "max_completion_tokens (OpenAI) instead of max_tokens.",
        ),
        OPENAI_ERRORS,
    ),
    # Billing and limits
    Cause(
        "insufficient_quota",
        "No credits, or a spend or usage limit is reached",
        "Billing is not set up or inactive, prepaid credits are used up, or a monthly/project "
        "spend limit was reached. Retrying never helps.",
        (
            "Check credits and limits on the billing page: {billing}",
            "Buy credits or raise the spend limit (or, at a gateway, ask its operator to raise "
            "your key's budget); new credits can take a few minutes to apply.",
            "Do not retry in a loop: billing errors are not rate limits.",
        ),
        OPENAI_ERRORS,
        account=True,
    ),
    Cause(
        "rate_limited",
        "Rate limited",
        "Requests or tokens per minute/day exceeded; transient.",
        (
            "Wait for the time the answer names (retry-after), then retry with backoff.",
            "Lower concurrency, or move to a higher tier or plan for higher limits.",
        ),
        OPENAI_RATE_LIMITS,
        inconclusive=True,
    ),
    Cause(
        "request_too_large",
        "One request exceeds the per-minute token limit",
        "The request alone asks for more tokens than the limit allows: retrying never helps.",
        ("Send fewer tokens per request (shorter input, lower max tokens) or raise your tier.",),
        OPENAI_RATE_LIMITS,
    ),
    # Service, network and configuration
    Cause(
        "server_error",
        "The provider failed or is overloaded",
        "A 5xx answer: a provider-side failure, overload, or a local server still loading.",
        (
            "Retry later with backoff; check the provider's status page: {status}",
            "On a self-hosted server: read its log (out of memory, a model still loading, a "
            "crashed worker).",
        ),
        "https://status.openai.com",
        inconclusive=True,
    ),
    Cause(
        "network_dns",
        "The host name does not resolve",
        "DNS lookup failed: a typo in the base URL host, no network, or a resolver that "
        "blocks the host.",
        ("Check the host in --base-url (or the base URL variable); try `nslookup HOST`.",),
        HTTPX_PROXIES,
        inconclusive=True,
        account=True,
    ),
    Cause(
        "network_connect",
        "The connection was refused or reset",
        "Nothing listens at that host and port, a firewall blocks it, or the server crashed.",
        (
            "Check the host and port in the base URL and that the server is running.",
            "Behind a corporate network, a proxy may be needed: set HTTPS_PROXY.",
        ),
        HTTPX_PROXIES,
        inconclusive=True,
        account=True,
    ),
    Cause(
        "network_tls",
        "The TLS handshake or certificate check failed",
        "Often a corporate proxy re-signs HTTPS traffic with its own certificate authority.",
        (
            "Trust your organization's CA: pass --ca-bundle /path/to/ca.pem, or point "
            "SSL_CERT_FILE at a bundle that includes it (ask IT for the proxy's root "
            "certificate).",
            "Do not disable verification: the key would be exposed to whoever intercepts.",
        ),
        HTTPX_SSL,
        inconclusive=True,
        account=True,
    ),
    Cause(
        "network_timeout",
        "The connection or response timed out",
        "The server did not answer within --timeout: network trouble, a slow proxy, or an "
        "overloaded server.",
        ("Retry; raise --timeout; check proxies and firewalls.",),
        HTTPX_PROXIES,
        inconclusive=True,
        account=True,
    ),
    Cause(
        "proxy_error",
        "An HTTP proxy refused the request or could not be reached",
        "The proxy that HTTPS_PROXY / HTTP_PROXY / ALL_PROXY names is down, refused the tunnel, "
        "or wants credentials (407).",
        (
            "Check that the proxy named in the report is running and reachable from here.",
            "If it wants credentials, put them in the proxy URL: http://USER:PASSWORD@HOST:PORT.",
            "If this host should not go through the proxy, add it to NO_PROXY (or unset "
            "HTTPS_PROXY / HTTP_PROXY).",
        ),
        HTTPX_PROXIES,
        inconclusive=True,
        account=True,
    ),
    Cause(
        "wrong_base_url",
        "The base URL points at the wrong host or path",
        "The answer is not the provider's API: an HTML page, a redirect, a missing or doubled "
        "/v1, or an endpoint path inside the base URL.",
        (
            "Use the API root, e.g. {api_root} (ending in the version path such as /v1, without "
            "/chat/completions).",
        ),
        "https://platform.openai.com/docs/api-reference",
        inconclusive=True,
        account=True,
    ),
    Cause(
        "api_not_enabled",
        "The cloud project behind the key has not enabled the API",
        "Google Cloud keys belong to a project, and the project must enable each API it calls "
        "(Generative Language API, Vertex AI API).",
        (
            "Enable the API for the project the message names (the message carries the console "
            "link), wait a few minutes for it to propagate, then retry.",
            "Or use a key from a project that has the API enabled (Google AI Studio creates one).",
        ),
        "https://cloud.google.com/service-usage/docs/enable-disable",
    ),
    Cause(
        "context_length_exceeded",
        "Not an access problem: the request is longer than the model's context window",
        "The key can use the model; this request's input (plus the requested output) is longer "
        "than the model accepts.",
        (
            "Shorten the input (fewer or shorter messages, smaller documents) or lower the "
            "maximum output tokens.",
            "Or use a model with a larger context window.",
        ),
        OPENAI_ERRORS,
        inconclusive=True,
    ),
    Cause(
        "content_filtered",
        "Not an access problem: the provider's safety filter refused the content",
        "The key can use the model; the provider's content filter or guardrail blocked this "
        "prompt or its completion.",
        (
            "Change the content that triggered the filter; the message or its details name the "
            "category.",
            "Review the filter or guardrail settings where you control them (Azure: content "
            "filter configuration; Bedrock: guardrails).",
        ),
        "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter",
        inconclusive=True,
    ),
    Cause(
        "azure_deployment_not_found",
        "The Azure deployment does not exist (yet)",
        "The deployment name is wrong, or it was created minutes ago.",
        (
            "Use the deployment name (not the model name) from the Azure portal; wait 5 minutes "
            "after creating one.",
        ),
        "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/create-resource",
    ),
    Cause(
        "azure_api_version",
        "The Azure api-version is missing or unsupported",
        "Azure's classic endpoints need an api-version query parameter that supports the model.",
        ("Pass a current api-version, or use the v1 endpoint (/openai/v1/).",),
        "https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle",
        account=True,
    ),
    Cause(
        "unknown",
        "No known cause matched",
        "The answer matched no rule; the report shows the raw evidence. Nothing is known for "
        "sure, so the run is inconclusive (exit 3).",
        (
            "Read the status, error code and message shown, and search the provider's docs for "
            "them.",
        ),
        OPENAI_ERRORS,
    ),
)

_SCOPES = {
    "missing_api_key": "key",
    "invalid_api_key": "key",
    "wrong_provider_key": "key",
    "account_deactivated": "key",
    "no_organization": "key",
    "organization_invalid": "key",
    "project_invalid": "key",
    "ip_not_allowed": "key",
    "region_unsupported": "key",
    "insufficient_permissions": "account",
    "insufficient_quota": "account",
    "azure_api_version": "account",
    "api_not_enabled": "account",
    "network_dns": "connection",
    "network_connect": "connection",
    "network_tls": "connection",
    "network_timeout": "connection",
    "proxy_error": "connection",
    "wrong_base_url": "connection",
}

CAUSES: dict[str, Cause] = {
    c.id: replace(c, scope=_SCOPES.get(c.id, "model"), account=c.id in _SCOPES) for c in _CAUSES
}

DOCS_KIND: dict[str, str] = {
    "missing_api_key": "keys",
    "invalid_api_key": "errors",
    "wrong_provider_key": "errors",
    "account_deactivated": "errors",
    "insufficient_permissions": "errors",
    "ip_not_allowed": "errors",
    "region_unsupported": "errors",
    "model_not_found": "errors",
    "model_deprecated": "deprecations",
    "wrong_endpoint_for_model": "errors",
    "unsupported_parameter": "errors",
    "insufficient_quota": "billing",
    "model_requires_payment": "billing",
    "rate_limited": "rate_limits",
    "request_too_large": "rate_limits",
    "server_error": "status",
    "context_length_exceeded": "errors",
}
"""Which of the provider's pages a cause's docs link is (providers.LINKS)."""

PROVIDER_FIXES: dict[str, dict[str, tuple[str, ...]]] = {
    "openai": {
        "model_requires_payment": (
            "Make a first payment of at least $5 (buy prepaid credits) on the billing page: "
            "{billing} ; that moves the organization to usage tier 1.",
            TIER_RULES,
            PROPAGATION,
        ),
        "model_tier_gated": (
            TIER_RULES,
            "See the model's page for the tiers that can use it; some models open to lower "
            "tiers after organization verification (" + OPENAI_ORG + ").",
            PROPAGATION,
        ),
        "insufficient_permissions": (
            "Edit the key's permissions (Models: read, Model capabilities: write) or create an "
            "unrestricted key at {keys}",
            "Admin keys (sk-admin-) only work on administration endpoints: use a project key.",
        ),
        "project_model_not_allowed": (
            "Ask an owner to allow the model in the project's limits "
            "(https://platform.openai.com/settings/organization/projects), or use another "
            "project's key.",
        ),
        "unsupported_parameter": (
            "Change what the summary names: drop the parameter, send the one it names instead, "
            "or use a value it allows.",
            "o-series and newer models take max_completion_tokens instead of max_tokens and "
            "accept only the default temperature and top_p.",
        ),
    },
    "gemini": {
        "model_requires_payment": (
            "The free tier has no quota for this model (limit: 0): set up billing for the "
            "Google Cloud project the key belongs to (Google AI Studio: Dashboard, Usage and "
            "billing): {billing}",
            "Or use a model the free tier includes (the Gemini rate-limits page lists them).",
        ),
        "rate_limited": (
            "Wait for the delay the answer names (RetryInfo), then retry; a per-day quota "
            "resets at midnight Pacific time.",
            "A per-minute quota: lower the request rate. A free-tier quota: billing raises it.",
        ),
    },
    "bedrock": {
        "wrong_base_url": (
            "Leave --base-url out and name the region (--region, AWS_REGION): modelcheck uses "
            "https://bedrock-runtime.REGION.amazonaws.com and the control plane "
            "https://bedrock.REGION.amazonaws.com.",
        ),
    },
    "anthropic": {
        "insufficient_quota": (
            "Add credits, or raise the spend limit you set for the organization or workspace: "
            "{billing}",
            "A tier's monthly spend cap lifts at the start of the next month, or with a higher "
            "tier.",
            "Do not retry in a loop: billing errors are not rate limits.",
        ),
    },
    "azure": {
        "wrong_base_url": (
            "Use the resource's endpoint, https://YOUR-RESOURCE.openai.azure.com (the Keys and "
            "Endpoint page of the resource), with nothing after it; or one ending in /openai/v1 "
            "for the v1 API.",
            "The classic API also needs an api-version the resource serves (--api-version).",
        ),
        "rate_limited": (
            "Wait the seconds the message names; a wait of many hours is a quota, not a burst: "
            "raise the deployment's tokens-per-minute quota in the Azure portal "
            "(https://aka.ms/oai/quotaincrease).",
        ),
    },
}
"""Fix steps a provider needs instead of the cause's general ones."""

GATEWAY_FIXES: dict[str, tuple[str, ...]] = {
    "insufficient_quota": (
        "The gateway's budget or quota for your key, user or team is spent: ask its operator "
        "to raise it, or wait for it to reset.",
        "If the gateway forwards a provider's billing error, its upstream account has no "
        "credit: the operator must top it up.",
    ),
    "project_model_not_allowed": (
        "The gateway does not let your key (or team) call this model: ask its operator to add "
        "the model to the key's allowed models, or use a model the key may call.",
    ),
    "model_not_found": (
        "The gateway does not route this id: use a model name from its own list (GET "
        "/v1/models; gateways name models by their own aliases, often with a provider/ "
        "prefix).",
        "If the name is right, the gateway's configuration lacks it: ask its operator.",
    ),
    "server_error": (
        "The gateway's upstream for this model failed: retry later, or ask the gateway's "
        "operator to check that upstream.",
    ),
}
"""Fix steps when a gateway or relay answered (its own causes, its operator's job)."""

HOSTED_FIXES: dict[str, tuple[str, ...]] = {
    "server_error": ("Retry later with backoff; check the provider's status page: {status}",),
}
"""Fix steps for a hosted provider where the general ones also cover self-hosted servers."""


def _links_for(provider: str | None) -> dict[str, str]:
    from modelcheck.providers import PROVIDERS, TITLES, links

    prov = PROVIDERS.get(provider or "")
    pages = links(provider)
    title = TITLES.get(provider or "", provider or "the provider")
    known = provider not in (None, "compatible", "unknown")
    values = {
        "keys": pages.get("keys")
        or (f"the {title} console's API keys page" if known else "your provider's API keys page"),
        "billing": pages.get("billing")
        or (f"the {title} console's billing page" if known else "your provider's billing page"),
        "status": pages.get("status")
        or (f"the {title} status page" if known else "the provider's status page"),
        "deprecations": pages.get("deprecations") or "the provider's deprecations page",
        "deprecations_where": "the provider's deprecations page lists each retired id's "
        "replacement" + (f": {pages['deprecations']}" if pages.get("deprecations") else ""),
        "provider": title if known else "this provider's",
        "key_env": (prov.key_envs[0] if prov and prov.key_envs else "the key variable"),
        "api_root": (
            prov.default_base_url if prov and prov.default_base_url else "https://api.openai.com/v1"
        ),
    }
    if provider is None:
        values["keys"] = "your provider's API keys page (OpenAI: " + OPENAI_KEYS + ")"
        values["billing"] = "your provider's billing page (OpenAI: " + OPENAI_BILLING + ")"
    return values


def provider_links(provider: str | None) -> dict[str, str]:
    """The values fix templates may use for ``provider``: its pages, key variable, API root."""
    return _links_for(provider)


def fix_steps(
    cause: Cause, provider: str | None = "openai", gateway: str | None = None
) -> tuple[str, ...]:
    """The cause's fix steps for ``provider`` (or the ``gateway`` that answered), with the
    provider's own pages filled in."""
    from modelcheck.providers import PROVIDERS

    steps = cause.fixes
    if gateway is not None and cause.id in GATEWAY_FIXES:
        steps = GATEWAY_FIXES[cause.id]
    elif provider is not None:
        family = "gemini" if provider == "gemini-openai" else provider
        steps = PROVIDER_FIXES.get(family, {}).get(cause.id, steps)
        prov = PROVIDERS.get(provider)
        if steps is cause.fixes and prov is not None and prov.key_required:
            # A hosted provider: steps meant for a self-hosted server do not apply.
            steps = HOSTED_FIXES.get(cause.id, steps)
    values = _links_for(provider)
    return tuple(step.format_map(values) if "{" in step else step for step in steps)


def cause_docs(cause: Cause, provider: str | None, gateway: str | None = None) -> str:
    """The cause's docs link: the provider's page of the kind the cause names, if known.

    The general link is OpenAI's; it is kept for OpenAI and for an answer nothing names, and
    left out ("") for another provider's or a gateway's answer: OpenAI's page would mislead.
    """
    from modelcheck.providers import links

    kind = DOCS_KIND.get(cause.id)
    page = links(provider).get(kind or "") if provider else None
    if page:
        return page
    openai_page = "openai.com" in cause.docs
    if openai_page and (gateway is not None or provider not in (None, "openai", "compatible")):
        return ""
    return cause.docs


ALIASES: dict[str, str] = {}
"""Old cause id -> current id; none renamed yet."""


def get_cause(cause_id: str) -> Cause:
    """Look a cause up by id or alias."""
    return CAUSES[ALIASES.get(cause_id, cause_id)]
