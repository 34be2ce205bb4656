"""interviewer: a command-line practice interviewer for ML job candidates, backed by any LLM.

A package per concept, on floors: each package's docstring says its job and which
packages it may import (always ones on lower floors), ``tests/test_layout.py`` holds the
code to that, and the README's layout is drawn from the same docstrings.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__`` from the package metadata, read on first use: ``importlib.metadata``
    costs about 40 ms to import, which every start-up would pay for a line only
    ``--version`` prints."""
    if name != "__version__":
        raise AttributeError(f"module 'interviewer' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("interviewer")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"
