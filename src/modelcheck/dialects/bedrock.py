"""Amazon Bedrock (native-providers.md, section 4.1).

Two planes of one region: the runtime ``https://bedrock-runtime.REGION.amazonaws.com`` (the
base URL) and the control plane ``https://bedrock.REGION.amazonaws.com`` (``--region``, then
``AWS_REGION``, then ``AWS_DEFAULT_REGION``); a ``--base-url`` serves both (a simulator).
Auth: a Bedrock API key from ``AWS_BEARER_TOKEN_BEDROCK`` as ``Authorization: Bearer`` (no
SDK); without one, SigV4 with the standard AWS credential chain, from the optional extra
``modelcheck[aws]`` (botocore, imported only then).

List (control plane): ``GET /foundation-models`` (``modelSummaries[].modelId``), then
``GET /inference-profiles`` (``inferenceProfileSummaries[].inferenceProfileId``, paged with
``nextToken``): the region's catalogue, not the account's access. The per-model check is
``GET /foundation-model-availability/{modelId}`` (free: authorization, entitlement,
agreement and region availability), also what ``--free`` sends. The smallest request
(runtime): ``POST /model/{id}/converse`` with one user message "Hi" and ``maxTokens: 1``.

Errors: the exception name in ``x-amzn-ErrorType`` (``AccessDeniedException:http://…``) and
``{"message": …}`` (or ``Message``): no model access or missing Marketplace permissions
(``model_access_not_enabled`` / ``insufficient_permissions``), an id that needs an inference
profile (``ValidationException`` "on-demand throughput isn't supported"; the report names the
profile prefix of the region), ``ThrottlingException`` (retried). No rate-limit headers.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from modelcheck import __version__
from modelcheck.bedrockids import foundation_id
from modelcheck.dialects.base import Answer, BaseDialect, Cost, Page, Request, int_field

if TYPE_CHECKING:
    import httpx

    from modelcheck.errorbody import ParsedBody
    from modelcheck.settings import Settings

PROMPT = "Hi"
_AVAILABLE = ("AVAILABLE", "AUTHORIZED")

COSTS: dict[str, Cost] = {
    "chat": Cost(True, "a 2-character message and at most 1 output token"),
}


def sigv4_available() -> bool:
    """botocore is installed and the AWS credential chain finds credentials."""
    import importlib.util

    if importlib.util.find_spec("botocore") is None:
        return False
    import botocore.session

    return botocore.session.Session().get_credentials() is not None


def _sigv4(region: str) -> httpx.Auth:
    import httpx

    class SigV4(httpx.Auth):
        """Signs each request with SigV4 (service "bedrock", both planes)."""

        requires_request_body = True

        def __init__(self) -> None:
            import botocore.session

            self.credentials = botocore.session.Session().get_credentials()

        def auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest

            signed = AWSRequest(
                method=request.method,
                url=str(request.url),
                data=request.content,
                headers={"content-type": request.headers.get("content-type", "application/json")},
            )
            SigV4Auth(self.credentials.get_frozen_credentials(), "bedrock", region).add_auth(signed)
            for name, value in signed.headers.items():
                request.headers[name] = value
            yield request

    return SigV4()


class BedrockDialect(BaseDialect):
    """Amazon Bedrock: the control plane for metadata, the runtime's Converse API for use."""

    name = "bedrock"
    modes: tuple[str, ...] = ("chat",)
    kept_headers: tuple[str, ...] = (
        *BaseDialect.kept_headers,
        "x-amzn-requestid",
        "x-amzn-errortype",
    )

    def headers(self, settings: Settings) -> dict[str, str]:
        """A Bedrock API key as Bearer (SigV4 signs in ``auth``)."""
        headers = {"User-Agent": f"modelcheck/{__version__}", "Accept": "application/json"}
        if settings.key:
            headers["Authorization"] = f"Bearer {settings.key}"
        return headers

    def auth(self, settings: Settings) -> httpx.Auth | None:
        """SigV4 when no Bedrock API key is set."""
        if settings.options.get("auth") == "sigv4":
            return _sigv4(settings.options.get("region", "us-east-1"))
        return None

    def _control(self, settings: Settings) -> str:
        return settings.options.get("control_url") or settings.base_url

    def list_models(self, settings: Settings) -> Request | None:
        """``GET /foundation-models`` on the control plane (inference profiles follow)."""
        return Request("models.list", "GET", "/foundation-models", base=self._control(settings))

    def parse_list(self, data: Any, sent: Request) -> Page:
        """Foundation model ids, then inference profile ids (``nextToken`` pages)."""
        if not isinstance(data, dict):
            return Page((), shape_ok=False)
        if sent.path == "/foundation-models":
            items = data.get("modelSummaries")
            if not isinstance(items, list):
                return Page((), shape_ok=False)
            ids = tuple(str(i["modelId"]) for i in items if isinstance(i, dict) and "modelId" in i)
            profiles = replace(sent, path="/inference-profiles", params=(("maxResults", "1000"),))
            return Page(ids, next=profiles)
        items = data.get("inferenceProfileSummaries")
        if not isinstance(items, list):
            return Page(())  # no profiles (or an older region): the models are the list
        ids = tuple(
            str(i["inferenceProfileId"])
            for i in items
            if isinstance(i, dict) and "inferenceProfileId" in i
        )
        token = data.get("nextToken")
        if isinstance(token, str) and token:
            params = (("maxResults", "1000"), ("nextToken", token))
            return Page(ids, next=replace(sent, params=params))
        return Page(ids)

    def _availability(self, model: str, settings: Settings, endpoint: str) -> Request:
        path = f"/foundation-model-availability/{quote(foundation_id(model), safe='')}"
        return Request(endpoint, "GET", path, base=self._control(settings))

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        """``GET /foundation-model-availability/{id}`` (the profile prefix dropped)."""
        return self._availability(model, settings, "models.retrieve")

    def parse_retrieve(self, data: Any, model: str) -> Answer:
        """Available when authorized, entitled, agreed and offered in the region."""
        return Answer(shape_ok=_availability_ok(data))

    def free_check(self, model: str, mode: str, settings: Settings) -> Request | None:
        """The availability check: free, per model."""
        return self._availability(model, settings, "free_check")

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        """``POST /model/{id}/converse`` with ``maxTokens: 1``."""
        if mode != "chat":
            return None
        body = {
            "messages": [{"role": "user", "content": [{"text": PROMPT}]}],
            "inferenceConfig": {"maxTokens": 1},
        }
        path = f"/model/{quote(model, safe='')}/converse"
        return Request("chat", "POST", path, json=body, spend=1)

    def parse_success(self, sent: Request, data: Any, raw: bytes, content_type: str) -> Answer:
        """A Converse answer (``output`` and ``usage``), or an availability."""
        if sent.endpoint == "free_check":
            return Answer(shape_ok=_availability_ok(data))
        if not isinstance(data, dict):
            return Answer(shape_ok=False)
        found = data.get("usage")
        usage: dict[str, Any] = found if isinstance(found, dict) else {}
        return Answer(
            shape_ok=isinstance(data.get("output"), dict),
            prompt_tokens=int_field(usage.get("inputTokens")),
            completion_tokens=int_field(usage.get("outputTokens")),
        )

    def parse_error(
        self, raw: bytes, content_type: str | None, headers: Mapping[str, str]
    ) -> ParsedBody:
        """AWS errors: the exception in ``x-amzn-ErrorType`` and ``{"message"}``; a negative
        availability (a 200) as an error of its fields."""
        from modelcheck.errorbody import parse_body
        from modelcheck.evidence import ErrorInfo

        parsed = parse_body(raw, content_type)
        kind = (headers.get("x-amzn-errortype") or "").split(":", 1)[0].strip()
        data = parsed.data
        if isinstance(data, dict) and "authorizationStatus" in data and not _availability_ok(data):
            refused = [
                f"{name}={value}"
                for name, value in _availability_fields(data).items()
                if value not in _AVAILABLE
            ]
            message = "GetFoundationModelAvailability: " + json.dumps(
                _availability_fields(data), separators=(", ", ": ")
            )
            code = refused[0] if refused else None
            return replace(parsed, error=ErrorInfo(code=code, message=message))
        if kind:
            said: Any = None
            if isinstance(data, dict):
                said = data.get("message") or data.get("Message")
            error = parsed.error or ErrorInfo()
            text = str(said) if said else error.message
            return replace(parsed, error=replace(error, code=kind, message=text))
        return parsed

    def cost(self, mode: str) -> Cost:
        """What one probe costs."""
        return COSTS.get(mode) or Cost(False, f"modelcheck sends no {mode} request to Bedrock")


def _availability_fields(data: Mapping[str, Any]) -> dict[str, str]:
    agreement = data.get("agreementAvailability")
    fields = {
        "authorizationStatus": data.get("authorizationStatus"),
        "entitlementAvailability": data.get("entitlementAvailability"),
        "regionAvailability": data.get("regionAvailability"),
        "agreementAvailability": agreement.get("status") if isinstance(agreement, dict) else None,
    }
    return {k: str(v) for k, v in fields.items() if v is not None}


def _availability_ok(data: Any) -> bool:
    if not isinstance(data, dict) or "authorizationStatus" not in data:
        return False
    return all(v in _AVAILABLE for v in _availability_fields(data).values())


BEDROCK = BedrockDialect()
