"""A Groq-compatible HTTP server for tests and benchmarks: the faults, on demand.

It speaks the routes the ``groq`` SDK calls under its ``base_url`` (``POST
/openai/v1/chat/completions``, ``GET /openai/v1/models/<model>``) with Groq's response shapes,
error bodies and ``x-ratelimit-*`` headers, and enforces requests-per-window, tokens-per-window
and per-"day" limits the way Groq does (429 with ``retry-after``). The window length is
configurable so a benchmark can compress a minute into seconds; every run must say which it used.

Each chat request is answered by the next behaviour in ``script`` (then by ``behaviour``,
default: a correct answer). Behaviours are plain functions, so a test states exactly the fault
it injects. The "translation" is a fixed English sentence per id, never the source text.

Run it by hand: ``python -m tests.fakes.fake_groq --rpm 30`` and point ``--base-url`` at it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHAT_PATH = "/openai/v1/chat/completions"
MODELS_PATH = "/openai/v1/models/"
DEFAULT_MODELS = ("llama-3.3-70b-versatile",)


@dataclass
class ChatRequest:
    """One chat completion request as the fake understood it."""

    body: dict
    prompt: str  # the last user message
    segments: dict[str, str] | None  # the batch, when the prompt is a JSON object of id → text


@dataclass
class Reply:
    """How to answer: a chat completion with ``content`` (None: the correct answer), or an error."""

    status: int = 200
    content: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    error: dict[str, str] | None = None


Behaviour = Callable[[ChatRequest], Reply]


def english_for(key: str) -> str:
    """The fake's translation of segment ``key``: stable, English, never the source."""
    return f"English rendering number {key}."


def correct_content(request: ChatRequest) -> str:
    if request.segments is None:
        return f"English rendering of a {len(request.prompt)}-character message."
    return json.dumps({key: english_for(key) for key in request.segments})


def correct(request: ChatRequest) -> Reply:
    return Reply(content=correct_content(request))


def chatter(request: ChatRequest) -> Reply:
    return Reply(content="Here is the translation you asked for:\n" + correct_content(request))


def missing_ids(count: int = 1) -> Behaviour:
    def reply(request: ChatRequest) -> Reply:
        answer = {key: english_for(key) for key in list(request.segments or {})[count:]}
        return Reply(content=json.dumps(answer))

    return reply


def extra_ids(request: ChatRequest) -> Reply:
    answer = {key: english_for(key) for key in request.segments or {}}
    answer["not-asked-for"] = "An extra line."
    return Reply(content=json.dumps(answer))


def echo_ids(keys: set[str]) -> Behaviour:
    """Answer correctly except that the segments in ``keys`` come back untranslated, always."""

    def reply(request: ChatRequest) -> Reply:
        segments = request.segments or {}
        answer = {key: text if key in keys else english_for(key) for key, text in segments.items()}
        return Reply(content=json.dumps(answer, ensure_ascii=False))

    return reply


def status(
    code: int, *, retry_after: float | None = None, message: str = "fault injected", error_code: str | None = None
) -> Behaviour:
    """An error answer with Groq's error body (and ``retry-after`` when given)."""
    headers = {}
    if retry_after is not None:
        headers = {"retry-after": str(math.ceil(retry_after)), "retry-after-ms": str(int(retry_after * 1000))}
    error = {"message": message, "type": "invalid_request_error" if code < 500 else "internal_server_error"}
    if error_code:
        error["code"] = error_code
    return lambda request: Reply(status=code, headers=headers, error=error)


def daily_quota(retry_after: float) -> Behaviour:
    return status(
        429,
        retry_after=retry_after,
        error_code="rate_limit_exceeded",
        message=(
            "Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_fake` service tier "
            "`on_demand` on tokens per day (TPD): Limit 100000, Used 99950, Requested 700. "
            f"Please try again in {retry_after:.0f}s."
        ),
    )


def slow(seconds: float) -> Behaviour:
    return lambda request: Reply(content=correct_content(request), delay=seconds)


def _tokens(text: str) -> int:
    return len(text) // 3 + 1


def _duration(seconds: float) -> str:
    """Groq's reset header format: ``2m59.56s`` / ``7.66s``."""
    minutes, secs = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}m{secs:.2f}s" if minutes else f"{secs:.2f}s"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client killed mid-request (the kill -9 tests do that on purpose)
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeGroq:
    """The server (see the module docstring). Use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        rpm: int | None = None,
        tpm: int | None = None,
        rpd: int | None = None,
        window: float = 60.0,
        latency: float = 0.0,
        models: tuple[str, ...] = DEFAULT_MODELS,
        port: int = 0,
    ) -> None:
        self.port = port
        self.api_key, self.rpm, self.tpm, self.rpd = api_key, rpm, tpm, rpd
        self.window, self.day = window, window * 1440
        self.latency, self.models = latency, models
        self.script: deque[Behaviour] = deque()
        self.behaviour: Behaviour = correct
        self.stats: Counter[str] = Counter()
        self.batches: list[list[str]] = []  # ids of each chat request answered 200
        self._lock = threading.Lock()
        self._accepted: deque[float] = deque()  # times of requests inside the window
        self._tokens: deque[tuple[float, int]] = deque()
        self._day_start = time.monotonic()
        self._day_count = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeGroq:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

        self._server = _Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-groq", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGroq:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling ---------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        with self._lock:
            self.stats["http requests"] += 1
        if self.api_key is not None and handler.headers.get("authorization") != f"Bearer {self.api_key}":
            self._send(
                handler,
                401,
                {"error": {"message": "Invalid API Key", "type": "invalid_request_error", "code": "invalid_api_key"}},
            )
            return
        if method == "GET" and handler.path.startswith(MODELS_PATH):
            self._model(handler, handler.path[len(MODELS_PATH) :])
        elif method == "POST" and handler.path == CHAT_PATH:
            self._chat(handler, raw)
        else:
            self._send(
                handler,
                404,
                {
                    "error": {
                        "message": f"Unknown request URL: {method} {handler.path}",
                        "type": "invalid_request_error",
                        "code": "unknown_url",
                    }
                },
            )

    def _model(self, handler: BaseHTTPRequestHandler, model: str) -> None:
        if model not in self.models:
            self._send(
                handler,
                404,
                {
                    "error": {
                        "message": f"The model `{model}` does not exist or you do not have access to it.",
                        "type": "invalid_request_error",
                        "code": "model_not_found",
                    }
                },
            )
            return
        self._send(
            handler,
            200,
            {
                "id": model,
                "object": "model",
                "created": 1733447754,
                "owned_by": "Meta",
                "active": True,
                "context_window": 131072,
            },
        )

    def _chat(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        body = json.loads(raw or b"{}")
        prompt = next((m["content"] for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")
        try:
            segments = json.loads(prompt)
            segments = segments if isinstance(segments, dict) else None
        except json.JSONDecodeError:
            segments = None
        request = ChatRequest(body, prompt, segments)
        prompt_tokens = sum(_tokens(m.get("content", "")) for m in body.get("messages", []))
        with self._lock:
            self.stats["chat requests"] += 1
            limited = self._over_limit(prompt_tokens)
            behaviour = self.script.popleft() if self.script else self.behaviour
            if limited is None:
                self._accepted.append(time.monotonic())
                self._day_count += 1
        reply = limited or behaviour(request)
        time.sleep(self.latency + reply.delay)
        if reply.status != 200:
            with self._lock:
                self.stats[f"status {reply.status}"] += 1
            self._send(
                handler,
                reply.status,
                {"error": reply.error or {"message": "error"}},
                {**self._limit_headers(), **reply.headers},
            )
            return
        content = reply.content if reply.content is not None else correct_content(request)
        completion_tokens = _tokens(content)
        with self._lock:
            self.stats["status 200"] += 1
            self._tokens.append((time.monotonic(), prompt_tokens + completion_tokens))
            self.batches.append(list(segments or {}))
        self._send(
            handler,
            200,
            {
                "id": f"chatcmpl-{uuid.uuid4()}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", ""),
                "system_fingerprint": "fp_fake",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
                "x_groq": {"id": f"req_{uuid.uuid4().hex}"},
            },
            self._limit_headers(),
        )

    def _over_limit(self, prompt_tokens: int) -> Reply | None:
        """A 429 like Groq's when this request would break a limit (caller holds the lock)."""
        now = time.monotonic()
        while self._accepted and self._accepted[0] <= now - self.window:
            self._accepted.popleft()
        while self._tokens and self._tokens[0][0] <= now - self.window:
            self._tokens.popleft()
        if now - self._day_start >= self.day:
            self._day_start, self._day_count = now, 0
        if self.rpd is not None and self._day_count >= self.rpd:
            return self._limited("requests per day (RPD)", self.rpd, self.day - (now - self._day_start))
        if self.rpm is not None and len(self._accepted) >= self.rpm:
            return self._limited("requests per minute (RPM)", self.rpm, self._accepted[0] + self.window - now)
        used = sum(tokens for _, tokens in self._tokens)
        if self.tpm is not None and self._tokens and used + prompt_tokens > self.tpm:
            return self._limited("tokens per minute (TPM)", self.tpm, self._tokens[0][0] + self.window - now)
        return None

    @staticmethod
    def _limited(what: str, limit: int, wait: float) -> Reply:
        return status(
            429,
            retry_after=max(wait, 0.001),
            error_code="rate_limit_exceeded",
            message=(
                f"Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_fake` service tier "
                f"`on_demand` on {what}: Limit {limit}, Used {limit}, Requested 1. "
                f"Please try again in {_duration(wait)}."
            ),
        )(ChatRequest({}, "", None))

    def _limit_headers(self) -> dict[str, str]:
        """Groq's headers: the ``-requests`` pair counts the day, the ``-tokens`` pair the minute."""
        with self._lock:
            now = time.monotonic()
            day_limit = self.rpd if self.rpd is not None else 14400
            tpm = self.tpm if self.tpm is not None else 300000
            used = sum(tokens for _, tokens in self._tokens)
            token_reset = self._tokens[0][0] + self.window - now if self._tokens else 0.0
            return {
                "x-ratelimit-limit-requests": str(day_limit),
                "x-ratelimit-remaining-requests": str(max(0, day_limit - self._day_count)),
                "x-ratelimit-reset-requests": _duration(self.day - (now - self._day_start)),
                "x-ratelimit-limit-tokens": str(tpm),
                "x-ratelimit-remaining-tokens": str(max(0, tpm - used)),
                "x-ratelimit-reset-tokens": _duration(token_reset),
            }

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, code: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            handler.send_response(code)
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(data)))
            handler.send_header("x-request-id", f"req_{uuid.uuid4().hex}")
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rpm", type=int)
    parser.add_argument("--tpm", type=int)
    parser.add_argument("--rpd", type=int)
    parser.add_argument("--window", type=float, default=60.0, help="seconds in a rate-limit 'minute'")
    args = parser.parse_args()
    fake = FakeGroq(rpm=args.rpm, tpm=args.tpm, rpd=args.rpd, window=args.window, port=args.port).start()
    print(f"fake Groq listening at {fake.base_url} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
