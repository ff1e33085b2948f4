"""Typed errors for everything that can go wrong between hadra and Ollama.

Why typed: the chat service ends a message ``failed`` with a message the user can act on, and a
caller must tell "the model does not exist" from "Ollama is overloaded" from "Ollama went away"
without parsing strings. Every error here is an :class:`OllamaError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import aiohttp
import httpx
import ollama

from contract.errors import ErrorCode, ErrorInfo
from ollama_gateway.hosts import shown


class OllamaError(Exception):
    """Base class: a request to Ollama did not give a full answer. ``code`` is the contract's error
    code for it, which a failed answer carries to the browser."""

    code: ClassVar[ErrorCode] = ErrorCode.MODEL_SERVER_ERROR

    def __init__(self, message: str, host: str, status: int | None = None) -> None:
        # The message and ``host`` reach logs, the admin page and failed answers' users: never the
        # user name and password a host's address may carry.
        super().__init__(message.replace(host, shown(host)))
        self.host = shown(host)
        self.status = status

    def info(self) -> ErrorInfo:
        return ErrorInfo(code=self.code, message=str(self), params=self.params())

    def params(self) -> dict[str, str | int | float]:
        return {"host": self.host}


class OllamaUnavailable(OllamaError):
    """Ollama refused the connection or went away (closed the connection) mid-request."""

    code = ErrorCode.MODEL_SERVER_UNAVAILABLE


class ModelNotFound(OllamaError):
    """Ollama answered 404: the model is not registered there."""

    code = ErrorCode.MODEL_NOT_FOUND

    def __init__(self, message: str, host: str, model: str | None) -> None:
        super().__init__(message, host, 404)
        self.model = model

    def params(self) -> dict[str, str | int | float]:
        return super().params() | ({"model": self.model} if self.model else {})


class OllamaBusy(OllamaError):
    """Ollama answered 503: its request queue is full (``OLLAMA_MAX_QUEUE``)."""

    code = ErrorCode.MODEL_SERVER_BUSY


class OllamaTimeout(OllamaError):
    """Ollama sent nothing for longer than the gateway's read timeout (or did not accept the connection)."""

    code = ErrorCode.MODEL_SERVER_TIMEOUT


class StreamEndedEarly(OllamaError):
    """The answer stream closed cleanly but without its final ``done`` chunk (Ollama aborted it)."""

    code = ErrorCode.ANSWER_CUT_SHORT


class OllamaRequestFailed(OllamaError):
    """Any other refusal: an HTTP error status, or an ``{"error": ...}`` line in a stream (status None)."""


def error_for_status(status: int, detail: str, host: str, model: str | None = None) -> OllamaError:
    """The typed error for an HTTP error ``status`` with Ollama's own ``detail`` text."""
    if status == 404:
        return ModelNotFound(
            f"model {model!r} is not available on Ollama at {host} ({detail}); "
            "choose one of GET /api/models or register it first",
            host,
            model,
        )
    if status == 503:
        return OllamaBusy(f"Ollama at {host} is busy ({detail}); try again in a moment", host, 503)
    return OllamaRequestFailed(f"Ollama at {host} refused the request: HTTP {status}: {detail}", host, status)


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", response.text))
    except ValueError:
        return response.text


@contextmanager
def translated(host: str, model: str | None = None) -> Iterator[None]:
    """Turn the ``ollama`` library's, httpx's and aiohttp's (answer streams) exceptions into the
    typed errors above."""
    try:
        yield
    except ollama.ResponseError as exc:
        if exc.status_code == -1:  # an {"error": ...} line in the middle of a stream
            raise OllamaRequestFailed(f"Ollama at {host} stopped with an error: {exc.error}", host) from exc
        raise error_for_status(exc.status_code, exc.error, host, model) from exc
    except httpx.HTTPStatusError as exc:
        raise error_for_status(exc.response.status_code, _detail(exc.response), host, model) from exc
    except httpx.TimeoutException as exc:
        raise OllamaTimeout(f"Ollama at {host} did not answer in time ({type(exc).__name__})", host) from exc
    except (httpx.ConnectError, ConnectionError) as exc:
        raise OllamaUnavailable(
            f"Ollama at {host} is not reachable; start it (make run) or set OLLAMA_HOST", host
        ) from exc
    except httpx.TransportError as exc:
        raise OllamaUnavailable(f"Ollama at {host} went away mid-request ({exc})", host) from exc
    except aiohttp.ServerTimeoutError as exc:
        raise OllamaTimeout(f"Ollama at {host} did not answer in time ({type(exc).__name__})", host) from exc
    except aiohttp.ClientConnectorError as exc:
        raise OllamaUnavailable(
            f"Ollama at {host} is not reachable; start it (make run) or set OLLAMA_HOST", host
        ) from exc
    except aiohttp.ClientError as exc:  # the connection dropped, a body cut off mid-chunk
        raise OllamaUnavailable(f"Ollama at {host} went away mid-request ({exc})", host) from exc
