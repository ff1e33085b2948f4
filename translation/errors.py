"""The outcomes that end or shape a run, shared by backends, engine and CLI.

``RunStopped`` and its kinds stop a run cleanly: what is done is saved, and rerunning the same
command continues. ``AnswerRejected`` is not a stop: the engine splits the batch and retries.
"""

from __future__ import annotations

from datetime import datetime, timedelta


class RunStopped(Exception):
    """Stop the whole run, keeping everything saved so far. ``exit_code`` follows sysexits."""

    exit_code = 75  # EX_TEMPFAIL: try again later

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuotaExhausted(RunStopped):
    """The provider's quota will not refill soon (a daily limit, or a wait beyond --max-wait)."""

    def __init__(self, message: str, wait_seconds: float | None) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds

    def resume_at(self, now: datetime | None = None) -> datetime | None:
        """Local wall-clock time after which a rerun will find quota again."""
        if self.wait_seconds is None:
            return None
        return (now or datetime.now().astimezone()) + timedelta(seconds=self.wait_seconds)


class ServiceUnavailable(RunStopped):
    """The backend kept failing (5xx, timeouts, no connection) past the retry budget."""


class BackendFatal(RunStopped):
    """Retrying cannot help (bad key, unknown model): the user must change something first."""

    exit_code = 3


class AnswerRejected(Exception):
    """The backend refused or could not produce an answer for this batch (e.g. Groq's
    ``json_validate_failed``, a request too large): split the batch and try again."""
