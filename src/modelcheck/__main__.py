"""Entry point for ``python -m modelcheck``."""

from modelcheck.entry import main

if __name__ == "__main__":
    main()
