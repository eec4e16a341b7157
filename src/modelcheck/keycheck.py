"""Local checks of a key's shape, made before any request is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelcheck.providers import FOREIGN_KEY_PREFIXES, Provider
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
    foreign_provider: str | None = None
    """The provider whose key prefix this key carries, when not the target's."""
    provider_shaped: bool = True
    """The key has the target provider's prefix and marker (always True when none is known)."""

    @property
    def malformed(self) -> bool:
        """True when the key cannot be valid as written: no request should carry it."""
        return self.placeholder or self.quoted or self.whitespace


def inspect_key(key: str | None, source: str, provider: Provider) -> KeyFacts:
    """Analyse ``key`` locally; the result carries only its masked form."""
    if key is None or key == "":
        return KeyFacts(present=False, source=source, masked=None)
    body = key.strip()
    quoted = len(body) >= 2 and (body[0] in "\"'`" or body[-1] in "\"'`")
    whitespace = body != key or any(ch.isspace() or ord(ch) < 32 for ch in body)
    foreign = next((who for p, who in FOREIGN_KEY_PREFIXES if body.startswith(p)), None)
    if foreign is not None and provider.title.startswith(foreign.split(" (")[0]):
        foreign = None  # the provider's own key
    return KeyFacts(
        present=True,
        source=source,
        masked=mask_key(key),
        placeholder=bool(_PLACEHOLDER.match(body.strip("\"'`"))),
        quoted=quoted,
        whitespace=whitespace,
        foreign_provider=foreign,
        provider_shaped=(not provider.key_prefixes or body.startswith(provider.key_prefixes))
        and (provider.key_marker is None or provider.key_marker in body),
    )
