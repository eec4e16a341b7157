"""Console-script entry point. `modelcheck --version` answers without loading click."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line (see cli.py)."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from modelcheck import __version__

        # The same line click's version option prints (tests compare the two).
        sys.stdout.write(f"modelcheck, version {__version__}\n")
        return
    # httpx imports its own command line (httpx._main: rich, pygments) whenever those happen
    # to be installed; modelcheck never uses it, and it would cost ~50 ms of start-up.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    from modelcheck.cli import main as cli_main

    cli_main()
