"""Signals: general facts read from any provider's error, between the parsed body and the rules.

A rule should match what an error *says* (a parameter is unsupported, a per-day quota of 0 is
spent, a gateway wrapped its upstream's answer, the key fragment shown is another provider's),
not one provider's wording. Each extractor below reads one such fact from the error's fields
and message, with the phrasings of many providers and gateways (the fixtures in
tests/fixtures/errors show them); rules combine the facts with status, code and who answered.

Pure functions of text and fields: no I/O, bounded work on hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from modelcheck.keyshapes import shape_of_fragment
from modelcheck.lazyre import LazyPattern, lazy
from modelcheck.providers import GATEWAY_HEADERS

MAX_SCAN = 8000
"""Characters of message text the extractors read at most."""


@dataclass(frozen=True)
class Signals:
    """Facts about one error. Every field has a default meaning "not seen"."""

    param: str | None = None
    """The request parameter the error names, in a canonical spelling (``temperature``,
    ``max_tokens``, ``reasoning_effort``, ``thinking.budget``, ``anthropic-version``, ...)."""
    param_issue: str | None = None
    """What the error says about it: "unsupported", "only_default", "combination", "moved",
    "invalid_value", "unknown_field" or "required"."""
    param_replacement: str | None = None
    """The parameter to send instead ("Use 'max_completion_tokens' instead")."""
    models: tuple[str, ...] = ()
    """Model ids the error names."""
    replacement_model: str | None = None
    """A model the error suggests instead ("Please use X", "upgrade to X")."""
    quota_limit: int | None = None
    """A limit value the error states ("limit: 0", "Limit 10000", "max RPM: 3")."""
    quota_window: str | None = None
    """The limit's window: "second", "minute", "hour", "day", "month" or "total"."""
    quota_id: str | None = None
    free_tier: bool = False
    """The limit is a free tier's or a trial key's."""
    retry_after_s: float | None = None
    """The wait the error or its headers ask for, in seconds."""
    key_fragment: str | None = None
    """A masked key the error echoes (``sk-or-v1***94e4``)."""
    key_fragment_provider: str | None = None
    """The provider whose key shape that fragment shows, when it is recognisable."""
    key_fragment_length: int | None = None
    """The length of the key the fragment stands for (providers mask one star per character)."""
    echoed_key: str | None = None
    """A key the message echoes in clear because it is no key at all: a placeholder
    ("undefined", "your_api_key") or a local server's dummy key ("not-needed", "lm-studio")."""
    hosts: tuple[str, ...] = ()
    gateway: str | None = None
    """A gateway or relay that wrapped the error: litellm, oneapi, openrouter, portkey,
    cloudflare, vercel, helicone, kong, fastchat, llamastack, copilot."""
    upstream: str | None = None
    """The provider whose error a gateway wrapped ("OpenAIException", "Error from provider
    (Anthropic)", OpenRouter's metadata.provider_name)."""
    network_restriction: bool = False
    access_program: bool = False
    terms: bool = False
    billing: bool = False
    budget: bool = False
    rate_limit: bool = False
    context_overflow: bool = False
    content_filter: bool = False
    server_failure: bool = False
    overloaded: bool = False
    retired: bool = False
    model_missing: bool = False
    wrong_endpoint: bool = False
    auth_missing: bool = False
    auth_invalid: bool = False
    auth_expired: bool = False
    credential_kind: bool = False
    """The credential is of the wrong kind: a subscription or OAuth token where an API key is
    expected, a personal access token an endpoint refuses."""
    api_key_refused: bool = False
    """The API takes no API keys at all (Vertex AI: "Expected OAuth2 access token"): the key
    is another product's (a Gemini API key)."""
    permission: bool = False
    region: bool = False
    api_disabled: bool = False
    inference_profile: bool = False
    access_not_enabled: bool = False
    """Access to the model must first be enabled for the account (Bedrock model access, an
    AWS Marketplace subscription, a Vertex publisher model the project may not use)."""
    model_allowlist: bool = False
    """The caller's own allow-list or policy excludes the model (a gateway key's models, an
    OpenAI project's models, an OpenRouter data policy)."""
    not_installed: bool = False
    deployment_missing: bool = False
    api_version: bool = False
    organization: bool = False
    verification: bool = False
    account_disabled: bool = False
    server_code: bool = False
    """The error carries a server-failure code although its status is a 4xx (FastChat 5xxxx)."""
    header_invalid: bool = False
    """The client refused to send the key as a header (whitespace or a newline in it)."""
    html_not_json: bool = False
    """A client failed to parse the answer as JSON because it was an HTML page ("invalid
    character '<'", "Unexpected token '<'")."""

    def used(self) -> dict[str, Any]:
        """The signals that were seen, for `explain --format json` and --verbose."""
        seen: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (None, False, ()):
                seen[f.name] = list(value) if isinstance(value, tuple) else value
        return seen


def _any(*words: str) -> LazyPattern:
    return lazy("|".join(words), re.I)


# --- parameters -------------------------------------------------------------------------------

# Request parameters of the chat, responses, messages and generateContent APIs, and the
# headers some APIs require; spellings across providers map to one canonical name.
_PARAMS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "topp": "top_p",
    "top_k": "top_k",
    "topk": "top_k",
    "max_tokens": "max_tokens",
    "maxtokens": "max_tokens",
    "max_completion_tokens": "max_completion_tokens",
    "max_output_tokens": "max_output_tokens",
    "maxoutputtokens": "max_output_tokens",
    "reasoning_effort": "reasoning_effort",
    "reasoningeffort": "reasoning_effort",
    "reasoning.effort": "reasoning_effort",
    "effort": "reasoning_effort",
    "reasoning effort": "reasoning_effort",
    "budget_tokens": "thinking.budget",
    "thinking.budget_tokens": "thinking.budget",
    "thinking.enabled.budget_tokens": "thinking.budget",
    "thinking_budget": "thinking.budget",
    "thinkingbudget": "thinking.budget",
    "thinking budget": "thinking.budget",
    "thinking_level": "thinking.level",
    "thinkinglevel": "thinking.level",
    "thinking level": "thinking.level",
    "thinking_config.include_thoughts": "thinking.include_thoughts",
    "include_thoughts": "thinking.include_thoughts",
    "thinking": "thinking",
    "logprobs": "logprobs",
    "top_logprobs": "top_logprobs",
    "logit_bias": "logit_bias",
    "presence_penalty": "presence_penalty",
    "frequency_penalty": "frequency_penalty",
    "seed": "seed",
    "stop": "stop",
    "store": "store",
    "stream": "stream",
    "stream_options": "stream_options",
    "tools": "tools",
    "tool_choice": "tool_choice",
    "tool choice": "tool_choice",
    "parallel_tool_calls": "parallel_tool_calls",
    "response_format": "response_format",
    "response_mime_type": "response_mime_type",
    "responsemimetype": "response_mime_type",
    "service_tier": "service_tier",
    "modalities": "modalities",
    "prediction": "prediction",
    "user": "user",
    "n": "n",
    "metadata": "metadata",
    "anthropic-version": "anthropic-version",
    "anthropic-beta": "anthropic-beta",
    "chat_id": "chat_id",
    # camelCase spellings (Gemini, xAI, SDKs) and features named in words: "Function calling
    # is not enabled", "does not support tool use", "Developer instruction is not enabled".
    "frequencypenalty": "frequency_penalty",
    "presencepenalty": "presence_penalty",
    "stopsequences": "stop",
    "stop_sequences": "stop",
    "enable_thinking": "thinking",
    "function calling": "tools",
    "function_calling": "tools",
    "tool use": "tools",
    "tool calling": "tools",
    "code execution": "tools",
    "developer instruction": "system_instruction",
    "system instruction": "system_instruction",
    "system_instruction": "system_instruction",
}
_PARAM_WORDS = lazy(
    r"\b(thinking[ _]budget|thinking[ _]level|reasoning[ _]effort|budget_tokens|"
    r"include_thoughts|top_logprobs|logprobs|logit_bias|temperature|top_p|top_k|"
    r"max_completion_tokens|max_output_tokens|max_tokens|maxOutputTokens|reasoningEffort|"
    r"thinkingBudget|thinkingLevel|stream_options|parallel_tool_calls|response_format|"
    r"response_mime_type|presence_penalty|frequency_penalty|tool[ _]choice|service_tier|"
    r"anthropic-version|anthropic-beta|tools|tool_calls|functions|verbosity|min_p|top_a|"
    r"repetition_penalty|web_search_options|prompt_cache_key|safety_identifier|seed|store|"
    r"frequencyPenalty|presencePenalty|stop_?sequences|enable_thinking|function[ _]calling|"
    r"tool (?:use|calling)|code execution|(?:developer|system)[ _]instructions?|"
    r"stream)\b",
    re.I,
)
# A name the error quotes after a word that says it is a request field; unquoted only after
# the phrases that can only introduce a parameter's name.
_NAMED_FIELD = lazy(
    r"(?:parameters?|argument(?:s)?(?: supplied)?|property|field|extraneous key|unknown name|"
    r"value(?:\(s\))?)\s*[:=]?\s*[\[\"'`]([A-Za-z_][\w.\-\[\]]{0,60}?)(?:[\"'`]|\](?![\w.\[]))|"
    r"(?:unsupported parameter|unrecognized request argument supplied|does not support "
    r"parameter)\s*:?\s*([A-Za-z_][\w.]{0,60})|"
    # A JSON pointer into the request body, as JSON Schema validators name a field.
    r"(?:of|at|in)\s+['\"`]/((?:[\w*]+/){0,6}[A-Za-z_]\w{0,40})['\"`]|"
    # A quoted path into the messages or a known parameter ("'messages.0.content'").
    r"['\"`]((?:messages|contents|input|tools|response_format)(?:\.\w+|\[\w*\]){1,6})['\"`]",
    re.I,
)
# FastAPI/pydantic: "loc": ["body", "messages", 0, "user", "name"] -> the last name in it.
_PYDANTIC_LOC = lazy(r"\"loc\"\s*:\s*\[\s*\"body\"[^\]\[]{0,200}?,\s*\"(\w+)\"\s*\]")
_ISSUES = (
    (
        "combination",
        _any(
            r"cannot both be specified",
            r"cannot be (used|specified) together",
            r"mutually exclusive",
            r"only one of",
            r"cannot be combined",
            r"is incompatible with",
            r"not (supported|allowed) (together )?(with|when) .{0,30}(enabled|is set|mode)",
        ),
    ),
    (
        "only_default",
        _any(
            r"only the default",
            r"only .{0,20}default (\(\S+\) )?value",
            r"default value is supported",
            r"only -?[\d.]+ is allowed",
            r"may only be set to -?[\d.]+",
        ),
    ),
    (
        "moved",
        _any(
            r"\buse ['\"`]?[a-z_.]+['\"`]? instead",
            r"has been (renamed|replaced)",
            r"is deprecated,? use",
        ),
    ),
    (
        "deprecated",
        _any(r"\bis deprecated\b", r"\bdeprecated for\b", r"no longer (supported|accepted)"),
    ),
    (
        "unknown_field",
        _any(
            r"extra inputs? (are|is) not permitted",
            r"extraneous key",
            r"unknown name",
            r"unrecognized (request )?argument",
            r"unknown (field|parameter)",
            r"cannot find field",
            r"unexpected (field|keyword|value)",
            r"is not permitted",
            r"extra_forbidden",
            r"unrecognized",
        ),
    ),
    (
        "invalid_value",
        _any(
            r"out of range",
            r"must be (between|greater|less|at least|at most)",
            r"should be (greater|less)",
            r"\bis invalid\b",
            r"invalid value",
            r"not a valid (version|value)",
            r"supported values are",
            r"invalid .{0,30}value",
            r"invalid (top_logprobs|logprobs)",
            r"(below|above) (the )?(minimum|maximum) value",
            r"type mismatch",
            r"must be set to",
            r"must be ['\"`][\w.\-]+['\"`]",
            r"\bnot of type\b",
            r"must be (a |an )?(string|array|object|integer|number|boolean)\b",
        ),
    ),
    (
        "required",
        _any(
            r"header is required",
            r"is required\b",
            r"missing required",
            r"only enabled when",
            r"only (allowed|supported|valid|available) when",
        ),
    ),
    (
        "unsupported",
        _any(
            r"not supported",
            r"unsupported",
            r"does not support",
            r"doesn't support",
            r"is not available for",
            r"not allowed",
            # A local server that supports it only when started with a flag (vLLM, llama.cpp).
            r"requires (the )?--[a-z][\w-]+",
            r"is not enabled for (this )?models?\b",
            r"\bis unsupported\b",
        ),
    ),
)
_VALUE_REFUSED = (
    r"\s*[:=]?\s*-?\d+\s+(?:is (?:invalid|out of range|not (?:valid|supported))|must|should)"
)
"""What follows a name when the error refuses the number set for it ("Budget 0 is invalid")."""
_BUDGET_VALUE = lazy(r"\bbudget" + _VALUE_REFUSED, re.I)
_INSTEAD = lazy(r"\buse ['\"`]?([a-z][a-z_.]+)['\"`]? instead", re.I)


def _canonical_param(name: str) -> str | None:
    key = name.strip("'\"`[] ").lower()
    key = re.sub(r"^\*+\.", "", key)  # "***.effort": the parent path masked by a relay
    key = key.replace("generationconfig.", "").replace("generation_config.", "")
    if "/" in key or "[" in key or re.search(r"\.\d+(\.|$)", key):
        # A path into the body ("messages[0].role", "/messages/*/content"): its names.
        key = re.sub(r"\[[^\]]*\]", "", key)
        key = ".".join(s for s in re.split(r"[./]", key) if s and s != "*" and not s.isdigit())
    if key in _PARAMS:
        return _PARAMS[key]
    if key.startswith(("thinking", "reasoning")):
        return _PARAMS.get(key.split(".")[0], key)
    if re.fullmatch(r"[a-z][a-z0-9_]{1,40}", key) and key not in _NOT_PARAMS:
        return key
    head = key.split(".")[0]
    if "." in key and head in _PARAMS and head not in ("thinking",):
        return _PARAMS[head]  # "response_format.type": the parameter it belongs to
    if re.fullmatch(r"(messages|contents|input)(\.[a-z][a-z0-9_]{0,40}){1,4}", key):
        return key  # a field of the messages: "messages.role", "messages.content"
    return None


_NOT_PARAMS = frozenset(
    {
        "model",
        "models",
        "messages",
        "prompt",
        "input",
        "contents",
        "none",
        "null",
        "body",
        "request",
        "api",
        "key",
        "the",
        "this",
        "a",
        "an",
        "error",
        "value",
        "values",
    }
)


def _param_facts(message: str, field: str | None) -> tuple[str | None, str | None, str | None]:
    issue = next((name for name, pattern in _ISSUES if pattern.search(message)), None)
    candidates: list[str] = []
    if field:
        candidates.append(field)
    if _BUDGET_VALUE.search(message):
        candidates.append("thinking_budget")  # "Budget 0 is invalid": the thinking budget
    candidates.extend(m.group(1) for m in _PYDANTIC_LOC.finditer(message))
    candidates.extend(m.group(1) for m in _PARAM_WORDS.finditer(message))
    candidates.extend(next(g for g in m.groups() if g) for m in _NAMED_FIELD.finditer(message))
    param = next((p for p in map(_canonical_param, candidates) if p), None)
    if param is None or issue is None:
        return param, None, None
    moved = _INSTEAD.search(message)
    replacement = _canonical_param(moved.group(1)) if moved else None
    return param, issue, replacement


# --- model ids --------------------------------------------------------------------------------

_MODEL_ID = r"[\w.\-:/@\[\]]{2,120}"
_MODEL_PATTERNS = (
    lazy(r"[Tt]he model:?\s*`([^`]{1,120})`"),
    lazy(r"\bmodels?\s*`([^`]{1,120})`", re.I),
    lazy(r"\bmodels/([\w.\-:]+) is not found"),
    lazy(r"Invalid model identifier \"([^\"]+)\""),
    lazy(r"\b(?:model|deployment)\s+['\"]([^'\"]{1,120})['\"]", re.I),
    lazy(r"\bmodel=['\"]?(" + _MODEL_ID + r")"),
    lazy(r"\bmodel:\s*(" + _MODEL_ID + r")"),
    lazy(r"Received Model Group=(" + _MODEL_ID + r")"),
    lazy(r"Tried to access (" + _MODEL_ID + r")"),
    lazy(r"No endpoints found for (" + _MODEL_ID + r")"),
    lazy(r"(" + _MODEL_ID + r") is not a valid model ID"),
    lazy(
        r"\b[Mm]odel (?:ID )?(" + _MODEL_ID + r") (?:does not exist|is not|not served|"
        r"with on-demand|not found|does not support)"
    ),
    lazy(r"requested model \((" + _MODEL_ID + r")\)"),
    lazy(r"specified model,? (" + _MODEL_ID + r")\."),
    lazy(r"/publishers/[\w-]+/models/([\w.\-:]+)"),
    lazy(r"模型 (" + _MODEL_ID + r") "),
    lazy(
        r"[`'\"]([^`'\"\s]{2,120})[`'\"] (?:has been|is|was) (?:fully |now )?"
        r"(?:deprecated|retired|decommissioned|removed|discontinued)"
    ),
)
_REPLACEMENT = lazy(
    r"(?:please use|use|switch to|upgrade to|migrate to|replaced by|recommended replacement"
    r"(?: is)?|try)\s+(?:the\s+)?(?:model\s+)?['\"`]?([a-z][\w.\-:/]{2,80}?)['\"`]?"
    r"(?: model)?(?: instead)?(?=[\s.,;)]|$)",
    re.I,
)


def _models(message: str) -> tuple[str, ...]:
    found: list[str] = []
    for pattern in _MODEL_PATTERNS:
        for match in pattern.finditer(message):
            model = match.group(1).strip().rstrip(".,;:")
            if 1 < len(model) <= 120 and model.lower() not in ("the", "this", "a", "is"):
                found.append(model)
    return tuple(dict.fromkeys(found))[:5]


# --- quotas and waits -------------------------------------------------------------------------

_LIMIT = lazy(
    r"\blimit(?:ed to)?:?\s*(\d[\d,]*)(?!\.\d)|max (?:rpm|tpm|rpd|requests?)[:\s]+(\d[\d,]*)|"
    r"rate limit (?:for [^.]{0,80} )?of (\d[\d,]*)|\"quotaValue\"\s*:\s*\"(\d+)\"",
    re.I,
)
_WINDOWS = (
    ("second", _any(r"per second", r"\brps\b", r"/\s*s(ec)?\b", r"PerSecond")),
    (
        "minute",
        _any(
            r"per[ -]minute",
            r"\brpm\b",
            r"\btpm\b",
            r"/\s*min",
            r"PerMinute",
            r"tokens per min",
            r"requests per min",
        ),
    ),
    ("hour", _any(r"per hour", r"PerHour", r"/\s*h(ou)?r\b")),
    (
        "day",
        _any(
            r"per[ -]day",
            r"\brpd\b",
            r"\btpd\b",
            r"PerDay",
            r"daily",
            r"/\s*day",
            r"free-models-per-day",
        ),
    ),
    (
        "month",
        _any(
            r"per month",
            r"/\s*month",
            r"monthly",
            r"PerMonth",
            r"next month",
            r"each month",
            r"calendar month",
        ),
    ),
    ("total", _any(r"total limit", r"lifetime")),
)
_QUOTA_ID = lazy(r"\"?quotaId\"?\s*[:=]\s*\"?([\w\-]+)")
_FREE_TIER = _any(r"free[_ -]?tier", r"FreeTier", r"trial key", r"free[_ -]models", r"free credits")
_WAIT = lazy(
    r"(?:retry|try again) (?:in|after)\s*([\d.]+)\s*(ms|milliseconds?|s|sec(?:onds?)?|"
    r"m(?:in(?:utes?)?)?)\b|\"retryDelay\"\s*:\s*\"([\d.]+)s\"",
    re.I,
)


def _wait(message: str, headers: Mapping[str, str]) -> float | None:
    for name in ("retry-after-ms", "retry-after"):
        header = headers.get(name)
        if header:
            try:
                seconds = float(header)
            except ValueError:
                continue
            return seconds / 1000 if name == "retry-after-ms" else seconds
    found = _WAIT.search(message)
    if found is None:
        return None
    if found.group(3):
        return float(found.group(3))
    amount = float(found.group(1))
    unit = str(found.group(2)).lower()
    if unit.startswith(("ms", "milli")):
        return amount / 1000
    if unit.startswith("m"):
        return amount * 60
    return amount


# --- keys, hosts, gateways --------------------------------------------------------------------

_FRAGMENT = lazy(
    r"(?:api key provided|invalid api key|incorrect api key|key)[:\s]+['\"]?"
    r"([A-Za-z0-9_.\-]{1,16}\*{2,}[A-Za-z0-9_\-]{0,8})",
    re.I,
)
_ECHOED_KEY = lazy(
    r"(?:api key provided|api key|key)[:\s]+['\"`]?("
    r"not-needed|lm-studio|ollama|empty|sk-no-key-required|no-key|dummy|none|null|undefined|"
    r"your[-_ ]?api[-_ ]?key[\w-]*|<[^>\s]{1,40}>|\$\{?[A-Z_]{2,40}\}?|sk-x{3,}|sk-\.\.\.)"
    r"(?=['\"`]?[\s.,;)]|$)",
    re.I,
)
LOCAL_DUMMY_KEYS = frozenset(
    {"not-needed", "lm-studio", "ollama", "empty", "sk-no-key-required", "no-key", "dummy"}
)
"""Keys that local servers' docs tell clients to send (any text works there)."""
_LOOSE_FRAGMENT = lazy(r"\b([A-Za-z0-9_.\-]{2,16}\*{3,}[A-Za-z0-9_\-]{2,8})\b")
_HOST = lazy(r"https?://([a-z0-9.\-]+\.[a-z]{2,})(?::\d+)?", re.I)
_GATEWAYS = (
    (
        "litellm",
        _any(
            r"\blitellm\b",
            r"\bmodel group\b",
            r"Received Model Group",
            r"Litellm_proxyException",
            r"key_model_access_denied",
            r"ExceededBudget",
            r"no_db_connection",
            r"x-litellm-",
            r"provider_specific_fields",
            r"Invalid model name passed in model=",
        ),
    ),
    (
        "oneapi",
        _any(
            r"one_api_error",
            r"new_api_error",
            r"\bv_api_error\b",
            r"\(request id: \d{20,}",
            r"当前分组",
            r"无可用渠道",
            r"relay error",
            r"preConsumeQuota",
            r"insufficient_user_quota",
        ),
    ),
    ("openrouter", _any(r"openrouter", r"Provider returned error")),
    ("portkey", _any(r"portkey")),
    ("cloudflare", _any(r"AiGatewayError", r"workers-ai", r"cloudflare")),
    ("vercel", _any(r"vercel", r"AI_APICallError", r"ai-gateway")),
    ("helicone", _any(r"helicone")),
    ("kong", _any(r"\bkong\b", r"ai-proxy")),
    ("fastchat", _any(r"fastchat", r"error_code:\s*5\d{4}", r"\"code\"\s*:\s*[45]\d{4}\b")),
    (
        "llamastack",
        _any(r"llama[_-]stack", r"not served by any of the providers", r"ModelNotFoundError"),
    ),
)


def _header_gateway(headers: Mapping[str, str]) -> str | None:
    names = [name.lower() for name in headers]
    return next(
        (gw for prefix, gw in GATEWAY_HEADERS if any(n.startswith(prefix) for n in names)), None
    )


_UPSTREAMS = {
    "openai": "openai",
    "azure": "azure",
    "azureopenai": "azure",
    "anthropic": "anthropic",
    "vertexai": "vertex",
    "vertex": "vertex",
    "gemini": "gemini",
    "google": "gemini",
    "bedrock": "bedrock",
    "groq": "groq",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "together_ai": "together",
    "togetherai": "together",
    "fireworks_ai": "fireworks",
    "fireworks": "fireworks",
    "perplexity": "perplexity",
    "xai": "xai",
    "ollama": "ollama",
    "openrouter": "openrouter",
    "hosted_vllm": "vllm",
    "nvidia": "nvidia",
    "cohere": "cohere",
}
_UPSTREAM = lazy(
    r"\b([A-Za-z_]+?)(?:Exception|Error) - |Error from provider \((\w+)\)|"
    r"['\"]provider_name['\"]\s*:\s*['\"](\w+)['\"]|Upstream error from (\w+)|"
    r"\b(\w+) Error when proxying request",
    re.I,
)


def _upstream(text: str) -> str | None:
    for match in _UPSTREAM.finditer(text):
        name = next(g for g in match.groups() if g).lower()
        if name in _UPSTREAMS:
            return _UPSTREAMS[name]
    return None


# --- what the error says ------------------------------------------------------------------

_FLAGS: dict[str, LazyPattern] = {
    "network_restriction": _any(
        r"virtual network",
        r"\bvnet\b",
        r"firewall",
        r"private endpoint",
        r"public (network )?access is disabled",
        r"ip (address )?(is )?not (authorized|allowed)",
        r"not in (the )?(ip )?allow.?list",
        r"ip restricted",
        r"access denied\W+your ip\b",
        r"traffic is not from",
    ),
    "access_program": _any(
        r"waitlist",
        r"limited (preview|access|beta)",
        r"request access",
        r"apply for access",
        r"early access",
        r"not yet available to",
        r"requires a subscription",
        r"upgrade for access",
    ),
    "terms": _any(
        r"accept (the )?(model'?s? )?(terms|agreement|license|eula)",
        r"model_terms_required",
        r"terms of (use|service) .{0,40}(accept|agree)",
        r"use case details",
    ),
    "billing": _any(
        r"billing",
        r"free tier .{0,40}(exhausted|used up|depleted)",
        r"\bcredits?\b",
        r"\bbalance\b",
        r"payment",
        r"prepa(y|id|yment)",
        r"insufficient_quota",
        r"exceeded your current quota",
        r"arrears",
        r"recharge",
        r"top[ -]up",
        r"purchase",
        r"insufficient funds",
        r"extra usage",
        r"spend(ing)? limit",
        r"usage limits?",
        r"plan and billing",
        r"good standing",
        r"resource package",
        r"余额",
        r"额度",
    ),
    "budget": _any(
        # Not a budget *value* the request set ("Budget 0 is invalid"): that is a parameter.
        r"(?<!thinking )(?<!thinking_)(?<!token )\bbudget\b(?!_tokens)(?!" + _VALUE_REFUSED + ")",
        r"spend(ing)? limit",
        r"max budget",
        r"usage limits?",
        r"key limit exceeded",
        r"quota is not enough",
        r"额度",
    ),
    "rate_limit": _any(
        r"rate.?limit",
        r"too many (requests|tokens)",
        r"\brpm\b",
        r"\btpm\b",
        r"requests? per (min|second|day|hour)",
        r"tokens? per (min|second|day|hour)",
        r"throttl",
        r"slow down",
        r"request limit reached",
        r"concurrency limit",
        r"limit exceeded",
        r"exceeded .{0,40}(call|token) rate",
    ),
    "context_overflow": _any(
        r"context (length|window|limit|size)",
        r"maximum context",
        r"prompt (is )?too long",
        r"exceed_context_size",
        r"maximum (prompt|input|sequence) length",
        r"exceeds? (the )?(available|maximum|max) (context|input|prompt)",
        r"input token count .{0,40}exceeds?",
        r"exceeds? the maximum number of tokens",
        r"input is too long",
        r"expected maxlength",
        r"contextwindowexceeded",
        r"context_length_exceeded",
        r"too many (input )?tokens? in (the )?(prompt|input)",
        r"reduce the length of the (messages|input|prompt)",
    ),
    "content_filter": _any(
        r"content (management|filtering|filter)\b",
        r"content_?policy",
        r"violated guardrail",
        r"guardrail_intervened",
        r"guardrail polic",
        r"prohibited_?content",
        r"blocked ?reason",
        r"responsibleaipolicyviolation",
        r"\bcontent_filter\b",
        r"flagged (as|by) .{0,30}(moderation|safety)",
        r"blocked by .{0,20}(safety|moderation|content)",
        r"blocked due to .{0,20}(safety|policy|moderation)",
        r"safety (policy|system|filter)",
        r"\b(image|text)_safety\b",
        r"\bfinish_?reason\W+safety\b",
        r"\b(content|input|output) (exists )?risk\b",
        r"moderation (block|flag)",
        # Documented refusals of other providers (OpenAI images, Qwen/DashScope, Zhipu,
        # Gemini finish reasons and harm categories).
        r"safety system",
        r"moderation_blocked",
        r"flagged by (the )?moderation",
        r"failed moderation",
        r"data_inspection_failed",
        r"inappropriate content",
        r"(unsafe|sensitive|harmful) content",
        r"不安全|敏感内容",
        r"\brecitation\b",
        r"\bblocklist\b",
        r"harm_?category",
        r"content_filter_results",
        r"output blocked",
        r"content (was )?blocked",
        r"blocked (the |this )?(prompt|content|response|output|input)",
        r"violat\w* .{0,30}\bpolic(y|ies)",
    ),
    "server_failure": _any(
        r"internal (server )?error",
        r"server (had an )?error",
        r"out of memory",
        r"\bcuda\b",
        r"cudamalloc",
        r"\boom\b",
        r"enginedead",
        r"engine ?core",
        r"runner process has terminated",
        r"insufficient system resources",
        r"unable to allocate",
        r"error loading model",
        r"failed to load",
        r"rpc error",
        r"failed to get response from provider",
        r"upstream (error|connect)",
        r"bad gateway",
        r"service unavailable",
        r"service is (currently |temporarily )?unavailable",
        r"temporarily unavailable",
        r"server-side",
        r"connection lost",
        r"worker",
        r"experienced an error",
        r"error (listing|while processing)",
        r"requires more system memory",
        r"unable to process (your|the|this) request",
        r"something went wrong",
        r"an? (unexpected|internal) error (has )?occurred",
        r"model (is )?(currently )?loading",
        r"model has crashed",
        r"no (healthy|available) (upstream|backend|replica|instance)s?",
        r"upstream (request )?time-?out",
        r"gateway time-?out",
    ),
    "overloaded": _any(
        r"overloaded",
        r"over capacity",
        r"out of capacity",
        r"no capacity available",
        r"capacity_exhausted",
        r"capacity exceeded",
        r"high (demand|traffic)",
        r"server is busy",
        r"too much traffic",
        r"\bbusy\b",
    ),
    "retired": _any(
        r"deprecat",
        r"decommission",
        r"shut ?down",
        r"end of (its )?life",
        r"no longer "
        r"(supported|available|served|offered)",
        r"\bretired?\b",
        r"has been (removed|sunset)",
        r"\bsunset\b",
        r"as legacy",
        r"is not available on \w+ cloud",
        r"non-serverless model",
    ),
    "model_missing": _any(
        r"\b(model|deployment)\b.{0,80}?(not found|does not exist|doesn'?t exist|not exist|"
        r"not being served|not served|is not a valid)",
        # A long quoted id or resource path between the word and the verdict (Vertex's
        # "Publisher Model `projects/.../models/x` was not found", "... is not servable").
        r"\b(model|deployment)\s+(`[^`]{1,300}`|'[^']{1,300}'|\"[^\"]{1,300}\"|\S{1,300})\s+"
        r"(was |is )?(not found|does not exist|not servable)",
        r"not servable in (the )?(region|location)",
        r"\b(model|deployment)\b.{0,30}?\binvalid\b",
        r"no endpoints found for\b",
        r"unknown model",
        r"invalid model",
        r"model not exist",
        r"模型不存在",
        r"model identifier is invalid",
        r"not a valid model",
        r"no such model",
        r"not found for api version",
        r"无可用渠道",
        r"no available channel",
        r"unable to access model",
        r"invalid value for 'model'",
    ),
    "wrong_endpoint": _any(
        r"not a chat model",
        r"not supported in the v1/chat/completions",
        r"only supported in v1/responses",
        r"operation does not work with",
        r"not supported for (generatecontent|embedcontent|predict|streamgeneratecontent)",
        r"embedding models? do(es)?(n't| not) support chat",
        r"is not supported in the \w+ api",
        r"does not support (the )?(chat|completions?|"
        r"converse|embeddings?|embed|responses|generate)\b",
        r"use the (responses|completions|embeddings|chat|messages) (api|endpoint)",
        r"\b(generate|chat|completions?|embeddings?|responses) (api|endpoint) is not supported "
        r"for (this |the )?model",
        r"doesn't support the converse operation",
        r"is a chat model and not supported in the v1/completions",
        r"did you mean to use v1/(chat/)?completions",
        r"not allowed to generate embeddings from this model",
        # OpenAI answers a model of another kind on its audio endpoints with "Invalid URL"
        # for the (existing) endpoint itself.
        r"invalid url \(post /v1/audio/(speech|transcriptions|translations)\)",
    ),
    "auth_missing": _any(
        r"didn'?t provide an api key",
        r"no api key (provided|supplied|passed)",
        r"missing (api )?key",
        r"no (cookie )?auth(entication)? credentials",
        r"missing authentication",
        r"did not pass an authentication token",
        r"x-api-key header is required",
        r"api key is required",
        r"authorization header (is )?(required|missing)",
        r"no credentials",
        r"authentication fails \(governor\)",
        r"auth header format",
        r"no api key passed",
        r"api_key client option must be set",
        r"must provide an api key",
        r"缺少.{0,6}(api ?)?(密钥|key)",
        # "Missing Anthropic API Key - ... no key is set" (LiteLLM, SDKs naming the provider)
        r"missing (\w+ )?api[ _-]?key\b",
        r"no (api )?key (is |was )?(set|found|configured)\b",
    ),
    "auth_invalid": _any(
        r"incorrect api key",
        r"invalid api ?key",
        r"invalid x-api-key",
        r"api key not valid",
        r"invalid authentication",
        r"authentication (error|failed)",
        r"invalid (bearer )?token",
        r"invalid (api[ _-]?|access |auth(entication)? |user )(token|key)\b",
        r"api[ _-]?key (provided |supplied |you provided )?(is )?"
        r"(invalid|incorrect|not valid|revoked)",
        r"security token included in the request is invalid",
        r"invalid subscription key",
        r"api key not found",
        r"invalid_api_key",
        r"unauthenticated",
        r"reported as leaked",
        r"invalid credentials",
    ),
    "auth_expired": _any(
        r"api key expired",
        r"token (has |is )?expired",
        r"token included in the request is expired",
        r"key .{0,20}has expired",
    ),
    "credential_kind": _any(
        r"oauth (authentication|token)s? (is |are )?(currently )?not supported",
        r"personal access tokens are not supported",
        r"only authorized for use with claude code",
        r"credential is only authorized",
    ),
    "api_key_refused": _any(r"api keys are not supported", r"expected oauth2? access token"),
    "permission": _any(
        r"not authorized to perform",
        r"permission .{0,60}denied",
        r"missing scopes?",
        r"insufficient permissions",
        r"must have .{0,20}permissions?",
        r"scope requirement",
        r"not authorized for this route",
        r"insufficient authentication scopes",
        r"requests to this api .{0,160} are blocked",
        r"api_key_service_blocked",
        r"\bpermissiondenied\b",
        r"principal does not have",
        r"lacks? (the )?(required )?(permission|data ?action)",
        r"caller does not have permission",
        r"insufficient[_ ]scope",
        r"(do|does)(n't| not) have (the )?(required |sufficient |enough )?permissions?\b",
        r"not allowed to (perform|call|use this (api|endpoint|operation))",
        r"requires (the )?\S+ (scope|permission|role)\b",
    ),
    "region": _any(
        r"country,? region,? or territory",
        r"location is not supported",
        r"not available in your (country|region)",
        r"unsupported_country",
        r"request not allowed",
    ),
    "api_disabled": _any(
        r"api has not been used in project",
        r"\bservice_disabled\b",
        r"it is disabled\. enable",
    ),
    "inference_profile": _any(r"on-demand throughput", r"inference profile"),
    "access_not_enabled": _any(
        r"don't have access to the model with the specified model id",
        r"aws marketplace (actions|subscription)",
        r"not allowed to use publisher model",
        r"enable access to this model",
        r"model access is denied",
        r"model_terms_required",
        r"not found for account",
        r"requires .{0,40}\bto be enabled\b",
        r"must (first )?be enabled\b",
        # Access requested and granted per account (Hugging Face gated repos, model pages).
        r"ask for access",
        r"gated (repo|model)",
        r"not in the authorized list",
        r"access to (this )?model \S* ?is restricted",
        r"not subscribed to",
        r"(model|access)\b.{0,30}\bnot (been )?(enabled|activated)\b",
    ),
    "model_allowlist": _any(
        r"not allowed to access model",
        r"no allowed providers",
        r"can only access models",
        r"not allowed to use model",
        r"data policy",
        r"does not have access to (the )?model",
        r"cannot use own model",
        r"model training violation",
        r"only deployed for other teams",
        r"token not allowed to access",
        r"invalid model for team",
        r"无权使用",
    ),
    "not_installed": _any(
        r"try pulling it first",
        r"no models? (is |are )?loaded",
        r"model is not loaded",
        r"not downloaded",
        r"pull the model",
    ),
    "deployment_missing": _any(
        r"api deployment for this resource does not exist",
        r"deploymentnotfound",
    ),
    "api_version": _any(
        r"api[- ]version (is )?not supported",
        r"unsupported api[- ]version",
        r"only for api versions",
        r"api-version (query parameter )?(is )?(missing|required|invalid)",
    ),
    "organization": _any(
        r"openai-organization header",
        r"no such organization",
        r"mismatched.organization",
        r"member of an organization",
    ),
    "header_invalid": _any(
        r"illegal header value",
        r"invalid header value",
        r"invalid (leading|trailing) whitespace",
        r"unexpected char 0x[0-9a-f]{2} at \d+ in \S+ value",
        r"invalid characters? in (the )?(\S+ )?header",
        r"header value .{0,30}(contains|must not contain) .{0,20}(newline|whitespace|invalid)",
    ),
    "html_not_json": _any(
        r"invalid character '<' looking for beginning of value",
        r"unexpected token '?<'?,? .{0,30}(json|doctype)",
        r"<!doctype .{0,40}is not valid json",
        r"unexpected token < in json",
        r"expected json.{0,40}(got|received) (text/)?html",
    ),
    "verification": _any(r"organization must be verified", r"verify (your )?organization"),
    "account_disabled": _any(
        r"deactivated",
        r"account (has been |is )?(disabled|suspended|banned)",
        r"(organization|account) has been (restricted|banned|suspended)",
        r"consumer_suspended",
        r"organization has been disabled",
    ),
}


_EITHER_NOT_FOUND = lazy(r"not found for api version .{0,30}, or is not supported", re.I)


def extract(
    *,
    message: str,
    code: str | None = None,
    etype: str | None = None,
    param: str | None = None,
    text: str = "",
    headers: Mapping[str, str] | None = None,
) -> Signals:
    """The signals in one error: ``message`` (with any inner message), its code/type/param,
    ``text`` (the surrounding answer or pasted text) and the answer's headers."""
    # Terminals and log viewers wrap long messages ("has been\ndisabled"): one space each.
    message = re.sub(r"\s+", " ", message[:MAX_SCAN])
    core = f"{message} {code or ''} {etype or ''}"
    context = f"{core} {text[:MAX_SCAN]}"
    headers = headers or {}
    if not message.strip():
        core = f"{text[:MAX_SCAN]} {core}"  # no error field: the answer's words are the error
    # What the error says is read from the error itself; who wrapped it, from around it too.
    flags = {name: pattern.search(core) is not None for name, pattern in _FLAGS.items()}
    if _EITHER_NOT_FOUND.search(core):
        # Google's "is not found for API version v1beta, or is not supported for
        # generateContent": one message for both, so it proves neither.
        flags["wrong_endpoint"] = False
        flags["model_missing"] = True
    named, issue, replacement = _param_facts(message, param)
    if issue == "deprecated" and not _models(message):
        # "temperature is deprecated for this model": the parameter is retired, not the model.
        flags["retired"] = False
    limit = _LIMIT.search(message)
    limit_value = (
        next((int(g.replace(",", "")) for g in limit.groups() if g), None) if limit else None
    )
    window = next((name for name, pattern in _WINDOWS if pattern.search(core)), None)
    quota_id = _QUOTA_ID.search(context)
    fragment = _FRAGMENT.search(message) or _LOOSE_FRAGMENT.search(message)
    echoed = _ECHOED_KEY.search(message)
    shape = shape_of_fragment(fragment.group(1)) if fragment else None
    gateway = next((name for name, pattern in _GATEWAYS if pattern.search(context)), None)
    gateway = gateway or _header_gateway(headers)
    replacement_model = _REPLACEMENT.search(message) if flags["retired"] else None
    server_code = bool(re.search(r"\b(?:error_code|\"code\")[\"':\s]+5\d{4}\b", context))
    if code and re.fullmatch(r"5\d{4}", code):
        server_code = True
    return Signals(
        param=named,
        param_issue=issue,
        param_replacement=replacement,
        models=_models(message),
        replacement_model=replacement_model.group(1) if replacement_model else None,
        quota_limit=limit_value,
        quota_window=window,
        quota_id=quota_id.group(1) if quota_id else None,
        free_tier=_FREE_TIER.search(core) is not None,
        retry_after_s=_wait(context, headers),
        key_fragment=fragment.group(1) if fragment else None,
        key_fragment_provider=shape.provider if shape else None,
        key_fragment_length=len(fragment.group(1)) if fragment else None,
        echoed_key=echoed.group(1) if echoed else None,
        hosts=tuple(dict.fromkeys(h.lower() for h in _HOST.findall(context)))[:5],
        gateway=gateway,
        upstream=_upstream(context),
        server_code=server_code,
        **flags,
    )
