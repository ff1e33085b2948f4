"""``python -m asgi_app [daphne's options] asgi_app.asgi:application``: daphne, as hadra serves it.

Differences from ``python -m daphne``:

- a WebSocket message over daphne's size limit (1 MiB by default, ``--websocket_max_message_size``)
  is refused with a close frame, code 1009 and a reason, instead of autobahn's default of dropping
  the TCP connection, which clients only see as 1006 with no explanation (frames under that limit
  but over ``HADRA_MAX_FRAME_BYTES`` get a ``frame_too_large`` error frame and the socket stays open);
- the reason an application gives with ``websocket.close`` reaches the client (daphne 4.2 sends the
  code only), so a client can tell "signed out" from "not signed in";
- a WebSocket handshake may take 20 s (``--websocket_connect_timeout``, daphne's command line says
  5 s, its server class 20 s): when hundreds of sockets connect at once each waits for its sign-in
  lookup in the database, and at 5 s daphne dropped one in seven of 800 (``bench/capacity.py``),
  which only sends them back to knock again;
- its access log is logged (telemetry/logs.py: in the log's format, JSON or text) without query strings.
"""

from __future__ import annotations

from typing import Any

from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import reactor

from telemetry.logs import access_log


class HadraWebSocketProtocol(WebSocketProtocol):
    def handle_reply(self, message: dict[str, Any]) -> None:
        if message.get("type") == "websocket.close" and message.get("reason") and self.state != self.STATE_CONNECTING:
            self.sendClose(code=message.get("code") or 1000, reason=message["reason"])
            return
        super().handle_reply(message)


class HadraServer(Server):
    def __init__(self, *args: Any, action_logger: Any = None, **kwargs: Any) -> None:
        # daphne prints its access log to stdout, query strings (a search's words) included: log it instead.
        super().__init__(*args, action_logger=access_log if action_logger else None, **kwargs)

    def run(self) -> None:
        # ``run`` builds the WebSocket factory and then starts the reactor: tune the factory once it runs.
        reactor.callWhenRunning(self._tune_websockets)
        super().run()

    def _tune_websockets(self) -> None:
        self.ws_factory.protocol = HadraWebSocketProtocol
        self.ws_factory.setProtocolOptions(failByDrop=False)


class HadraCommandLine(CommandLineInterface):
    server_class = HadraServer

    def __init__(self) -> None:
        super().__init__()
        self.parser.set_defaults(websocket_connect_timeout=20)


if __name__ == "__main__":
    HadraCommandLine.entrypoint()
