"""Options as data, the config file ([tool.modelcheck] or modelcheck.toml) and MODELCHECK_*
environment variables. Every error names the file, the line and the key.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from modelcheck.names import COLOR_CHOICES, FAIL_ON_CHOICES, FORMAT_CHOICES, MODE_CHOICES

if TYPE_CHECKING:
    from pathlib import Path

CONFIG_NAME = "modelcheck.toml"
ENV_PREFIX = "MODELCHECK_"


class ConfigError(Exception):
    """A bad config file, setting or MODELCHECK_* variable: one line, exit status 2."""


@dataclass(frozen=True)
class Option:
    """One setting: its config key (= long flag name with underscores) and type."""

    name: str
    kind: str
    """"str", "int", "float", "bool", "date" (YYYY-MM-DD) or "list" (of strings)."""
    choices: tuple[str, ...] = ()
    secret: bool = False
    """Refused in a config file (a key must not be committed)."""


def _opts(*items: Option) -> dict[str, Option]:
    return {o.name: o for o in items}


OPTIONS: dict[str, Option] = _opts(
    Option("provider", "str"),
    Option("base_url", "str"),
    Option("api_key_env", "str"),
    Option("api_key_file", "str"),
    Option("api_key", "str", secret=True),
    Option("org", "str"),
    Option("project", "str"),
    Option("require", "list"),
    Option("free", "bool"),
    Option("strict", "bool"),
    Option("fail_on", "str", FAIL_ON_CHOICES),
    Option("format", "list", FORMAT_CHOICES),
    Option("output", "list"),
    Option("table_style", "str"),
    Option("summary", "bool"),
    Option("color", "str", COLOR_CHOICES),
    Option("quiet", "bool"),
    Option("verbose", "bool"),
    Option("timeout", "float"),
    Option("concurrency", "int"),
    Option("max_requests", "int"),
    Option("max_tokens", "int"),
    Option("retries", "int"),
    Option("allow_http", "bool"),
    Option("ca_bundle", "str"),
    Option("as_of", "date"),
    Option("mode", "str", MODE_CHOICES),
    Option("endpoint", "str", MODE_CHOICES),
    Option("paid_probes", "list", MODE_CHOICES),
    Option("headers", "list"),
    Option("api_version", "str"),
    Option("anthropic_version", "str"),
    Option("region", "str"),
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _suggest(name: str) -> str:
    near = difflib.get_close_matches(name, OPTIONS, n=1)
    return f" (did you mean {near[0]}?)" if near else ""


def convert(option: Option, value: Any, where: str) -> Any:
    """Check and convert one value (from TOML or an env string); raise ConfigError."""
    kind = option.kind
    wrong = f"{where}: {option.name!r} must be"
    if kind == "date":
        return _date(value, wrong)
    if isinstance(value, str) and kind != "str":
        text = value.strip()
        try:
            if kind == "int":
                value = int(text)
            elif kind == "float":
                value = float(text)
            elif kind == "bool":
                if text.lower() not in _TRUE | _FALSE:
                    raise ValueError(text)
                value = text.lower() in _TRUE
            elif kind == "list":
                value = [v for v in re.split(r"[,\s]+", text) if v]
        except ValueError:
            raise ConfigError(f"{wrong} {_KIND_WORDS[kind]}, not {value!r}") from None
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{wrong} an integer, not {value!r}")
    if kind == "float" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConfigError(f"{wrong} a number, not {value!r}")
    if kind == "bool" and not isinstance(value, bool):
        raise ConfigError(f"{wrong} true or false, not {value!r}")
    if kind == "str" and not isinstance(value, str):
        raise ConfigError(f"{wrong} a string, not {value!r}")
    if kind == "list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{wrong} a list of strings, not {value!r}")
    if option.choices:
        for item in value if isinstance(value, list) else [value]:
            if item not in option.choices:
                raise ConfigError(f"{wrong} one of {', '.join(option.choices)}, not {item!r}")
    return float(value) if kind == "float" else value


def _date(value: Any, wrong: str) -> str:
    """A YYYY-MM-DD string (TOML may also give a bare date, which it parses itself)."""
    import datetime

    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ConfigError(f"{wrong} a date (YYYY-MM-DD), not {value!r}")


_KIND_WORDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "list": "a list of strings",
    "str": "a string",
    "date": "a date (YYYY-MM-DD)",
}


@dataclass(frozen=True)
class ConfigFile:
    """A found config file and its validated settings."""

    path: Path
    values: dict[str, Any]
    targets: tuple[dict[str, Any], ...] = ()
    """``[[tool.modelcheck.target]]`` tables: a ``name`` and any per-target setting."""


def _line_of(text: str, key: str, section: str | None) -> int | None:
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            current = header.group(1).strip().replace('"', "")
            continue
        if current == section and re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def load(path: Path) -> ConfigFile:
    """Read and validate one config file (pyproject.toml or modelcheck.toml)."""
    # Imported here: `--help` and `--version` never read a config file.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise ConfigError(f"cannot read config file {path}: {reason}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    section: str | None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("modelcheck", {})
        section = "tool.modelcheck"
    else:
        table, section = data, None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.modelcheck] must be a table")
    values: dict[str, Any] = {}
    targets: tuple[dict[str, Any], ...] = ()
    for key, value in table.items():
        line = _line_of(text, key, section)
        where = f"{path}:{line}" if line else str(path)
        if key == "target":
            targets = _targets(value, path, text, section)
            continue
        values[key] = _setting(key, value, where)
    return ConfigFile(path=path, values=values, targets=targets)


TARGET_ONLY = frozenset(
    {"format", "output", "table_style", "summary", "color", "quiet", "verbose", "fail_on", "strict"}
)
"""Settings of the whole run: not allowed inside a target table."""
_TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _setting(key: str, value: Any, where: str) -> Any:
    option = OPTIONS.get(key)
    if option is None:
        raise ConfigError(f"{where}: unknown setting {key!r}{_suggest(key)}")
    if option.secret:
        raise ConfigError(
            f"{where}: {key!r} is not allowed in a config file (it would be committed); "
            "use api_key_env or api_key_file"
        )
    return convert(option, value, where)


def _targets(value: Any, path: Path, text: str, section: str | None) -> tuple[dict[str, Any], ...]:
    """Validate ``[[target]]`` tables: a unique ``name``, then per-target settings."""
    header = f"[[{section}.target]]" if section else "[[target]]"
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise ConfigError(f"{path}: 'target' must be {header} tables")
    targets: list[dict[str, Any]] = []
    for number, table in enumerate(value, 1):
        where = f"{path}: {header} #{number}"
        name = table.get("name")
        if not isinstance(name, str) or not _TARGET_NAME.match(name):
            raise ConfigError(f"{where}: needs a name (letters, digits, '-', '_', '.')")
        if any(t["name"] == name for t in targets):
            raise ConfigError(f"{where}: the name {name!r} is used twice")
        checked: dict[str, Any] = {"name": name}
        for key, item in table.items():
            if key == "name":
                continue
            if key in TARGET_ONLY:
                raise ConfigError(
                    f"{where} ({name}): {key!r} is a setting of the whole run; put it in "
                    f"[{section or 'the top level'}]"
                )
            checked[key] = _setting(key, item, f"{where} ({name})")
        targets.append(checked)
    return tuple(targets)


def _has_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[tool\.modelcheck\]", text, re.M) is not None


def discover(start: Path) -> Path | None:
    """modelcheck.toml, or a pyproject.toml with [tool.modelcheck], from ``start`` upwards."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_section(pyproject):
            return pyproject
    return None


NOT_SETTINGS = frozenset({"MODELCHECK_TRACEBACK"})
"""MODELCHECK_* variables that are read but are not settings."""
TEST_PREFIX = "MODELCHECK_TEST_"
"""Variables of the test suite and CI scripts (server paths, fuzzing), never settings."""


def unknown_env(env: Mapping[str, str]) -> tuple[str, ...]:
    """Warnings for MODELCHECK_* variables that name no setting (a typo is otherwise silent;
    in a config file the same typo is an error)."""
    known = {ENV_PREFIX + name.upper() for name, o in OPTIONS.items() if not o.secret}
    warnings = []
    for name in sorted(env):
        if not name.startswith(ENV_PREFIX) or name in known or name in NOT_SETTINGS:
            continue
        if name.startswith(TEST_PREFIX):
            continue
        setting = name[len(ENV_PREFIX) :].lower()
        if setting == "api_key":
            hint = " (the key itself is never read from MODELCHECK_*: use --api-key-env)"
        else:
            near = difflib.get_close_matches(setting, OPTIONS, n=1)
            hint = f" (did you mean {ENV_PREFIX}{near[0].upper()}?)" if near else ""
        warnings.append(f"environment variable {name} names no setting; ignored{hint}")
    return tuple(warnings)


def from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings given as MODELCHECK_<NAME> variables (e.g. MODELCHECK_FORMAT=json)."""
    values: dict[str, Any] = {}
    for name, option in OPTIONS.items():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is None or not raw.strip() or option.secret:
            continue  # an empty variable (CI systems set them) is an unset one
        values[name] = convert(option, raw, f"environment variable {ENV_PREFIX}{name.upper()}")
    return values
