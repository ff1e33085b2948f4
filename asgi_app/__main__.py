"""``python -m asgi_app [daphne's options] asgi_app.asgi:application``: daphne, as hadra serves it.

One difference from ``python -m daphne``: a WebSocket message over daphne's size limit (1 MiB by
default, ``--websocket_max_message_size``) is refused with a close frame, code 1009 and a reason,
instead of autobahn's default of dropping the TCP connection, which clients only see as 1006 with
no explanation. Frames under that limit but over ``HADRA_MAX_FRAME_BYTES`` get a
``frame_too_large`` error frame from the consumer and the socket stays open.
"""

from __future__ import annotations

from daphne.cli import CommandLineInterface
from daphne.server import Server
from twisted.internet import reactor


class HadraServer(Server):
    def run(self) -> None:
        # ``run`` builds the WebSocket factory and then starts the reactor: tune the factory once it runs.
        reactor.callWhenRunning(self._close_oversized_cleanly)  # type: ignore[attr-defined]
        super().run()

    def _close_oversized_cleanly(self) -> None:
        self.ws_factory.setProtocolOptions(failByDrop=False)


class HadraCommandLine(CommandLineInterface):
    server_class = HadraServer


if __name__ == "__main__":
    HadraCommandLine.entrypoint()
