"""interviewer: a command-line practice interviewer for ML job candidates, backed by any LLM."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("interviewer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
