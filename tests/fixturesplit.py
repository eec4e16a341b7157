"""The fixed train/test split of the error fixtures (benchmarks/explain_accuracy.py).

A third of the fixtures, chosen by a hash of the file name (never by hand), form the test
split: rules are written without reading them, and the benchmark reports both splits.
"""

from __future__ import annotations

import hashlib


def split_of(file_name: str) -> str:
    """ "test" for a third of the file names (by SHA-256), else "train"."""
    digest = hashlib.sha256(file_name.encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % 3 == 0 else "train"
