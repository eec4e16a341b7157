"""Key masking used by every output path: a key is never shown beyond prefix + "…" + last 4."""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def scrub(text: str, key: str | Sequence[str] | None) -> str:
    """Replace every occurrence of ``key`` (raw and stripped) in ``text`` by its mask.

    ``key`` may be several secrets (the key and ``--header`` values). Provider messages that
    echo a key are already masked by the provider; they are left as received. This is the last
    line of defence: it runs over every rendered output.
    """
    if not key or not text:
        return text
    secrets = (key,) if isinstance(key, str) else tuple(key)
    # Longest first: a secret that contains another is masked whole.
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        masked = mask_key(secret) or ELLIPSIS
        for variant in {secret, secret.strip()}:
            if len(variant) >= 6 and variant in text:
                text = text.replace(variant, masked)
    return text


# Shapes of keys that may sit in pasted text (curl commands, logs): gitleaks/trufflehog
# detectors (S36, S37). Masked before anything pasted is shown again. Each shape is searched
# on its own (a key may sit inside another shape's match, "gsk_…sk-proj-…"), then the spans
# are merged so that one mask covers everything secret-shaped.
_SECRET_SHAPES = tuple(
    re.compile(pattern)
    for pattern in (
        r"sk-ant-(?:api|admin|oat)\d\d-[\w-]{20,}",
        r"sk-or-v1-[0-9a-f]{20,}",
        r"sk-(?:proj-|svcacct-|admin-)?[\w-]{20,}",
        r"gsk_[\w]{20,}",
        r"xai-[\w]{20,}",
        r"pplx-[\w]{20,}",
        r"AIza[\w-]{30,}",
        r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}",
        r"github_pat_\w{30,}",
    )
)
_BEARER = re.compile(r"(?i)(?:bearer\s+|x-api-key:\s*|api-key:\s*)([^\s'\"]{12,})")


def scrub_secrets(text: str) -> str:
    """Mask anything in ``text`` shaped like an API key or a bearer token."""
    if not text:
        return text
    spans = [m.span() for shape in _SECRET_SHAPES for m in shape.finditer(text)]
    spans += [m.span(1) for m in _BEARER.finditer(text)]
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    last = 0
    for start, end in merged:
        parts.append(text[last:start])
        secret = text[start:end]
        parts.append(secret if _already_masked(secret) else mask_key(secret) or ELLIPSIS)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _already_masked(token: str) -> bool:
    """A token the provider (or an earlier pass) already masked: "sk-…abcd", "sk-proj-***wxyz"."""
    return ELLIPSIS in token and len(token.split(ELLIPSIS)[-1]) <= 4
