"""The WebSocket protocol only: frame schemas, parse, authorise, dispatch, send."""
