"""modelcheck: tells you why an API key cannot use a model, and tells CI whether it can."""

__version__ = "0.1.0"

__all__ = ["__version__"]
