"""Where each report format goes: standard output or files, told apart so that the mapping cannot
silently go wrong (a table inside a .xml file).

The rules (README, "Formats and files"):
- ``--output PATH``: the format follows the extension (.json json, .xml junit, .md markdown,
  .txt table); ``--output FORMAT:PATH`` names it; ``-`` is standard output.
- ``--format FORMAT`` written right before ``--output PATH`` names that file's format.
- Any other ``--format`` goes to standard output, unless a file already takes that format.
- A format that contradicts the file's extension (``json`` for ``report.xml``) is a usage error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from modelcheck.names import FORMAT_CHOICES

STDOUT = "-"
EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".json": ("json",),
    ".xml": ("junit",),
    ".md": ("markdown",),
    ".markdown": ("markdown",),
    ".txt": ("table", "github"),
}
"""Extension -> the formats a file of that name may hold; the first is the default."""


class OutputError(ValueError):
    """A format/output combination that cannot be meant: one line, exit status 2."""


def split_output(spec: str) -> tuple[str | None, str]:
    """``"junit:report.xml"`` -> ("junit", "report.xml"); ``"report.xml"`` -> (None, ...).

    Only a known format name counts as a prefix, so ``C:\\report.json`` stays a path."""
    head, sep, tail = spec.partition(":")
    if sep and head in FORMAT_CHOICES and tail:
        return head, tail
    return None, spec


def _file_format(path: str, explicit: str | None) -> str:
    suffix = PurePath(path).suffix.lower()
    allowed = EXTENSIONS.get(suffix)
    if explicit is not None and explicit != "auto":
        if allowed is not None and explicit not in allowed:
            wanted = "/".join(allowed)
            raise OutputError(
                f"--output {path}: the {suffix} extension means {wanted}, not {explicit}; "
                f"name the file for its format (e.g. -o {explicit}:report"
                f"{_extension_of(explicit)}) or drop --format {explicit}"
            )
        return explicit
    if allowed is None:
        raise OutputError(
            f"--output {path}: cannot tell the format from the extension "
            f"{suffix or '(none)'}; write -o FORMAT:{path} (FORMAT: "
            f"{', '.join(f for f in FORMAT_CHOICES if f != 'auto')})"
        )
    return allowed[0]


def _extension_of(fmt: str) -> str:
    return next((ext for ext, formats in EXTENSIONS.items() if formats[0] == fmt), ".txt")


def resolve_outputs(
    formats: Sequence[str],
    outputs: Sequence[str],
    *,
    pairs: Sequence[tuple[str, str]] = (),
    github: bool = False,
) -> tuple[tuple[str, str | None], ...]:
    """(format, file) pairs, file None meaning standard output. Raises OutputError.

    ``pairs`` are ``--format F --output P`` written next to each other on the command line."""
    targets: list[tuple[str, str | None]] = []
    remaining = list(formats)
    # `auto` means "by the extension" for a file anyway, so `-f auto -o report.json` keeps auto
    # on standard output rather than binding it to the file.
    paired = [p for p in pairs if p[0] != "auto"]
    for spec in outputs:
        prefix, path = split_output(spec)
        explicit = prefix
        # `-f F -o P` binds F to P; an output that names its format (`-o junit:P`) is bound
        # already, and the -f before it goes to standard output.
        bound = None if prefix else next((p for p in paired if p[1] == spec), None)
        if bound is not None:
            paired.remove(bound)
            explicit = bound[0]
            if bound[0] in remaining:
                remaining.remove(bound[0])
        if path == STDOUT:
            fmt = explicit or "auto"
            targets.extend(_stdout(fmt, github))
            continue
        targets.append((_file_format(path, explicit), path))
    claimed = {fmt for fmt, path in targets if path is not None}
    for fmt in remaining:
        if fmt in claimed:
            continue  # `-f junit -o report.xml` (not adjacent): the file takes it
        targets.extend(_stdout(fmt, github))
    if not formats and not outputs:
        targets.extend(_stdout("auto", github))
    return tuple(dict.fromkeys(targets))


def _stdout(fmt: str, github: bool) -> list[tuple[str, str | None]]:
    if fmt == "auto":
        return [("github", None), ("table", None)] if github else [("table", None)]
    return [(fmt, None)]


def adjacent_pairs(args: Sequence[str]) -> list[tuple[str, str]]:
    """``--format F`` immediately followed by ``--output P`` in raw arguments (any spelling:
    ``-f F``, ``-fF``, ``--format=F``; ``-o P``, ``-oP``, ``--output=P``)."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            break
        for kind, short, long in (("f", "-f", "--format"), ("o", "-o", "--output")):
            if arg in (short, long) and i + 1 < len(args):
                tokens.append((kind, args[i + 1]))
                i += 1
                break
            if arg.startswith(long + "="):
                tokens.append((kind, arg[len(long) + 1 :]))
                break
            if arg.startswith(short) and len(arg) > 2 and not arg.startswith("--"):
                tokens.append((kind, arg[2:]))
                break
        else:
            tokens.append(("", arg))
        i += 1
    return [
        (value, tokens[j + 1][1])
        for j, (kind, value) in enumerate(tokens[:-1])
        if kind == "f" and tokens[j + 1][0] == "o"
    ]
