"""The channel layer counts its trouble (``hadra_channel_layer_errors_total``): a socket dropped as
lagging, and a send that gave up on an unreachable Redis."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from access.unavailable import ChannelLayerUnavailable
from asgi_app import redis_broadcast
from asgi_app.channel_layer import FanoutLayer
from embedded.process import free_port


def errors(kind: str) -> float:
    return REGISTRY.get_sample_value("hadra_channel_layer_errors_total", {"kind": kind}) or 0.0


async def test_a_lagging_socket_and_a_send_redis_never_took_are_counted(monkeypatch) -> None:
    layer = FanoutLayer(capacity=2)
    channel = await layer.new_channel()
    lagging = errors("lagging")
    for seq in range(5):  # the third overflows the inbox; the socket is told once
        await layer.send(channel, {"type": "chat.event", "seq": seq})
    assert errors("lagging") == lagging + 1

    monkeypatch.setattr(redis_broadcast, "RIDE_THROUGH_S", 0.5)
    away = FanoutLayer(redis_url=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    publish = errors("publish")
    try:
        with pytest.raises(ChannelLayerUnavailable):
            await away.group_send("conversation.a", {"type": "chat.event"})
    finally:
        await away.close()
    assert errors("publish") == publish + 1
