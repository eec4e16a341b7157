"""The simulator's native APIs: Anthropic, Gemini, Azure OpenAI (classic) and Bedrock.

Standard library only. Every error body is copied verbatim from the public source named
beside it (most via ../shared/research/native-providers.md and providers.md, which cite them);
where only a message is known, the envelope is the provider's documented one, and the comment
says so. Success bodies carry the fields the providers' API references name.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from modelcheck.simulator import Reply, Scenario

# --- Anthropic (native-providers.md 1.1, 1.3, 1.5; providers.md "Anthropic") ------------------


def anthropic_error(etype: str, message: str) -> str:
    """Anthropic's envelope (docs.claude.com/en/api/errors)."""
    body = {"type": "error", "error": {"type": etype, "message": message}}
    return json.dumps(body | {"request_id": "req_011CaSimulated000000000000"})


# n8n-io/n8n#37930: no key.
ANTHROPIC_NO_KEY = anthropic_error("authentication_error", "x-api-key header is required")
# anthropics/claude-quickstarts#193: a wrong or revoked key.
ANTHROPIC_BAD_KEY = anthropic_error("authentication_error", "invalid x-api-key")
# Pasta-Devs/Marinara-Engine#120: the version header missing.
ANTHROPIC_NO_VERSION = anthropic_error(
    "invalid_request_error", "anthropic-version: header is required"
)
# providers.md S17 (2025-01 .. 2026-09): no prepaid credit, as a 400.
ANTHROPIC_NO_CREDIT = anthropic_error(
    "invalid_request_error",
    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
    "upgrade or purchase credits.",
)
# native-providers.md 1.5 (N3): per-minute rate limit (message verbatim, cut where the source
# cuts it).
ANTHROPIC_RATE_LIMITED = anthropic_error(
    "rate_limit_error",
    "Number of request tokens has exceeded your per-minute rate limit "
    "(https://docs.anthropic.com/en/api/rate-limits)",
)
# Anthropic's 529 (anthropics/anthropic-sdk-typescript#616).
ANTHROPIC_OVERLOADED = anthropic_error("overloaded_error", "Overloaded")


def anthropic_not_found(model: str) -> str:
    """A retired or unknown model: "model: ID" (spring-projects/spring-ai#2387, N15)."""
    return anthropic_error("not_found_error", f"model: {model}")


# --- Gemini (native-providers.md 3.5) --------------------------------------------------------

# continuedev/continue#8516 (N29): a bad key is a 400.
GEMINI_BAD_KEY = json.dumps(
    {
        "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                },
                {
                    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                    "locale": "en-US",
                    "message": "API key not valid. Please pass a valid API key.",
                },
            ],
        }
    }
)
# PublicAffairs/openai-gemini#4 (N30).
GEMINI_LOCATION = json.dumps(
    {
        "error": {
            "code": 400,
            "message": "User location is not supported for the API use.",
            "status": "FAILED_PRECONDITION",
        }
    }
)
# google/generative-ai-docs#74 (N31): the message verbatim; details as the source lists them.
GEMINI_API_DISABLED = json.dumps(
    {
        "error": {
            "code": 403,
            "message": "Generative Language API has not been used in project 123456789012 "
            "before or it is disabled. Enable it by visiting https://console.developers.google"
            ".com/apis/api/generativelanguage.googleapis.com/overview?project=123456789012 then "
            "retry. If you enabled this API recently, wait a few minutes for the action to "
            "propagate to our systems and retry.",
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "SERVICE_DISABLED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "service": "generativelanguage.googleapis.com",
                        "consumer": "projects/123456789012",
                    },
                }
            ],
        }
    }
)


# google-gemini/gemini-cli#2020: a per-minute overrun, no details (verbatim).
GEMINI_EXHAUSTED = json.dumps(
    {
        "error": {
            "code": 429,
            "message": "Resource has been exhausted (e.g. check quota).",
            "status": "RESOURCE_EXHAUSTED",
        }
    }
)
# google-gemini/cookbook#425: the fields verbatim; the source prints the body as a Python
# dict, so this is its JSON form.
GEMINI_OVERLOADED = json.dumps(
    {
        "error": {
            "code": 503,
            "message": "The model is overloaded. Please try again later.",
            "status": "UNAVAILABLE",
        }
    }
)


def gemini_consumer_suspended(key: str) -> str:
    """continuedev/continue#10902: a suspended key, echoed in full in three places (the
    message, ErrorInfo metadata and LocalizedMessage; the source's inner Google body)."""
    message = f"Permission denied: Consumer 'api_key:{key}' has been suspended."
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "CONSUMER_SUSPENDED",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": "projects/895908428397",
                "service": "generativelanguage.googleapis.com",
                "containerInfo": f"api_key:{key}",
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
            "locale": "en-US",
            "message": message,
        },
    ]
    error = {"code": 403, "message": message, "status": "PERMISSION_DENIED", "details": details}
    return json.dumps({"error": error})


def gemini_not_found(model: str) -> str:
    """wwardaww/gnome-gemini-ai#22 (N32): an unknown or retired model."""
    message = (
        f"models/{model} is not found for API version v1beta, or is not supported for "
        "generateContent. Call ListModels to see the list of available models and their "
        "supported methods."
    )
    return json.dumps({"error": {"code": 404, "message": message, "status": "NOT_FOUND"}})


def gemini_limit_zero(model: str) -> str:
    """google-gemini/gemini-cli#22486 (N33): a model without a free tier (limit: 0); the
    QuotaFailure and RetryInfo details as the source's neighbour (stremio-ai-search#170)
    shows them."""
    message = (
        "You exceeded your current quota, please check your plan and billing details. For more "
        "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. "
        "To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded "
        "for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, "
        f"limit: 0, model: {model}\nPlease retry in 51.606482386s."
    )
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/"
                    "generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                    "quotaDimensions": {"location": "global", "model": model},
                    "quotaValue": "0",
                }
            ],
        },
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "51s"},
    ]
    error = {"code": 429, "message": message, "status": "RESOURCE_EXHAUSTED", "details": details}
    return json.dumps({"error": error})


# --- Azure OpenAI (providers.md "Azure OpenAI", S12; native-providers.md 2.4) ------------------


def azure_error(code: str, message: str) -> str:
    """Azure's envelope: ``code`` is a string, even for numbers."""
    return json.dumps({"error": {"code": code, "message": message}})


AZURE_BAD_KEY = azure_error(
    "401",
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
    "valid key for an active subscription and use a correct regional API endpoint for your "
    "resource.",
)
AZURE_DEPLOYMENT_NOT_FOUND = azure_error(
    "DeploymentNotFound",
    "The API deployment for this resource does not exist. If you created the deployment within "
    "the last 5 minutes, please wait a moment and try again.",
)
AZURE_RESOURCE_NOT_FOUND = azure_error("404", "Resource not found")
# hotovo/aider-desk#460 (N24).
AZURE_VERSION_NOT_SUPPORTED = azure_error("BadRequest", "API version not supported")


def azure_other_kind(operation: str, model: str) -> str:
    """microsoft/graphrag#1557 (N23): a deployment of another kind."""
    return azure_error(
        "OperationNotSupported",
        f"The {operation} operation does not work with the specified model, {model}. Please "
        "choose different model and try again. You can learn more about which models can be used "
        "with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.",
    )


# microsoft/action-python#12: a burst, with a short stated wait (the message verbatim, in
# Azure's documented envelope).
AZURE_RATE_LIMITED = azure_error(
    "429",
    "Requests to the Creates a completion for the chat message Operation under Azure OpenAI API "
    "version 2023-03-15-preview have exceeded call rate limit of your current OpenAI S0 pricing "
    "tier. Please retry after 3 seconds. Please go here: https://aka.ms/oai/quotaincrease if you "
    "would like to further increase the default rate limit.",
)
# microsoft/agent-framework#2525: the fields verbatim; the source prints the body as a Python
# dict (Azure's service errors take OpenAI's shape).
AZURE_SERVER_ERROR = json.dumps(
    {
        "error": {
            "message": "An error occurred while processing your request. You can retry your "
            "request, or contact us through an Azure support request at: "
            "https://go.microsoft.com/fwlink/?linkid=2213926 if the error persists. Please "
            "include the request ID 394a40f7-7222-4168-9fc5-b61bb7cd76f3 in your message.",
            "type": "server_error",
            "param": None,
            "code": "server_error",
        }
    }
)
# vanderschaarlab/climb#1 (N25): a quota, not a burst.
AZURE_QUOTA_DAY = azure_error(
    "429",
    "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
    "2024-08-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. "
    "Please retry after 86400 seconds. Please go here: https://aka.ms/oai/quotaincrease if you "
    "would like to further increase the default rate limit.",
)

# --- Bedrock (native-providers.md 4.1, N40) ---------------------------------------------------

BEDROCK_NO_ACCESS = "You don't have access to the model with the specified model ID."
BEDROCK_NEEDS_PROFILE = (
    "Invocation of model ID {model} with on-demand throughput isn\u2019t supported. Retry your "
    "request with the ID or ARN of an inference profile that contains this model."
)
BEDROCK_INVALID_ID = "The provided model identifier is invalid."
BEDROCK_BAD_KEY = "Invalid API Key format: Must start with pre-defined prefix"
BEDROCK_THROTTLED = "Too many requests, please wait before trying again."
# darko-mesaros/bedrust#47: ServiceUnavailableException's message (the source shows it after
# its own prefix).
BEDROCK_UNAVAILABLE = "Bedrock is unable to process your request."


def bedrock_error(status: int, exception: str, message: str, capital: bool = False) -> Reply:
    """AWS's wire format: the exception in ``x-amzn-ErrorType``, the message in the body."""
    from modelcheck.simulator import Reply

    body = json.dumps({"Message" if capital else "message": message})
    headers = (
        ("x-amzn-ErrorType", f"{exception}:http://internal.amazon.com/coral/com.amazon.bedrock/"),
        ("x-amzn-RequestId", "9f3c1b7e-sim0-4000-8000-000000000000"),
    )
    return Reply(status, body, headers=headers)


# --- the router --------------------------------------------------------------------------------


def key_of(family: str, headers: Any) -> str | None:
    """The credential a request carried, in the family's header (or as Bearer)."""
    names = {"anthropic": "x-api-key", "gemini": "x-goog-api-key", "azure": "api-key"}
    auth = headers.get("Authorization", "")
    bearer = auth[7:] if auth.startswith("Bearer ") else None
    if family == "openai":
        # The OpenAI-style server also reads the other families' headers, so that a test
        # server (the key-echoing one) sees whatever credential a client sent.
        return bearer or next((headers.get(n) for n in names.values() if headers.get(n)), None)
    if family in names and headers.get(names[family]):
        return str(headers.get(names[family]))
    if family == "bedrock" and auth.startswith("AWS4-HMAC-SHA256 Credential="):
        # SigV4 (modelcheck[aws]): the access key id and the scope stand for the key, e.g.
        # "sigv4:AKIA…/us-east-1/bedrock" (the signature itself is not verified).
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) == 5 and scope[4] == "aws4_request":
            return f"sigv4:{scope[0]}/{scope[2]}/{scope[3]}"
    return bearer


def route(
    sc: Scenario,
    method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    key: str | None,
    headers: Any,
) -> Reply:
    """The family's default behaviour (scripted routes were tried first)."""
    family = sc.family
    if family == "anthropic":
        return _anthropic(sc, method, path, body, key, headers)
    if family == "gemini":
        return _gemini(sc, method, path, key)
    if family == "azure":
        return _azure(sc, method, path, query, body, key)
    return _bedrock(sc, method, path, key)


def _ok(data: Any, content_type: str = "application/json") -> Reply:
    from modelcheck.simulator import Reply

    return Reply(200, json.dumps(data), content_type=content_type)


def _anthropic(
    sc: Scenario, method: str, path: str, body: Any, key: str | None, headers: Any
) -> Reply:
    from modelcheck.simulator import NGINX_404, Reply

    if not key:
        return Reply(401, ANTHROPIC_NO_KEY)
    if sc.key is not None and key != sc.key:
        return Reply(401, ANTHROPIC_BAD_KEY)
    if not headers.get("anthropic-version"):
        return Reply(400, ANTHROPIC_NO_VERSION)
    model = str(body.get("model")) if isinstance(body, dict) else ""
    if method == "GET" and path == "/v1/models":
        data = [
            {"type": "model", "id": m, "display_name": m, "created_at": "2025-05-14T00:00:00Z"}
            for m in sc.listed
        ]
        last = sc.listed[-1] if sc.listed else None
        return _ok(
            {"data": data, "has_more": False, "first_id": sc.listed[0] if sc.listed else None}
            | {"last_id": last}
        )
    if method == "GET" and path.startswith("/v1/models/"):
        wanted = unquote(path[len("/v1/models/") :])
        if wanted in sc.listed:
            return _ok({"type": "model", "id": wanted, "display_name": wanted})
        return Reply(404, anthropic_not_found(wanted))
    if method == "POST" and path in ("/v1/messages", "/v1/messages/count_tokens"):
        if model not in sc.listed:
            return Reply(404, anthropic_not_found(model))
        if path.endswith("count_tokens"):
            return _ok({"input_tokens": 8})
        message = {
            "id": "msg_sim",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": "Hi"}],
            "stop_reason": "max_tokens",
            "stop_sequence": None,
            "usage": {"input_tokens": 8, "output_tokens": 1},
        }
        return _ok(message)
    return Reply(404, NGINX_404, content_type="text/html")


_GEMINI_CALL = re.compile(r"^/v1beta/models/([^/:]+):(generateContent|countTokens|embedContent)$")


def _gemini(sc: Scenario, method: str, path: str, key: str | None) -> Reply:
    from modelcheck.simulator import NGINX_404, Reply

    if not key or (sc.key is not None and key != sc.key):
        return Reply(400, GEMINI_BAD_KEY)
    if method == "GET" and path == "/v1beta/models":
        models = [
            {
                "name": f"models/{m}",
                "displayName": m,
                "supportedGenerationMethods": (
                    ["embedContent"]
                    if sc.modes.get(m) == "embeddings"
                    else ["generateContent", "countTokens"]
                ),
            }
            for m in sc.listed
        ]
        return _ok({"models": models})
    if method == "GET" and path.startswith("/v1beta/models/"):
        wanted = unquote(path[len("/v1beta/models/") :])
        if wanted in sc.listed:
            return _ok(
                {"name": f"models/{wanted}", "supportedGenerationMethods": ["generateContent"]}
            )
        return Reply(404, gemini_not_found(wanted))
    call = _GEMINI_CALL.match(path)
    if method == "POST" and call:
        model, action = unquote(call.group(1)), call.group(2)
        if model not in sc.listed:
            return Reply(404, gemini_not_found(model))
        if action == "countTokens":
            return _ok({"totalTokens": 2})
        if action == "embedContent":
            return _ok({"embedding": {"values": [0.0123, -0.0456, 0.0789]}})
        if sc.modes.get(model) == "embeddings":
            return Reply(404, gemini_not_found(model))
        # A thinking model spends the 1-token budget: MAX_TOKENS and no text (N34).
        answer = {
            "candidates": [
                {"content": {"role": "model"}, "finishReason": "MAX_TOKENS", "index": 0}
            ],
            "usageMetadata": {"promptTokenCount": 2, "totalTokenCount": 3, "thoughtsTokenCount": 1},
            "modelVersion": model,
        }
        return _ok(answer)
    return Reply(404, NGINX_404, content_type="text/html")


_AZURE_CALL = re.compile(r"^/openai/deployments/([^/]+)/(.+)$")
_AZURE_OPERATIONS = {
    "chat/completions": ("chat", "chatCompletion"),
    "completions": ("completions", "completion"),
    "embeddings": ("embeddings", "embeddings"),
}


def _azure(
    sc: Scenario, method: str, path: str, query: dict[str, str], body: Any, key: str | None
) -> Reply:
    from modelcheck.simulator import Reply, chat_completion

    if not key or (sc.key is not None and key != sc.key):
        return Reply(401, AZURE_BAD_KEY)
    version = query.get("api-version")
    if method == "GET" and path == "/openai/deployments":
        if version != "2023-03-15-preview":
            return Reply(404, AZURE_RESOURCE_NOT_FOUND)
        data = [
            {
                "id": d,
                "model": sc.deployments.get(d, d),
                "object": "deployment",
                "status": "succeeded",
            }
            for d in sc.listed
        ]
        return _ok({"data": data, "object": "list"})
    call = _AZURE_CALL.match(path)
    if method == "POST" and call:
        deployment, operation = unquote(call.group(1)), call.group(2)
        if not version:
            return Reply(404, AZURE_RESOURCE_NOT_FOUND)
        if version not in sc.api_versions:
            return Reply(400, AZURE_VERSION_NOT_SUPPORTED)
        if deployment not in sc.listed:
            return Reply(404, AZURE_DEPLOYMENT_NOT_FOUND)
        model = sc.deployments.get(deployment, deployment)
        mode, name = _AZURE_OPERATIONS.get(operation, ("", operation))
        served = sc.modes.get(deployment, "chat")
        if served != mode:
            return Reply(400, azure_other_kind(name, model))
        if mode == "embeddings":
            vectors = [{"object": "embedding", "index": 0, "embedding": [0.0023, -0.0093]}]
            usage = {"prompt_tokens": 1, "total_tokens": 1}
            return _ok({"object": "list", "data": vectors, "usage": usage})
        return chat_completion(model)
    return Reply(404, AZURE_RESOURCE_NOT_FOUND)


_BEDROCK_CONVERSE = re.compile(r"^/model/([^/]+)/converse$")


def _bedrock(sc: Scenario, method: str, path: str, key: str | None) -> Reply:
    from modelcheck.simulator import NGINX_404, Reply

    if sc.key is not None and key != sc.key:
        return bedrock_error(403, "UnrecognizedClientException", BEDROCK_BAD_KEY, capital=True)
    if method == "GET" and path == "/foundation-models":
        summaries = [
            {
                "modelId": m,
                "modelName": m,
                "providerName": m.split(".")[0],
                "modelLifecycle": {"status": "ACTIVE"},
            }
            for m in sc.listed
        ]
        return _ok({"modelSummaries": summaries})
    if method == "GET" and path == "/inference-profiles":
        profiles = [
            {"inferenceProfileId": p, "inferenceProfileName": p, "type": "SYSTEM_DEFINED"}
            for p in sc.profiles
        ]
        return _ok({"inferenceProfileSummaries": profiles})
    if method == "GET" and path.startswith("/foundation-model-availability/"):
        model = unquote(path.rsplit("/", 1)[1])
        if model not in sc.listed:
            return bedrock_error(400, "ValidationException", BEDROCK_INVALID_ID)
        denied = model in sc.denied
        return _ok(
            {
                "modelId": model,
                "agreementAvailability": {"status": "AVAILABLE"},
                "authorizationStatus": "AUTHORIZED",
                "entitlementAvailability": "NOT_AVAILABLE" if denied else "AVAILABLE",
                "regionAvailability": "AVAILABLE",
            }
        )
    call = _BEDROCK_CONVERSE.match(path)
    if method == "POST" and call:
        model = unquote(call.group(1))
        base = next((m for m in sc.listed if model.endswith("." + m)), None)
        if model in sc.denied or (base is not None and base in sc.denied):
            return bedrock_error(403, "AccessDeniedException", BEDROCK_NO_ACCESS)
        if model in sc.profile_only:
            return bedrock_error(
                400, "ValidationException", BEDROCK_NEEDS_PROFILE.format(model=model)
            )
        if model not in sc.listed and model not in sc.profiles:
            return bedrock_error(400, "ValidationException", BEDROCK_INVALID_ID)
        answer = {
            "output": {"message": {"role": "assistant", "content": [{"text": "Hi"}]}},
            "stopReason": "max_tokens",
            "usage": {"inputTokens": 8, "outputTokens": 1, "totalTokens": 9},
            "metrics": {"latencyMs": 12},
        }
        return _ok(answer)
    return Reply(404, NGINX_404, content_type="text/html")
