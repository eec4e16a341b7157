"""Key masking used by every output path: a key is never shown beyond prefix + "…" + last 4."""

from __future__ import annotations

import re

from modelcheck.keyshapes import MASK_PREFIXES

ELLIPSIS = "\u2026"


def mask_key(key: str | None) -> str | None:
    """Return the shown form of ``key``: a known prefix (or 3 chars) + "…" + the last 4.

    Short keys (under 16 characters) show only "…" + the last 2, so that most of a short
    secret is never revealed.
    """
    if key is None:
        return None
    stripped = key.strip()
    if not stripped:
        return ELLIPSIS
    if len(stripped) < 16:
        return ELLIPSIS + stripped[-2:] if len(stripped) > 4 else ELLIPSIS
    prefix = next((p for p in MASK_PREFIXES if stripped.startswith(p)), stripped[:3])
    return f"{prefix}{ELLIPSIS}{stripped[-4:]}"


def scrub(text: str, key: str | None) -> str:
    """Replace every occurrence of ``key`` (raw and stripped) in ``text`` by its mask.

    Provider messages that echo a key are already masked by the provider; they are left as
    received. This is the last line of defence: it runs over every rendered output.
    """
    if not key or not text:
        return text
    masked = mask_key(key) or ELLIPSIS
    for variant in {key, key.strip()}:
        if len(variant) >= 6 and variant in text:
            text = text.replace(variant, masked)
    return text


# Shapes of keys that may sit in pasted text (curl commands, logs): gitleaks/trufflehog
# detectors (S36, S37). Masked before anything pasted is shown again.
_SECRET_SHAPES = re.compile(
    r"(?:sk-ant-(?:api|admin|oat)\d\d-[\w-]{20,}"
    r"|sk-or-v1-[0-9a-f]{20,}"
    r"|sk-(?:proj-|svcacct-|admin-)?[\w-]{20,}"
    r"|gsk_[\w]{20,}"
    r"|xai-[\w]{20,}"
    r"|pplx-[\w]{20,}"
    r"|AIza[\w-]{30,})"
)
_BEARER = re.compile(r"(?i)(bearer\s+|x-api-key:\s*|api-key:\s*)([^\s'\"]{12,})")


def scrub_secrets(text: str) -> str:
    """Mask anything in ``text`` shaped like an API key or a bearer token."""
    if not text:
        return text
    text = _SECRET_SHAPES.sub(lambda m: mask_key(m.group(0)) or ELLIPSIS, text)
    return _BEARER.sub(_mask_bearer, text)


def _mask_bearer(match: re.Match[str]) -> str:
    token = match.group(2)
    if ELLIPSIS in token:  # already masked by the key shapes above
        return match.group(0)
    return match.group(1) + (mask_key(token) or ELLIPSIS)
