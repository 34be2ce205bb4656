"""Running the candidate's code in the coding round, outside the candidate's reach.

- ``extract``: the code in a candidate's answer (``extract_code``).
- ``check``: the opening's tests run against the code in two child processes, and the
  verdict; ``_harness``: those processes, run as a script by path (standard library only).
- ``outcome``: the verdict's report read into a ``CheckResult``, and ``format_result``.
- ``sandbox``: where the code runs (bubblewrap, or the opted-in fallback), and what is
  then not contained.

May import: errors, formats.
"""
