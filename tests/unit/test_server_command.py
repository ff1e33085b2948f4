"""``python -m asgi_app``: daphne's command line with hadra's defaults."""

from __future__ import annotations

from asgi_app.__main__ import HadraCommandLine


def test_a_handshake_may_take_20_s_and_can_still_be_set() -> None:
    parser = HadraCommandLine().parser
    assert parser.parse_args(["asgi_app.asgi:application"]).websocket_connect_timeout == 20
    chosen = parser.parse_args(["--websocket_connect_timeout", "7", "asgi_app.asgi:application"])
    assert chosen.websocket_connect_timeout == 7
