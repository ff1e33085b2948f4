"""Who may do what, and how often: credentials (sessions, API tokens), the WebSocket's sign-in,
rate limits, and the outages clients wait out. ``asgi_app`` wires these into Django and Channels;
``api/`` and ``consumers/`` use them. Nothing here imports ``asgi_app``."""
