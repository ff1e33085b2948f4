"""The one exception the CLI turns into a clean message and exit code 2 (no traceback)."""


class FinetuneError(RuntimeError):
    """Bad input or an unusable environment; the message names the problem and the fix."""
