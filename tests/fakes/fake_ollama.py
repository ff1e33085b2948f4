"""A protocol-faithful fake Ollama for fault injection and load: what the real CPU Ollama cannot do on cue.

It speaks Ollama's HTTP API (``/api/chat`` streamed as NDJSON or whole, ``/api/generate`` to load a
model, ``/api/version``, ``/api/tags``, ``/api/show``, ``/api/create`` in the current and the legacy
form, ``/api/blobs``, ``/api/delete``) and
misbehaves per model: the model name picks a :class:`Behaviour` (speed, length, an HTTP error, a stream
without ``done``, a socket closed mid-answer, silence). It records every request and every client that
hung up before the answer was complete, which is how a test proves that "stop" closed the stream.

In a test::

    with FakeOllama() as fake:                       # its own thread and event loop
        fake.set_behaviour("slow", tokens=100, tokens_per_s=20)
        ... point the code under test at fake.url, chat with model "slow" ...
        assert fake.disconnects[0].model == "slow:latest"

As a process (e.g. for a load test): ``python -m tests.fakes.fake_ollama --port P``, controlled with
:class:`FakeOllamaProcess` or the ``/fake/*`` endpoints directly.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.h11_server import ClientGone, Exchange, serve_connection

DEFAULT_MODEL = "fake-model"
# What Ollama itself answers for these statuses, so error handling is tested against real wording.
ERROR_TEXT = {
    404: 'model "{model}" not found, try pulling it first',
    500: "llama runner process has terminated: signal: killed",
    503: "server busy, please try again.  maximum pending requests exceeded",
}


@dataclass
class Behaviour:
    """How the fake answers a chat for one model. Positions count content chunks already sent.

    ``tokens_per_s`` is read before every token, so a test may change it on the object
    ``set_behaviour`` returned while an answer streams: hold an answer open (slow) for as long as
    the test needs it in flight, then let it finish (fast). ``float("inf")``: no pause at all.
    """

    tokens: int = 5
    tokens_per_s: float = 200.0
    word: str = "tok"
    status: int | None = None  # answer this HTTP error instead (404, 500, 503, ...)
    end_without_done: bool = False  # finish the body cleanly but never send the done chunk
    die_after: int | None = None  # close the socket after this many chunks (no terminating chunk)
    hang_after: int | None = None  # go silent after this many chunks (0: before the headers)
    error_after: int | None = None  # send an {"error": ...} line after this many chunks, then end
    done_reason: str = "stop"

    def piece(self, index: int) -> str:
        return f"{self.word}{index} "

    def reply(self) -> str:
        """The whole answer a client should assemble when nothing goes wrong."""
        return "".join(self.piece(i) for i in range(self.tokens))


@dataclass(frozen=True)
class Disconnect:
    """A client that closed the connection before the answer was complete."""

    model: str
    chunks_sent: int


@dataclass
class FakeModel:
    behaviour: Behaviour = field(default_factory=Behaviour)
    created: dict[str, Any] = field(default_factory=dict)  # the /api/create body that made it


def full_name(model: str) -> str:
    """Ollama's canonical name: a model without a tag is ``:latest``."""
    return model if ":" in model else f"{model}:latest"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class FakeState:
    """Everything the fake knows; shared between the server thread and the test (GIL-atomic updates)."""

    version: str = "0.12.6"
    legacy_create: bool = False  # answer like Ollama <= 0.5.4: /api/create needs a Modelfile
    models: dict[str, FakeModel] = field(default_factory=lambda: {full_name(DEFAULT_MODEL): FakeModel()})
    blobs: set[str] = field(default_factory=set)
    requests: list[dict[str, Any]] = field(default_factory=list)  # every API request: method, path, body
    disconnects: list[Disconnect] = field(default_factory=list)

    def set_behaviour(self, model: str, **fields: Any) -> Behaviour:
        behaviour = Behaviour(**fields)
        name = full_name(model)
        self.models[name] = FakeModel(behaviour, self.models.get(name, FakeModel()).created)
        return behaviour

    def reset(self) -> None:
        fresh = FakeState(version=self.version, legacy_create=self.legacy_create)
        self.models, self.blobs = fresh.models, fresh.blobs
        self.requests.clear()
        self.disconnects.clear()


def _details() -> dict[str, Any]:
    return {
        "parent_model": "",
        "format": "gguf",
        "family": "gemma3",
        "families": ["gemma3"],
        "parameter_size": "268.10M",
        "quantization_level": "Q4_K_M",
    }


class FakeOllamaApp:
    """The routes. One instance per server; ``state`` may be changed while it serves."""

    def __init__(self, state: FakeState) -> None:
        self.state = state
        self._routes = {
            ("POST", "/api/chat"): self._chat,
            ("POST", "/api/generate"): self._load,
            ("GET", "/api/version"): self._version,
            ("GET", "/api/tags"): self._tags,
            ("POST", "/api/show"): self._show,
            ("POST", "/api/create"): self._create,
            ("DELETE", "/api/delete"): self._delete,
            ("POST", "/fake/behaviour"): self._control_behaviour,
            ("POST", "/fake/reset"): self._control_reset,
            ("GET", "/fake/state"): self._control_state,
        }

    async def handle(self, ex: Exchange) -> None:
        if not ex.path.startswith("/fake/"):
            self.state.requests.append(
                {
                    "method": ex.method,
                    "path": ex.path,
                    "body": ex.json() if ex.is_json() else None,
                    "client_port": ex.client_port,
                }
            )
        if ex.path.startswith("/api/blobs/"):
            await self._blob(ex)
            return
        route = self._routes.get((ex.method, ex.path.split("?")[0]))
        if route is None:
            await ex.respond(404, b"404 page not found", "text/plain")
            return
        await route(ex)

    async def _version(self, ex: Exchange) -> None:
        await ex.respond_json(200, {"version": self.state.version})

    async def _tags(self, ex: Exchange) -> None:
        models = [
            {
                "name": name,
                "model": name,
                "modified_at": _now(),
                "size": 253113907,
                "digest": hashlib.sha256(name.encode()).hexdigest(),
                "details": _details(),
            }
            for name in self.state.models
        ]
        await ex.respond_json(200, {"models": models})

    async def _show(self, ex: Exchange) -> None:
        name = full_name(ex.json().get("model", ""))
        model = self.state.models.get(name)
        if model is None:
            await ex.respond_json(404, {"error": f"model '{name}' not found"})
            return
        await ex.respond_json(
            200,
            {
                "modelfile": model.created.get("modelfile", f"FROM {name}\n"),
                "parameters": "\n".join(f"{k} {v}" for k, v in model.created.get("parameters", {}).items()),
                "template": model.created.get("template", "{{ .Prompt }}"),
                "details": _details(),
                "model_info": {"general.architecture": "gemma3"},
                "modified_at": _now(),
            },
        )

    async def _load(self, ex: Exchange) -> None:
        """A generate without a prompt, which is how Ollama is asked to load a model (all it does here)."""
        body = ex.json()
        name = full_name(body.get("model", ""))
        if name not in self.state.models:
            await ex.respond_json(404, {"error": ERROR_TEXT[404].format(model=body.get("model", ""))})
            return
        await ex.respond_json(
            200, {"model": name, "created_at": _now(), "response": "", "done": True, "done_reason": "load"}
        )

    async def _chat(self, ex: Exchange) -> None:
        body = ex.json()
        if not body.get("model"):
            await ex.respond_json(400, {"error": "model is required"})
            return
        name = full_name(body["model"])
        model = self.state.models.get(name)
        if model is None:
            await ex.respond_json(404, {"error": ERROR_TEXT[404].format(model=body["model"])})
            return
        behaviour = model.behaviour
        if behaviour.status is not None:
            text = ERROR_TEXT.get(behaviour.status, "fake failure").format(model=body["model"])
            await ex.respond_json(behaviour.status, {"error": text})
            return
        sent = [0]
        try:
            if body.get("stream", True):
                await self._stream(ex, name, behaviour, body, sent)
            else:
                await self._whole(ex, name, behaviour, body, sent)
        except ClientGone:
            self.state.disconnects.append(Disconnect(name, sent[0]))
            raise

    async def _stream(
        self, ex: Exchange, name: str, behaviour: Behaviour, body: dict[str, Any], sent: list[int]
    ) -> None:
        if behaviour.hang_after == 0:
            await self._hang(ex)
        await ex.start_stream()
        started = time.monotonic_ns()
        # When the next token is due: the rate holds on average, also where the event loop cannot
        # sleep less than a millisecond (epoll) or this thread was held up (a busy machine).
        due = time.monotonic()
        for index in range(behaviour.tokens + 1):  # the last position is the done chunk's
            if index == behaviour.die_after:
                await ex.drop()
                return
            if index == behaviour.hang_after:
                await self._hang(ex)
            if index == behaviour.error_after:
                await ex.send_line({"error": ERROR_TEXT[500]})
                await ex.end_stream()
                return
            if index == behaviour.tokens:
                break
            await ex.send_line(self._message(name, behaviour.piece(index)))
            sent[0] += 1
            due += 1 / behaviour.tokens_per_s
            if await ex.client_left_within(max(0.0, due - time.monotonic())):
                raise ClientGone
        if not behaviour.end_without_done:
            await ex.send_line(self._done(name, "", behaviour, body, started))
        await ex.end_stream()

    async def _whole(
        self, ex: Exchange, name: str, behaviour: Behaviour, body: dict[str, Any], sent: list[int]
    ) -> None:
        started = time.monotonic_ns()
        if behaviour.hang_after is not None:
            await self._hang(ex)
        if await ex.client_left_within(behaviour.tokens / behaviour.tokens_per_s):
            raise ClientGone
        if behaviour.die_after is not None:
            await ex.drop()
            return
        await ex.respond_json(200, self._done(name, behaviour.reply(), behaviour, body, started))

    async def _hang(self, ex: Exchange) -> None:
        await ex.client_left_within(None)
        raise ClientGone

    @staticmethod
    def _message(name: str, content: str) -> dict[str, Any]:
        return {
            "model": name,
            "created_at": _now(),
            "message": {"role": "assistant", "content": content},
            "done": False,
        }

    @staticmethod
    def _done(name: str, content: str, behaviour: Behaviour, body: dict[str, Any], started: int) -> dict:
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        total = time.monotonic_ns() - started
        return {
            **FakeOllamaApp._message(name, content),
            "done_reason": behaviour.done_reason,
            "done": True,
            "total_duration": total,
            "load_duration": 1_000_000,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": 2_000_000,
            "eval_count": behaviour.tokens,
            "eval_duration": int(behaviour.tokens / behaviour.tokens_per_s * 1e9),
        }

    async def _blob(self, ex: Exchange) -> None:
        digest = ex.path.removeprefix("/api/blobs/")
        if ex.method == "HEAD":
            await ex.respond(200 if digest in self.state.blobs else 404, b"", "text/plain")
            return
        actual = "sha256:" + hashlib.sha256(ex.body).hexdigest()
        if actual != digest:
            await ex.respond_json(400, {"error": f"digest mismatch, expected {digest}, got {actual}"})
            return
        self.state.blobs.add(digest)
        await ex.respond(201, b"", "text/plain")

    async def _create(self, ex: Exchange) -> None:
        body = ex.json()
        if self.state.legacy_create and "modelfile" not in body:
            await ex.respond_json(400, {"error": "path or Modelfile are required"})
            return
        if not self.state.legacy_create and not body.get("from") and not body.get("files"):
            await ex.respond_json(400, {"error": "neither 'from' or 'files' was specified"})
            return
        referenced = [
            *body.get("files", {}).values(),
            *body.get("adapters", {}).values(),
            *re.findall(r"@(sha256:[0-9a-f]{64})", body.get("modelfile", "")),
        ]
        missing = [d for d in referenced if d not in self.state.blobs]
        if missing:
            await ex.respond_json(400, {"error": f"blob {missing[0]} not found; upload it first"})
            return
        base = body.get("from")
        if base and full_name(base) not in self.state.models:
            await ex.respond_json(404, {"error": ERROR_TEXT[404].format(model=base)})
            return
        self.state.models[full_name(body["model"])] = FakeModel(created=body)
        await ex.respond_json(200, {"status": "success"})

    async def _delete(self, ex: Exchange) -> None:
        name = full_name(ex.json().get("model", ""))
        if self.state.models.pop(name, None) is None:
            await ex.respond_json(404, {"error": f"model '{name}' not found"})
            return
        await ex.respond(200, b"", "text/plain")

    async def _control_behaviour(self, ex: Exchange) -> None:
        fields = ex.json()
        behaviour = self.state.set_behaviour(fields.pop("model", DEFAULT_MODEL), **fields)
        await ex.respond_json(200, dataclasses.asdict(behaviour))

    async def _control_reset(self, ex: Exchange) -> None:
        self.state.reset()
        await ex.respond_json(200, {})

    async def _control_state(self, ex: Exchange) -> None:
        await ex.respond_json(
            200,
            {
                "requests": self.state.requests,
                "disconnects": [dataclasses.asdict(d) for d in self.state.disconnects],
            },
        )


async def serve(
    state: FakeState, host: str, port: int, started: threading.Event | None = None, stop: asyncio.Event | None = None
) -> None:
    """Serve until ``stop`` is set (forever if None); ``started`` is set once the port listens."""
    app = FakeOllamaApp(state)
    server = await asyncio.start_server(partial(serve_connection, app.handle), host, port)
    if started is not None:
        started.set()
    async with server:
        await (stop.wait() if stop is not None else server.serve_forever())


class FakeOllama:
    """The fake on a free loopback port, served from its own thread (so sync and async tests, and
    hadra servers started as processes, can all use it). Use as a context manager."""

    def __init__(self, *, version: str = "0.12.6", legacy_create: bool = False) -> None:
        self.state = FakeState(version=version, legacy_create=legacy_create)
        self.port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeOllama:
        from embedded.process import free_port

        self.port = free_port()
        started = threading.Event()

        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            await serve(self.state, "127.0.0.1", self.port, started, self._stop)

        self._thread = threading.Thread(target=asyncio.run, args=(main(),), name="fake-ollama", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the fake Ollama did not start listening within 10 s")
        return self

    def stop(self) -> None:
        """Stop serving; answers in progress are cut off (asyncio.run cancels their tasks). Once."""
        if self._loop is not None and self._stop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)
            self._loop = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def set_behaviour(self, model: str = DEFAULT_MODEL, **fields: Any) -> Behaviour:
        """Make chats with ``model`` behave so (registering the model if new); see :class:`Behaviour`."""
        return self.state.set_behaviour(model, **fields)

    @property
    def disconnects(self) -> list[Disconnect]:
        return list(self.state.disconnects)

    async def hung_up(self, model: str, timeout: float = 10.0) -> bool:
        """Whether a client of ``model`` closed its answer early, waiting up to ``timeout`` s for it:
        the fake notices a hang-up on its own thread, a moment after the client closed."""
        deadline = time.monotonic() + timeout
        while not any(d.model == full_name(model) for d in self.state.disconnects):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    @property
    def requests(self) -> list[dict[str, Any]]:
        return list(self.state.requests)

    def reset(self) -> None:
        self.state.reset()


class FakeOllamaProcess:
    """The fake as a separate process (its own GIL, for load tests), with the same controls."""

    def __init__(self, *, version: str = "0.12.6", legacy_create: bool = False) -> None:
        self._args = ["--version", version, *(["--legacy-create"] if legacy_create else [])]
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeOllamaProcess:
        """Start serving: on a free port the first time, on the same port again after :meth:`stop`
        (an Ollama host back at its address)."""
        from embedded.process import free_port, port_open

        self.port = self.port or free_port()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.fake_ollama", "--port", str(self.port), *self._args],
            cwd=Path(__file__).resolve().parents[2],
        )
        deadline = time.monotonic() + 20
        while not port_open("127.0.0.1", self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the fake Ollama process did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)

    def __enter__(self) -> FakeOllamaProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def set_behaviour(self, model: str = DEFAULT_MODEL, **fields: Any) -> Behaviour:
        response = httpx.post(f"{self.url}/fake/behaviour", json={"model": model, **fields})
        response.raise_for_status()
        return Behaviour(**response.json())

    def _state(self) -> dict[str, Any]:
        response = httpx.get(f"{self.url}/fake/state")
        response.raise_for_status()
        return response.json()

    @property
    def disconnects(self) -> list[Disconnect]:
        return [Disconnect(**d) for d in self._state()["disconnects"]]

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self._state()["requests"]

    def reset(self) -> None:
        httpx.post(f"{self.url}/fake/reset").raise_for_status()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.fake_ollama",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--version", default="0.12.6", help="what /api/version answers")
    parser.add_argument("--legacy-create", action="store_true", help="answer /api/create like Ollama 0.5.4")
    args = parser.parse_args(argv)
    state = FakeState(version=args.version, legacy_create=args.legacy_create)
    try:
        asyncio.run(serve(state, args.host, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
