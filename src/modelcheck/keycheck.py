"""Local checks of a key's shape, made before any request is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelcheck.keyshapes import shape_of
from modelcheck.providers import Provider
from modelcheck.redact import mask_key

# Placeholder values people leave in .env files and CI settings. Not provider text.
_PLACEHOLDER = re.compile(
    r"""^(?:
        (?:your|my|insert|enter|put|replace)[-_ ]?.*key.*
      | <.*>
      | \$\{?[A-Z_]+\}?
      | (?:openai[-_])?api[-_]?key
      | sk-(?:\.{3}|x{3,}|\*{3,}|\u2026)[a-z0-9.*x\u2026]*
      | (?:x+|\*+|\.\.\.|changeme|placeholder|none|null|undefined|test|dummy|todo)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# What a key copied with its surroundings still carries in front: a .env or shell line
# ("OPENAI_API_KEY=sk-…", "export KEY=sk-…") or a header value ("Bearer sk-…").
_PASTED_PREFIX = re.compile(
    r"^(?:(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*|(?:authorization:\s*)?bearer\s+)", re.I
)


@dataclass(frozen=True)
class KeyFacts:
    """What is known about the key without sending it anywhere. Never holds the key."""

    present: bool
    source: str
    """Where it came from: "env OPENAI_API_KEY", "file PATH", "--api-key", or "none"."""
    masked: str | None
    placeholder: bool = False
    quoted: bool = False
    whitespace: bool = False
    """Leading/trailing blanks or any inner whitespace or control character."""
    pasted_prefix: str | None = None
    """Text in front of the key, e.g. "OPENAI_API_KEY=" or "Bearer " (copied with it)."""
    empty_file: bool = False
    """The key file exists but holds nothing (or only blanks)."""
    foreign_provider: str | None = None
    """The display name of the provider whose key shape this key has, when not the target's."""
    foreign_name: str | None = None
    """That provider's name (identity: ``PROVIDERS`` key), e.g. "anthropic"."""
    foreign_label: str | None = None
    """How to name the key: "an Anthropic API key"."""
    refused: bool = False
    """A foreign key at the provider's own API: reported without sending it."""
    kind: str = "api"
    """The key's kind by its shape: "api", "admin" or "oauth"."""
    wrong_kind: bool = False
    """A credential of this provider that its API refuses for this use: an admin key (only
    the administration endpoints take it) or a subscription OAuth token (sk-ant-oat: not for
    third-party use), at the provider's own API. Reported without sending it."""
    provider_shaped: bool = True
    """The key has the target provider's prefix and marker (always True when none is known)."""

    @property
    def malformed(self) -> bool:
        """True when the key cannot be valid as written: no request should carry it."""
        return (
            self.placeholder
            or self.quoted
            or self.whitespace
            or self.pasted_prefix is not None
            or self.refused
            or self.wrong_kind
        )


def inspect_key(
    key: str | None,
    source: str,
    provider: Provider,
    *,
    custom_base_url: bool = False,
    empty_file: bool = False,
) -> KeyFacts:
    """Analyse ``key`` locally; the result carries only its masked form.

    ``custom_base_url``: the base URL is not the provider's own API (a gateway or proxy), where
    a key of any shape may be right: a foreign key is then named but still sent."""
    if key is None or key.strip() == "":
        return KeyFacts(present=False, source=source, masked=None, empty_file=empty_file)
    body = key.strip()
    pasted = _PASTED_PREFIX.match(body)
    prefix: str | None = None
    if pasted is not None and len(body) > pasted.end():
        prefix = pasted.group(0).strip()
        body = body[pasted.end() :].strip()
    quoted = len(body) >= 2 and (body[0] in "\"'`" or body[-1] in "\"'`")
    blanks = any(ch.isspace() or ord(ch) < 32 for ch in body)
    whitespace = blanks or (prefix is None and body != key)
    shape = shape_of(body.strip("\"'`"))
    foreign = (
        shape is not None
        and not provider.accepts_any_key
        and shape.provider != (provider.key_family or provider.name)
    )
    own_prefixes = provider.key_prefixes
    return KeyFacts(
        present=True,
        source=source,
        masked=mask_key(key),
        placeholder=bool(_PLACEHOLDER.match(body.strip("\"'`"))),
        quoted=quoted,
        whitespace=whitespace,
        pasted_prefix=prefix,
        foreign_provider=shape.title if foreign and shape else None,
        foreign_name=shape.provider if foreign and shape else None,
        foreign_label=shape.label if foreign and shape else None,
        refused=foreign and not custom_base_url,
        kind=shape.kind if shape else "api",
        wrong_kind=shape is not None
        and not foreign
        and shape.kind in ("admin", "oauth")
        and not custom_base_url,
        provider_shaped=(not own_prefixes or body.startswith(own_prefixes))
        and (provider.key_marker is None or provider.key_marker in body),
    )
