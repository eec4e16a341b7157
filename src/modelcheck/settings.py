"""Settings resolved once: flags > environment > defaults, into a frozen Settings."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from modelcheck.keycheck import KeyFacts, inspect_key
from modelcheck.names import MODE_CHOICES
from modelcheck.providers import PROVIDERS, Provider

DEFAULT_TIMEOUT = 20.0
DEFAULT_CONCURRENCY = 64
"""Requests in flight at first: a run over up to 63 models (+ the list) takes one round trip,
and the pacer halves it on every 429 (see pacing.py)."""
RETRY_SPARE = 8
"""Requests the default budget keeps for retries and adaptations beyond 1 + 2 per model."""
DEFAULT_RETRIES = 2
"""429 rate-limit retries per request, as openai-python's DEFAULT_MAX_RETRIES (S5)."""
DEFAULT_MAX_RETRY_WAIT = 20.0
"""Longest server-requested wait honoured before a retry, in seconds."""


class SettingsError(Exception):
    """A usage or configuration error: one readable line, exit status 2."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs. The key lives only here and in the probe's headers."""

    provider: Provider
    base_url: str
    key: str | None = field(repr=False)
    key_facts: KeyFacts
    models: tuple[str, ...]
    organization: str | None = None
    project: str | None = None
    free: bool = False
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    max_requests: int = 100
    max_tokens: int = 100
    """Cap on completion tokens a run may spend (each chat probe reserves 1 before it is sent)."""
    retries: int = DEFAULT_RETRIES
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT
    ca_bundle: str | None = None
    """A PEM file of extra trusted CAs (a corporate proxy's), instead of the default store."""
    proxy: str | None = None
    """The HTTP proxy the environment routes the base URL through, credentials masked, with
    the variable it came from: "http://user:***@proxy:3128 (HTTPS_PROXY)"."""
    custom_base_url: bool = False
    """The base URL is not the provider's own API (a gateway, proxy or self-hosted server)."""
    as_of: str | None = None
    """Judge announced retirements as of this ISO date instead of today."""
    model_modes: Mapping[str, str] = field(default_factory=dict)
    """Modes given as ``MODEL@mode`` on the command line."""
    mode: str | None = None
    """``--mode``: the mode to start every model on (a first answer may still switch it)."""
    endpoint: str | None = None
    """``--endpoint``: the one mode every model is probed on, never switched."""
    paid_probes: frozenset[str] = frozenset()
    """Modes whose probe costs money, opted in with ``--paid-probes``."""
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """Extra request headers (``--header``) for gateways; their values are masked like keys."""
    max_tokens_given: bool = False
    """``--max-tokens`` was given: the probe plans within it instead of its own default."""
    options: Mapping[str, str] = field(default_factory=dict)
    """What a dialect needs beside the base URL and the key: "auth" (how the credential is
    sent: "header", "bearer", "sigv4", "none"), "api_version" (Azure), "surface" ("classic"
    or "v1", Azure), "anthropic_version", "region" and "control_url" (Bedrock)."""
    provider_source: str = "--provider"
    """Which rule chose the provider: "--provider", "base URL host", "key prefix", "key
    variable NAME", "default"."""
    warnings: tuple[str, ...] = ()

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything output must never show in full: the key and the extra headers' values."""
        values = [self.key] if self.key else []
        values.extend(value for _, value in self.headers if value)
        return tuple(values)


def default_max_requests(models: int) -> int:
    """1 models list + retrieve and chat per model + spare (20 models: 49; 1,000: 2,101)."""
    return 1 + 2 * models + max(RETRY_SPARE, models // 10)


def default_max_tokens(models: int) -> int:
    """Two completion tokens per model (one is used; 20 models: 40 tokens)."""
    return 2 * models


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _strip_newline(value: str) -> str:
    """Drop one trailing line ending, as ``echo KEY > file`` and CI secrets add it."""
    if value.endswith("\r\n"):
        return value[:-2]
    if value.endswith("\n"):
        return value[:-1]
    return value


def _read_key_file(path: str) -> str:
    """The key file's text (one trailing newline dropped); "" for an empty file."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise SettingsError(f"cannot read key file {path}: {reason}") from None
    try:
        return _strip_newline(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"key file {path} is not UTF-8 text") from None


def check_model_ids(models: tuple[str, ...]) -> None:
    """Refuse ids that are not model ids: whitespace, control characters, or "." / ".."
    path segments (which would move the request to another path). Nothing is sent."""
    for model in models:
        if not model.strip() or any(ch.isspace() for ch in model):
            raise SettingsError(f"model id {model!r} is empty or contains whitespace")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in model):
            raise SettingsError(f"model id {model!r} contains a control character")
        if any(part in (".", "..") for part in model.split("/")):
            raise SettingsError(
                f"model id {model!r} contains a '.' or '..' path segment; it is not a model id"
            )


DEFAULT_ANTHROPIC_VERSION = "2023-06-01"
"""The anthropic-version sent: every current model accepts it, and the probe's body (no
sampling parameters) is valid under 2026-10-21 too (native-providers.md 1.1)."""
DEFAULT_AZURE_API_VERSION = "2024-10-21"
"""Azure OpenAI's latest GA data-plane api-version (native-providers.md 2.1, N18)."""


def _azure_resource(url: str) -> str:
    """The resource endpoint of an Azure base URL: a pasted ``…/openai`` or a Foundry
    ``…/api/projects/NAME`` path is dropped (the classic paths start at the resource)."""
    parts = urlsplit(url)
    path = parts.path
    for tail in ("/openai/deployments", "/openai"):
        if path.endswith(tail):
            path = path[: -len(tail)]
    if "/api/projects/" in path:
        path = path[: path.index("/api/projects/")]
    return parts._replace(path=path).geturl().rstrip("/")


def _bedrock(
    prov: Provider,
    url: str | None,
    region: str | None,
    env: Mapping[str, str],
    key: str | None,
    options: dict[str, str],
) -> tuple[Provider, str]:
    """Bedrock's two planes: the runtime (the base URL) and the control plane, both of the
    region; one --base-url serves both (a simulator). Without a Bedrock API key, SigV4 from the
    AWS credential chain (modelcheck[aws]); with neither, the key is missing."""
    region = region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    if not url and not region:
        raise SettingsError(
            "provider 'bedrock' needs a region: --region, AWS_REGION or AWS_DEFAULT_REGION"
        )
    if region:
        options["region"] = region
    options["control_url"] = url or f"https://bedrock.{region}.amazonaws.com"
    url = url or f"https://bedrock-runtime.{region}.amazonaws.com"
    if key is None:
        from modelcheck.dialects.bedrock import sigv4_available

        if region and sigv4_available():
            options["auth"] = "sigv4"
        else:
            prov = replace(prov, key_required=True)
    return prov, url


def split_modes(models: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, str]]:
    """``gpt-4o@responses`` -> id ``gpt-4o``, mode ``responses``. Only a known mode name is
    split off: ``claude-3-5-sonnet@20240620`` (a Vertex id) stays whole."""
    ids: list[str] = []
    modes: dict[str, str] = {}
    for model in models:
        head, at, tail = model.rpartition("@")
        if at and head and tail in MODE_CHOICES:
            ids.append(head)
            modes[head.strip()] = tail
        else:
            ids.append(model)
    return tuple(ids), modes


_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def parse_header(text: str, env: Mapping[str, str]) -> tuple[str, str]:
    """``NAME:VALUE`` (``${VAR}`` in the value is read from the environment, so that a
    config file need not hold the secret)."""
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not _HEADER_NAME.match(name):
        raise SettingsError(
            f"--header {name or text!r}: expected NAME:VALUE, e.g. 'HTTP-Referer: https://example.com'"
        )
    missing = [v for v in _ENV_REF.findall(value) if v not in env]
    if missing:
        raise SettingsError(f"--header {name}: environment variable {missing[0]} is not set")
    value = _ENV_REF.sub(lambda m: env[m.group(1)], value)
    if any(ord(ch) < 32 for ch in value):
        raise SettingsError(f"--header {name}: the value contains a control character or newline")
    return name, value


def mask_url_credentials(url: str) -> str:
    """``http://user:secret@host:3128`` -> ``http://user:***@host:3128``."""
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    secret = ":***" if parts.password is not None else ""
    return parts._replace(netloc=f"{user}{secret}@{host}{port}").geturl()


def _bypassed(host: str, no_proxy: str) -> bool:
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        entry = entry.split("://", 1)[-1].lstrip(".").rstrip("/")
        if host == entry or host.endswith("." + entry):
            return True
    return False


def environment_proxy(url: str, env: Mapping[str, str]) -> str | None:
    """The proxy the environment sets for ``url`` (as httpx reads HTTPS_PROXY, HTTP_PROXY,
    ALL_PROXY and NO_PROXY, either case), credentials masked; None when there is none."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()

    def get(name: str) -> tuple[str, str] | None:
        for variant in (name, name.lower()):
            value = env.get(variant)
            if value:
                return variant, value
        return None

    no_proxy = get("NO_PROXY")
    if no_proxy is not None and _bypassed(host, no_proxy[1]):
        return None
    found = get("HTTPS_PROXY" if parts.scheme == "https" else "HTTP_PROXY") or get("ALL_PROXY")
    if found is None:
        return None
    name, value = found
    return f"{mask_url_credentials(value.strip())} ({name})"


def normalise_base_url(url: str) -> str:
    """Validate a base URL and drop a trailing slash; raise SettingsError if unusable."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"base URL {url!r} is not an http(s) URL (example: https://api.openai.com/v1)"
        )
    if parts.query or parts.fragment:
        raise SettingsError(f"base URL {url!r} must not carry a query string or fragment")
    return url.rstrip("/")


def resolve(
    *,
    models: tuple[str, ...],
    env: Mapping[str, str],
    provider: str = "openai",
    base_url: str | None = None,
    api_key: str | None = None,
    api_key_env: str | None = None,
    api_key_file: str | None = None,
    org: str | None = None,
    project: str | None = None,
    free: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_requests: int | None = None,
    max_tokens: int | None = None,
    retries: int = DEFAULT_RETRIES,
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
    allow_http: bool = False,
    ca_bundle: str | None = None,
    as_of: str | None = None,
    mode: str | None = None,
    endpoint: str | None = None,
    paid_probes: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
    api_version: str | None = None,
    anthropic_version: str | None = None,
    region: str | None = None,
    provider_source: str = "--provider",
    allow_no_models: bool = False,
) -> Settings:
    """Resolve flags over ``env`` over defaults. Raises SettingsError on bad input.

    ``allow_no_models``: a run that checks only the key and lists its models (a target
    without models, ``modelcheck models``)."""
    prov = PROVIDERS.get(provider)
    if prov is None:
        raise SettingsError(f"unknown provider {provider!r} (known: {', '.join(PROVIDERS)})")
    if not models and not allow_no_models:
        raise SettingsError("name at least one model, e.g. `modelcheck check gpt-4o-mini`")
    models, model_modes = split_modes(models)
    check_model_ids(models)
    unique = tuple(dict.fromkeys(m.strip() for m in models))
    for name, value in (("--mode", mode), ("--endpoint", endpoint)):
        if value is not None and value not in MODE_CHOICES:
            raise SettingsError(f"{name} {value!r}: one of {', '.join(MODE_CHOICES)}")
    paid_probes = tuple(m.strip() for item in paid_probes for m in item.split(",") if m.strip())
    unknown_paid = [m for m in paid_probes if m not in MODE_CHOICES]
    if unknown_paid:
        raise SettingsError(f"--paid-probes {unknown_paid[0]!r}: one of {', '.join(MODE_CHOICES)}")
    extra_headers = tuple(parse_header(h, env) for h in headers)
    if max_requests is None:
        max_requests = default_max_requests(len(unique))
    max_tokens_given = max_tokens is not None
    if max_tokens is None:
        max_tokens = default_max_tokens(len(unique))
    if timeout <= 0 or concurrency < 1 or max_requests < 1 or max_tokens < 0 or retries < 0:
        raise SettingsError(
            "--timeout, --concurrency and --max-requests must be positive; --max-tokens and "
            "--retries must not be negative"
        )

    warnings: list[str] = []
    empty_file = False
    if api_key is not None:
        key: str | None = api_key
        source = "--api-key"
        warnings.append(
            "a key given with --api-key is saved in your shell history; "
            f"prefer {prov.key_envs[0] if prov.key_envs else 'an environment variable'}, "
            "--api-key-env or --api-key-file"
        )
    elif api_key_file is not None:
        key, source = _read_key_file(api_key_file), f"file {api_key_file}"
        empty_file = not key.strip()
    else:
        names = (api_key_env,) if api_key_env else prov.key_envs
        key, source = None, f"env {' or '.join(names)} (not set)"
        for name in names:
            value = env.get(name)
            if value:
                key, source = _strip_newline(value), f"env {name}"
                break

    options: dict[str, str] = {"auth": "header" if key else "none"}
    if source in ("env AZURE_OPENAI_AD_TOKEN", "env ANTHROPIC_AUTH_TOKEN"):
        options["auth"] = "bearer"  # a token, not a key: sent as Authorization: Bearer
    url = base_url or (env.get(prov.base_url_env) if prov.base_url_env else None)
    url = url or prov.default_base_url
    if prov.dialect == "bedrock":
        prov, url = _bedrock(prov, url, region, env, key, options)
    if prov.dialect == "anthropic":
        options["anthropic_version"] = anthropic_version or DEFAULT_ANTHROPIC_VERSION
    if prov.dialect == "azure":
        options["api_version"] = (
            api_version
            or env.get("OPENAI_API_VERSION")
            or env.get("AZURE_OPENAI_API_VERSION")
            or DEFAULT_AZURE_API_VERSION
        )
    if not url:
        raise SettingsError(
            f"provider {prov.name!r} needs --base-url (e.g. http://localhost:8000/v1)"
        )
    url = normalise_base_url(url)
    if prov.dialect == "azure":
        # A base URL ending in /openai/v1 is Azure's v1 API (OpenAI's wire format, the
        # deployment as the model); otherwise the classic data plane under /openai/deployments.
        options["surface"] = "v1" if url.endswith("/openai/v1") else "classic"
        if options["surface"] == "classic":
            url = _azure_resource(url)
    if prov.dialect == "bedrock" and options.get("control_url"):
        options["control_url"] = normalise_base_url(options["control_url"])
    parts = urlsplit(url)
    if parts.scheme == "http" and key and not allow_http and not is_loopback(parts.hostname or ""):
        raise SettingsError(
            f"refusing to send the key in clear text to {parts.hostname} over http; "
            "use https, or pass --allow-http if this network is trusted"
        )

    if ca_bundle is not None and not Path(ca_bundle).expanduser().is_file():
        raise SettingsError(f"--ca-bundle {ca_bundle}: no such file")
    if as_of is not None:
        try:
            as_of = date.fromisoformat(as_of.strip()).isoformat()
        except ValueError:
            raise SettingsError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    custom = prov.default_base_url is None or not url.startswith(prov.default_base_url.rstrip("/"))
    facts = inspect_key(key, source, prov, custom_base_url=custom, empty_file=empty_file)
    if facts.foreign_label and not facts.refused:
        warnings.append(
            f"the key ({facts.masked}) looks like {facts.foreign_label}; sending it to "
            f"{parts.hostname} anyway, since a gateway may accept any key"
        )
    return Settings(
        provider=prov,
        base_url=url,
        key=key,
        key_facts=facts,
        models=unique,
        organization=org or (env.get(prov.org_env) if prov.org_env else None) or None,
        project=project or (env.get(prov.project_env) if prov.project_env else None) or None,
        free=free,
        timeout=timeout,
        concurrency=concurrency,
        max_requests=max_requests,
        max_tokens=max_tokens,
        retries=retries,
        max_retry_wait=max_retry_wait,
        ca_bundle=str(Path(ca_bundle).expanduser()) if ca_bundle else None,
        proxy=environment_proxy(url, env),
        custom_base_url=custom,
        as_of=as_of,
        model_modes=model_modes,
        mode=mode,
        endpoint=endpoint,
        paid_probes=frozenset(paid_probes),
        headers=extra_headers,
        max_tokens_given=max_tokens_given,
        options=options,
        provider_source=provider_source,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class Output:
    """How the report is shown and judged (the probe does not see these)."""

    outputs: tuple[tuple[str, str | None], ...] = (("table", None),)
    """(format, file) pairs; file None is standard output."""
    table_style: str = "simple"
    fail_on: str = "inconclusive"
    strict: bool = False
    step_summary: str | None = None
    """$GITHUB_STEP_SUMMARY to append the markdown report to, unless --no-summary."""
    github_actions: bool = False
    color: bool = False
    quiet: bool = False
    verbose: bool = False
    config_path: str | None = None


def _color(choice: str, env: Mapping[str, str], tty: bool) -> bool:
    if choice in ("always", "never"):
        return choice == "always"
    force = env.get("FORCE_COLOR")
    if force is not None and force != "":
        # FORCE_COLOR=0 / false turns colour off, as Node's supports-color and chalk read it.
        return force.strip().lower() not in ("0", "false", "no", "off")
    if env.get("NO_COLOR"):
        return False
    return tty


_HOST_RULES = (
    (
        re.compile(
            r"\.openai\.azure\.com$|\.cognitiveservices\.azure\.com$|\.services\.ai\.azure\.com$"
        ),
        "azure",
    ),
    (re.compile(r"(^|\.)api\.anthropic\.com$"), "anthropic"),
    (re.compile(r"^generativelanguage\.googleapis\.com$"), "gemini"),
    (re.compile(r"^bedrock(-runtime)?\.[a-z0-9-]+\.amazonaws\.com$"), "bedrock"),
)


_KEY_VARIABLES = (
    # (variable, provider, a variable that must be set with it)
    ("AZURE_OPENAI_API_KEY", "azure", "AZURE_OPENAI_ENDPOINT"),
    ("AZURE_OPENAI_AD_TOKEN", "azure", "AZURE_OPENAI_ENDPOINT"),
    ("ANTHROPIC_API_KEY", "anthropic", None),
    ("ANTHROPIC_AUTH_TOKEN", "anthropic", None),
    ("GEMINI_API_KEY", "gemini", None),
    ("AWS_BEARER_TOKEN_BEDROCK", "bedrock", None),
)
"""The native providers' own key variables, read when no OpenAI key is set."""


def detect_provider(
    merged: Mapping[str, Any], env: Mapping[str, str]
) -> tuple[str, str, str | None]:
    """With no --provider: the base URL's host; else the key's prefix; else, when no OpenAI
    key is set at all, the one native provider whose own key variable is set; else OpenAI.

    A base URL whose host names no provider (a gateway, a local server) is OpenAI-compatible:
    a key of another shape sent there gets a warning, not another provider.

    Returns the provider, the rule that chose it, and the variable its key came from (so that
    the key that named the provider is the one sent)."""
    from modelcheck.keyshapes import shape_of

    url = merged.get("base_url") or env.get("OPENAI_BASE_URL")
    if url:
        parts = urlsplit(str(url).strip())
        host = (parts.hostname or "").lower()
        for pattern, name in _HOST_RULES:
            if pattern.search(host):
                if name == "gemini" and "/openai" in parts.path:
                    name = "gemini-openai"
                return name, "base URL host", None
        for prov in PROVIDERS.values():
            same_host = prov.default_base_url and urlsplit(prov.default_base_url).hostname == host
            if same_host:
                return prov.name, "base URL host", None
        return "openai", "default", None
    key_env = merged.get("api_key_env") or "OPENAI_API_KEY"
    key = merged.get("api_key") or env.get(key_env)
    if not key and merged.get("api_key_file"):
        try:
            key = _read_key_file(str(merged["api_key_file"]))
        except SettingsError:
            key = None
    shape = shape_of(str(key).strip()) if key else None
    if shape is not None and shape.provider in PROVIDERS and shape.provider != "openai":
        from_env = not merged.get("api_key") and not merged.get("api_key_file")
        return shape.provider, "key prefix", key_env if from_env else None
    if key is None and not merged.get("api_key_env"):
        found = {
            (name, provider)
            for name, provider, needs in _KEY_VARIABLES
            if env.get(name) and (needs is None or env.get(needs))
        }
        if len({provider for _, provider in found}) == 1:
            name, provider = sorted(found)[0]
            return provider, f"key variable {name}", name
    return "openai", "default", None


IDENTITY = ("provider", "base_url", "api_key", "api_key_env", "api_key_file")
"""Settings that say which provider and key a run is: a target's own, never shared."""


@dataclass(frozen=True)
class Target:
    """One provider, key and model list in a run (README, "Targets")."""

    name: str
    settings: Settings


@dataclass(frozen=True)
class _Sources:
    """A run's settings by where they came from, before they are merged."""

    file: dict[str, Any]
    file_targets: tuple[dict[str, Any], ...]
    env: dict[str, Any]
    flags: dict[str, Any]
    found: Path | None

    def merged(self, target: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """flags > environment > the target's table > the config file."""
        if target is None:
            return {**self.file, **self.env, **self.flags}
        shared = {k: v for k, v in self.file.items() if k not in IDENTITY}
        env = {k: v for k, v in self.env.items() if k not in IDENTITY}
        return {**shared, **target, **env, **self.flags}


def _sources(
    flags: Mapping[str, Any], env: Mapping[str, str], cwd: Path, config_path: str | None
) -> _Sources:
    from modelcheck.config import ConfigError, discover, from_env, load

    try:
        found = Path(config_path) if config_path else discover(cwd)
        loaded = load(found) if found else None
        from_environment = from_env(env)
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    given = {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in flags.items()
        if name != "_pairs" and value is not None and value != ()
    }
    return _Sources(
        file=loaded.values if loaded else {},
        file_targets=loaded.targets if loaded else (),
        env=from_environment,
        flags=given,
        found=found,
    )


def _settings_of(
    merged: Mapping[str, Any],
    models: tuple[str, ...],
    env: Mapping[str, str],
    *,
    allow_no_models: bool = False,
) -> Settings:
    merged = dict(merged)
    provider, source = merged.get("provider"), "--provider"
    if provider is None:
        provider, source, key_env = detect_provider(merged, env)
        if key_env and not merged.get("api_key_env"):
            merged["api_key_env"] = key_env  # the key that chose the provider is the one used
    return resolve(
        models=models,
        env=env,
        provider=provider,
        base_url=merged.get("base_url"),
        api_key=merged.get("api_key"),
        api_key_env=merged.get("api_key_env"),
        api_key_file=merged.get("api_key_file"),
        org=merged.get("org"),
        project=merged.get("project"),
        free=bool(merged.get("free", False)),
        timeout=merged.get("timeout", DEFAULT_TIMEOUT),
        concurrency=merged.get("concurrency", DEFAULT_CONCURRENCY),
        max_requests=merged.get("max_requests"),
        max_tokens=merged.get("max_tokens"),
        retries=merged.get("retries", DEFAULT_RETRIES),
        allow_http=bool(merged.get("allow_http", False)),
        ca_bundle=merged.get("ca_bundle"),
        as_of=merged.get("as_of"),
        mode=merged.get("mode"),
        endpoint=merged.get("endpoint"),
        paid_probes=tuple(merged.get("paid_probes", ())),
        headers=tuple(merged.get("headers", ())),
        api_version=merged.get("api_version"),
        anthropic_version=merged.get("anthropic_version"),
        region=merged.get("region"),
        provider_source=source,
        allow_no_models=allow_no_models,
    )


def _output_of(
    merged: Mapping[str, Any],
    env: Mapping[str, str],
    pairs: list[tuple[str, str]],
    stdout_tty: bool,
    found: Path | None,
) -> Output:
    from modelcheck.outputs import OutputError, resolve_outputs

    github = env.get("GITHUB_ACTIONS") == "true"
    try:
        outputs = resolve_outputs(
            list(merged.get("format", [])),
            list(merged.get("output", [])),
            pairs=pairs,
            github=github,
        )
    except OutputError as exc:
        raise SettingsError(str(exc)) from None
    for _, path in outputs:
        folder = Path(path).expanduser().parent if path else None
        if folder is not None and not folder.is_dir():
            # Said before any request is sent, not after the probes.
            raise SettingsError(f"--output {path}: no such directory {folder}")
    summary_file = env.get("GITHUB_STEP_SUMMARY") or None
    return Output(
        outputs=outputs,
        table_style=merged.get("table_style", "simple"),
        fail_on=merged.get("fail_on", "inconclusive"),
        strict=bool(merged.get("strict", False)),
        step_summary=summary_file if merged.get("summary", True) else None,
        github_actions=github,
        color=_color(merged.get("color", "auto"), env, stdout_tty),
        quiet=bool(merged.get("quiet", False)),
        verbose=bool(merged.get("verbose", False)),
        config_path=str(found) if found else None,
    )


def load_settings(
    models: tuple[str, ...],
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    cwd: Path,
    *,
    config_path: str | None = None,
    stdout_tty: bool = False,
    allow_no_models: bool = False,
) -> tuple[Settings, Output]:
    """One provider and key: flags > environment (MODELCHECK_*) > config file > defaults."""
    from modelcheck.config import unknown_env

    sources = _sources(flags, env, cwd, config_path)
    merged = sources.merged()
    required = tuple(merged.get("require", ()))
    settings = _settings_of(merged, tuple(models) + required, env, allow_no_models=allow_no_models)
    settings = replace(settings, warnings=settings.warnings + unknown_env(env))
    pairs = list(flags.get("_pairs", ()))
    return settings, _output_of(merged, env, pairs, stdout_tty, sources.found)


def load_run(
    models: tuple[str, ...],
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    cwd: Path,
    *,
    config_path: str | None = None,
    stdout_tty: bool = False,
    all_targets: bool = False,
    target_names: tuple[str, ...] = (),
) -> tuple[tuple[Target, ...], Output]:
    """The run's targets and its output. One target (named "") unless the config file has
    ``[[tool.modelcheck.target]]`` tables (and no flag names a provider or key), ``--target``
    picks some of them, or ``--all`` adds every provider whose key variable is set.

    ``MODEL`` and ``--require`` entries written ``NAME:MODEL`` go to the target NAME; a bare
    one goes to the only target, and is a usage error when there are several."""
    from modelcheck.config import unknown_env

    sources = _sources(flags, env, cwd, config_path)
    merged = sources.merged()
    pairs = list(flags.get("_pairs", ()))
    output = _output_of(merged, env, pairs, stdout_tty, sources.found)
    named = [k for k in IDENTITY if k in sources.flags]
    multi = all_targets or bool(target_names) or (bool(sources.file_targets) and not named)
    if not multi:
        settings = _settings_of(merged, tuple(models) + tuple(merged.get("require", ())), env)
        settings = replace(settings, warnings=settings.warnings + unknown_env(env))
        return (Target("", settings),), output
    if named:
        flag = "--" + named[0].replace("_", "-")
        raise SettingsError(
            f"{flag} names one provider or key; with targets (--all, --target or "
            "[[tool.modelcheck.target]]) each target names its own"
        )
    tables = _chosen_tables(sources.file_targets, target_names)
    warnings: list[str] = list(unknown_env(env))
    if all_targets:
        tables += _detected_tables(env, tables)
    if not tables:
        raise SettingsError(
            "no target to check: define [[tool.modelcheck.target]] tables, or set a "
            "provider's key variable (e.g. OPENAI_API_KEY) for --all"
        )
    routed = _route_models(
        tuple(models) + tuple(merged.get("require", ())), [t["name"] for t in tables]
    )
    share = _concurrency_shares(int(merged.get("concurrency", DEFAULT_CONCURRENCY)), len(tables))
    targets = []
    for table, concurrency in zip(tables, share, strict=True):
        name = table["name"]
        values = sources.merged({k: v for k, v in table.items() if k != "name"})
        values["concurrency"] = min(concurrency, int(table.get("concurrency", concurrency)))
        own = tuple(table.get("require", ()))
        try:
            settings = _settings_of(
                {k: v for k, v in values.items() if k != "require"},
                own + routed.get(name, ()),
                env,
                allow_no_models=True,
            )
        except SettingsError as exc:
            if table.get("_detected"):
                warnings.append(f"--all: {name} left out: {exc}")
                continue
            raise SettingsError(f"target {name!r}: {exc}") from None
        targets.append(Target(name, settings))
    if not targets:
        raise SettingsError("no target could be set up: " + "; ".join(warnings[-3:]))
    first = targets[0]
    targets[0] = replace(
        first, settings=replace(first.settings, warnings=first.settings.warnings + tuple(warnings))
    )
    return tuple(targets), output


def _chosen_tables(
    tables: tuple[dict[str, Any], ...], names: tuple[str, ...]
) -> list[dict[str, Any]]:
    if not names:
        return [dict(t) for t in tables]
    known = {t["name"]: t for t in tables}
    unknown = [n for n in names if n not in known]
    if unknown:
        listed = ", ".join(known) or "none defined"
        raise SettingsError(f"--target {unknown[0]!r}: no such target (targets: {listed})")
    return [dict(known[n]) for n in dict.fromkeys(names)]


def _detected_tables(env: Mapping[str, str], tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``--all``: a target for every provider whose own key variable is set, unless a
    configured target already uses that provider."""
    from modelcheck.providers import PROVIDERS

    taken = {t.get("provider") for t in tables} | {t["name"] for t in tables}
    found = []
    for prov in PROVIDERS.values():
        if prov.name in taken or prov.name == "compatible" or prov.name == "gemini-openai":
            continue
        variable = next((v for v in prov.key_envs if env.get(v)), None)
        if variable is None or (prov.name != "openai" and variable == "OPENAI_API_KEY"):
            continue
        found.append(
            {"name": prov.name, "provider": prov.name, "api_key_env": variable, "_detected": True}
        )
    return found


def _route_models(models: tuple[str, ...], names: list[str]) -> dict[str, tuple[str, ...]]:
    routed: dict[str, list[str]] = {}
    for item in models:
        head, sep, rest = item.partition(":")
        if sep and head in names and rest:
            routed.setdefault(head, []).append(rest)
        elif len(names) == 1:
            routed.setdefault(names[0], []).append(item)
        else:
            raise SettingsError(
                f"model {item!r}: say which target it is for, e.g. {names[0]}:{item} "
                f"(targets: {', '.join(names)})"
            )
    return {k: tuple(v) for k, v in routed.items()}


def _concurrency_shares(total: int, n: int) -> list[int]:
    """``total`` requests in flight split fairly over ``n`` targets (each at least 1)."""
    base, extra = divmod(max(total, n), n)
    return [base + (1 if i < extra else 0) for i in range(n)]
