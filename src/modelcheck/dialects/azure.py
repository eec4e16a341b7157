"""Azure OpenAI, classic data plane (native-providers.md, section 2).

The base URL is the resource endpoint (``AZURE_OPENAI_ENDPOINT``: ``https://NAME.openai.azure.com``,
``…cognitiveservices.azure.com`` or ``…services.ai.azure.com``); the model ids on the command
line are **deployment names**. Every request carries ``api-version`` (``--api-version``, then
``OPENAI_API_VERSION``, then 2024-10-21, the latest GA). Auth: ``api-key: KEY``
(``AZURE_OPENAI_API_KEY``), or an Entra ID token from ``AZURE_OPENAI_AD_TOKEN`` as Bearer.

Paths: ``/openai/deployments/{deployment}/chat/completions`` (and ``/completions``,
``/embeddings``, ``/audio/speech``, ``/audio/transcriptions``, ``/images/generations``), with
OpenAI's bodies minus ``model``. The deployments list is ``GET /openai/deployments`` on
api-version 2023-03-15-preview, the only one that still answers it: best effort, and a 404
there says only that this resource does not list deployments for a key. There is no
per-deployment retrieve on the data plane and no free per-deployment check.

A base URL ending in ``/openai/v1`` selects Azure's v1 API instead: OpenAI's wire format
(dialects/openai.py) with the deployment as the model and no api-version.

Errors: ``{"error": {code, message}}``: 401 for a wrong key or endpoint, 404
``DeploymentNotFound`` (also for a deployment created minutes ago), 404 "Resource not found"
(a path or api-version problem), 400 ``OperationNotSupported`` (a deployment of another kind:
the answer names its model, and the probe switches once to that model's mode), 429 "retry
after N seconds" (a long N is a quota, not a burst: reported, not waited out).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from modelcheck.dialects.base import Page, Request
from modelcheck.dialects.openai import OpenAIDialect

if TYPE_CHECKING:
    from modelcheck.evidence import Probe
    from modelcheck.settings import Settings

LIST_API_VERSION = "2023-03-15-preview"
"""The only api-version on which the data plane still lists deployments (N21)."""
_PATHS = {
    "chat": "chat/completions",
    "completions": "completions",
    "embeddings": "embeddings",
    "audio.speech": "audio/speech",
    "audio.transcriptions": "audio/transcriptions",
    "images": "images/generations",
}
# "The chatCompletion operation does not work with the specified model, text-embedding-3-large."
_OTHER_KIND = re.compile(
    r"operation does not work with the specified model,\s*([\w.\-:]+?)\.?(?:\s|$)"
)


class AzureDialect(OpenAIDialect):
    """Azure OpenAI's classic deployments API."""

    name = "azure"
    modes: tuple[str, ...] = tuple(_PATHS)
    kept_headers: tuple[str, ...] = (*OpenAIDialect.kept_headers, "apim-request-id", "x-ms-region")

    def headers(self, settings: Settings) -> dict[str, str]:
        """``api-key`` (an Entra token as Bearer); no organization or project headers."""
        headers = super().headers(settings)
        headers.pop("OpenAI-Organization", None)
        headers.pop("OpenAI-Project", None)
        if settings.key and settings.options.get("auth") == "bearer":
            headers.pop("api-key", None)
            headers["Authorization"] = f"Bearer {settings.key}"
        return headers

    def _version(self, settings: Settings) -> tuple[tuple[str, str], ...]:
        return (("api-version", settings.options.get("api_version", "2024-10-21")),)

    def list_models(self, settings: Settings) -> Request | None:
        """``GET /openai/deployments?api-version=2023-03-15-preview`` (best effort)."""
        return Request(
            "models.list",
            "GET",
            "/openai/deployments",
            params=(("api-version", LIST_API_VERSION),),
        )

    def parse_list(self, data: Any, sent: Request) -> Page:
        """``data[].id``: deployment names."""
        page = super().parse_list(data, sent)
        return replace(page, next=None)

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        """No per-deployment retrieve on the data plane."""
        return None

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        """OpenAI's request on the deployment's path, without ``model``."""
        suffix = _PATHS.get(mode)
        base = super().minimal(model, mode, settings)
        if suffix is None or base is None:
            return None
        body = {k: v for k, v in (base.json or {}).items() if k != "model"}
        path = f"/openai/deployments/{quote(model, safe='')}/{suffix}"
        return replace(base, path=path, json=body, params=self._version(settings))

    def adapt(self, sent: Request, probe: Probe) -> Request | None:
        """As OpenAI's (``max_tokens`` refused: ``max_completion_tokens``)."""
        return super().adapt(sent, probe)

    def switch(self, sent: Request, probe: Probe) -> str | None:
        """``OperationNotSupported`` names the deployment's model: its mode, if known."""
        from modelcheck.diagnosis.knowledge import lookup

        error = probe.error
        if probe.status != 400 or error is None:
            return None
        found = _OTHER_KIND.search(error.message or "")
        if found is None:
            return None
        known = lookup(found.group(1), "azure") or lookup(found.group(1), "openai")
        return known.mode if known and known.mode in _PATHS else None


AZURE = AzureDialect()
