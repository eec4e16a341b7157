"""Exit statuses: a documented, stable contract (see README, "Exit status")."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process exit code means."""

    OK = 0
    """Every requested model is usable with this key."""
    PROBLEM = 1
    """At least one model, or the key itself, is definitely not usable."""
    USAGE = 2
    """Usage or configuration error (bad flag, unreadable key file, bad base URL)."""
    INCONCLUSIVE = 3
    """Could not decide: network failure, 5xx, or rate limited after the retries."""
    INTERRUPTED = 130
    """Interrupted by Ctrl-C (128 + SIGINT)."""
