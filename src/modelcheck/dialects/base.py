"""The interface between the prober core and an API family (a "dialect").

The core (probe.py) owns concurrency, pacing, retries, budgets, timeouts, redirects (never
followed), bounded bodies and interruption. It knows no path, header or body shape: it asks a
dialect for each request and hands it each answer. One module per API family implements
``Dialect``; ``BaseDialect`` gives the defaults most families share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from modelcheck.names import MODE_CHOICES

if TYPE_CHECKING:
    import httpx

    from modelcheck.errorbody import ParsedBody
    from modelcheck.evidence import Probe
    from modelcheck.settings import Settings

MODES = MODE_CHOICES
"""The API modes a model may be served on (what ``MODEL@mode`` and ``--mode`` accept)."""


@dataclass(frozen=True)
class Request:
    """One request a dialect wants sent. The core adds the base URL, headers and budgets."""

    endpoint: str
    """"models.list", "models.retrieve", "key", "free_check", or the mode the request
    exercises."""
    method: str
    path: str
    """Relative to the base URL (or to ``base``), already quoted."""
    base: str | None = None
    """Another root for this request (Bedrock's control plane beside its runtime), derived by
    the dialect from the settings; None: the base URL."""
    params: tuple[tuple[str, str], ...] = ()
    """Query parameters (pagination cursors, api-version)."""
    json: Mapping[str, Any] | None = None
    files: tuple[tuple[str, tuple[str, bytes, str]], ...] = ()
    """Multipart file fields (an audio file for transcriptions); ``json`` then holds the form."""
    spend: int = 0
    """Output tokens the request may cost: reserved from the token budget before sending."""
    variant: str | None = None
    """Which form of the request this is ("max_completion_tokens" after an adaptation)."""


@dataclass(frozen=True)
class Page:
    """One page of a models list."""

    ids: tuple[str, ...]
    next: Request | None = None
    """The next page's request, if the list says there is one; the core follows it."""
    shape_ok: bool = True


@dataclass(frozen=True)
class Answer:
    """What a 2xx body says, read by the dialect."""

    shape_ok: bool
    prompt_tokens: int = 0
    completion_tokens: int = 0
    """Output tokens, reasoning or thought tokens included: what the request really spent."""
    modes: tuple[str, ...] = ()
    """The modes a retrieve says the model serves (empty: it does not say)."""


@dataclass(frozen=True)
class RateWindow:
    """What the rate-limit headers say about the current window."""

    remaining: int | None
    reset_s: float | None


@dataclass(frozen=True)
class Cost:
    """What one probe of a mode costs, for the report and README."""

    default: bool
    """Sent by default; False: only with ``--paid-probes MODE``."""
    note: str


class Dialect(Protocol):
    """One API family's wire protocol, as the prober core needs it."""

    name: str
    modes: tuple[str, ...]
    """The modes this dialect can send a request for."""
    kept_headers: tuple[str, ...]

    def headers(self, settings: Settings) -> dict[str, str]:
        """Headers sent with every request (auth included)."""
        ...

    def list_models(self, settings: Settings) -> Request | None:
        """The first page of the models list, or None when the family has none."""
        ...

    def parse_list(self, data: Any, sent: Request) -> Page:
        """The ids of one list page, and the next page's request."""
        ...

    def retrieve(self, model: str, settings: Settings) -> Request | None:
        """One model's metadata, or None when the family has no such request."""
        ...

    def parse_retrieve(self, data: Any, model: str) -> Answer:
        """What a retrieve's 2xx body says."""
        ...

    def key_check(self, settings: Settings) -> Request | None:
        """An authenticated request that proves the key valid, where the list does not (a
        public catalogue), or None."""
        ...

    def minimal(self, model: str, mode: str, settings: Settings) -> Request | None:
        """The smallest request that proves ``model`` usable on ``mode``, or None when the
        dialect has none."""
        ...

    def free_check(self, model: str, mode: str, settings: Settings) -> Request | None:
        """A per-model request that costs nothing (Anthropic's count_tokens, Gemini's
        countTokens), sent under ``--free``; None when the family has none."""
        ...

    def auth(self, settings: Settings) -> httpx.Auth | None:
        """Per-request signing (SigV4), or None: ``headers`` carry the credential."""
        ...

    def adapt(self, sent: Request, probe: Probe) -> Request | None:
        """The one fixed retry after a rejection (``max_tokens`` refused: the same request
        with ``max_completion_tokens``), or None."""
        ...

    def switch(self, sent: Request, probe: Probe) -> str | None:
        """The mode a refusal names as the model's own ("only supported in v1/responses"),
        or None."""
        ...

    def parse_success(self, sent: Request, data: Any, raw: bytes, content_type: str) -> Answer:
        """Whether a 2xx answer has the shape of the endpoint's success, and its usage."""
        ...

    def parse_error(
        self, raw: bytes, content_type: str | None, headers: Mapping[str, str]
    ) -> ParsedBody:
        """The body, classified, with its error normalised (the headers may name the error,
        as AWS's ``x-amzn-ErrorType`` does)."""
        ...

    def retry_after(self, parsed: ParsedBody) -> float | None:
        """A wait the body states ("Please try again in 9.8s", Gemini's RetryInfo), when no
        header does."""
        ...

    def retryable(self, status: int, parsed: ParsedBody) -> bool:
        """A 429 or an overload worth retrying (never a billing error or a request too large
        to ever pass)."""
        ...

    def rate_window(self, headers: Mapping[str, str]) -> RateWindow | None:
        """The request window the headers report, for the pacer."""
        ...

    def cost(self, mode: str) -> Cost:
        """What one probe of ``mode`` costs."""
        ...


class BaseDialect:
    """Defaults shared by most families: no retrieve modes, no key check, no adaptation."""

    name = "base"
    modes: tuple[str, ...] = ()
    kept_headers: tuple[str, ...] = (
        "x-request-id",
        "request-id",
        "retry-after",
        "retry-after-ms",
        "content-type",
        "location",
        "server",
    )

    def key_check(self, settings: Settings) -> Request | None:
        """No separate key check."""
        return None

    def free_check(self, model: str, mode: str, settings: Settings) -> Request | None:
        """No free per-model check."""
        return None

    def auth(self, settings: Settings) -> httpx.Auth | None:
        """No signing."""
        return None

    def parse_retrieve(self, data: Any, model: str) -> Answer:
        """A retrieve is fine when it is a JSON object."""
        return Answer(shape_ok=isinstance(data, dict))

    def adapt(self, sent: Request, probe: Probe) -> Request | None:
        """No adaptation."""
        return None

    def switch(self, sent: Request, probe: Probe) -> str | None:
        """No mode switch."""
        return None

    def parse_error(
        self, raw: bytes, content_type: str | None, headers: Mapping[str, str]
    ) -> ParsedBody:
        """The shared envelope parser (errorbody.py)."""
        from modelcheck.errorbody import parse_body

        return parse_body(raw, content_type)

    def retry_after(self, parsed: ParsedBody) -> float | None:
        """ "retry after N seconds", "try again in 9.8s", "retry in 20.04s", "retryDelay":
        "51s" in the message or the details."""
        error = parsed.error
        if error is None:
            return None
        found = _STATED_WAIT.search(f"{error.message or ''} {error.details or ''}")
        if found is None:
            return None
        amount = float(found.group(1))
        return amount / 1000 if (found.group(2) or "").lower() == "ms" else amount

    def retryable(self, status: int, parsed: ParsedBody) -> bool:
        """A 429 that is neither a billing error nor a request too large for any window."""
        from modelcheck.errorbody import is_billing_error, is_request_too_large

        error = parsed.error
        if status in OVERLOAD_STATUSES:
            return True  # "overloaded": worth the same bounded retries
        if status != 429 or is_billing_error(error) or is_request_too_large(error):
            return False
        # A quota whose limit is 0 (a free tier without this model) never resets.
        text = f"{error.message or ''} {error.details or ''}" if error else ""
        return _LIMIT_ZERO.search(text) is None

    def rate_window(self, headers: Mapping[str, str]) -> RateWindow | None:
        """No rate-limit headers known."""
        return None

    def cost(self, mode: str) -> Cost:
        """Unknown modes are not probed by default."""
        return Cost(False, f"modelcheck sends no {mode} request by default")


_STATED_WAIT = re.compile(
    r"(?:retry after|try again in|retry in|retrydelay\W+)\s*(\d+(?:\.\d+)?)\s*"
    r"(ms|s|sec|seconds?)\b",
    re.I,
)
OVERLOAD_STATUSES = (503, 529)
"""Statuses that say the server is overloaded (Anthropic's 529): retried like a 429."""
_LIMIT_ZERO = re.compile(r"\blimit:?\s*0\b(?![.,]\d)", re.I)


def int_field(value: Any) -> int:
    """An int from a JSON field, 0 for anything else (booleans included)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
