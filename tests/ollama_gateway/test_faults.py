"""Every way Ollama can fail a chat, streamed or whole, injected with the fake Ollama, as typed errors."""

from __future__ import annotations

import asyncio

import pytest

from ollama_gateway import (
    ChatChunk,
    ModelNotFound,
    OllamaBusy,
    OllamaGateway,
    OllamaRequestFailed,
    OllamaTimeout,
    OllamaUnavailable,
    StreamEndedEarly,
)
from tests.fakes.fake_ollama import Disconnect, FakeOllama

HELLO = [{"role": "user", "content": "hello there"}]


async def _collect(gateway: OllamaGateway, model: str, received: list[ChatChunk]) -> None:
    async with gateway.chat_stream(model, HELLO) as stream:
        async for chunk in stream:
            received.append(chunk)


async def _disconnects(fake: FakeOllama) -> list[Disconnect]:
    """The fake notices a hang-up asynchronously; wait (bounded) until it has."""
    for _ in range(200):
        if fake.disconnects:
            return fake.disconnects
        await asyncio.sleep(0.025)
    return fake.disconnects


async def test_a_full_answer_arrives_in_pieces_with_stats_and_no_hang_up(
    fake: FakeOllama, gateway: OllamaGateway
) -> None:
    behaviour = fake.set_behaviour("talker", tokens=4)
    received: list[ChatChunk] = []
    await _collect(gateway, "talker", received)
    assert "".join(c.content for c in received) == behaviour.reply()
    assert [c.done for c in received] == [False] * 4 + [True]
    stats = received[-1].stats
    assert stats is not None
    assert stats.eval_count == 4
    assert stats.prompt_eval_count == 2
    assert stats.tokens_per_s == pytest.approx(200)
    assert received[-1].done_reason == "stop"
    assert fake.disconnects == []


async def test_answers_in_a_row_share_one_kept_alive_connection(fake: FakeOllama, gateway: OllamaGateway) -> None:
    behaviour = fake.set_behaviour("talker", tokens=3)
    for _ in range(3):
        received: list[ChatChunk] = []
        await _collect(gateway, "talker", received)
        assert "".join(c.content for c in received) == behaviour.reply()
    assert len({r["client_port"] for r in fake.requests if r["path"] == "/api/chat"}) == 1
    assert fake.disconnects == []


async def test_options_and_keep_alive_reach_ollama(fake: FakeOllama, gateway: OllamaGateway) -> None:
    async for _ in gateway.chat_stream("fake-model", HELLO, options={"temperature": 0}, keep_alive="10m"):
        pass
    body = next(r["body"] for r in fake.requests if r["path"] == "/api/chat")
    assert body["options"] == {"temperature": 0}
    assert body["keep_alive"] == "10m"
    assert body["messages"] == HELLO
    assert body["stream"] is True


async def test_unknown_model_is_model_not_found(gateway: OllamaGateway) -> None:
    with pytest.raises(ModelNotFound) as caught:
        await _collect(gateway, "no-such-model", [])
    assert caught.value.model == "no-such-model"
    assert "no-such-model" in str(caught.value)


@pytest.mark.parametrize(("status", "error"), [(404, ModelNotFound), (503, OllamaBusy), (500, OllamaRequestFailed)])
async def test_http_errors_are_typed(
    fake: FakeOllama, gateway: OllamaGateway, status: int, error: type[Exception]
) -> None:
    fake.set_behaviour("failing", status=status)
    received: list[ChatChunk] = []
    with pytest.raises(error) as caught:
        await _collect(gateway, "failing", received)
    assert caught.value.status == status
    assert received == []


async def test_a_stream_without_done_is_an_error_and_keeps_the_text(fake: FakeOllama, gateway: OllamaGateway) -> None:
    behaviour = fake.set_behaviour("cut", tokens=3, end_without_done=True)
    received: list[ChatChunk] = []
    with pytest.raises(StreamEndedEarly):
        await _collect(gateway, "cut", received)
    assert "".join(c.content for c in received) == behaviour.reply()
    assert not any(c.done for c in received)


async def test_ollama_dying_mid_stream_is_unavailable(fake: FakeOllama, gateway: OllamaGateway) -> None:
    fake.set_behaviour("crash", tokens=10, die_after=2)
    received: list[ChatChunk] = []
    with pytest.raises(OllamaUnavailable, match="went away"):
        await _collect(gateway, "crash", received)
    assert [c.content for c in received] == ["tok0 ", "tok1 "]


async def test_an_error_line_inside_the_stream_is_a_failure(fake: FakeOllama, gateway: OllamaGateway) -> None:
    fake.set_behaviour("runner-died", tokens=10, error_after=1)
    with pytest.raises(OllamaRequestFailed, match="llama runner process has terminated"):
        await _collect(gateway, "runner-died", [])


@pytest.mark.parametrize("hang_after", [0, 2])
async def test_silence_is_a_timeout_and_the_connection_is_closed(fake: FakeOllama, hang_after: int) -> None:
    fake.set_behaviour("silent", tokens=10, hang_after=hang_after)
    received: list[ChatChunk] = []
    async with OllamaGateway(fake.url, read_timeout=0.3) as impatient:
        with pytest.raises(OllamaTimeout):
            await _collect(impatient, "silent", received)
    assert len(received) == hang_after
    assert await _disconnects(fake) == [Disconnect("silent:latest", hang_after)]


async def test_ollama_not_running_is_unavailable() -> None:
    from embedded.process import free_port

    async with OllamaGateway(f"127.0.0.1:{free_port()}") as nowhere:
        with pytest.raises(OllamaUnavailable, match="not reachable"):
            await _collect(nowhere, "fake-model", [])
        with pytest.raises(OllamaUnavailable):
            await nowhere.version()
        with pytest.raises(OllamaUnavailable):
            await nowhere.list_models()
        with pytest.raises(OllamaUnavailable):
            await nowhere.has_model("fake-model")
        with pytest.raises(OllamaUnavailable):
            await nowhere.chat("fake-model", HELLO)


async def test_cancelling_the_reading_task_closes_the_stream(fake: FakeOllama, gateway: OllamaGateway) -> None:
    fake.set_behaviour("long", tokens=10_000, tokens_per_s=50)
    two_received = asyncio.Event()

    async def read() -> None:
        async for chunk in gateway.chat_stream("long", HELLO):  # no `async with`: cancellation alone
            if chunk.content == "tok1 ":
                two_received.set()

    task = asyncio.create_task(read())
    await two_received.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [gone] = await _disconnects(fake)
    assert gone.model == "long:latest"
    assert 2 <= gone.chunks_sent < 10_000


async def test_leaving_the_stream_early_closes_it(fake: FakeOllama, gateway: OllamaGateway) -> None:
    fake.set_behaviour("long", tokens=10_000, tokens_per_s=50)
    async with gateway.chat_stream("long", HELLO) as stream:
        async for chunk in stream:
            if chunk.content == "tok2 ":
                break
    [gone] = await _disconnects(fake)
    assert 3 <= gone.chunks_sent < 10_000


SCHEMA = {"type": "object", "properties": {"0": {"type": "string"}}, "required": ["0"]}


async def test_a_whole_answer_carries_its_schema_and_its_stats(fake: FakeOllama, gateway: OllamaGateway) -> None:
    behaviour = fake.set_behaviour("batch", tokens=3)
    answer = await gateway.chat("batch", HELLO, format=SCHEMA, options={"temperature": 0})
    assert (answer.content, answer.done, answer.done_reason) == (behaviour.reply(), True, "stop")
    assert answer.stats is not None and answer.stats.eval_count == 3
    body = next(r["body"] for r in fake.requests if r["path"] == "/api/chat")
    assert (body["format"], body["stream"], body["options"]) == (SCHEMA, False, {"temperature": 0})


@pytest.mark.parametrize(("status", "error"), [(404, ModelNotFound), (503, OllamaBusy), (500, OllamaRequestFailed)])
async def test_a_whole_answer_fails_with_the_same_types(
    fake: FakeOllama, gateway: OllamaGateway, status: int, error: type[Exception]
) -> None:
    fake.set_behaviour("failing", status=status)
    with pytest.raises(error) as caught:
        await gateway.chat("failing", HELLO)
    assert caught.value.status == status


async def test_a_silent_whole_answer_is_a_timeout(fake: FakeOllama) -> None:
    fake.set_behaviour("silent", hang_after=0)
    async with OllamaGateway(fake.url, read_timeout=0.3) as impatient:
        with pytest.raises(OllamaTimeout):
            await impatient.chat("silent", HELLO)


async def test_whether_a_model_is_there(gateway: OllamaGateway) -> None:
    assert await gateway.has_model("fake-model")
    assert await gateway.has_model("fake-model:latest")
    assert not await gateway.has_model("no-such-model:1b")
