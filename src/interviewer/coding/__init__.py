"""Running the candidate's code: the checks, the sandbox, and the harness run as a script."""
