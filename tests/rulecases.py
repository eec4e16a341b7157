"""The case table: (fixture or synthetic case, probe context) -> the exact ranked cause ids.

Asserting the exact ranking makes every ranking change deliberate. Three kinds of rows:
- every train-split fixture, in the context `check` would see it in (its own provider, that
  provider's API root, a key of the provider's shape, the seed list): CONTEXT_CASES, with the
  rankings kept in tests/golden/rule_rankings.json (regenerate: tests/regen_goldens.py, and
  read the diff);
- the same fixtures in another context (a key, a list, a base URL): VARIANTS;
- "case:" rows, synthetic contexts (network failures, local key checks, the probe's own
  observations) that carry no provider body, or a body named beside the row: SYNTHETIC.
Test-split fixtures are never in this table: the benchmark measures them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fixturesplit import split_of
from modelcheck.diagnosis.engine import context_for, diagnose
from modelcheck.diagnosis.knowledge import AS_OF
from modelcheck.diagnosis.predicates import Context
from modelcheck.diagnosis.results import Diagnosis
from modelcheck.dialects import dialect_for
from modelcheck.errorbody import parse_text
from modelcheck.evidence import ModelEvidence, NetworkFailure, Probe, RunEvidence
from modelcheck.keycheck import inspect_key
from modelcheck.providers import PROVIDERS
from modelcheck.simulator import GPT4_DOES_NOT_EXIST

from conftest import FIXTURES, load_fixture

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
    earlier: tuple[int | None, ...] = ()
    today: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    key_required: bool | None = None
    """Overrides the provider row (Bedrock needs a key when nothing else signs)."""
    """Response headers (lower-case names) the provider's dialect reads, e.g. x-amzn-errortype."""

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
    prov = PROVIDERS.get(case.provider, PROVIDERS["compatible"])
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
        custom_base_url=custom,
        key_required=case.key_required,
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
        if case.id.startswith("case:") and prov.dialect != "openai":
            # A synthetic answer in the provider's own envelope, read as `check` reads it.
            parsed = dialect_for(prov.dialect).parse_error(
                body.encode(), "application/json", dict(case.headers)
            )
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
    if case.earlier:
        probe = replace(probe, earlier=case.earlier)
    today = case.today
    if today is None and not case.id.startswith("case:"):
        today = load_fixture(case.id).get("source_date")
    return context_for(ev, probe, me, today=today or AS_OF), "probe"


def run_case(case: Case) -> tuple[Diagnosis, ...]:
    """Diagnose one case through the same engine `check` uses."""
    ctx, stage = context_and_stage(case)
    return diagnose(ctx, stage=stage, fallback=stage == "probe")


def _c(case_id: str, *expected: str, **kw: Any) -> Case:
    return Case(case_id, tuple(expected), **kw)


BEDROCK_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def _availability(**changed: Any) -> str:
    """A GetFoundationModelAvailability answer: all available but the fields given."""
    fields: dict[str, Any] = {
        "agreementAvailability": {"status": "AVAILABLE", "errorMessage": None},
        "authorizationStatus": "AUTHORIZED",
        "entitlementAvailability": "AVAILABLE",
        "modelId": BEDROCK_MODEL,
        "regionAvailability": "AVAILABLE",
    }
    return json.dumps(fields | changed)


COMPAT = {"provider": "compatible", "base_url": LOCAL_URL}
GOLDEN = Path(__file__).parent / "golden" / "rule_rankings.json"


def provider_context(provider: str) -> dict[str, Any]:
    """The context `check` would probe a provider's answer in: its API root and a key of its
    shape (so that no foreign-key rule fires by accident)."""
    from modelcheck.keyshapes import KEY_SHAPES

    prov = PROVIDERS.get(provider)
    base_url = prov.default_base_url if prov and prov.default_base_url else LOCAL_URL
    shape = next((s for s in KEY_SHAPES if s.provider == provider and s.marker is None), None)
    key = GOOD_KEY if provider == "openai" else (shape.prefix if shape else "test-") + "k" * 40
    return {"provider": provider, "base_url": base_url, "key": key}


def train_fixtures() -> list[str]:
    """The ids of the train-split fixtures (the test split is left to the benchmark)."""
    return sorted(p.stem for p in FIXTURES.glob("*.json") if split_of(p.name) == "train")


def _context_cases() -> tuple[Case, ...]:
    expected: dict[str, list[str]] = (
        json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.is_file() else {}
    )
    cases = []
    for fixture_id in train_fixtures():
        provider = load_fixture(fixture_id)["provider"]
        if provider == "network":
            continue  # a client-side exception text: explain's table covers it
        ranking = tuple(expected.get(fixture_id, ("(not in the golden file)",)))
        cases.append(Case(fixture_id, ranking, **provider_context(provider)))
    return tuple(cases)


# FastChat's answer when a worker fails (fastchat/constants.py ErrorCode.CUDA_OUT_OF_MEMORY =
# 50002, SERVER_ERROR_MSG; openai_api_server.py create_error_response sends every error as
# HTTP 400 with an ErrorResponse {"object":"error","message","code"}). Reconstructed from the
# server's source, without the exception text a real OOM appends in parentheses.
FASTCHAT_50002 = (
    '{"object":"error","message":"**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR '
    'REFRESH THIS PAGE.**","code":50002}'
)
# LiteLLM proxy 1.108.7's answer when a model group's upstream key is rejected, measured on
# 127.0.0.1 (../shared/research/realservers.md, section 1).
LITELLM_UPSTREAM_401 = (
    '{"error":{"message":"litellm.AuthenticationError: AuthenticationError: '
    "OpenAIException - Error code: 401\n\nLiteLLM: model group 'prism-401' failed with "
    'the error above. No fallback was attempted.","type":"authentication_error",'
    '"param":null,"code":"401"}}'
)
# OpenAI's 404 for an id the key cannot use (simulator.MODEL_NOT_FOUND_TEMPLATE's source:
# davidmigloz/langchain_dart retry.dart @1e1193cf).
OPENAI_404 = (
    '{"error":{"message":"The model `{model}` does not exist or you do not have access to it.",'
    '"type":"invalid_request_error","param":null,"code":"model_not_found"}}'
)

SYNTHETIC: tuple[Case, ...] = (
    _c("case:key_missing", "missing_api_key", key=None),
    _c("case:key_placeholder", "missing_api_key", key="<your key here>"),
    _c("case:key_quoted", "invalid_api_key", key='"sk-proj-abcdefghijT3BlbkFJklmnop"'),
    _c("case:key_whitespace", "invalid_api_key", key="sk-proj-abcdefghij T3BlbkFJklmnop"),
    _c("case:key_empty_file", "missing_api_key", key="", key_file_empty=True),
    _c("case:key_empty_file", key="", key_file_empty=True, provider="ollama", base_url=LOCAL_URL),
    _c("case:key_missing", key=None, provider="vllm", base_url=LOCAL_URL),
    # A bare "Unauthorized." in a typed envelope (llmock's forced 401, Anthropic-shaped): the
    # server read a key and judged it, so not "the key did not reach a self-hosted server".
    _c(
        "case:typed_bare_unauthorized",
        "invalid_api_key",
        provider="anthropic",
        base_url=LOCAL_URL,
        key="sk-ant-api03-" + "a" * 40,
        status=401,
        body='{"type":"error","error":{"type":"authentication_error","message":"Unauthorized."}}',
    ),
    _c(
        "case:typed_bare_unauthorized",
        "missing_api_key",
        "invalid_api_key",
        **COMPAT,
        status=401,
        body='{"error":"Unauthorized"}',
    ),
    # Bedrock with no API key and no AWS credentials (with credentials, SigV4 signs: no finding).
    _c(
        "case:key_missing_bedrock",
        "missing_api_key",
        key=None,
        provider="bedrock",
        base_url=LOCAL_URL,
        key_required=True,
    ),
    _c("case:key_missing_bedrock", key=None, provider="bedrock", base_url=LOCAL_URL),
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
    # A subscription OAuth token and admin keys at the provider's own API: never sent.
    _c(
        "case:key_subscription_token",
        "invalid_api_key",
        key="sk-ant-oat01-" + "a" * 60,
        provider="anthropic",
        base_url="https://api.anthropic.com/v1",
    ),
    _c(
        "case:key_admin",
        "insufficient_permissions",
        key="sk-ant-admin01-" + "a" * 60,
        provider="anthropic",
        base_url="https://api.anthropic.com/v1",
    ),
    _c(
        "case:key_admin",
        "insufficient_permissions",
        key="sk-admin-" + "a" * 20 + "T3BlbkFJ" + "b" * 20,
    ),
    # Behind a gateway any key shape may be right: named in a warning, sent, no finding.
    _c("case:key_other_provider", key="sk-ant-api03-" + "a" * 40, base_url=LOCAL_URL),
    _c(
        "case:key_other_provider",
        key="gsk_" + "a" * 40,
        provider="groq",
        base_url="https://api.groq.com/openai/v1",
    ),
    # The same foreign key, sent to a gateway that then refused it.
    _c(
        "case:foreign_key_sent_behind_gateway",
        "wrong_provider_key",
        "invalid_api_key",
        key="sk-ant-api03-" + "a" * 40,
        base_url=LOCAL_URL,
        status=401,
        body='{"error":{"message":"Incorrect API key provided","type":"invalid_request_error",'
        '"param":null,"code":"invalid_api_key"}}',
    ),
    _c(
        "case:relay_key_at_openai",
        "wrong_provider_key",
        "invalid_api_key",
        key="sk-PMafPq3vYw9Lk2Xc7Zt1Rm8Hn4Bd6Gf0Js5E873",
        status=401,
        body='{"error":{"message":"Incorrect API key provided","type":"invalid_request_error",'
        '"param":null,"code":"invalid_api_key"}}',
    ),
    _c(
        "case:gateway_upstream_auth",
        "invalid_api_key",
        status=401,
        model="prism-401",
        body=LITELLM_UPSTREAM_401,
        provider="litellm",
        base_url=LOCAL_URL,
    ),
    _c(
        "case:org_header_sent_401",
        "organization_invalid",
        "invalid_api_key",
        status=401,
        organization="org-x",
        body_kind="empty",
    ),
    _c(
        "case:project_header_sent_401",
        "project_invalid",
        "invalid_api_key",
        status=401,
        project="proj_x",
        body_kind="empty",
    ),
    _c("case:net_dns", "network_dns", network=("dns", "[Errno -2] Name or service not known")),
    _c(
        "case:net_connect", "network_connect", network=("connect", "[Errno 111] Connection refused")
    ),
    _c("case:net_reset", "network_connect", network=("reset", "Connection reset by peer")),
    _c("case:net_tls", "network_tls", network=("tls", "[SSL: CERTIFICATE_VERIFY_FAILED]")),
    _c("case:net_timeout", "network_timeout", network=("timeout", "ReadTimeout")),
    _c("case:net_proxy", "proxy_error", network=("proxy", "407 Proxy Authentication Required")),
    # A 429, then the retry's connection dropped: the server was shedding load.
    _c(
        "case:rate_limited_then_reset",
        "rate_limited",
        "network_connect",
        network=("reset", "Connection reset by peer"),
        earlier=(429,),
    ),
    _c("case:rate_limited_without_wait", "rate_limited", status=429, body_kind="empty"),
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
    _c("case:fastchat_50002_as_400", "server_error", status=400, body=FASTCHAT_50002, **COMPAT),
    # The seed case and its neighbours, with the key's own list (July 2023 for GPT-4).
    _c(
        "case:unlisted_tier_model",
        "model_tier_gated",
        "organization_verification_required",
        "model_not_found",
        status=404,
        model="o3",
        body=OPENAI_404.replace("{model}", "o3"),
        today="2025-06-01",
    ),
    # The seed case (enricoros/big-AGI#16, July 2023), in the context `check` saw it in.
    _c(
        "case:seed_gpt4_july_2023",
        "model_requires_payment",
        "model_tier_gated",
        "model_not_found",
        status=404,
        model="gpt-4",
        body=GPT4_DOES_NOT_EXIST,
        today="2023-07-15",
    ),
    # A model with no free tier (limit: 0): the quota line as gemini-cli#22486 quotes it
    # (native-providers.md 3.5; partial: the line only), in Google's envelope.
    _c(
        "case:gemini_limit_zero",
        "model_requires_payment",
        "insufficient_quota",
        "rate_limited",
        status=429,
        model="gemini-3.1-pro",
        provider="gemini",
        base_url="https://generativelanguage.googleapis.com/v1beta/openai",
        key="AIza" + "k" * 35,
        body='{"error":{"code":429,"message":"* Quota exceeded for metric: '
        "generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, "
        'model: gemini-3.1-pro","status":"RESOURCE_EXHAUSTED"}}',
    ),
    _c(
        "case:unlisted_verification_model",
        "organization_verification_required",
        "model_tier_gated",
        "model_not_found",
        status=404,
        model="o4-mini",
        body=OPENAI_404.replace("{model}", "o4-mini"),
        today="2025-06-01",
    ),
    _c(
        "case:typo_with_close_ids",
        "model_not_found",
        status=404,
        model="gtp-4o-mini",
        body=OPENAI_404.replace("{model}", "gtp-4o-mini"),
    ),
    _c(
        "case:listed_model_404",
        "model_not_found",
        status=404,
        model="gpt-4o-mini",
        body=OPENAI_404.replace("{model}", "gpt-4o-mini"),
        listed=("gpt-4o-mini",),
    ),
    _c(
        "case:embedding_model_on_chat",
        "wrong_endpoint_for_model",
        "model_not_found",
        status=404,
        model="text-embedding-3-small",
        body=OPENAI_404.replace("{model}", "text-embedding-3-small"),
        listed=("text-embedding-3-small", "gpt-4o-mini"),
    ),
    # Bedrock's GetFoundationModelAvailability (a 200; the shape of the API reference, N38 in
    # native-providers.md), read by the Bedrock dialect as a refusal of its negative fields.
    *(
        _c(
            case_id,
            *expected,
            status=200,
            endpoint="free_check",
            model=BEDROCK_MODEL,
            listed=(BEDROCK_MODEL,),
            body=_availability(**fields),
            **provider_context("bedrock"),
        )
        for case_id, expected, fields in (
            (
                "case:bedrock_availability_not_entitled",
                ("model_access_not_enabled",),
                {"entitlementAvailability": "NOT_AVAILABLE"},
            ),
            (
                "case:bedrock_availability_not_entitled",
                ("model_access_not_enabled",),
                {"agreementAvailability": {"status": "NOT_AVAILABLE", "errorMessage": None}},
            ),
            (
                "case:bedrock_availability_pending",
                ("model_access_not_enabled",),
                {"agreementAvailability": {"status": "PENDING", "errorMessage": None}},
            ),
            (
                "case:bedrock_availability_not_authorized",
                ("insufficient_permissions",),
                {"authorizationStatus": "NOT_AUTHORIZED"},
            ),
            (
                "case:bedrock_availability_region",
                ("model_not_found",),
                {"regionAvailability": "NOT_AVAILABLE"},
            ),
        )
    ),
)

VARIANTS: tuple[Case, ...] = (
    # A relay's key (no OpenAI marker) sent to api.openai.com.
    _c(
        "openai_popjane_proxy_key_sent_to_openai_incorrect_api_key",
        "wrong_provider_key",
        "invalid_api_key",
        key="sk-PMafPq3vYw9Lk2Xc7Zt1Rm8Hn4Bd6Gf0Js5E873",
    ),
    # Behind an unknown server whose retirements modelcheck cannot know, "not found" may also
    # be a retired id (a distant second).
    _c(
        "openai_langchain_dart_fake_model_not_found",
        "model_not_found",
        "model_deprecated",
        model="llama3",
        **COMPAT,
    ),
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
    _c("aimock_401_invalid_api_key", "missing_api_key", "invalid_api_key", key=None, **COMPAT),
)

CASES: tuple[Case, ...] = (*SYNTHETIC, *VARIANTS, *_context_cases())
